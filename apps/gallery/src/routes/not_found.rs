//! The page for an unknown component or story. Never redirects silently: a broken deep link
//! should be visible.

use design_system::EmptyState;
use leptos::prelude::*;

/// Unknown path.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! {
        <h1>"Not found"</h1>
        <EmptyState title="No such component or story" description="Pick one from the navigation."/>
    }
}
