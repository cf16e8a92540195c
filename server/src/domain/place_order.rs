//! Completing a checkout into an order, exactly once: one transaction claims the open checkout,
//! checks that it is complete and that its cart did not change, claims the card token, freezes
//! everything the checkout shows into the order, appends `OrderPlaced` (the outbox), closes the
//! checkout and the cart, and, when the request carried an Idempotency-Key, stores the answer as
//! that key's response. A checkout reopened by a declined payment completes into the same order
//! again (same id and number, fresh snapshot) with `PaymentRetried` instead of `OrderPlaced`.
//! Everything after that happens in event consumers.

use api_client::types::{
    CardBrand, Order, OrderCustomer, OrderLine, OrderPlacedData, OrderStatus, PaymentMethodSummary,
    PaymentRetriedData,
};
use serde_json::json;
use sqlx::AnyPool;

use crate::domain::checkouts::{load_checkout_on, missing};
use crate::error::{AppError, AppResult};
use crate::events::outbox::Outbox;
use crate::store::events::{append_event, event_lines};
use crate::store::idempotency::{self, StoredResponse};
use crate::store::payments::{self, claim_token};
use crate::store::{carts, checkouts, new_id, now, orders};

/// Places the order for a checkout. With `settles`, the `(scope, key)` of the request's
/// Idempotency-Key, the answer is stored as that key's response in the order's transaction, so a
/// crash between commit and reply still replays it. `writer` is the writer pool: every read here
/// goes through the transaction.
pub async fn complete(
    writer: &AnyPool,
    outbox: &Outbox,
    checkout_id: &str,
    payment_token: &str,
    settles: Option<(&str, &str)>,
) -> AppResult<Order> {
    let mut tx = writer.begin().await?;
    let Some(checkout_row) = checkouts::claim_open_checkout(&mut tx, checkout_id).await? else {
        tx.rollback().await?;
        return Err(not_open(writer, checkout_id).await?);
    };
    let missing = missing(&checkout_row);
    if !missing.is_empty() {
        let fields: Vec<String> = missing.iter().map(ToString::to_string).collect();
        return Err(AppError::unprocessable(
            "checkout-incomplete",
            "Checkout incomplete",
            format!("still missing: {}", fields.join(", ")),
        ));
    }
    let (cart_version, cart_status) =
        carts::version_and_status(&mut tx, &checkout_row.cart_id).await?;
    if cart_version != checkout_row.cart_version || cart_status != "open" {
        return Err(AppError::conflict(
            "checkout-cart-changed",
            "The cart changed",
            "the cart changed since checkout started; review it and start checkout again",
        ));
    }
    // After a decline the reopened checkout still has its order: this is another attempt of it.
    let retried = orders::declined_order_of_checkout(&mut tx, checkout_id).await?;
    let order_id = retried
        .as_ref()
        .map_or_else(new_id, |(order_id, _, _)| order_id.clone());
    let card = claim_token(&mut tx, payment_token, &order_id)
        .await?
        .ok_or_else(|| {
            AppError::unprocessable(
                "payment-token-invalid",
                "Payment token invalid",
                "the payment token is unknown, expired or already used; enter the card again",
            )
            .with_field("paymentToken")
        })?;

    // Everything the checkout shows is frozen into the order.
    let checkout = load_checkout_on(&mut tx, checkout_id).await?;
    let (shipping_address, shipping_option) = checkout
        .shipping_address
        .clone()
        .zip(checkout.shipping_option.clone())
        .ok_or_else(|| {
            AppError::unprocessable(
                "checkout-incomplete",
                "Checkout incomplete",
                "shipping missing",
            )
        })?;
    let now = now();
    let (number, placed_at) = match &retried {
        Some((_, number, placed_at)) => (number.clone(), placed_at.clone()),
        None => (orders::next_order_number(&mut tx).await?, now.clone()),
    };
    let order = Order {
        id: order_id.clone(),
        number,
        checkout_id: checkout.id.clone(),
        cart_id: checkout.cart_id.clone(),
        status: OrderStatus::Pending,
        email: checkout.email.clone().unwrap_or_default(),
        lines: checkout
            .lines
            .iter()
            .map(|line| OrderLine {
                product_slug: line.product_slug.clone(),
                product_title: line.product_title.clone(),
                variant_id: line.variant_id.clone(),
                sku: line.sku.clone(),
                option_values: line.option_values.clone(),
                image: line.image.clone(),
                unit_price: line.unit_price.clone(),
                quantity: line.quantity,
                line_total: line.line_total.clone(),
            })
            .collect(),
        billing_address: checkout
            .billing_address
            .clone()
            .unwrap_or_else(|| shipping_address.clone()),
        shipping_address,
        shipping_option,
        promotion: checkout.promotion.clone(),
        totals: checkout.totals.clone(),
        currency: checkout.currency.clone(),
        payment: PaymentMethodSummary {
            brand: card.brand.parse().unwrap_or(CardBrand::Unknown),
            last4: card.last4,
        },
        timeline: Vec::new(),
        placed_at,
        updated_at: now.clone(),
        // A customer's contact and addresses arrive sealed from their checkout and stay so.
        customer: checkout_row
            .customer_id
            .clone()
            .zip(
                checkout_row
                    .customer_region
                    .as_deref()
                    .and_then(|region| region.parse().ok()),
            )
            .map(|(id, region)| OrderCustomer {
                id,
                region,
                erased: false,
            }),
    };
    let item_count: i32 = order.lines.iter().map(|line| line.quantity).sum();
    orders::save_pending(&mut tx, &order, payment_token, item_count).await?;
    let sequence = if retried.is_some() {
        let attempt = payments::authorization_count(&mut tx, &order.id).await? + 1;
        let retried_event = PaymentRetriedData {
            attempt: i32::try_from(attempt).unwrap_or(i32::MAX),
            amount: order.totals.total.clone(),
            card: order.payment.clone(),
            item_count,
            lines: event_lines(&order.lines),
        };
        append_event(&mut tx, &order.id, &retried_event).await?
    } else {
        let placed_event = OrderPlacedData {
            number: order.number.clone(),
            total: order.totals.total.clone(),
            item_count,
            lines: event_lines(&order.lines),
        };
        append_event(&mut tx, &order.id, &placed_event).await?
    };
    checkouts::mark_completed(&mut tx, checkout_id, &order.id, &now).await?;
    carts::mark_converted(&mut tx, &order.cart_id, &now).await?;
    let placed = orders::load_order_on(&mut tx, &order_id).await?;
    if let Some((scope, key)) = settles {
        let answer = StoredResponse {
            status: 202,
            content_type: Some("application/json".into()),
            location: Some(format!("/v1/orders/{order_id}")),
            body: serde_json::to_vec(&placed)?,
        };
        idempotency::finish_on(&mut tx, scope, key, &answer).await?;
    }
    outbox.commit(tx, Some(sequence)).await?;
    Ok(placed)
}

/// Why a checkout could not be claimed: another request completed it, or it expired.
async fn not_open(db: &AnyPool, checkout_id: &str) -> AppResult<AppError> {
    let row = checkouts::find_checkout(db, checkout_id).await?;
    Ok(match row.order_id {
        Some(order_id) if row.status == "completed" => AppError::conflict(
            "checkout-already-completed",
            "Checkout already completed",
            "this checkout was completed by another request",
        )
        .with_extension("orderId", json!(order_id)),
        _ => AppError::conflict(
            "conflict",
            "Checkout expired",
            "this checkout expired; start a new one",
        ),
    })
}
