//! In the browser, floats are parsed and printed by JavaScript: they must still round-trip
//! exactly and stay valid JSON.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn floats_round_trip_through_javascript() {
    for value in [
        0.0,
        -0.5,
        4.5,
        0.1,
        1e-7,
        123_456.789,
        1e21,
        5e-324,
        f64::MAX,
    ] {
        let text = json_codec::to_string(&value);
        assert!(json_codec::parse(&text).is_ok(), "{text} is not JSON");
        assert_eq!(json_codec::from_str::<f64>(&text).unwrap(), value, "{text}");
    }
    assert_eq!(json_codec::to_string(&3.0_f64), "3.0");
    assert_eq!(json_codec::to_string(&f64::INFINITY), "null");
    assert_eq!(json_codec::from_str::<f64>("-2.5E+3").unwrap(), -2500.0);
}
