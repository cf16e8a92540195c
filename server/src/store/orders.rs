//! Order rows. Orders are snapshots: prices, lines and addresses are frozen at placement
//! (`domain::place_order::complete`); only the status moves, as events arrive.

use api_client::types::{Money, Order, OrderCustomer, OrderStatus, OrderSummary};
use sqlx::{AnyConnection, AnyPool, FromRow};

use crate::error::{AppError, AppResult};
use crate::store::events;
use crate::store::now;

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
    pub customer_id: Option<String>,
    pub customer_region: Option<String>,
}

impl OrderRow {
    pub fn snapshot(&self) -> serde_json::Result<Order> {
        serde_json::from_str(&self.snapshot)
    }

    /// The signed-in customer who placed it; whether they were erased is decided when the
    /// answer is unsealed (`domain::sealing::open_json`).
    pub fn customer(&self) -> Option<OrderCustomer> {
        Some(OrderCustomer {
            id: self.customer_id.clone()?,
            region: self.customer_region.as_deref()?.parse().ok()?,
            erased: false,
        })
    }
}

pub async fn find_order(
    connection: &mut AnyConnection,
    order_id: &str,
) -> sqlx::Result<Option<OrderRow>> {
    sqlx::query_as("SELECT * FROM orders WHERE id = $1")
        .bind(order_id)
        .fetch_optional(connection)
        .await
}

pub async fn load_order(db: &AnyPool, order_id: &str) -> AppResult<Order> {
    load_order_on(&mut *db.acquire().await?, order_id).await
}

pub async fn load_order_on(connection: &mut AnyConnection, order_id: &str) -> AppResult<Order> {
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
    connection: &mut AnyConnection,
    order_id: &str,
    status: OrderStatus,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE orders SET status = $1, updated_at = $2 WHERE id = $3")
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

/// The next order number, `TS-100001` onwards.
pub async fn next_order_number(connection: &mut AnyConnection) -> sqlx::Result<String> {
    let (number,): (i64,) =
        sqlx::query_as("UPDATE order_numbers SET last = last + 1 WHERE id = 1 RETURNING last")
            .fetch_one(connection)
            .await?;
    Ok(format!("TS-{number}"))
}

/// Stores an order as a pending snapshot: a new one, or the next payment attempt of a declined
/// one (same id, number and placing time; the new snapshot and card token).
pub async fn save_pending(
    connection: &mut AnyConnection,
    order: &Order,
    payment_token: &str,
    item_count: i32,
) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO orders (id, number, checkout_id, cart_id, status, email, snapshot, payment_token, total, currency, item_count, placed_at, updated_at, customer_id, customer_region)
         VALUES ($1, $2, $3, $4, 'pending', $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
         ON CONFLICT (id) DO UPDATE SET status = 'pending', email = excluded.email,
             snapshot = excluded.snapshot, payment_token = excluded.payment_token,
             total = excluded.total, currency = excluded.currency,
             item_count = excluded.item_count, updated_at = excluded.updated_at
         WHERE orders.status = 'payment_declined'",
    )
    .bind(&order.id)
    .bind(&order.number)
    .bind(&order.checkout_id)
    .bind(&order.cart_id)
    .bind(&order.email)
    .bind(serde_json::to_string(order)?)
    .bind(payment_token)
    .bind(order.totals.total.amount)
    .bind(&order.currency)
    .bind(item_count)
    .bind(&order.placed_at)
    .bind(&order.updated_at)
    .bind(order.customer.as_ref().map(|customer| customer.id.clone()))
    .bind(
        order
            .customer
            .as_ref()
            .map(|customer| customer.region.to_string()),
    )
    .execute(connection)
    .await?;
    Ok(())
}

/// The order a checkout placed whose payment was declined: completing the reopened checkout
/// again is another attempt of that order. Its id, number and first placing time.
pub async fn declined_order_of_checkout(
    connection: &mut AnyConnection,
    checkout_id: &str,
) -> sqlx::Result<Option<(String, String, String)>> {
    sqlx::query_as(
        "SELECT id, number, placed_at FROM orders WHERE checkout_id = $1 AND status = 'payment_declined'
         ORDER BY placed_at DESC LIMIT 1",
    )
    .bind(checkout_id)
    .fetch_optional(connection)
    .await
}

/// After a declined payment the shopper may try another card: the checkout and cart reopen.
pub async fn reopen_checkout(connection: &mut AnyConnection, order: &OrderRow) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE checkouts SET status = 'open', order_id = NULL, updated_at = $1 WHERE id = $2",
    )
    .bind(now())
    .bind(&order.checkout_id)
    .execute(&mut *connection)
    .await?;
    sqlx::query("UPDATE carts SET status = 'open', updated_at = $1 WHERE id = $2")
        .bind(now())
        .bind(&order.cart_id)
        .execute(&mut *connection)
        .await?;
    Ok(())
}

pub struct OrderFilter<'a> {
    pub statuses: &'a [OrderStatus],
    pub email: Option<&'a str>,
    /// Only this customer's orders.
    pub customer_id: Option<&'a str>,
    pub placed_from: Option<&'a str>,
    pub placed_to: Option<&'a str>,
}

pub async fn list_orders(
    db: &AnyPool,
    filter: &OrderFilter<'_>,
    offset: i64,
    limit: i64,
) -> sqlx::Result<Vec<OrderSummary>> {
    // The statuses as one `,a,b,` pattern: a list bound as a single value reads the same on
    // both backends (status names are plain words, no LIKE wildcards).
    let statuses = (!filter.statuses.is_empty()).then(|| {
        let names: Vec<String> = filter.statuses.iter().map(ToString::to_string).collect();
        format!(",{},", names.join(","))
    });
    let rows: Vec<OrderRow> = sqlx::query_as(
        "SELECT * FROM orders WHERE ($1 IS NULL OR email = $2) AND ($3 IS NULL OR placed_at >= $4) AND ($5 IS NULL OR placed_at < $6)
             AND ($7 IS NULL OR customer_id = $8) AND ($9 IS NULL OR $10 LIKE ('%,' || status || ',%'))
         ORDER BY placed_at DESC, id LIMIT $11 OFFSET $12",
    )
    .bind(filter.email)
    .bind(filter.email)
    .bind(filter.placed_from)
    .bind(filter.placed_from)
    .bind(filter.placed_to)
    .bind(filter.placed_to)
    .bind(filter.customer_id)
    .bind(filter.customer_id)
    .bind(statuses.as_deref())
    .bind(statuses.as_deref())
    .bind(limit)
    .bind(offset)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| OrderSummary {
            customer: row.customer(),
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
