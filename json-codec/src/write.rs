//! Writing JSON text: escaped strings, numbers, and objects member by member.

use crate::ToJson;

pub(crate) fn unsigned(out: &mut String, mut value: u64) {
    let mut digits = [0_u8; 20];
    let mut start = digits.len();
    loop {
        start -= 1;
        digits[start] = b'0' + (value % 10) as u8;
        value /= 10;
        if value == 0 {
            break;
        }
    }
    for &digit in &digits[start..] {
        out.push(char::from(digit));
    }
}

pub(crate) fn signed(out: &mut String, value: i64) {
    if value < 0 {
        out.push('-');
    }
    unsigned(out, value.unsigned_abs());
}

/// The shortest text that reads back as the same `f64`, with a `.0` on whole numbers so a
/// reader that tells integers from floats (serde_json's `Value`) still sees a float. JSON has no
/// NaN or infinity, so those are `null`, as serde_json writes them.
pub(crate) fn float(out: &mut String, value: f64) {
    if !value.is_finite() {
        out.push_str("null");
        return;
    }
    let start = out.len();
    shortest_float(out, value);
    if !out[start..].contains(['.', 'e']) {
        out.push_str(".0");
    }
}

/// In the browser, JavaScript's own shortest round-trip printing: Rust's (several KB of tables
/// and code) would otherwise be linked into every app for the few floats the contract has.
#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
fn shortest_float(out: &mut String, value: f64) {
    if let Ok(text) = js_sys::Number::from(value).to_string_with_radix(10) {
        out.push_str(&String::from(text));
    }
}

/// Exponent form when plain digits would run long: serde_json refuses a 309-digit `f64::MAX`.
#[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
fn shortest_float(out: &mut String, value: f64) {
    use std::fmt::Write;
    let magnitude = value.abs();
    let _ = if magnitude != 0.0 && !(1e-6..1e16).contains(&magnitude) {
        write!(out, "{value:e}")
    } else {
        write!(out, "{value}")
    };
}

pub(crate) fn string(out: &mut String, text: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    let mut run_start = 0;
    for (index, byte) in text.bytes().enumerate() {
        let escape = match byte {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(&text[run_start..index]);
        run_start = index + 1;
        if escape.is_empty() {
            out.push_str("\\u00");
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0xf)]));
        } else {
            out.push_str(escape);
        }
    }
    out.push_str(&text[run_start..]);
    out.push('"');
}

/// Writes an object's members in order; generated `ToJson` impls use it.
pub struct ObjectWriter<'a> {
    out: &'a mut String,
    empty: bool,
}

impl<'a> ObjectWriter<'a> {
    pub fn new(out: &'a mut String) -> Self {
        out.push('{');
        Self { out, empty: true }
    }

    pub fn field<T: ToJson + ?Sized>(&mut self, key: &str, value: &T) {
        if !self.empty {
            self.out.push(',');
        }
        self.empty = false;
        string(self.out, key);
        self.out.push(':');
        value.write_json(self.out);
    }

    /// Writes the member only when there is a value (serde's `skip_serializing_if = is_none`).
    pub fn optional<T: ToJson>(&mut self, key: &str, value: &Option<T>) {
        if let Some(value) = value {
            self.field(key, value);
        }
    }

    pub fn end(self) {
        self.out.push('}');
    }
}
