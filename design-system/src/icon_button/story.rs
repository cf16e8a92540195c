//! Stories of `IconButton`. Gallery only.

use leptos::prelude::*;

use super::IconButton;
use crate::button::{ButtonSize, ButtonVariant};
use crate::icon::IconName;
use crate::stories::{ComponentStories, Control, Story, StoryControls};

pub(crate) static STORIES: ComponentStories = ComponentStories::new("IconButton", "icon-button")
    .about("A compact button with only an icon and a required label.")
    .controls(&[
        Control::text("label", "Label", "Close"),
        Control::choice(
            "icon",
            "Icon",
            &[
                "chevron-right",
                "chevron-left",
                "close",
                "plus",
                "minus",
                "check",
                "heart",
                "bag",
                "search",
                "info",
            ],
            "close",
        ),
        Control::choice(
            "variant",
            "Variant",
            &["primary", "secondary", "subtle", "danger"],
            "subtle",
        ),
        Control::choice("size", "Size", &["small", "medium", "large"], "medium"),
        Control::boolean("disabled", "Disabled", false),
    ])
    .stories(&[
        Story::new("Default", "default", render)
            .about("A close button.")
            .snippet(r#"<IconButton icon=IconName::Close label="Close" on_click=move |_| close()/>"#),
        Story::new("Toggle", "toggle", render_toggle)
            .about("A pressed/unpressed wish-list toggle (aria-pressed).")
            .presets(&[("icon", "heart"), ("label", "Add to wish list")])
            .snippet(r#"<IconButton icon=IconName::Heart label="Add to wish list" pressed=saved on_click=move |_| saved.update(|s| *s = !*s)/>"#),
        Story::new("Disabled", "disabled", render)
            .about("Not available.")
            .presets(&[
                ("disabled", "true"),
                ("icon", "plus"),
                ("label", "Increase"),
            ])
            .snippet(r#"<IconButton icon=IconName::Plus label="Increase" disabled=true/>"#),
    ]);

fn render(controls: StoryControls) -> AnyView {
    view! {
        <IconButton
            label=controls.text("label")
            icon=controls.choice("icon", &IconName::ALL, IconName::as_str)
            variant=controls.choice("variant", &ButtonVariant::ALL, ButtonVariant::as_str)
            size=controls.choice("size", &ButtonSize::ALL, ButtonSize::as_str)
            disabled=controls.flag("disabled")
        />
    }
    .into_any()
}

fn render_toggle(controls: StoryControls) -> AnyView {
    let saved = RwSignal::new(false);
    view! {
        <IconButton
            label=controls.text("label")
            icon=controls.choice("icon", &IconName::ALL, IconName::as_str)
            variant=controls.choice("variant", &ButtonVariant::ALL, ButtonVariant::as_str)
            pressed=saved
            on_click=move |_| saved.update(|saved| *saved = !*saved)
        />
    }
    .into_any()
}
