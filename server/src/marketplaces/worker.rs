//! One worker per connector. Each round, unless the connector is paused: make the calls owed to
//! the marketplace (acknowledge, cancel), follow feeds in flight, publish pending stock, and poll
//! orders changed since the newest one imported (minus an overlap). Every request first takes a
//! token from the connector's own budget; a 429 stops the round and waits what the marketplace
//! asked (`Retry-After`) or backs off exponentially. Failures are recorded on the connector and
//! retried; nothing is lost, since all work is rows in the database until the marketplace has it.

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use api_client::types::{MarketplaceImportStatus, MarketplaceOrderCancelledDataBy};
use governor::middleware::StateInformationMiddleware;
use governor::{Quota, RateLimiter};
use tokio::sync::{Notify, watch};

use super::client::{CallError, Client, FeedReport, Offer, Published};
use super::{Dialect, MarketplacesConfig, dead_letter_consumer};
use crate::domain::marketplace_orders::{self, CALL_ACKNOWLEDGE, CALL_CANCEL};
use crate::state::AppState;
use crate::store::events;
use crate::store::{connector_health, connectors, later, marketplace_orders as imports};
use crate::store::{dead_letters, deliveries};

/// Wakes a connector's worker for a sync now.
#[derive(Clone, Default)]
pub struct Wakers(Arc<HashMap<String, Arc<Notify>>>);

impl From<HashMap<String, Arc<Notify>>> for Wakers {
    fn from(map: HashMap<String, Arc<Notify>>) -> Self {
        Wakers(Arc::new(map))
    }
}

impl Wakers {
    pub fn for_all_dialects() -> Wakers {
        Dialect::ALL
            .into_iter()
            .map(|dialect| (dialect.id().to_owned(), Arc::new(Notify::new())))
            .collect::<HashMap<_, _>>()
            .into()
    }

    pub fn wake(&self, connector_id: &str) {
        if let Some(notify) = self.0.get(connector_id) {
            notify.notify_one();
        }
    }

    fn of(&self, connector_id: &str) -> Arc<Notify> {
        self.0.get(connector_id).cloned().unwrap_or_default()
    }
}

type Budget = RateLimiter<
    governor::state::NotKeyed,
    governor::state::InMemoryState,
    governor::clock::DefaultClock,
    StateInformationMiddleware,
>;

/// Failed attempts of a call owed to a marketplace before it waits as a dead letter.
const MAX_CALL_ATTEMPTS: i64 = 6;

pub(super) struct Worker {
    pub(super) state: AppState,
    pub(super) id: String,
    pub(super) interval: Duration,
    pub(super) reconcile_every: time::Duration,
    pub(super) dialect: Dialect,
    pub(super) client: Client,
    pub(super) pacer: Pacer,
    pub(super) poll_resume: super::polling::PollResume,
}

/// The connector's pace: our own budget, and the quiet the marketplace asked for.
pub(super) struct Pacer {
    budget: Budget,
    /// No request before this (after a 429).
    pub(super) quiet_until: Option<tokio::time::Instant>,
    backoff: Duration,
}

/// Why a round stopped early.
pub(super) enum Stop {
    /// Out of budget or throttled: the rest waits for the next round.
    Throttled,
    Failed(String),
}

pub fn run_workers(
    state: AppState,
    config: &MarketplacesConfig,
    wakers: Wakers,
    shutdown: watch::Receiver<bool>,
) {
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .expect("an HTTP client");
    for dialect in Dialect::ALL {
        let base = format!("{}/{}", config.base_url.trim_end_matches('/'), dialect.id());
        let (per_second, burst) = dialect.budget(config.budget_scale);
        let quota = Quota::with_period(Duration::from_secs_f64(1.0 / per_second))
            .expect("a positive period")
            .allow_burst(NonZeroU32::new(burst).expect("non-zero"));
        let worker = Worker {
            state: state.clone(),
            id: dialect.id().to_owned(),
            interval: config.interval,
            reconcile_every: time::Duration::try_from(config.reconcile_every)
                .unwrap_or(time::Duration::HOUR),
            dialect,
            client: Client::new(http.clone(), &base, dialect),
            poll_resume: Default::default(),
            pacer: Pacer {
                budget: RateLimiter::direct(quota).with_middleware::<StateInformationMiddleware>(),
                quiet_until: None,
                backoff: Duration::from_millis(500),
            },
        };
        tokio::spawn(worker.run(config.interval, wakers.of(dialect.id()), shutdown.clone()));
    }
}

impl Worker {
    async fn run(
        mut self,
        interval: Duration,
        wake: Arc<Notify>,
        mut shutdown: watch::Receiver<bool>,
    ) {
        loop {
            if *shutdown.borrow() {
                return;
            }
            if let Err(error) = self.round().await {
                tracing::error!(connector = %self.id, "connector round: {error:#}");
            }
            tokio::select! {
                () = tokio::time::sleep(interval) => {}
                () = wake.notified() => {}
                _ = shutdown.changed() => {}
            }
        }
    }

    async fn round(&mut self) -> anyhow::Result<()> {
        let Some(connector) = connectors::find(&self.state.db, &self.id).await? else {
            return Ok(());
        };
        if self
            .pacer
            .quiet_until
            .is_some_and(|until| tokio::time::Instant::now() < until)
        {
            return Ok(());
        }
        // A paused connector still runs the reconciliations ops ask for (they only read).
        if let Err(Stop::Failed(error)) = self.reconcile(!connector.is_paused()).await? {
            tracing::warn!(connector = %self.id, %error, "reconciliation failed");
        }
        if connector.is_paused() {
            return Ok(());
        }
        let outcome = match self.calls().await? {
            Ok(()) => match self.feeds().await? {
                Ok(()) => match self.publish().await? {
                    Ok(()) => self.poll(connector.poll_after.as_deref()).await?,
                    stopped => stopped,
                },
                stopped => stopped,
            },
            stopped => stopped,
        };
        if let Err(Stop::Failed(error)) = outcome {
            tracing::warn!(connector = %self.id, %error, "connector round failed; retrying");
        }
        Ok(())
    }

    /// Acknowledgements and cancellations the shop owes the marketplace.
    async fn calls(&mut self) -> anyhow::Result<Result<(), Stop>> {
        for order in imports::calls_due(&self.state.db, &self.id, 20).await? {
            let call = order.pending_call.clone().unwrap_or_default();
            let reason = order.reason.clone().unwrap_or_default();
            let result = if call == CALL_ACKNOWLEDGE {
                let request = self.client.acknowledge(&order.external_id);
                self::call(&mut self.pacer, &self.state.db, &self.id, request).await?
            } else {
                let request = self.client.cancel(&order.external_id, &reason);
                self::call(&mut self.pacer, &self.state.db, &self.id, request).await?
            };
            match result {
                Ok(()) => {
                    let mut tx = self.state.writer.begin().await?;
                    // The write first: the transaction takes the write lock at once.
                    imports::clear_call(&mut tx, &order.id).await?;
                    let consumer = dead_letter_consumer(&self.id);
                    deliveries::clear_failures_of_order(&mut tx, &consumer, &order.id).await?;
                    let cancelled = order.status == MarketplaceImportStatus::Cancelled.to_string();
                    let sequence = if call == CALL_CANCEL && !cancelled {
                        let reason = order
                            .reason
                            .clone()
                            .unwrap_or_else(|| "out of stock".into());
                        Some(
                            marketplace_orders::cancel(
                                &mut tx,
                                &order.id,
                                MarketplaceOrderCancelledDataBy::Shop,
                                &reason,
                            )
                            .await?,
                        )
                    } else {
                        None
                    };
                    self.state.outbox.commit(tx, sequence).await?;
                }
                Err(Stop::Throttled) => return Ok(Err(Stop::Throttled)),
                Err(Stop::Failed(error)) => self.call_failed(&order, &error).await?,
            }
        }
        Ok(Ok(()))
    }

    /// A call the marketplace refused or failed: retried with backoff, and after
    /// [`MAX_CALL_ATTEMPTS`] parked as a dead letter (connector, event, last error) for ops.
    async fn call_failed(&self, order: &imports::ImportRow, error: &str) -> anyhow::Result<()> {
        let db = &self.state.db;
        let consumer = dead_letter_consumer(&self.id);
        let Some(event_id) = events::latest_event_of_order(db, &order.id).await? else {
            return Ok(());
        };
        let attempts = deliveries::record_failure(db, &consumer, &event_id, error).await?;
        if attempts >= MAX_CALL_ATTEMPTS {
            dead_letters::park(db, &consumer, &event_id).await?;
            imports::park_call(db, &order.id).await?;
            tracing::warn!(connector = %self.id, order = %order.external_id, %error, "call parked as a dead letter");
        } else {
            imports::retry_call(db, &order.id, &later(self.backoff(attempts))).await?;
        }
        Ok(())
    }

    /// The wait before retry `attempts`: the round interval, doubling, at most 256 times it.
    fn backoff(&self, attempts: i64) -> Duration {
        self.interval * 2u32.saturating_pow(attempts.clamp(0, 8) as u32)
    }

    /// Asks about feeds in flight and records each item's fate.
    async fn feeds(&mut self) -> anyhow::Result<Result<(), Stop>> {
        for feed_id in connectors::feeds_in_flight(&self.state.db, &self.id).await? {
            let request = self.client.feed(&feed_id);
            let report =
                match self::call(&mut self.pacer, &self.state.db, &self.id, request).await? {
                    Ok(report) => report,
                    Err(stop) => return Ok(Err(stop)),
                };
            let items = connectors::listings_in_feed(&self.state.db, &self.id, &feed_id).await?;
            match report {
                FeedReport::Processing => {}
                FeedReport::Done { rejected } => {
                    for item in items {
                        match rejected.iter().find(|(sku, _)| *sku == item.sku) {
                            Some((_, reason)) => {
                                connectors::mark_rejected(
                                    &self.state.db,
                                    &self.id,
                                    &item.sku,
                                    reason,
                                )
                                .await?
                            }
                            None => {
                                let quantity = item.feed_quantity.unwrap_or(item.quantity);
                                connectors::mark_published(
                                    &self.state.db,
                                    &self.id,
                                    &item.sku,
                                    quantity,
                                )
                                .await?
                            }
                        }
                    }
                }
                FeedReport::Fatal(error) => {
                    for item in items {
                        connectors::mark_retry(
                            &self.state.db,
                            &self.id,
                            &item.sku,
                            &error,
                            &later(Duration::from_secs(5)),
                        )
                        .await?;
                    }
                }
            }
        }
        Ok(Ok(()))
    }

    /// Publishes pending figures in batches until none is due or the budget runs out.
    async fn publish(&mut self) -> anyhow::Result<Result<(), Stop>> {
        loop {
            let due =
                connectors::due_listings(&self.state.db, &self.id, self.dialect.batch()).await?;
            if due.is_empty() {
                return Ok(Ok(()));
            }
            let items: Vec<Offer> = due
                .iter()
                .map(|row| Offer {
                    sku: row.sku.clone(),
                    quantity: row.quantity.max(0),
                    price_minor: row.price,
                })
                .collect();
            let request = self.client.publish(&items);
            match self::call(&mut self.pacer, &self.state.db, &self.id, request).await? {
                Ok(Published::Feed(feed_id)) => {
                    for offer in &items {
                        let (sku, quantity) = (&offer.sku, offer.quantity);
                        connectors::mark_in_feed(&self.state.db, &self.id, sku, &feed_id, quantity)
                            .await?;
                    }
                }
                Ok(Published::Applied { rejected }) => {
                    for Offer { sku, quantity, .. } in &items {
                        match rejected
                            .iter()
                            .find(|(rejected_sku, _)| rejected_sku == sku)
                        {
                            Some((_, reason)) => {
                                connectors::mark_rejected(&self.state.db, &self.id, sku, reason)
                                    .await?
                            }
                            None => {
                                connectors::mark_published(&self.state.db, &self.id, sku, *quantity)
                                    .await?
                            }
                        }
                    }
                }
                Err(Stop::Throttled) => return Ok(Err(Stop::Throttled)),
                Err(Stop::Failed(error)) => {
                    for row in &due {
                        let wait = self.backoff(row.attempts + 1);
                        connectors::mark_retry(
                            &self.state.db,
                            &self.id,
                            &row.sku,
                            &error,
                            &later(wait),
                        )
                        .await?;
                    }
                    return Ok(Err(Stop::Failed(error)));
                }
            }
        }
    }
}

/// Takes a token from the connector's budget and sends; records success, failure or throttling.
pub(super) async fn call<T>(
    pacer: &mut Pacer,
    db: &sqlx::AnyPool,
    id: &str,
    call: impl Future<Output = Result<T, CallError>>,
) -> anyhow::Result<Result<T, Stop>> {
    let remaining = match pacer.budget.check() {
        Ok(snapshot) => i64::from(snapshot.remaining_burst_capacity()),
        Err(_) => return Ok(Err(Stop::Throttled)),
    };
    match call.await {
        Ok(value) => {
            pacer.backoff = Duration::from_millis(500);
            connector_health::record_success(db, id, Some(remaining)).await?;
            Ok(Ok(value))
        }
        Err(CallError::Throttled { retry_after }) => {
            let wait = retry_after.unwrap_or(pacer.backoff);
            pacer.backoff = (pacer.backoff * 2).min(Duration::from_secs(30));
            pacer.quiet_until = Some(tokio::time::Instant::now() + wait);
            connector_health::record_failure(db, id, "throttled by the marketplace (429)", true)
                .await?;
            Ok(Err(Stop::Throttled))
        }
        Err(CallError::Refused(reason)) => {
            connector_health::record_success(db, id, Some(remaining)).await?;
            Ok(Err(Stop::Failed(reason)))
        }
        Err(CallError::Failed(error)) => {
            connector_health::record_failure(db, id, &error, false).await?;
            Ok(Err(Stop::Failed(error)))
        }
    }
}
