//! `MediaGallery`: a main image and a row of thumbnail buttons. Arrow keys, Home and End move
//! between thumbnails (roving tabindex, one tab stop) and show the focused image; previous and
//! next buttons do the same for pointer users. Never fetches media: it receives the list.

use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, KeyboardEvent};

use crate::a11y::roving_target;
use crate::icon::IconName;
use crate::icon_button::IconButton;
use crate::image::Image;
use crate::util::{mount_style, with_extra_class};

#[cfg(feature = "stories")]
pub(crate) mod story;

/// One picture in a [`MediaGallery`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MediaItem {
    /// Full-size URL.
    pub src: String,
    /// Thumbnail URL; the full-size URL when absent.
    pub thumbnail_src: Option<String>,
    /// Alternative text.
    pub alt: String,
    /// Intrinsic width in pixels.
    pub width: u32,
    /// Intrinsic height in pixels.
    pub height: u32,
}

/// A product image gallery.
#[component]
pub fn MediaGallery(
    /// Extra classes.
    #[prop(into, optional)]
    class: MaybeProp<String>,
    /// The pictures.
    #[prop(into)]
    items: Signal<Vec<MediaItem>>,
    /// Accessible name of the gallery, for example the product name.
    #[prop(into)]
    label: Signal<String>,
    /// The shown picture's index; a gallery-local signal when absent.
    #[prop(optional)]
    selected: Option<RwSignal<usize>>,
) -> impl IntoView {
    mount_style("media-gallery", include_str!("style.css"));
    let selected = selected.unwrap_or_else(|| RwSignal::new(0));
    let thumbnails_ref = NodeRef::<html::Div>::new();
    let count = move || items.with(Vec::len);
    let current = move || {
        let index = selected.get();
        items.with(|items| items.get(index).or_else(|| items.first()).cloned())
    };
    let focus_thumbnail = move |index: usize| {
        let Some(list) = thumbnails_ref.get_untracked() else {
            return;
        };
        if let Ok(thumbnails) = list.query_selector_all(".ts-media-gallery__thumb")
            && let Some(thumbnail) = thumbnails.item(index as u32)
            && let Ok(thumbnail) = thumbnail.dyn_into::<HtmlElement>()
        {
            let _ = thumbnail.focus();
        }
    };
    let handle_keydown = move |event: KeyboardEvent| {
        if let Some(target) = roving_target(&event.key(), selected.get_untracked(), count()) {
            event.prevent_default();
            selected.set(target);
            focus_thumbnail(target);
        }
    };
    let step = move |forward: bool| {
        let total = count();
        if total == 0 {
            return;
        }
        selected.update(|index| {
            *index = if forward {
                (*index + 1) % total
            } else {
                (*index + total - 1) % total
            };
        });
    };
    let gallery_class = with_extra_class("ts-media-gallery", class);
    view! {
        <section class=gallery_class aria-label=move || label.get()>
            <div class="ts-media-gallery__stage">
                {move || {
                    current()
                        .map(|item| {
                            view! {
                                <Image
                                    src=item.src
                                    alt=item.alt
                                    width=item.width
                                    height=item.height
                                    priority=true
                                />
                            }
                        })
                }}
                <Show when=move || { count() > 1 }>
                    <IconButton
                        class="ts-media-gallery__previous"
                        icon=IconName::ChevronLeft
                        label="Previous image"
                        variant=crate::button::ButtonVariant::Secondary
                        on_click=move |_| step(false)
                    />
                    <IconButton
                        class="ts-media-gallery__next"
                        icon=IconName::ChevronRight
                        label="Next image"
                        variant=crate::button::ButtonVariant::Secondary
                        on_click=move |_| step(true)
                    />
                </Show>
            </div>
            <p class="ts-visually-hidden" aria-live="polite">
                {move || format!("Image {} of {}", selected.get() + 1, count())}
            </p>
            <div
                class="ts-media-gallery__thumbs"
                role="group"
                aria-label="Choose image"
                node_ref=thumbnails_ref
                on:keydown=handle_keydown
            >
                {move || {
                    items
                        .get()
                        .into_iter()
                        .enumerate()
                        .map(|(index, item)| {
                            let is_selected = move || selected.get() == index;
                            let thumbnail = item.thumbnail_src.clone().unwrap_or(item.src.clone());
                            let total = count();
                            view! {
                                <button
                                    type="button"
                                    class="ts-media-gallery__thumb"
                                    aria-label=format!("Image {} of {}: {}", index + 1, total, item.alt)
                                    aria-current=move || is_selected().then_some("true")
                                    tabindex=move || if is_selected() { "0" } else { "-1" }
                                    on:click=move |_| selected.set(index)
                                >
                                    <img src=thumbnail alt="" width="64" height="64" loading="lazy"/>
                                </button>
                            }
                        })
                        .collect_view()
                }}
            </div>
        </section>
    }
}
