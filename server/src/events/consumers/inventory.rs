//! The inventory consumer: reserves every line's stock at once, or none of it.

use api_client::types::{InventoryReservedData, InventoryShortfallData, ShortfallLine};
use sqlx::AnyConnection;

use super::HandleError;
use crate::store::events::{EventRow, append_event, event_lines};
use crate::store::{orders, stock};

pub async fn handle(
    connection: &mut AnyConnection,
    event: &EventRow,
) -> Result<Option<i64>, HandleError> {
    let order = orders::find_order(connection, &event.order_id)
        .await?
        .ok_or_else(|| HandleError::Failed(format!("order {} does not exist", event.order_id)))?;
    let snapshot = order
        .snapshot()
        .map_err(|e| HandleError::Failed(e.to_string()))?;
    let mut shortfalls = Vec::new();
    for line in &snapshot.lines {
        let (stock, preorder) = stock::stock_of(connection, &line.variant_id).await?;
        // Preorders sell ahead of stock; everything else needs units on hand.
        if preorder.is_none() && stock < i64::from(line.quantity) {
            shortfalls.push(ShortfallLine {
                variant_id: line.variant_id.clone(),
                sku: line.sku.clone(),
                options: line
                    .option_values
                    .iter()
                    .map(|option| option.value.clone())
                    .collect(),
                requested: line.quantity,
                available: stock.max(0),
            });
        }
    }
    if !shortfalls.is_empty() {
        let shortfall = InventoryShortfallData { lines: shortfalls };
        let sequence = append_event(connection, &order.id, &shortfall).await?;
        return Ok(Some(sequence));
    }
    for line in &snapshot.lines {
        stock::take_stock(connection, &line.variant_id, line.quantity).await?;
    }
    let reserved = InventoryReservedData {
        lines: event_lines(&snapshot.lines),
    };
    let sequence = append_event(connection, &order.id, &reserved).await?;
    Ok(Some(sequence))
}
