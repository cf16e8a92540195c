//! Reconciliation: our listings and marketplace orders against the marketplace's, each
//! difference with the fix it suggests. [`compare`] is pure; the worker fetches both sides and
//! stores the run with a `ReconciliationCompleted` event. A run only reads: fixes are applied one
//! by one by ops (`domain::reconciliation`), so running twice changes nothing.

use std::collections::{HashMap, HashSet};

use api_client::types::{
    DifferenceKind, MarketplaceImportStatus, MarketplaceOrder, MarketplaceOrderStatus, SuggestedFix,
};

use api_client::types::ReconciliationCompletedData;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::client::{CallError, Client, TheirListing};
use super::worker::{Stop, Worker, call};
use crate::store::connectors::{self, ListingRow};
use crate::store::events::append_event;
use crate::store::marketplace_orders::{self as imports, ImportRow};
use crate::store::reconciliations::{self, Found};

/// How long a run waits out the marketplace's throttle before it gives up until the next round.
const PATIENCE: std::time::Duration = std::time::Duration::from_secs(120);

impl Worker {
    /// Runs the oldest queued reconciliation (queueing one when `scheduling` and it is time).
    pub(super) async fn reconcile(&mut self, scheduling: bool) -> anyhow::Result<Result<(), Stop>> {
        let db = &self.state.db;
        let due = scheduling
            && match reconciliations::last_requested(db, &self.id).await? {
                None => true,
                Some(last) => OffsetDateTime::parse(&last, &Rfc3339).map_or(true, |last| {
                    OffsetDateTime::now_utc() - last >= self.reconcile_every
                }),
            };
        if due {
            reconciliations::queue(db, &self.id, "schedule", None).await?;
        }
        let Some(run_id) = reconciliations::claim_queued(db, &self.id).await? else {
            return Ok(Ok(()));
        };
        let started = std::time::Instant::now();
        let mut theirs = Vec::new();
        loop {
            let offset = theirs.len();
            match self
                .patiently(|client| async move { client.listings_page(offset).await })
                .await?
            {
                Ok((page, total)) => {
                    let last = page.is_empty() || offset + page.len() >= total;
                    theirs.extend(page);
                    if last {
                        break;
                    }
                }
                Err(stop) => return self.abandon(&run_id, stop).await,
            }
        }
        let mut orders = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let after = cursor.clone();
            let page = self
                .patiently(|client| {
                    let after = after.clone();
                    async move {
                        client
                            .orders_page("1970-01-01T00:00:00Z", after.as_deref())
                            .await
                    }
                })
                .await?;
            match page {
                Ok((page, next)) => {
                    orders.extend(page);
                    match next {
                        Some(next) => cursor = Some(next),
                        None => break,
                    }
                }
                Err(stop) => return self.abandon(&run_id, stop).await,
            }
        }
        let db = &self.state.db;
        let ours = connectors::all_listings(db, &self.id).await?;
        let imports = imports::all(db, &self.id).await?;
        let found = compare(&ours, &theirs, &imports, &orders);
        let mut tx = self.state.writer.begin().await?;
        let elapsed = started.elapsed().as_millis() as i64;
        let (listings, orders) = (ours.len() as i64, orders.len() as i64);
        reconciliations::complete(&mut tx, &run_id, listings, orders, &found, elapsed).await?;
        let completed = ReconciliationCompletedData {
            connector_id: self.id.clone(),
            differences: found.len() as i32,
            listings_compared: listings as i32,
            orders_compared: orders as i32,
        };
        let sequence = append_event(&mut tx, &run_id, &completed).await?;
        self.state.outbox.commit(tx, Some(sequence)).await?;
        tracing::info!(connector = %self.id, differences = found.len(), elapsed_ms = elapsed, "reconciled");
        Ok(Ok(()))
    }

    /// A request the run needs: throttled, it waits (what the marketplace asked, or a moment for
    /// our own budget) and asks again, for up to [`PATIENCE`].
    async fn patiently<T, Fut>(
        &mut self,
        request: impl Fn(Client) -> Fut,
    ) -> anyhow::Result<Result<T, Stop>>
    where
        Fut: Future<Output = Result<T, CallError>>,
    {
        let deadline = tokio::time::Instant::now() + PATIENCE;
        loop {
            let sent = request(self.client.clone());
            match call(&mut self.pacer, &self.state.db, &self.id, sent).await? {
                Err(Stop::Throttled) if tokio::time::Instant::now() < deadline => {
                    let quiet = self.pacer.quiet_until.take();
                    let wait = quiet.unwrap_or_else(|| tokio::time::Instant::now() + self.interval);
                    tokio::time::sleep_until(wait).await;
                }
                answer => return Ok(answer),
            }
        }
    }

    /// A run the marketplace cut short: throttled runs wait in the queue, failed ones say why.
    async fn abandon(&self, run_id: &str, stop: Stop) -> anyhow::Result<Result<(), Stop>> {
        match &stop {
            Stop::Throttled => reconciliations::requeue(&self.state.db, run_id).await?,
            Stop::Failed(error) => reconciliations::fail(&self.state.db, run_id, error).await?,
        }
        Ok(Err(stop))
    }
}

pub fn compare(
    ours: &[ListingRow],
    theirs: &[TheirListing],
    imports: &[ImportRow],
    orders: &[MarketplaceOrder],
) -> Vec<Found> {
    let mut found = Vec::new();
    let their_listings: HashMap<&str, &TheirListing> = theirs
        .iter()
        .map(|listing| (listing.sku.as_str(), listing))
        .collect();
    // Pending listings are on their way and rejected ones are reported as such: only what the
    // marketplace is supposed to hold can drift.
    for listing in ours.iter().filter(|listing| listing.state == "live") {
        let drift = |kind, ours: String, theirs: Option<String>| Found {
            kind,
            sku: Some(listing.sku.clone()),
            marketplace_order_id: None,
            ours: Some(ours),
            theirs,
            order_json: None,
            fix: SuggestedFix::PublishListing,
        };
        match their_listings.get(listing.sku.as_str()) {
            None => found.push(drift(
                DifferenceKind::StockDrift,
                listing.quantity.to_string(),
                None,
            )),
            Some(their) => {
                if their.quantity != listing.quantity {
                    found.push(drift(
                        DifferenceKind::StockDrift,
                        listing.quantity.to_string(),
                        Some(their.quantity.to_string()),
                    ));
                }
                if listing.price.is_some() && their.price_minor != listing.price {
                    found.push(drift(
                        DifferenceKind::PriceDrift,
                        listing
                            .price
                            .map(|price| price.to_string())
                            .unwrap_or_default(),
                        their.price_minor.map(|price| price.to_string()),
                    ));
                }
            }
        }
    }
    let ours_by_id: HashMap<&str, &ImportRow> = imports
        .iter()
        .map(|import| (import.external_id.as_str(), import))
        .collect();
    let order_difference = |kind, order: &MarketplaceOrder, ours: Option<String>, fix| Found {
        kind,
        sku: None,
        marketplace_order_id: Some(order.id.clone()),
        ours,
        theirs: Some(order.status.to_string()),
        order_json: serde_json::to_string(order).ok(),
        fix,
    };
    for order in orders {
        let cancelled_there = order.status == MarketplaceOrderStatus::Cancelled;
        match ours_by_id.get(order.id.as_str()) {
            None if !cancelled_there => found.push(order_difference(
                DifferenceKind::OrderMissingHere,
                order,
                None,
                SuggestedFix::ImportOrder,
            )),
            None => {}
            Some(import) => {
                let status = import.status.as_str();
                let cancelled_here = status == MarketplaceImportStatus::Cancelled.to_string();
                let being_cancelled = status == MarketplaceImportStatus::Rejected.to_string()
                    || import.pending_call.as_deref() == Some("cancel");
                if cancelled_there && !cancelled_here && !being_cancelled {
                    found.push(order_difference(
                        DifferenceKind::StatusMismatch,
                        order,
                        Some(status.to_owned()),
                        SuggestedFix::ApplyCancellation,
                    ));
                } else if cancelled_here && !cancelled_there && !being_cancelled {
                    found.push(order_difference(
                        DifferenceKind::StatusMismatch,
                        order,
                        Some(status.to_owned()),
                        SuggestedFix::CancelAtMarketplace,
                    ));
                }
            }
        }
    }
    let theirs_ids: HashSet<&str> = orders.iter().map(|order| order.id.as_str()).collect();
    for import in imports {
        if !theirs_ids.contains(import.external_id.as_str()) {
            found.push(Found {
                kind: DifferenceKind::OrderMissingThere,
                sku: None,
                marketplace_order_id: Some(import.external_id.clone()),
                ours: Some(import.status.clone()),
                theirs: None,
                order_json: None,
                fix: SuggestedFix::None,
            });
        }
    }
    found
}
