//! Failure behaviour: a panicking handler becomes a 500 problem, graceful shutdown, and a
//! `kill -9` in the middle of order processing loses and duplicates nothing after a restart.

mod common;

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use api_client::types::{OrderEventPage, OrderStatus, OrderSummaryPage, PaymentPage};
use axum::routing::get;
use common::{OPS_TOKEN, Shop, TestServer, fetch_json, json_of, temp_dir, test_config};
use reqwest::{Method, StatusCode};

async fn explode() -> &'static str {
    panic!("a bug in a handler")
}

#[tokio::test]
async fn a_panicking_handler_is_answered_with_a_problem() {
    let state = tessera_server::prepare(test_config(temp_dir("panic")))
        .await
        .unwrap();
    let app = tessera_server::app_with(
        state,
        axum::Router::new().route("/v1/explode", get(explode)),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let response = reqwest::get(format!("http://{addr}/v1/explode"))
        .await
        .unwrap();
    let body = common::problem(response, StatusCode::INTERNAL_SERVER_ERROR, "internal").await;
    assert!(body.get("detail").is_none(), "no internals leak: {body}");
    // The server is still serving.
    assert_eq!(
        reqwest::get(format!("http://{addr}/healthz"))
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn shutdown_lets_in_flight_requests_finish() {
    let server = TestServer::start().await;
    let off = serde_json::json!({"latencyMs": 0, "errorRate": 0.0});
    let slow = serde_json::json!({"catalog": {"latencyMs": 1500, "errorRate": 0.0}, "carts": off, "checkout": off, "orders": off});
    server
        .ops(Method::PUT, "/v1/ops/faults")
        .json(&slow)
        .send()
        .await
        .unwrap();
    let request = tokio::spawn(server.public(Method::GET, "/v1/products?limit=1").send());
    tokio::time::sleep(Duration::from_millis(500)).await;
    server.stop().await;
    let response = request
        .await
        .unwrap()
        .expect("the in-flight request was answered");
    assert_eq!(response.status(), StatusCode::OK);
}

struct Process(Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn spawn_server(data_dir: &std::path::Path, port: u16) -> Process {
    Process(
        Command::new(env!("CARGO_BIN_EXE_tessera-server"))
            .args([
                "--addr",
                &format!("127.0.0.1:{port}"),
                "--demo-data",
                // One shopper places 30 orders at once: more than the abuse limits allow.
                "--rate-limits",
                "off",
                "--data-dir",
            ])
            .arg(data_dir)
            .env("TESSERA_OPS_TOKEN", OPS_TOKEN)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("server binary starts"),
    )
}

async fn wait_healthy(base: &str) {
    for _ in 0..200 {
        if reqwest::get(format!("{base}/healthz"))
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("server at {base} never became healthy");
}

#[tokio::test]
async fn kill_9_during_order_processing_loses_and_duplicates_nothing() {
    let data_dir = temp_dir("crash");
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let base = format!("http://127.0.0.1:{port}");
    let mut process = spawn_server(&data_dir, port);
    wait_healthy(&base).await;

    let shop = Shop::connect(&base).await;
    let http = shop.http.clone();
    // Preorder variants sell without stock, so every one of the 30 orders can confirm.
    let variant = shop.preorder_variant().await;
    let mut ready = Vec::new();
    for _ in 0..30 {
        let checkout = shop
            .ready_checkout(&shop.create_cart(&variant, 1).await)
            .await;
        ready.push((checkout.id, shop.card_token("4242424242424242").await));
    }
    // All completes at once, so the dispatcher has a backlog when the process dies.
    let shop = &shop;
    let completes = ready
        .iter()
        .enumerate()
        .map(|(index, (checkout, token))| async move {
            let response = shop
                .complete(checkout, token, &format!("crash-order-{index:03}"))
                .send()
                .await
                .unwrap();
            json_of::<api_client::types::Order>(response, StatusCode::ACCEPTED)
                .await
                .id
        });
    let placed: Vec<String> = futures_util::future::join_all(completes).await;
    let orders_before: OrderSummaryPage = fetch_json(
        http.get(format!("{base}/v1/ops/orders?status=confirmed&limit=200"))
            .bearer_auth(OPS_TOKEN),
        StatusCode::OK,
    )
    .await;
    process.0.kill().unwrap(); // SIGKILL: no shutdown, no flush
    process.0.wait().unwrap();
    eprintln!(
        "killed with {} of {} orders confirmed",
        orders_before.items.len(),
        placed.len()
    );

    process = spawn_server(&data_dir, port);
    wait_healthy(&base).await;
    let mut confirmed = 0;
    for _ in 0..400 {
        let page: OrderSummaryPage = fetch_json(
            http.get(format!("{base}/v1/ops/orders?limit=200"))
                .bearer_auth(OPS_TOKEN),
            StatusCode::OK,
        )
        .await;
        assert_eq!(
            page.items.len(),
            placed.len(),
            "every accepted order survived"
        );
        confirmed = page
            .items
            .iter()
            .filter(|o| o.status == OrderStatus::Confirmed)
            .count();
        if confirmed == placed.len() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert_eq!(
        confirmed,
        placed.len(),
        "the outbox resumed after the restart"
    );
    let events: OrderEventPage = fetch_json(
        http.get(format!("{base}/v1/ops/events?limit=1000"))
            .bearer_auth(OPS_TOKEN),
        StatusCode::OK,
    )
    .await;
    for order in &placed {
        let kinds: Vec<String> = events
            .items
            .iter()
            .filter(|e| &e.order_id == order)
            .map(|e| e.type_.to_string())
            .collect();
        assert_eq!(
            kinds,
            [
                "OrderPlaced",
                "PaymentAuthorized",
                "InventoryReserved",
                "OrderConfirmed"
            ],
            "order {order}"
        );
    }
    let payments: PaymentPage = fetch_json(
        http.get(format!("{base}/v1/ops/payments?limit=200"))
            .bearer_auth(OPS_TOKEN),
        StatusCode::OK,
    )
    .await;
    assert_eq!(payments.items.len(), placed.len(), "one payment per order");
    drop(process);
}
