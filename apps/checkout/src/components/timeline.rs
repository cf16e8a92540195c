//! An order's lifecycle, in plain words, as it happens.

use api_client::types::{
    DeclineReason, Money, OrderEvent, OrderEventType, PaymentAuthorizedData, PaymentDeclinedData,
    PaymentRetriedData, RefundProcessedData,
};
use leptos::prelude::*;

use super::summary;
use crate::api;

pub fn describe(event: &OrderEvent) -> (&'static str, String) {
    let amount_of = |amount: Option<Money>| amount.map(|money| summary::money(&money));
    match event.type_ {
        OrderEventType::OrderPlaced => ("placed", "Order placed".into()),
        OrderEventType::PaymentAuthorized => (
            "payment-authorized",
            format!(
                "Payment of {} authorised",
                amount_of(
                    api::event_payload::<PaymentAuthorizedData>(event).map(|data| data.amount)
                )
                .unwrap_or_default()
            ),
        ),
        OrderEventType::PaymentDeclined => {
            let reason = match api::event_payload::<PaymentDeclinedData>(event) {
                Some(declined) if declined.reason == DeclineReason::InsufficientFunds => {
                    "insufficient funds"
                }
                _ => "declined by the card issuer",
            };
            (
                "payment-declined",
                format!("Payment declined: {reason}. No payment was taken."),
            )
        }
        OrderEventType::PaymentRetried => (
            "payment-retried",
            match api::event_payload::<PaymentRetriedData>(event) {
                Some(retried) => format!(
                    "Trying your {} ending {}",
                    crate::card::brand_name(retried.card.brand),
                    retried.card.last4
                ),
                None => "Trying another card".into(),
            },
        ),
        OrderEventType::InventoryReserved => (
            "inventory-reserved",
            "Items reserved in the warehouse".into(),
        ),
        OrderEventType::InventoryShortfall => (
            "inventory-shortfall",
            "Some items sold out before we could reserve them".into(),
        ),
        OrderEventType::OrderConfirmed => ("confirmed", "Order confirmed".into()),
        OrderEventType::RefundProcessed => (
            "refunded",
            format!(
                "Refund of {} processed to your card",
                amount_of(api::event_payload::<RefundProcessedData>(event).map(|data| data.amount))
                    .unwrap_or_default()
            ),
        ),
        OrderEventType::OrderCancelled | OrderEventType::MarketplaceOrderCancelled => {
            ("cancelled", "Order cancelled".into())
        }
        // A marketplace order's lifecycle; a web order's timeline never holds these.
        OrderEventType::MarketplaceOrderReceived => ("placed", "Order received".into()),
        OrderEventType::MarketplaceOrderAccepted => ("confirmed", "Order accepted".into()),
        OrderEventType::MarketplaceOrderRejected => (
            "cancelled",
            "Not enough stock: the order is being cancelled".into(),
        ),
        // Reconciliation events belong to runs, not orders.
        OrderEventType::ReconciliationCompleted | OrderEventType::ReconciliationFixApplied => {
            ("note", "Checked with the marketplace".into())
        }
        // Consent events belong to customers, not orders.
        OrderEventType::ConsentGiven | OrderEventType::ConsentWithdrawn => {
            ("note", "Your communication choices changed".into())
        }
    }
}

#[component]
pub fn Timeline(#[prop(into)] events: Signal<Vec<OrderEvent>>) -> impl IntoView {
    view! {
        <ol class="tck-timeline" aria-label="Order progress">
            <For each=move || events.get() key=|event| event.sequence let:event>
                {
                    let (kind, text) = describe(&event);
                    let time = event.occurred_at.get(11..16).unwrap_or_default().to_owned();
                    view! {
                        <li class="tck-timeline__item" data-event=kind>
                            <span class="tck-timeline__dot" aria-hidden="true"></span>
                            <span class="tck-timeline__text">{text}</span>
                            <time class="tck-timeline__time" datetime=event.occurred_at.clone()>{time}</time>
                        </li>
                    }
                }
            </For>
        </ol>
    }
}
