//! Problem+json field errors land on the field with the same name, wired for screen readers,
//! and editing the field clears its error.
#![cfg(target_arch = "wasm32")]

mod common;

use common::{find, fresh_container, settle};
use design_system::{Checkbox, FieldErrors, TextField, provide_field_errors};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Event, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn server_errors_show_inline_and_clear_on_edit() {
    let container = fresh_container();
    let errors = RwSignal::new(None::<FieldErrors>);
    let _handle = leptos::mount::mount_to(container.clone(), move || {
        errors.set(Some(provide_field_errors()));
        let postal_code = RwSignal::new(String::new());
        let terms = RwSignal::new(false);
        view! {
            <TextField label="ZIP code" name="shipping.postal_code" value=postal_code autocomplete="postal-code" hint="5 digits"/>
            <Checkbox label="Terms" name="terms_accepted" checked=terms/>
        }
    });
    settle().await;
    let input: HtmlInputElement =
        find(&container, "input[name='shipping.postal_code']").unchecked_into();
    assert_eq!(
        input.get_attribute("autocomplete").as_deref(),
        Some("postal-code")
    );
    assert!(input.get_attribute("aria-invalid").is_none());
    let hint_only = input.get_attribute("aria-describedby").unwrap();
    assert!(
        find(&container, &format!("#{hint_only}"))
            .text_content()
            .unwrap()
            .contains("5 digits")
    );

    let field_errors = errors.get_untracked().unwrap();
    field_errors.replace_all([
        ("/shipping/postal_code", "Enter a 5-digit ZIP code"),
        ("terms_accepted", "Accept the terms"),
    ]);
    settle().await;
    assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("true"));
    let described_by = input.get_attribute("aria-describedby").unwrap();
    let error_id = described_by
        .split(' ')
        .find(|id| id.ends_with("-error"))
        .expect("error id in aria-describedby");
    assert_eq!(
        find(&container, &format!("#{error_id}"))
            .text_content()
            .unwrap(),
        "Error: Enter a 5-digit ZIP code"
    );
    let checkbox = find(&container, "input[type=checkbox]");
    assert_eq!(
        checkbox.get_attribute("aria-invalid").as_deref(),
        Some("true")
    );

    input.set_value("12345");
    input.dispatch_event(&Event::new("input").unwrap()).unwrap();
    settle().await;
    assert!(
        input.get_attribute("aria-invalid").is_none(),
        "editing clears the field's error"
    );
    assert_eq!(
        field_errors.message("terms_accepted").as_deref(),
        Some("Accept the terms")
    );
}
