//! Stories of `RadioGroup`. Gallery only.

use leptos::prelude::*;

use super::{RadioGroup, RadioOption};
use crate::stories::{ComponentStories, Control, Story, StoryControls};

pub(crate) static STORIES: ComponentStories = ComponentStories::new("RadioGroup", "radio-group")
    .about("Native radios with a legend, option hints and an inline error.")
    .controls(&[
        Control::text("label", "Legend", "Delivery"),
        Control::text("error", "Error", ""),
    ])
    .stories(&[
        Story::new("Delivery options", "delivery", render)
            .about("Each option with a hint.")
            .snippet(r#"<RadioGroup label="Delivery" name="delivery_method" value=method
    options=vec![RadioOption::new("standard", "Standard").with_hint("3–5 working days")]/>"#),
        Story::new("Error", "error", render)
            .about("Group error from the server.")
            .presets(&[("error", "Choose a delivery option")])
            .snippet(r#"<RadioGroup label="Delivery" name="delivery_method" value=method options=methods error="Choose a delivery option"/>"#),
    ]);

fn render(controls: StoryControls) -> AnyView {
    let value = RwSignal::new(String::new());
    let error = controls.text("error");
    let options = vec![
        RadioOption::new("standard", "Standard, free").with_hint("3–5 working days"),
        RadioOption::new("express", "Express, $9.90").with_hint("Next working day"),
        RadioOption::new("pickup", "Pick up in store"),
    ];
    view! {
        <RadioGroup
            label=controls.text("label")
            name="delivery_method"
            options
            value
            error=Signal::derive(move || Some(error.get()).filter(|error| !error.is_empty()))
        />
    }
    .into_any()
}
