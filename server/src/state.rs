//! `AppState`: everything handlers share, built once at start-up and cloned per request.

use std::sync::{Arc, RwLock};

use api_client::types::FaultConfig;
use sqlx::SqlitePool;
use tokio::sync::{Notify, broadcast};

use crate::config::Config;
use crate::limits::Limits;
use crate::metrics::Metrics;
use crate::store::catalog::ListingCache;
use crate::telemetry::SessionSigner;

#[derive(Clone)]
pub struct AppState {
    /// Reads, and writes that are rare or a single statement.
    pub db: SqlitePool,
    /// One connection, queued first come first served, for the hot write transactions
    /// (`store::connect_writer` says why).
    pub writer: SqlitePool,
    pub config: Arc<Config>,
    /// Wakes the event dispatcher as soon as a transaction appended events.
    pub dispatcher_wake: Arc<Notify>,
    /// Announces the sequence number of each appended event to live order streams.
    pub event_feed: broadcast::Sender<i64>,
    pub faults: Arc<RwLock<FaultConfig>>,
    pub metrics: Arc<Metrics>,
    /// Abuse limits; `None` when the operator switched them off.
    pub limits: Option<Arc<Limits>>,
    /// Signs the telemetry session each shell page carries.
    pub telemetry: SessionSigner,
    /// The listed catalog between changes, for listings and related products.
    pub listing: Arc<ListingCache>,
}

impl AppState {
    /// Call after committing a transaction that appended events.
    pub fn events_appended(&self, last_sequence: i64) {
        self.dispatcher_wake.notify_one();
        // Nobody listening is fine: streams fall back to polling.
        let _ = self.event_feed.send(last_sequence);
    }
}
