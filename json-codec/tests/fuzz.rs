//! Property-based fuzzing of the parser: no input makes it panic, and every document serde_json
//! writes is read back to the same value (through `serde-json-value`'s conversion).
// The read-back check goes through serde_json::Value, which the `serde-json-value` feature adds
// (the server enables it for the workspace test run).
#![cfg(all(not(target_arch = "wasm32"), feature = "serde-json-value"))]

use proptest::prelude::*;
use serde_json::Value;

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        ".*".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::btree_map(".*", inner, 0..8)
                .prop_map(|members| Value::Object(members.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn arbitrary_text_never_panics(text in ".*") {
        let _ = json_codec::parse(&text);
    }

    #[test]
    fn arbitrary_bytes_near_json_never_panic(text in r#"[\[\]{}",:0-9eE.+\-a-z\\ ]{0,64}"#) {
        let _ = json_codec::parse(&text);
    }

    #[test]
    fn what_serde_writes_is_read_back(value in json_value()) {
        for text in [serde_json::to_string(&value).unwrap(), serde_json::to_string_pretty(&value).unwrap()] {
            let read: Value = json_codec::from_str(&text)
                .map_err(|error| TestCaseError::fail(format!("{error:?} for {text}")))?;
            prop_assert_eq!(&read, &value);
        }
    }
}
