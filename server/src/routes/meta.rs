//! Operability: the contract itself, health and readiness probes, Prometheus metrics.

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;

use crate::events::consumers::ALL;
use crate::extract::OpsCaller;
use crate::metrics::Snapshot;
use crate::state::AppState;
use crate::store::{connectors, dead_letters, events};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/v1/openapi.yaml", get(openapi_get))
        .route("/healthz", get(health_get))
        .route("/readyz", get(ready_get))
        .route("/metrics", get(metrics_get))
}

async fn openapi_get() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/yaml")],
        crate::contract::DOCUMENT,
    )
}

/// Alive: the process answers. Says nothing about dependencies.
async fn health_get() -> &'static str {
    "ok"
}

/// Ready: the database answers.
async fn ready_get(State(state): State<AppState>) -> impl IntoResponse {
    match crate::store::ping(&state.db).await {
        Ok(_) => (StatusCode::OK, "ready"),
        Err(error) => {
            tracing::warn!("not ready: {error}");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}

/// Operators only: the metrics name every route, its traffic, the state of the order pipeline
/// and the revenue flow.
async fn metrics_get(State(state): State<AppState>, _: OpsCaller) -> impl IntoResponse {
    let subscriptions: Vec<(&str, &[api_client::types::OrderEventType])> =
        ALL.iter().map(|c| (c.name(), c.subscriptions())).collect();
    // A failed read shows as -1 (or as nothing), never as a failed scrape.
    let lag = events::outbox_lag(&state.db, &subscriptions)
        .await
        .unwrap_or(-1);
    let parked = dead_letters::count_parked(&state.db).await.unwrap_or(-1);
    let mut snapshot = Snapshot {
        gauges: vec![
            (
                "tessera_outbox_lag_events",
                "Events not yet handled by every subscribed consumer",
                lag,
            ),
            (
                "tessera_dead_letters_parked",
                "Events parked after failing a consumer",
                parked,
            ),
        ],
        events_by_type: events::counts_by_type(&state.db).await.unwrap_or_default(),
        parked_by_consumer: dead_letters::parked_by_consumer(&state.db)
            .await
            .unwrap_or_default(),
        sync_lag_by_connector: sync_lag(&state).await,
    };
    if state.config.event_bus_url.is_some() {
        // Grows while the event stream is unreachable; falls back to 0 once the relay caught up.
        let unpublished = events::count_unpublished(&state.db).await.unwrap_or(-1);
        snapshot.gauges.push((
            "tessera_outbox_unpublished_events",
            "Events committed but not yet stored by the event stream",
            unpublished,
        ));
    }
    let body = state.metrics.render(&snapshot);
    (
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        body,
    )
}

/// Seconds each connector's oldest unpublished listing has waited (0: nothing waits).
async fn sync_lag(state: &AppState) -> Vec<(String, i64)> {
    let now = time::OffsetDateTime::now_utc();
    connectors::oldest_pending_listing(&state.db)
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|(connector, oldest)| {
            let waited = oldest
                .and_then(|at| {
                    time::OffsetDateTime::parse(&at, &time::format_description::well_known::Rfc3339)
                        .ok()
                })
                .map_or(0, |at| (now - at).whole_seconds().max(0));
            (connector, waited)
        })
        .collect()
}
