//! Stories of `Badge`. Gallery only.

use leptos::prelude::*;

use super::{Badge, Tone};
use crate::stories::{ComponentStories, Control, Story, StoryControls};

pub(crate) const TONE_NAMES: &[&str] = &["neutral", "info", "success", "warning", "danger"];

pub(crate) static STORIES: ComponentStories = ComponentStories::new("Badge", "badge")
    .about("A short status label; the words carry the meaning.")
    .controls(&[
        Control::text("text", "Text", "New"),
        Control::choice("tone", "Tone", TONE_NAMES, "neutral"),
    ])
    .stories(&[
        Story::new("Neutral", "neutral", render)
            .about("Plain label.")
            .snippet(r#"<Badge>"New"</Badge>"#),
        Story::new("Success", "success", render)
            .about("In stock.")
            .presets(&[("tone", "success"), ("text", "In stock")])
            .snippet(r#"<Badge tone=Tone::Success>"In stock"</Badge>"#),
        Story::new("Warning", "warning", render)
            .about("Low stock.")
            .presets(&[("tone", "warning"), ("text", "Only 2 left")])
            .snippet(r#"<Badge tone=Tone::Warning>"Only 2 left"</Badge>"#),
        Story::new("All tones", "all-tones", render_all)
            .about("Every tone side by side.")
            .snippet(r#"<Badge tone=Tone::Danger>"Sold out"</Badge>"#),
    ]);

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
