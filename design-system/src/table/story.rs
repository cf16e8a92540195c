//! Stories of `Table`. Gallery only.

use leptos::prelude::*;

use super::{Table, TableColumn};
use crate::stories::{ComponentStories, Control, Story, StoryControls};

pub(crate) static STORIES: ComponentStories = ComponentStories::new("Table", "table")
    .about("Data table with a caption and sortable headers.")
    .controls(&[Control::text("caption", "Caption", "Marketplace orders")])
    .stories(&[Story::new("Sortable", "sortable", render)
        .about("Press a header to sort; again to reverse.")
        .snippet(
            r#"<Table caption="Marketplace orders"
    columns=vec![TableColumn::text("Marketplace"), TableColumn::numeric("Orders")]
    rows=rows/>"#,
        )]);

fn render(controls: StoryControls) -> AnyView {
    let columns = vec![
        TableColumn::text("Marketplace"),
        TableColumn::numeric("Orders"),
        TableColumn::numeric("Revenue"),
        TableColumn::text("Status").unsortable(),
    ];
    let rows: Vec<Vec<String>> = [
        ["Amazon", "1204", "$48,210.00", "Healthy"],
        ["eBay", "312", "$9,870.50", "Degraded"],
        ["Etsy", "97", "$3,112.00", "Healthy"],
        ["Zalando", "455", "$21,004.99", "Paused"],
    ]
    .iter()
    .map(|row| row.iter().map(|cell| (*cell).to_owned()).collect())
    .collect();
    view! { <Table caption=controls.text("caption") columns rows/> }.into_any()
}
