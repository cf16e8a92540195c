//! Modal traps Tab inside, closes on Escape and returns focus to the opener.
#![cfg(target_arch = "wasm32")]

mod common;

use common::{find, find_all, focused, fresh_container, press_key, settle};
use design_system::{Button, Modal, TextField};
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
