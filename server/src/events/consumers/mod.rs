//! The consumers of the order lifecycle:
//! - `payments`: OrderPlaced or PaymentRetried → PaymentAuthorized | PaymentDeclined;
//!   InventoryShortfall →
//!   RefundProcessed (the compensation when stock fails after money moved).
//! - `inventory`: PaymentAuthorized → InventoryReserved | InventoryShortfall.
//! - `confirmation`: InventoryReserved → OrderConfirmed.
//! - `marketplace`: MarketplaceOrderReceived → MarketplaceOrderAccepted | MarketplaceOrderRejected.
//! - `stock_sync`: InventoryReserved, MarketplaceOrderAccepted, MarketplaceOrderCancelled → the
//!   connectors' listings of the SKUs whose stock moved become pending.
//! - `webhooks`: every order-status event → a delivery per subscribed webhook endpoint.
//! - `mail`: OrderConfirmed of a signed-in customer → the mail their consents allow.

mod confirmation;
mod inventory;
mod mail;
mod marketplace;
mod payments;
mod webhooks;

use api_client::types::OrderEventType;
use sqlx::AnyConnection;

use crate::store::events::EventRow;
use crate::store::regions::Regions;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Consumer {
    Payments,
    Inventory,
    Confirmation,
    Marketplace,
    StockSync,
    Webhooks,
    Mail,
}

pub const ALL: [Consumer; 7] = [
    Consumer::Payments,
    Consumer::Inventory,
    Consumer::Confirmation,
    Consumer::Marketplace,
    Consumer::StockSync,
    Consumer::Webhooks,
    Consumer::Mail,
];

/// Why handling an event failed; the dispatcher retries, then parks it.
#[derive(Debug, thiserror::Error)]
pub enum HandleError {
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("{0}")]
    Failed(String),
}

impl Consumer {
    pub fn name(self) -> &'static str {
        match self {
            Consumer::Payments => "payments",
            Consumer::Inventory => "inventory",
            Consumer::Confirmation => "confirmation",
            Consumer::Marketplace => "marketplace",
            Consumer::StockSync => "stock_sync",
            Consumer::Webhooks => "webhooks",
            Consumer::Mail => "mail",
        }
    }

    pub fn subscriptions(self) -> &'static [OrderEventType] {
        match self {
            Consumer::Payments => &[
                OrderEventType::OrderPlaced,
                OrderEventType::PaymentRetried,
                OrderEventType::InventoryShortfall,
            ],
            Consumer::Inventory => &[OrderEventType::PaymentAuthorized],
            Consumer::Confirmation => &[OrderEventType::InventoryReserved],
            Consumer::Marketplace => &[OrderEventType::MarketplaceOrderReceived],
            Consumer::StockSync => &[
                OrderEventType::InventoryReserved,
                OrderEventType::MarketplaceOrderAccepted,
                OrderEventType::MarketplaceOrderCancelled,
            ],
            Consumer::Webhooks => webhooks::SUBSCRIPTIONS,
            Consumer::Mail => &[OrderEventType::OrderConfirmed],
        }
    }

    /// Handles one event inside the dispatcher's transaction; returns the sequence of the last
    /// event it appended, if any.
    pub async fn handle(
        self,
        connection: &mut AnyConnection,
        regions: &Regions,
        event: &EventRow,
        replayed: bool,
    ) -> Result<Option<i64>, HandleError> {
        match self {
            Consumer::Payments => payments::handle(connection, event, replayed).await,
            Consumer::Inventory => inventory::handle(connection, event).await,
            Consumer::Confirmation => confirmation::handle(connection, event).await,
            Consumer::Marketplace => marketplace::handle_order(connection, event).await,
            Consumer::StockSync => marketplace::handle_stock(connection, event).await,
            Consumer::Webhooks => webhooks::handle(connection, event).await,
            Consumer::Mail => mail::handle(connection, regions, event).await,
        }
    }
}
