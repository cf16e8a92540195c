//! Beacons to `/v1/telemetry/beacons`: exposures, load timings, web vitals and errors, queued and
//! sent in batches (every few seconds, at 20, and when the page is hidden) with `sendBeacon`, which
//! survives the page closing. Errors thrown later by an app's code are attributed to the app whose
//! files the stack points at.

use std::cell::RefCell;

use js_sys::{Array, JSON};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use super::dom::{self, set, text};

#[wasm_bindgen(module = "/src/shell.js")]
extern "C" {
    #[wasm_bindgen(js_name = observeVitals)]
    fn observe_vitals(report: &Closure<dyn FnMut(String, f64)>);
}

const ENDPOINT: &str = "/v1/telemetry/beacons";
const BATCH: u32 = 20;
const FLUSH_EVERY_MS: i32 = 5_000;

struct Queue {
    visitor: String,
    beacons: Array,
}

thread_local! {
    static QUEUE: RefCell<Option<Queue>> = const { RefCell::new(None) };
}

/// Starts batching for `visitor`: the flush timer, the page-hide flush, vitals and error capture.
/// The listeners live as long as the page, like the shell.
pub fn start(visitor: &str) {
    QUEUE.with_borrow_mut(|queue| {
        *queue = Some(Queue {
            visitor: visitor.to_owned(),
            beacons: Array::new(),
        })
    });
    let window = dom::window();
    let flush_closure = Closure::<dyn FnMut()>::new(flush);
    let _ = window.set_interval_with_callback_and_timeout_and_arguments_0(
        flush_closure.as_ref().unchecked_ref(),
        FLUSH_EVERY_MS,
    );
    let on_hidden = Closure::<dyn FnMut()>::new(|| {
        if dom::document().visibility_state() == web_sys::VisibilityState::Hidden {
            flush();
        }
    });
    let _ = dom::document()
        .add_event_listener_with_callback("visibilitychange", on_hidden.as_ref().unchecked_ref());
    let vitals = Closure::<dyn FnMut(String, f64)>::new(|name: String, value: f64| {
        let beacon = beacon("web_vital");
        set(&beacon, "name", name);
        set(&beacon, "value", value);
        push(beacon);
        // Vitals arrive as the page hides: send them now, not on a timer that may never fire.
        flush();
    });
    observe_vitals(&vitals);
    let on_error = Closure::<dyn FnMut(web_sys::ErrorEvent)>::new(|event: web_sys::ErrorEvent| {
        let source = [
            event.filename(),
            dom::number_text(f64::from(event.lineno())),
        ]
        .join(":");
        error(app_of(&source), None, &event.message(), &source);
    });
    let _ = window.add_event_listener_with_callback("error", on_error.as_ref().unchecked_ref());
    let on_rejection = Closure::<dyn FnMut(web_sys::PromiseRejectionEvent)>::new(
        |event: web_sys::PromiseRejectionEvent| {
            let reason = event.reason();
            let stack = text(&reason, "stack").unwrap_or_default();
            error(
                app_of(&stack),
                None,
                &dom::message_of(&reason),
                "unhandledrejection",
            );
        },
    );
    let _ = window.add_event_listener_with_callback(
        "unhandledrejection",
        on_rejection.as_ref().unchecked_ref(),
    );
    // The shell lives as long as the page: these listeners are never removed.
    flush_closure.forget();
    on_hidden.forget();
    vitals.forget();
    on_error.forget();
    on_rejection.forget();
}

/// Release files live under `/releases/<app>/…`; anything else is the shell's own. (A byte
/// search: `str::split` with a string pattern would bring in a substring searcher.)
fn app_of(source: &str) -> &str {
    const MARK: &[u8] = b"/releases/";
    source
        .as_bytes()
        .windows(MARK.len())
        .position(|window| window == MARK)
        .and_then(|at| source.get(at + MARK.len()..))
        .and_then(|rest| rest.split('/').next())
        .filter(|app| !app.is_empty())
        .unwrap_or("shell")
}

fn beacon(kind: &str) -> JsValue {
    let beacon: JsValue = js_sys::Object::new().into();
    set(&beacon, "kind", kind);
    set(&beacon, "at", dom::timestamp());
    beacon
}

fn push(beacon: JsValue) {
    let full = QUEUE.with_borrow(|queue| {
        queue.as_ref().is_some_and(|queue| {
            queue.beacons.push(&beacon);
            queue.beacons.length() >= BATCH
        })
    });
    if full {
        flush();
    }
}

pub fn exposure(app: &str, release_id: &str) {
    let beacon = beacon("exposure");
    set(&beacon, "app", app);
    set(&beacon, "releaseId", release_id);
    push(beacon);
}

pub fn load_timing(app: &str, release_id: &str, phase: &str, millis: f64) {
    let beacon = beacon("load_timing");
    set(&beacon, "app", app);
    set(&beacon, "releaseId", release_id);
    set(&beacon, "phase", phase);
    set(&beacon, "millis", millis.max(0.0));
    push(beacon);
}

pub fn error(app: &str, release_id: Option<&str>, message: &str, source: &str) {
    let beacon = beacon("error");
    set(&beacon, "app", app);
    if let Some(release_id) = release_id.or(current_release(app).as_deref()) {
        set(&beacon, "releaseId", release_id);
    }
    // The contract bounds messages; a panic message can be long.
    set(
        &beacon,
        "message",
        message.chars().take(1000).collect::<String>(),
    );
    set(
        &beacon,
        "source",
        source.chars().take(300).collect::<String>(),
    );
    push(beacon);
    // Errors are what stop conditions act on: do not sit on them.
    flush();
}

/// The release of `app` mounted now, read from its element.
fn current_release(app: &str) -> Option<String> {
    dom::document()
        .query_selector(&[".ts-shell__app[data-app=\"", app, "\"]"].concat())
        .ok()??
        .get_attribute("data-release")
}

pub fn flush() {
    let batch = QUEUE.with_borrow_mut(|queue| {
        let queue = queue.as_mut()?;
        if queue.beacons.length() == 0 {
            return None;
        }
        let batch: JsValue = js_sys::Object::new().into();
        set(&batch, "visitorId", queue.visitor.as_str());
        set(
            &batch,
            "beacons",
            std::mem::replace(&mut queue.beacons, Array::new()),
        );
        Some(batch)
    });
    let Some(json) = batch.and_then(|batch| JSON::stringify(&batch).ok()) else {
        return;
    };
    // A string body is sent as text/plain, which needs no CORS preflight; the server accepts it.
    let _ = dom::window()
        .navigator()
        .send_beacon_with_opt_str(ENDPOINT, Some(&String::from(json)));
}
