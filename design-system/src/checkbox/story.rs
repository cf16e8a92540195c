//! Stories of `Checkbox`. Gallery only.

use leptos::prelude::*;

use super::Checkbox;
use crate::stories::{ComponentStories, Control, Story, StoryControls};

pub(crate) static STORIES: ComponentStories = ComponentStories::new("Checkbox", "checkbox")
    .about("A native checkbox with label, hint and inline error.")
    .controls(&[
        Control::text("label", "Label", "I accept the terms of sale"),
        Control::text("error", "Error", ""),
        Control::boolean("disabled", "Disabled", false),
    ])
    .stories(&[
        Story::new("Default", "default", render)
            .about("Unchecked.")
            .snippet(r#"<Checkbox label="I accept the terms of sale" name="terms_accepted" checked=accepted/>"#),
        Story::new("Error", "error", render)
            .about("Inline error.")
            .presets(&[("error", "Accept the terms to place your order")])
            .snippet(r#"<Checkbox label="I accept the terms of sale" name="terms_accepted" checked=accepted error="Accept the terms to place your order"/>"#),
    ]);

fn render(controls: StoryControls) -> AnyView {
    let checked = RwSignal::new(false);
    let error = controls.text("error");
    view! {
        <Checkbox
            label=controls.text("label")
            name="terms_accepted"
            checked
            error=Signal::derive(move || Some(error.get()).filter(|error| !error.is_empty()))
            disabled=controls.flag("disabled")
        />
    }
    .into_any()
}
