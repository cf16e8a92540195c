//! The document title while a page of an app is on screen. The head belongs to the shell, so a
//! title an app sets goes back to what it was when the page (its reactive owner) goes.

use leptos::prelude::on_cleanup;

use crate::SHOP_NAME;

/// Titles the document "`page` · Tessera" until the calling component is cleaned up.
pub fn page_title(page: &str) {
    let Some(document) = web_sys::window().and_then(|window| window.document()) else {
        return;
    };
    let previous = document.title();
    document.set_title(&format!("{page} · {SHOP_NAME}"));
    on_cleanup(move || {
        if let Some(document) = web_sys::window().and_then(|window| window.document()) {
            document.set_title(&previous);
        }
    });
}
