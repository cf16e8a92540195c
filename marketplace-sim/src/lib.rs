//! A marketplace simulator: three marketplaces (`amazon`-, `ebay`- and `zalando`-like) behind one
//! HTTP port, each under its own path prefix with its own dialect (`api.rs`), plus a control API
//! for tests and demos (`control.rs`) and order notifications pushed to the shop's webhook
//! endpoint, signed with the Standard Webhooks scheme (`notify.rs`). It also plays a subscriber
//! of the shop's own outbound webhooks, verifying every signature (`subscriber.rs`). Real
//! behaviour, not canned answers: throttles refuse, orders show late, feeds take time and reject
//! items, unacknowledged orders get cancelled, and faults drop or duplicate notifications, fail
//! or hang requests.

mod api;
mod control;
mod gate;
pub mod market;
mod notify;
mod subscriber;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::Router;
use tokio::sync::watch;

use crate::market::{Kind, Market};
pub use crate::notify::Notification;

/// Where notifications go: the shop's base URL (the path is
/// `/v1/marketplaces/<marketplace>/notifications`) and the signing secret (`whsec_<base64>`).
#[derive(Debug, Clone)]
pub struct WebhookTarget {
    pub base_url: String,
    pub secret: String,
}

#[derive(Clone)]
pub struct Simulator {
    markets: Arc<HashMap<Kind, Mutex<Market>>>,
    webhook: Arc<Mutex<Option<WebhookTarget>>>,
    subscribers: subscriber::Subscribers,
    http: reqwest::Client,
}

impl Default for Simulator {
    fn default() -> Self {
        Simulator {
            markets: Arc::new(
                Kind::ALL
                    .into_iter()
                    .map(|kind| (kind, Mutex::new(Market::new(kind))))
                    .collect(),
            ),
            webhook: Arc::new(Mutex::new(None)),
            subscribers: subscriber::Subscribers::default(),
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(10))
                .build()
                .expect("an HTTP client"),
        }
    }
}

impl Simulator {
    /// One marketplace's state, locked. Never held across an await.
    pub fn market(&self, kind: Kind) -> MutexGuard<'_, Market> {
        self.markets[&kind]
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub fn set_webhook(&self, target: Option<WebhookTarget>) {
        *self
            .webhook
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = target;
    }

    fn webhook(&self) -> Option<WebhookTarget> {
        self.webhook
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    pub fn router(&self) -> Router {
        Router::new()
            .merge(api::router())
            .merge(control::router())
            .merge(subscriber::router())
            .with_state(self.clone())
    }

    /// Serves on `listener` until `shutdown` turns true; also runs the clock that cancels late
    /// acknowledgements and, with `demo_orders_per_minute`, places orders like buyers would.
    pub async fn serve(
        self,
        listener: tokio::net::TcpListener,
        demo_orders_per_minute: u32,
        mut shutdown: watch::Receiver<bool>,
    ) -> std::io::Result<()> {
        let ticker = tokio::spawn(self.clone().tick(demo_orders_per_minute, shutdown.clone()));
        let served = axum::serve(listener, self.router())
            .with_graceful_shutdown(async move {
                let _ = shutdown.wait_for(|stop| *stop).await;
            })
            .await;
        ticker.abort();
        served
    }

    async fn tick(self, demo_orders_per_minute: u32, shutdown: watch::Receiver<bool>) {
        let mut interval = tokio::time::interval(Duration::from_secs(1));
        let mut demo_due = 0.0;
        while !*shutdown.borrow() {
            interval.tick().await;
            let now = time::OffsetDateTime::now_utc();
            for kind in Kind::ALL {
                let expired = self.market(kind).settle(now);
                for order in expired {
                    self.notify(kind, "order_cancelled", &order);
                }
            }
            demo_due += f64::from(demo_orders_per_minute) / 60.0;
            while demo_due >= 1.0 {
                demo_due -= 1.0;
                self.demo_order();
            }
        }
    }

    /// Cancels an order: by the seller through the API (counted), or by the buyer (the seller
    /// is notified). `None` when there is no such order.
    pub(crate) fn cancel_order(
        &self,
        kind: Kind,
        id: &str,
        reason: &str,
        by_seller: bool,
    ) -> Option<market::Order> {
        let cancelled = {
            let mut market = self.market(kind);
            let cancelled = market.cancel(id, reason, time::OffsetDateTime::now_utc());
            if cancelled.is_some() && by_seller {
                market.stats.cancellations_by_seller += 1;
            }
            cancelled
        };
        if let Some(order) = cancelled.as_ref().filter(|_| !by_seller) {
            self.notify(kind, "order_cancelled", order);
        }
        cancelled
    }

    /// A buyer somewhere orders one or two units of something in stock.
    fn demo_order(&self) {
        let kind = Kind::ALL[fastrand::usize(..Kind::ALL.len())];
        let order = {
            let mut market = self.market(kind);
            let in_stock: Vec<String> = market
                .listings
                .values()
                .filter(|listing| listing.quantity > 2 && listing.reject_reason.is_none())
                .map(|listing| listing.sku.clone())
                .collect();
            if in_stock.is_empty() {
                return;
            }
            let sku = in_stock[fastrand::usize(..in_stock.len())].clone();
            let now = time::OffsetDateTime::now_utc();
            market.place_order(&[(sku, fastrand::u32(1..=2))], false, now)
        };
        if let Ok(order) = order {
            self.notify(kind, "order_created", &order);
        }
    }
}

/// Binds `addr` and serves in the background; for tests and `cargo xtask serve`.
pub async fn start(
    addr: SocketAddr,
    demo_orders_per_minute: u32,
) -> std::io::Result<(Simulator, SocketAddr, watch::Sender<bool>)> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let bound = listener.local_addr()?;
    let simulator = Simulator::default();
    let (stop, stopped) = watch::channel(false);
    tokio::spawn(
        simulator
            .clone()
            .serve(listener, demo_orders_per_minute, stopped),
    );
    Ok((simulator, bound, stop))
}
