//! Stories of `Tabs`. Gallery only.

use leptos::prelude::*;

use super::{TabItem, Tabs};
use crate::stories::{ComponentStories, Control, Story, StoryControls};

pub(crate) static STORIES: ComponentStories = ComponentStories::new("Tabs", "tabs")
    .about("Tablist with arrow-key navigation and one panel.")
    .controls(&[Control::choice(
        "selected",
        "Selected tab",
        &["details", "delivery", "reviews"],
        "details",
    )])
    .stories(&[
        Story::new("Product details", "product-details", render)
            .about("Focus a tab and use the arrow keys.")
            .snippet(r#"let tab = RwSignal::new("details".to_owned());
<Tabs label="Product information" selected=tab items=vec![TabItem::new("details", "Details"), TabItem::new("reviews", "Reviews")]>
    {move || panel_for(tab.get())}
</Tabs>"#),
    ]);

fn render(controls: StoryControls) -> AnyView {
    let selected = controls.signal("selected");
    let items = vec![
        TabItem::new("details", "Details"),
        TabItem::new("delivery", "Delivery"),
        TabItem::new("reviews", "Reviews"),
    ];
    view! {
        <Tabs label="Product information" items selected>
            {move || match selected.get().as_str() {
                "delivery" => "Ships in 2–3 working days.",
                "reviews" => "4.5 out of 5 from 128 reviews.",
                _ => "Stoneware, 350 ml, dishwasher safe.",
            }}
        </Tabs>
    }
    .into_any()
}
