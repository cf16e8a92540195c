//! Stories of `TextField`. Gallery only.

use leptos::prelude::*;

use super::{TextField, TextFieldType};
use crate::stories::{ComponentStories, Control, Story, StoryControls};

pub(crate) static STORIES: ComponentStories = ComponentStories::new("TextField", "text-field")
    .about("Labelled input with hint, inline error and autocomplete.")
    .controls(&[
        Control::text("label", "Label", "Email"),
        Control::choice(
            "type",
            "Type",
            &["text", "email", "tel", "password", "search", "url"],
            "email",
        ),
        Control::text("hint", "Hint", "We send the receipt here."),
        Control::text("error", "Error", ""),
        Control::boolean("required", "Required", true),
        Control::boolean("disabled", "Disabled", false),
    ])
    .stories(&[
        Story::new("Default", "default", render)
            .about("With a hint.")
            .snippet(r#"<TextField label="Email" name="email" value=email input_type=TextFieldType::Email autocomplete="email" hint="We send the receipt here."/>"#),
        Story::new("Error", "error", render)
            .about("Inline error linked with aria-describedby.")
            .presets(&[("error", "Enter an email address like name@example.com")])
            .snippet(r#"<TextField label="Email" name="email" value=email error="Enter an email address like name@example.com"/>"#),
        Story::new("Disabled", "disabled", render)
            .about("Not editable.")
            .presets(&[("disabled", "true")])
            .snippet(r#"<TextField label="Email" name="email" value=email disabled=true/>"#),
    ]);

fn render(controls: StoryControls) -> AnyView {
    let value = RwSignal::new(String::new());
    let hint = controls.text("hint");
    let error = controls.text("error");
    view! {
        <div style="max-width:24rem">
            <TextField
                label=controls.text("label")
                name="email"
                value
                input_type=controls.choice("type", &TextFieldType::ALL, TextFieldType::as_str)
                hint=Signal::derive(move || Some(hint.get()))
                error=Signal::derive(move || Some(error.get()).filter(|error| !error.is_empty()))
                autocomplete="email"
                required=controls.flag("required")
                disabled=controls.flag("disabled")
            />
        </div>
    }
    .into_any()
}
