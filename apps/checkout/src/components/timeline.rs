//! An order's lifecycle, in plain words, as it happens.

use api_client::types::{OrderEvent, OrderEventType};
use leptos::prelude::*;

use super::summary;

fn amount_of(event: &OrderEvent) -> Option<String> {
    let amount = event.data.get("amount")?;
    let money: api_client::types::Money = json_codec::from_value(amount).ok()?;
    Some(summary::money(&money))
}

pub fn describe(event: &OrderEvent) -> (&'static str, String) {
    let amount = amount_of(event);
    match event.type_ {
        OrderEventType::OrderPlaced => ("placed", "Order placed".into()),
        OrderEventType::PaymentAuthorized => (
            "payment-authorized",
            format!("Payment of {} authorised", amount.unwrap_or_default()),
        ),
        OrderEventType::PaymentDeclined => {
            let reason = match event.data.get("reason").and_then(|reason| reason.as_str()) {
                Some("insufficient_funds") => "insufficient funds",
                _ => "declined by the card issuer",
            };
            (
                "payment-declined",
                format!("Payment declined: {reason}. No payment was taken."),
            )
        }
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
                amount.unwrap_or_default()
            ),
        ),
        OrderEventType::OrderCancelled => ("cancelled", "Order cancelled".into()),
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
