//! QuantityStepper keeps its value within bounds and disables the button at each bound.
#![cfg(target_arch = "wasm32")]

mod common;

use common::{find, find_all, focused, fresh_container, settle};
use design_system::QuantityStepper;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Event, HtmlButtonElement, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

fn buttons(container: &web_sys::Element) -> (HtmlButtonElement, HtmlButtonElement) {
    let buttons = find_all(container, "button");
    assert_eq!(buttons.len(), 2);
    (
        buttons[0].clone().unchecked_into(),
        buttons[1].clone().unchecked_into(),
    )
}

#[wasm_bindgen_test]
async fn increase_stops_at_max_and_disables() {
    let container = fresh_container();
    let value = RwSignal::new(9u32);
    let _handle = leptos::mount::mount_to(container.clone(), move || {
        view! { <QuantityStepper value min=1u32 max=10u32/> }
    });
    settle().await;
    let (decrease, increase) = buttons(&container);
    assert!(!increase.disabled());
    increase.click();
    settle().await;
    assert_eq!(value.get_untracked(), 10);
    assert!(
        increase.disabled(),
        "increase must be disabled at the maximum"
    );
    assert!(!decrease.disabled());
    // Focus moves to the input instead of being lost with the disabled button.
    let input = find(&container, "input");
    assert_eq!(
        focused().as_ref(),
        Some(input.unchecked_ref::<web_sys::Element>())
    );
    increase.click();
    settle().await;
    assert_eq!(
        value.get_untracked(),
        10,
        "a disabled button must not change the value"
    );
    assert_eq!(input.get_attribute("max").as_deref(), Some("10"));
}

#[wasm_bindgen_test]
async fn the_buttons_name_the_product_in_its_own_casing() {
    let container = fresh_container();
    let value = RwSignal::new(1u32);
    let _handle = leptos::mount::mount_to(container.clone(), move || {
        view! { <QuantityStepper value label="Quantity of Organic Cotton Tee"/> }
    });
    settle().await;
    let (decrease, increase) = buttons(&container);
    assert_eq!(
        decrease.get_attribute("aria-label").as_deref(),
        Some("Decrease quantity of Organic Cotton Tee")
    );
    assert_eq!(
        increase.get_attribute("aria-label").as_deref(),
        Some("Increase quantity of Organic Cotton Tee")
    );
}

#[wasm_bindgen_test]
async fn decrease_is_disabled_at_min() {
    let container = fresh_container();
    let value = RwSignal::new(2u32);
    let _handle = leptos::mount::mount_to(container.clone(), move || {
        view! { <QuantityStepper value min=1u32 max=5u32/> }
    });
    settle().await;
    let (decrease, _increase) = buttons(&container);
    decrease.click();
    settle().await;
    assert_eq!(value.get_untracked(), 1);
    assert!(decrease.disabled());
    decrease.click();
    settle().await;
    assert_eq!(value.get_untracked(), 1);
}

#[wasm_bindgen_test]
async fn typed_values_are_clamped() {
    let container = fresh_container();
    let value = RwSignal::new(1u32);
    let _handle = leptos::mount::mount_to(container.clone(), move || {
        view! { <QuantityStepper value min=1u32 max=5u32/> }
    });
    settle().await;
    let input: HtmlInputElement = find(&container, "input").unchecked_into();
    input.set_value("50");
    input
        .dispatch_event(&Event::new("change").unwrap())
        .unwrap();
    settle().await;
    assert_eq!(value.get_untracked(), 5);
    assert_eq!(input.value(), "5");
    input.set_value("abc");
    input
        .dispatch_event(&Event::new("change").unwrap())
        .unwrap();
    settle().await;
    assert_eq!(value.get_untracked(), 5);
    assert_eq!(input.value(), "5");
}

#[wasm_bindgen_test]
async fn lowered_max_pulls_the_value_down() {
    let container = fresh_container();
    let value = RwSignal::new(8u32);
    let max = RwSignal::new(10u32);
    let _handle = leptos::mount::mount_to(container.clone(), move || {
        view! { <QuantityStepper value max=Signal::derive(move || Some(max.get()))/> }
    });
    settle().await;
    max.set(3);
    settle().await;
    assert_eq!(value.get_untracked(), 3);
}
