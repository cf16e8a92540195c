//! Stories of `TextField`. Gallery only.

use leptos::prelude::*;

use super::{TextField, TextFieldType};
use crate::stories::{ComponentStories, Control, Story, StoryControls};

pub(crate) static STORIES: ComponentStories = ComponentStories {
    name: "TextField",
    slug: "text-field",
    description: "Labelled input with hint, inline error and autocomplete.",
    controls: &[
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
    ],
    stories: &[
        Story {
            name: "Default",
            slug: "default",
            description: "With a hint.",
            presets: &[],
            render,
            snippet: r#"<TextField label="Email" name="email" value=email input_type=TextFieldType::Email autocomplete="email" hint="We send the receipt here."/>"#,
        },
        Story {
            name: "Error",
            slug: "error",
            description: "Inline error linked with aria-describedby.",
            presets: &[("error", "Enter an email address like name@example.com")],
            render,
            snippet: r#"<TextField label="Email" name="email" value=email error="Enter an email address like name@example.com"/>"#,
        },
        Story {
            name: "Disabled",
            slug: "disabled",
            description: "Not editable.",
            presets: &[("disabled", "true")],
            render,
            snippet: r#"<TextField label="Email" name="email" value=email disabled=true/>"#,
        },
    ],
};

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
