//! Stories of `Link`. Gallery only.

use leptos::prelude::*;

use super::Link;
use crate::stories::{ComponentStories, Control, Story, StoryControls};

pub(crate) static STORIES: ComponentStories = ComponentStories::new("Link", "link")
    .about("Navigates somewhere; use Button for actions.")
    .controls(&[
        Control::text("text", "Text", "Delivery and returns"),
        Control::text("href", "Href", "#delivery"),
        Control::boolean("external", "External", false),
    ])
    .stories(&[
        Story::new("Default", "default", render)
            .about("An in-page link.")
            .snippet(r##"<Link href="#delivery">"Delivery and returns"</Link>"##),
        Story::new("External", "external", render)
            .about("Opens a new tab and announces it.")
            .presets(&[
                ("external", "true"),
                ("href", "https://example.com/"),
                ("text", "Size guide"),
            ])
            .snippet(r#"<Link href="https://example.com/" external=true>"Size guide"</Link>"#),
    ]);

fn render(controls: StoryControls) -> AnyView {
    let text = controls.text("text");
    view! {
        <p>
            "Read our " <Link href=controls.text("href") external=controls.flag("external")>
                {move || text.get()}
            </Link> " before ordering."
        </p>
    }
    .into_any()
}
