//! Unavailable swatches and options are disabled and announced; available ones select.
#![cfg(target_arch = "wasm32")]

mod common;

use common::{find, find_all, fresh_container, settle};
use design_system::{OptionPicker, PickerOption, Swatches};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::HtmlInputElement;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn unavailable_swatch_is_disabled_and_announced() {
    let container = fresh_container();
    let selected = RwSignal::new(Some("blue".to_owned()));
    let _handle = leptos::mount::mount_to(container.clone(), move || {
        let options = vec![
            PickerOption::new("blue")
                .labelled("Ocean blue")
                .with_swatch("#1d4f91"),
            PickerOption::new("green")
                .labelled("Forest green")
                .with_swatch("#2f6b3a")
                .unavailable(),
            PickerOption::new("sand")
                .labelled("Sand")
                .with_swatch("#d8c7a3"),
        ];
        view! { <Swatches label="Colour" name="colour" options selected/> }
    });
    settle().await;
    let inputs: Vec<HtmlInputElement> = find_all(&container, "input[type=radio]")
        .into_iter()
        .map(|input| input.unchecked_into())
        .collect();
    assert_eq!(inputs.len(), 3);
    assert!(!inputs[0].disabled());
    assert!(
        inputs[1].disabled(),
        "the unavailable colour must be disabled"
    );
    assert!(!inputs[2].disabled());
    assert!(inputs[0].checked());

    // The accessible name (the label's text) says the colour and that it is unavailable.
    let labels = find_all(&container, "label");
    assert_eq!(
        labels[1].text_content().unwrap(),
        "Forest green (unavailable)"
    );
    assert_eq!(labels[0].text_content().unwrap(), "Ocean blue");

    // A disabled radio ignores clicks; an available one selects.
    inputs[1].click();
    settle().await;
    assert_eq!(selected.get_untracked().as_deref(), Some("blue"));
    inputs[2].click();
    settle().await;
    assert_eq!(selected.get_untracked().as_deref(), Some("sand"));
    assert!(
        find(&container, "legend")
            .text_content()
            .unwrap()
            .contains("Sand")
    );
}

#[wasm_bindgen_test]
async fn option_picker_marks_sold_out_sizes() {
    let container = fresh_container();
    let selected = RwSignal::new(None);
    let _handle = leptos::mount::mount_to(container.clone(), move || {
        view! {
            <OptionPicker label="Size" options=vec![PickerOption::new("M"), PickerOption::new("XL").unavailable()] selected/>
        }
    });
    settle().await;
    let extra_large: HtmlInputElement = find(&container, "input[value=XL]").unchecked_into();
    assert!(extra_large.disabled());
    assert!(
        find(&container, "fieldset")
            .query_selector("legend")
            .unwrap()
            .is_some()
    );
    let medium: HtmlInputElement = find(&container, "input[value=M]").unchecked_into();
    // Both radios share one group name, so arrow keys move between them natively.
    assert_eq!(medium.name(), extra_large.name());
}
