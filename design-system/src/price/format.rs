//! Money formatting through the browser's `Intl.NumberFormat`: the currency's own number of
//! fraction digits (JPY 0, USD and EUR 2, KWD 3) comes from `resolvedOptions()`, so minor units
//! convert correctly without a hand-kept table. Never formats numbers by hand in the browser; a
//! server-side render (feature `ssr`, no `Intl` in WASI) uses `en_us.rs`, and the bundle that
//! hydrates the page formats in the shopper's locale from the first update on.

#[path = "en_us.rs"]
mod en_us;
/// What a server-side render writes; proven equal to Intl's en-US output in `tests/price.rs`.
pub use en_us::format_money as format_money_en_us;
#[cfg(feature = "ssr")]
pub use en_us::{currency_fraction_digits, format_money};

#[cfg(not(feature = "ssr"))]
use js_sys::{Array, Function, Intl, Object, Reflect};
#[cfg(not(feature = "ssr"))]
use wasm_bindgen::JsValue;

/// Formats an amount in minor units (cents, yen) as a currency string for `locale`
/// (`None` = the browser's locale), for example `1299, "USD", "en-US"` → `"$12.99"`.
#[cfg(not(feature = "ssr"))]
pub fn format_money(amount_minor: i64, currency: &str, locale: Option<&str>) -> String {
    let currency = currency.trim().to_ascii_uppercase();
    // Intl throws a RangeError on a malformed currency code, and a throw from a non-catching
    // binding would abort the whole app, so only well-formed codes reach it.
    if currency.len() != 3 || !currency.bytes().all(|byte| byte.is_ascii_uppercase()) {
        return format!("{amount_minor} {currency}");
    }
    let formatter = currency_formatter(&currency, locale);
    let fraction_digits = fraction_digits_of(&formatter);
    let amount = amount_minor as f64 / 10_f64.powi(fraction_digits as i32);
    let format: Function = formatter.format();
    format
        .call1(&JsValue::NULL, &JsValue::from_f64(amount))
        .ok()
        .and_then(|formatted| formatted.as_string())
        .unwrap_or_else(|| format!("{amount_minor} {currency}"))
}

/// The number of minor-unit digits of a currency as the browser knows it (JPY → 0, USD → 2).
#[cfg(not(feature = "ssr"))]
pub fn currency_fraction_digits(currency: &str) -> u32 {
    let currency = currency.trim().to_ascii_uppercase();
    if currency.len() != 3 || !currency.bytes().all(|byte| byte.is_ascii_uppercase()) {
        return 2;
    }
    fraction_digits_of(&currency_formatter(&currency, Some("en-US")))
}

#[cfg(not(feature = "ssr"))]
fn currency_formatter(currency: &str, locale: Option<&str>) -> Intl::NumberFormat {
    let locales = Array::new();
    if let Some(locale) = locale.filter(|locale| is_plausible_locale(locale)) {
        locales.push(&JsValue::from_str(locale));
    }
    let options = Object::new();
    let _ = Reflect::set(&options, &"style".into(), &"currency".into());
    let _ = Reflect::set(&options, &"currency".into(), &JsValue::from_str(currency));
    Intl::NumberFormat::new(&locales, &options)
}

#[cfg(not(feature = "ssr"))]
fn fraction_digits_of(formatter: &Intl::NumberFormat) -> u32 {
    Reflect::get(
        &formatter.resolved_options(),
        &"maximumFractionDigits".into(),
    )
    .ok()
    .and_then(|digits| digits.as_f64())
    .map_or(2, |digits| digits as u32)
}

/// Intl also throws on malformed language tags; letters, digits and hyphens are safe.
#[cfg(not(feature = "ssr"))]
fn is_plausible_locale(locale: &str) -> bool {
    !locale.is_empty()
        && locale.len() <= 35
        && locale
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-')
        && !locale.starts_with('-')
        && !locale.ends_with('-')
        && !locale.contains("--")
}
