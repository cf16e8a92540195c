//! Checkout sessions in SQL: a checkout snapshots a cart's version and collects contact,
//! addresses and a shipping option; every change of one is refused once it is completed or
//! expired. The rules are `domain::checkouts`'; completion is `domain::place_order`.

use sqlx::{AnyConnection, AnyPool, FromRow};

use api_client::types::Address;

use crate::error::{AppError, AppResult};
use crate::store::{new_id, now};

#[derive(FromRow, Clone)]
pub struct CheckoutRow {
    pub id: String,
    pub cart_id: String,
    pub cart_version: i64,
    pub status: String,
    pub email: Option<String>,
    pub shipping_address: Option<String>,
    pub billing_address: Option<String>,
    pub shipping_option_id: Option<String>,
    pub order_id: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub expires_at: String,
    /// The signed-in customer whose sealed contact and addresses the row holds.
    pub customer_id: Option<String>,
    pub customer_region: Option<String>,
}

impl CheckoutRow {
    pub fn shipping_address(&self) -> Option<Address> {
        self.shipping_address
            .as_deref()
            .and_then(|json| serde_json::from_str(json).ok())
    }

    pub fn billing_address(&self) -> Option<Address> {
        self.billing_address
            .as_deref()
            .and_then(|json| serde_json::from_str(json).ok())
    }
}

pub async fn find_checkout(db: &AnyPool, checkout_id: &str) -> AppResult<CheckoutRow> {
    find_checkout_on(&mut *db.acquire().await?, checkout_id).await
}

pub async fn find_checkout_on(
    connection: &mut AnyConnection,
    checkout_id: &str,
) -> AppResult<CheckoutRow> {
    sqlx::query_as("SELECT * FROM checkouts WHERE id = $1")
        .bind(checkout_id)
        .fetch_optional(connection)
        .await?
        .ok_or_else(|| AppError::not_found("checkout"))
}

/// Claims an open, unexpired checkout for completion. The write takes SQLite's write lock, so
/// two completions of one checkout cannot interleave; `None` when it is not open any more.
pub async fn claim_open_checkout(
    connection: &mut AnyConnection,
    checkout_id: &str,
) -> sqlx::Result<Option<CheckoutRow>> {
    sqlx::query_as(
        "UPDATE checkouts SET updated_at = $1 WHERE id = $2 AND status = 'open' AND expires_at > $3 RETURNING *",
    )
    .bind(now())
    .bind(checkout_id)
    .bind(now())
    .fetch_optional(connection)
    .await
}

pub async fn mark_completed(
    connection: &mut AnyConnection,
    checkout_id: &str,
    order_id: &str,
    at: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE checkouts SET status = 'completed', order_id = $1, updated_at = $2 WHERE id = $3",
    )
    .bind(order_id)
    .bind(at)
    .bind(checkout_id)
    .execute(connection)
    .await?;
    Ok(())
}

/// Points the open checkout of a cart at `cart_version` and extends it to `expires_at`; its id,
/// or `None` when the cart has no open checkout.
pub async fn refresh_open(
    db: &AnyPool,
    cart_id: &str,
    cart_version: i64,
    expires_at: &str,
) -> sqlx::Result<Option<String>> {
    let refreshed: Option<(String,)> = sqlx::query_as(
        "UPDATE checkouts SET cart_version = $1, updated_at = $2, expires_at = $3
         WHERE cart_id = $4 AND status = 'open' RETURNING id",
    )
    .bind(cart_version)
    .bind(now())
    .bind(expires_at)
    .bind(cart_id)
    .fetch_optional(db)
    .await?;
    Ok(refreshed.map(|(id,)| id))
}

/// Opens a checkout of a cart at `cart_version`; its id.
pub async fn insert_checkout(
    db: &AnyPool,
    cart_id: &str,
    cart_version: i64,
    expires_at: &str,
) -> sqlx::Result<String> {
    let checkout_id = new_id();
    let stamp = now();
    sqlx::query(
        "INSERT INTO checkouts (id, cart_id, cart_version, status, created_at, updated_at, expires_at)
         VALUES ($1, $2, $3, 'open', $4, $5, $6)",
    )
    .bind(&checkout_id)
    .bind(cart_id)
    .bind(cart_version)
    .bind(&stamp)
    .bind(&stamp)
    .bind(expires_at)
    .execute(db)
    .await?;
    Ok(checkout_id)
}

/// Runs an update on an open, unexpired checkout; false when it is completed or expired.
async fn update_open(
    db: &AnyPool,
    checkout_id: &str,
    sql: &str,
    binds: &[Option<&str>],
) -> sqlx::Result<bool> {
    let mut query = sqlx::query(sql);
    for bind in binds {
        query = query.bind(*bind);
    }
    let updated = query
        .bind(now())
        .bind(checkout_id)
        .bind(now())
        .execute(db)
        .await?;
    Ok(updated.rows_affected() > 0)
}

/// Makes an open checkout the customer's, with its contact and addresses as given (sealed).
pub async fn set_customer(
    db: &AnyPool,
    checkout_id: &str,
    customer: (&str, &str),
    email: Option<&str>,
    addresses: (Option<&str>, Option<&str>),
) -> sqlx::Result<bool> {
    update_open(
        db,
        checkout_id,
        "UPDATE checkouts SET customer_id = $1, customer_region = $2, email = $3,
             shipping_address = $4, billing_address = $5, updated_at = $6
         WHERE id = $7 AND status = 'open' AND expires_at > $8",
        &[
            Some(customer.0),
            Some(customer.1),
            email,
            addresses.0,
            addresses.1,
        ],
    )
    .await
}

pub async fn set_email(db: &AnyPool, checkout_id: &str, email: &str) -> sqlx::Result<bool> {
    update_open(
        db,
        checkout_id,
        "UPDATE checkouts SET email = $1, updated_at = $2 WHERE id = $3 AND status = 'open' AND expires_at > $4",
        &[Some(email)],
    )
    .await
}

/// Sets both addresses (as JSON) and the shipping option that stays valid for them.
pub async fn set_addresses(
    db: &AnyPool,
    checkout_id: &str,
    shipping: &Address,
    billing: &Address,
    shipping_option_id: Option<&str>,
) -> AppResult<bool> {
    Ok(update_open(
        db,
        checkout_id,
        "UPDATE checkouts SET shipping_address = $1, billing_address = $2, shipping_option_id = $3, updated_at = $4
         WHERE id = $5 AND status = 'open' AND expires_at > $6",
        &[
            Some(&serde_json::to_string(shipping)?),
            Some(&serde_json::to_string(billing)?),
            shipping_option_id,
        ],
    )
    .await?)
}

pub async fn set_shipping_option(
    db: &AnyPool,
    checkout_id: &str,
    option_id: &str,
) -> sqlx::Result<bool> {
    update_open(
        db,
        checkout_id,
        "UPDATE checkouts SET shipping_option_id = $1, updated_at = $2 WHERE id = $3 AND status = 'open' AND expires_at > $4",
        &[Some(option_id)],
    )
    .await
}
