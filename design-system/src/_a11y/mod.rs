//! Crate-internal accessibility helpers: finding focusable elements, trapping Tab inside a
//! dialog, returning focus, and roving focus for arrow-key groups.
//! Never exported and never renders anything: components call these from their event handlers.

use leptos::prelude::document;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, KeyboardEvent};

/// Elements that can take keyboard focus, in document order.
const FOCUSABLE: &str = "a[href], button:not([disabled]), input:not([disabled]):not([type=\"hidden\"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex=\"-1\"])";

/// The focusable descendants of `container`, in document order.
pub(crate) fn focusable_elements(container: &Element) -> Vec<HtmlElement> {
    let Ok(nodes) = container.query_selector_all(FOCUSABLE) else {
        return Vec::new();
    };
    (0..nodes.length())
        .filter_map(|index| nodes.item(index))
        .filter_map(|node| node.dyn_into::<HtmlElement>().ok())
        .collect()
}

/// The element that has focus now, so it can get it back when a dialog closes.
pub(crate) fn active_element() -> Option<HtmlElement> {
    document()
        .active_element()
        .and_then(|element| element.dyn_into::<HtmlElement>().ok())
}

/// Keeps Tab and Shift+Tab cycling inside `container`; returns true when it moved focus.
pub(crate) fn trap_tab(container: &Element, event: &KeyboardEvent) -> bool {
    if event.key() != "Tab" {
        return false;
    }
    let focusable = focusable_elements(container);
    let (Some(first), Some(last)) = (focusable.first(), focusable.last()) else {
        event.prevent_default();
        return true;
    };
    let active = active_element();
    let focus_is_inside = active
        .as_ref()
        .is_some_and(|active| container.contains(Some(active)));
    let at_first = active.as_ref() == Some(first);
    let at_last = active.as_ref() == Some(last);
    if event.shift_key() && (at_first || !focus_is_inside) {
        event.prevent_default();
        let _ = last.focus();
        return true;
    }
    if !event.shift_key() && (at_last || !focus_is_inside) {
        event.prevent_default();
        let _ = first.focus();
        return true;
    }
    false
}

/// Where an arrow-key press moves within a group of `count` items, or `None` for other keys.
/// Left/Up go back, Right/Down forward (wrapping), Home and End jump to the ends.
pub(crate) fn roving_target(key: &str, current: usize, count: usize) -> Option<usize> {
    if count == 0 {
        return None;
    }
    match key {
        "ArrowRight" | "ArrowDown" => Some((current + 1) % count),
        "ArrowLeft" | "ArrowUp" => Some((current + count - 1) % count),
        "Home" => Some(0),
        "End" => Some(count - 1),
        _ => None,
    }
}
