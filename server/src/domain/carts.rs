//! Carts: who may reach one, what a line may hold (stock, the contract's limits, the cart's
//! currency), when a promotion code applies and what it takes off, and the totals. Writes use
//! optimistic concurrency: each claims the cart at its `If-Match` version first; a stale write
//! answers 412 with the current cart, a converted cart refuses writes with 409.

use api_client::types::{AddCartLineRequest, Cart, CartLine, CartStatus, Promotion, Totals};
use sqlx::{Any, AnyConnection, AnyPool, Transaction};

use crate::error::{AppError, AppResult};
use crate::store::carts::{self as store, CartRow, PromotionRow};
use crate::store::catalog::{VariantRow, money};
use crate::store::{new_id, now};

/// The contract's `maxItems` for a cart's lines.
pub const MAX_CART_LINES: usize = 50;

/// The contract's `maximum` for a line's quantity. The gate checks each request; a line that
/// merges two additions of the same variant must stay within it too.
const MAX_LINE_QUANTITY: i32 = 99;

/// Who may see and change a cart, and its checkouts and orders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner<'a> {
    /// The session with this token hash.
    Session(&'a str),
    /// Operators, who may reach every cart.
    Anyone,
}

impl Owner<'_> {
    /// Fails with 404 (never 403, which would tell that the resource exists) unless the caller
    /// may reach a resource of `owner` (`None`: no such resource); `what` names the resource.
    fn check(self, what: &str, owner: Option<Option<String>>) -> AppResult<()> {
        let allowed = match (self, owner) {
            (_, None) => false,
            (Owner::Anyone, Some(_)) => true,
            (Owner::Session(token_hash), Some(owner)) => owner.as_deref() == Some(token_hash),
        };
        if allowed {
            Ok(())
        } else {
            Err(AppError::not_found(what))
        }
    }
}

/// A resource a caller asks for; each belongs to the owner of its cart.
#[derive(Debug, Clone, Copy)]
pub enum Owned<'a> {
    Cart(&'a str),
    Checkout(&'a str),
    Order(&'a str),
}

/// Fails with the resource's 404 unless `caller` may reach it.
pub async fn check_owner(db: &AnyPool, caller: Owner<'_>, resource: Owned<'_>) -> AppResult<()> {
    let (what, owner) = match resource {
        Owned::Cart(id) => ("cart", store::cart_owner(db, id).await?),
        Owned::Checkout(id) => ("checkout", store::checkout_owner(db, id).await?),
        Owned::Order(id) => ("order", store::order_owner(db, id).await?),
    };
    caller.check(what, owner)
}

pub async fn load(db: &AnyPool, cart_id: &str) -> AppResult<Cart> {
    load_on(&mut *db.acquire().await?, cart_id).await
}

/// Reads on the caller's connection, so a transaction never waits for a second pooled
/// connection while it holds the write lock.
pub async fn load_on(connection: &mut AnyConnection, cart_id: &str) -> AppResult<Cart> {
    let row = store::cart_row(connection, cart_id)
        .await?
        .ok_or_else(|| AppError::not_found("cart"))?;
    let lines = store::cart_lines(connection, cart_id).await?;
    let promotion = match &row.promotion_code {
        Some(code) => store::find_promotion(connection, code).await?,
        None => None,
    };
    Ok(assemble(row, lines, promotion))
}

/// What a promotion takes off `subtotal`: a percentage or a fixed amount, never more than the
/// subtotal.
fn discount_on(promotion: &PromotionRow, subtotal: i64) -> i64 {
    let discount = match (promotion.percent_off, promotion.amount_off) {
        (Some(percent), _) => subtotal * percent / 100,
        (None, Some(amount)) => amount,
        (None, None) => 0,
    };
    discount.clamp(0, subtotal)
}

/// The totals of `lines` with `shipping`, and the promotion as applied (none below its minimum
/// spend).
pub fn totals(
    lines: &[CartLine],
    promotion: Option<&PromotionRow>,
    shipping: i64,
    currency: &str,
) -> (Totals, Option<Promotion>) {
    let subtotal: i64 = lines.iter().map(|line| line.line_total.amount).sum();
    let applied = promotion.filter(|p| subtotal >= p.min_subtotal);
    let discount = applied.map(|p| discount_on(p, subtotal)).unwrap_or(0);
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

/// When a line's quantity must be in stock.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum StockCheck {
    /// A shopper's cart holds only what can be ordered now.
    Now,
    /// A sale a kiosk already made, maybe offline: the order is recorded whatever the stock says
    /// now, and the inventory consumer settles it like any order's (a shortfall is compensated).
    AtReservation,
}

pub async fn create(
    db: &AnyPool,
    owner: &str,
    currency: &str,
    lines: &[AddCartLineRequest],
    stock: StockCheck,
) -> AppResult<Cart> {
    let cart_id = new_id();
    let mut tx = db.begin().await?;
    store::insert_cart(&mut tx, &cart_id, owner, currency).await?;
    for (index, line) in lines.iter().enumerate() {
        let field = format!("lines.{index}");
        put_line(&mut tx, &cart_id, currency, line, &field, stock).await?;
    }
    finish_write(tx, &cart_id).await
}

/// Claims the cart for a write at `expected_version`, or explains why it cannot be written.
async fn claim(
    db: &AnyPool,
    cart_id: &str,
    expected_version: i64,
) -> AppResult<(Transaction<'static, Any>, String)> {
    let mut tx = db.begin().await?;
    if let Some(currency) = store::claim_version(&mut tx, cart_id, expected_version).await? {
        return Ok((tx, currency));
    }
    tx.rollback().await?;
    let current = load(db, cart_id).await?;
    if current.status == CartStatus::Converted {
        return Err(AppError::conflict(
            "conflict",
            "Cart already ordered",
            "this cart became an order; start a new cart",
        ));
    }
    Err(AppError::stale_cart(&current))
}

/// Reads the written cart inside its own transaction, so the answer costs no second trip
/// through the writer's queue.
async fn finish_write(mut tx: Transaction<'static, Any>, cart_id: &str) -> AppResult<Cart> {
    let cart = load_on(&mut tx, cart_id).await?;
    tx.commit().await?;
    Ok(cart)
}

async fn variant_for_line(
    connection: &mut AnyConnection,
    variant_id: &str,
    field: &str,
) -> AppResult<VariantRow> {
    store::variant(connection, variant_id)
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
    connection: &mut AnyConnection,
    cart_id: &str,
    currency: &str,
    line: &AddCartLineRequest,
    field: &str,
    stock: StockCheck,
) -> AppResult<()> {
    let variant = variant_for_line(connection, &line.variant_id, field).await?;
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
    let existing = store::line_of_variant(connection, cart_id, &variant.id).await?;
    let quantity = existing.as_ref().map(|(_, q)| *q as i32).unwrap_or(0) + line.quantity;
    check_merged_quantity(quantity, &field_path(field, "quantity"))?;
    if stock == StockCheck::Now {
        check_stock(&variant, quantity, &field_path(field, "quantity"))?;
    }
    match existing {
        Some((line_id, _)) => store::set_line_quantity(connection, &line_id, quantity).await?,
        None => {
            if store::count_lines(connection, cart_id).await? >= MAX_CART_LINES as i64 {
                return Err(AppError::validation(vec![AppError::field(
                    &field_path(field, "variantId"),
                    "too_long",
                    format!("a cart holds at most {MAX_CART_LINES} lines"),
                )]));
            }
            store::insert_line(connection, cart_id, &variant.id, quantity).await?;
        }
    }
    Ok(())
}

pub async fn add_line(
    db: &AnyPool,
    cart_id: &str,
    version: i64,
    line: &AddCartLineRequest,
) -> AppResult<Cart> {
    let (mut tx, currency) = claim(db, cart_id, version).await?;
    put_line(&mut tx, cart_id, &currency, line, "", StockCheck::Now).await?;
    finish_write(tx, cart_id).await
}

pub async fn update_line(
    db: &AnyPool,
    cart_id: &str,
    version: i64,
    line_id: &str,
    quantity: i32,
) -> AppResult<Cart> {
    let (mut tx, _) = claim(db, cart_id, version).await?;
    let variant_id = store::variant_of_line(&mut tx, cart_id, line_id)
        .await?
        .ok_or_else(|| AppError::not_found("cart line"))?;
    let variant = variant_for_line(&mut tx, &variant_id, "").await?;
    check_stock(&variant, quantity, "quantity")?;
    store::set_line_quantity(&mut tx, line_id, quantity).await?;
    finish_write(tx, cart_id).await
}

pub async fn remove_line(
    db: &AnyPool,
    cart_id: &str,
    version: i64,
    line_id: &str,
) -> AppResult<Cart> {
    let (mut tx, _) = claim(db, cart_id, version).await?;
    if !store::delete_line(&mut tx, cart_id, line_id).await? {
        return Err(AppError::not_found("cart line"));
    }
    finish_write(tx, cart_id).await
}

pub async fn apply_promotion(
    db: &AnyPool,
    cart_id: &str,
    version: i64,
    code: &str,
) -> AppResult<Cart> {
    let (mut tx, currency) = claim(db, cart_id, version).await?;
    let promotion = store::find_promotion(&mut tx, code).await?.ok_or_else(|| {
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
    let lines = store::cart_lines(&mut tx, cart_id).await?;
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
    store::set_promotion_code(&mut tx, cart_id, Some(&promotion.code)).await?;
    finish_write(tx, cart_id).await
}

pub async fn remove_promotion(db: &AnyPool, cart_id: &str, version: i64) -> AppResult<Cart> {
    let (mut tx, _) = claim(db, cart_id, version).await?;
    store::set_promotion_code(&mut tx, cart_id, None).await?;
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
        assert_eq!(discount_on(&promotion(Some(10), None, 0), 12_345), 1_234);
        assert_eq!(discount_on(&promotion(None, Some(5_000), 0), 3_000), 3_000);
    }

    #[test]
    fn a_promotion_below_its_minimum_spend_gives_no_discount() {
        let (totals, applied) = totals(&[], Some(&promotion(Some(10), None, 5_000)), 0, "USD");
        assert_eq!(totals.discount.amount, 0);
        assert!(applied.is_none());
    }

    #[test]
    fn only_the_owning_session_or_an_operator_reaches_a_cart() {
        let owned = || Some(Some("hash-a".to_owned()));
        assert!(Owner::Session("hash-a").check("cart", owned()).is_ok());
        assert!(Owner::Session("hash-b").check("cart", owned()).is_err());
        assert!(Owner::Anyone.check("cart", owned()).is_ok());
        assert!(Owner::Anyone.check("cart", None).is_err());
        assert!(Owner::Session("hash-a").check("cart", Some(None)).is_err());
    }
}
