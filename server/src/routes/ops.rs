//! Operations staff: the event log in order, orders, payments
//! and fault injection. Everything here needs the ops role.

use api_client::types::{FaultConfig, OrderEventPage, OrderSummaryPage, PaymentPage, RouteFault};
use api_client::{ListEventsQuery, ListOrdersQuery, ListPaymentsQuery};
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};

use crate::error::{AppError, AppResult};
use crate::extract::{AppJson, AppQuery, IdempotencyKey, OpsCaller, OpsReader};
use crate::idempotency::idempotent;
use crate::state::AppState;
use crate::store::orders::OrderFilter;
use crate::store::{decode_cursor, events, orders, page_of, payments};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/v1/ops/events", get(events_list))
        .route("/v1/ops/orders", get(ops_orders_list))
        .route("/v1/ops/payments", get(payments_list))
        .route("/v1/ops/faults", get(faults_get).put(faults_set))
}

/// The page size asked for, or the listing's default; the contract bounds it.
fn limit_of(limit: Option<i32>, default: i32) -> i64 {
    i64::from(limit.unwrap_or(default))
}

async fn events_list(
    State(state): State<AppState>,
    _: OpsReader,
    AppQuery(query): AppQuery<ListEventsQuery>,
) -> AppResult<Json<OrderEventPage>> {
    let limit = limit_of(query.limit, 100);
    let after = query.after.unwrap_or(0).max(0);
    let rows = events::list_events(
        &state.db,
        after,
        limit + 1,
        query.order_id.as_deref(),
        &query.type_,
    )
    .await?;
    let has_more = rows.len() as i64 > limit;
    let items: Vec<_> = rows
        .iter()
        .take(limit as usize)
        .map(events::EventRow::to_contract)
        .collect();
    Ok(Json(OrderEventPage {
        next_after: items.last().map(|e| e.sequence).unwrap_or(after),
        has_more,
        items,
    }))
}

async fn ops_orders_list(
    State(state): State<AppState>,
    _: OpsCaller,
    AppQuery(query): AppQuery<ListOrdersQuery>,
) -> AppResult<Json<OrderSummaryPage>> {
    let limit = limit_of(query.limit, 50);
    let offset = decode_cursor(query.cursor.as_deref())?;
    let filter = OrderFilter {
        statuses: &query.status,
        email: query.email.as_deref(),
        customer_id: None,
        placed_from: query.placed_from.as_deref(),
        placed_to: query.placed_to.as_deref(),
    };
    let items = orders::list_orders(&state.db, &filter, offset, limit + 1).await?;
    let (items, next_cursor) = page_of(items, offset, limit);
    Ok(Json(OrderSummaryPage { items, next_cursor }))
}

async fn payments_list(
    State(state): State<AppState>,
    _: OpsCaller,
    AppQuery(query): AppQuery<ListPaymentsQuery>,
) -> AppResult<Json<PaymentPage>> {
    let limit = limit_of(query.limit, 50);
    let offset = decode_cursor(query.cursor.as_deref())?;
    let items = payments::list_payments(
        &state.db,
        query.order_id.as_deref(),
        query.status,
        offset,
        limit + 1,
    )
    .await?;
    let (items, next_cursor) = page_of(items, offset, limit);
    Ok(Json(PaymentPage { items, next_cursor }))
}

async fn faults_get(State(state): State<AppState>, _: OpsCaller) -> Json<FaultConfig> {
    Json(
        state
            .faults
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone(),
    )
}

async fn faults_set(
    State(state): State<AppState>,
    OpsCaller(caller): OpsCaller,
    IdempotencyKey(key): IdempotencyKey,
    AppJson(config): AppJson<FaultConfig>,
) -> Response {
    idempotent(
        &state,
        "setFaults",
        &caller.token_hash,
        key,
        &config,
        || async {
            let mut errors = Vec::new();
            for (name, fault) in [
                ("catalog", &config.catalog),
                ("carts", &config.carts),
                ("checkout", &config.checkout),
                ("orders", &config.orders),
            ] {
                check_fault(name, fault, &mut errors);
            }
            if !errors.is_empty() {
                return Err(AppError::validation(errors));
            }
            *state.faults.write().unwrap_or_else(|e| e.into_inner()) = config.clone();
            tracing::warn!(?config, "fault injection changed");
            Ok(Json(config.clone()).into_response())
        },
    )
    .await
}

fn check_fault(name: &str, fault: &RouteFault, errors: &mut Vec<api_client::types::FieldError>) {
    if !(0..=30_000).contains(&fault.latency_ms) {
        errors.push(AppError::field(
            &format!("{name}.latencyMs"),
            "out_of_range",
            "must be between 0 and 30000",
        ));
    }
    if !(0.0..=1.0).contains(&fault.error_rate) {
        errors.push(AppError::field(
            &format!("{name}.errorRate"),
            "out_of_range",
            "must be between 0 and 1",
        ));
    }
}
