//! The contract gate over real HTTP: every bound the outside probe found unenforced is refused
//! with the contract's status, problem type and field-error code, and nothing was written.

mod common;

use api_client::types::{Cart, Checkout};
use common::{TestServer, fetch_json, fetch_problem};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// The `(field, code)` pairs of a problem's `errors`.
fn field_codes(body: &Value) -> Vec<(String, String)> {
    body["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|error| {
            (
                error["field"].as_str().unwrap_or_default().to_owned(),
                error["code"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

fn has(body: &Value, field: &str, code: &str) -> bool {
    field_codes(body).contains(&(field.to_owned(), code.to_owned()))
}

#[tokio::test]
async fn bodies_beyond_the_contracts_bounds_are_refused() {
    let server = TestServer::start().await;
    let (_, variant) = server.buyable_variant(1).await;
    let cart = server.create_cart(&variant, 1).await;
    let checkout: Checkout = fetch_json(
        server
            .shopper(Method::POST, "/v1/checkouts")
            .json(&json!({"cartId": cart.id})),
        StatusCode::CREATED,
    )
    .await;
    let addresses = format!("/v1/checkouts/{}/addresses", checkout.id);
    let address = |field: &str, value: Value| {
        let mut address = json!({"name": "Ada Lovelace", "line1": "1 Main St", "city": "San Francisco",
            "region": "CA", "postalCode": "94105", "country": "US"});
        address[field] = value;
        json!({ "shippingAddress": address })
    };
    for (field, value, code) in [
        ("line2", json!("x".repeat(60_000)), "too_long"),
        ("phone", json!("1".repeat(1_000)), "too_long"),
        ("name", json!("Ada\u{0}Lovelace"), "pattern"),
        ("city", json!(""), "required"),
        ("country", json!("usa"), "too_long"),
    ] {
        let body = fetch_problem(
            server
                .shopper(Method::PUT, &addresses)
                .json(&address(field, value)),
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation-failed",
        )
        .await;
        let path = format!("shippingAddress.{field}");
        assert!(has(&body, &path, code), "{field}: {body}");
        assert!(
            !body.to_string().contains("xxxxxxxx"),
            "values are not echoed"
        );
    }
    let wrong_type = fetch_problem(
        server
            .shopper(Method::PUT, &addresses)
            .json(&address("postalCode", json!(94105))),
        StatusCode::BAD_REQUEST,
        "malformed-request",
    )
    .await;
    assert!(
        has(&wrong_type, "shippingAddress.postalCode", "invalid_value"),
        "{wrong_type}"
    );

    let lines: Vec<Value> = (0..51)
        .map(|_| json!({"variantId": variant, "quantity": 1}))
        .collect();
    let body = fetch_problem(
        server
            .shopper(Method::POST, "/v1/carts")
            .json(&json!({"currency": "USD", "lines": lines})),
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation-failed",
    )
    .await;
    assert!(has(&body, "lines", "too_long"), "{body}");

    let promotion = format!("/v1/carts/{}/promotion", cart.id);
    let body = fetch_problem(
        server
            .shopper(Method::PUT, &promotion)
            .header("If-Match", "1")
            .json(&json!({"code": "<script>"})),
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation-failed",
    )
    .await;
    assert!(has(&body, "code", "pattern"), "{body}");

    let beacons: Vec<Value> = (0..101)
        .map(|_| json!({"kind": "exposure", "app": "checkout", "releaseId": "r1", "at": "2026-12-02T00:00:00Z"}))
        .collect();
    let body = fetch_problem(
        server
            .public(Method::POST, "/v1/telemetry/beacons")
            .header("content-type", "text/plain")
            .body(
                json!({"visitorId": "0b6f6f7e-3d1a-4e8b-a0c5-6f7e8d9a0b1c", "beacons": beacons})
                    .to_string(),
            ),
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation-failed",
    )
    .await;
    assert!(has(&body, "beacons", "too_long"), "{body}");

    // None of it was written.
    let unchanged: Cart = fetch_json(
        server.shopper(Method::GET, &format!("/v1/carts/{}", cart.id)),
        StatusCode::OK,
    )
    .await;
    assert_eq!(unchanged.version, 1);
    assert!(unchanged.promotion.is_none());
    let still_open: Checkout = fetch_json(
        server.shopper(Method::GET, &format!("/v1/checkouts/{}", checkout.id)),
        StatusCode::OK,
    )
    .await;
    assert!(still_open.shipping_address.is_none());
    server.stop().await;
}

#[tokio::test]
async fn parameters_beyond_the_contracts_bounds_are_400() {
    let server = TestServer::start().await;
    let cases = [
        ("/v1/products?limit=1000", "limit", "out_of_range"),
        ("/v1/products?limit=ten", "limit", "invalid_format"),
        ("/v1/products?sort=cheapest", "sort", "invalid_value"),
        ("/v1/products?cursor=garbage", "cursor", "pattern"),
        ("/v1/products?minPrice=-1", "minPrice", "out_of_range"),
        ("/v1/products?limit=1&limit=2", "limit", "invalid_value"),
        (
            "/v1/products/organic-cotton-tee/related?limit=25",
            "limit",
            "out_of_range",
        ),
        (
            "/v1/products/organic-cotton-tee/reviews?limit=51",
            "limit",
            "out_of_range",
        ),
        ("/v1/products/Not%20A%20Slug", "productSlug", "pattern"),
        ("/v1/carts/nope", "cartId", "invalid_format"),
        ("/v1/orders/1%27%20OR%201=1", "orderId", "invalid_format"),
    ];
    for (path, field, code) in cases {
        let body = fetch_problem(
            server.shopper(Method::GET, path),
            StatusCode::BAD_REQUEST,
            "malformed-request",
        )
        .await;
        assert!(has(&body, field, code), "{path}: {body}");
    }
    let long_query = format!("/v1/products?q={}", "a".repeat(201));
    let body = fetch_problem(
        server.public(Method::GET, &long_query),
        StatusCode::BAD_REQUEST,
        "malformed-request",
    )
    .await;
    assert!(has(&body, "q", "too_long"), "{body}");
    let brands: String = (0..21).map(|n| format!("&brand=b{n}")).collect();
    let body = fetch_problem(
        server.public(Method::GET, &format!("/v1/products?limit=5{brands}")),
        StatusCode::BAD_REQUEST,
        "malformed-request",
    )
    .await;
    assert!(has(&body, "brand", "too_long"), "{body}");

    let order = server
        .placed_order("4242424242424242", "contract-gate-order")
        .await;
    let body = fetch_problem(
        server
            .shopper(
                Method::GET,
                &format!("/v1/orders/{}/events/stream", order.id),
            )
            .header("Last-Event-ID", "9999999999999999999"),
        StatusCode::BAD_REQUEST,
        "malformed-request",
    )
    .await;
    assert!(has(&body, "Last-Event-ID", "pattern"), "{body}");
    // Within the bounds, the same requests are answered.
    for path in [
        "/v1/products?limit=100&minPrice=0&brand=Northwind",
        "/v1/products/organic-cotton-tee/related?limit=24",
        "/v1/products/organic-cotton-tee/reviews?limit=50",
    ] {
        let response = server.public(Method::GET, path).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{path}");
    }
    server.stop().await;
}
