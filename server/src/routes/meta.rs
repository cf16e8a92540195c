//! Operability: the contract itself, health and readiness probes, Prometheus metrics.

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;

use crate::events::consumers::ALL;
use crate::extract::OpsCaller;
use crate::state::AppState;
use crate::store::{dead_letters, events};

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

/// Operators only: the metrics name every route, its traffic and the state of the order pipeline.
async fn metrics_get(State(state): State<AppState>, _: OpsCaller) -> impl IntoResponse {
    let subscriptions: Vec<(&str, &[api_client::types::OrderEventType])> =
        ALL.iter().map(|c| (c.name(), c.subscriptions())).collect();
    let lag = events::outbox_lag(&state.db, &subscriptions)
        .await
        .unwrap_or(-1);
    let parked = dead_letters::count_parked(&state.db).await.unwrap_or(-1);
    let mut gauges = vec![
        (
            "tessera_outbox_lag_events",
            "Events not yet handled by every subscribed consumer.",
            lag,
        ),
        (
            "tessera_dead_letters_parked",
            "Events parked after failing a consumer.",
            parked,
        ),
    ];
    if state.config.event_bus_url.is_some() {
        // Grows while the event stream is unreachable; falls back to 0 once the relay caught up.
        let unpublished = events::count_unpublished(&state.db).await.unwrap_or(-1);
        gauges.push((
            "tessera_outbox_unpublished_events",
            "Events committed but not yet stored by the event stream.",
            unpublished,
        ));
    }
    let body = state.metrics.render(&gauges);
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], body)
}
