//! Stories of `Skeleton`. Gallery only.

use leptos::prelude::*;

use super::{Skeleton, SkeletonShape};
use crate::stories::{ComponentStories, Control, Story, StoryControls};

pub(crate) static STORIES: ComponentStories = ComponentStories {
    name: "Skeleton",
    slug: "skeleton",
    description: "Placeholder that keeps the layout while content loads.",
    controls: &[
        Control::choice("shape", "Shape", &["text", "rect", "circle"], "text"),
        Control::text("width", "Width", "60%"),
    ],
    stories: &[
        Story {
            name: "Text line",
            slug: "text",
            description: "One line.",
            presets: &[],
            render,
            snippet: r#"<Skeleton width="60%"/>"#,
        },
        Story {
            name: "Product card",
            slug: "product-card",
            description: "Image, title and price placeholders together.",
            presets: &[],
            render: render_card,
            snippet: r#"<div aria-busy="true">
    <span class="ts-visually-hidden">"Loading product"</span>
    <Skeleton shape=SkeletonShape::Rect/>
    <Skeleton width="80%"/>
    <Skeleton width="30%"/>
</div>"#,
        },
    ],
};

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
