//! `AppState`: everything handlers share, built once at start-up and cloned per request.

use std::sync::{Arc, RwLock};

use api_client::types::FaultConfig;
use sqlx::AnyPool;

use crate::config::Config;
use crate::edge::Edge;
use crate::events::outbox::Outbox;
use crate::limits::Limits;
use crate::metrics::Metrics;
use crate::store::listing::ListingCache;
use crate::telemetry::SessionSigner;

#[derive(Clone)]
pub struct AppState {
    /// Reads, and writes that are rare or a single statement.
    pub db: AnyPool,
    /// Each home region's store of customers' personal data.
    pub regions: crate::store::regions::Regions,
    /// One connection, queued first come first served, for the hot write transactions
    /// (`store::connect_writer` says why).
    pub writer: AnyPool,
    pub config: Arc<Config>,
    /// Commits transactions that appended events, waking the dispatcher and order streams.
    pub outbox: Outbox,
    pub faults: Arc<RwLock<FaultConfig>>,
    pub metrics: Arc<Metrics>,
    /// Abuse limits; `None` when the operator switched them off.
    pub limits: Option<Arc<Limits>>,
    /// Signs the telemetry session each shell page carries.
    pub telemetry: SessionSigner,
    /// Opens the payments kiosks seal to it.
    pub kiosk_key: crate::domain::kiosk_orders::PaymentKey,
    /// The listed catalog between changes, for listings and related products.
    pub listing: Arc<ListingCache>,
    /// Releases' server-side renderers and what the edge last rendered with.
    pub edge: Edge,
    /// Wakes a marketplace connector for a sync now.
    pub connector_wakers: crate::marketplaces::Wakers,
}
