//! Reconciliation: our listings and marketplace orders against the marketplace's, each
//! difference with the fix it suggests. [`compare`] is pure; the worker fetches both sides and
//! stores the run with a `ReconciliationCompleted` event. A run only reads: fixes are applied one
//! by one by ops (`domain::reconciliation`), so running twice changes nothing.

use std::collections::{HashMap, HashSet};

use api_client::types::{
    DifferenceKind, MarketplaceImportStatus, MarketplaceOrder, MarketplaceOrderStatus, SuggestedFix,
};

use super::client::TheirListing;
use crate::store::connectors::ListingRow;
use crate::store::marketplace_orders::ImportRow;
use crate::store::reconciliations::Found;

pub fn compare(
    ours: &[ListingRow],
    theirs: &[TheirListing],
    imports: &[ImportRow],
    orders: &[MarketplaceOrder],
) -> Vec<Found> {
    let mut found = Vec::new();
    let their_listings: HashMap<&str, &TheirListing> = theirs
        .iter()
        .map(|listing| (listing.sku.as_str(), listing))
        .collect();
    // Pending listings are on their way and rejected ones are reported as such: only what the
    // marketplace is supposed to hold can drift.
    for listing in ours.iter().filter(|listing| listing.state == "live") {
        let drift = |kind, ours: String, theirs: Option<String>| Found {
            kind,
            sku: Some(listing.sku.clone()),
            marketplace_order_id: None,
            ours: Some(ours),
            theirs,
            order_json: None,
            fix: SuggestedFix::PublishListing,
        };
        match their_listings.get(listing.sku.as_str()) {
            None => found.push(drift(
                DifferenceKind::StockDrift,
                listing.quantity.to_string(),
                None,
            )),
            Some(their) => {
                if their.quantity != listing.quantity {
                    found.push(drift(
                        DifferenceKind::StockDrift,
                        listing.quantity.to_string(),
                        Some(their.quantity.to_string()),
                    ));
                }
                if listing.price.is_some() && their.price_minor != listing.price {
                    found.push(drift(
                        DifferenceKind::PriceDrift,
                        listing
                            .price
                            .map(|price| price.to_string())
                            .unwrap_or_default(),
                        their.price_minor.map(|price| price.to_string()),
                    ));
                }
            }
        }
    }
    let ours_by_id: HashMap<&str, &ImportRow> = imports
        .iter()
        .map(|import| (import.external_id.as_str(), import))
        .collect();
    let order_difference = |kind, order: &MarketplaceOrder, ours: Option<String>, fix| Found {
        kind,
        sku: None,
        marketplace_order_id: Some(order.id.clone()),
        ours,
        theirs: Some(order.status.to_string()),
        order_json: serde_json::to_string(order).ok(),
        fix,
    };
    for order in orders {
        let cancelled_there = order.status == MarketplaceOrderStatus::Cancelled;
        match ours_by_id.get(order.id.as_str()) {
            None if !cancelled_there => found.push(order_difference(
                DifferenceKind::OrderMissingHere,
                order,
                None,
                SuggestedFix::ImportOrder,
            )),
            None => {}
            Some(import) => {
                let status = import.status.as_str();
                let cancelled_here = status == MarketplaceImportStatus::Cancelled.to_string();
                let being_cancelled = status == MarketplaceImportStatus::Rejected.to_string()
                    || import.pending_call.as_deref() == Some("cancel");
                if cancelled_there && !cancelled_here && !being_cancelled {
                    found.push(order_difference(
                        DifferenceKind::StatusMismatch,
                        order,
                        Some(status.to_owned()),
                        SuggestedFix::ApplyCancellation,
                    ));
                } else if cancelled_here && !cancelled_there && !being_cancelled {
                    found.push(order_difference(
                        DifferenceKind::StatusMismatch,
                        order,
                        Some(status.to_owned()),
                        SuggestedFix::CancelAtMarketplace,
                    ));
                }
            }
        }
    }
    let theirs_ids: HashSet<&str> = orders.iter().map(|order| order.id.as_str()).collect();
    for import in imports {
        if !theirs_ids.contains(import.external_id.as_str()) {
            found.push(Found {
                kind: DifferenceKind::OrderMissingThere,
                sku: None,
                marketplace_order_id: Some(import.external_id.clone()),
                ours: Some(import.status.clone()),
                theirs: None,
                order_json: None,
                fix: SuggestedFix::None,
            });
        }
    }
    found
}
