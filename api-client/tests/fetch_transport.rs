//! The fetch transport in headless Chromium: real fetches against the test runner's own origin
//! and a closed loopback port, turned into the runtime's typed results.
#![cfg(target_arch = "wasm32")]

use std::time::Duration;

use api_client::{ApiError, Client, FetchTransport, RetryPolicy, new_idempotency_key};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn no_retries() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 1,
        ..RetryPolicy::default()
    }
}

#[wasm_bindgen_test]
async fn an_http_error_status_becomes_a_status_error() {
    // The test runner serves its own files and answers 404 for anything else.
    let client = Client::new("", FetchTransport).with_retry(no_retries());
    let error = client.get_open_api().await.unwrap_err();
    assert_eq!(error.status(), Some(404));
    assert_eq!(error.operation(), "getOpenApi");
}

#[wasm_bindgen_test]
async fn a_refused_connection_becomes_a_network_error() {
    let client = Client::new("http://127.0.0.1:9", FetchTransport)
        .with_retry(no_retries())
        .with_timeout(Duration::from_secs(5));
    let error = client.get_cart("c1").await.unwrap_err();
    assert!(
        matches!(
            error,
            ApiError::Network {
                operation: "getCart",
                ..
            }
        ),
        "{error:?}"
    );
}

#[wasm_bindgen_test]
fn idempotency_keys_are_random_uuids() {
    let (first, second) = (new_idempotency_key(), new_idempotency_key());
    assert_eq!(first.len(), 36);
    assert_ne!(first, second);
}
