//! `Spinner`: an indeterminate progress indicator with a spoken label ("Loading").
//! Never blocks input: callers decide what is busy.

use leptos::prelude::*;

use crate::button::ButtonSize;
use crate::util::{class_names, mount_style};

#[cfg(feature = "stories")]
pub(crate) mod story;

/// A loading spinner.
#[component]
pub fn Spinner(
    /// Extra classes.
    #[prop(into, optional)]
    class: MaybeProp<String>,
    /// The size (shares `Button`'s scale).
    #[prop(into, optional)]
    size: Signal<ButtonSize>,
    /// What is loading; "Loading" when absent.
    #[prop(into, optional)]
    label: MaybeProp<String>,
) -> impl IntoView {
    mount_style("spinner", include_str!("style.css"));
    let spinner_class = move || {
        let size_class = format!("ts-spinner--{}", size.get().as_str());
        let extra = class.get();
        class_names([
            Some("ts-spinner"),
            Some(size_class.as_str()),
            extra.as_deref(),
        ])
    };
    view! {
        <span class=spinner_class role="status">
            <span class="ts-spinner__circle" aria-hidden="true"></span>
            <span class="ts-visually-hidden">{move || label.get().unwrap_or_else(|| "Loading".to_owned())}</span>
        </span>
    }
}
