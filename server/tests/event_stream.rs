//! The event stream's faults and guarantees on a real NATS JetStream: events wait in the outbox
//! while NATS is down, a poison message does not stop the stream, and a new consumer can replay
//! a stream from its start to rebuild a read model. The whole suite also runs on the stream
//! (`cargo xtask test`'s second pass), which covers retries and dead letters.
//!
//! Needs `TESSERA_TEST_NATS` (and `TESSERA_TEST_POSTGRES`), which `cargo xtask test` sets; without
//! them each test says so and passes, as the embedded default has no stream to test.

mod common;

use std::collections::HashMap;
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use api_client::types::{OrderEvent, OrderEventType, OrderStatus};
use async_nats::jetstream::{self, consumer};
use common::market::eventually;
use common::{TestServer, temp_dir};
use futures_util::StreamExt;

fn stream_configured() -> bool {
    let configured = std::env::var("TESSERA_TEST_NATS").is_ok();
    if !configured {
        eprintln!("skipped: TESSERA_TEST_NATS is not set (cargo xtask test sets it)");
    }
    configured
}

/// A test server whose streams live under a namespace of its own, made from `label`.
async fn server_in_new_namespace(label: &str) -> (TestServer, String) {
    let namespace = format!("{label}{}", uuid::Uuid::new_v4().simple());
    let named = namespace.clone();
    let server = TestServer::start_with(move |config| config.event_namespace = named).await;
    (server, namespace)
}

/// The NATS every test server of this run shares (`TESSERA_TEST_NATS`).
async fn shared_jetstream() -> jetstream::Context {
    let url = std::env::var("TESSERA_TEST_NATS").unwrap();
    jetstream::new(async_nats::connect(url).await.unwrap())
}

/// The ORDERS stream of a namespace.
async fn orders_stream(
    jetstream: &jetstream::Context,
    namespace: &str,
) -> jetstream::stream::Stream {
    jetstream
        .get_stream(format!("{}_ORDERS", namespace.to_uppercase()))
        .await
        .unwrap()
}

/// A nats-server of this test's own, which it can stop and start again on the same port and
/// storage.
struct OwnNats {
    port: u16,
    store: PathBuf,
    process: Option<Child>,
}

impl OwnNats {
    fn start() -> OwnNats {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut nats = OwnNats {
            port,
            store: temp_dir("nats"),
            process: None,
        };
        nats.resume();
        nats
    }

    fn url(&self) -> String {
        format!("nats://127.0.0.1:{}", self.port)
    }

    fn resume(&mut self) {
        let process = Command::new("nats-server")
            .args([
                "-js",
                "-a",
                "127.0.0.1",
                "-p",
                &self.port.to_string(),
                "-sd",
            ])
            .arg(&self.store)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("nats-server runs (cargo xtask setup installs it)");
        self.process = Some(process);
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("nats-server did not open its port");
    }

    fn kill(&mut self) {
        if let Some(mut process) = self.process.take() {
            process.kill().unwrap();
            process.wait().unwrap();
        }
    }
}

impl Drop for OwnNats {
    fn drop(&mut self) {
        self.kill();
        let _ = std::fs::remove_dir_all(&self.store);
    }
}

#[tokio::test]
async fn events_wait_in_the_outbox_while_nats_is_down_and_flow_when_it_returns() {
    if !stream_configured() {
        return;
    }
    let mut nats = OwnNats::start();
    let url = nats.url();
    let server = TestServer::start_with(|config| config.event_bus_url = Some(url)).await;
    let first = server
        .placed_order("4242424242424242", "before-outage")
        .await;
    server
        .order_reaching(&first.id, &[OrderStatus::Confirmed])
        .await;

    nats.kill();
    let during = server
        .placed_order("4242424242424242", "during-outage")
        .await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(
        server.order(&during.id).await.status,
        OrderStatus::Pending,
        "nothing moves without the stream"
    );
    let metrics = common::text_of(server.ops(reqwest::Method::GET, "/metrics")).await;
    assert!(
        metrics.contains("tessera_outbox_unpublished_events 1\n"),
        "the outbox holds the order's event: {metrics}"
    );

    nats.resume();
    let recovered = server
        .order_reaching(&during.id, &[OrderStatus::Confirmed])
        .await;
    // The confirmation's own event reaches the stream a moment after the order shows it.
    let mut caught_up = false;
    for _ in 0..100 {
        let metrics = common::text_of(server.ops(reqwest::Method::GET, "/metrics")).await;
        if metrics.contains("tessera_outbox_unpublished_events 0\n") {
            caught_up = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(caught_up, "the relay caught up with the outbox");
    let kinds: Vec<_> = recovered.timeline.iter().map(|event| event.type_).collect();
    assert_eq!(
        kinds
            .iter()
            .filter(|kind| **kind == OrderEventType::PaymentAuthorized)
            .count(),
        1,
        "each event handled once after the catch-up: {kinds:?}"
    );
    server.stop().await;
}

#[tokio::test]
async fn a_poison_message_is_dropped_and_the_stream_keeps_flowing() {
    if !stream_configured() {
        return;
    }
    let (server, namespace) = server_in_new_namespace("poison").await;
    let jetstream = shared_jetstream().await;
    jetstream
        .publish(
            format!("{namespace}.orders.OrderPlaced"),
            "{not an event".into(),
        )
        .await
        .unwrap()
        .await
        .unwrap();

    let order = server
        .placed_order("4242424242424242", "after-poison")
        .await;
    server
        .order_reaching(&order.id, &[OrderStatus::Confirmed])
        .await;
    let payments = orders_stream(&jetstream, &namespace)
        .await
        .get_consumer::<consumer::pull::Config>("payments-orders")
        .await
        .unwrap();
    // The order's own message is acknowledged right after its effects commit, which on a loaded
    // machine may be just after the order is confirmed; the poison message must not stay.
    eventually("the poison message is not left hanging", || {
        let mut payments = payments.clone();
        async move {
            let pending = payments.info().await.unwrap().num_ack_pending;
            pending == 0
        }
    })
    .await;
    server.stop().await;
}

#[tokio::test]
async fn a_new_consumer_replays_a_stream_from_the_start_to_rebuild_a_read_model() {
    if !stream_configured() {
        return;
    }
    let (server, namespace) = server_in_new_namespace("replay").await;
    let mut placed = Vec::new();
    for key in ["replay-1", "replay-2"] {
        let order = server.placed_order("4242424242424242", key).await;
        server
            .order_reaching(&order.id, &[OrderStatus::Confirmed])
            .await;
        placed.push(order.id);
    }

    // The read model: each order's status as the ORDERS stream tells it.
    let reader = orders_stream(&shared_jetstream().await, &namespace)
        .await
        .create_consumer(consumer::pull::Config {
            deliver_policy: consumer::DeliverPolicy::All,
            ..Default::default()
        })
        .await
        .unwrap();
    let mut messages = reader
        .fetch()
        .max_messages(100)
        .expires(Duration::from_secs(1))
        .messages()
        .await
        .unwrap();
    let mut statuses: HashMap<String, OrderEventType> = HashMap::new();
    while let Some(message) = messages.next().await {
        let message = message.unwrap();
        let event: OrderEvent = serde_json::from_slice(&message.payload).unwrap();
        statuses.insert(event.order_id, event.type_);
        message.ack().await.unwrap();
    }
    for order_id in &placed {
        assert_eq!(
            statuses.get(order_id),
            Some(&OrderEventType::OrderConfirmed),
            "{order_id} rebuilt from the stream: {statuses:?}"
        );
    }
    server.stop().await;
}

#[tokio::test]
async fn a_missing_database_or_stream_at_start_is_named_with_how_to_start_it() {
    let closed_port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut config = common::test_config(temp_dir("no-postgres"));
    config.database_url = Some(format!(
        "postgres://tessera:secret@127.0.0.1:{closed_port}/shop"
    ));
    let error = format!("{:#}", tessera_server::start(config).await.err().unwrap());
    assert!(error.contains("Postgres at"), "{error}");
    assert!(error.contains("cargo xtask serve --scale"), "{error}");
    assert!(!error.contains("secret"), "the password stays out: {error}");

    let mut config = common::test_config(temp_dir("no-nats"));
    config.event_bus_url = Some(format!("nats://127.0.0.1:{closed_port}"));
    let error = format!("{:#}", tessera_server::start(config).await.err().unwrap());
    assert!(error.contains("cannot reach NATS at"), "{error}");
    assert!(error.contains("nats-server -js"), "{error}");
}

#[tokio::test]
async fn a_restart_with_other_settings_updates_the_durable_consumers() {
    if !stream_configured() {
        return;
    }
    let namespace = format!("restart{}", uuid::Uuid::new_v4().simple());
    let database = common::fresh_database().await;
    let start = |ack_wait: Duration| {
        let (namespace, database) = (namespace.clone(), database.clone());
        TestServer::start_with(move |config| {
            config.event_namespace = namespace;
            config.database_url = database;
            config.event_ack_wait = ack_wait;
        })
    };
    start(Duration::from_secs(2)).await.stop().await;
    let server = start(Duration::from_secs(7)).await;

    let mut payments = orders_stream(&shared_jetstream().await, &namespace)
        .await
        .get_consumer::<consumer::pull::Config>("payments-orders")
        .await
        .unwrap();
    // The consumer attaches right after start; give it a moment.
    let mut ack_wait = Duration::ZERO;
    for _ in 0..50 {
        ack_wait = payments.info().await.unwrap().config.ack_wait;
        if ack_wait == Duration::from_secs(7) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(ack_wait, Duration::from_secs(7));
    let order = server
        .placed_order("4242424242424242", "after-restart")
        .await;
    server
        .order_reaching(&order.id, &[OrderStatus::Confirmed])
        .await;
    server.stop().await;
}
