//! The marketplace consumers. `marketplace`: MarketplaceOrderReceived → MarketplaceOrderAccepted
//! (stock reserved) | MarketplaceOrderRejected (the connector then cancels it at the
//! marketplace). `stock_sync`: every event that moves stock marks the connectors' listings of
//! those SKUs pending with their new offer, which each connector then publishes at its own pace.

use api_client::types::{InventoryReservedData, MarketplaceOrderAcceptedData};
use sqlx::AnyConnection;

use super::HandleError;
use crate::domain::marketplace_orders;
use crate::marketplaces::Dialect;
use crate::store::events::EventRow;
use crate::store::{connectors, marketplace_orders as imports};

pub async fn handle_order(
    connection: &mut AnyConnection,
    event: &EventRow,
) -> Result<Option<i64>, HandleError> {
    let connector = event
        .data()
        .get("connectorId")
        .and_then(|id| id.as_str())
        .unwrap_or_default()
        .to_owned();
    let acknowledge = Dialect::of(&connector).is_some_and(Dialect::requires_acknowledgement);
    Ok(marketplace_orders::reserve(connection, &event.order_id, acknowledge).await?)
}

pub async fn handle_stock(
    connection: &mut AnyConnection,
    event: &EventRow,
) -> Result<Option<i64>, HandleError> {
    let skus: Vec<String> = if let Some(reserved) = event.payload::<InventoryReservedData>() {
        reserved.lines.into_iter().map(|line| line.sku).collect()
    } else if let Some(accepted) = event.payload::<MarketplaceOrderAcceptedData>() {
        accepted.lines.into_iter().map(|line| line.sku).collect()
    } else {
        // A cancellation: the lines whose stock came back are the import's.
        imports::find(connection, &event.order_id)
            .await?
            .map(|import| import.lines().into_iter().map(|line| line.sku).collect())
            .unwrap_or_default()
    };
    for sku in skus {
        connectors::refresh_offers(connection, Some(&sku)).await?;
    }
    Ok(None)
}
