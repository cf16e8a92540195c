//! Fault injection for tests and demos, off by default: per route group, added latency and a
//! share of requests answered 503 `fault-injected`. Set through `PUT /v1/ops/faults`.

use std::time::Duration;

use api_client::types::{FaultConfig, RouteFault};
use axum::Router;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};

use crate::error::AppError;
use crate::state::AppState;

#[derive(Debug, Clone, Copy)]
pub enum RouteGroup {
    Catalog,
    Carts,
    Checkout,
    Orders,
}

pub fn none() -> FaultConfig {
    let off = || RouteFault {
        latency_ms: 0,
        error_rate: 0.0,
    };
    FaultConfig {
        catalog: off(),
        carts: off(),
        checkout: off(),
        orders: off(),
    }
}

fn fault_of(config: &FaultConfig, group: RouteGroup) -> RouteFault {
    match group {
        RouteGroup::Catalog => config.catalog.clone(),
        RouteGroup::Carts => config.carts.clone(),
        RouteGroup::Checkout => config.checkout.clone(),
        RouteGroup::Orders => config.orders.clone(),
    }
}

pub fn with_faults(
    router: Router<AppState>,
    state: &AppState,
    group: RouteGroup,
) -> Router<AppState> {
    router.route_layer(middleware::from_fn_with_state(
        (state.clone(), group),
        inject,
    ))
}

async fn inject(
    State((state, group)): State<(AppState, RouteGroup)>,
    request: Request,
    next: Next,
) -> Response {
    match check(&state, group).await {
        Ok(()) => next.run(request).await,
        Err(fault) => fault.into_response(),
    }
}

/// The group's injected latency, then its injected failure if this request draws one: for the
/// routes' middleware and for in-process reads of the same data (the edge's catalog reads).
pub async fn check(state: &AppState, group: RouteGroup) -> Result<(), AppError> {
    let fault = fault_of(
        &state.faults.read().unwrap_or_else(|e| e.into_inner()),
        group,
    );
    if fault.latency_ms > 0 {
        tokio::time::sleep(Duration::from_millis(fault.latency_ms as u64)).await;
    }
    if fault.error_rate > 0.0 && fastrand::f64() < fault.error_rate {
        return Err(AppError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "fault-injected",
            "Injected fault",
        )
        .detail("this failure was injected through /v1/ops/faults"));
    }
    Ok(())
}
