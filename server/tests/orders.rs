//! The order lifecycle over real HTTP: success, a decline and the next card as another attempt of
//! the same order, insufficient funds, a stock shortfall after payment with its refund,
//! exactly-once completion under 50 concurrent retries, dead letters replayed and discarded, and
//! the live event stream.

mod common;

use api_client::types::{
    DeadLetterPage, Order, OrderEventPage, OrderStatus, OrderSummaryPage, PaymentPage,
};
use common::{
    TestServer, event_types, fetch_json, fetch_problem, json_of, payload_fits_its_schema, problem,
    status_of, text_of,
};
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn a_successful_order_is_placed_paid_reserved_and_confirmed() {
    let server = TestServer::start().await;
    let (_, variant) = server.buyable_variant(1).await;
    let cart = server.create_cart(&variant, 1).await;
    let checkout = server.ready_checkout(&cart).await;
    assert!(checkout.missing.is_empty());
    assert_eq!(
        checkout.totals.total.amount,
        checkout.totals.subtotal.amount + 499
    );

    let token = server.card_token("4242424242424242").await;
    let response = server
        .complete(&checkout.id, &token, "complete-key-success")
        .send()
        .await
        .unwrap();
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let pending: Order = json_of(response, StatusCode::ACCEPTED).await;
    assert_eq!(location, format!("/v1/orders/{}", pending.id));
    assert_eq!(pending.status, OrderStatus::Pending);
    assert_eq!(pending.payment.last4, "4242");

    let order = server
        .order_reaching(&pending.id, &[OrderStatus::Confirmed])
        .await;
    assert_eq!(
        event_types(&order),
        [
            "OrderPlaced",
            "PaymentAuthorized",
            "InventoryReserved",
            "OrderConfirmed"
        ]
    );
    assert!(
        order
            .timeline
            .windows(2)
            .all(|w| w[0].sequence < w[1].sequence)
    );
    assert!(order.timeline.iter().all(|e| e.schema_version == 1));
    for event in &order.timeline {
        assert!(
            payload_fits_its_schema(event),
            "{:?} data does not fit its contract schema: {:?}",
            event.type_,
            event.data
        );
    }

    // The cart became the order and refuses further writes.
    let write = server
        .shopper(Method::POST, &format!("/v1/carts/{}/lines", cart.id))
        .header("If-Match", cart.version.to_string())
        .json(&json!({"variantId": variant, "quantity": 1}))
        .send()
        .await
        .unwrap();
    problem(write, StatusCode::CONFLICT, "conflict").await;
    server.stop().await;
}

#[tokio::test]
async fn a_declined_card_takes_no_money_and_another_card_places_one_order() {
    let server = TestServer::start().await;
    let (_, variant) = server.buyable_variant(1).await;
    let cart = server.create_cart(&variant, 1).await;
    let checkout = server.ready_checkout(&cart).await;

    let declined = server
        .pay(&checkout.id, "4000000000000002", "complete-declined-1")
        .await;
    let declined = server
        .order_reaching(&declined.id, &[OrderStatus::PaymentDeclined])
        .await;
    assert_eq!(event_types(&declined), ["OrderPlaced", "PaymentDeclined"]);
    assert_eq!(declined.timeline[1].data.0["reason"], "card_declined");
    assert!(declined.timeline.iter().all(payload_fits_its_schema));

    let placed = server
        .pay(&checkout.id, "4242424242424242", "complete-good-2")
        .await;
    // The second card is another attempt of the same order, not a second order.
    assert_eq!(placed.id, declined.id);
    assert_eq!(placed.number, declined.number, "order numbers do not jump");
    assert_eq!(placed.status, OrderStatus::Pending);
    let confirmed_order = server
        .order_reaching(&placed.id, &[OrderStatus::Confirmed])
        .await;
    assert_eq!(
        event_types(&confirmed_order),
        [
            "OrderPlaced",
            "PaymentDeclined",
            "PaymentRetried",
            "PaymentAuthorized",
            "InventoryReserved",
            "OrderConfirmed"
        ]
    );
    assert_eq!(confirmed_order.timeline[2].data.0["attempt"], 2);
    assert_eq!(confirmed_order.payment.last4, "4242");
    assert!(confirmed_order.timeline.iter().all(payload_fits_its_schema));

    let payments: PaymentPage =
        fetch_json(server.ops(Method::GET, "/v1/ops/payments"), StatusCode::OK).await;
    let captured: Vec<_> = payments
        .items
        .iter()
        .filter(|p| p.captured_amount.amount > 0)
        .collect();
    assert_eq!(captured.len(), 1, "only the good card was charged");
    let declined_payment = payments
        .items
        .iter()
        .find(|p| p.order_id == declined.id)
        .unwrap();
    assert_eq!(declined_payment.captured_amount.amount, 0);
    assert_eq!(payments.items.len(), 2, "two attempts of one order");
    let orders: OrderSummaryPage =
        fetch_json(server.ops(Method::GET, "/v1/ops/orders"), StatusCode::OK).await;
    assert_eq!(orders.items.len(), 1, "one purchase, one order: {orders:?}");
    assert_eq!(orders.items[0].status, OrderStatus::Confirmed);
    server.stop().await;
}

#[tokio::test]
async fn insufficient_funds_is_a_decline_with_its_reason() {
    let server = TestServer::start().await;
    let order = server
        .placed_order("4000000000009995", "complete-funds-1")
        .await;
    let order = server
        .order_reaching(&order.id, &[OrderStatus::PaymentDeclined])
        .await;
    assert_eq!(order.timeline[1].data.0["reason"], "insufficient_funds");
    server.stop().await;
}

#[tokio::test]
async fn a_stock_shortfall_after_payment_is_refunded() {
    let server = TestServer::start().await;
    let (variant, available) = server.low_stock_variant().await;
    // Two shoppers each put all remaining units in their carts; only one can have them.
    let first = server
        .ready_checkout(&server.create_cart(&variant, available).await)
        .await;
    let second = server
        .ready_checkout(&server.create_cart(&variant, available).await)
        .await;
    let winner = server
        .pay(&first.id, "4242424242424242", "shortfall-first")
        .await;
    server
        .order_reaching(&winner.id, &[OrderStatus::Confirmed])
        .await;
    let loser = server
        .pay(&second.id, "4242424242424242", "shortfall-second")
        .await;
    let refunded = server
        .order_reaching(&loser.id, &[OrderStatus::Refunded])
        .await;
    assert_eq!(
        event_types(&refunded),
        [
            "OrderPlaced",
            "PaymentAuthorized",
            "InventoryShortfall",
            "RefundProcessed"
        ]
    );
    assert!(refunded.timeline.iter().all(payload_fits_its_schema));
    let payments: PaymentPage = fetch_json(
        server.ops(
            Method::GET,
            &format!("/v1/ops/payments?orderId={}", loser.id),
        ),
        StatusCode::OK,
    )
    .await;
    let kinds: Vec<String> = payments.items.iter().map(|p| p.kind.to_string()).collect();
    assert_eq!(kinds, ["authorization", "refund"]);
    assert_eq!(payments.items[0].amount, payments.items[1].amount);
    server.stop().await;
}

#[tokio::test]
async fn fifty_concurrent_completes_with_one_key_make_one_order_and_one_payment() {
    let server = TestServer::start().await;
    let (_, variant) = server.buyable_variant(1).await;
    let checkout = server
        .ready_checkout(&server.create_cart(&variant, 1).await)
        .await;
    let token = server.card_token("4242424242424242").await;
    let attempts = (0..50).map(|_| async {
        let response = server
            .complete(&checkout.id, &token, "one-key-for-fifty-clicks")
            .send()
            .await
            .unwrap();
        let status = response.status();
        (status, response.json::<Order>().await.map(|o| o.id).ok())
    });
    let results = futures_util::future::join_all(attempts).await;
    let order_ids: std::collections::BTreeSet<_> =
        results.iter().filter_map(|(_, id)| id.clone()).collect();
    assert!(
        results
            .iter()
            .all(|(status, _)| *status == StatusCode::ACCEPTED),
        "{results:?}"
    );
    assert_eq!(order_ids.len(), 1, "every attempt sees the same order");

    let order_id = order_ids.into_iter().next().unwrap();
    server
        .order_reaching(&order_id, &[OrderStatus::Confirmed])
        .await;
    let orders: OrderSummaryPage =
        fetch_json(server.ops(Method::GET, "/v1/ops/orders"), StatusCode::OK).await;
    assert_eq!(orders.items.len(), 1);
    let payments: PaymentPage =
        fetch_json(server.ops(Method::GET, "/v1/ops/payments"), StatusCode::OK).await;
    assert_eq!(payments.items.len(), 1);
    let placed: OrderEventPage = fetch_json(
        server.ops(Method::GET, "/v1/ops/events?type=OrderPlaced"),
        StatusCode::OK,
    )
    .await;
    assert_eq!(placed.items.len(), 1);

    // A new key on the completed checkout is refused and points at the order.
    let again = server
        .complete(&checkout.id, &token, "a-different-key-000")
        .send()
        .await
        .unwrap();
    let body = problem(again, StatusCode::CONFLICT, "checkout-already-completed").await;
    assert_eq!(body["orderId"], order_id);
    server.stop().await;
}

/// Regression: reading an order's timeline used to take a second pooled connection while holding
/// one, so concurrent completes starved a small pool and answered 500 after the acquire timeout.
#[tokio::test]
async fn concurrent_completes_do_not_starve_a_small_connection_pool() {
    let server = TestServer::start_with(|config| config.db_max_connections = 3).await;
    let (_, variant) = server.buyable_variant(1).await;
    let mut ready = Vec::new();
    for _ in 0..12 {
        let checkout = server
            .ready_checkout(&server.create_cart(&variant, 1).await)
            .await;
        ready.push((checkout.id, server.card_token("4242424242424242").await));
    }
    let mut completes = Vec::new();
    for (index, (checkout, token)) in ready.iter().enumerate() {
        // Each checkout is completed twice with its key, as impatient clients would.
        for _ in 0..2 {
            completes.push(
                server
                    .complete(checkout, token, &format!("small-pool-{index}"))
                    .send(),
            );
        }
    }
    let responses = futures_util::future::join_all(completes).await;
    for response in responses {
        assert_eq!(response.unwrap().status(), StatusCode::ACCEPTED);
    }
    server.stop().await;
}

#[tokio::test]
async fn completing_needs_a_key_a_complete_checkout_and_a_fresh_token() {
    let server = TestServer::start().await;
    let (_, variant) = server.buyable_variant(1).await;
    let cart = server.create_cart(&variant, 1).await;
    let checkout = server.ready_checkout(&cart).await;
    let token = server.card_token("4242424242424242").await;
    let no_key = server
        .shopper(
            Method::POST,
            &format!("/v1/checkouts/{}/complete", checkout.id),
        )
        .json(&json!({"paymentToken": token}))
        .send()
        .await
        .unwrap();
    problem(no_key, StatusCode::BAD_REQUEST, "malformed-request").await;
    fetch_problem(
        server.complete(&checkout.id, "tok_forged", "complete-forged"),
        StatusCode::UNPROCESSABLE_ENTITY,
        "payment-token-invalid",
    )
    .await;

    let bare: api_client::types::Checkout = fetch_json(
        server
            .shopper(Method::POST, "/v1/checkouts")
            .json(&json!({"cartId": server.create_cart(&variant, 1).await.id})),
        StatusCode::CREATED,
    )
    .await;
    fetch_problem(
        server.complete(&bare.id, &token, "complete-bare"),
        StatusCode::UNPROCESSABLE_ENTITY,
        "checkout-incomplete",
    )
    .await;

    let bad_address = server
        .shopper(Method::PUT, &format!("/v1/checkouts/{}/addresses", bare.id))
        .json(&json!({"shippingAddress": {"name": "Ada", "line1": "1 High St", "city": "London", "postalCode": "12345", "country": "GB"}}))
        .send()
        .await
        .unwrap();
    let body = problem(
        bad_address,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation-failed",
    )
    .await;
    assert_eq!(body["errors"][0]["field"], "shippingAddress.postalCode");

    // Forms the contract states are checked first, then the card's own rules; both are
    // `card-invalid`, with every offending field at once.
    for (card, expected) in [
        (
            json!({"number": "4242424242424241", "expMonth": 13, "expYear": 2020, "cvc": "1", "holderName": ""}),
            vec!["expMonth", "cvc", "holderName"],
        ),
        (
            json!({"number": "4242424242424241", "expMonth": 1, "expYear": 2020, "cvc": "1234", "holderName": "  "}),
            vec!["number", "expYear", "cvc", "holderName"],
        ),
    ] {
        let bad_card = server
            .shopper(Method::POST, "/v1/payments/tokens")
            .json(&card)
            .send()
            .await
            .unwrap();
        let body = problem(bad_card, StatusCode::UNPROCESSABLE_ENTITY, "card-invalid").await;
        let mut fields: Vec<_> = body["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].as_str().unwrap().to_owned())
            .collect();
        fields.sort();
        let mut expected = expected;
        expected.sort();
        assert_eq!(fields, expected, "{card}");
    }
    server.stop().await;
}

#[tokio::test]
async fn a_failing_consumer_parks_the_event_and_ops_can_replay_it() {
    let server = TestServer::start().await;
    let order = server
        .placed_order("4000000000000119", "provider-down-1")
        .await;

    let mut parked = DeadLetterPage {
        items: vec![],
        next_cursor: None,
        total: None,
        consumers: vec![],
    };
    for _ in 0..200 {
        parked = fetch_json(
            server.ops(Method::GET, "/v1/ops/dead-letters?status=parked"),
            StatusCode::OK,
        )
        .await;
        if !parked.items.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    let letter = parked
        .items
        .first()
        .expect("the event was parked after its retries");
    assert_eq!(letter.consumer, "payments");
    assert_eq!(letter.attempts, 3);
    assert_eq!(letter.event.order_id, order.id);
    assert_eq!(server.order(&order.id).await.status, OrderStatus::Pending);
    let metrics = text_of(server.ops(Method::GET, "/metrics")).await;
    assert!(metrics.contains("tessera_dead_letters_parked 1"));

    let replay = server
        .ops(
            Method::POST,
            &format!("/v1/ops/dead-letters/{}/replay", letter.id),
        )
        .send()
        .await
        .unwrap();
    let replayed: api_client::types::DeadLetter = json_of(replay, StatusCode::ACCEPTED).await;
    assert_eq!(replayed.status.to_string(), "replayed");
    server
        .order_reaching(&order.id, &[OrderStatus::Confirmed])
        .await;
    let again = server
        .ops(
            Method::POST,
            &format!(
                "/v1/ops/dead-letters/{}/discard?reason=too%20late",
                letter.id
            ),
        )
        .send()
        .await
        .unwrap();
    problem(again, StatusCode::CONFLICT, "conflict").await;
    server.stop().await;
}

#[tokio::test]
async fn the_event_stream_replays_and_follows_an_order() {
    let server = TestServer::start().await;
    let order = server
        .placed_order("4242424242424242", "stream-key-1")
        .await;
    let url = format!(
        "/v1/orders/{}/events/stream?access_token={}",
        order.id, server.shopper
    );
    let response = server.public(Method::GET, &url).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "text/event-stream");
    // The stream ends by itself once the order is confirmed.
    let body = tokio::time::timeout(std::time::Duration::from_secs(10), response.text())
        .await
        .expect("stream closes")
        .unwrap();
    let kinds: Vec<String> = body
        .lines()
        .filter_map(|line| line.strip_prefix("data: "))
        .map(|data| {
            serde_json::from_str::<serde_json::Value>(data).unwrap()["type"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "OrderPlaced",
            "PaymentAuthorized",
            "InventoryReserved",
            "OrderConfirmed"
        ]
    );
    assert!(body.contains("retry: 3000"));
    let last_id: i64 = body
        .lines()
        .rev()
        .find_map(|l| l.strip_prefix("id: "))
        .unwrap()
        .parse()
        .unwrap();
    let resumed = server
        .public(Method::GET, &url)
        .header("Last-Event-ID", last_id.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(
        resumed.status(),
        StatusCode::NO_CONTENT,
        "nothing left to follow"
    );
    server.stop().await;
}

#[tokio::test]
async fn ops_endpoints_need_the_ops_role() {
    let server = TestServer::start().await;
    fetch_problem(
        server.public(Method::GET, "/v1/ops/events"),
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    fetch_problem(
        server.shopper(Method::GET, "/v1/ops/events"),
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    fetch_problem(
        server
            .shopper(Method::PUT, "/v1/ops/faults")
            .json(&json!({})),
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert_eq!(
        status_of(server.ops(Method::GET, "/v1/ops/events")).await,
        StatusCode::OK
    );
    server.stop().await;
}

#[tokio::test]
async fn injected_faults_fail_their_route_group_only() {
    let server = TestServer::start().await;
    let off = json!({"latencyMs": 0, "errorRate": 0.0});
    let config = json!({"catalog": {"latencyMs": 0, "errorRate": 1.0}, "carts": off, "checkout": off, "orders": off});
    assert_eq!(
        status_of(server.ops(Method::PUT, "/v1/ops/faults").json(&config)).await,
        StatusCode::OK
    );
    fetch_problem(
        server.public(Method::GET, "/v1/products"),
        StatusCode::SERVICE_UNAVAILABLE,
        "fault-injected",
    )
    .await;
    assert_eq!(
        status_of(server.public(Method::GET, "/v1/manifest")).await,
        StatusCode::OK
    );
    let bad = json!({"catalog": {"latencyMs": -1, "errorRate": 2.0}, "carts": off, "checkout": off, "orders": off});
    fetch_problem(
        server.ops(Method::PUT, "/v1/ops/faults").json(&bad),
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation-failed",
    )
    .await;
    server.stop().await;
}
