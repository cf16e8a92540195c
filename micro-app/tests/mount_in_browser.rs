//! The mount contract in headless Chromium: props reach the app, unmount removes its DOM and runs
//! its cleanups, bad props are refused with an error instead of a half-mounted app, and a live app
//! takes new props in place while a fixed one asks to be mounted afresh.
#![cfg(target_arch = "wasm32")]

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use leptos::prelude::*;
use micro_app::{mount_app, mount_live_app};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[derive(Clone)]
struct Props {
    name: String,
}

json_codec::object_codec!(Props { name: "name" });

fn slot() -> web_sys::HtmlElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let element = document
        .create_element("div")
        .unwrap()
        .dyn_into::<web_sys::HtmlElement>()
        .unwrap();
    document.body().unwrap().append_child(&element).unwrap();
    element
}

fn props(json: &str) -> wasm_bindgen::JsValue {
    js_sys::JSON::parse(json).unwrap()
}

#[wasm_bindgen_test]
async fn props_reach_the_app_and_unmount_cleans_up() {
    let element = slot();
    // on_cleanup needs Send + Sync, hence an atomic rather than a Cell.
    let cleaned = Arc::new(AtomicBool::new(false));
    let flag = cleaned.clone();
    let mut handle = mount_app(
        element.clone(),
        props(r#"{"name":"Ada"}"#),
        move |props: Props| {
            let flag = flag.clone();
            on_cleanup(move || flag.store(true, Ordering::SeqCst));
            view! { <p class="greeting">"Hello " {props.name}</p> }
        },
    )
    .unwrap();
    leptos::task::tick().await;
    assert_eq!(element.text_content().unwrap(), "Hello Ada");
    assert!(handle.mounted());
    handle.unmount();
    assert_eq!(element.inner_html(), "", "the app's DOM is gone");
    assert!(cleaned.load(Ordering::SeqCst), "the app's cleanups ran");
    assert!(!handle.mounted());
    handle.unmount();
}

#[wasm_bindgen_test]
fn bad_props_are_an_error_and_mount_nothing() {
    let element = slot();
    let result = mount_app(
        element.clone(),
        props(r#"{"nom":"Ada"}"#),
        |props: Props| view! { <p>{props.name}</p> },
    );
    let error = result.err().expect("missing field is refused");
    assert!(
        js_sys::Error::from(error)
            .message()
            .as_string()
            .unwrap()
            .contains("invalid props")
    );
    assert_eq!(element.inner_html(), "");
}

#[wasm_bindgen_test]
async fn a_live_app_takes_new_props_keeping_its_dom() {
    let element = slot();
    let mut handle = mount_live_app(
        element.clone(),
        props(r#"{"name":"Ada"}"#),
        |props: Signal<Props>| view! { <p>"Hello " {move || props.get().name}</p> },
    )
    .unwrap();
    leptos::task::tick().await;
    let paragraph = element.first_element_child().unwrap();
    assert!(handle.update(props(r#"{"name":"Grace"}"#)).unwrap());
    leptos::task::tick().await;
    assert_eq!(element.text_content().unwrap(), "Hello Grace");
    assert!(
        element
            .first_element_child()
            .unwrap()
            .is_same_node(Some(&paragraph)),
        "the same element, updated in place"
    );
    assert!(handle.update(props(r#"{"nom":"x"}"#)).is_err());
    handle.unmount();
    assert!(!handle.update(props(r#"{"name":"Linus"}"#)).unwrap());
}

#[wasm_bindgen_test]
fn an_app_with_fixed_props_asks_to_be_mounted_afresh() {
    let handle = mount_app(
        slot(),
        props(r#"{"name":"Ada"}"#),
        |props: Props| view! { <p>{props.name}</p> },
    )
    .unwrap();
    assert!(!handle.update(props(r#"{"name":"Grace"}"#)).unwrap());
}

// The macro a micro app uses, expanded here exactly as in an app crate.
micro_app::export_mount!(|props: Props| view! { <p>"Exported " {props.name}</p> });

#[wasm_bindgen_test]
async fn the_exported_mount_is_what_the_shell_calls() {
    let element = slot();
    let mut handle = mount(element.clone(), props(r#"{"name":"Grace"}"#)).unwrap();
    leptos::task::tick().await;
    assert_eq!(element.text_content().unwrap(), "Exported Grace");
    handle.unmount();
    assert_eq!(element.inner_html(), "");
}
