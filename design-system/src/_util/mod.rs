//! Crate-internal helpers shared by the components: style injection, unique ids and the field
//! chrome (label, hint, inline error) of the form components.
//! Never exported: micro apps must not grow a dependency on these shapes.

mod field;

pub(crate) use field::*;

use std::cell::{Cell, RefCell};

#[cfg(not(feature = "ssr"))]
use leptos::prelude::document;
use leptos::prelude::{Get, MaybeProp};
#[cfg(not(feature = "ssr"))]
use micro_app::edge::STYLE_KEY_ATTRIBUTE;

/// In a server-side render the stylesheets the page's components need are collected instead of
/// injected, and go to the edge with the markup, which writes them into the head with the same
/// key: the hydrating bundle finds them there and injects nothing, and nothing shifts.
#[cfg(feature = "ssr")]
pub mod rendered_styles {
    use std::cell::RefCell;

    use micro_app::edge::RenderedStyle;

    thread_local! {
        static STYLES: RefCell<Vec<RenderedStyle>> = const { RefCell::new(Vec::new()) };
    }

    pub(crate) fn record(key: String, css: impl FnOnce() -> String) {
        STYLES.with(|styles| {
            let mut styles = styles.borrow_mut();
            if !styles.iter().any(|style| style.key == key) {
                styles.push(RenderedStyle { key, css: css() });
            }
        });
    }

    /// The stylesheets the render so far used, in first-use order; the list starts afresh.
    pub fn take() -> Vec<RenderedStyle> {
        STYLES.with(|styles| std::mem::take(&mut *styles.borrow_mut()))
    }
}

thread_local! {
    /// A random prefix per wasm instance, so two micro apps on one page never mint the same id.
    static ID_PREFIX: RefCell<String> = const { RefCell::new(String::new()) };
    static NEXT_ID: Cell<u32> = const { Cell::new(0) };
}

/// Returns a document-unique id such as `ts-k3x9q-field-4`.
/// A server-side render and the hydration of its markup mint the same ids (prefix `h`, counting
/// from 0 in a fresh instance), so the labels the server wrote point where the bundle expects.
pub(crate) fn unique_id(purpose: &str) -> String {
    let prefix = ID_PREFIX.with(|prefix| {
        let mut prefix = prefix.borrow_mut();
        if cfg!(feature = "ssr") || hydrating() {
            return "h".to_owned();
        }
        if prefix.is_empty() {
            // Math.random is enough: the prefix only separates instances, it is not a secret.
            let random = (js_sys::Math::random() * 2_176_782_336.0) as u64;
            *prefix = to_base36(random);
        }
        prefix.clone()
    });
    let number = NEXT_ID.with(|next| {
        let number = next.get();
        next.set(number + 1);
        number
    });
    format!("ts-{prefix}-{purpose}-{number}")
}

fn hydrating() -> bool {
    leptos::prelude::Owner::current_shared_context()
        .is_some_and(|context| context.during_hydration())
}

fn to_base36(mut value: u64) -> String {
    const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut reversed = Vec::new();
    loop {
        reversed.push(DIGITS[(value % 36) as usize]);
        value /= 36;
        if value == 0 {
            break;
        }
    }
    reversed.reverse();
    String::from_utf8(reversed).unwrap_or_default()
}

/// The key of an injected stylesheet: component name and design-system version, so two micro
/// apps built against different versions each get their own rules.
fn style_key(name: &str) -> String {
    format!("{name}@{}", env!("CARGO_PKG_VERSION"))
}

/// Injects `css` into `<head>` once per document, keyed by `name` and the crate version.
///
/// Keyed in the DOM rather than in a Rust static because two micro apps (two wasm instances) on
/// one page share the document: whichever mounts first injects, the other finds it there.
pub(crate) fn mount_style(name: &str, css: &'static str) {
    mount_generated_style(name, || css.to_owned());
}

/// Same as [`mount_style`] for CSS generated at run time (the token stylesheet); `css` runs only
/// when the sheet is not in the document yet.
pub(crate) fn mount_generated_style(name: &str, css: impl FnOnce() -> String) {
    let name = style_key(name);
    #[cfg(feature = "ssr")]
    {
        rendered_styles::record(name, css);
    }
    #[cfg(not(feature = "ssr"))]
    inject(name, css);
}

#[cfg(not(feature = "ssr"))]
fn inject(name: String, css: impl FnOnce() -> String) {
    let document = document();
    let selector = format!("style[{STYLE_KEY_ATTRIBUTE}=\"{name}\"]");
    if let Ok(Some(_)) = document.query_selector(&selector) {
        return;
    }
    let Some(head) = document.head() else {
        return;
    };
    if let Ok(style) = document.create_element("style") {
        let _ = style.set_attribute(STYLE_KEY_ATTRIBUTE, &name);
        style.set_text_content(Some(&css()));
        let _ = head.append_child(&style);
    }
}

/// The class of a component root: its own `base` class, then the caller's extra class.
pub(crate) fn with_extra_class(
    base: &'static str,
    extra: MaybeProp<String>,
) -> impl Fn() -> String + Copy + Send + Sync + 'static {
    move || {
        let extra = extra.get();
        class_names([Some(base), extra.as_deref()])
    }
}

/// Joins the base class, the modifiers that apply and the caller's extra class.
pub(crate) fn class_names<'a>(parts: impl IntoIterator<Item = Option<&'a str>>) -> String {
    let mut joined = String::new();
    for part in parts.into_iter().flatten() {
        if part.is_empty() {
            continue;
        }
        if !joined.is_empty() {
            joined.push(' ');
        }
        joined.push_str(part);
    }
    joined
}
