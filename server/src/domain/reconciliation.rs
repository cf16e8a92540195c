//! Applying a reconciliation difference's suggested fix, once, recorded with who and why as a
//! `ReconciliationFixApplied` event in the same transaction as the fix itself.

use api_client::types::{
    MarketplaceImportSource, MarketplaceOrder, ReconciliationDifference,
    ReconciliationFixAppliedData, SuggestedFix,
};
use sqlx::AnyPool;

use crate::domain::marketplace_orders::intake_on;
use crate::error::{AppError, AppResult};
use crate::events::outbox::Outbox;
use crate::store::events::append_event;
use crate::store::{connectors, marketplace_orders, reconciliations};

pub async fn apply_fix(
    writer: &AnyPool,
    outbox: &Outbox,
    run_id: &str,
    difference_id: &str,
    by: &str,
    reason: &str,
) -> AppResult<(String, ReconciliationDifference)> {
    let mut tx = writer.begin().await?;
    let Some(difference) =
        reconciliations::claim_fix(&mut tx, run_id, difference_id, by, reason).await?
    else {
        tx.rollback().await?;
        return Err(
            match reconciliations::find_difference(writer, run_id, difference_id).await? {
                None => AppError::not_found("difference"),
                Some(_) => {
                    AppError::conflict("conflict", "Already fixed", "this fix was applied before")
                }
            },
        );
    };
    let run = reconciliations::find_run_on(&mut tx, run_id)
        .await?
        .ok_or_else(|| AppError::not_found("reconciliation run"))?;
    let fix: SuggestedFix = difference
        .suggested_fix
        .parse()
        .unwrap_or(SuggestedFix::None);
    let connector = run.connector_id.as_str();
    let mut last_sequence = None;
    match fix {
        SuggestedFix::None => {
            return Err(AppError::conflict(
                "conflict",
                "Nothing to apply",
                "this difference needs a person: the marketplace has no such order",
            ));
        }
        SuggestedFix::PublishListing => {
            let sku = difference.sku.as_deref().unwrap_or_default();
            connectors::republish(&mut tx, connector, sku).await?;
        }
        SuggestedFix::ImportOrder | SuggestedFix::ApplyCancellation => {
            let order: MarketplaceOrder = difference
                .order_json
                .as_deref()
                .and_then(|json| serde_json::from_str(json).ok())
                .ok_or_else(|| {
                    AppError::conflict("conflict", "No order", "the run kept no copy of the order")
                })?;
            let (_, _, sequence) =
                intake_on(&mut tx, connector, &order, MarketplaceImportSource::Poll).await?;
            last_sequence = sequence;
        }
        SuggestedFix::CancelAtMarketplace => {
            let external = difference
                .marketplace_order_id
                .as_deref()
                .unwrap_or_default();
            let import = marketplace_orders::find_by_external(&mut tx, connector, external)
                .await?
                .ok_or_else(|| AppError::not_found("marketplace order"))?;
            marketplace_orders::owe_cancellation(&mut tx, &import.id).await?;
        }
    }
    let applied = ReconciliationFixAppliedData {
        connector_id: connector.to_owned(),
        difference_id: difference.id.clone(),
        kind: difference
            .kind
            .parse()
            .unwrap_or(api_client::types::DifferenceKind::StockDrift),
        fix,
        by: by.to_owned(),
        reason: reason.to_owned(),
    };
    let sequence = append_event(&mut tx, run_id, &applied).await?;
    outbox
        .commit(tx, Some(sequence.max(last_sequence.unwrap_or(0))))
        .await?;
    Ok((run.connector_id, difference.to_contract()))
}
