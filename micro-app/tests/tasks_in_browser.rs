//! `load` and `task` in headless Chromium: the latest answer wins even when an older request
//! answers later, a refetch keeps the previous answer until the new one arrives, and a task is
//! pending exactly while a dispatch is in flight.
#![cfg(target_arch = "wasm32")]

use std::cell::Cell;
use std::rc::Rc;

use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// Leptos starts its wasm-bindgen executor when something mounts; these tests mount nothing else.
fn start_executor() {
    leptos::mount::mount_to_body(|| ());
}

#[wasm_bindgen_test]
async fn the_latest_request_wins_and_the_previous_answer_stays_meanwhile() {
    start_executor();
    let owner = Owner::new();
    owner.set();
    let calls = Rc::new(Cell::new(0_u32));
    let loader = {
        let calls = Rc::clone(&calls);
        micro_app::load(move || {
            calls.set(calls.get() + 1);
            let call = calls.get();
            // The first request is slow, the second and third fast.
            let delay = if call == 1 { 120 } else { 10 };
            async move {
                TimeoutFuture::new(delay).await;
                call
            }
        })
    };
    assert_eq!(loader.get(), None, "nothing before the first answer");
    loader.refetch();
    TimeoutFuture::new(50).await;
    assert_eq!(loader.get(), Some(2));
    TimeoutFuture::new(120).await;
    assert_eq!(
        loader.get(),
        Some(2),
        "the slow first answer came late and was dropped"
    );
    loader.refetch();
    assert_eq!(
        loader.get(),
        Some(2),
        "kept while the third request is on its way"
    );
    TimeoutFuture::new(50).await;
    assert_eq!(loader.get(), Some(3));
    owner.unset();
}

#[wasm_bindgen_test]
async fn a_task_is_pending_while_any_dispatch_is_in_flight() {
    start_executor();
    let owner = Owner::new();
    owner.set();
    let sent = RwSignal::new(Vec::<u32>::new());
    let send = micro_app::task(move |amount: &u32| {
        let amount = *amount;
        async move {
            TimeoutFuture::new(amount).await;
            sent.update(|sent| sent.push(amount));
        }
    });
    let pending = send.pending();
    assert!(!pending.get_untracked());
    send.dispatch(60);
    send.dispatch(20);
    assert!(pending.get_untracked());
    TimeoutFuture::new(40).await;
    assert!(
        pending.get_untracked(),
        "the slower dispatch is still in flight"
    );
    assert_eq!(sent.get_untracked(), vec![20]);
    TimeoutFuture::new(60).await;
    assert!(!pending.get_untracked());
    assert_eq!(sent.get_untracked(), vec![20, 60]);
    owner.unset();
}
