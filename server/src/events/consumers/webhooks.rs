//! The `webhooks` consumer: every order-status event (and every consent change, by customer id
//! only, so a marketing tool stops when a customer withdraws) becomes one delivery per subscribed
//! endpoint (`store::webhooks`), which the webhook sender (`crate::webhooks`) then delivers.

use api_client::types::OrderEventType;
use serde_json::json;
use sqlx::AnyConnection;

use super::HandleError;
use crate::store::events::EventRow;
use crate::store::webhooks;

/// The events subscribers hear about: an order's lifecycle, web or marketplace.
pub const SUBSCRIPTIONS: &[OrderEventType] = &[
    OrderEventType::OrderPlaced,
    OrderEventType::PaymentAuthorized,
    OrderEventType::PaymentDeclined,
    OrderEventType::PaymentRetried,
    OrderEventType::InventoryReserved,
    OrderEventType::InventoryShortfall,
    OrderEventType::OrderConfirmed,
    OrderEventType::RefundProcessed,
    OrderEventType::OrderCancelled,
    OrderEventType::MarketplaceOrderReceived,
    OrderEventType::MarketplaceOrderAccepted,
    OrderEventType::MarketplaceOrderRejected,
    OrderEventType::MarketplaceOrderCancelled,
    OrderEventType::ConsentGiven,
    OrderEventType::ConsentWithdrawn,
];

pub async fn handle(
    connection: &mut AnyConnection,
    event: &EventRow,
) -> Result<Option<i64>, HandleError> {
    let contract = event.to_contract();
    let body = json!({
        "type": contract.type_,
        "timestamp": contract.occurred_at,
        "data": contract,
    })
    .to_string();
    webhooks::enqueue(connection, &event.id, contract.type_, &body).await?;
    Ok(None)
}
