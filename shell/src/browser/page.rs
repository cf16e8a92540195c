//! The page the shell owns: the visitor id, the header's cart count, the URL (link clicks,
//! back/forward and apps' navigation requests) and what a slot shows when no app is in it.

use micro_app::{EVENT_SCHEMA_VERSION, EventKind, LAST_EVENTS, storage};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use super::dom::{self, get, text};
use micro_app::{Route, route};

pub fn visitor_id() -> String {
    let storage = dom::storage();
    if let Some(id) = storage
        .as_ref()
        .and_then(|storage| storage.get_item(storage::VISITOR_ID).ok().flatten())
    {
        return id;
    }
    let id = dom::window()
        .crypto()
        .map(|crypto| crypto.random_uuid())
        .unwrap_or_else(|_| ["v", &dom::number_text(js_sys::Math::random() * 1e16)].concat());
    if let Some(storage) = storage {
        let _ = storage.set_item(storage::VISITOR_ID, &id);
    }
    let data: JsValue = js_sys::Object::new().into();
    dom::set(&data, "visitor_id", id.as_str());
    publish(EventKind::VisitorIdentified, data);
    id
}

/// Publishes an event in the kit's format (`AppEvent`'s JSON, built without serde).
fn publish(kind: EventKind, data: JsValue) {
    let detail: JsValue = js_sys::Object::new().into();
    dom::set(&detail, "version", EVENT_SCHEMA_VERSION);
    dom::set(&detail, "kind", kind.as_str());
    dom::set(&detail, "data", data);
    let Ok(detail) = js_sys::JSON::stringify(&detail) else {
        return;
    };
    let window = dom::window();
    let mut last = get(&window, LAST_EVENTS);
    if !last.is_object() {
        last = js_sys::Object::new().into();
        dom::set(&window, LAST_EVENTS, last.clone());
    }
    dom::set(&last, kind.as_str(), detail.clone());
    let init = web_sys::CustomEventInit::new();
    init.set_detail(&detail);
    if let Ok(event) = web_sys::CustomEvent::new_with_event_init_dict(&kind.dom_name(), &init) {
        let _ = window.dispatch_event(&event);
    }
}

/// The `data` of an event's detail, when its schema version is one we know.
fn event_data(event: &web_sys::Event) -> Option<(String, JsValue)> {
    let detail = event
        .dyn_ref::<web_sys::CustomEvent>()?
        .detail()
        .as_string()?;
    let parsed = js_sys::JSON::parse(&detail).ok()?;
    (dom::number(&parsed, "version")? == f64::from(EVENT_SCHEMA_VERSION))
        .then(|| (detail, get(&parsed, "data")))
}

fn set_cart_count(count: f64) {
    if let Some(badge) = dom::document().get_element_by_id("ts-cart-count") {
        let count = dom::number_text(count.max(0.0).floor());
        badge.set_text_content(Some(&count));
        if let Some(link) = badge.closest("a").ok().flatten() {
            let items = if count == "1" { " item" } else { " items" };
            let _ = link.set_attribute("aria-label", &["Cart, ", &count, items].concat());
        }
    }
}

/// The header's cart count: the last known count at once, then every cart event.
pub fn start_header() {
    let stored = dom::storage()
        .and_then(|storage| storage.get_item(storage::LAST_CART_EVENT).ok().flatten())
        .and_then(|detail| js_sys::JSON::parse(&detail).ok());
    if let Some(count) = stored.and_then(|detail| dom::number(&get(&detail, "data"), "item_count"))
    {
        set_cart_count(count);
    }
    let on_cart = Closure::<dyn FnMut(web_sys::Event)>::new(|event: web_sys::Event| {
        if let Some((detail, data)) = event_data(&event) {
            set_cart_count(dom::number(&data, "item_count").unwrap_or(0.0));
            if let Some(storage) = dom::storage() {
                let _ = storage.set_item(storage::LAST_CART_EVENT, &detail);
            }
        }
    });
    let on_checkout = Closure::<dyn FnMut(web_sys::Event)>::new(|event: web_sys::Event| {
        if event_data(&event).is_some() {
            set_cart_count(0.0);
            if let Some(storage) = dom::storage() {
                let _ = storage.remove_item(storage::LAST_CART_EVENT);
            }
        }
    });
    let window = dom::window();
    let _ = window.add_event_listener_with_callback(
        &EventKind::CartChanged.dom_name(),
        on_cart.as_ref().unchecked_ref(),
    );
    let _ = window.add_event_listener_with_callback(
        &EventKind::CheckoutCompleted.dom_name(),
        on_checkout.as_ref().unchecked_ref(),
    );
    // The header lives as long as the page.
    on_cart.forget();
    on_checkout.forget();
}

pub fn current_url() -> (String, String) {
    let location = dom::window().location();
    (
        location.pathname().unwrap_or_default(),
        location.search().unwrap_or_default(),
    )
}

pub fn set_url(path: &str, replace: bool) {
    let Ok(history) = dom::window().history() else {
        return;
    };
    let _ = if replace {
        history.replace_state_with_url(&JsValue::NULL, "", Some(path))
    } else {
        history.push_state_with_url(&JsValue::NULL, "", Some(path))
    };
    if !replace {
        dom::window().scroll_to_with_x_and_y(0.0, 0.0);
    }
}

/// Same-origin links to the shell's routes, back/forward, and apps' navigation requests all go
/// through `navigate`; every other link is left to the browser.
pub fn capture_navigation(navigate: fn(String, bool)) {
    let window = dom::window();
    let on_click =
        Closure::<dyn FnMut(web_sys::MouseEvent)>::new(move |event: web_sys::MouseEvent| {
            if event.default_prevented()
                || event.button() != 0
                || event.meta_key()
                || event.ctrl_key()
                || event.shift_key()
                || event.alt_key()
            {
                return;
            }
            let Some(anchor) = event
                .target()
                .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
                .and_then(|element| element.closest("a[href]").ok().flatten())
                .and_then(|element| element.dyn_into::<web_sys::HtmlAnchorElement>().ok())
            else {
                return;
            };
            let own_tab = matches!(anchor.target().as_str(), "" | "_self");
            let same_origin =
                anchor.origin() == dom::window().location().origin().unwrap_or_default();
            if !own_tab || anchor.has_attribute("download") || !same_origin {
                return;
            }
            let (path, query) = (anchor.pathname(), anchor.search());
            if route(&path, &query) == Route::NotFound {
                return;
            }
            event.prevent_default();
            navigate([path, query].concat(), false);
        });
    let on_pop = Closure::<dyn FnMut()>::new(super::show_current_url);
    let on_request = Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
        if let Some((_, data)) = event_data(&event) {
            let replace = dom::get(&data, "replace").as_bool().unwrap_or(false);
            // Only paths on this origin: an app cannot send the shopper elsewhere this way.
            if let Some(path) =
                text(&data, "path").filter(|path| path.starts_with('/') && !path.starts_with("//"))
            {
                navigate(path, replace);
            }
        }
    });
    let _ = window.add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref());
    let _ = window.add_event_listener_with_callback("popstate", on_pop.as_ref().unchecked_ref());
    let _ = window.add_event_listener_with_callback(
        &EventKind::NavigationRequested.dom_name(),
        on_request.as_ref().unchecked_ref(),
    );
    // Navigation is the shell's job for the life of the page.
    on_click.forget();
    on_pop.forget();
    on_request.forget();
}

pub fn main_slot() -> Option<web_sys::HtmlElement> {
    dom::document()
        .get_element_by_id("ts-slot-main")?
        .dyn_into()
        .ok()
}

/// Replaces the slot's content with static markup built from trusted, shell-owned text.
fn show(
    slot: &web_sys::HtmlElement,
    state: &str,
    title: &str,
    body: &str,
    link: Option<(&str, &str)>,
) {
    let document = dom::document();
    let Ok(panel) = document.create_element("div") else {
        return;
    };
    panel.set_class_name("ts-shell__panel");
    let _ = panel.set_attribute("data-slot-state", state);
    if state == "failed" {
        let _ = panel.set_attribute("role", "alert");
    }
    for (tag, content) in [("h1", title), ("p", body)] {
        if let Ok(element) = document.create_element(tag) {
            element.set_text_content(Some(content));
            let _ = panel.append_child(&element);
        }
    }
    if let Some((href, label)) = link
        && let Ok(anchor) = document.create_element("a")
    {
        let _ = anchor.set_attribute("href", href);
        anchor.set_text_content(Some(label));
        let _ = panel.append_child(&anchor);
    }
    slot.replace_children_with_node_1(&panel);
    let _ = slot.set_attribute(
        "aria-busy",
        if state == "loading" { "true" } else { "false" },
    );
}

fn app_title(app: &str) -> &str {
    match app {
        "product-detail" => "The product page",
        "checkout" => "Checkout",
        "connector" => "The marketplace connector",
        other => other,
    }
}

pub fn show_loading(slot: &web_sys::HtmlElement) {
    show(slot, "loading", "Loading…", "", None);
}

pub fn show_home(slot: &web_sys::HtmlElement) {
    show(
        slot,
        "home",
        "Welcome to Tessera",
        "Natural fibres, trail gear and things for the home.",
        Some((
            "/products/merino-crew-sweater",
            "Start with our Merino Crew Sweater",
        )),
    );
}

pub fn show_not_found(slot: &web_sys::HtmlElement) {
    show(
        slot,
        "not-found",
        "Page not found",
        "There is nothing at this address.",
        Some(("/", "Go to the home page")),
    );
}

pub fn show_unpublished(slot: &web_sys::HtmlElement, app: &str) {
    show(
        slot,
        "unpublished",
        &[app_title(app), " is not published yet"].concat(),
        "It will appear here as soon as its first release is rolled out.",
        Some(("/", "Go to the home page")),
    );
}

pub fn show_fallback(slot: &web_sys::HtmlElement, app: &str) {
    let (path, query) = current_url();
    let here = [path, query].concat();
    show(
        slot,
        "failed",
        &[app_title(app), " didn't load"].concat(),
        "The rest of the shop still works. We have been told about the problem.",
        Some((&here, "Try again")),
    );
}

/// Whether the page's import map pins this module's integrity (the server renders one per page).
pub fn module_is_pinned(url: &str) -> bool {
    dom::document()
        .query_selector("script[type=importmap]")
        .ok()
        .flatten()
        .and_then(|element| element.text_content())
        .and_then(|json| js_sys::JSON::parse(&json).ok())
        .is_some_and(|map| text(&get(&map, "integrity"), url).is_some())
}

/// A full load of the current URL, once per URL: the server's new page pins the new releases.
/// Returns false when that was already tried (the caller shows the fallback instead).
pub fn reload_once() -> bool {
    let (path, query) = current_url();
    let here = [path, query].concat();
    let Some(session) = dom::window().session_storage().ok().flatten() else {
        return false;
    };
    const KEY: &str = "tessera:shell:reloaded-for";
    if session.get_item(KEY).ok().flatten().as_deref() == Some(here.as_str()) {
        let _ = session.remove_item(KEY);
        return false;
    }
    let _ = session.set_item(KEY, &here);
    dom::window().location().reload().is_ok()
}
