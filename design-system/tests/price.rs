//! Price formatting through the browser's Intl: minor units per currency (USD and EUR 2
//! digits, JPY none) and the compare-at rendering.
#![cfg(target_arch = "wasm32")]

mod common;

use common::{find, fresh_container, settle};
use design_system::{
    Price, currency_fraction_digits, currency_fraction_digits_with_intl, format_money,
    format_money_en_us, format_money_with_intl,
};
use leptos::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// A server-side render (and the browser, for en-US) formats without Intl; what it writes must be
/// what Intl writes for en-US, or hydrated prices would change under the shopper's eyes.
#[wasm_bindgen_test]
fn the_servers_formatting_is_intls_for_en_us() {
    for currency in ["USD", "EUR", "GBP", "JPY", "KWD", "CAD", "XYZ"] {
        for amount in [0, 5, 99, 1299, -500, 100_000, 123_456_789] {
            assert_eq!(
                format_money_en_us(amount, currency, None),
                format_money_with_intl(amount, currency, Some("en-US")),
                "{amount} {currency}"
            );
        }
    }
}

#[wasm_bindgen_test]
fn minor_digits_are_intls() {
    for currency in [
        "USD", "EUR", "JPY", "KRW", "KWD", "BHD", "CHF", "SEK", "ISK", "CLP",
    ] {
        assert_eq!(
            currency_fraction_digits(currency),
            currency_fraction_digits_with_intl(currency),
            "{currency}"
        );
    }
}

#[wasm_bindgen_test]
fn usd_has_two_minor_digits() {
    assert_eq!(format_money(1299, "USD", Some("en-US")), "$12.99");
    assert_eq!(format_money(5, "USD", Some("en-US")), "$0.05");
    assert_eq!(
        format_money(123_456_789, "USD", Some("en-US")),
        "$1,234,567.89"
    );
}

#[wasm_bindgen_test]
fn eur_formats_per_locale() {
    assert_eq!(format_money(1299, "EUR", Some("en-US")), "€12.99");
    // German puts the symbol after a no-break space and uses a decimal comma.
    assert_eq!(format_money(1299, "EUR", Some("de-DE")), "12,99\u{a0}€");
}

#[wasm_bindgen_test]
fn jpy_has_no_minor_unit() {
    assert_eq!(currency_fraction_digits("JPY"), 0);
    assert_eq!(currency_fraction_digits("USD"), 2);
    assert_eq!(format_money(1299, "JPY", Some("en-US")), "¥1,299");
}

#[wasm_bindgen_test]
fn malformed_currency_does_not_throw() {
    assert_eq!(format_money(1299, "dollars", Some("en-US")), "1299 DOLLARS");
}

#[wasm_bindgen_test]
async fn compare_at_price_is_struck_through_with_the_saving() {
    let container = fresh_container();
    let _handle = leptos::mount::mount_to(container.clone(), || {
        view! { <Price amount_minor=1299i64 compare_at_minor=1999i64 currency="USD" locale="en-US"/> }
    });
    settle().await;
    let current = find(&container, ".ts-price__current")
        .text_content()
        .unwrap();
    assert_eq!(current, "Now $12.99");
    let was = find(&container, "s.ts-price__compare-at")
        .text_content()
        .unwrap();
    assert_eq!(was, "was $19.99");
    let saving = find(&container, ".ts-price__saving")
        .text_content()
        .unwrap();
    assert_eq!(saving, "Save $7.00");
}

#[wasm_bindgen_test]
async fn no_compare_at_when_it_is_not_higher() {
    let container = fresh_container();
    let _handle = leptos::mount::mount_to(container.clone(), || {
        view! { <Price amount_minor=1299i64 compare_at_minor=999i64 currency="JPY" locale="en-US"/> }
    });
    settle().await;
    assert_eq!(container.text_content().unwrap(), "¥1,299");
    assert!(container.query_selector("s").unwrap().is_none());
}
