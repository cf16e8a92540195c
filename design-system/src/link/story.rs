//! Stories of `Link`. Gallery only.

use leptos::prelude::*;

use super::Link;
use crate::stories::{ComponentStories, Control, Story, StoryControls};

pub(crate) static STORIES: ComponentStories = ComponentStories {
    name: "Link",
    slug: "link",
    description: "Navigates somewhere; use Button for actions.",
    controls: &[
        Control::text("text", "Text", "Delivery and returns"),
        Control::text("href", "Href", "#delivery"),
        Control::boolean("external", "External", false),
    ],
    stories: &[
        Story {
            name: "Default",
            slug: "default",
            description: "An in-page link.",
            presets: &[],
            render,
            snippet: r##"<Link href="#delivery">"Delivery and returns"</Link>"##,
        },
        Story {
            name: "External",
            slug: "external",
            description: "Opens a new tab and announces it.",
            presets: &[
                ("external", "true"),
                ("href", "https://example.com/"),
                ("text", "Size guide"),
            ],
            render,
            snippet: r#"<Link href="https://example.com/" external=true>"Size guide"</Link>"#,
        },
    ],
};

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
