//! Stories of `BarChart`. Gallery only.

use leptos::prelude::*;

use super::BarChart;
use crate::line_chart::ChartPoint;
use crate::stories::{ComponentStories, Control, Story, StoryControls};

pub(crate) static STORIES: ComponentStories = ComponentStories::new("BarChart", "bar-chart")
    .about("A small SVG bar chart with a spoken summary.")
    .controls(&[Control::text(
        "title",
        "Title",
        "Failed events by connector",
    )])
    .stories(&[
        Story::new("Connectors", "connectors", render)
            .about("One bar per marketplace connector.")
            .snippet(r#"<BarChart title="Failed events by connector" points=vec![ChartPoint::new("Amazon", 4.0), ChartPoint::new("eBay", 11.0)]/>"#),
    ]);

fn render(controls: StoryControls) -> AnyView {
    let points = vec![
        ChartPoint::new("Amazon", 4.0),
        ChartPoint::new("eBay", 11.0),
        ChartPoint::new("Etsy", 2.0),
        ChartPoint::new("Zalando", 7.0),
    ];
    view! {
        <div style="max-width:36rem">
            <BarChart title=controls.text("title") points/>
        </div>
    }
    .into_any()
}
