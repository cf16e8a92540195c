//! Stories of `Rating`. Gallery only.

use leptos::prelude::*;

use super::Rating;
use crate::stories::{ComponentStories, Control, Story, StoryControls};

pub(crate) static STORIES: ComponentStories = ComponentStories::new("Rating", "rating")
    .about("Read-only stars with one accessible sentence.")
    .controls(&[
        Control::number("value", "Value", (0.0, 5.0, 0.1), "4.5"),
        Control::number("count", "Review count", (0.0, 100_000.0, 1.0), "128"),
    ])
    .stories(&[
        Story::new("With count", "with-count", render)
            .about("Average and number of reviews.")
            .snippet(r#"<Rating value=4.5 count=128/>"#),
        Story::new("Low", "low", render)
            .about("A fractional low rating.")
            .presets(&[("value", "1.3"), ("count", "7")])
            .snippet(r#"<Rating value=1.3 count=7/>"#),
    ]);

fn render(controls: StoryControls) -> AnyView {
    let count = controls.number("count");
    view! { <Rating value=controls.number("value") count=Signal::derive(move || Some(count.get() as u32))/> }
        .into_any()
}
