//! Modal traps Tab inside, closes on Escape and returns focus to the opener; Modal and Drawer
//! lock the page behind them (no scrolling, the rest inert) while open and give it back on close.
#![cfg(target_arch = "wasm32")]

mod common;

use common::{find, find_all, focused, fresh_container, press_key, settle};
use design_system::{Button, Drawer, Modal, TextField};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::Element;

wasm_bindgen_test_configure!(run_in_browser);

fn is_focused(element: &web_sys::HtmlElement) -> bool {
    focused().as_ref() == Some(element.unchecked_ref::<Element>())
}

#[wasm_bindgen_test]
async fn focus_is_trapped_and_returned() {
    let container = fresh_container();
    let open = RwSignal::new(false);
    let note = RwSignal::new(String::new());
    let _handle = leptos::mount::mount_to(container.clone(), move || {
        view! {
            <Button class="opener" on_click=move |_| open.set(true)>"Open"</Button>
            <Modal open title="Gift note" keep_open_on_backdrop=true>
                <TextField label="Note" name="note" value=note/>
                <button type="button" class="last">"Save"</button>
            </Modal>
        }
    });
    settle().await;
    assert!(container.query_selector("[role=dialog]").unwrap().is_none());
    let opener = find(&container, ".opener");
    opener.focus().unwrap();
    opener.click();
    settle().await;

    let dialog = find(&container, "[role=dialog]");
    assert_eq!(dialog.get_attribute("aria-modal").as_deref(), Some("true"));
    let title_id = dialog.get_attribute("aria-labelledby").unwrap();
    assert_eq!(
        find(&container, &format!("#{title_id}"))
            .text_content()
            .unwrap(),
        "Gift note"
    );

    let focusable = find_all(&dialog, "button, input");
    let first = focusable.first().unwrap().clone();
    let last = focusable.last().unwrap().clone();
    assert!(
        is_focused(&first),
        "focus must move into the dialog on open"
    );

    last.focus().unwrap();
    press_key(&last, "Tab", false);
    assert!(
        is_focused(&first),
        "Tab on the last element must wrap to the first"
    );
    press_key(&first, "Tab", true);
    assert!(
        is_focused(&last),
        "Shift+Tab on the first element must wrap to the last"
    );

    press_key(&last, "Escape", false);
    settle().await;
    assert!(!open.get_untracked());
    assert!(container.query_selector("[role=dialog]").unwrap().is_none());
    assert!(is_focused(&opener), "focus must return to the opener");
}

#[wasm_bindgen_test]
async fn close_button_closes() {
    let container = fresh_container();
    let open = RwSignal::new(true);
    let _handle = leptos::mount::mount_to(container.clone(), move || {
        view! { <Modal open title="Info"><p>"Body"</p></Modal> }
    });
    settle().await;
    find(&container, "[role=dialog] button[aria-label=Close]").click();
    settle().await;
    assert!(!open.get_untracked());
}

/// The body's inline `overflow`.
fn body_overflow() -> String {
    let body = web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .body()
        .unwrap();
    body.style().get_property_value("overflow").unwrap()
}

fn set_body_overflow(value: &str) {
    let body = web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .body()
        .unwrap();
    body.style().set_property("overflow", value).unwrap();
}

#[wasm_bindgen_test]
async fn open_dialogs_lock_the_page_and_restore_it() {
    set_body_overflow("scroll");
    // Another part of the page (say, another micro app), already inert for its own reasons.
    let elsewhere = fresh_container();
    let already_inert = fresh_container();
    already_inert.set_attribute("inert", "").unwrap();
    let container = fresh_container();
    let modal_open = RwSignal::new(false);
    let drawer_open = RwSignal::new(false);
    let _handle = leptos::mount::mount_to(container.clone(), move || {
        view! {
            <Button class="opener" on_click=move |_| modal_open.set(true)>"Open"</Button>
            <Modal open=modal_open title="Remove item?"><p>"Sure?"</p></Modal>
            <Drawer open=drawer_open title="Cart"><p>"Empty"</p></Drawer>
        }
    });
    settle().await;
    assert_eq!(body_overflow(), "scroll");
    assert!(!elsewhere.has_attribute("inert"));

    let opener = find(&container, ".opener");
    opener.focus().unwrap();
    opener.click();
    settle().await;
    assert_eq!(
        body_overflow(),
        "hidden",
        "an open modal must stop the page scrolling"
    );
    assert!(
        elsewhere.has_attribute("inert"),
        "the rest of the page must be inert"
    );
    assert!(
        opener.has_attribute("inert"),
        "the app around the dialog must be inert"
    );
    let dialog = find(&container, "[role=dialog]");
    assert!(!dialog.has_attribute("inert"));
    assert!(
        !find(&container, ".ts-dialog__backdrop").has_attribute("inert"),
        "the backdrop must still take the closing click"
    );

    press_key(&dialog, "Escape", false);
    settle().await;
    assert_eq!(
        body_overflow(),
        "scroll",
        "closing must restore the previous overflow"
    );
    assert!(!elsewhere.has_attribute("inert"));
    assert!(!opener.has_attribute("inert"));
    assert!(
        already_inert.has_attribute("inert"),
        "inert set by someone else must stay"
    );
    assert!(is_focused(&opener), "focus must return to the opener");

    // The drawer uses the same surface, so it locks and restores the same way.
    set_body_overflow("");
    drawer_open.set(true);
    settle().await;
    assert_eq!(body_overflow(), "hidden");
    assert!(elsewhere.has_attribute("inert"));
    find(&container, ".ts-dialog__backdrop").click();
    settle().await;
    assert!(!drawer_open.get_untracked());
    assert_eq!(body_overflow(), "");
    assert!(!elsewhere.has_attribute("inert"));
}

#[wasm_bindgen_test]
async fn unmounting_an_open_dialog_restores_the_page() {
    set_body_overflow("auto");
    let elsewhere = fresh_container();
    let container = fresh_container();
    let open = RwSignal::new(true);
    let handle = leptos::mount::mount_to(container.clone(), move || {
        view! { <Modal open title="Info"><p>"Body"</p></Modal> }
    });
    settle().await;
    assert_eq!(body_overflow(), "hidden");
    assert!(elsewhere.has_attribute("inert"));
    drop(handle);
    settle().await;
    assert_eq!(body_overflow(), "auto");
    assert!(!elsewhere.has_attribute("inert"));
    set_body_overflow("");
}
