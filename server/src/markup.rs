//! The server's one escaper for text it writes into markup: demo SVG drawings and the head tags
//! and attributes of edge-rendered pages.

/// Text safe inside attribute values and element content alike, in HTML and XML (SVG).
pub fn escaped(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&apos;"),
            // XML 1.0 cannot carry most control characters at all, escaped or not.
            c if c.is_control() => {}
            c => escaped.push(c),
        }
    }
    escaped
}
