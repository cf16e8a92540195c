//! Stories of `Icon`: the whole set. Gallery only.

use leptos::prelude::*;

use super::{Icon, IconName};
use crate::stories::{ComponentStories, Control, Story, StoryControls};

pub(crate) static STORIES: ComponentStories = ComponentStories::new("Icon", "icon")
    .about("Decorative or labelled icons drawn in the current text colour.")
    .controls(&[Control::text(
        "label",
        "Accessible label (empty = decorative)",
        "",
    )])
    .stories(&[Story::new("All icons", "all", render)
        .about("Every built-in icon.")
        .snippet(r#"<Icon name=IconName::Bag label="Cart"/>"#)]);

fn render(controls: StoryControls) -> AnyView {
    let label = controls.text("label");
    let label = Signal::derive(move || Some(label.get()).filter(|label| !label.is_empty()));
    view! {
        <ul style="display:flex;gap:1rem;list-style:none;padding:0;flex-wrap:wrap">
            {IconName::ALL
                .into_iter()
                .map(|name| {
                    view! {
                        <li style="display:flex;flex-direction:column;align-items:center">
                            <Icon name label=label/>
                            <span>{name.as_str()}</span>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}
