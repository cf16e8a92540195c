//! Money as `Intl.NumberFormat("en-US", {style: "currency"})` writes it, for server-side renders
//! where there is no `Intl`: the currencies with their own symbol there, ISO 4217 minor digits,
//! grouping by thousands. Anything else is written `1,234.56 XYZ`-style with the code, as Intl
//! writes an unknown symbol ("XYZ 1,234.56"), so the text is never wrong, only plainer.

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

/// ISO 4217 minor units of the currencies that differ from two.
pub fn currency_fraction_digits(currency: &str) -> u32 {
    match currency.trim().to_ascii_uppercase().as_str() {
        "JPY" | "KRW" | "VND" | "CLP" | "ISK" | "HUF" | "TWD" | "UGX" | "XAF" | "XOF" => 0,
        "KWD" | "BHD" | "OMR" | "JOD" | "TND" | "LYD" | "IQD" => 3,
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
        if index > 0 && (digits.len() - index) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_what_intl_writes_for_en_us() {
        assert_eq!(format_money(1299, "USD", None), "$12.99");
        assert_eq!(format_money(123_456_789, "usd", None), "$1,234,567.89");
        assert_eq!(format_money(-500, "EUR", None), "-€5.00");
        assert_eq!(format_money(1500, "JPY", None), "¥1,500");
        assert_eq!(format_money(1234, "KWD", None), "KWD\u{a0}1.234");
        assert_eq!(format_money(5, "XYZ", None), "XYZ\u{a0}0.05");
    }
}
