//! Marketplace order intake and lifecycle. Notifications and polls both end in [`intake`], keyed
//! by (connector, marketplace order id), so a duplicated notification, a poll overlap and a
//! notification for an order already polled make exactly one order. A new order appends
//! `MarketplaceOrderReceived`; the `marketplace` consumer then reserves its stock like a web order
//! ([`reserve`]): `MarketplaceOrderAccepted`, or `MarketplaceOrderRejected` and a cancellation the
//! connector owes the marketplace. A cancellation by the marketplace returns reserved stock.

use api_client::types::{
    MarketplaceImportSource, MarketplaceImportStatus, MarketplaceOrder,
    MarketplaceOrderAcceptedData, MarketplaceOrderCancelledData, MarketplaceOrderCancelledDataBy,
    MarketplaceOrderReceivedData, MarketplaceOrderRejectedData, MarketplaceOrderStatus,
    NotificationOutcome,
};
use sqlx::{AnyConnection, AnyPool};

use crate::error::AppResult;
use crate::events::outbox::Outbox;
use crate::store::events::append_event;
use crate::store::marketplace_orders::{self, NewImport};
use crate::store::{new_id, stock};

/// The calls a connector may owe a marketplace for an order.
pub const CALL_ACKNOWLEDGE: &str = "acknowledge";
pub const CALL_CANCEL: &str = "cancel";

/// Records what a marketplace says about an order; returns what changed and the import id.
pub async fn intake(
    writer: &AnyPool,
    outbox: &Outbox,
    connector_id: &str,
    order: &MarketplaceOrder,
    source: MarketplaceImportSource,
) -> AppResult<(NotificationOutcome, String)> {
    let mut tx = writer.begin().await?;
    let (outcome, id, sequence) = intake_on(&mut tx, connector_id, order, source).await?;
    outbox.commit(tx, sequence).await?;
    Ok((outcome, id))
}

/// [`intake`] inside the caller's transaction, which it starts with a write; returns the
/// outcome, the import id and the sequence of the last event appended.
pub async fn intake_on(
    tx: &mut AnyConnection,
    connector_id: &str,
    order: &MarketplaceOrder,
    source: MarketplaceImportSource,
) -> sqlx::Result<(NotificationOutcome, String, Option<i64>)> {
    let existing = if marketplace_orders::count_delivery(tx, connector_id, &order.id).await? {
        marketplace_orders::find_by_external(tx, connector_id, &order.id).await?
    } else {
        None
    };
    let cancelled_there = order.status == MarketplaceOrderStatus::Cancelled;
    let (outcome, id, sequence) = match existing {
        None => {
            let id = new_id();
            let status = if cancelled_there {
                // Cancelled before we ever saw it: nothing to reserve, nothing to run.
                MarketplaceImportStatus::Cancelled
            } else {
                MarketplaceImportStatus::Received
            };
            marketplace_orders::insert(
                tx,
                &NewImport {
                    id: &id,
                    connector_id,
                    external_id: &order.id,
                    status,
                    source,
                    currency: &order.currency,
                    lines: &order.lines,
                    reason: order.cancel_reason.as_deref(),
                },
            )
            .await?;
            let sequence = if cancelled_there {
                None
            } else {
                let received = MarketplaceOrderReceivedData {
                    connector_id: connector_id.to_owned(),
                    marketplace_order_id: order.id.clone(),
                    source,
                    lines: order.lines.clone(),
                };
                Some(append_event(tx, &id, &received).await?)
            };
            (NotificationOutcome::Created, id, sequence)
        }
        Some(row) => {
            let known_cancelled = row.status == MarketplaceImportStatus::Cancelled.to_string();
            if cancelled_there && !known_cancelled {
                let reason = order
                    .cancel_reason
                    .clone()
                    .unwrap_or_else(|| "cancelled at the marketplace".to_owned());
                let sequence = cancel(
                    tx,
                    &row.id,
                    MarketplaceOrderCancelledDataBy::Marketplace,
                    &reason,
                )
                .await?;
                (NotificationOutcome::Updated, row.id, Some(sequence))
            } else {
                (NotificationOutcome::Duplicate, row.id, None)
            }
        }
    };
    Ok((outcome, id, sequence))
}

/// Reserves every line's stock, or none; the `marketplace` consumer's step for
/// `MarketplaceOrderReceived`. Returns the sequence of the event it appended, if any.
pub async fn reserve(
    connection: &mut AnyConnection,
    import_id: &str,
    acknowledge: bool,
) -> sqlx::Result<Option<i64>> {
    let Some(row) = marketplace_orders::find(connection, import_id).await? else {
        return Ok(None);
    };
    if row.status != MarketplaceImportStatus::Received.to_string() {
        // Cancelled at the marketplace before its stock was reserved.
        return Ok(None);
    }
    let lines = row.lines();
    let mut variants = Vec::new();
    let mut shortfalls = Vec::new();
    for line in &lines {
        match stock::variant_of_sku(connection, &line.sku).await? {
            None => shortfalls.push(format!("{}: not sold here", line.sku)),
            Some((variant_id, on_hand, preorder)) => {
                if preorder.is_none() && on_hand < i64::from(line.quantity) {
                    shortfalls.push(format!(
                        "{}: {} ordered, {} in stock",
                        line.sku,
                        line.quantity,
                        on_hand.max(0)
                    ));
                }
                variants.push((variant_id, line.quantity));
            }
        }
    }
    if !shortfalls.is_empty() {
        let reason = shortfalls.join("; ");
        marketplace_orders::set_status(
            connection,
            import_id,
            MarketplaceImportStatus::Rejected,
            Some(&reason),
            Some(CALL_CANCEL),
        )
        .await?;
        let rejected = MarketplaceOrderRejectedData {
            connector_id: row.connector_id.clone(),
            marketplace_order_id: row.external_id.clone(),
            reason,
        };
        return Ok(Some(append_event(connection, import_id, &rejected).await?));
    }
    for (variant_id, quantity) in &variants {
        stock::take_stock(connection, variant_id, *quantity).await?;
    }
    let call = acknowledge.then_some(CALL_ACKNOWLEDGE);
    marketplace_orders::set_status(
        connection,
        import_id,
        MarketplaceImportStatus::Accepted,
        None,
        call,
    )
    .await?;
    let accepted = MarketplaceOrderAcceptedData {
        connector_id: row.connector_id.clone(),
        marketplace_order_id: row.external_id.clone(),
        lines,
    };
    Ok(Some(append_event(connection, import_id, &accepted).await?))
}

/// Marks an order cancelled (returning its stock when it held some) and appends the event.
pub async fn cancel(
    connection: &mut AnyConnection,
    import_id: &str,
    by: MarketplaceOrderCancelledDataBy,
    reason: &str,
) -> sqlx::Result<i64> {
    let row = marketplace_orders::find(connection, import_id)
        .await?
        .ok_or(sqlx::Error::RowNotFound)?;
    if row.status == MarketplaceImportStatus::Accepted.to_string() {
        for line in row.lines() {
            if let Some((variant_id, _, _)) = stock::variant_of_sku(connection, &line.sku).await? {
                stock::return_stock(connection, &variant_id, line.quantity).await?;
            }
        }
    }
    marketplace_orders::set_status(
        connection,
        import_id,
        MarketplaceImportStatus::Cancelled,
        Some(reason),
        None,
    )
    .await?;
    let cancelled = MarketplaceOrderCancelledData {
        connector_id: row.connector_id.clone(),
        marketplace_order_id: row.external_id.clone(),
        by,
        reason: reason.to_owned(),
    };
    append_event(connection, import_id, &cancelled).await
}
