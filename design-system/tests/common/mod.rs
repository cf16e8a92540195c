//! Shared fixtures of the browser tests: a fresh mount point per test, waiting for effects to
//! settle, dispatching keyboard events and querying the mounted DOM.
//! Never asserts anything itself.

#![allow(dead_code)]

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, KeyboardEvent, KeyboardEventInit};

/// A new `<div>` appended to the body, so tests never see each other's DOM.
pub fn fresh_container() -> HtmlElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let container: HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&container).unwrap();
    container
}

/// Lets the reactive system run its effects and the browser run its tasks.
pub async fn settle() {
    leptos::task::tick().await;
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 10)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
    leptos::task::tick().await;
}

/// The first element matching `selector` inside `root`; panics with the selector otherwise.
pub fn find(root: &Element, selector: &str) -> HtmlElement {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no element matches {selector}"))
        .unchecked_into()
}

/// Every element matching `selector` inside `root`.
pub fn find_all(root: &Element, selector: &str) -> Vec<HtmlElement> {
    let nodes = root.query_selector_all(selector).unwrap();
    (0..nodes.length())
        .map(|index| nodes.item(index).unwrap().unchecked_into())
        .collect()
}

/// Dispatches a bubbling, cancelable `keydown` for `key` on `target`.
pub fn press_key(target: &Element, key: &str, shift: bool) {
    let init = KeyboardEventInit::new();
    init.set_key(key);
    init.set_bubbles(true);
    init.set_cancelable(true);
    init.set_shift_key(shift);
    let event = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    target.dispatch_event(&event).unwrap();
}

/// The element that has focus.
pub fn focused() -> Option<Element> {
    web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .active_element()
}
