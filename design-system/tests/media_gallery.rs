//! MediaGallery keyboard: arrow keys, Home and End move selection and focus between thumbnails
//! with a single tab stop.
#![cfg(target_arch = "wasm32")]

mod common;

use common::{find_all, focused, fresh_container, press_key, settle};
use design_system::{MediaGallery, MediaItem};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn items(count: usize) -> Vec<MediaItem> {
    (0..count)
        .map(|index| MediaItem {
            src: format!("data:image/gif;base64,R0lGODlhAQABAAAAACw=#{index}"),
            thumbnail_src: None,
            alt: format!("View {}", index + 1),
            width: 4,
            height: 3,
        })
        .collect()
}

#[wasm_bindgen_test]
async fn arrow_keys_move_between_thumbnails() {
    let container = fresh_container();
    let selected = RwSignal::new(0usize);
    let _handle = leptos::mount::mount_to(container.clone(), move || {
        view! { <MediaGallery label="Mug" items=items(4) selected/> }
    });
    settle().await;
    let thumbnails = || find_all(&container, ".ts-media-gallery__thumb");
    let tab_stops = || {
        thumbnails()
            .iter()
            .filter(|thumb| thumb.get_attribute("tabindex").as_deref() == Some("0"))
            .count()
    };
    assert_eq!(thumbnails().len(), 4);
    assert_eq!(tab_stops(), 1, "exactly one thumbnail is in the tab order");

    thumbnails()[0].focus().unwrap();
    press_key(&thumbnails()[0], "ArrowRight", false);
    settle().await;
    assert_eq!(selected.get_untracked(), 1);
    let current = thumbnails()[1].clone();
    assert_eq!(
        current.get_attribute("aria-current").as_deref(),
        Some("true")
    );
    assert_eq!(current.get_attribute("tabindex").as_deref(), Some("0"));
    assert_eq!(
        focused().as_ref(),
        Some(current.unchecked_ref::<web_sys::Element>())
    );
    assert_eq!(tab_stops(), 1);

    press_key(&current, "End", false);
    settle().await;
    assert_eq!(selected.get_untracked(), 3);
    press_key(&thumbnails()[3], "ArrowRight", false);
    settle().await;
    assert_eq!(
        selected.get_untracked(),
        0,
        "ArrowRight on the last wraps to the first"
    );
    press_key(&thumbnails()[0], "ArrowLeft", false);
    settle().await;
    assert_eq!(
        selected.get_untracked(),
        3,
        "ArrowLeft on the first wraps to the last"
    );
    press_key(&thumbnails()[3], "Home", false);
    settle().await;
    assert_eq!(selected.get_untracked(), 0);

    // The main image follows the selection.
    let stage_image = container
        .query_selector(".ts-media-gallery__stage img")
        .unwrap()
        .unwrap();
    assert_eq!(stage_image.get_attribute("alt").as_deref(), Some("View 1"));
    let live = find_all(&container, "[aria-live=polite]");
    assert_eq!(live[0].text_content().unwrap(), "Image 1 of 4");
}
