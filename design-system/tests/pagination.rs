//! `Pagination` disables what cannot be done and asks its caller for the other page.
#![cfg(target_arch = "wasm32")]

mod common;

use common::{find, find_all, fresh_container, settle};
use design_system::Pagination;
use leptos::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn previous_and_next_move_between_pages_within_bounds() {
    let container = fresh_container();
    let page = RwSignal::new(1_usize);
    let _handle = leptos::mount::mount_to(container.clone(), move || {
        view! {
            <Pagination
                label="Listings pages"
                page
                has_next=Signal::derive(move || page.get() < 2)
                on_previous=Callback::new(move |_| page.update(|page| *page -= 1))
                on_next=Callback::new(move |_| page.update(|page| *page += 1))
            />
        }
    });
    settle().await;
    let nav = find(&container, "nav");
    assert_eq!(
        nav.get_attribute("aria-label").as_deref(),
        Some("Listings pages")
    );
    let buttons = find_all(&container, "button");
    assert!(
        buttons[0].has_attribute("disabled"),
        "no page before the first"
    );
    buttons[1].click();
    settle().await;
    assert_eq!(page.get_untracked(), 2);
    assert!(
        find(&container, ".ts-pagination__page")
            .text_content()
            .unwrap()
            .contains('2')
    );
    let buttons = find_all(&container, "button");
    assert!(
        buttons[1].has_attribute("disabled"),
        "no page after the last"
    );
}
