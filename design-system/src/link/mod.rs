//! `Link`: an anchor styled for body text, with an external variant that opens a new tab and
//! says so to screen readers. Never intercepts navigation: the shell or app router owns that.

use leptos::prelude::*;

use crate::util::{mount_style, with_extra_class};

#[cfg(feature = "stories")]
pub(crate) mod story;

/// A text link.
#[component]
pub fn Link(
    /// Extra classes.
    #[prop(into, optional)]
    class: MaybeProp<String>,
    /// The destination.
    #[prop(into)]
    href: Signal<String>,
    /// Opens in a new tab with `rel="noopener noreferrer"` and announces it.
    #[prop(into, optional)]
    external: Signal<bool>,
    /// Marks the link as the current page (`aria-current="page"`).
    #[prop(into, optional)]
    current: Signal<bool>,
    /// The link text.
    children: Children,
) -> impl IntoView {
    mount_style("link", include_str!("style.css"));
    let link_class = with_extra_class("ts-link", class);
    view! {
        <a
            class=link_class
            href=move || href.get()
            target=move || external.get().then_some("_blank")
            rel=move || external.get().then_some("noopener noreferrer")
            aria-current=move || current.get().then_some("page")
        >
            {children()}
            {move || {
                external
                    .get()
                    .then(|| view! { <span class="ts-visually-hidden">" (opens in a new tab)"</span> })
            }}
        </a>
    }
}
