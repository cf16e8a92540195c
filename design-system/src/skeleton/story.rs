//! Stories of `Skeleton`. Gallery only.

use leptos::prelude::*;

use super::{Skeleton, SkeletonShape};
use crate::stories::{ComponentStories, Control, Story, StoryControls};

pub(crate) static STORIES: ComponentStories = ComponentStories::new("Skeleton", "skeleton")
    .about("Placeholder that keeps the layout while content loads.")
    .controls(&[
        Control::choice("shape", "Shape", &["text", "rect", "circle"], "text"),
        Control::text("width", "Width", "60%"),
    ])
    .stories(&[
        Story::new("Text line", "text", render)
            .about("One line.")
            .snippet(r#"<Skeleton width="60%"/>"#),
        Story::new("Product card", "product-card", render_card)
            .about("Image, title and price placeholders together.")
            .snippet(
                r#"<div aria-busy="true">
    <span class="ts-visually-hidden">"Loading product"</span>
    <Skeleton shape=SkeletonShape::Rect/>
    <Skeleton width="80%"/>
    <Skeleton width="30%"/>
</div>"#,
            ),
    ]);

fn render(controls: StoryControls) -> AnyView {
    let width = controls.text("width");
    view! {
        <Skeleton
            shape=controls.choice("shape", &SkeletonShape::ALL, SkeletonShape::as_str)
            width=Signal::derive(move || Some(width.get()))
        />
    }
    .into_any()
}

fn render_card(_controls: StoryControls) -> AnyView {
    view! {
        <div style="max-width:16rem" aria-busy="true">
            <span class="ts-visually-hidden">"Loading product"</span>
            <Skeleton shape=SkeletonShape::Rect/>
            <Skeleton width="80%"/>
            <Skeleton width="30%"/>
        </div>
    }
    .into_any()
}
