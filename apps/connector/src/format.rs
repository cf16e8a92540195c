//! How the console writes times and counts: server timestamps (`2026-12-04T20:15:03.120Z`) as
//! `2026-12-04 20:15:03 UTC`, absent values as a dash. Pure functions.

/// A server timestamp for a table cell; anything unexpected is shown as it came.
pub fn time(at: Option<&str>) -> String {
    let Some(at) = at else {
        return "—".to_owned();
    };
    match (at.get(..10), at.get(11..19)) {
        (Some(day), Some(clock)) if at.as_bytes().get(10) == Some(&b'T') => {
            format!("{day} {clock} UTC")
        }
        _ => at.to_owned(),
    }
}

/// The hour of an activity bucket, for a chart's axis: `20:00`.
pub fn hour(at: &str) -> String {
    at.get(11..16).unwrap_or(at).to_owned()
}

/// An optional count or figure.
pub fn count<T: std::fmt::Display>(value: Option<T>) -> String {
    value.map_or_else(|| "—".to_owned(), |value| value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn times_read_as_utc_and_absent_ones_as_a_dash() {
        assert_eq!(
            time(Some("2026-12-04T20:15:03.120Z")),
            "2026-12-04 20:15:03 UTC"
        );
        assert_eq!(time(None), "—");
        assert_eq!(time(Some("soon")), "soon");
        assert_eq!(hour("2026-12-04T20:00:00.000Z"), "20:00");
        assert_eq!(count(Some(3)), "3");
        assert_eq!(count(None::<i64>), "—");
    }
}
