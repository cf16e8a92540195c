//! `/gallery/<component>`: the component's description and its stories as links.
//! Never renders stories (a page of open modals would trap focus several times).

use design_system::find_component;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::routes::NotFoundPage;
use crate::state::use_carried_query;

/// One component's overview.
#[component]
pub fn ComponentPage() -> impl IntoView {
    let params = use_params_map();
    let carried_query = use_carried_query();
    move || {
        let slug = params
            .with(|params| params.get("component"))
            .unwrap_or_default();
        let Some(component) = find_component(&slug) else {
            return view! { <NotFoundPage/> }.into_any();
        };
        view! {
            <h1>{component.name}</h1>
            <p>{component.description}</p>
            <h2>"Stories"</h2>
            <ul class="gallery__cards">
                {component
                    .stories
                    .iter()
                    .map(|story| {
                        let href = format!("/gallery/{}/{}", component.slug, story.slug);
                        view! {
                            <li class="gallery__card">
                                <a href=move || format!("{href}{}", carried_query.get())>{story.name}</a>
                                <p>{story.description}</p>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
        .into_any()
    }
}
