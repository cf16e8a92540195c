//! Checkouts: what a checkout still needs, which addresses it accepts beyond their schema, the
//! shipping options a destination gets and what they cost, and the checkout as the contract shows
//! it (lines and totals from its cart). A completed or expired checkout takes no changes (409).

use std::time::Duration;

use api_client::types::{
    Address, CartStatus, Checkout, CheckoutRequirement, CheckoutStatus, FieldError, ShippingOption,
};
use sqlx::{AnyConnection, AnyPool};

use crate::domain::carts;
use crate::domain::sealing::Sealer;
use crate::error::{AppError, AppResult};
use crate::store::carts::{cart_lines, find_promotion};
use crate::store::catalog::money;
use crate::store::checkouts::{self as store, CheckoutRow, find_checkout, find_checkout_on};
use crate::store::regions::{HomeRegion, Regions};
use crate::store::{later, now};

pub const CHECKOUT_LIFETIME: Duration = Duration::from_secs(24 * 3600);

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

/// Collection at the store's counter: how kiosk orders are fulfilled. Never offered for a
/// delivery address; only a kiosk order chooses it (`choose_collection`).
pub const COLLECT: &str = "collect";

fn collect_option(currency: &str) -> ShippingOption {
    ShippingOption {
        id: COLLECT.to_owned(),
        label: "Collect at the counter".to_owned(),
        carrier: None,
        price: money(0, currency),
        min_delivery_days: 0,
        max_delivery_days: 0,
    }
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
pub async fn load_checkout(db: &AnyPool, checkout_id: &str) -> AppResult<Checkout> {
    load_checkout_on(&mut *db.acquire().await?, checkout_id).await
}

/// The checkout read on the caller's connection (inside its transaction, if it has one).
pub async fn load_checkout_on(
    connection: &mut AnyConnection,
    checkout_id: &str,
) -> AppResult<Checkout> {
    let row = find_checkout_on(connection, checkout_id).await?;
    let cart = carts::load_on(connection, &row.cart_id).await?;
    let shipping_option = row
        .shipping_address()
        .zip(row.shipping_option_id.as_ref())
        .and_then(|(address, id)| {
            shipping_options(&address, &cart.currency)
                .into_iter()
                .find(|option| &option.id == id)
                .or_else(|| (id == COLLECT).then(|| collect_option(&cart.currency)))
        });
    let lines = cart_lines(connection, &row.cart_id).await?;
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
    db: &AnyPool,
    cart_id: &str,
    cart_version: Option<i64>,
) -> AppResult<(Checkout, bool)> {
    let cart = carts::load(db, cart_id).await.map_err(|error| {
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
    let expires_at = later(CHECKOUT_LIFETIME);
    if let Some(checkout_id) = store::refresh_open(db, cart_id, cart.version, &expires_at).await? {
        return Ok((load_checkout(db, &checkout_id).await?, false));
    }
    let checkout_id = store::insert_checkout(db, cart_id, cart.version, &expires_at).await?;
    Ok((load_checkout(db, &checkout_id).await?, true))
}

/// The checkout after a change; 409 when the change found it completed or expired.
async fn after_update(db: &AnyPool, checkout_id: &str, updated: bool) -> AppResult<Checkout> {
    if !updated {
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

/// For a signed-in customer's write: their sealer, once the checkout is theirs. A checkout
/// becomes the customer's the first time they write to it, and what it was given as a guest
/// is sealed then, so none of their contact stays readable in the global store.
pub async fn sealer_for(
    db: &AnyPool,
    regions: &Regions,
    checkout_id: &str,
    customer: Option<&(String, HomeRegion)>,
) -> AppResult<Option<Sealer>> {
    let Some((customer_id, region)) = customer else {
        return Ok(None);
    };
    let sealer = Sealer::for_customer(regions, customer_id, *region)
        .await?
        .ok_or_else(AppError::unauthorized)?;
    let row = find_checkout(db, checkout_id).await?;
    // A closed checkout is left alone: the write that follows answers why it cannot change.
    if row.status == "open" && row.customer_id.as_deref() != Some(customer_id.as_str()) {
        let email = row.email.as_deref().map(|email| sealer.seal(email));
        let sealed_json = |address: Option<Address>| {
            address
                .map(|address| serde_json::to_string(&sealer.seal_address(&address)))
                .transpose()
        };
        let shipping = sealed_json(row.shipping_address())?;
        let billing = sealed_json(row.billing_address())?;
        store::set_customer(
            db,
            checkout_id,
            (customer_id, &region.to_string()),
            email.as_deref(),
            (shipping.as_deref(), billing.as_deref()),
        )
        .await?;
    }
    Ok(Some(sealer))
}

pub async fn update_contact(
    db: &AnyPool,
    checkout_id: &str,
    email: &str,
    sealer: Option<&Sealer>,
) -> AppResult<Checkout> {
    let email = email.trim();
    if !micro_app::rules::is_email(email) {
        return Err(AppError::validation(vec![AppError::field(
            "email",
            "invalid_format",
            "enter an email address like name@example.com",
        )]));
    }
    let email = sealer.map_or_else(|| email.to_owned(), |sealer| sealer.seal(email));
    let updated = store::set_email(db, checkout_id, &email).await?;
    after_update(db, checkout_id, updated).await
}

pub async fn update_addresses(
    db: &AnyPool,
    checkout_id: &str,
    shipping: &Address,
    billing: Option<&Address>,
    sealer: Option<&Sealer>,
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
    let option = row.shipping_option_id.as_deref().filter(|_| keep_option);
    let billing = billing.unwrap_or(shipping);
    let (shipping, billing) = match sealer {
        Some(sealer) => (sealer.seal_address(shipping), sealer.seal_address(billing)),
        None => (shipping.clone(), billing.clone()),
    };
    let updated = store::set_addresses(db, checkout_id, &shipping, &billing, option).await?;
    after_update(db, checkout_id, updated).await
}

pub async fn list_shipping_options(
    db: &AnyPool,
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

/// A kiosk order's checkout: collected at the counter, so nothing to ship.
pub async fn choose_collection(db: &AnyPool, checkout_id: &str) -> AppResult<Checkout> {
    let updated = store::set_shipping_option(db, checkout_id, COLLECT).await?;
    after_update(db, checkout_id, updated).await
}

pub async fn select_shipping_option(
    db: &AnyPool,
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
    let updated = store::set_shipping_option(db, checkout_id, option_id).await?;
    after_update(db, checkout_id, updated).await
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
