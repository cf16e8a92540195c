//! Unavailable swatches and options are disabled and announced; available ones select; both
//! groups show a hint and an inline error wired with `aria-describedby` and `aria-invalid`.
#![cfg(target_arch = "wasm32")]

mod common;

use common::{find, find_all, fresh_container, settle};
use design_system::{FieldErrors, OptionPicker, PickerOption, Swatches, provide_field_errors};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlInputElement};

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

/// The texts of the elements the fieldset's `aria-describedby` names, in order.
fn descriptions(container: &Element) -> Vec<String> {
    find(container, "fieldset")
        .get_attribute("aria-describedby")
        .unwrap_or_default()
        .split_whitespace()
        .map(|id| {
            find(container, &format!("[id='{id}']"))
                .text_content()
                .unwrap()
        })
        .collect()
}

#[wasm_bindgen_test]
async fn option_picker_shows_hint_and_error() {
    let container = fresh_container();
    let selected = RwSignal::new(None);
    let error = RwSignal::new(Some("Choose a size".to_owned()));
    let _handle = leptos::mount::mount_to(container.clone(), move || {
        view! {
            <OptionPicker
                label="Size"
                options=vec![PickerOption::new("S"), PickerOption::new("M")]
                selected
                hint="Runs small: pick one size up"
                error
            />
        }
    });
    settle().await;
    let fieldset = find(&container, "fieldset");
    assert_eq!(
        fieldset.get_attribute("aria-invalid").as_deref(),
        Some("true")
    );
    assert_eq!(
        descriptions(&container),
        ["Runs small: pick one size up", "Error: Choose a size"]
    );

    error.set(None);
    settle().await;
    assert!(fieldset.get_attribute("aria-invalid").is_none());
    assert_eq!(descriptions(&container), ["Runs small: pick one size up"]);
    assert!(
        container
            .query_selector(".ts-field__error")
            .unwrap()
            .is_none()
    );
}

#[wasm_bindgen_test]
async fn swatches_show_server_error_until_a_colour_is_chosen() {
    let container = fresh_container();
    let errors = RwSignal::new(None::<FieldErrors>);
    let selected = RwSignal::new(None);
    let _handle = leptos::mount::mount_to(container.clone(), move || {
        errors.set(Some(provide_field_errors()));
        let options = vec![
            PickerOption::new("blue")
                .labelled("Ocean blue")
                .with_swatch("#1d4f91"),
            PickerOption::new("sand")
                .labelled("Sand")
                .with_swatch("#d8c7a3"),
        ];
        view! { <Swatches label="Colour" name="colour" options selected/> }
    });
    settle().await;
    let fieldset = find(&container, "fieldset");
    assert!(fieldset.get_attribute("aria-invalid").is_none());
    assert!(fieldset.get_attribute("aria-describedby").is_none());

    errors
        .get_untracked()
        .unwrap()
        .replace_all([("colour", "Choose a colour")]);
    settle().await;
    assert_eq!(
        fieldset.get_attribute("aria-invalid").as_deref(),
        Some("true")
    );
    assert_eq!(descriptions(&container), ["Error: Choose a colour"]);

    let sand: HtmlInputElement = find(&container, "input[value=sand]").unchecked_into();
    sand.click();
    settle().await;
    assert_eq!(selected.get_untracked().as_deref(), Some("sand"));
    assert!(
        fieldset.get_attribute("aria-invalid").is_none(),
        "choosing a colour must clear its server error"
    );
    assert!(errors.get_untracked().unwrap().message("colour").is_none());
}
