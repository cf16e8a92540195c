//! `/gallery/`: what the gallery is and every component with its story count.
//! Never renders stories.

use design_system::all_components;
use leptos::prelude::*;

use crate::state::use_carried_query;

/// The gallery's home page.
#[component]
pub fn IndexPage() -> impl IntoView {
    let carried_query = use_carried_query();
    let components = all_components();
    let story_count: usize = components
        .iter()
        .map(|component| component.stories.len())
        .sum();
    view! {
        <h1>"Tessera design system"</h1>
        <p>
            {format!("{} components, {story_count} stories. ", components.len())}
            "Pick a story to change its props live, switch the theme and try viewport widths."
        </p>
        <ul class="gallery__cards">
            {components
                .into_iter()
                .map(|component| {
                    let href = format!("/gallery/{}", component.slug);
                    view! {
                        <li class="gallery__card">
                            <a href=move || format!("{href}{}", carried_query.get())>{component.name}</a>
                            <p>{component.description}</p>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}
