//! The confirmation consumer: an order whose payment and stock are secured is confirmed.

use api_client::types::{InventoryReservedData, OrderConfirmedData, OrderStatus};
use sqlx::AnyConnection;

use super::HandleError;
use crate::store::events::{EventRow, append_event};
use crate::store::orders;

pub async fn handle(
    connection: &mut AnyConnection,
    event: &EventRow,
) -> Result<Option<i64>, HandleError> {
    let reserved: InventoryReservedData = event.payload().ok_or_else(|| {
        HandleError::Failed(format!(
            "event {} is not an InventoryReserved of schema version 1",
            event.id
        ))
    })?;
    orders::set_status(connection, &event.order_id, OrderStatus::Confirmed).await?;
    let confirmed = OrderConfirmedData {
        confirmed_by: event.id.clone(),
    };
    let sequence = append_event(connection, &event.order_id, &confirmed).await?;
    tracing::debug!(order = %event.order_id, lines = reserved.lines.len(), "order confirmed");
    Ok(Some(sequence))
}
