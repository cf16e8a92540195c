//! `/gallery/<component>/<story>`: one story in its preview frame at the chosen viewport width,
//! with the live controls and the usage snippet. A new route builds fresh control values from
//! the story's presets. Never keeps control values across stories.

use design_system::{ComponentStories, Story, StoryControls, find_component};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::components::{ControlPanel, Snippet};
use crate::routes::NotFoundPage;
use crate::state::{use_carried_query, use_viewport_width};

/// One story with its controls.
#[component]
pub fn StoryPage() -> impl IntoView {
    let params = use_params_map();
    move || {
        let (component_slug, story_slug) = params.with(|params| {
            (
                params.get("component").unwrap_or_default(),
                params.get("story").unwrap_or_default(),
            )
        });
        let found = find_component(&component_slug).and_then(|component| {
            component
                .stories
                .iter()
                .find(|story| story.slug == story_slug)
                .map(|story| (component, story))
        });
        match found {
            Some((component, story)) => view! { <StoryView component story/> }.into_any(),
            None => view! { <NotFoundPage/> }.into_any(),
        }
    }
}

/// The story's preview, controls and snippet; also mounted directly by tests.
#[component]
pub fn StoryView(
    /// The component the story belongs to.
    component: &'static ComponentStories,
    /// The story.
    story: &'static Story,
) -> impl IntoView {
    let values = StoryControls::new(component.controls, story);
    let viewport_width = use_viewport_width();
    let carried_query = use_carried_query();
    let frame_style = move || match viewport_width.get() {
        0 => String::new(),
        width => format!("width:{width}px"),
    };
    let component_href = format!("/gallery/{}", component.slug);
    view! {
        <p class="gallery__breadcrumb">
            <a href=move || format!("{component_href}{}", carried_query.get())>{component.name}</a>
        </p>
        <h1>{format!("{}: {}", component.name, story.name)}</h1>
        <p>{story.description}</p>
        <section class="gallery__preview-frame" aria-label="Preview" style=frame_style>
            <div class="gallery__preview" data-story-preview=format!("{}/{}", component.slug, story.slug)>
                {(story.render)(values)}
            </div>
        </section>
        <div class="gallery__panels">
            <section aria-labelledby="gallery-controls-heading">
                <h2 id="gallery-controls-heading">"Controls"</h2>
                <ControlPanel controls=component.controls values/>
            </section>
            <section aria-labelledby="gallery-usage-heading">
                <h2 id="gallery-usage-heading">"Usage"</h2>
                <Snippet code=story.snippet/>
            </section>
        </div>
    }
}
