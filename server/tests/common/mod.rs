//! Test harness: a real server on a free loopback port with a fresh database in a temporary
//! folder, demo data, a shopper and an ops token, and helpers that drive the contract over HTTP.
#![allow(dead_code)]

pub mod catalog;
pub mod market;
pub mod releases;

use std::path::PathBuf;
use std::time::Duration;

use api_client::types::{Cart, Checkout, Order, OrderStatus, Product, ProductPage, Session};
use reqwest::{Method, RequestBuilder, Response, StatusCode};
use serde_json::{Value, json};
use tessera_server::config::Config;

pub const OPS_TOKEN: &str = "test-ops-token-0123456789abcdefghij";

/// A shopper's and an operator's view of a running server: the journeys tests share.
pub struct Shop {
    pub base: String,
    pub http: reqwest::Client,
    pub shopper: String,
}

/// A server started in this process for one test; derefs to its `Shop`.
pub struct TestServer {
    shop: Shop,
    running: Option<tessera_server::Running>,
    pub data_dir: PathBuf,
}

impl std::ops::Deref for TestServer {
    type Target = Shop;

    fn deref(&self) -> &Shop {
        &self.shop
    }
}

pub fn temp_dir(label: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("tessera-{label}-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub fn test_config(data_dir: PathBuf) -> Config {
    let mut config = Config::new(data_dir);
    config.addr = "127.0.0.1:0".parse().unwrap();
    config.demo_data = true;
    config.ops_token = Some(OPS_TOKEN.into());
    config.consumer_max_attempts = 3;
    config.consumer_base_backoff = Duration::from_millis(20);
    // Tests drive many requests from one address; `security.rs` switches the limits on.
    config.rate_limits = None;
    // Hermetic whatever the shell exports: `start_with` picks the backends from TESSERA_TEST_*.
    config.database_url = None;
    config.event_bus_url = None;
    config
}

/// A new, empty Postgres database when the suite runs against Postgres (and NATS JetStream, when
/// `TESSERA_TEST_NATS` names one)
/// (`TESSERA_TEST_POSTGRES` = a URL of the cluster's maintenance database, which
/// `cargo xtask test` sets for its second pass); `None` keeps the embedded SQLite default.
pub async fn fresh_database() -> Option<String> {
    let admin_url = std::env::var("TESSERA_TEST_POSTGRES").ok()?;
    let name = format!("tessera_{}", uuid::Uuid::new_v4().simple());
    let mut admin = <sqlx::PgConnection as sqlx::Connection>::connect(&admin_url)
        .await
        .expect("the test Postgres answers");
    // The global database and its regions' stores (`store::regions`).
    for database in [name.clone(), format!("{name}_eu"), format!("{name}_us")] {
        sqlx::Executor::execute(&mut admin, format!("CREATE DATABASE {database}").as_str())
            .await
            .expect("a test database is created");
    }
    let mut url = url::Url::parse(&admin_url).expect("TESSERA_TEST_POSTGRES is a URL");
    url.set_path(&name);
    Some(url.to_string())
}

impl TestServer {
    pub async fn start() -> TestServer {
        TestServer::start_with(|_| {}).await
    }

    pub async fn start_with(adjust: impl FnOnce(&mut Config)) -> TestServer {
        // TESSERA_TEST_LOG=debug shows the server's logs in failing tests.
        if let Ok(filter) = std::env::var("TESSERA_TEST_LOG") {
            let _ = tracing_subscriber::fmt()
                .with_env_filter(filter)
                .with_test_writer()
                .try_init();
        }
        let data_dir = temp_dir("server");
        let mut config = test_config(data_dir.clone());
        config.database_url = fresh_database().await;
        config.event_bus_url = std::env::var("TESSERA_TEST_NATS").ok();
        if config.event_bus_url.is_some() {
            // A namespace per server: its streams and consumers are its own.
            config.event_namespace = format!("t{}", uuid::Uuid::new_v4().simple());
            config.event_ack_wait = Duration::from_secs(2);
        }
        adjust(&mut config);
        let running = tessera_server::start(config).await.expect("server starts");
        let shop = Shop::connect(&format!("http://{}", running.addr)).await;
        TestServer {
            shop,
            running: Some(running),
            data_dir,
        }
    }

    /// Every byte the embedded default keeps for `file` (the database and its write-ahead log).
    pub fn stored_bytes(&self, file: &str) -> Vec<u8> {
        let mut bytes = std::fs::read(self.data_dir.join(file)).unwrap_or_default();
        bytes.extend(std::fs::read(self.data_dir.join(format!("{file}-wal"))).unwrap_or_default());
        bytes
    }

    pub async fn stop(mut self) {
        if let Some(running) = self.running.take() {
            running.shutdown().await.expect("clean shutdown");
        }
        let _ = std::fs::remove_dir_all(&self.data_dir);
    }
}

/// Whether `needle`'s bytes occur anywhere in `haystack`.
pub fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle.as_bytes())
}

impl Shop {
    /// The same shop as the holder of `token` (a signed-in customer, say).
    pub fn as_holder_of(&self, token: &str) -> Shop {
        Shop {
            base: self.base.clone(),
            http: self.http.clone(),
            shopper: token.to_owned(),
        }
    }

    /// Opens a shopper session against the server at `base`.
    pub async fn connect(base: &str) -> Shop {
        let http = reqwest::Client::new();
        let shopper = new_session(&http, base).await;
        Shop {
            base: base.to_owned(),
            http,
            shopper,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A request as the shopper.
    pub fn shopper(&self, method: Method, path: &str) -> RequestBuilder {
        self.http
            .request(method, self.url(path))
            .bearer_auth(&self.shopper)
    }

    pub fn ops(&self, method: Method, path: &str) -> RequestBuilder {
        self.http
            .request(method, self.url(path))
            .bearer_auth(OPS_TOKEN)
    }

    pub fn public(&self, method: Method, path: &str) -> RequestBuilder {
        self.http.request(method, self.url(path))
    }

    /// The telemetry session a freshly rendered shell page carries.
    pub async fn telemetry_session(&self) -> String {
        let page = text_of(self.public(Method::GET, "/products/organic-cotton-tee")).await;
        let start = page
            .find("\"telemetry\":\"")
            .expect("the page carries a session")
            + 13;
        let end = start + page[start..].find('"').unwrap();
        page[start..end].to_owned()
    }

    /// Sends one beacon batch as the shell does (text/plain) and expects 202.
    pub async fn send_beacons(&self, batch: Value) {
        let response = self
            .public(Method::POST, "/v1/telemetry/beacons")
            .header("content-type", "text/plain;charset=UTF-8")
            .body(batch.to_string())
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            StatusCode::ACCEPTED,
            "{}",
            response.text().await.unwrap()
        );
    }

    pub async fn product(&self, slug: &str) -> Product {
        json_of(
            self.public(Method::GET, &format!("/v1/products/{slug}"))
                .send()
                .await
                .unwrap(),
            StatusCode::OK,
        )
        .await
    }

    pub async fn products(&self, query: &str) -> ProductPage {
        json_of(
            self.public(Method::GET, &format!("/v1/products?{query}"))
                .send()
                .await
                .unwrap(),
            StatusCode::OK,
        )
        .await
    }

    /// The request creating a USD cart with `quantity` of `variant_id`.
    pub fn cart_request(&self, variant_id: &str, quantity: i32) -> RequestBuilder {
        self.shopper(Method::POST, "/v1/carts").json(
            &json!({"currency": "USD", "lines": [{"variantId": variant_id, "quantity": quantity}]}),
        )
    }

    pub async fn create_cart(&self, variant_id: &str, quantity: i32) -> Cart {
        let response = self
            .cart_request(variant_id, quantity)
            .send()
            .await
            .unwrap();
        json_of(response, StatusCode::CREATED).await
    }

    /// A checkout with contact, a US address and standard shipping, ready to complete.
    pub async fn ready_checkout(&self, cart: &Cart) -> Checkout {
        let started: Checkout = json_of(
            self.shopper(Method::POST, "/v1/checkouts")
                .json(&json!({"cartId": cart.id}))
                .send()
                .await
                .unwrap(),
            StatusCode::CREATED,
        )
        .await;
        let path = format!("/v1/checkouts/{}", started.id);
        let ok = |r: Response| async move {
            assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap())
        };
        ok(self
            .shopper(Method::PUT, &format!("{path}/contact"))
            .json(&json!({"email": "ada@example.com"}))
            .send()
            .await
            .unwrap())
        .await;
        ok(self
            .shopper(Method::PUT, &format!("{path}/addresses"))
            .json(&json!({"shippingAddress": {"name": "Ada Lovelace", "line1": "1 Main St", "city": "San Francisco", "region": "CA", "postalCode": "94105", "country": "US"}}))
            .send()
            .await
            .unwrap())
        .await;
        ok(self
            .shopper(Method::PUT, &format!("{path}/shipping-option"))
            .json(&json!({"shippingOptionId": "standard"}))
            .send()
            .await
            .unwrap())
        .await;
        json_of(
            self.shopper(Method::GET, &path).send().await.unwrap(),
            StatusCode::OK,
        )
        .await
    }

    pub async fn card_token(&self, number: &str) -> String {
        let response = self
            .shopper(Method::POST, "/v1/payments/tokens")
            .json(&json!({"number": number, "expMonth": 12, "expYear": 2035, "cvc": "123", "holderName": "Ada Lovelace"}))
            .send()
            .await
            .unwrap();
        let token: Value = json_of(response, StatusCode::CREATED).await;
        token["token"].as_str().unwrap().to_owned()
    }

    pub fn complete(&self, checkout_id: &str, token: &str, key: &str) -> RequestBuilder {
        self.shopper(
            Method::POST,
            &format!("/v1/checkouts/{checkout_id}/complete"),
        )
        .header("Idempotency-Key", key)
        .json(&json!({"paymentToken": token}))
    }

    /// One unit of a buyable variant, checked out and paid with `card` under `key`: the
    /// accepted (pending) order.
    pub async fn placed_order(&self, card: &str, key: &str) -> Order {
        let checkout = self.ready_checkout(&self.cart_of_one_buyable().await).await;
        self.pay(&checkout.id, card, key).await
    }

    /// Completes a checkout with a fresh token for `card` under the Idempotency-Key `key`: the
    /// 202 and its pending order.
    pub async fn pay(&self, checkout_id: &str, card: &str, key: &str) -> Order {
        let token = self.card_token(card).await;
        fetch_json(
            self.complete(checkout_id, &token, key),
            StatusCode::ACCEPTED,
        )
        .await
    }

    pub async fn order(&self, order_id: &str) -> Order {
        json_of(
            self.shopper(Method::GET, &format!("/v1/orders/{order_id}"))
                .send()
                .await
                .unwrap(),
            StatusCode::OK,
        )
        .await
    }

    /// Polls until the order reaches one of `statuses` (the lifecycle is asynchronous).
    pub async fn order_reaching(&self, order_id: &str, statuses: &[OrderStatus]) -> Order {
        for _ in 0..200 {
            let order = self.order(order_id).await;
            if statuses.contains(&order.status) {
                return order;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!(
            "order {order_id} never reached {statuses:?}: {:?}",
            self.order(order_id).await.status
        );
    }
}

pub async fn new_session(http: &reqwest::Client, base: &str) -> String {
    let response = http
        .post(format!("{base}/v1/sessions"))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    let session: Session = json_of(response, StatusCode::CREATED).await;
    session.token
}

/// Asserts the status and decodes the body, showing the body when either is unexpected.
///
/// Every body is also decoded with the browser codec the apps use (`json_codec`, generated from
/// the same contract) and re-encoded by it: both must agree with serde, so each response the
/// server tests see is a conformance case for the wasm client.
pub async fn json_of<T>(response: Response, expected: StatusCode) -> T
where
    T: serde::de::DeserializeOwned + json_codec::FromJson + json_codec::ToJson,
    T: PartialEq + std::fmt::Debug,
{
    let status = response.status();
    let text = response.text().await.unwrap();
    assert_eq!(status, expected, "unexpected status; body: {text}");
    let decoded: T = serde_json::from_str(&text).unwrap_or_else(|error| panic!("{error}: {text}"));
    let by_codec: T = json_codec::from_str(&text)
        .unwrap_or_else(|error| panic!("browser codec: {error}: {text}"));
    assert_eq!(
        by_codec, decoded,
        "browser codec disagrees with serde on {text}"
    );
    let encoded = json_codec::to_string(&decoded);
    let reread: T = serde_json::from_str(&encoded).unwrap_or_else(|error| {
        panic!("browser codec wrote what serde rejects: {error}: {encoded}")
    });
    assert_eq!(reread, decoded, "browser codec re-encoding changed {text}");
    decoded
}

/// Sends `request` and returns only its status.
pub async fn status_of(request: RequestBuilder) -> StatusCode {
    request.send().await.unwrap().status()
}

/// Sends `request` and returns its body as text, whatever the status.
pub async fn text_of(request: RequestBuilder) -> String {
    request.send().await.unwrap().text().await.unwrap()
}

/// Sends `request`, then [`json_of`].
pub async fn fetch_json<T>(request: RequestBuilder, expected: StatusCode) -> T
where
    T: serde::de::DeserializeOwned + json_codec::FromJson + json_codec::ToJson,
    T: PartialEq + std::fmt::Debug,
{
    json_of(request.send().await.unwrap(), expected).await
}

/// Sends `request`, then [`problem`].
pub async fn fetch_problem(request: RequestBuilder, expected: StatusCode, kind: &str) -> Value {
    problem(request.send().await.unwrap(), expected, kind).await
}

/// Asserts a problem+json response and returns its body.
pub async fn problem(response: Response, expected: StatusCode, kind: &str) -> Value {
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned());
    let body: Value = json_of(response, expected).await;
    assert_eq!(content_type.as_deref(), Some("application/problem+json"));
    assert_eq!(
        body["type"],
        format!("urn:tessera:problem:{kind}"),
        "{body}"
    );
    assert_eq!(body["status"], expected.as_u16());
    body
}

pub fn event_types(order: &Order) -> Vec<String> {
    order.timeline.iter().map(|e| e.type_.to_string()).collect()
}

pub fn method(name: &str) -> Method {
    Method::from_bytes(name.as_bytes()).unwrap()
}

/// Whether an event's `data` decodes as the contract's payload schema for its type.
pub fn payload_fits_its_schema(event: &api_client::types::OrderEvent) -> bool {
    use api_client::types::*;
    fn fits<T: serde::de::DeserializeOwned>(event: &OrderEvent) -> bool {
        serde_json::from_value::<T>(serde_json::Value::Object(event.data.0.clone())).is_ok()
    }
    match event.type_ {
        OrderEventType::OrderPlaced => fits::<OrderPlacedData>(event),
        OrderEventType::PaymentAuthorized => fits::<PaymentAuthorizedData>(event),
        OrderEventType::PaymentDeclined => fits::<PaymentDeclinedData>(event),
        OrderEventType::PaymentRetried => fits::<PaymentRetriedData>(event),
        OrderEventType::InventoryReserved => fits::<InventoryReservedData>(event),
        OrderEventType::InventoryShortfall => fits::<InventoryShortfallData>(event),
        OrderEventType::OrderConfirmed => fits::<OrderConfirmedData>(event),
        OrderEventType::RefundProcessed => fits::<RefundProcessedData>(event),
        OrderEventType::OrderCancelled => fits::<OrderCancelledData>(event),
        OrderEventType::MarketplaceOrderReceived => fits::<MarketplaceOrderReceivedData>(event),
        OrderEventType::MarketplaceOrderAccepted => fits::<MarketplaceOrderAcceptedData>(event),
        OrderEventType::MarketplaceOrderRejected => fits::<MarketplaceOrderRejectedData>(event),
        OrderEventType::MarketplaceOrderCancelled => fits::<MarketplaceOrderCancelledData>(event),
        OrderEventType::ReconciliationCompleted => fits::<ReconciliationCompletedData>(event),
        OrderEventType::ReconciliationFixApplied => fits::<ReconciliationFixAppliedData>(event),
        OrderEventType::ConsentGiven | OrderEventType::ConsentWithdrawn => {
            fits::<ConsentChangedData>(event)
        }
    }
}
