//! Toasts appear inside the polite status region, close from their button and expire on their
//! own after the provider's duration.
#![cfg(target_arch = "wasm32")]

mod common;

use common::{find, find_all, fresh_container, settle};
use design_system::{Button, ToastProvider, Tone, use_toaster};
use leptos::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// A button that pushes one toast, standing in for an app's "Add to cart".
#[component]
fn PushButton(message: &'static str) -> impl IntoView {
    let toaster = use_toaster().expect("inside a ToastProvider");
    view! { <Button class="push" on_click=move |_| toaster.push(message, Tone::Success)>"Push"</Button> }
}

/// Waits `millis` of real time, for timers that outlast `settle`.
async fn sleep(millis: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, millis)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

#[wasm_bindgen_test]
async fn toast_is_announced_and_dismissed() {
    let container = fresh_container();
    let _handle = leptos::mount::mount_to(container.clone(), move || {
        view! {
            <ToastProvider duration_ms=60_000u64>
                <PushButton message="Added to cart"/>
            </ToastProvider>
        }
    });
    settle().await;
    // The live region exists before any toast, so screen readers pick up what is added to it.
    let region = find(&container, "[role=status]");
    assert_eq!(region.get_attribute("aria-live").as_deref(), Some("polite"));
    assert!(find_all(&region, ".ts-toast").is_empty());

    find(&container, ".push").click();
    settle().await;
    let toasts = find_all(&region, ".ts-toast");
    assert_eq!(
        toasts.len(),
        1,
        "the toast must render inside the live region"
    );
    assert_eq!(toasts[0].text_content().unwrap(), "Added to cart");
    assert!(toasts[0].class_list().contains("ts-toast--success"));

    find(&region, "button[aria-label='Dismiss notification']").click();
    settle().await;
    assert!(
        find_all(&region, ".ts-toast").is_empty(),
        "the dismiss button must remove the toast"
    );
}

#[wasm_bindgen_test]
async fn toast_expires_after_duration() {
    let container = fresh_container();
    let _handle = leptos::mount::mount_to(container.clone(), move || {
        view! {
            <ToastProvider duration_ms=80u64>
                <PushButton message="Saved"/>
            </ToastProvider>
        }
    });
    settle().await;
    find(&container, ".push").click();
    settle().await;
    assert_eq!(find_all(&container, "[role=status] .ts-toast").len(), 1);
    sleep(200).await;
    settle().await;
    assert!(
        find_all(&container, "[role=status] .ts-toast").is_empty(),
        "the toast must disappear after the provider's duration"
    );
}
