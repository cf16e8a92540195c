//! Stories of `Toast`. Gallery only.

use leptos::prelude::*;

use super::{ToastProvider, use_toaster};
use crate::badge::Tone;
use crate::badge::story::TONE_NAMES;
use crate::button::Button;
use crate::stories::{ComponentStories, Control, Story, StoryControls};

pub(crate) static STORIES: ComponentStories = ComponentStories::new("Toast", "toast")
    .about("Short-lived notification in a polite live region.")
    .controls(&[
        Control::text("message", "Message", "Added to cart"),
        Control::choice("tone", "Tone", TONE_NAMES, "success"),
    ])
    .stories(&[Story::new("Push", "push", render)
        .about("Press the button to show a toast.")
        .snippet(
            r#"// once, near the root:
<ToastProvider>{children()}</ToastProvider>
// anywhere below:
use_toaster().map(|toaster| toaster.push("Added to cart", Tone::Success));"#,
        )]);

fn render(controls: StoryControls) -> AnyView {
    view! {
        <ToastProvider>
            <ToastTrigger controls/>
        </ToastProvider>
    }
    .into_any()
}

#[component]
fn ToastTrigger(controls: StoryControls) -> impl IntoView {
    let toaster = use_toaster();
    let message = controls.text("message");
    let tone = controls.choice("tone", &Tone::ALL, Tone::as_str);
    view! {
        <Button on_click=move |_| {
            if let Some(toaster) = toaster {
                toaster.push(message.get_untracked(), tone.get_untracked());
            }
        }>"Show toast"</Button>
    }
}
