//! Stories of `Rating`. Gallery only.

use leptos::prelude::*;

use super::Rating;
use crate::stories::{ComponentStories, Control, Story, StoryControls};

pub(crate) static STORIES: ComponentStories = ComponentStories {
    name: "Rating",
    slug: "rating",
    description: "Read-only stars with one accessible sentence.",
    controls: &[
        Control::number("value", "Value", (0.0, 5.0, 0.1), "4.5"),
        Control::number("count", "Review count", (0.0, 100_000.0, 1.0), "128"),
    ],
    stories: &[
        Story {
            name: "With count",
            slug: "with-count",
            description: "Average and number of reviews.",
            presets: &[],
            render,
            snippet: r#"<Rating value=4.5 count=128/>"#,
        },
        Story {
            name: "Low",
            slug: "low",
            description: "A fractional low rating.",
            presets: &[("value", "1.3"), ("count", "7")],
            render,
            snippet: r#"<Rating value=1.3 count=7/>"#,
        },
    ],
};

fn render(controls: StoryControls) -> AnyView {
    let count = controls.number("count");
    view! { <Rating value=controls.number("value") count=Signal::derive(move || Some(count.get() as u32))/> }
        .into_any()
}
