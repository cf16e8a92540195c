//! Stories of `EmptyState`. Gallery only.

use leptos::prelude::*;

use super::EmptyState;
use crate::button::Button;
use crate::stories::{ComponentStories, Control, Story, StoryControls};

pub(crate) static STORIES: ComponentStories = ComponentStories {
    name: "EmptyState",
    slug: "empty-state",
    description: "Nothing here yet, and what to do next.",
    controls: &[
        Control::text("title", "Title", "Your cart is empty"),
        Control::text(
            "description",
            "Description",
            "Find something you like and it will wait here.",
        ),
    ],
    stories: &[Story {
        name: "Empty cart",
        slug: "empty-cart",
        description: "With an action.",
        presets: &[],
        render,
        snippet: r#"<EmptyState title="Your cart is empty" description="Find something you like.">
    <Button>"Continue shopping"</Button>
</EmptyState>"#,
    }],
};

fn render(controls: StoryControls) -> AnyView {
    let description = controls.text("description");
    view! {
        <EmptyState title=controls.text("title") description=Signal::derive(move || Some(description.get()))>
            <Button>"Continue shopping"</Button>
        </EmptyState>
    }
    .into_any()
}
