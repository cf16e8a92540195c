//! Stories of `Badge`. Gallery only.

use leptos::prelude::*;

use super::{Badge, Tone};
use crate::stories::{ComponentStories, Control, Story, StoryControls};

pub(crate) const TONE_NAMES: &[&str] = &["neutral", "info", "success", "warning", "danger"];

pub(crate) static STORIES: ComponentStories = ComponentStories {
    name: "Badge",
    slug: "badge",
    description: "A short status label; the words carry the meaning.",
    controls: &[
        Control::text("text", "Text", "New"),
        Control::choice("tone", "Tone", TONE_NAMES, "neutral"),
    ],
    stories: &[
        Story {
            name: "Neutral",
            slug: "neutral",
            description: "Plain label.",
            presets: &[],
            render,
            snippet: r#"<Badge>"New"</Badge>"#,
        },
        Story {
            name: "Success",
            slug: "success",
            description: "In stock.",
            presets: &[("tone", "success"), ("text", "In stock")],
            render,
            snippet: r#"<Badge tone=Tone::Success>"In stock"</Badge>"#,
        },
        Story {
            name: "Warning",
            slug: "warning",
            description: "Low stock.",
            presets: &[("tone", "warning"), ("text", "Only 2 left")],
            render,
            snippet: r#"<Badge tone=Tone::Warning>"Only 2 left"</Badge>"#,
        },
        Story {
            name: "All tones",
            slug: "all-tones",
            description: "Every tone side by side.",
            presets: &[],
            render: render_all,
            snippet: r#"<Badge tone=Tone::Danger>"Sold out"</Badge>"#,
        },
    ],
};

fn render(controls: StoryControls) -> AnyView {
    let text = controls.text("text");
    view! { <Badge tone=controls.choice("tone", &Tone::ALL, Tone::as_str)>{move || text.get()}</Badge> }
        .into_any()
}

fn render_all(_controls: StoryControls) -> AnyView {
    view! {
        <div style="display:flex;gap:0.5rem;flex-wrap:wrap">
            {Tone::ALL
                .into_iter()
                .map(|tone| view! { <Badge tone>{tone.as_str()}</Badge> })
                .collect_view()}
        </div>
    }
    .into_any()
}
