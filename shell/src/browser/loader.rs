//! Loading one release into a slot: its stylesheet, glue and wasm with integrity, instantiation,
//! and `mount(element, props)`. Each phase is timed for the load-timing beacons; every failure
//! (404, timeout, integrity mismatch, instantiation error, a panic in `mount`) comes back as a
//! `Failure` naming its phase instead of escaping.

use js_sys::{Function, Promise};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::dom::{self, get};
use super::manifest::Choice;
use super::telemetry;

#[wasm_bindgen(module = "/src/shell.js")]
extern "C" {
    #[wasm_bindgen(js_name = importModule)]
    fn import_module(url: &str) -> Promise;
    #[wasm_bindgen(js_name = withDeadline)]
    fn with_deadline(promise: &Promise, millis: u32, what: &str) -> Promise;
}

/// A slow network gets this long per phase before the slot gives up and shows its fallback.
const PHASE_DEADLINE_MS: u32 = 15_000;

pub struct Failure {
    pub phase: &'static str,
    pub message: String,
}

fn failed(phase: &'static str) -> impl Fn(JsValue) -> Failure {
    move |error| Failure {
        phase,
        message: dom::message_of(&error),
    }
}

async fn settle(promise: Promise, what: &str) -> Result<JsValue, JsValue> {
    JsFuture::from(with_deadline(&promise, PHASE_DEADLINE_MS, what)).await
}

fn add_stylesheet(app: &str, css: &super::manifest::FileRef) {
    let document = dom::document();
    let selector = ["link[data-app-style=\"", app, "\"]"].concat();
    if let Ok(Some(existing)) = document.query_selector(&selector) {
        if existing.get_attribute("href").as_deref() == Some(css.url.as_str()) {
            return;
        }
        existing.remove();
    }
    let Ok(link) = document.create_element("link") else {
        return;
    };
    for (name, value) in [
        ("rel", "stylesheet"),
        ("href", css.url.as_str()),
        ("integrity", css.integrity.as_str()),
        ("data-app-style", app),
    ] {
        let _ = link.set_attribute(name, value);
    }
    if let Some(head) = document.head() {
        let _ = head.append_child(&link);
    }
}

/// Loads and mounts `choice` into a fresh element inside `slot`; returns the app's handle.
pub async fn load(
    slot: &web_sys::HtmlElement,
    app: &str,
    choice: &Choice,
    props: &JsValue,
) -> Result<JsValue, Failure> {
    let started = dom::now();
    if let Some(css) = &choice.css {
        add_stylesheet(app, css);
    }
    // Glue and wasm download in parallel; the import is checked by the import map's integrity,
    // the wasm by fetch's.
    let module = import_module(&choice.js.url);
    let init = web_sys::RequestInit::new();
    init.set_integrity(&choice.wasm.integrity);
    let wasm = dom::window().fetch_with_str_and_init(&choice.wasm.url, &init);
    let module = settle(module, "loading the module")
        .await
        .map_err(failed("fetch"))?;
    let response: web_sys::Response = settle(wasm, "loading the wasm")
        .await
        .and_then(|response| response.dyn_into())
        .map_err(failed("fetch"))?;
    if !response.ok() {
        return Err(Failure {
            phase: "fetch",
            message: [
                choice.wasm.url.as_str(),
                ": HTTP ",
                &dom::number_text(f64::from(response.status())),
            ]
            .concat(),
        });
    }
    let fetched = dom::now();
    telemetry::load_timing(app, &choice.release_id, "fetch", fetched - started);

    let init_options: JsValue = js_sys::Object::new().into();
    dom::set(&init_options, "module_or_path", response);
    let instantiate: Function = get(&module, "default").dyn_into().map_err(|_| Failure {
        phase: "instantiate",
        message: "the module has no init function".into(),
    })?;
    let instantiating: Promise = instantiate
        .call1(&module, &init_options)
        .and_then(|promise| promise.dyn_into())
        .map_err(failed("instantiate"))?;
    settle(instantiating, "instantiating")
        .await
        .map_err(failed("instantiate"))?;
    let instantiated = dom::now();
    telemetry::load_timing(
        app,
        &choice.release_id,
        "instantiate",
        instantiated - fetched,
    );

    let element = dom::document()
        .create_element("div")
        .map_err(failed("mount"))?;
    element.set_class_name("ts-shell__app");
    let _ = element.set_attribute("data-app", app);
    let _ = element.set_attribute("data-release", &choice.release_id);
    slot.replace_children_with_node_1(&element);
    let mount: Function = get(&module, "mount").dyn_into().map_err(|_| Failure {
        phase: "mount",
        message: "the module exports no mount(element, props)".into(),
    })?;
    // A panic in the app's mount arrives here as a thrown RuntimeError, like any other throw.
    let handle = mount
        .call2(&JsValue::NULL, &element, props)
        .map_err(failed("mount"))?;
    let mounted = dom::now();
    telemetry::load_timing(app, &choice.release_id, "mount", mounted - instantiated);
    telemetry::load_timing(app, &choice.release_id, "total", mounted - started);
    Ok(handle)
}

/// Calls the handle's `unmount()`; an app that throws while leaving is reported, not fatal.
pub fn unmount(app: &str, handle: &JsValue) {
    if let Ok(unmount) = get(handle, "unmount").dyn_into::<Function>()
        && let Err(error) = unmount.call0(handle)
    {
        telemetry::error(app, None, &dom::message_of(&error), "unmount");
    }
}
