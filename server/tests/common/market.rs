//! The marketplace simulator on its own loopback port and a shop selling on it, for the
//! connector tests, with helpers to drive both sides.

use std::time::Duration;

use api_client::types::{
    ConnectorListingPage, ListingSyncState, MarketplaceOrderImportPage, WebhookEndpoint,
};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tessera_server::marketplaces::MarketplacesConfig;

use super::{TestServer, fetch_json, method};

const SECRET: &str = "whsec_dGVzc2VyYS1tYXJrZXRwbGFjZS10ZXN0LWtleS0zMmI=";

/// The test seller's accounts allow ten times the marketplaces' default quotas and the shop
/// budgets its connectors to match, so the demo catalog publishes in a second or two (ebay takes
/// one SKU per call: twenty seconds at the default pace).
const QUOTA_SCALE: f64 = 10.0;

/// The simulator and a shop selling on it.
pub struct Market {
    pub sim: String,
    pub shop: TestServer,
    pub http: reqwest::Client,
    _stop: tokio::sync::watch::Sender<bool>,
}

impl Market {
    /// `before` sets the simulator up (throttles, refusals) before the shop starts publishing.
    pub async fn start(before: &[(&str, Value)]) -> Market {
        let (_, addr, stop) = marketplace_sim::start("127.0.0.1:0".parse().unwrap(), 0)
            .await
            .unwrap();
        let sim = format!("http://{addr}");
        let http = reqwest::Client::new();
        let quotas = ["amazon", "ebay", "zalando"].map(|marketplace| {
            (
                format!("/control/{marketplace}/quota"),
                json!({"scale": QUOTA_SCALE}),
            )
        });
        let before = quotas
            .iter()
            .map(|(path, body)| (path.as_str(), body))
            .chain(before.iter().map(|(path, body)| (*path, body)));
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
                reconcile_every: Duration::from_secs(3600),
                budget_scale: QUOTA_SCALE,
            });
            config.webhook_retry_scale = 0.00005;
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

    pub async fn control(&self, verb: &str, path: &str, body: Value) -> Value {
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

    /// A buyer orders one unit of `sku` at `marketplace`; returns the marketplace's order id.
    pub async fn order_one(&self, marketplace: &str, sku: &str) -> String {
        let lines = json!({"lines": [{"sku": sku, "quantity": 1}]});
        let order = self
            .control("POST", &format!("/control/{marketplace}/orders"), lines)
            .await;
        order["id"].as_str().unwrap().to_owned()
    }

    pub async fn sim_state(&self, marketplace: &str) -> Value {
        self.sim_state_of(&format!("/control/{marketplace}")).await
    }

    /// What a control API path reports (`/control/subscribers/<name>`, say).
    pub async fn sim_state_of(&self, path: &str) -> Value {
        self.http
            .get(format!("{}{path}", self.sim))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    pub async fn listings(&self, connector: &str, state: Option<&str>) -> ConnectorListingPage {
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

    pub async fn imports(&self, connector: &str) -> MarketplaceOrderImportPage {
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
    pub async fn published(&self, connector: &str) {
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

    /// Registers a webhook endpoint for marketplace order events at the simulator's subscriber
    /// `name`, which `subscriber` configures (failures to answer) and which verifies signatures
    /// with the endpoint's secret.
    pub async fn subscribe(&self, name: &str, subscriber: Value) -> WebhookEndpoint {
        let endpoint: WebhookEndpoint = fetch_json(
            self.shop
                .ops(method("POST"), "/v1/ops/webhooks")
                .json(&json!({
                    "url": format!("{}/subscribers/{name}", self.sim),
                    "eventTypes": ["MarketplaceOrderReceived", "MarketplaceOrderAccepted"],
                })),
            StatusCode::CREATED,
        )
        .await;
        let mut subscriber = subscriber;
        subscriber["secret"] = json!(endpoint.secret.clone().expect("shown once"));
        self.control("PUT", &format!("/control/subscribers/{name}"), subscriber)
            .await;
        endpoint
    }

    /// A SKU the marketplace now lists with at least `quantity` units.
    pub async fn stocked_sku(&self, marketplace: &str, quantity: i64) -> String {
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

pub async fn eventually<F, Fut>(what: &str, check: F)
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
