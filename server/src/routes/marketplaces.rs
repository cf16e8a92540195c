//! Notifications pushed by marketplaces. The signature is checked on the raw body before anything
//! is parsed; a bad one is 401 and changes nothing. Then the order goes through the same intake
//! as a polled one.

use api_client::types::{MarketplaceImportSource, MarketplaceNotification, NotificationReceipt};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::{Json, Router};

use crate::domain::marketplace_orders;
use crate::error::{AppError, AppResult};
use crate::extract::AppPath;
use crate::state::AppState;
use crate::store::connectors;

pub fn router() -> Router<AppState> {
    Router::new().route(
        "/v1/marketplaces/{marketplace}/notifications",
        post(notifications_receive),
    )
}

async fn notifications_receive(
    State(state): State<AppState>,
    AppPath(marketplace): AppPath<String>,
    headers: HeaderMap,
    body: Bytes,
) -> AppResult<(StatusCode, Json<NotificationReceipt>)> {
    let (Some(config), Some(_)) = (
        state.config.marketplaces.as_ref(),
        connectors::find(&state.db, &marketplace).await?,
    ) else {
        return Err(AppError::not_found("marketplace"));
    };
    let verifier = standardwebhooks::Webhook::new(&config.secret)
        .map_err(|error| AppError::from(anyhow::anyhow!("notification secret: {error}")))?;
    verifier.verify(&body, &headers).map_err(|error| {
        AppError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "Invalid signature",
        )
        .detail(format!(
            "the notification's Standard Webhooks signature does not hold: {error}"
        ))
    })?;
    let notification: MarketplaceNotification =
        serde_path_to_error::deserialize(&mut serde_json::Deserializer::from_slice(&body))
            .map_err(|error| AppError::malformed(format!("{}: {}", error.path(), error.inner())))?;
    if notification.marketplace != marketplace {
        return Err(AppError::malformed(format!(
            "a notification of {} sent to {marketplace}",
            notification.marketplace
        )));
    }
    let (outcome, import_id) = marketplace_orders::intake(
        &state.writer,
        &state.outbox,
        &marketplace,
        &notification.order,
        MarketplaceImportSource::Notification,
    )
    .await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(NotificationReceipt { outcome, import_id }),
    ))
}
