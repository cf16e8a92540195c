//! Crate-internal accessibility helpers: finding focusable elements, trapping Tab inside a
//! dialog, locking the page behind it, returning focus, and roving focus for arrow-key groups.
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

/// What a modal dialog changed on the page behind it, so closing can put exactly that back.
pub(crate) struct BackgroundLock {
    /// The body's inline `overflow` before the dialog opened ("" when it had none).
    previous_overflow: String,
    /// The elements this lock made `inert`; ones that were inert already are left alone.
    inerted: Vec<Element>,
}

impl BackgroundLock {
    /// Stops the page scrolling behind `panel` and makes everything outside the dialog inert:
    /// every sibling of the panel and of each of its ancestors up to `<body>`. `aria-modal` alone
    /// is ignored by some screen readers, and the dialog is not portalled, so the rest of the app
    /// (and other micro apps) would otherwise stay reachable with the virtual cursor.
    pub(crate) fn engage(panel: &Element) -> Self {
        let body = document().body();
        let previous_overflow = body
            .as_ref()
            .and_then(|body| body.style().get_property_value("overflow").ok())
            .unwrap_or_default();
        if let Some(body) = &body {
            let _ = body.style().set_property("overflow", "hidden");
        }
        let mut inerted = Vec::new();
        let mut current = panel.clone();
        while let Some(parent) = current.parent_element() {
            let mut sibling = parent.first_element_child();
            while let Some(element) = sibling {
                sibling = element.next_element_sibling();
                // The panel's own backdrop must keep taking the click that closes the dialog.
                let own_backdrop =
                    current == *panel && element.matches(".ts-dialog__backdrop").unwrap_or(false);
                let skip = element == current
                    || own_backdrop
                    || element.has_attribute("inert")
                    || matches!(
                        element.tag_name().as_str(),
                        "SCRIPT" | "STYLE" | "LINK" | "TEMPLATE"
                    );
                if !skip {
                    let _ = element.set_attribute("inert", "");
                    inerted.push(element);
                }
            }
            if parent.tag_name() == "BODY" {
                break;
            }
            current = parent;
        }
        Self {
            previous_overflow,
            inerted,
        }
    }

    /// Puts back the body's overflow and removes the `inert` this lock added.
    pub(crate) fn release(self) {
        if let Some(body) = document().body() {
            let style = body.style();
            let _ = if self.previous_overflow.is_empty() {
                style.remove_property("overflow").map(|_| ())
            } else {
                style.set_property("overflow", &self.previous_overflow)
            };
        }
        for element in self.inerted {
            let _ = element.remove_attribute("inert");
        }
    }
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
