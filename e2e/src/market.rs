//! The marketplace simulator for the connector console's journeys: started in-process on its
//! own loopback port (it speaks only HTTP to the server under test), with the server flags that
//! sell on it and helpers for its control API (orders, drift, faults).

use anyhow::{Context, Result};
use serde_json::{Value, json};

use crate::ServerExtras;

/// The notification secret the simulator signs with and the server checks.
const SECRET: &str = "whsec_dGVzc2VyYS1lMmUtbWFya2V0cGxhY2Uta2V5LTMyYnl0ZXM=";

/// The test seller's accounts allow ten times the default quotas and the server budgets its
/// connectors to match, so the demo catalog publishes in seconds (ebay takes a SKU per call).
const QUOTA_SCALE: f64 = 10.0;

pub struct Market {
    pub url: String,
    http: reqwest::Client,
    _stop: tokio::sync::watch::Sender<bool>,
}

impl Market {
    pub async fn start() -> Result<Market> {
        let (_, addr, stop) = marketplace_sim::start("127.0.0.1:0".parse()?, 0).await?;
        let market = Market {
            url: format!("http://{addr}"),
            http: reqwest::Client::new(),
            _stop: stop,
        };
        for marketplace in ["amazon", "ebay", "zalando"] {
            let quota = format!("/control/{marketplace}/quota");
            market
                .control("PUT", &quota, json!({"scale": QUOTA_SCALE}))
                .await?;
        }
        Ok(market)
    }

    /// The server flags that register a connector per marketplace of this simulator.
    pub fn server_extras(&self) -> ServerExtras {
        ServerExtras {
            args: vec![
                "--marketplaces".into(),
                self.url.clone(),
                "--marketplace-secret".into(),
                SECRET.into(),
                // Quick rounds, so a failing call is parked (six attempts, backing off from the
                // round interval) within a test's patience.
                "--connector-interval-ms".into(),
                "100".into(),
                "--connector-budget-scale".into(),
                QUOTA_SCALE.to_string(),
            ],
            env: Vec::new(),
        }
    }

    /// Sends the simulator's signed order notifications to the server at `base`.
    pub async fn notify(&self, base: &str) -> Result<()> {
        self.control(
            "PUT",
            "/control/webhook",
            json!({"baseUrl": base, "secret": SECRET}),
        )
        .await
        .map(drop)
    }

    /// A control API call; its JSON answer (`null` when empty).
    pub async fn control(&self, verb: &str, path: &str, body: Value) -> Result<Value> {
        let method = reqwest::Method::from_bytes(verb.as_bytes())?;
        let response = self
            .http
            .request(method, format!("{}{path}", self.url))
            .json(&body)
            .send()
            .await?;
        let status = response.status();
        let text = response.text().await?;
        anyhow::ensure!(status.is_success(), "{verb} {path}: {status}: {text}");
        Ok(serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    /// A SKU the marketplace lists with at least `quantity` units.
    pub async fn stocked_sku(&self, marketplace: &str, quantity: i64) -> Result<String> {
        let state = self
            .control("GET", &format!("/control/{marketplace}"), Value::Null)
            .await?;
        state["listings"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|listing| listing["quantity"].as_i64().unwrap_or(0) >= quantity)
            .and_then(|listing| listing["sku"].as_str())
            .map(str::to_owned)
            .context("a stocked listing")
    }

    /// A buyer orders one unit of `sku`; the marketplace's order id.
    pub async fn order_one(&self, marketplace: &str, sku: &str) -> Result<String> {
        let order = self
            .control(
                "POST",
                &format!("/control/{marketplace}/orders"),
                json!({"lines": [{"sku": sku, "quantity": 1}]}),
            )
            .await?;
        order["id"]
            .as_str()
            .map(str::to_owned)
            .context("the order's id")
    }
}
