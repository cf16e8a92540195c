//! Small helpers over `js_sys::Reflect` and the window, so the rest reads as intent.

use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;

// `expect_throw` rather than `expect`: no formatting code in the shell.
pub fn window() -> web_sys::Window {
    web_sys::window().expect_throw("the shell runs in a window")
}

pub fn document() -> web_sys::Document {
    window().document().expect_throw("a window has a document")
}

/// A number as JavaScript prints it.
pub fn number_text(number: f64) -> String {
    js_sys::Number::from(number)
        .to_string_with_radix(10)
        .map(String::from)
        .unwrap_or_default()
}

pub fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

pub fn get(object: &JsValue, key: &str) -> JsValue {
    Reflect::get(object, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

pub fn text(object: &JsValue, key: &str) -> Option<String> {
    get(object, key).as_string()
}

pub fn number(object: &JsValue, key: &str) -> Option<f64> {
    get(object, key).as_f64()
}

pub fn set(object: &JsValue, key: &str, value: impl Into<JsValue>) {
    let _ = Reflect::set(object, &key.into(), &value.into());
}

pub fn props_object(props: &[(&str, String)]) -> JsValue {
    let object: JsValue = Object::new().into();
    for (name, value) in props {
        set(&object, name, value.as_str());
    }
    object
}

pub fn now() -> f64 {
    window()
        .performance()
        .map_or(0.0, |performance| performance.now())
}

/// ISO 8601 of the current time, as beacons carry it.
pub fn timestamp() -> String {
    js_sys::Date::new_0().to_iso_string().into()
}

/// The message of a thrown value: an `Error`'s message, or the value as text.
pub fn message_of(error: &JsValue) -> String {
    text(error, "message")
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "unknown error".into())
}
