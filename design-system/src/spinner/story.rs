//! Stories of `Spinner`. Gallery only.

use leptos::prelude::*;

use super::Spinner;
use crate::button::ButtonSize;
use crate::stories::{ComponentStories, Control, Story, StoryControls};

pub(crate) static STORIES: ComponentStories = ComponentStories::new("Spinner", "spinner")
    .about("Indeterminate progress with a spoken label.")
    .controls(&[
        Control::choice("size", "Size", &["small", "medium", "large"], "medium"),
        Control::text("label", "Label", "Loading reviews"),
    ])
    .stories(&[Story::new("Default", "default", render)
        .about("Medium spinner.")
        .snippet(r#"<Spinner label="Loading reviews"/>"#)]);

fn render(controls: StoryControls) -> AnyView {
    let label = controls.text("label");
    view! {
        <Spinner
            size=controls.choice("size", &ButtonSize::ALL, ButtonSize::as_str)
            label=Signal::derive(move || Some(label.get()))
        />
    }
    .into_any()
}
