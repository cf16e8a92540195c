//! `Image`: a lazily loaded `<img>` whose box is reserved up front (width and height, or an
//! aspect ratio) so nothing shifts while it loads, with a token-coloured placeholder until the
//! pixels arrive and a quiet fallback when they never do. Never resizes or proxies images.

use leptos::prelude::*;

use crate::util::{class_names, mount_style};

#[cfg(feature = "stories")]
pub(crate) mod story;

/// An image that reserves its space.
#[component]
pub fn Image(
    /// Extra classes.
    #[prop(into, optional)]
    class: MaybeProp<String>,
    /// The image URL.
    #[prop(into)]
    src: Signal<String>,
    /// Alternative text; empty for decorative images.
    #[prop(into)]
    alt: Signal<String>,
    /// Intrinsic width in pixels; with `height` it fixes the aspect ratio.
    #[prop(into, optional)]
    width: MaybeProp<u32>,
    /// Intrinsic height in pixels.
    #[prop(into, optional)]
    height: MaybeProp<u32>,
    /// A CSS aspect ratio such as "4 / 3", when width and height are unknown.
    #[prop(into, optional)]
    aspect_ratio: MaybeProp<String>,
    /// Loads eagerly with high priority: for the one largest image above the fold.
    #[prop(into, optional)]
    priority: Signal<bool>,
    /// The `srcset` attribute.
    #[prop(into, optional)]
    srcset: MaybeProp<String>,
    /// The `sizes` attribute.
    #[prop(into, optional)]
    sizes: MaybeProp<String>,
) -> impl IntoView {
    mount_style("image", include_str!("style.css"));
    // Drawn by a server-side renderer, the picture shows at once (the browser loads it before any
    // script runs); in the browser it fades in once loaded.
    let loaded = RwSignal::new(cfg!(feature = "ssr"));
    let failed = RwSignal::new(false);
    let image = NodeRef::<leptos::html::Img>::new();
    // A picture that finished loading before this code ran (the edge's markup being hydrated, or
    // a cached one) fires no `load` event any more: ask it.
    Effect::new(move |_| {
        if let Some(image) = image.get()
            && image.complete()
            && image.natural_width() > 0
        {
            loaded.set(true);
        }
    });
    // A new source starts a new load: show the placeholder again. The first run only records
    // the source, because a fast (cached) load may already have finished by then.
    Effect::new(move |previous_src: Option<String>| {
        let current_src = src.get();
        if previous_src.is_some_and(|previous_src| previous_src != current_src) {
            loaded.set(false);
            failed.set(false);
        }
        current_src
    });
    let ratio = move || {
        aspect_ratio
            .get()
            .filter(|ratio| !ratio.is_empty())
            .or_else(|| match (width.get(), height.get()) {
                (Some(width), Some(height)) if height > 0 => Some(format!("{width} / {height}")),
                _ => None,
            })
    };
    let frame_class = move || {
        let extra = class.get();
        class_names([
            Some("ts-image"),
            loaded.get().then_some("ts-image--loaded"),
            failed.get().then_some("ts-image--failed"),
            extra.as_deref(),
        ])
    };
    view! {
        <span class=frame_class style=move || ratio().map(|ratio| format!("aspect-ratio:{ratio}"))>
            <img
                node_ref=image
                class="ts-image__img"
                src=move || src.get()
                alt=move || alt.get()
                width=move || width.get()
                height=move || height.get()
                srcset=move || srcset.get()
                sizes=move || sizes.get()
                loading=move || if priority.get() { "eager" } else { "lazy" }
                fetchpriority=move || priority.get().then_some("high")
                decoding="async"
                on:load=move |_| loaded.set(true)
                on:error=move |_| failed.set(true)
            />
        </span>
    }
}
