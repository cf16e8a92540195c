//! `Icon`: a small stroked SVG from a fixed set, sized by the font and coloured by
//! `currentColor`. Decorative (hidden from assistive technology) unless given a label.
//! Never loads icon files: the paths are in the binary.

mod types;

pub use types::*;

use leptos::prelude::*;

use crate::util::{mount_style, with_extra_class};

#[cfg(feature = "stories")]
pub(crate) mod story;

/// An icon.
#[component]
pub fn Icon(
    /// Extra classes.
    #[prop(into, optional)]
    class: MaybeProp<String>,
    /// Which icon.
    #[prop(into, optional)]
    name: Signal<IconName>,
    /// Accessible name; without it the icon is decorative.
    #[prop(into, optional)]
    label: MaybeProp<String>,
) -> impl IntoView {
    mount_style("icon", include_str!("style.css"));
    let icon_class = with_extra_class("ts-icon", class);
    view! {
        <svg
            class=icon_class
            viewBox="0 0 24 24"
            role=move || label.get().map(|_| "img")
            aria-label=move || label.get()
            aria-hidden=move || label.get().is_none().then_some("true")
            focusable="false"
        >
            <path d=move || name.get().path()></path>
        </svg>
    }
}
