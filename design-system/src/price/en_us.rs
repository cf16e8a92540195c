//! Money as `Intl.NumberFormat("en-US", {style: "currency"})` writes it, without `Intl` (see
//! `format.rs` for who uses it): the currencies with their own symbol there, ISO 4217 minor digits,
//! grouping by thousands. Any other currency is written with its code first, as Intl writes one
//! it has no symbol for ("XYZ 1,234.56"). `tests/price.rs` holds it to Intl's output.

/// `1299, "USD"` → `"$12.99"`; the locale is ignored (always en-US).
pub fn format_money(amount_minor: i64, currency: &str, _locale: Option<&str>) -> String {
    let currency = currency.trim().to_ascii_uppercase();
    let digits = currency_fraction_digits(&currency);
    let divisor = 10_i64.pow(digits);
    let magnitude = amount_minor.unsigned_abs();
    let whole = grouped(magnitude / divisor.unsigned_abs());
    let number = if digits == 0 {
        whole
    } else {
        let fraction = magnitude % divisor.unsigned_abs();
        format!("{whole}.{fraction:0width$}", width = digits as usize)
    };
    let sign = if amount_minor < 0 { "-" } else { "" };
    match symbol(&currency) {
        Some(symbol) => format!("{sign}{symbol}{number}"),
        None => format!("{sign}{currency}\u{a0}{number}"),
    }
}

/// Minor-unit digits of the currencies that differ from two, as CLDR (and so Intl) gives them;
/// CLDR departs from ISO 4217 where a currency's minor unit is not used (IQD, COP, IDR: none).
pub fn currency_fraction_digits(currency: &str) -> u32 {
    match currency.trim().to_ascii_uppercase().as_str() {
        "JPY" | "KRW" | "VND" | "CLP" | "ISK" | "HUF" | "UGX" | "XAF" | "XOF" | "IQD" | "PYG"
        | "RWF" | "KMF" | "GNF" | "VUV" | "XPF" | "DJF" | "BIF" | "COP" | "IDR" | "LAK" | "IRR"
        | "ALL" | "MGA" | "SOS" | "SYP" | "YER" | "LBP" | "MMK" | "SLL" | "UYI" => 0,
        "KWD" | "BHD" | "OMR" | "JOD" | "TND" | "LYD" => 3,
        "CLF" | "UYW" => 4,
        _ => 2,
    }
}

fn symbol(currency: &str) -> Option<&'static str> {
    Some(match currency {
        "USD" => "$",
        "EUR" => "€",
        "GBP" => "£",
        "JPY" => "¥",
        "INR" => "₹",
        "CAD" => "CA$",
        "AUD" => "A$",
        "CNY" => "CN¥",
        "KRW" => "₩",
        "MXN" => "MX$",
        "BRL" => "R$",
        "NZD" => "NZ$",
        "HKD" => "HK$",
        "ILS" => "₪",
        "VND" => "₫",
        "TWD" => "NT$",
        _ => return None,
    })
}

fn grouped(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}
