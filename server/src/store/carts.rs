//! Carts and their lines, with optimistic concurrency: every write claims the cart with
//! `UPDATE … SET version = version + 1 WHERE version = <If-Match>` as its first statement, which
//! takes SQLite's write lock at once and makes the stale check atomic. A stale write answers 412
//! with the current cart; a converted cart refuses writes with 409.

use api_client::types::{AddCartLineRequest, Cart, CartLine, CartStatus, Promotion, Totals};
use sqlx::{FromRow, Sqlite, SqlitePool, Transaction};

use crate::error::{AppError, AppResult};
use crate::store::catalog::{VariantRow, money};
use crate::store::{new_id, now};

#[derive(FromRow)]
struct CartRow {
    id: String,
    status: String,
    version: i64,
    currency: String,
    promotion_code: Option<String>,
    created_at: String,
    updated_at: String,
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

impl PromotionRow {
    pub fn discount_on(&self, subtotal: i64) -> i64 {
        let discount = match (self.percent_off, self.amount_off) {
            (Some(percent), _) => subtotal * percent / 100,
            (None, Some(amount)) => amount,
            (None, None) => 0,
        };
        discount.clamp(0, subtotal)
    }
}

pub async fn load_cart(db: &SqlitePool, cart_id: &str) -> AppResult<Cart> {
    load_cart_on(&mut *db.acquire().await?, cart_id).await
}

/// Reads on the caller's connection, so a transaction never waits for a second pooled
/// connection while it holds the write lock.
pub async fn load_cart_on(
    connection: &mut sqlx::SqliteConnection,
    cart_id: &str,
) -> AppResult<Cart> {
    let row: CartRow = sqlx::query_as("SELECT * FROM carts WHERE id = ?")
        .bind(cart_id)
        .fetch_optional(&mut *connection)
        .await?
        .ok_or_else(|| AppError::not_found("cart"))?;
    let lines = cart_lines(connection, cart_id).await?;
    let promotion = match &row.promotion_code {
        Some(code) => find_promotion(connection, code).await?,
        None => None,
    };
    Ok(assemble(row, lines, promotion))
}

/// A cart line joined with its variant and product, as the contract shows it.
pub async fn cart_lines(
    connection: &mut sqlx::SqliteConnection,
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
         WHERE l.cart_id = ? ORDER BY l.position",
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
    connection: &mut sqlx::SqliteConnection,
    code: &str,
) -> sqlx::Result<Option<PromotionRow>> {
    sqlx::query_as("SELECT * FROM promotions WHERE code = ?")
        .bind(code.trim().to_uppercase())
        .fetch_optional(connection)
        .await
}

pub fn totals(
    lines: &[CartLine],
    promotion: Option<&PromotionRow>,
    shipping: i64,
    currency: &str,
) -> (Totals, Option<Promotion>) {
    let subtotal: i64 = lines.iter().map(|line| line.line_total.amount).sum();
    let applied = promotion.filter(|p| subtotal >= p.min_subtotal);
    let discount = applied.map(|p| p.discount_on(subtotal)).unwrap_or(0);
    (
        Totals {
            subtotal: money(subtotal, currency),
            discount: money(discount, currency),
            shipping: money(shipping, currency),
            total: money(subtotal - discount + shipping, currency),
        },
        applied.map(|p| Promotion {
            code: p.code.clone(),
            description: p.description.clone(),
            discount: money(discount, currency),
        }),
    )
}

fn assemble(row: CartRow, lines: Vec<CartLine>, promotion: Option<PromotionRow>) -> Cart {
    let (totals, promotion) = totals(&lines, promotion.as_ref(), 0, &row.currency);
    Cart {
        item_count: lines.iter().map(|line| line.quantity).sum(),
        id: row.id,
        status: if row.status == "converted" {
            CartStatus::Converted
        } else {
            CartStatus::Open
        },
        version: row.version,
        currency: row.currency,
        lines,
        promotion,
        totals,
        created_at: row.created_at,
        updated_at: row.updated_at,
    }
}

/// The contract's `maxItems` for a cart's lines.
pub const MAX_CART_LINES: usize = 50;

/// Who may see and change a cart, and its checkouts and orders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner<'a> {
    /// The session with this token hash.
    Session(&'a str),
    /// Operators, who may reach every cart.
    Anyone,
}

impl Owner<'_> {
    fn may_access(self, owner: Option<&str>) -> bool {
        match self {
            Owner::Anyone => true,
            Owner::Session(token_hash) => owner == Some(token_hash),
        }
    }
}

/// Fails with 404 (never 403, which would tell that the cart exists) unless `caller` may reach
/// the cart; `what` names the resource the caller asked for.
fn check_owner(
    caller: Owner<'_>,
    what: &str,
    owner: sqlx::Result<Option<(Option<String>,)>>,
) -> AppResult<()> {
    match owner? {
        Some((owner,)) if caller.may_access(owner.as_deref()) => Ok(()),
        _ => Err(AppError::not_found(what)),
    }
}

pub async fn check_cart_owner(db: &SqlitePool, caller: Owner<'_>, cart_id: &str) -> AppResult<()> {
    let owner = sqlx::query_as("SELECT owner FROM carts WHERE id = ?")
        .bind(cart_id)
        .fetch_optional(db)
        .await;
    check_owner(caller, "cart", owner)
}

pub async fn check_checkout_owner(
    db: &SqlitePool,
    caller: Owner<'_>,
    checkout_id: &str,
) -> AppResult<()> {
    let owner = sqlx::query_as(
        "SELECT carts.owner FROM checkouts JOIN carts ON carts.id = checkouts.cart_id WHERE checkouts.id = ?",
    )
    .bind(checkout_id)
    .fetch_optional(db)
    .await;
    check_owner(caller, "checkout", owner)
}

pub async fn check_order_owner(
    db: &SqlitePool,
    caller: Owner<'_>,
    order_id: &str,
) -> AppResult<()> {
    let owner = sqlx::query_as(
        "SELECT carts.owner FROM orders JOIN carts ON carts.id = orders.cart_id WHERE orders.id = ?",
    )
    .bind(order_id)
    .fetch_optional(db)
    .await;
    check_owner(caller, "order", owner)
}

pub async fn create_cart(
    db: &SqlitePool,
    owner: &str,
    currency: &str,
    lines: &[AddCartLineRequest],
) -> AppResult<Cart> {
    let cart_id = new_id();
    let mut tx = db.begin().await?;
    let stamp = now();
    sqlx::query("INSERT INTO carts (id, status, version, currency, owner, created_at, updated_at) VALUES (?, 'open', 1, ?, ?, ?, ?)")
        .bind(&cart_id)
        .bind(currency)
        .bind(owner)
        .bind(&stamp)
        .bind(&stamp)
        .execute(&mut *tx)
        .await?;
    for (index, line) in lines.iter().enumerate() {
        put_line(&mut tx, &cart_id, currency, line, &format!("lines.{index}")).await?;
    }
    let cart = load_cart_on(&mut tx, &cart_id).await?;
    tx.commit().await?;
    Ok(cart)
}

/// A cart's version and status (`open` or `converted`).
pub async fn version_and_status(
    connection: &mut sqlx::SqliteConnection,
    cart_id: &str,
) -> sqlx::Result<(i64, String)> {
    sqlx::query_as("SELECT version, status FROM carts WHERE id = ?")
        .bind(cart_id)
        .fetch_one(connection)
        .await
}

/// The cart became an order: it takes no more writes.
pub async fn mark_converted(
    connection: &mut sqlx::SqliteConnection,
    cart_id: &str,
    at: &str,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE carts SET status = 'converted', updated_at = ? WHERE id = ?")
        .bind(at)
        .bind(cart_id)
        .execute(connection)
        .await?;
    Ok(())
}

/// Claims the cart for a write at `expected_version`, or explains why it cannot be written.
async fn claim(
    db: &SqlitePool,
    cart_id: &str,
    expected_version: i64,
) -> AppResult<(Transaction<'static, Sqlite>, String)> {
    let mut tx = db.begin().await?;
    let claimed: Option<(String,)> = sqlx::query_as(
        "UPDATE carts SET version = version + 1, updated_at = ?
         WHERE id = ? AND version = ? AND status = 'open' RETURNING currency",
    )
    .bind(now())
    .bind(cart_id)
    .bind(expected_version)
    .fetch_optional(&mut *tx)
    .await?;
    if let Some((currency,)) = claimed {
        return Ok((tx, currency));
    }
    tx.rollback().await?;
    let current = load_cart(db, cart_id).await?;
    if current.status == CartStatus::Converted {
        return Err(AppError::conflict(
            "conflict",
            "Cart already ordered",
            "this cart became an order; start a new cart",
        ));
    }
    Err(AppError::stale_cart(&current))
}

async fn variant_for_line(
    tx: &mut Transaction<'static, Sqlite>,
    variant_id: &str,
    field: &str,
) -> AppResult<VariantRow> {
    sqlx::query_as("SELECT * FROM variants WHERE id = ?")
        .bind(variant_id)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or_else(|| {
            AppError::unprocessable(
                "variant-unavailable",
                "Variant unavailable",
                "no such variant",
            )
            .with_field(&field_path(field, "variantId"))
        })
}

/// The contract's `maximum` for a line's quantity. The gate checks each request; a line that
/// merges two additions of the same variant must stay within it too.
const MAX_LINE_QUANTITY: i32 = 99;

fn check_merged_quantity(quantity: i32, field: &str) -> AppResult<()> {
    if quantity > MAX_LINE_QUANTITY {
        return Err(AppError::validation(vec![AppError::field(
            field,
            "out_of_range",
            format!("a cart holds at most {MAX_LINE_QUANTITY} of one item"),
        )]));
    }
    Ok(())
}

fn check_stock(variant: &VariantRow, quantity: i32, field: &str) -> AppResult<()> {
    let max = variant.max_quantity();
    if max == 0 {
        return Err(AppError::unprocessable(
            "variant-unavailable",
            "Variant unavailable",
            format!("{} is out of stock", variant.sku),
        )
        .with_field(field));
    }
    if quantity > max {
        return Err(AppError::unprocessable(
            "quantity-unavailable",
            "Quantity unavailable",
            format!("only {max} of {} can be ordered", variant.sku),
        )
        .with_field(field));
    }
    Ok(())
}

/// Adds a variant to the cart, merging with an existing line of the same variant.
async fn put_line(
    tx: &mut Transaction<'static, Sqlite>,
    cart_id: &str,
    currency: &str,
    line: &AddCartLineRequest,
    field: &str,
) -> AppResult<()> {
    let variant = variant_for_line(tx, &line.variant_id, field).await?;
    if variant.currency != currency {
        return Err(AppError::unprocessable(
            "variant-unavailable",
            "Variant unavailable",
            format!(
                "this variant is sold in {}, the cart is in {currency}",
                variant.currency
            ),
        )
        .with_field(&field_path(field, "variantId")));
    }
    let existing: Option<(String, i64)> =
        sqlx::query_as("SELECT id, quantity FROM cart_lines WHERE cart_id = ? AND variant_id = ?")
            .bind(cart_id)
            .bind(&variant.id)
            .fetch_optional(&mut **tx)
            .await?;
    let quantity = existing.as_ref().map(|(_, q)| *q as i32).unwrap_or(0) + line.quantity;
    check_merged_quantity(quantity, &field_path(field, "quantity"))?;
    check_stock(&variant, quantity, &field_path(field, "quantity"))?;
    match existing {
        Some((line_id, _)) => {
            sqlx::query("UPDATE cart_lines SET quantity = ? WHERE id = ?")
                .bind(quantity)
                .bind(line_id)
                .execute(&mut **tx)
                .await?;
        }
        None => {
            let (lines,): (i64,) =
                sqlx::query_as("SELECT COUNT(*) FROM cart_lines WHERE cart_id = ?")
                    .bind(cart_id)
                    .fetch_one(&mut **tx)
                    .await?;
            if lines >= MAX_CART_LINES as i64 {
                return Err(AppError::validation(vec![AppError::field(
                    &field_path(field, "variantId"),
                    "too_long",
                    format!("a cart holds at most {MAX_CART_LINES} lines"),
                )]));
            }
            sqlx::query(
                "INSERT INTO cart_lines (id, cart_id, variant_id, quantity, position)
                 VALUES (?, ?, ?, ?, (SELECT COALESCE(MAX(position), 0) + 1 FROM cart_lines WHERE cart_id = ?))",
            )
            .bind(new_id())
            .bind(cart_id)
            .bind(&variant.id)
            .bind(quantity)
            .bind(cart_id)
            .execute(&mut **tx)
            .await?;
        }
    }
    Ok(())
}

/// Reads the written cart inside its own transaction, so the answer costs no second trip
/// through the writer's queue.
async fn finish_write(mut tx: Transaction<'static, Sqlite>, cart_id: &str) -> AppResult<Cart> {
    let cart = load_cart_on(&mut tx, cart_id).await?;
    tx.commit().await?;
    Ok(cart)
}

pub async fn add_line(
    db: &SqlitePool,
    cart_id: &str,
    version: i64,
    line: &AddCartLineRequest,
) -> AppResult<Cart> {
    let (mut tx, currency) = claim(db, cart_id, version).await?;
    put_line(&mut tx, cart_id, &currency, line, "").await?;
    finish_write(tx, cart_id).await
}

pub async fn update_line(
    db: &SqlitePool,
    cart_id: &str,
    version: i64,
    line_id: &str,
    quantity: i32,
) -> AppResult<Cart> {
    let (mut tx, _) = claim(db, cart_id, version).await?;
    let variant_id: (String,) =
        sqlx::query_as("SELECT variant_id FROM cart_lines WHERE id = ? AND cart_id = ?")
            .bind(line_id)
            .bind(cart_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| AppError::not_found("cart line"))?;
    let variant = variant_for_line(&mut tx, &variant_id.0, "").await?;
    check_stock(&variant, quantity, "quantity")?;
    sqlx::query("UPDATE cart_lines SET quantity = ? WHERE id = ?")
        .bind(quantity)
        .bind(line_id)
        .execute(&mut *tx)
        .await?;
    finish_write(tx, cart_id).await
}

pub async fn remove_line(
    db: &SqlitePool,
    cart_id: &str,
    version: i64,
    line_id: &str,
) -> AppResult<Cart> {
    let (mut tx, _) = claim(db, cart_id, version).await?;
    let removed = sqlx::query("DELETE FROM cart_lines WHERE id = ? AND cart_id = ?")
        .bind(line_id)
        .bind(cart_id)
        .execute(&mut *tx)
        .await?;
    if removed.rows_affected() == 0 {
        return Err(AppError::not_found("cart line"));
    }
    finish_write(tx, cart_id).await
}

pub async fn apply_promotion(
    db: &SqlitePool,
    cart_id: &str,
    version: i64,
    code: &str,
) -> AppResult<Cart> {
    let (mut tx, currency) = claim(db, cart_id, version).await?;
    let promotion = find_promotion(&mut tx, code).await?.ok_or_else(|| {
        AppError::unprocessable(
            "promotion-unknown",
            "Unknown promotion code",
            format!("{} is not a valid code", code.trim()),
        )
        .with_field("code")
    })?;
    if promotion
        .expires_at
        .as_deref()
        .is_some_and(|expiry| expiry <= now().as_str())
    {
        return Err(AppError::unprocessable(
            "promotion-expired",
            "Promotion expired",
            format!("{} has expired", promotion.code),
        )
        .with_field("code"));
    }
    let lines = cart_lines(&mut tx, cart_id).await?;
    let subtotal: i64 = lines.iter().map(|line| line.line_total.amount).sum();
    if subtotal < promotion.min_subtotal {
        return Err(AppError::unprocessable(
            "promotion-minimum-spend-not-met",
            "Minimum spend not met",
            format!(
                "{} needs a subtotal of at least {} {currency}",
                promotion.code,
                format_minor(promotion.min_subtotal)
            ),
        )
        .with_field("code"));
    }
    sqlx::query("UPDATE carts SET promotion_code = ? WHERE id = ?")
        .bind(&promotion.code)
        .bind(cart_id)
        .execute(&mut *tx)
        .await?;
    finish_write(tx, cart_id).await
}

pub async fn remove_promotion(db: &SqlitePool, cart_id: &str, version: i64) -> AppResult<Cart> {
    let (mut tx, _) = claim(db, cart_id, version).await?;
    sqlx::query("UPDATE carts SET promotion_code = NULL WHERE id = ?")
        .bind(cart_id)
        .execute(&mut *tx)
        .await?;
    finish_write(tx, cart_id).await
}

fn format_minor(amount: i64) -> String {
    format!("{}.{:02}", amount / 100, amount % 100)
}

/// The path of a field inside a line: `lines.0.quantity` when creating a cart with lines, plain
/// `quantity` for a single add (empty prefix).
fn field_path(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_owned()
    } else {
        format!("{prefix}.{name}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn promotion(percent: Option<i64>, amount: Option<i64>, min: i64) -> PromotionRow {
        PromotionRow {
            code: "X".into(),
            description: "x".into(),
            percent_off: percent,
            amount_off: amount,
            min_subtotal: min,
            expires_at: None,
        }
    }

    #[test]
    fn discounts_never_exceed_the_subtotal() {
        assert_eq!(promotion(Some(10), None, 0).discount_on(12_345), 1_234);
        assert_eq!(promotion(None, Some(5_000), 0).discount_on(3_000), 3_000);
    }

    #[test]
    fn a_promotion_below_its_minimum_spend_gives_no_discount() {
        let (totals, applied) = totals(&[], Some(&promotion(Some(10), None, 5_000)), 0, "USD");
        assert_eq!(totals.discount.amount, 0);
        assert!(applied.is_none());
    }
}
