//! Carts over real HTTP: authentication, optimistic concurrency with If-Match, validation with
//! field errors, promotions, and idempotent writes.

mod common;

use api_client::types::{Cart, StaleCart};
use common::{TestServer, fetch_json, fetch_problem, json_of, problem};
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn carts_need_a_token() {
    let server = TestServer::start().await;
    let response = server
        .public(Method::POST, "/v1/carts")
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    problem(response, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let response = server
        .http
        .post(server.url("/v1/carts"))
        .bearer_auth("made-up")
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    problem(response, StatusCode::UNAUTHORIZED, "unauthorized").await;
    server.stop().await;
}

#[tokio::test]
async fn versions_guard_against_lost_updates() {
    let server = TestServer::start().await;
    let (_, variant) = server.buyable_variant(3).await;
    let cart = server.create_cart(&variant, 1).await;
    assert_eq!(cart.version, 1);
    assert_eq!(cart.item_count, 1);
    let path = format!("/v1/carts/{}/lines", cart.id);

    let updated: Cart = fetch_json(
        server
            .shopper(Method::POST, &path)
            .header("If-Match", "1")
            .json(&json!({"variantId": variant, "quantity": 1})),
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        (updated.version, updated.item_count, updated.lines.len()),
        (2, 2, 1),
        "same variant merges into one line"
    );

    // A second tab still at version 1 is told about version 2 instead of overwriting it.
    let stale = server
        .shopper(Method::POST, &path)
        .header("If-Match", "1")
        .json(&json!({"variantId": variant, "quantity": 1}))
        .send()
        .await
        .unwrap();
    let body = problem(stale, StatusCode::PRECONDITION_FAILED, "stale-cart").await;
    let stale: StaleCart = serde_json::from_value(body).unwrap();
    assert_eq!(stale.cart.version, 2);

    let missing = server
        .shopper(Method::POST, &path)
        .json(&json!({"variantId": variant, "quantity": 1}))
        .send()
        .await
        .unwrap();
    problem(
        missing,
        StatusCode::PRECONDITION_REQUIRED,
        "precondition-required",
    )
    .await;

    let line = &updated.lines[0];
    let changed: Cart = fetch_json(
        server
            .shopper(Method::PATCH, &format!("{path}/{}", line.id))
            .header("If-Match", "2")
            .json(&json!({"quantity": 3})),
        StatusCode::OK,
    )
    .await;
    assert_eq!((changed.version, changed.item_count), (3, 3));
    assert_eq!(changed.totals.subtotal.amount, line.unit_price.amount * 3);

    let emptied: Cart = fetch_json(
        server
            .shopper(Method::DELETE, &format!("{path}/{}", line.id))
            .header("If-Match", "3"),
        StatusCode::OK,
    )
    .await;
    assert!(emptied.lines.is_empty());
    server.stop().await;
}

#[tokio::test]
async fn bad_input_gets_field_errors() {
    let server = TestServer::start().await;
    let (_, variant) = server.buyable_variant(1).await;
    let cart = server.create_cart(&variant, 1).await;
    let path = format!("/v1/carts/{}/lines", cart.id);
    let send = |body: String| {
        server
            .shopper(Method::POST, &path)
            .header("If-Match", "1")
            .header("content-type", "application/json")
            .body(body)
            .send()
    };

    let body = problem(
        send(format!(r#"{{"variantId":"{variant}","quantity":0}}"#))
            .await
            .unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation-failed",
    )
    .await;
    assert_eq!(body["errors"][0]["field"], "quantity");
    problem(
        send(format!(r#"{{"variantId":"{variant}","quantity":-4}}"#))
            .await
            .unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation-failed",
    )
    .await;
    problem(
        send(format!(r#"{{"variantId":"{variant}","quantity":100000}}"#))
            .await
            .unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation-failed",
    )
    .await;
    let body = problem(
        send(format!(r#"{{"variantId":"{variant}","quantity":"two"}}"#))
            .await
            .unwrap(),
        StatusCode::BAD_REQUEST,
        "malformed-request",
    )
    .await;
    assert_eq!(body["errors"][0]["field"], "quantity");
    let body = problem(
        send(r#"{"quantity":1}"#.into()).await.unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation-failed",
    )
    .await;
    assert!(
        body["detail"].as_str().unwrap().contains("variantId"),
        "{body}"
    );
    problem(
        send(r#"{"variantId": "#.into()).await.unwrap(),
        StatusCode::BAD_REQUEST,
        "malformed-request",
    )
    .await;
    problem(
        send(r#"{"variantId":"00000000-0000-0000-0000-000000000000","quantity":1}"#.into())
            .await
            .unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "variant-unavailable",
    )
    .await;
    let huge = format!(r#"{{"variantId":"{}","quantity":1}}"#, "x".repeat(200_000));
    problem(
        send(huge).await.unwrap(),
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload-too-large",
    )
    .await;
    fetch_problem(
        server.shopper(Method::GET, "/v1/carts/nope"),
        StatusCode::BAD_REQUEST,
        "malformed-request",
    )
    .await;
    fetch_problem(
        server.shopper(
            Method::GET,
            "/v1/carts/00000000-0000-0000-0000-000000000000",
        ),
        StatusCode::NOT_FOUND,
        "not-found",
    )
    .await;
    // Only telemetry beacons may arrive as text/plain (sendBeacon); everything else is JSON.
    let as_text = server
        .shopper(Method::POST, &path)
        .header("If-Match", "1")
        .header("content-type", "text/plain")
        .body(format!(r#"{{"variantId":"{variant}","quantity":1}}"#))
        .send()
        .await
        .unwrap();
    problem(
        as_text,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "malformed-request",
    )
    .await;

    // None of the rejected writes moved the cart.
    let current: Cart = fetch_json(
        server.shopper(Method::GET, &format!("/v1/carts/{}", cart.id)),
        StatusCode::OK,
    )
    .await;
    assert_eq!(current.version, 1);
    server.stop().await;
}

#[tokio::test]
async fn out_of_stock_and_over_stock_quantities_are_refused() {
    let server = TestServer::start().await;
    let mut sold_out = None;
    let mut low = None;
    for summary in server.products("limit=100").await.items {
        for variant in server.product(&summary.slug).await.variants {
            match variant.availability {
                api_client::types::Availability::OutOfStock => sold_out = Some(variant.id),
                api_client::types::Availability::LowStock { remaining } => {
                    low = Some((variant.id, remaining))
                }
                _ => {}
            }
        }
    }
    let (low, remaining) = low.expect("a low-stock variant");
    let response = server
        .shopper(Method::POST, "/v1/carts")
        .json(&json!({"lines": [{"variantId": sold_out.expect("a sold-out variant"), "quantity": 1}]}))
        .send()
        .await
        .unwrap();
    problem(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "variant-unavailable",
    )
    .await;
    let response = server
        .shopper(Method::POST, "/v1/carts")
        .json(&json!({"lines": [{"variantId": low, "quantity": remaining + 1}]}))
        .send()
        .await
        .unwrap();
    let body = problem(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "quantity-unavailable",
    )
    .await;
    assert_eq!(body["errors"][0]["field"], "lines.0.quantity");
    server.stop().await;
}

#[tokio::test]
async fn promotion_codes_explain_why_they_do_not_apply() {
    let server = TestServer::start().await;
    let (product, variant) = server.buyable_variant(1).await;
    let cart = server.create_cart(&variant, 1).await;
    let apply = |code: &str, version: i64| {
        server
            .shopper(Method::PUT, &format!("/v1/carts/{}/promotion", cart.id))
            .header("If-Match", version.to_string())
            .json(&json!({"code": code}))
            .send()
    };
    problem(
        apply("NOPE", 1).await.unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "promotion-unknown",
    )
    .await;
    problem(
        apply("summer15", 1).await.unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "promotion-expired",
    )
    .await;
    if cart.totals.subtotal.amount < 10_000 {
        problem(
            apply("SAVE20", 1).await.unwrap(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "promotion-minimum-spend-not-met",
        )
        .await;
    }
    let discounted: Cart = json_of(apply("welcome10", 1).await.unwrap(), StatusCode::OK).await;
    let promotion = discounted.promotion.expect("applied");
    assert_eq!(promotion.code, "WELCOME10");
    assert_eq!(
        discounted.totals.discount.amount,
        discounted.totals.subtotal.amount / 10
    );
    assert_eq!(
        discounted.totals.total.amount,
        discounted.totals.subtotal.amount - discounted.totals.discount.amount
    );
    let removed: Cart = fetch_json(
        server
            .shopper(Method::DELETE, &format!("/v1/carts/{}/promotion", cart.id))
            .header("If-Match", "2"),
        StatusCode::OK,
    )
    .await;
    assert!(removed.promotion.is_none());
    assert!(product.variants.iter().any(|v| v.id == variant));
    server.stop().await;
}

#[tokio::test]
async fn a_retried_write_with_its_key_happens_once() {
    let server = TestServer::start().await;
    let (_, variant) = server.buyable_variant(2).await;
    let cart = server.create_cart(&variant, 1).await;
    let add = || {
        server
            .shopper(Method::POST, &format!("/v1/carts/{}/lines", cart.id))
            .header("If-Match", "1")
            .header("Idempotency-Key", "add-line-key-1")
            .json(&json!({"variantId": variant, "quantity": 1}))
            .send()
    };
    let first: Cart = json_of(add().await.unwrap(), StatusCode::OK).await;
    let retry = add().await.unwrap();
    assert_eq!(retry.headers()["idempotent-replayed"], "true");
    let replayed: Cart = json_of(retry, StatusCode::OK).await;
    assert_eq!(first, replayed);
    assert_eq!(replayed.item_count, 2, "the line was added once");

    let other_body = server
        .shopper(Method::POST, &format!("/v1/carts/{}/lines", cart.id))
        .header("If-Match", "1")
        .header("Idempotency-Key", "add-line-key-1")
        .json(&json!({"variantId": variant, "quantity": 2}))
        .send()
        .await
        .unwrap();
    problem(
        other_body,
        StatusCode::UNPROCESSABLE_ENTITY,
        "idempotency-key-reused",
    )
    .await;
    server.stop().await;
}
