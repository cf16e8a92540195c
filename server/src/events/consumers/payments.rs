//! The payment consumer, driven by the simulated vault's outcome for the order's card token.

use api_client::types::{
    DeclineReason, InventoryShortfallData, OrderEventType, OrderStatus, PaymentAuthorizedData,
    PaymentDeclinedData, PaymentKind, PaymentStatus, RefundProcessedData,
};
use sqlx::AnyConnection;

use super::HandleError;
use crate::store::events::{EventRow, append_event};
use crate::store::orders::{self, OrderRow};
use crate::store::payments::{self, NewPayment, Outcome};

async fn order_of(
    connection: &mut AnyConnection,
    event: &EventRow,
) -> Result<OrderRow, HandleError> {
    orders::find_order(connection, &event.order_id)
        .await?
        .ok_or_else(|| {
            HandleError::Failed(format!(
                "order {} of event {} does not exist",
                event.order_id, event.id
            ))
        })
}

pub async fn handle(
    connection: &mut AnyConnection,
    event: &EventRow,
    replayed: bool,
) -> Result<Option<i64>, HandleError> {
    let kind: OrderEventType = event
        .kind
        .parse()
        .map_err(|_| HandleError::Failed(format!("unknown event type {}", event.kind)))?;
    match kind {
        OrderEventType::OrderPlaced | OrderEventType::PaymentRetried => {
            authorize(connection, event, replayed).await.map(Some)
        }
        OrderEventType::InventoryShortfall => refund(connection, event).await.map(Some),
        _ => Ok(None),
    }
}

async fn authorize(
    connection: &mut AnyConnection,
    event: &EventRow,
    replayed: bool,
) -> Result<i64, HandleError> {
    let order = order_of(connection, event).await?;
    let snapshot = order
        .snapshot()
        .map_err(|e| HandleError::Failed(e.to_string()))?;
    let outcome = match payments::token_outcome(connection, &order.payment_token).await? {
        // The simulated provider is down until an operator replays the parked event.
        Outcome::ProviderError if !replayed => {
            return Err(HandleError::Failed(
                "payment provider unavailable (simulated)".into(),
            ));
        }
        Outcome::ProviderError => Outcome::Approve,
        outcome => outcome,
    };
    let decline_reason = match outcome {
        Outcome::Decline => Some(DeclineReason::CardDeclined),
        Outcome::InsufficientFunds => Some(DeclineReason::InsufficientFunds),
        Outcome::Approve | Outcome::ProviderError => None,
    };
    let approved = decline_reason.is_none();
    let payment_id = payments::insert_payment(
        connection,
        NewPayment {
            order_id: &order.id,
            kind: PaymentKind::Authorization,
            status: if approved {
                PaymentStatus::Succeeded
            } else {
                PaymentStatus::Declined
            },
            amount: order.total,
            captured: if approved { order.total } else { 0 },
            currency: &order.currency,
            decline_reason,
            card: &snapshot.payment,
        },
    )
    .await?;
    let sequence = if let Some(reason) = decline_reason {
        orders::set_status(connection, &order.id, OrderStatus::PaymentDeclined).await?;
        orders::reopen_checkout(connection, &order).await?;
        let declined = PaymentDeclinedData {
            payment_id: payment_id.clone(),
            reason,
            amount: snapshot.totals.total.clone(),
        };
        append_event(connection, &order.id, &declined).await?
    } else {
        orders::set_status(connection, &order.id, OrderStatus::PaymentAuthorized).await?;
        let authorized = PaymentAuthorizedData {
            payment_id: payment_id.clone(),
            amount: snapshot.totals.total.clone(),
            card: snapshot.payment.clone(),
        };
        append_event(connection, &order.id, &authorized).await?
    };
    payments::link_event(connection, &payment_id, sequence).await?;
    Ok(sequence)
}

/// The compensation: money moved but stock did not, so the authorised amount goes back.
async fn refund(connection: &mut AnyConnection, event: &EventRow) -> Result<i64, HandleError> {
    let shortfall: InventoryShortfallData = event.payload().ok_or_else(|| {
        HandleError::Failed(format!(
            "event {} is not an InventoryShortfall of schema version 1",
            event.id
        ))
    })?;
    let order = order_of(connection, event).await?;
    let snapshot = order
        .snapshot()
        .map_err(|e| HandleError::Failed(e.to_string()))?;
    let payment_id = payments::insert_payment(
        connection,
        NewPayment {
            order_id: &order.id,
            kind: PaymentKind::Refund,
            status: PaymentStatus::Succeeded,
            amount: order.total,
            captured: order.total,
            currency: &order.currency,
            decline_reason: None,
            card: &snapshot.payment,
        },
    )
    .await?;
    orders::set_status(connection, &order.id, OrderStatus::Refunded).await?;
    let refunded = RefundProcessedData {
        payment_id: payment_id.clone(),
        amount: snapshot.totals.total.clone(),
        reason: "inventory_shortfall".into(),
        caused_by: Some(event.id.clone()),
    };
    let sequence = append_event(connection, &order.id, &refunded).await?;
    let short: Vec<&str> = shortfall
        .lines
        .iter()
        .map(|line| line.sku.as_str())
        .collect();
    tracing::info!(order = %order.id, ?short, "refunded after an inventory shortfall");
    payments::link_event(connection, &payment_id, sequence).await?;
    Ok(sequence)
}
