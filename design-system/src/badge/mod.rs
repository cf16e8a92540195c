//! `Badge`: a short status label ("New", "Low stock") in a tone colour. The text carries the
//! meaning; colour only reinforces it. Never interactive.

mod types;

pub use types::*;

use leptos::prelude::*;

use crate::util::{class_names, mount_style};

#[cfg(feature = "stories")]
pub(crate) mod story;

/// A status badge.
#[component]
pub fn Badge(
    /// Extra classes.
    #[prop(into, optional)]
    class: MaybeProp<String>,
    /// The tone.
    #[prop(into, optional)]
    tone: Signal<Tone>,
    /// The label.
    children: Children,
) -> impl IntoView {
    mount_style("badge", include_str!("style.css"));
    let badge_class = move || {
        let tone_class = format!("ts-badge--{}", tone.get().as_str());
        let extra = class.get();
        class_names([
            Some("ts-badge"),
            Some(tone_class.as_str()),
            extra.as_deref(),
        ])
    };
    view! { <span class=badge_class>{children()}</span> }
}
