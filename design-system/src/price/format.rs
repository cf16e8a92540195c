//! Money formatting: the browser's `Intl.NumberFormat` for every locale but en-US, which is
//! written by `en_us.rs` everywhere. A server-side render has no `Intl` (WASI), and in the browser
//! the first `Intl.NumberFormat` loads ICU's number data: 23 ms of main thread while the product
//! page hydrates here, 91 ms under Lighthouse's 4x CPU throttle, for text the renderer already
//! wrote. `tests/price.rs` holds `en_us.rs` to Intl's en-US output, so both write the same.
//! Minor-unit digits come from ISO 4217 (`currency_fraction_digits`), checked against Intl there too.

#[path = "en_us.rs"]
mod en_us;
pub use en_us::currency_fraction_digits;
/// What a server-side render writes; proven equal to Intl's en-US output in `tests/price.rs`.
pub use en_us::format_money as format_money_en_us;
#[cfg(feature = "ssr")]
pub use en_us::format_money;

#[cfg(not(feature = "ssr"))]
use js_sys::{Array, Function, Intl, Object, Reflect};
#[cfg(not(feature = "ssr"))]
use wasm_bindgen::JsValue;

/// Formats an amount in minor units (cents, yen) as a currency string for `locale`
/// (`None` = the browser's locale), for example `1299, "USD", "en-US"` → `"$12.99"`.
#[cfg(not(feature = "ssr"))]
pub fn format_money(amount_minor: i64, currency: &str, locale: Option<&str>) -> String {
    let code = currency.trim().to_ascii_uppercase();
    if is_currency_code(&code) && speaks_en_us(locale) {
        return format_money_en_us(amount_minor, &code, None);
    }
    format_money_with_intl(amount_minor, currency, locale)
}

/// [`format_money`] through `Intl.NumberFormat` whatever the locale.
#[cfg(not(feature = "ssr"))]
pub fn format_money_with_intl(amount_minor: i64, currency: &str, locale: Option<&str>) -> String {
    let currency = currency.trim().to_ascii_uppercase();
    // Intl throws a RangeError on a malformed currency code, and a throw from a non-catching
    // binding would abort the whole app, so only well-formed codes reach it.
    if !is_currency_code(&currency) {
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

/// The number of minor-unit digits Intl gives a currency (JPY → 0, USD → 2); the tests hold
/// [`currency_fraction_digits`] to it.
#[cfg(not(feature = "ssr"))]
pub fn currency_fraction_digits_with_intl(currency: &str) -> u32 {
    fraction_digits_of(&currency_formatter(currency, Some("en-US")))
}

#[cfg(not(feature = "ssr"))]
fn is_currency_code(code: &str) -> bool {
    code.len() == 3 && code.bytes().all(|byte| byte.is_ascii_uppercase())
}

/// Whether `locale`, or the browser's language when there is none, is US English.
#[cfg(not(feature = "ssr"))]
fn speaks_en_us(locale: Option<&str>) -> bool {
    let browser_language = || web_sys::window().and_then(|window| window.navigator().language());
    locale
        .map(str::to_owned)
        .or_else(browser_language)
        .is_some_and(|locale| locale.eq_ignore_ascii_case("en-US"))
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
