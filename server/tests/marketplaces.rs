//! Marketplace connectors against the real simulator on its own loopback port: notifications
//! duplicated or dropped, throttling, rejected listings, stock short of a marketplace order,
//! and forged notifications.

mod common;

use std::time::Duration;

use api_client::types::{
    ConnectorList, ConnectorListingPage, ListingSyncState, MarketplaceImportStatus,
    MarketplaceOrderImportPage,
};
use common::{TestServer, fetch_json, fetch_problem, method};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tessera_server::marketplaces::MarketplacesConfig;

const SECRET: &str = "whsec_dGVzc2VyYS1tYXJrZXRwbGFjZS10ZXN0LWtleS0zMmI=";

/// The simulator and a shop selling on it.
struct Market {
    sim: String,
    shop: TestServer,
    http: reqwest::Client,
    _stop: tokio::sync::watch::Sender<bool>,
}

impl Market {
    /// `before` sets the simulator up (throttles, refusals) before the shop starts publishing.
    async fn start(before: &[(&str, Value)]) -> Market {
        let (_, addr, stop) = marketplace_sim::start("127.0.0.1:0".parse().unwrap(), 0)
            .await
            .unwrap();
        let sim = format!("http://{addr}");
        let http = reqwest::Client::new();
        for (path, body) in before {
            let response = http
                .put(format!("{sim}{path}"))
                .json(body)
                .send()
                .await
                .unwrap();
            assert!(
                response.status().is_success(),
                "{path}: {}",
                response.status()
            );
        }
        let base_url = sim.clone();
        let shop = TestServer::start_with(move |config| {
            config.marketplaces = Some(MarketplacesConfig {
                base_url,
                secret: SECRET.to_owned(),
                interval: Duration::from_millis(100),
            });
        })
        .await;
        let webhook = json!({"baseUrl": shop.base, "secret": SECRET});
        let response = http
            .put(format!("{sim}/control/webhook"))
            .json(&webhook)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::NO_CONTENT);
        Market {
            sim,
            shop,
            http,
            _stop: stop,
        }
    }

    async fn control(&self, verb: &str, path: &str, body: Value) -> Value {
        let response = self
            .http
            .request(method(verb), format!("{}{path}", self.sim))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert!(
            response.status().is_success(),
            "{verb} {path}: {}",
            response.status()
        );
        response.json().await.unwrap_or(Value::Null)
    }

    async fn sim_state(&self, marketplace: &str) -> Value {
        self.http
            .get(format!("{}/control/{marketplace}", self.sim))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    async fn listings(&self, connector: &str, state: Option<&str>) -> ConnectorListingPage {
        let query = state
            .map(|state| format!("&state={state}"))
            .unwrap_or_default();
        fetch_json(
            self.shop.ops(
                method("GET"),
                &format!("/v1/ops/connectors/{connector}/listings?limit=200{query}"),
            ),
            StatusCode::OK,
        )
        .await
    }

    async fn imports(&self, connector: &str) -> MarketplaceOrderImportPage {
        fetch_json(
            self.shop.ops(
                method("GET"),
                &format!("/v1/ops/connectors/{connector}/imports?limit=200"),
            ),
            StatusCode::OK,
        )
        .await
    }

    /// Waits until every listing of the connector left `pending`.
    async fn published(&self, connector: &str) {
        eventually(&format!("{connector} publishes every listing"), || async {
            let listings = self.listings(connector, None).await;
            !listings.items.is_empty()
                && listings
                    .items
                    .iter()
                    .all(|listing| listing.state != ListingSyncState::Pending)
        })
        .await;
    }

    /// A SKU the marketplace now lists with at least `quantity` units.
    async fn stocked_sku(&self, marketplace: &str, quantity: i64) -> String {
        let state = self.sim_state(marketplace).await;
        state["listings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|listing| listing["quantity"].as_i64().unwrap_or(0) >= quantity)
            .map(|listing| listing["sku"].as_str().unwrap().to_owned())
            .expect("a stocked listing")
    }
}

async fn eventually<F, Fut>(what: &str, check: F)
where
    F: Fn() -> Fut,
    Fut: Future<Output = bool>,
{
    for _ in 0..600 {
        if check().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("timed out waiting until {what}");
}

#[tokio::test]
async fn duplicated_and_dropped_notifications_make_exactly_one_order_each() {
    let market = Market::start(&[]).await;
    market.published("ebay").await;
    let sku = market.stocked_sku("ebay", 8).await;
    let mut placed = Vec::new();
    for faults in [
        json!({"duplicateNotifications": 1.0}),
        json!({"dropNotifications": 1.0}),
    ] {
        market.control("PUT", "/control/ebay/faults", faults).await;
        for _ in 0..2 {
            let order = market
                .control(
                    "POST",
                    "/control/ebay/orders",
                    json!({"lines": [{"sku": sku, "quantity": 1}]}),
                )
                .await;
            placed.push(order["id"].as_str().unwrap().to_owned());
        }
    }
    eventually("all four orders are imported and accepted", || async {
        let imports = market.imports("ebay").await;
        imports.items.len() == 4
            && imports
                .items
                .iter()
                .all(|import| import.status == MarketplaceImportStatus::Accepted)
    })
    .await;
    let imports = market.imports("ebay").await;
    let mut imported: Vec<String> = imports
        .items
        .iter()
        .map(|import| import.marketplace_order_id.clone())
        .collect();
    imported.sort();
    placed.sort();
    assert_eq!(
        imported, placed,
        "each order once, dropped ones found by polling"
    );
    let stats = market.sim_state("ebay").await["stats"].clone();
    assert_eq!(stats["notificationsDuplicated"], 2);
    assert_eq!(stats["notificationsDropped"], 2);
}

#[tokio::test]
async fn throttled_stock_updates_are_all_published_and_the_429s_counted() {
    let market = Market::start(&[(
        "/control/ebay/throttles/stock",
        json!({"perSecond": 40.0, "burst": 3}),
    )])
    .await;
    market.published("ebay").await;
    let listings = market.listings("ebay", None).await;
    let at_marketplace = market.sim_state("ebay").await;
    for listing in &listings.items {
        assert_eq!(listing.state, ListingSyncState::Live, "{}", listing.sku);
        let theirs = at_marketplace["listings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|theirs| theirs["sku"] == listing.sku.as_str())
            .unwrap_or_else(|| panic!("{} never reached the marketplace", listing.sku));
        assert_eq!(
            theirs["quantity"].as_i64(),
            Some(listing.quantity),
            "{}",
            listing.sku
        );
    }
    let throttled = at_marketplace["stats"]["throttled"].as_u64().unwrap();
    assert!(throttled > 0, "the test throttles hard enough to see 429s");
    let connectors: ConnectorList = fetch_json(
        market.shop.ops(method("GET"), "/v1/ops/connectors"),
        StatusCode::OK,
    )
    .await;
    let ebay = connectors
        .items
        .iter()
        .find(|connector| connector.id == "ebay")
        .unwrap();
    assert_eq!(ebay.throttled_count as u64, throttled, "every 429 counted");
    assert_eq!(ebay.pending_listings, 0);
}

#[tokio::test]
async fn a_rejected_listing_shows_its_reason() {
    let market = Market::start(&[]).await;
    market.published("amazon").await;
    let sku = market.listings("amazon", None).await.items[0].sku.clone();
    market
        .control(
            "PUT",
            &format!("/control/amazon/listings/{sku}"),
            json!({"rejectReason": "brand not approved in this category"}),
        )
        .await;
    // A sale elsewhere moves the stock, so the listing is published again.
    market
        .control(
            "POST",
            "/control/ebay/orders",
            json!({"lines": [{"sku": sku, "quantity": 1}]}),
        )
        .await;
    eventually("amazon rejects the listing", || async {
        market
            .listings("amazon", Some("rejected"))
            .await
            .items
            .iter()
            .any(|listing| listing.sku == sku)
    })
    .await;
    let rejected = market.listings("amazon", Some("rejected")).await;
    assert_eq!(
        rejected.items[0].reason.as_deref(),
        Some("brand not approved in this category")
    );
}

#[tokio::test]
async fn an_order_short_of_stock_is_cancelled_at_the_marketplace() {
    let market = Market::start(&[]).await;
    market.published("zalando").await;
    let listing = &market.listings("zalando", None).await.items[0];
    let order = market
        .control(
            "POST",
            "/control/zalando/orders",
            json!({"lines": [{"sku": listing.sku, "quantity": listing.quantity + 5}], "allowOversell": true}),
        )
        .await;
    let id = order["id"].as_str().unwrap().to_owned();
    eventually("the marketplace shows the order cancelled", || async {
        let state = market.sim_state("zalando").await;
        state["orders"]
            .as_array()
            .unwrap()
            .iter()
            .any(|order| order["id"] == id.as_str() && order["status"] == "cancelled")
    })
    .await;
    let imports = market.imports("zalando").await;
    assert_eq!(imports.items[0].status, MarketplaceImportStatus::Cancelled);
    assert!(
        imports.items[0]
            .reason
            .as_deref()
            .unwrap_or_default()
            .contains("in stock")
    );
}

#[tokio::test]
async fn an_unsigned_or_forged_notification_changes_nothing() {
    let market = Market::start(&[]).await;
    let body = json!({
        "notificationId": "n-1", "marketplace": "ebay", "type": "order_created",
        "occurredAt": "2026-12-04T10:00:00Z",
        "order": {"id": "forged-1", "status": "unshipped", "currency": "USD",
                  "lines": [{"sku": "X", "quantity": 1, "unitPriceMinor": 100}],
                  "createdAt": "2026-12-04T10:00:00Z", "updatedAt": "2026-12-04T10:00:00Z"}
    });
    let url = format!("{}/v1/marketplaces/ebay/notifications", market.shop.base);
    let unsigned = market.http.post(&url).json(&body);
    fetch_problem(unsigned, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let now = time::OffsetDateTime::now_utc().unix_timestamp().to_string();
    let forged = market
        .http
        .post(&url)
        .header("webhook-id", "n-1")
        .header("webhook-timestamp", now)
        .header("webhook-signature", "v1,bm90IGEgc2lnbmF0dXJlIGF0IGFsbA==")
        .json(&body);
    fetch_problem(forged, StatusCode::UNAUTHORIZED, "unauthorized").await;
    assert!(market.imports("ebay").await.items.is_empty());
}
