//! The client's shared policy, checked natively through a scripted fake transport: which requests
//! are retried (safe methods, or an Idempotency-Key reused on every attempt), how long it waits,
//! and which typed error each failure becomes.
#![cfg(not(target_arch = "wasm32"))]

use std::cell::RefCell;
use std::collections::VecDeque;
use std::future::{Future, ready};
use std::time::Duration;

use api_client::types::{AddCartLineRequest, StaleCart};
use api_client::{
    ApiError, Client, HttpRequest, HttpResponse, Method, RetryPolicy, Transport, TransportError,
};
use futures_executor::block_on;

/// Answers requests from a script and records what it was asked to do.
#[derive(Default)]
struct FakeTransport {
    script: RefCell<VecDeque<Result<HttpResponse, TransportError>>>,
    sent: RefCell<Vec<(HttpRequest, Duration)>>,
    slept: RefCell<Vec<Duration>>,
}

impl FakeTransport {
    fn answering(script: Vec<Result<HttpResponse, TransportError>>) -> Self {
        FakeTransport {
            script: RefCell::new(script.into()),
            ..FakeTransport::default()
        }
    }
}

impl Transport for FakeTransport {
    fn send(
        &self,
        request: &HttpRequest,
        timeout: Duration,
    ) -> impl Future<Output = Result<HttpResponse, TransportError>> {
        self.sent.borrow_mut().push((request.clone(), timeout));
        let answer = self
            .script
            .borrow_mut()
            .pop_front()
            .expect("the client sent more requests than the test scripted");
        ready(answer)
    }

    fn sleep(&self, duration: Duration) -> impl Future<Output = ()> {
        self.slept.borrow_mut().push(duration);
        ready(())
    }

    fn random_unit(&self) -> f64 {
        0.5
    }
}

fn response(status: u16, body: &str) -> Result<HttpResponse, TransportError> {
    Ok(HttpResponse {
        status,
        headers: vec![],
        body: body.to_owned(),
    })
}

const CART: &str = r#"{"id":"c1","version":4,"status":"open","currency":"USD","lines":[],"itemCount":0,
 "totals":{"subtotal":{"amount":0,"currency":"USD"},"discount":{"amount":0,"currency":"USD"},
 "shipping":{"amount":0,"currency":"USD"},"total":{"amount":0,"currency":"USD"}},
 "createdAt":"2026-11-21T10:00:00Z","updatedAt":"2026-11-21T10:00:00Z"}"#;

fn client(script: Vec<Result<HttpResponse, TransportError>>) -> Client<FakeTransport> {
    Client::new("http://shop.test/", FakeTransport::answering(script))
}

fn add_line() -> AddCartLineRequest {
    serde_json::from_str(r#"{"variantId":"v1","quantity":2}"#).unwrap()
}

#[test]
fn get_retries_network_errors_and_gateway_errors_then_succeeds() {
    let client = client(vec![
        Err(TransportError::Network("connection refused".into())),
        response(503, ""),
        response(200, CART),
    ]);
    let cart = block_on(client.get_cart("c1")).expect("third attempt succeeds");
    assert_eq!(cart.version, 4);
    let sent = client.transport().sent.borrow();
    assert_eq!(sent.len(), 3);
    assert!(sent.iter().all(|(request, _)| request.method == Method::Get
        && request.url == "http://shop.test/v1/carts/c1"));
    // Equal jitter with random 0.5: 3/4 of 250 ms, then 3/4 of 500 ms.
    assert_eq!(
        *client.transport().slept.borrow(),
        [
            Duration::from_micros(187_500),
            Duration::from_micros(375_000)
        ]
    );
}

#[test]
fn a_write_without_idempotency_key_is_never_retried() {
    let client = client(vec![response(503, "")]);
    let error = block_on(client.add_cart_line("c1", "4", None, &add_line())).unwrap_err();
    assert_eq!(error.status(), Some(503));
    assert_eq!(client.transport().sent.borrow().len(), 1);
    assert!(client.transport().slept.borrow().is_empty());
}

#[test]
fn a_write_with_idempotency_key_is_retried_with_the_same_key_and_body() {
    let client = client(vec![
        Err(TransportError::Timeout),
        response(502, ""),
        response(200, CART),
    ]);
    block_on(client.add_cart_line("c1", "4", Some("key-123"), &add_line())).unwrap();
    let sent = client.transport().sent.borrow();
    assert_eq!(sent.len(), 3);
    for (request, _) in sent.iter() {
        assert_eq!(request.header("Idempotency-Key"), Some("key-123"));
        assert_eq!(request.header("If-Match"), Some("4"));
        assert_eq!(request.body, sent[0].0.body);
    }
}

#[test]
fn client_errors_are_not_retried_and_carry_the_parsed_problem() {
    let problem = r#"{"type":"urn:tessera:problem:validation","title":"Invalid request","status":422,
        "errors":[{"field":"quantity","code":"range","message":"must be between 1 and 99"}]}"#;
    let client = client(vec![response(422, problem)]);
    let error = block_on(client.add_cart_line("c1", "4", Some("k"), &add_line())).unwrap_err();
    assert_eq!(client.transport().sent.borrow().len(), 1);
    assert_eq!(error.status(), Some(422));
    assert_eq!(error.operation(), "addCartLine");
    let fields: Vec<_> = error
        .field_errors()
        .iter()
        .map(|e| e.field.as_str())
        .collect();
    assert_eq!(fields, ["quantity"]);
    assert_eq!(error.to_string(), "addCartLine: 422 Invalid request");
}

#[test]
fn a_stale_cart_write_exposes_the_current_cart() {
    let body = format!(
        r#"{{"type":"urn:tessera:problem:cart-version-mismatch","title":"Stale cart","status":412,"cart":{CART}}}"#
    );
    let client = client(vec![response(412, &body)]);
    let error = block_on(client.add_cart_line("c1", "3", Some("k"), &add_line())).unwrap_err();
    let stale: StaleCart = error.body_as().expect("a 412 carries StaleCart");
    assert_eq!(stale.cart.version, 4);
}

#[test]
fn retries_stop_after_max_attempts_with_the_last_error() {
    let client = client(vec![
        response(503, ""),
        Err(TransportError::Network("reset".into())),
        Err(TransportError::Timeout),
    ]);
    let error = block_on(client.get_cart("c1")).unwrap_err();
    assert_eq!(client.transport().sent.borrow().len(), 3);
    assert!(matches!(
        error,
        ApiError::Timeout {
            operation: "getCart",
            ..
        }
    ));
}

#[test]
fn the_timeout_is_passed_to_the_transport_and_reported() {
    let client = client(vec![Err(TransportError::Timeout)])
        .with_timeout(Duration::from_millis(1500))
        .with_retry(RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        });
    let error = block_on(client.get_cart("c1")).unwrap_err();
    assert_eq!(
        client.transport().sent.borrow()[0].1,
        Duration::from_millis(1500)
    );
    assert_eq!(
        error,
        ApiError::Timeout {
            operation: "getCart",
            after: Duration::from_millis(1500)
        }
    );
}

#[test]
fn retry_after_from_the_server_is_obeyed_up_to_the_maximum_delay() {
    let throttled = |seconds: &str| {
        Ok(HttpResponse {
            status: 429,
            headers: vec![("retry-after".into(), seconds.into())],
            body: String::new(),
        })
    };
    let client = client(vec![throttled("2"), throttled("60"), response(200, CART)]);
    block_on(client.get_cart("c1")).unwrap();
    assert_eq!(
        *client.transport().slept.borrow(),
        [Duration::from_secs(2), Duration::from_secs(4)]
    );
}

#[test]
fn a_body_that_breaks_the_contract_is_a_decode_error_naming_the_operation() {
    let client = client(vec![response(200, r#"{"id": 5}"#)]);
    let error = block_on(client.get_cart("c1")).unwrap_err();
    assert!(matches!(
        error,
        ApiError::Decode {
            operation: "getCart",
            ..
        }
    ));
    assert!(!error.is_transient());
}

#[test]
fn backoff_grows_exponentially_with_jitter_and_is_capped() {
    let policy = RetryPolicy::default();
    assert_eq!(policy.delay(1, 0.0), Duration::from_millis(125));
    assert_eq!(policy.delay(1, 1.0), Duration::from_millis(250));
    assert_eq!(policy.delay(3, 1.0), Duration::from_millis(1000));
    assert_eq!(policy.delay(10, 1.0), Duration::from_secs(4));
    assert_eq!(policy.delay(10, 0.0), Duration::from_secs(2));
}

#[test]
fn default_headers_bearer_token_and_query_encoding_reach_the_request() {
    let list = r#"{"items":[],"facets":[],"total":0}"#;
    let client = client(vec![response(200, list)]).with_bearer_token("t0k en");
    let query = api_client::ListProductsQuery {
        q: Some("red shoes & more".into()),
        limit: Some(12),
        ..Default::default()
    };
    let _ = block_on(client.list_products(&query));
    let sent = client.transport().sent.borrow();
    let request = &sent[0].0;
    assert_eq!(request.header("authorization"), Some("Bearer t0k en"));
    assert_eq!(request.header("accept"), Some("application/json"));
    assert!(
        request.url.contains("q=red%20shoes%20%26%20more"),
        "{}",
        request.url
    );
    assert!(request.url.contains("limit=12"), "{}", request.url);
    let stream = client.stream_order_events_url("o 1", &Default::default());
    assert_eq!(
        stream,
        "http://shop.test/v1/orders/o%201/events/stream?access_token=t0k%20en"
    );
}
