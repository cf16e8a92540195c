//! The usage snippet block under a story. Focusable so keyboard users can scroll it, labelled
//! so screen readers say what it is. Never highlights syntax (no highlighter in the bundle).

use leptos::prelude::*;

/// A code snippet.
#[component]
pub fn Snippet(
    /// The code.
    code: &'static str,
) -> impl IntoView {
    view! {
        <pre class="gallery__snippet" tabindex="0" aria-label="Usage snippet">
            <code>{code}</code>
        </pre>
    }
}
