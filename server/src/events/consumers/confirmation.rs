//! The confirmation consumer: an order whose payment and stock are secured is confirmed.

use api_client::types::{OrderEventType, OrderStatus};
use serde_json::json;
use sqlx::SqliteConnection;

use super::HandleError;
use crate::store::events::{EventRow, append_event};
use crate::store::orders;

pub async fn handle(
    connection: &mut SqliteConnection,
    event: &EventRow,
) -> Result<Option<i64>, HandleError> {
    orders::set_status(connection, &event.order_id, OrderStatus::Confirmed).await?;
    let sequence = append_event(
        connection,
        &event.order_id,
        OrderEventType::OrderConfirmed,
        json!({"confirmedBy": event.id}),
    )
    .await?;
    Ok(Some(sequence))
}
