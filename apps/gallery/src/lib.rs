//! The design-system gallery: every component with its stories, live prop controls, a theme
//! switcher, viewport presets, a deep link per story (`/gallery/<component>/<story>`) and the
//! usage snippet of each. Served by the server under `/gallery/*` (bundle under
//! `/apps/gallery/`) and standalone by `trunk serve`.
//! Never defines components of its own for shop use: everything shown comes from
//! `design-system`'s story catalogue.

mod components;
mod routes;
mod state;

pub use components::*;
pub use routes::*;
pub use state::*;

use leptos::prelude::*;
use leptos_router::components::{Redirect, Route, Router, Routes};
use leptos_router::path;

/// The whole gallery: router, layout and pages.
#[component]
pub fn App() -> impl IntoView {
    view! {
        <Router>
            <GalleryLayout>
                <Routes fallback=|| view! { <NotFoundPage/> }>
                    <Route path=path!("/") view=|| view! { <Redirect path="/gallery/"/> }/>
                    <Route path=path!("/gallery") view=IndexPage/>
                    <Route path=path!("/gallery/:component") view=ComponentPage/>
                    <Route path=path!("/gallery/:component/:story") view=StoryPage/>
                </Routes>
            </GalleryLayout>
        </Router>
    }
}
