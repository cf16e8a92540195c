//! Carts, their lines and promotion codes in SQL. Every write of a cart runs inside the
//! transaction that [`claim_version`] opened by bumping the cart's version, which takes SQLite's
//! write lock at once and makes the stale check atomic. The rules (stock, limits, totals,
//! promotions) are `domain::carts`'.

use api_client::types::CartLine;
use sqlx::{AnyConnection, AnyPool, FromRow};

use crate::store::catalog::{VariantRow, money};
use crate::store::{new_id, now};

#[derive(FromRow)]
pub struct CartRow {
    pub id: String,
    pub status: String,
    pub version: i64,
    pub currency: String,
    pub promotion_code: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(FromRow)]
pub struct PromotionRow {
    pub code: String,
    pub description: String,
    pub percent_off: Option<i64>,
    pub amount_off: Option<i64>,
    pub min_subtotal: i64,
    pub expires_at: Option<String>,
}

pub async fn cart_row(
    connection: &mut AnyConnection,
    cart_id: &str,
) -> sqlx::Result<Option<CartRow>> {
    sqlx::query_as("SELECT * FROM carts WHERE id = $1")
        .bind(cart_id)
        .fetch_optional(connection)
        .await
}

/// A cart line joined with its variant and product, as the contract shows it.
pub async fn cart_lines(
    connection: &mut AnyConnection,
    cart_id: &str,
) -> sqlx::Result<Vec<CartLine>> {
    #[derive(FromRow)]
    struct LineRow {
        line_id: String,
        quantity: i64,
        product_slug: String,
        product_title: String,
        product_media: String,
        #[sqlx(flatten)]
        variant: VariantRow,
    }
    let rows: Vec<LineRow> = sqlx::query_as(
        "SELECT l.id AS line_id, l.quantity, p.slug AS product_slug, p.title AS product_title,
                p.media AS product_media, v.*
         FROM cart_lines l JOIN variants v ON v.id = l.variant_id JOIN products p ON p.id = v.product_id
         WHERE l.cart_id = $1 ORDER BY l.position",
    )
    .bind(cart_id)
    .fetch_all(&mut *connection)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let variant = &row.variant;
            let image = variant.image().or_else(|| {
                serde_json::from_str::<Vec<api_client::types::Media>>(&row.product_media)
                    .ok()
                    .and_then(|media| media.into_iter().next())
            });
            CartLine {
                id: row.line_id,
                product_slug: row.product_slug,
                product_title: row.product_title,
                variant_id: variant.id.clone(),
                sku: variant.sku.clone(),
                option_values: variant.option_values(),
                image,
                unit_price: money(variant.price, &variant.currency),
                quantity: row.quantity as i32,
                line_total: money(variant.price * row.quantity, &variant.currency),
                max_quantity: variant.max_quantity(),
                availability: Some(variant.availability()),
            }
        })
        .collect())
}

pub async fn find_promotion(
    connection: &mut AnyConnection,
    code: &str,
) -> sqlx::Result<Option<PromotionRow>> {
    sqlx::query_as("SELECT * FROM promotions WHERE code = $1")
        .bind(code.trim().to_uppercase())
        .fetch_optional(connection)
        .await
}

/// The owner of a cart: `None` when there is no such cart, `Some(None)` for an unowned one.
pub async fn cart_owner(db: &AnyPool, cart_id: &str) -> sqlx::Result<Option<Option<String>>> {
    owner_by("SELECT owner FROM carts WHERE id = $1", db, cart_id).await
}

/// The owner of the cart a checkout was started from.
pub async fn checkout_owner(
    db: &AnyPool,
    checkout_id: &str,
) -> sqlx::Result<Option<Option<String>>> {
    owner_by(
        "SELECT carts.owner FROM checkouts JOIN carts ON carts.id = checkouts.cart_id WHERE checkouts.id = $1",
        db,
        checkout_id,
    )
    .await
}

/// The owner of the cart an order was placed from.
pub async fn order_owner(db: &AnyPool, order_id: &str) -> sqlx::Result<Option<Option<String>>> {
    owner_by(
        "SELECT carts.owner FROM orders JOIN carts ON carts.id = orders.cart_id WHERE orders.id = $1",
        db,
        order_id,
    )
    .await
}

async fn owner_by(
    sql: &'static str,
    db: &AnyPool,
    id: &str,
) -> sqlx::Result<Option<Option<String>>> {
    let owner: Option<(Option<String>,)> = sqlx::query_as(sql).bind(id).fetch_optional(db).await?;
    Ok(owner.map(|(owner,)| owner))
}

pub async fn insert_cart(
    connection: &mut AnyConnection,
    cart_id: &str,
    owner: &str,
    currency: &str,
) -> sqlx::Result<()> {
    let stamp = now();
    sqlx::query("INSERT INTO carts (id, status, version, currency, owner, created_at, updated_at) VALUES ($1, 'open', 1, $2, $3, $4, $5)")
        .bind(cart_id)
        .bind(currency)
        .bind(owner)
        .bind(&stamp)
        .bind(&stamp)
        .execute(connection)
        .await?;
    Ok(())
}

/// A cart's version and status (`open` or `converted`).
pub async fn version_and_status(
    connection: &mut AnyConnection,
    cart_id: &str,
) -> sqlx::Result<(i64, String)> {
    sqlx::query_as("SELECT version, status FROM carts WHERE id = $1")
        .bind(cart_id)
        .fetch_one(connection)
        .await
}

/// The cart became an order: it takes no more writes.
pub async fn mark_converted(
    connection: &mut AnyConnection,
    cart_id: &str,
    at: &str,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE carts SET status = 'converted', updated_at = $1 WHERE id = $2")
        .bind(at)
        .bind(cart_id)
        .execute(connection)
        .await?;
    Ok(())
}

/// Bumps the version of an open cart still at `expected_version`, returning its currency; `None`
/// when the cart is stale, converted or missing.
pub async fn claim_version(
    connection: &mut AnyConnection,
    cart_id: &str,
    expected_version: i64,
) -> sqlx::Result<Option<String>> {
    let claimed: Option<(String,)> = sqlx::query_as(
        "UPDATE carts SET version = version + 1, updated_at = $1
         WHERE id = $2 AND version = $3 AND status = 'open' RETURNING currency",
    )
    .bind(now())
    .bind(cart_id)
    .bind(expected_version)
    .fetch_optional(connection)
    .await?;
    Ok(claimed.map(|(currency,)| currency))
}

pub async fn variant(
    connection: &mut AnyConnection,
    variant_id: &str,
) -> sqlx::Result<Option<VariantRow>> {
    sqlx::query_as("SELECT * FROM variants WHERE id = $1")
        .bind(variant_id)
        .fetch_optional(connection)
        .await
}

/// The line of the cart holding `variant_id`, with its quantity.
pub async fn line_of_variant(
    connection: &mut AnyConnection,
    cart_id: &str,
    variant_id: &str,
) -> sqlx::Result<Option<(String, i64)>> {
    sqlx::query_as("SELECT id, quantity FROM cart_lines WHERE cart_id = $1 AND variant_id = $2")
        .bind(cart_id)
        .bind(variant_id)
        .fetch_optional(connection)
        .await
}

/// The variant a line of the cart holds.
pub async fn variant_of_line(
    connection: &mut AnyConnection,
    cart_id: &str,
    line_id: &str,
) -> sqlx::Result<Option<String>> {
    let variant: Option<(String,)> =
        sqlx::query_as("SELECT variant_id FROM cart_lines WHERE id = $1 AND cart_id = $2")
            .bind(line_id)
            .bind(cart_id)
            .fetch_optional(connection)
            .await?;
    Ok(variant.map(|(variant_id,)| variant_id))
}

pub async fn count_lines(connection: &mut AnyConnection, cart_id: &str) -> sqlx::Result<i64> {
    let (lines,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM cart_lines WHERE cart_id = $1")
        .bind(cart_id)
        .fetch_one(connection)
        .await?;
    Ok(lines)
}

/// Appends a line after the cart's last one.
pub async fn insert_line(
    connection: &mut AnyConnection,
    cart_id: &str,
    variant_id: &str,
    quantity: i32,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO cart_lines (id, cart_id, variant_id, quantity, position)
         VALUES ($1, $2, $3, $4, (SELECT COALESCE(MAX(position), 0) + 1 FROM cart_lines WHERE cart_id = $5))",
    )
    .bind(new_id())
    .bind(cart_id)
    .bind(variant_id)
    .bind(quantity)
    .bind(cart_id)
    .execute(connection)
    .await?;
    Ok(())
}

pub async fn set_line_quantity(
    connection: &mut AnyConnection,
    line_id: &str,
    quantity: i32,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE cart_lines SET quantity = $1 WHERE id = $2")
        .bind(quantity)
        .bind(line_id)
        .execute(connection)
        .await?;
    Ok(())
}

/// Deletes a line of the cart; false when the cart has no such line.
pub async fn delete_line(
    connection: &mut AnyConnection,
    cart_id: &str,
    line_id: &str,
) -> sqlx::Result<bool> {
    let removed = sqlx::query("DELETE FROM cart_lines WHERE id = $1 AND cart_id = $2")
        .bind(line_id)
        .bind(cart_id)
        .execute(connection)
        .await?;
    Ok(removed.rows_affected() > 0)
}

pub async fn set_promotion_code(
    connection: &mut AnyConnection,
    cart_id: &str,
    code: Option<&str>,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE carts SET promotion_code = $1 WHERE id = $2")
        .bind(code)
        .bind(cart_id)
        .execute(connection)
        .await?;
    Ok(())
}

/// Hands every cart of one session to another: the shopper's cart (and the orders placed from
/// it) follow them when they sign in.
pub async fn transfer_owner(db: &AnyPool, from: &str, to: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE carts SET owner = $1 WHERE owner = $2")
        .bind(to)
        .bind(from)
        .execute(db)
        .await?;
    Ok(())
}
