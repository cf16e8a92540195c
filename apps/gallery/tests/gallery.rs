//! The gallery in a browser: the navigation lists every story once (the list e2e walks), live
//! controls re-render the preview, and keyboard use inside a story stays in step with the
//! controls.
#![cfg(target_arch = "wasm32")]

use std::collections::HashSet;

use design_system::{all_components, find_component};
use gallery::{StoryNavigation, StoryView};
use leptos::prelude::*;
use leptos_router::components::Router;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlSelectElement, KeyboardEvent, KeyboardEventInit};

wasm_bindgen_test_configure!(run_in_browser);

fn fresh_container() -> HtmlElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let container: HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&container).unwrap();
    container
}

async fn settle() {
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

fn find(root: &Element, selector: &str) -> HtmlElement {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no element matches {selector}"))
        .unchecked_into()
}

fn find_all(root: &Element, selector: &str) -> Vec<HtmlElement> {
    let nodes = root.query_selector_all(selector).unwrap();
    (0..nodes.length())
        .map(|index| nodes.item(index).unwrap().unchecked_into())
        .collect()
}

fn press_key(target: &Element, key: &str) {
    let init = KeyboardEventInit::new();
    init.set_key(key);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let event = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    target.dispatch_event(&event).unwrap();
}

#[wasm_bindgen_test]
async fn navigation_lists_every_story_once() {
    let container = fresh_container();
    let _handle = leptos::mount::mount_to(
        container.clone(),
        || view! { <Router><StoryNavigation/></Router> },
    );
    settle().await;
    let expected: usize = all_components()
        .iter()
        .map(|component| component.stories.len())
        .sum();
    let links = find_all(&container, "nav a[data-story]");
    assert_eq!(links.len(), expected);
    let mut seen = HashSet::new();
    for link in &links {
        let story_path = link.get_attribute("data-story").unwrap();
        assert!(
            seen.insert(story_path.clone()),
            "{story_path} is listed twice"
        );
        assert_eq!(
            link.get_attribute("href").unwrap(),
            format!("/gallery/{story_path}")
        );
        assert_eq!(story_path.split('/').count(), 2);
    }
    assert!(seen.contains("button/loading"));
    assert!(
        expected >= 60,
        "every component has its stories ({expected})"
    );
}

#[wasm_bindgen_test]
async fn boolean_control_rerenders_the_preview() {
    let container = fresh_container();
    let component = find_component("button").unwrap();
    let story = &component.stories[0];
    let _handle = leptos::mount::mount_to(
        container.clone(),
        move || view! { <Router><StoryView component story/></Router> },
    );
    settle().await;
    let preview = find(&container, "[data-story-preview='button/primary']");
    assert!(
        find(&preview, "button")
            .get_attribute("aria-busy")
            .is_none()
    );
    find(&container, "input[data-control=loading]").click();
    settle().await;
    assert_eq!(
        find(&preview, "button")
            .get_attribute("aria-busy")
            .as_deref(),
        Some("true")
    );
    assert!(
        container
            .text_content()
            .unwrap()
            .contains("<Button on_click"),
        "the usage snippet is shown"
    );
}

#[wasm_bindgen_test]
async fn keyboard_in_a_story_updates_its_control() {
    let container = fresh_container();
    let component = find_component("tabs").unwrap();
    let story = &component.stories[0];
    let _handle = leptos::mount::mount_to(
        container.clone(),
        move || view! { <Router><StoryView component story/></Router> },
    );
    settle().await;
    let tabs = find_all(&container, "[role=tab]");
    assert_eq!(
        tabs[0].get_attribute("aria-selected").as_deref(),
        Some("true")
    );
    tabs[0].focus().unwrap();
    press_key(&tabs[0], "ArrowRight");
    settle().await;
    let tabs = find_all(&container, "[role=tab]");
    assert_eq!(
        tabs[1].get_attribute("aria-selected").as_deref(),
        Some("true")
    );
    let document = web_sys::window().unwrap().document().unwrap();
    assert_eq!(
        document.active_element().as_ref(),
        Some(tabs[1].unchecked_ref::<Element>())
    );
    let panel = find(&container, "[role=tabpanel]");
    assert_eq!(
        panel.get_attribute("aria-labelledby"),
        tabs[1].get_attribute("id")
    );
    assert_eq!(panel.text_content().unwrap(), "Ships in 2–3 working days.");
    let control: HtmlSelectElement =
        find(&container, "select[name='control.selected']").unchecked_into();
    assert_eq!(control.value(), "delivery");
    press_key(&tabs[1], "End");
    settle().await;
    assert_eq!(control.value(), "reviews");
}
