//! Stories of `Alert`. Gallery only.

use leptos::prelude::*;

use super::Alert;
use crate::badge::Tone;
use crate::badge::story::TONE_NAMES;
use crate::stories::{ComponentStories, Control, Story, StoryControls};

pub(crate) static STORIES: ComponentStories = ComponentStories::new("Alert", "alert")
    .about("Inline message or page banner; danger and warning interrupt, others wait.")
    .controls(&[
        Control::choice("tone", "Tone", TONE_NAMES, "info"),
        Control::text("title", "Title", "Delivery update"),
        Control::text("message", "Message", "Orders placed today ship on Monday."),
        Control::boolean("banner", "Banner", false),
    ])
    .stories(&[
        Story::new("Info", "info", render)
            .about("Polite status message.")
            .snippet(r#"<Alert title="Delivery update">"Orders placed today ship on Monday."</Alert>"#),
        Story::new("Danger", "danger", render)
            .about("Announced immediately (role=alert).")
            .presets(&[
                ("tone", "danger"),
                ("title", "Payment declined"),
                ("message", "Try another card."),
            ])
            .snippet(r#"<Alert tone=Tone::Danger title="Payment declined">"Try another card."</Alert>"#),
        Story::new("Offline banner", "offline-banner", render)
            .about("Page-level banner for degraded mode.")
            .presets(&[
                ("tone", "warning"),
                ("banner", "true"),
                ("title", "You are offline"),
                (
                    "message",
                    "Showing the last saved catalogue. Adding to cart resumes when you reconnect.",
                ),
            ])
            .snippet(r#"<Alert tone=Tone::Warning banner=true title="You are offline">"Showing the last saved catalogue."</Alert>"#),
        Story::new("Dismissible", "dismissible", render_dismissible)
            .about("With a dismiss button.")
            .presets(&[
                ("tone", "success"),
                ("title", "Added to cart"),
                ("message", "Ceramic mug × 1"),
            ])
            .snippet(r#"<Alert tone=Tone::Success on_dismiss=move |_| shown.set(false)>"Added to cart"</Alert>"#),
    ]);

fn render(controls: StoryControls) -> AnyView {
    let message = controls.text("message");
    let title = controls.text("title");
    view! {
        <Alert
            tone=Signal::derive({
                let tone = controls.choice("tone", &Tone::ALL, Tone::as_str);
                move || Some(tone.get())
            })
            title=Signal::derive(move || Some(title.get()).filter(|title| !title.is_empty()))
            banner=controls.flag("banner")
        >
            <p>{move || message.get()}</p>
        </Alert>
    }
    .into_any()
}

fn render_dismissible(controls: StoryControls) -> AnyView {
    let shown = RwSignal::new(true);
    let message = controls.text("message");
    let title = controls.text("title");
    let tone = controls.choice("tone", &Tone::ALL, Tone::as_str);
    view! {
        <Show
            when=move || shown.get()
            fallback=move || view! { <button type="button" on:click=move |_| shown.set(true)>"Show again"</button> }
        >
            <Alert
                tone=Signal::derive(move || Some(tone.get()))
                title=Signal::derive(move || Some(title.get()))
                on_dismiss=move |_| shown.set(false)
            >
                <p>{move || message.get()}</p>
            </Alert>
        </Show>
    }
    .into_any()
}
