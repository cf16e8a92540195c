//! Cross-app events in headless Chromium: delivery, last-event replay for late subscribers,
//! version filtering, and listener removal when a subscription is dropped.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;

use micro_app::{AppEvent, EventKind, emit, last, subscribe};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn cart(item_count: i32) -> AppEvent {
    AppEvent::CartChanged {
        cart_id: "c1".into(),
        version: i64::from(item_count),
        item_count,
    }
}

#[wasm_bindgen_test]
fn subscribers_receive_events_until_they_drop_their_subscription() {
    let seen = Rc::new(RefCell::new(Vec::new()));
    let sink = seen.clone();
    let subscription = subscribe(EventKind::CartChanged, move |event| {
        sink.borrow_mut().push(event)
    })
    .unwrap();
    emit(&cart(1));
    emit(&AppEvent::CheckoutCompleted {
        order_id: "o1".into(),
    });
    assert_eq!(*seen.borrow(), [cart(1)], "only the subscribed kind");
    drop(subscription);
    emit(&cart(2));
    assert_eq!(
        seen.borrow().len(),
        1,
        "a dropped subscription hears nothing"
    );
}

#[wasm_bindgen_test]
fn a_late_subscriber_reads_the_last_event_of_a_kind() {
    emit(&cart(5));
    emit(&cart(7));
    assert_eq!(last(EventKind::CartChanged), Some(cart(7)));
}

#[wasm_bindgen_test]
fn events_of_an_unknown_version_are_ignored() {
    let seen = Rc::new(RefCell::new(0));
    let sink = seen.clone();
    let _subscription = subscribe(EventKind::ItemAdded, move |_| *sink.borrow_mut() += 1).unwrap();
    let init = web_sys::CustomEventInit::new();
    init.set_detail(&r#"{"version":99,"kind":"item-added","data":{}}"#.into());
    let event =
        web_sys::CustomEvent::new_with_event_init_dict("tessera:item-added", &init).unwrap();
    web_sys::window().unwrap().dispatch_event(&event).unwrap();
    assert_eq!(*seen.borrow(), 0);
}
