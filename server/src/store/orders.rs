//! Orders: completing a checkout writes the order and its `OrderPlaced` event in one transaction
//! (the outbox); everything after that happens in event consumers. Orders are snapshots: prices,
//! lines and addresses are frozen at placement; only the status moves, as events arrive.

use api_client::types::{
    CardBrand, Money, Order, OrderEventType, OrderLine, OrderStatus, OrderSummary,
    PaymentMethodSummary,
};
use serde_json::json;
use sqlx::{FromRow, SqliteConnection, SqlitePool};

use crate::error::{AppError, AppResult};
use crate::store::checkouts::{self, CheckoutRow};
use crate::store::events::{self, append_event};
use crate::store::idempotency::{self, StoredResponse};
use crate::store::payments::claim_token;
use crate::store::{new_id, now};

#[derive(FromRow)]
pub struct OrderRow {
    pub id: String,
    pub number: String,
    pub checkout_id: String,
    pub cart_id: String,
    pub status: String,
    pub email: String,
    pub snapshot: String,
    pub payment_token: String,
    pub total: i64,
    pub currency: String,
    pub item_count: i64,
    pub placed_at: String,
    pub updated_at: String,
}

impl OrderRow {
    pub fn snapshot(&self) -> serde_json::Result<Order> {
        serde_json::from_str(&self.snapshot)
    }
}

pub async fn find_order(
    connection: &mut SqliteConnection,
    order_id: &str,
) -> sqlx::Result<Option<OrderRow>> {
    sqlx::query_as("SELECT * FROM orders WHERE id = ?")
        .bind(order_id)
        .fetch_optional(connection)
        .await
}

pub async fn load_order(db: &SqlitePool, order_id: &str) -> AppResult<Order> {
    load_order_on(&mut *db.acquire().await?, order_id).await
}

pub async fn load_order_on(connection: &mut SqliteConnection, order_id: &str) -> AppResult<Order> {
    let row = find_order(connection, order_id)
        .await?
        .ok_or_else(|| AppError::not_found("order"))?;
    let mut order = row.snapshot()?;
    order.status = row.status.parse().unwrap_or(OrderStatus::Pending);
    order.updated_at = row.updated_at;
    // The same connection: holding one while waiting for another starves the pool under load.
    order.timeline = events::events_of_order(connection, order_id, 0)
        .await?
        .iter()
        .map(events::EventRow::to_contract)
        .collect();
    Ok(order)
}

pub async fn set_status(
    connection: &mut SqliteConnection,
    order_id: &str,
    status: OrderStatus,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE orders SET status = ?, updated_at = ? WHERE id = ?")
        .bind(status.to_string())
        .bind(now())
        .bind(order_id)
        .execute(connection)
        .await?;
    Ok(())
}

pub fn is_final(status: OrderStatus) -> bool {
    matches!(
        status,
        OrderStatus::Confirmed
            | OrderStatus::PaymentDeclined
            | OrderStatus::Cancelled
            | OrderStatus::Refunded
    )
}

/// Places the order for a checkout. Returns the order and the sequence of its `OrderPlaced`.
/// With `settles`, the `(scope, key)` of the request's Idempotency-Key, the answer is stored as
/// that key's response in the same transaction as the order.
pub async fn complete_checkout(
    db: &SqlitePool,
    checkout_id: &str,
    payment_token: &str,
    settles: Option<(&str, &str)>,
) -> AppResult<(Order, i64)> {
    let mut tx = db.begin().await?;
    // Claiming the checkout first takes the write lock, so two completes cannot interleave.
    let claimed: Option<CheckoutRow> = sqlx::query_as(
        "UPDATE checkouts SET updated_at = ? WHERE id = ? AND status = 'open' AND expires_at > ? RETURNING *",
    )
    .bind(now())
    .bind(checkout_id)
    .bind(now())
    .fetch_optional(&mut *tx)
    .await?;
    let Some(checkout_row) = claimed else {
        tx.rollback().await?;
        let row = checkouts::find_checkout(db, checkout_id).await?;
        return Err(match row.order_id {
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
        });
    };
    let missing = checkouts::missing(&checkout_row);
    if !missing.is_empty() {
        let fields: Vec<String> = missing.iter().map(ToString::to_string).collect();
        return Err(AppError::unprocessable(
            "checkout-incomplete",
            "Checkout incomplete",
            format!("still missing: {}", fields.join(", ")),
        ));
    }
    let (cart_version, cart_status): (i64, String) =
        sqlx::query_as("SELECT version, status FROM carts WHERE id = ?")
            .bind(&checkout_row.cart_id)
            .fetch_one(&mut *tx)
            .await?;
    if cart_version != checkout_row.cart_version || cart_status != "open" {
        return Err(AppError::conflict(
            "checkout-cart-changed",
            "The cart changed",
            "the cart changed since checkout started; review it and start checkout again",
        ));
    }
    let order_id = new_id();
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
    let checkout = checkouts::load_checkout_on(&mut tx, checkout_id).await?;
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
    let number: (i64,) = sqlx::query_as("SELECT COUNT(*) + 100001 FROM orders")
        .fetch_one(&mut *tx)
        .await?;
    let placed_at = now();
    let order = Order {
        id: order_id.clone(),
        number: format!("TS-{}", number.0),
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
        placed_at: placed_at.clone(),
        updated_at: placed_at.clone(),
    };
    let item_count: i32 = order.lines.iter().map(|line| line.quantity).sum();
    sqlx::query(
        "INSERT INTO orders (id, number, checkout_id, cart_id, status, email, snapshot, payment_token, total, currency, item_count, placed_at, updated_at)
         VALUES (?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(&order.id)
    .bind(&order.number)
    .bind(&order.checkout_id)
    .bind(&order.cart_id)
    .bind(&order.email)
    .bind(serde_json::to_string(&order)?)
    .bind(payment_token)
    .bind(order.totals.total.amount)
    .bind(&order.currency)
    .bind(item_count)
    .bind(&placed_at)
    .bind(&placed_at)
    .execute(&mut *tx)
    .await?;
    let sequence = append_event(
        &mut tx,
        &order.id,
        OrderEventType::OrderPlaced,
        json!({
            "number": order.number,
            "total": order.totals.total,
            "itemCount": item_count,
            "lines": order.lines.iter().map(|l| json!({"variantId": l.variant_id, "sku": l.sku, "quantity": l.quantity})).collect::<Vec<_>>(),
        }),
    )
    .await?;
    sqlx::query(
        "UPDATE checkouts SET status = 'completed', order_id = ?, updated_at = ? WHERE id = ?",
    )
    .bind(&order.id)
    .bind(&placed_at)
    .bind(checkout_id)
    .execute(&mut *tx)
    .await?;
    sqlx::query("UPDATE carts SET status = 'converted', updated_at = ? WHERE id = ?")
        .bind(&placed_at)
        .bind(&order.cart_id)
        .execute(&mut *tx)
        .await?;
    let placed = load_order_on(&mut tx, &order_id).await?;
    if let Some((scope, key)) = settles {
        let answer = StoredResponse {
            status: 202,
            content_type: Some("application/json".into()),
            location: Some(format!("/v1/orders/{order_id}")),
            body: serde_json::to_vec(&placed)?,
        };
        idempotency::finish_on(&mut tx, scope, key, &answer).await?;
    }
    tx.commit().await?;
    Ok((placed, sequence))
}

/// After a declined payment the shopper may try another card: the checkout and cart reopen.
pub async fn reopen_checkout(
    connection: &mut SqliteConnection,
    order: &OrderRow,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE checkouts SET status = 'open', order_id = NULL, updated_at = ? WHERE id = ?",
    )
    .bind(now())
    .bind(&order.checkout_id)
    .execute(&mut *connection)
    .await?;
    sqlx::query("UPDATE carts SET status = 'open', updated_at = ? WHERE id = ?")
        .bind(now())
        .bind(&order.cart_id)
        .execute(&mut *connection)
        .await?;
    Ok(())
}

pub struct OrderFilter<'a> {
    pub statuses: &'a [OrderStatus],
    pub email: Option<&'a str>,
    pub placed_from: Option<&'a str>,
    pub placed_to: Option<&'a str>,
}

pub async fn list_orders(
    db: &SqlitePool,
    filter: &OrderFilter<'_>,
    offset: i64,
    limit: i64,
) -> sqlx::Result<Vec<OrderSummary>> {
    let rows: Vec<OrderRow> = sqlx::query_as(
        "SELECT * FROM orders WHERE (? IS NULL OR email = ?) AND (? IS NULL OR placed_at >= ?) AND (? IS NULL OR placed_at < ?)
         ORDER BY placed_at DESC, id",
    )
    .bind(filter.email)
    .bind(filter.email)
    .bind(filter.placed_from)
    .bind(filter.placed_from)
    .bind(filter.placed_to)
    .bind(filter.placed_to)
    .fetch_all(db)
    .await?;
    let statuses: Vec<String> = filter.statuses.iter().map(ToString::to_string).collect();
    Ok(rows
        .into_iter()
        .filter(|row| statuses.is_empty() || statuses.contains(&row.status))
        .skip(offset as usize)
        .take(limit as usize)
        .map(|row| OrderSummary {
            status: row.status.parse().unwrap_or(OrderStatus::Pending),
            total: Money {
                amount: row.total,
                currency: row.currency,
            },
            item_count: row.item_count as i32,
            id: row.id,
            number: row.number,
            email: row.email,
            placed_at: row.placed_at,
            updated_at: row.updated_at,
        })
        .collect())
}
