//! `Skeleton`: a pulsing placeholder that holds the size of content still loading, so nothing
//! shifts when it arrives. Hidden from assistive technology: the loading region itself should
//! carry `aria-busy`. Never animates when the shopper asked for reduced motion.

mod types;

pub use types::*;

use leptos::prelude::*;

use crate::util::{class_names, mount_style};

#[cfg(feature = "stories")]
pub(crate) mod story;

/// A loading placeholder.
#[component]
pub fn Skeleton(
    /// Extra classes.
    #[prop(into, optional)]
    class: MaybeProp<String>,
    /// The shape.
    #[prop(into, optional)]
    shape: Signal<SkeletonShape>,
    /// CSS width; 100% when absent.
    #[prop(into, optional)]
    width: MaybeProp<String>,
    /// CSS height; one line of text when absent.
    #[prop(into, optional)]
    height: MaybeProp<String>,
) -> impl IntoView {
    mount_style("skeleton", include_str!("style.css"));
    let skeleton_class = move || {
        let shape_class = format!("ts-skeleton--{}", shape.get().as_str());
        let extra = class.get();
        class_names([
            Some("ts-skeleton"),
            Some(shape_class.as_str()),
            extra.as_deref(),
        ])
    };
    let size = move || {
        let mut style = String::new();
        if let Some(width) = width.get() {
            style.push_str(&format!("width:{width};"));
        }
        if let Some(height) = height.get() {
            style.push_str(&format!("height:{height};"));
        }
        style
    };
    view! { <span class=skeleton_class style=size aria-hidden="true"></span> }
}
