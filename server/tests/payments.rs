//! Payment outcomes over real HTTP: a declined card and the next card as another attempt of the
//! same order, insufficient funds, and a stock shortfall after payment refunded in full.

mod common;

use api_client::types::{Order, OrderStatus, OrderSummaryPage, PaymentPage};
use common::{TestServer, event_types, fetch_json, payload_fits_its_schema};
use reqwest::{Method, StatusCode};

#[tokio::test]
async fn a_declined_card_takes_no_money_and_another_card_places_one_order() {
    let server = TestServer::start().await;
    let (_, variant) = server.buyable_variant(1).await;
    let cart = server.create_cart(&variant, 1).await;
    let checkout = server.ready_checkout(&cart).await;

    let declined_token = server.card_token("4000000000000002").await;
    let declined: Order = fetch_json(
        server.complete(&checkout.id, &declined_token, "complete-declined-1"),
        StatusCode::ACCEPTED,
    )
    .await;
    let declined = server
        .order_reaching(&declined.id, &[OrderStatus::PaymentDeclined])
        .await;
    assert_eq!(event_types(&declined), ["OrderPlaced", "PaymentDeclined"]);
    assert_eq!(declined.timeline[1].data.0["reason"], "card_declined");
    assert!(declined.timeline.iter().all(payload_fits_its_schema));

    let good_token = server.card_token("4242424242424242").await;
    let placed: Order = fetch_json(
        server.complete(&checkout.id, &good_token, "complete-good-2"),
        StatusCode::ACCEPTED,
    )
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
    let mut low_stock = None;
    for summary in server.products("limit=100").await.items {
        for variant in server.product(&summary.slug).await.variants {
            if let api_client::types::Availability::LowStock { remaining } = variant.availability {
                low_stock = Some((variant.id, remaining));
            }
        }
    }
    let (variant, available) = low_stock.expect("the demo catalog has low-stock variants");
    // Two shoppers each put all remaining units in their carts; only one can have them.
    let first = server
        .ready_checkout(&server.create_cart(&variant, available).await)
        .await;
    let second = server
        .ready_checkout(&server.create_cart(&variant, available).await)
        .await;
    let winner: Order = fetch_json(
        server.complete(
            &first.id,
            &server.card_token("4242424242424242").await,
            "shortfall-first",
        ),
        StatusCode::ACCEPTED,
    )
    .await;
    server
        .order_reaching(&winner.id, &[OrderStatus::Confirmed])
        .await;
    let loser: Order = fetch_json(
        server.complete(
            &second.id,
            &server.card_token("4242424242424242").await,
            "shortfall-second",
        ),
        StatusCode::ACCEPTED,
    )
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
