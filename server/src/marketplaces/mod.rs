//! Marketplace connectors: each marketplace the shop sells on has a worker (`worker.rs`) that
//! polls its orders, publishes our stock at its pace and makes the calls the shop owes it; the
//! HTTP dialects are in `client.rs`. Orders also arrive pushed, through the signed notification
//! route; both paths meet in `domain::marketplace_orders::intake`.

mod client;
mod polling;
mod reconcile;
mod worker;

use std::time::Duration;

use tokio::sync::watch;

use crate::state::AppState;
use crate::store::connectors;

pub use worker::{Wakers, run_workers};

/// Where the marketplaces are and how inbound notifications are signed.
#[derive(Debug, Clone)]
pub struct MarketplacesConfig {
    /// The simulator's (or a gateway's) base URL; connector `x` lives at `<base>/x`.
    pub base_url: String,
    /// Standard Webhooks secret (`whsec_<base64>`) the marketplaces sign notifications with.
    pub secret: String,
    /// How often each connector polls and publishes.
    pub interval: Duration,
    /// How often each connector reconciles on its own (ops can also ask for a run).
    pub reconcile_every: Duration,
    /// Multiplies every connector's request budget (calls per second and burst): for seller
    /// accounts a marketplace allows more calls than its default quota.
    pub budget_scale: f64,
}

/// Dead letters of a connector's calls to its marketplace are filed under this consumer name.
pub fn dead_letter_consumer(connector_id: &str) -> String {
    format!("connector:{connector_id}")
}

/// The connector whose call a dead letter holds, if it is one.
pub fn connector_of_dead_letter(consumer: &str) -> Option<&str> {
    consumer.strip_prefix("connector:")
}

/// The dialects this server speaks, one per connector id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Amazon,
    Ebay,
    Zalando,
}

impl Dialect {
    pub const ALL: [Dialect; 3] = [Dialect::Amazon, Dialect::Ebay, Dialect::Zalando];

    pub fn of(connector_id: &str) -> Option<Dialect> {
        Dialect::ALL
            .into_iter()
            .find(|dialect| dialect.id() == connector_id)
    }

    pub fn id(self) -> &'static str {
        match self {
            Dialect::Amazon => "amazon",
            Dialect::Ebay => "ebay",
            Dialect::Zalando => "zalando",
        }
    }

    pub fn display_name(self) -> &'static str {
        match self {
            Dialect::Amazon => "Amazon",
            Dialect::Ebay => "eBay",
            Dialect::Zalando => "Zalando",
        }
    }

    /// Orders must be acknowledged before a deadline, or the marketplace cancels them.
    pub fn requires_acknowledgement(self) -> bool {
        self == Dialect::Zalando
    }

    /// How far back each poll reaches behind the newest change already imported: amazon lists
    /// orders a while after they changed.
    fn poll_overlap(self) -> time::Duration {
        match self {
            Dialect::Amazon => time::Duration::seconds(30),
            Dialect::Ebay | Dialect::Zalando => time::Duration::seconds(5),
        }
    }

    /// Our own request budget, kept under the marketplace's default quota, `scale` times that:
    /// (per second, burst).
    fn budget(self, scale: f64) -> (f64, u32) {
        let (per_second, burst) = match self {
            Dialect::Amazon => (1.0, 10.0),
            Dialect::Ebay => (10.0, 20.0),
            Dialect::Zalando => (2.0, 5.0),
        };
        (per_second * scale, (burst * scale).round().max(1.0) as u32)
    }

    /// Items per stock request (ebay updates one SKU per request, each its own call, so a 429
    /// halfway never hides what was already applied).
    fn batch(self) -> i64 {
        match self {
            Dialect::Amazon => 500,
            Dialect::Ebay => 1,
            Dialect::Zalando => 100,
        }
    }
}

/// Registers the connectors and starts their workers (when the server sells on marketplaces).
pub async fn start(state: &AppState, shutdown: watch::Receiver<bool>) -> anyhow::Result<()> {
    let Some(config) = state.config.marketplaces.clone() else {
        return Ok(());
    };
    for dialect in Dialect::ALL {
        let base = format!("{}/{}", config.base_url.trim_end_matches('/'), dialect.id());
        connectors::register(&state.db, dialect.id(), dialect.display_name(), &base).await?;
    }
    run_workers(
        state.clone(),
        &config,
        state.connector_wakers.clone(),
        shutdown,
    );
    Ok(())
}
