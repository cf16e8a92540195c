//! The HTTP surface: one router per resource, merged here, with the fault-injection layer of
//! each route group. Handlers are named `<resource>_<verb>`.

mod audit;
mod carts;
mod checkouts;
mod connector_stream;
mod connectors;
mod customers;
mod dead_letters;
pub mod kiosk;
mod marketplaces;
mod meta;
mod ops;
mod orders;
mod products;
mod reconciliations;
mod releases;
mod sessions;
mod shell;
mod webhooks;

use axum::Router;

use crate::faults::{RouteGroup, with_faults};
use crate::state::AppState;

pub fn api(state: &AppState) -> Router<AppState> {
    Router::new()
        .merge(with_faults(products::router(), state, RouteGroup::Catalog))
        .merge(with_faults(carts::router(), state, RouteGroup::Carts))
        .merge(unsealed(
            with_faults(checkouts::router(), state, RouteGroup::Checkout),
            state,
        ))
        .merge(unsealed(
            with_faults(orders::router(), state, RouteGroup::Orders),
            state,
        ))
        .merge(sessions::router())
        .merge(unsealed(customers::router(), state))
        .merge(releases::router(state))
        .merge(unsealed(ops::router(), state))
        .merge(connectors::router())
        .merge(connector_stream::router())
        .merge(audit::router())
        .merge(dead_letters::router())
        .merge(reconciliations::router())
        .merge(webhooks::router())
        .merge(marketplaces::router())
        .merge(kiosk::api_router())
        .merge(meta::router())
}

/// `router` with its answers' sealed customer data opened for the caller it already checked.
fn unsealed(router: Router<AppState>, state: &AppState) -> Router<AppState> {
    router.route_layer(axum::middleware::from_fn_with_state(
        state.clone(),
        crate::unseal::open_responses,
    ))
}

/// Pages and static files: the shell for app routes, the gallery, and development bundles.
pub fn pages(state: &AppState) -> Router<AppState> {
    // The kiosk's page renders like the shop's: it counts against the per-address limit too.
    let kiosk = kiosk::router().route_layer(axum::middleware::from_fn_with_state(
        state.clone(),
        crate::limits::limit,
    ));
    shell::router(state).merge(kiosk)
}

/// Links a created resource: `201 Created` (or the given status) with `Location` and a JSON body.
pub(crate) fn created<T: serde::Serialize>(
    status: axum::http::StatusCode,
    location: &str,
    body: &T,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let mut response = (status, axum::Json(body)).into_response();
    if let Ok(value) = axum::http::HeaderValue::from_str(location) {
        response
            .headers_mut()
            .insert(axum::http::header::LOCATION, value);
    }
    response
}

/// A server-sent event response, with the `: keep-alive` comment every 15 s that the contract
/// promises for every stream.
pub(crate) fn event_stream(
    events: impl futures_util::Stream<
        Item = Result<axum::response::sse::Event, std::convert::Infallible>,
    > + Send
    + 'static,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    use axum::response::sse::{KeepAlive, Sse};
    Sse::new(events)
        .keep_alive(
            KeepAlive::new()
                .interval(std::time::Duration::from_secs(15))
                .text("keep-alive"),
        )
        .into_response()
}
