//! Stories of `EmptyState`. Gallery only.

use leptos::prelude::*;

use super::EmptyState;
use crate::button::Button;
use crate::stories::{ComponentStories, Control, Story, StoryControls};

pub(crate) static STORIES: ComponentStories = ComponentStories::new("EmptyState", "empty-state")
    .about("Nothing here yet, and what to do next.")
    .controls(&[
        Control::text("title", "Title", "Your cart is empty"),
        Control::text(
            "description",
            "Description",
            "Find something you like and it will wait here.",
        ),
    ])
    .stories(&[Story::new("Empty cart", "empty-cart", render)
        .about("With an action.")
        .snippet(
            r#"<EmptyState title="Your cart is empty" description="Find something you like.">
    <Button>"Continue shopping"</Button>
</EmptyState>"#,
        )]);

fn render(controls: StoryControls) -> AnyView {
    let description = controls.text("description");
    view! {
        <EmptyState title=controls.text("title") description=Signal::derive(move || Some(description.get()))>
            <Button>"Continue shopping"</Button>
        </EmptyState>
    }
    .into_any()
}
