//! The generated browser codec (`json_codec` impls) agrees with serde on the request bodies the
//! apps send; responses are covered by every server test, which decodes each body both ways.

use api_client::types::{
    AddCartLineRequest, Address, BeaconBatch, CardDetails, CompleteCheckoutRequest,
    CreateCartRequest, CreateSessionRequest, SelectShippingOptionRequest, StartCheckoutRequest,
    UpdateCartLineRequest,
};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// `text` decodes to the same value both ways, and each side reads what the other writes.
fn agree<T>(text: &str)
where
    T: DeserializeOwned + Serialize + json_codec::FromJson + json_codec::ToJson,
    T: PartialEq + std::fmt::Debug,
{
    let by_serde: T = serde_json::from_str(text).unwrap();
    let by_codec: T = json_codec::from_str(text).unwrap();
    assert_eq!(by_codec, by_serde, "decoding {text}");
    let written = json_codec::to_string(&by_serde);
    assert_eq!(
        serde_json::from_str::<T>(&written).unwrap(),
        by_serde,
        "{written}"
    );
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&written).unwrap(),
        serde_json::to_value(&by_serde).unwrap(),
        "the codec writes what serde writes, member for member"
    );
    let by_serde_text = serde_json::to_string(&by_serde).unwrap();
    assert_eq!(json_codec::from_str::<T>(&by_serde_text).unwrap(), by_serde);
}

#[test]
fn request_bodies_agree_with_serde() {
    agree::<AddCartLineRequest>(r#"{"variantId":"v-1","quantity":2}"#);
    agree::<UpdateCartLineRequest>(r#"{"quantity":0}"#);
    agree::<CreateCartRequest>(r#"{"lines":[{"variantId":"v","quantity":1}]}"#);
    agree::<CreateCartRequest>(r#"{"currency":"EUR"}"#);
    agree::<CreateSessionRequest>(r#"{}"#);
    agree::<CreateSessionRequest>(r#"{"visitorId":"visitor-1"}"#);
    agree::<StartCheckoutRequest>(r#"{"cartId":"c","cartVersion":3}"#);
    agree::<SelectShippingOptionRequest>(r#"{"shippingOptionId":"express"}"#);
    agree::<CompleteCheckoutRequest>(r#"{"paymentToken":"tok_1"}"#);
    agree::<CardDetails>(
        r#"{"number":"4242424242424242","expMonth":12,"expYear":2030,"cvc":"123","holderName":"Ada Ö"}"#,
    );
    agree::<Address>(
        r#"{"name":"Ada","line1":"1 Road","city":"Köln","postalCode":"50667","country":"DE","region":null}"#,
    );
    agree::<BeaconBatch>(
        r#"{"visitorId":"v","beacons":[
            {"kind":"exposure","app":"checkout","releaseId":"r1","at":"2026-01-01T00:00:00Z"},
            {"kind":"load_timing","app":"checkout","releaseId":"r1","phase":"fetch","millis":12.5,"at":"t"},
            {"kind":"web_vital","name":"CLS","value":0.0,"at":"t"},
            {"kind":"error","app":"checkout","message":"boom \"quoted\"\n","at":"t"}
        ]}"#,
    );
}

#[test]
fn unknown_tags_and_enum_values_are_refused_with_the_path() {
    let error = json_codec::from_str::<BeaconBatch>(
        r#"{"visitorId":"v","beacons":[{"kind":"teleport","at":"t"}]}"#,
    )
    .unwrap_err();
    assert_eq!(error.message(), "beacons.0.kind: expected a Beacon `kind`");
}
