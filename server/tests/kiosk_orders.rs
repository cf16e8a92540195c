//! Orders kiosks take and deliver later: the card arrives sealed to the shop's kiosk payment key
//! (sealed here as a kiosk's WebCrypto does), the order is placed once per Idempotency-Key
//! whichever device or session delivers it and however often, even when the stock ran out since
//! the sale (the shortfall is compensated), and a seal the shop cannot open, or opens to an
//! invalid card, is refused with a problem.

mod common;

use aes_gcm::aead::{Aead, KeyInit, OsRng, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use api_client::types::{KioskPolicy, Order, OrderStatus, OrderSummaryPage};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use common::{Shop, TestServer, fetch_json, fetch_problem, status_of};
use p256::elliptic_curve::sec1::ToEncodedPoint;
use p256::{PublicKey, SecretKey};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use sha2::Sha256;

/// Seals `payment` for the order keyed `key` to the shop's `payment_key`, as kiosk.js does.
fn seal(payment_key: &str, payment: &Value, key: &str) -> String {
    let shop = PublicKey::from_sec1_bytes(&URL_SAFE_NO_PAD.decode(payment_key).unwrap()).unwrap();
    let ephemeral = SecretKey::random(&mut OsRng);
    let ephemeral_point = ephemeral.public_key().to_encoded_point(false);
    let shared = p256::ecdh::diffie_hellman(ephemeral.to_nonzero_scalar(), shop.as_affine());
    let mut aes_key = [0_u8; 32];
    hkdf::Hkdf::<Sha256>::new(Some(ephemeral_point.as_bytes()), shared.raw_secret_bytes())
        .expand(b"tessera kiosk payment v1", &mut aes_key)
        .unwrap();
    let iv = [7_u8; 12];
    let ciphertext = Aes256Gcm::new(&aes_key.into())
        .encrypt(
            Nonce::from_slice(&iv),
            Payload {
                msg: payment.to_string().as_bytes(),
                aad: key.as_bytes(),
            },
        )
        .unwrap();
    format!(
        "v1.{}.{}.{}",
        URL_SAFE_NO_PAD.encode(ephemeral_point.as_bytes()),
        URL_SAFE_NO_PAD.encode(iv),
        URL_SAFE_NO_PAD.encode(ciphertext)
    )
}

fn payment(card_number: &str) -> Value {
    json!({
        "email": "shopper@example.com",
        "card": {
            "number": card_number,
            "expMonth": 12,
            "expYear": 2035,
            "cvc": "123",
            "holderName": "Grace Hopper",
        },
    })
}

fn deliver(shop: &Shop, key: &str, body: &Value) -> reqwest::RequestBuilder {
    shop.public(Method::POST, "/v1/kiosk/orders")
        .header("Idempotency-Key", key)
        .json(body)
}

async fn payment_key(shop: &Shop) -> String {
    let policy: KioskPolicy =
        fetch_json(shop.public(Method::GET, "/v1/kiosk/policy"), StatusCode::OK).await;
    policy.payment_key.expect("the policy names the key")
}

/// Polls, as an operator (kiosk orders are no shopper's), until the order has `status`.
async fn reaches(shop: &Shop, order_id: &str, status: OrderStatus) -> Order {
    for _ in 0..200 {
        let order: Order = fetch_json(
            shop.ops(Method::GET, &format!("/v1/orders/{order_id}")),
            StatusCode::OK,
        )
        .await;
        if order.status == status {
            return order;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("order {order_id} never became {status:?}");
}

#[tokio::test]
async fn a_queued_order_is_placed_once_however_often_it_arrives() {
    let server = TestServer::start().await;
    let counter = json!({"name": "Pier store counter", "line1": "2 Pier Street", "city": "Oakland", "region": "CA", "postalCode": "94607", "country": "US"});
    let moved = json!({"open": true, "pickupAddress": counter});
    let policy: KioskPolicy = fetch_json(
        server.ops(Method::PUT, "/v1/ops/kiosk/policy").json(&moved),
        StatusCode::OK,
    )
    .await;
    assert_eq!(policy.pickup_address.unwrap().name, "Pier store counter");
    let key = payment_key(&server).await;
    let (_, variant) = server.buyable_variant(2).await;
    let lines = json!([{"variantId": variant, "quantity": 2}]);
    let body = json!({
        "lines": lines,
        "sealedPayment": seal(&key, &payment("4242424242424242"), "kiosk-order-1"),
    });

    let order: Order = fetch_json(
        deliver(&server, "kiosk-order-1", &body),
        StatusCode::ACCEPTED,
    )
    .await;
    assert_eq!(order.status, OrderStatus::Pending);
    assert_eq!(
        order.shipping_option.id, "collect",
        "collected at the counter"
    );
    assert_eq!(order.totals.shipping.amount, 0);
    assert_eq!(order.shipping_address.name, "Grace Hopper");
    assert_eq!(
        (
            order.shipping_address.line1.as_str(),
            order.shipping_address.city.as_str()
        ),
        ("2 Pier Street", "Oakland"),
        "collected where the operators said"
    );
    assert_eq!(order.payment.last4, "4242");
    assert_eq!(order.email, "shopper@example.com");

    // The kiosk rebooted and delivers its queue again, from a fresh connection.
    let again = Shop::connect(&server.base).await;
    let replay = deliver(&again, "kiosk-order-1", &body)
        .send()
        .await
        .unwrap();
    assert_eq!(replay.status(), StatusCode::ACCEPTED);
    assert_eq!(replay.headers()["idempotent-replayed"], "true");
    let replayed: Order = replay.json().await.unwrap();
    assert_eq!(replayed.id, order.id);

    let orders: OrderSummaryPage =
        fetch_json(server.ops(Method::GET, "/v1/ops/orders"), StatusCode::OK).await;
    assert_eq!(orders.items.len(), 1, "one delivery, one order: {orders:?}");
    // Kiosk orders belong to no shopper's session: only operators read them.
    assert_ne!(
        status_of(server.shopper(Method::GET, &format!("/v1/orders/{}", order.id))).await,
        StatusCode::OK
    );
    reaches(&server, &order.id, OrderStatus::Confirmed).await;

    let changed = json!({"lines": [{"variantId": variant, "quantity": 1}], "sealedPayment": body["sealedPayment"]});
    fetch_problem(
        deliver(&server, "kiosk-order-1", &changed),
        StatusCode::UNPROCESSABLE_ENTITY,
        "idempotency-key-reused",
    )
    .await;
    server.stop().await;
}

#[tokio::test]
async fn a_seal_the_shop_cannot_open_or_an_invalid_card_inside_is_refused() {
    let server = TestServer::start().await;
    let key = payment_key(&server).await;
    let (_, variant) = server.buyable_variant(1).await;
    let sealed_for_another_order = seal(&key, &payment("4242424242424242"), "kiosk-order-a");
    let moved = json!({
        "lines": [{"variantId": variant, "quantity": 1}],
        "sealedPayment": sealed_for_another_order,
    });
    let problem = fetch_problem(
        deliver(&server, "kiosk-order-b", &moved),
        StatusCode::UNPROCESSABLE_ENTITY,
        "kiosk-payment-unreadable",
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "sealedPayment");

    let foreign_key = URL_SAFE_NO_PAD.encode(
        SecretKey::random(&mut OsRng)
            .public_key()
            .to_encoded_point(false)
            .as_bytes(),
    );
    let foreign = json!({
        "lines": [{"variantId": variant, "quantity": 1}],
        "sealedPayment": seal(&foreign_key, &payment("4242424242424242"), "kiosk-order-c"),
    });
    fetch_problem(
        deliver(&server, "kiosk-order-c", &foreign),
        StatusCode::UNPROCESSABLE_ENTITY,
        "kiosk-payment-unreadable",
    )
    .await;

    let bad_card = json!({
        "lines": [{"variantId": variant, "quantity": 1}],
        "sealedPayment": seal(&key, &payment("12ab"), "kiosk-order-d"),
    });
    let problem = fetch_problem(
        deliver(&server, "kiosk-order-d", &bad_card),
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation-failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "sealedPayment.card.number");

    let unkeyed = server
        .public(Method::POST, "/v1/kiosk/orders")
        .json(&bad_card);
    assert_eq!(status_of(unkeyed).await, StatusCode::BAD_REQUEST);
    let orders: OrderSummaryPage =
        fetch_json(server.ops(Method::GET, "/v1/ops/orders"), StatusCode::OK).await;
    assert!(orders.items.is_empty(), "nothing refused became an order");
    server.stop().await;
}

#[tokio::test]
async fn a_sale_made_offline_is_recorded_though_stock_ran_out_and_refunded() {
    let server = TestServer::start().await;
    let key = payment_key(&server).await;
    let (variant, remaining) = server.low_stock_variant().await;
    // The kiosk sold one more than the shop has left while it was offline.
    let body = json!({
        "lines": [{"variantId": variant, "quantity": remaining + 1}],
        "sealedPayment": seal(&key, &payment("4242424242424242"), "kiosk-order-short"),
    });
    let order: Order = fetch_json(
        deliver(&server, "kiosk-order-short", &body),
        StatusCode::ACCEPTED,
    )
    .await;
    let refunded = reaches(&server, &order.id, OrderStatus::Refunded).await;
    assert_eq!(
        common::event_types(&refunded),
        [
            "OrderPlaced",
            "PaymentAuthorized",
            "InventoryShortfall",
            "RefundProcessed"
        ],
        "the shortfall is compensated like any order's"
    );
    server.stop().await;
}

#[tokio::test]
async fn orders_wait_until_operators_say_where_they_are_collected() {
    // A shop without the demo data: no pickup counter (and no catalog).
    let server = TestServer::start_with(|config| config.demo_data = false).await;
    let key = payment_key(&server).await;
    let body = json!({
        "lines": [{"variantId": "00000000-0000-4000-8000-000000000000", "quantity": 1}],
        "sealedPayment": seal(&key, &payment("4242424242424242"), "kiosk-order-early"),
    });
    fetch_problem(
        deliver(&server, "kiosk-order-early", &body),
        StatusCode::CONFLICT,
        "kiosk-pickup-unset",
    )
    .await;

    let counter = json!({"name": "Pier store counter", "line1": "2 Pier Street", "city": "Oakland", "postalCode": "94607", "country": "US"});
    let set = server
        .ops(Method::PUT, "/v1/ops/kiosk/policy")
        .json(&json!({"open": true, "pickupAddress": counter}));
    assert_eq!(status_of(set).await, StatusCode::OK);
    // The same delivery again is placed now, not answered with the stored 409: it gets as far
    // as the cart, which knows no such variant.
    fetch_problem(
        deliver(&server, "kiosk-order-early", &body),
        StatusCode::UNPROCESSABLE_ENTITY,
        "variant-unavailable",
    )
    .await;
    server.stop().await;
}
