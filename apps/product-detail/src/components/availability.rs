//! The chosen variant's stock, in words a shopper reads at a glance.

use api_client::types::Availability;
use design_system::{Badge, Tone};
use leptos::prelude::*;

#[component]
pub fn AvailabilityNote(availability: Availability) -> impl IntoView {
    let (state, tone, text) = match &availability {
        Availability::InStock => ("in_stock", Tone::Success, "In stock".to_owned()),
        Availability::LowStock { remaining } => {
            ("low_stock", Tone::Warning, format!("Only {remaining} left"))
        }
        Availability::OutOfStock => ("out_of_stock", Tone::Danger, "Out of stock".to_owned()),
        Availability::Preorder { expected_at } => (
            "preorder",
            Tone::Info,
            format!(
                "Pre-order: ships from {}",
                expected_at.get(..10).unwrap_or(expected_at)
            ),
        ),
    };
    view! {
        <p class="tpd-availability" data-availability=state>
            <Badge tone>{text}</Badge>
        </p>
    }
}
