//! Stories of `Select`. Gallery only.

use leptos::prelude::*;

use super::{Select, SelectOption};
use crate::stories::{ComponentStories, Control, Story, StoryControls};

pub(crate) static STORIES: ComponentStories = ComponentStories::new("Select", "select")
    .about("Native select with label, hint and inline error.")
    .controls(&[
        Control::text("label", "Label", "Country"),
        Control::text("error", "Error", ""),
        Control::boolean("disabled", "Disabled", false),
    ])
    .stories(&[
        Story::new("Default", "default", render)
            .about("With a placeholder entry.")
            .snippet(r#"<Select label="Country" name="shipping.country" value=country autocomplete="country" placeholder="Choose a country" options=countries/>"#),
        Story::new("Error", "error", render)
            .about("Inline error.")
            .presets(&[("error", "We do not ship there yet")])
            .snippet(r#"<Select label="Country" name="shipping.country" value=country options=countries error="We do not ship there yet"/>"#),
    ]);

fn render(controls: StoryControls) -> AnyView {
    let value = RwSignal::new(String::new());
    let error = controls.text("error");
    let options = vec![
        SelectOption::new("US", "United States"),
        SelectOption::new("DE", "Germany"),
        SelectOption::new("JP", "Japan"),
    ];
    view! {
        <div style="max-width:24rem">
            <Select
                label=controls.text("label")
                name="shipping.country"
                options
                value
                placeholder="Choose a country"
                autocomplete="country"
                error=Signal::derive(move || Some(error.get()).filter(|error| !error.is_empty()))
                disabled=controls.flag("disabled")
            />
        </div>
    }
    .into_any()
}
