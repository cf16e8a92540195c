//! Checkout sessions: a checkout snapshots a cart's version, collects contact, addresses and a
//! shipping option, and is completed into an order by `domain::checkout::complete`.

use std::time::Duration;

use api_client::types::{
    Address, CartLine, CartStatus, Checkout, CheckoutRequirement, CheckoutStatus, FieldError,
    ShippingOption,
};
use sqlx::{FromRow, SqliteConnection, SqlitePool};

use crate::error::{AppError, AppResult};
use crate::store::carts::{self, cart_lines, find_promotion};
use crate::store::catalog::money;
use crate::store::{later, new_id, now};

pub const CHECKOUT_LIFETIME: Duration = Duration::from_secs(24 * 3600);

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

/// The shipping options offered for a destination, priced in the cart's currency.
pub fn shipping_options(address: &Address, currency: &str) -> Vec<ShippingOption> {
    let domestic = address.country == "US";
    let option =
        |id: &str, label: &str, carrier: &str, price: i64, min: i32, max: i32| ShippingOption {
            id: id.to_owned(),
            label: label.to_owned(),
            carrier: Some(carrier.to_owned()),
            price: money(price, currency),
            min_delivery_days: min,
            max_delivery_days: max,
        };
    if domestic {
        vec![
            option("standard", "Standard", "USPS", 499, 3, 5),
            option("express", "Express", "UPS", 1499, 1, 2),
        ]
    } else {
        vec![
            option("international", "International", "DHL", 1999, 5, 10),
            option(
                "international-express",
                "International express",
                "DHL Express",
                3999,
                2,
                4,
            ),
        ]
    }
}

pub async fn find_checkout(db: &SqlitePool, checkout_id: &str) -> AppResult<CheckoutRow> {
    find_checkout_on(&mut *db.acquire().await?, checkout_id).await
}

async fn find_checkout_on(
    connection: &mut SqliteConnection,
    checkout_id: &str,
) -> AppResult<CheckoutRow> {
    sqlx::query_as("SELECT * FROM checkouts WHERE id = ?")
        .bind(checkout_id)
        .fetch_optional(connection)
        .await?
        .ok_or_else(|| AppError::not_found("checkout"))
}

/// Claims an open, unexpired checkout for completion. The write takes SQLite's write lock, so
/// two completions of one checkout cannot interleave; `None` when it is not open any more.
pub async fn claim_open_checkout(
    connection: &mut SqliteConnection,
    checkout_id: &str,
) -> sqlx::Result<Option<CheckoutRow>> {
    sqlx::query_as(
        "UPDATE checkouts SET updated_at = ? WHERE id = ? AND status = 'open' AND expires_at > ? RETURNING *",
    )
    .bind(now())
    .bind(checkout_id)
    .bind(now())
    .fetch_optional(connection)
    .await
}

pub async fn mark_completed(
    connection: &mut SqliteConnection,
    checkout_id: &str,
    order_id: &str,
    at: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE checkouts SET status = 'completed', order_id = ?, updated_at = ? WHERE id = ?",
    )
    .bind(order_id)
    .bind(at)
    .bind(checkout_id)
    .execute(connection)
    .await?;
    Ok(())
}

pub fn missing(row: &CheckoutRow) -> Vec<CheckoutRequirement> {
    let mut missing = Vec::new();
    if row.email.is_none() {
        missing.push(CheckoutRequirement::ContactEmail);
    }
    if row.shipping_address.is_none() {
        missing.push(CheckoutRequirement::ShippingAddress);
    }
    if row.shipping_option_id.is_none() {
        missing.push(CheckoutRequirement::ShippingOption);
    }
    missing
}

/// The checkout as the contract shows it, lines and totals from the cart it was started from.
pub async fn load_checkout(db: &SqlitePool, checkout_id: &str) -> AppResult<Checkout> {
    load_checkout_on(&mut *db.acquire().await?, checkout_id).await
}

/// The checkout read on the caller's connection (inside its transaction, if it has one).
pub async fn load_checkout_on(
    connection: &mut SqliteConnection,
    checkout_id: &str,
) -> AppResult<Checkout> {
    let row = find_checkout_on(connection, checkout_id).await?;
    let cart = carts::load_cart_on(connection, &row.cart_id).await?;
    let shipping_option = row
        .shipping_address()
        .zip(row.shipping_option_id.as_ref())
        .and_then(|(address, id)| {
            shipping_options(&address, &cart.currency)
                .into_iter()
                .find(|option| &option.id == id)
        });
    let lines: Vec<CartLine> = cart_lines(connection, &row.cart_id).await?;
    let promotion = match &cart.promotion {
        Some(applied) => find_promotion(connection, &applied.code).await?,
        None => None,
    };
    let shipping = shipping_option
        .as_ref()
        .map(|o| o.price.amount)
        .unwrap_or(0);
    let (totals, promotion) = carts::totals(&lines, promotion.as_ref(), shipping, &cart.currency);
    let status = match row.status.as_str() {
        "completed" => CheckoutStatus::Completed,
        _ if row.expires_at <= now() => CheckoutStatus::Expired,
        _ => CheckoutStatus::Open,
    };
    Ok(Checkout {
        missing: missing(&row),
        shipping_address: row.shipping_address(),
        billing_address: row.billing_address(),
        id: row.id,
        cart_id: row.cart_id,
        cart_version: row.cart_version,
        status,
        email: row.email,
        shipping_option,
        lines,
        promotion,
        totals,
        currency: cart.currency,
        order_id: row.order_id,
        created_at: row.created_at,
        updated_at: row.updated_at,
        expires_at: row.expires_at,
    })
}

/// Starts (or refreshes) the open checkout of a cart. Returns whether it was created.
pub async fn start_checkout(
    db: &SqlitePool,
    cart_id: &str,
    cart_version: Option<i64>,
) -> AppResult<(Checkout, bool)> {
    let cart = carts::load_cart(db, cart_id).await.map_err(|error| {
        if error.status == axum::http::StatusCode::NOT_FOUND {
            AppError::not_found("cart").with_field("cartId")
        } else {
            error
        }
    })?;
    if cart.status == CartStatus::Converted {
        return Err(AppError::conflict(
            "conflict",
            "Cart already ordered",
            "this cart became an order; start a new cart",
        ));
    }
    if cart_version.is_some_and(|version| version != cart.version) {
        return Err(AppError::stale_cart(&cart));
    }
    if cart.lines.is_empty() {
        return Err(AppError::unprocessable(
            "cart-empty",
            "Cart is empty",
            "add something to the cart first",
        )
        .with_field("cartId"));
    }
    let stamp = now();
    let refreshed = sqlx::query_as::<_, (String,)>(
        "UPDATE checkouts SET cart_version = ?, updated_at = ?, expires_at = ?
         WHERE cart_id = ? AND status = 'open' RETURNING id",
    )
    .bind(cart.version)
    .bind(&stamp)
    .bind(later(CHECKOUT_LIFETIME))
    .bind(cart_id)
    .fetch_optional(db)
    .await?;
    if let Some((checkout_id,)) = refreshed {
        return Ok((load_checkout(db, &checkout_id).await?, false));
    }
    let checkout_id = new_id();
    sqlx::query(
        "INSERT INTO checkouts (id, cart_id, cart_version, status, created_at, updated_at, expires_at)
         VALUES (?, ?, ?, 'open', ?, ?, ?)",
    )
    .bind(&checkout_id)
    .bind(cart_id)
    .bind(cart.version)
    .bind(&stamp)
    .bind(&stamp)
    .bind(later(CHECKOUT_LIFETIME))
    .execute(db)
    .await?;
    Ok((load_checkout(db, &checkout_id).await?, true))
}

/// Runs an update on an open checkout; a completed or expired one answers 409.
async fn update_open(
    db: &SqlitePool,
    checkout_id: &str,
    sql: &str,
    binds: &[Option<String>],
) -> AppResult<Checkout> {
    let mut query = sqlx::query(sql);
    for bind in binds {
        query = query.bind(bind);
    }
    let updated = query
        .bind(now())
        .bind(checkout_id)
        .bind(now())
        .execute(db)
        .await?;
    if updated.rows_affected() == 0 {
        let row = find_checkout(db, checkout_id).await?;
        return Err(AppError::conflict(
            "conflict",
            "Checkout closed",
            format!(
                "this checkout is {} and can no longer change",
                if row.status == "completed" {
                    "completed"
                } else {
                    "expired"
                }
            ),
        ));
    }
    load_checkout(db, checkout_id).await
}

pub async fn update_contact(
    db: &SqlitePool,
    checkout_id: &str,
    email: &str,
) -> AppResult<Checkout> {
    let email = email.trim();
    if !micro_app::rules::is_email(email) {
        return Err(AppError::validation(vec![AppError::field(
            "email",
            "invalid_format",
            "enter an email address like name@example.com",
        )]));
    }
    update_open(
        db,
        checkout_id,
        "UPDATE checkouts SET email = ?, updated_at = ? WHERE id = ? AND status = 'open' AND expires_at > ?",
        &[Some(email.to_owned())],
    )
    .await
}

pub async fn update_addresses(
    db: &SqlitePool,
    checkout_id: &str,
    shipping: &Address,
    billing: Option<&Address>,
) -> AppResult<Checkout> {
    let mut errors = validate_address(shipping, "shippingAddress");
    if let Some(billing) = billing {
        errors.extend(validate_address(billing, "billingAddress"));
    }
    if !errors.is_empty() {
        return Err(AppError::validation(errors));
    }
    let row = find_checkout(db, checkout_id).await?;
    // A new destination may not offer the chosen shipping option any more.
    let keep_option = row
        .shipping_address()
        .is_some_and(|previous| previous.country == shipping.country);
    update_open(
        db,
        checkout_id,
        "UPDATE checkouts SET shipping_address = ?, billing_address = ?, shipping_option_id = ?, updated_at = ?
         WHERE id = ? AND status = 'open' AND expires_at > ?",
        &[
            Some(serde_json::to_string(shipping)?),
            Some(serde_json::to_string(billing.unwrap_or(shipping))?),
            if keep_option { row.shipping_option_id.clone() } else { None },
        ],
    )
    .await
}

pub async fn list_shipping_options(
    db: &SqlitePool,
    checkout_id: &str,
) -> AppResult<Vec<ShippingOption>> {
    let checkout = load_checkout(db, checkout_id).await?;
    let address = checkout.shipping_address.ok_or_else(|| {
        AppError::unprocessable(
            "shipping-address-required",
            "Shipping address required",
            "set a shipping address to see shipping options",
        )
    })?;
    Ok(shipping_options(&address, &checkout.currency))
}

pub async fn select_shipping_option(
    db: &SqlitePool,
    checkout_id: &str,
    option_id: &str,
) -> AppResult<Checkout> {
    let options = list_shipping_options(db, checkout_id).await?;
    if !options.iter().any(|option| option.id == option_id) {
        return Err(AppError::validation(vec![AppError::field(
            "shippingOptionId",
            "unknown",
            format!(
                "choose one of: {}",
                options
                    .iter()
                    .map(|o| o.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )]));
    }
    update_open(
        db,
        checkout_id,
        "UPDATE checkouts SET shipping_option_id = ?, updated_at = ? WHERE id = ? AND status = 'open' AND expires_at > ?",
        &[Some(option_id.to_owned())],
    )
    .await
}

/// Field errors for an address beyond its schema (which the contract gate has already checked:
/// lengths, characters, the phone and country forms): names that are only spaces, and the
/// postal-code and region rules of the countries the shop ships to most.
pub fn validate_address(address: &Address, prefix: &str) -> Vec<FieldError> {
    let mut errors = Vec::new();
    for (value, field, label) in [
        (&address.name, "name", "full name"),
        (&address.line1, "line1", "street address"),
        (&address.city, "city", "city"),
    ] {
        if value.trim().is_empty() {
            errors.push(AppError::field(
                &format!("{prefix}.{field}"),
                "required",
                format!("enter the {label}"),
            ));
        }
    }
    let country = address.country.as_str();
    let postal = address.postal_code.trim();
    if let Some(message) = micro_app::rules::postal_code_problem(country, postal) {
        errors.push(AppError::field(
            &format!("{prefix}.postalCode"),
            "invalid_format",
            message,
        ));
    }
    if country == "US"
        && address
            .region
            .as_deref()
            .is_none_or(|region| region.trim().is_empty())
    {
        errors.push(AppError::field(
            &format!("{prefix}.region"),
            "required",
            "choose a state",
        ));
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    fn address(country: &str, postal: &str, region: Option<&str>) -> Address {
        Address {
            name: "Ada Lovelace".into(),
            line1: "1 Main St".into(),
            line2: None,
            city: "Springfield".into(),
            region: region.map(str::to_owned),
            postal_code: postal.into(),
            country: country.into(),
            phone: None,
        }
    }

    #[test]
    fn postal_codes_follow_each_countrys_rules() {
        for (country, good, bad) in [
            ("US", "94105", "9410"),
            ("US", "94105-1234", "94105 1234"),
            ("GB", "SW1A 1AA", "12345"),
            ("GB", "M1 1AE", "M1"),
            ("DE", "10115", "1011"),
            ("FR", "75008", "75 008"),
            ("JP", "100-0001", "1000001"),
        ] {
            let region = (country == "US").then_some("CA");
            assert!(
                validate_address(&address(country, good, region), "a").is_empty(),
                "{country} {good}"
            );
            let errors = validate_address(&address(country, bad, region), "a");
            assert_eq!(errors.len(), 1, "{country} {bad}");
            assert_eq!(errors[0].field, "a.postalCode");
        }
    }

    #[test]
    fn missing_fields_are_reported_by_path() {
        let mut empty = address("US", "94105", None);
        empty.name = " ".into();
        let fields: Vec<String> = validate_address(&empty, "shippingAddress")
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["shippingAddress.name", "shippingAddress.region"]);
    }

    #[test]
    fn emails_need_a_local_part_and_a_dotted_domain() {
        assert!(micro_app::rules::is_email("ada@example.com"));
        assert!(!micro_app::rules::is_email("ada@example"));
        assert!(!micro_app::rules::is_email("@example.com"));
        assert!(!micro_app::rules::is_email("ada lovelace@example.com"));
    }
}
