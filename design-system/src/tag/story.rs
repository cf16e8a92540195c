//! Stories of `Tag`. Gallery only.

use leptos::prelude::*;

use super::Tag;
use crate::badge::Tone;
use crate::badge::story::TONE_NAMES;
use crate::stories::{ComponentStories, Control, Story, StoryControls};

pub(crate) static STORIES: ComponentStories = ComponentStories::new("Tag", "tag")
    .about("A chosen filter or attribute, optionally removable.")
    .controls(&[
        Control::text("label", "Label", "Size: M"),
        Control::choice("tone", "Tone", TONE_NAMES, "neutral"),
    ])
    .stories(&[
        Story::new("Static", "static", render)
            .about("A read-only tag.")
            .snippet(r#"<Tag label="Size: M"/>"#),
        Story::new("Removable", "removable", render_removable)
            .about("Filters the shopper can remove; each button is labelled.")
            .snippet(r#"<Tag label="Colour: blue" on_remove=move |_| remove_filter("colour")/>"#),
    ]);

fn render(controls: StoryControls) -> AnyView {
    view! { <Tag label=controls.text("label") tone=controls.choice("tone", &Tone::ALL, Tone::as_str)/> }
        .into_any()
}

fn render_removable(controls: StoryControls) -> AnyView {
    let filters = RwSignal::new(vec![
        "Colour: blue".to_owned(),
        "Size: M".to_owned(),
        "Under $50".to_owned(),
    ]);
    let tone = controls.choice("tone", &Tone::ALL, Tone::as_str);
    view! {
        <div style="display:flex;gap:0.5rem;flex-wrap:wrap">
            <For each=move || filters.get() key=|filter| filter.clone() let:filter>
                {
                    let removed = filter.clone();
                    view! {
                        <Tag
                            label=filter
                            tone
                            on_remove=move |_| filters.update(|filters| filters.retain(|f| f != &removed))
                        />
                    }
                }
            </For>
        </div>
    }
    .into_any()
}
