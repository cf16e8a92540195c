//! Customer accounts: sign-up in the home region the country decides, sign-in across regions,
//! the profile, the export of everything stored, and erasure. Passwords are hashed with argon2id
//! (the `argon2` crate's defaults); a customer's token is a shopper token that names the customer
//! by id and region, so nothing global holds their personal data.

use std::time::Duration;

use api_client::types::{
    Address, Consent, ConsentChange, ConsentChangedData, ConsentPurpose, Consents, Customer,
    CustomerExport, CustomerSession, Mail, Order, OrderEventType, OrderSummary, SavedAddress,
};
use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::http::StatusCode;

use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::store::carts;
use crate::store::customers::{self, CustomerRow, NewCustomer};
use crate::store::events::append_event_of_type;
use crate::store::orders::{self, OrderFilter};
use crate::store::regions::{self, HomeRegion};
use crate::store::{later, new_id, now, tokens};

const SESSION_LIFETIME: Duration = Duration::from_secs(30 * 24 * 3600);
/// Saved addresses per customer.
const ADDRESS_BOOK_SIZE: i64 = 20;
const PURPOSES: [ConsentPurpose; 3] = [
    ConsentPurpose::OrderUpdates,
    ConsentPurpose::MarketingEmail,
    ConsentPurpose::Personalisation,
];

pub struct SignUp<'a> {
    pub email: &'a str,
    pub password: &'a str,
    pub name: &'a str,
    pub country: &'a str,
}

/// Signs a new customer up; `adopt` is the shopper session whose carts become theirs.
pub async fn sign_up(
    state: &AppState,
    request: &SignUp<'_>,
    adopt: Option<&str>,
) -> AppResult<CustomerSession> {
    if request.name.trim().is_empty() {
        return Err(AppError::validation(vec![AppError::field(
            "name",
            "required",
            "a name of more than spaces",
        )]));
    }
    // One account per email across regions: a customer who moved countries signs in, not up.
    if find_anywhere(state, request.email).await?.is_some() {
        return Err(email_taken());
    }
    let region = regions::home_region_of(request.country);
    let id = new_id();
    let password_hash = hash_password(request.password)?;
    let stored = customers::insert(
        state.regions.store(region),
        &NewCustomer {
            id: &id,
            email: request.email,
            name: request.name.trim(),
            country: request.country,
            password_hash: &password_hash,
        },
    )
    .await?;
    if !stored {
        return Err(email_taken());
    }
    let row = customers::find(state.regions.store(region), &id)
        .await?
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("customer {id} vanished")))?;
    open_session(state, &row, region, adopt).await
}

pub async fn sign_in(
    state: &AppState,
    email: &str,
    password: &str,
    adopt: Option<&str>,
) -> AppResult<CustomerSession> {
    let Some((row, region)) = find_anywhere(state, email).await? else {
        // The same work and the same answer as a wrong password: no account enumeration.
        let _ = hash_password(password);
        return Err(invalid_credentials());
    };
    let hash = PasswordHash::new(&row.password_hash)
        .map_err(|error| AppError::internal(anyhow::anyhow!("stored password hash: {error}")))?;
    if Argon2::default()
        .verify_password(password.as_bytes(), &hash)
        .is_err()
    {
        return Err(invalid_credentials());
    }
    open_session(state, &row, region, adopt).await
}

/// The signed-in customer's profile; 401 for a token that signed in no customer (or one erased).
pub async fn me(state: &AppState, customer: Option<&(String, HomeRegion)>) -> AppResult<Customer> {
    let (row, region) = signed_in(state, customer).await?;
    Ok(to_contract(&row, region))
}

pub async fn export(
    state: &AppState,
    customer: Option<&(String, HomeRegion)>,
) -> AppResult<CustomerExport> {
    let (row, region) = signed_in(state, customer).await?;
    let mut orders = Vec::new();
    for summary in orders_of(state, &row.id, 0, i64::MAX).await? {
        orders.push(orders::load_order(&state.db, &summary.id).await?);
    }
    Ok(CustomerExport {
        exported_at: now(),
        addresses: saved_addresses(state, &row.id, region).await?,
        consents: consents_of(state, &row.id, region).await?,
        orders: export_orders(orders),
        mail: mail_of(state, &row.id, region).await?,
        customer: to_contract(&row, region),
    })
}

/// The export's orders without their event timelines: those are the shop's log, not personal
/// data, and the order's status already says where it stands.
fn export_orders(mut orders: Vec<Order>) -> Vec<Order> {
    for order in &mut orders {
        order.timeline.clear();
    }
    orders
}

/// The customer's orders, newest first, `limit` from `offset`.
pub async fn orders(
    state: &AppState,
    customer: Option<&(String, HomeRegion)>,
    offset: i64,
    limit: i64,
) -> AppResult<Vec<OrderSummary>> {
    let (row, _) = signed_in(state, customer).await?;
    orders_of(state, &row.id, offset, limit).await
}

async fn orders_of(
    state: &AppState,
    customer_id: &str,
    offset: i64,
    limit: i64,
) -> AppResult<Vec<OrderSummary>> {
    let filter = OrderFilter {
        statuses: &[],
        email: None,
        customer_id: Some(customer_id),
        placed_from: None,
        placed_to: None,
    };
    Ok(orders::list_orders(&state.db, &filter, offset, limit).await?)
}

pub async fn mail(
    state: &AppState,
    customer: Option<&(String, HomeRegion)>,
) -> AppResult<Vec<Mail>> {
    let (row, region) = signed_in(state, customer).await?;
    mail_of(state, &row.id, region).await
}

async fn mail_of(state: &AppState, customer_id: &str, region: HomeRegion) -> AppResult<Vec<Mail>> {
    let rows = customers::mail_of(state.regions.store(region), customer_id).await?;
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            Some(Mail {
                purpose: row.purpose.parse().ok()?,
                id: row.id,
                to: row.recipient,
                subject: row.subject,
                body: row.body,
                sent_at: row.sent_at,
            })
        })
        .collect())
}

pub async fn addresses(
    state: &AppState,
    customer: Option<&(String, HomeRegion)>,
) -> AppResult<Vec<SavedAddress>> {
    let (row, region) = signed_in(state, customer).await?;
    saved_addresses(state, &row.id, region).await
}

/// Saves an address checked by the same rules as a checkout's.
pub async fn save_address(
    state: &AppState,
    customer: Option<&(String, HomeRegion)>,
    address: &Address,
) -> AppResult<SavedAddress> {
    let (row, region) = signed_in(state, customer).await?;
    let errors = super::checkouts::validate_address(address, "");
    if !errors.is_empty() {
        return Err(AppError::validation(errors));
    }
    let id = new_id();
    let json = serde_json::to_string(address)?;
    let store = state.regions.store(region);
    if !customers::add_address(store, &row.id, &id, &json, ADDRESS_BOOK_SIZE).await? {
        return Err(AppError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "address-book-full",
            "Address book full",
        )
        .detail(format!(
            "delete one of your {ADDRESS_BOOK_SIZE} saved addresses first"
        )));
    }
    saved_addresses(state, &row.id, region)
        .await?
        .into_iter()
        .find(|saved| saved.id == id)
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("saved address {id} vanished")))
}

pub async fn delete_address(
    state: &AppState,
    customer: Option<&(String, HomeRegion)>,
    address_id: &str,
) -> AppResult<()> {
    let (row, region) = signed_in(state, customer).await?;
    if customers::delete_address(state.regions.store(region), &row.id, address_id).await? {
        Ok(())
    } else {
        Err(AppError::not_found("address"))
    }
}

pub async fn consents(
    state: &AppState,
    customer: Option<&(String, HomeRegion)>,
) -> AppResult<Consents> {
    let (row, region) = signed_in(state, customer).await?;
    consents_of(state, &row.id, region).await
}

pub async fn set_consent(
    state: &AppState,
    customer: Option<&(String, HomeRegion)>,
    purpose: ConsentPurpose,
    granted: bool,
) -> AppResult<Consents> {
    let (row, region) = signed_in(state, customer).await?;
    let store = state.regions.store(region);
    customers::record_consent(store, &row.id, &purpose.to_string(), granted).await?;
    announce_consent(state, &row.id, region, purpose, granted).await?;
    consents_of(state, &row.id, region).await
}

/// `ConsentGiven` or `ConsentWithdrawn` on the event log, for subscribers (webhooks, the event
/// stream): the customer by opaque id and region, no personal data. Mail is sent by the
/// decision recorded in the region, so an event that arrives late never mails against it.
async fn announce_consent(
    state: &AppState,
    customer_id: &str,
    region: HomeRegion,
    purpose: ConsentPurpose,
    granted: bool,
) -> AppResult<()> {
    let kind = if granted {
        OrderEventType::ConsentGiven
    } else {
        OrderEventType::ConsentWithdrawn
    };
    let mut tx = state.writer.begin().await?;
    let data = ConsentChangedData { purpose, region };
    let sequence = append_event_of_type(&mut tx, customer_id, kind, &data).await?;
    state.outbox.commit(tx, Some(sequence)).await?;
    Ok(())
}

async fn saved_addresses(
    state: &AppState,
    customer_id: &str,
    region: HomeRegion,
) -> AppResult<Vec<SavedAddress>> {
    let rows = customers::addresses_of(state.regions.store(region), customer_id).await?;
    rows.into_iter()
        .map(|(id, json, created_at)| {
            Ok(SavedAddress {
                id,
                address: serde_json::from_str(&json)?,
                created_at,
            })
        })
        .collect()
}

/// The latest decision per purpose (a purpose never decided is not granted) and the history.
async fn consents_of(
    state: &AppState,
    customer_id: &str,
    region: HomeRegion,
) -> AppResult<Consents> {
    let rows = customers::consent_history(state.regions.store(region), customer_id).await?;
    let history: Vec<ConsentChange> = rows
        .into_iter()
        .filter_map(|(purpose, granted, at)| {
            Some(ConsentChange {
                purpose: purpose.parse().ok()?,
                granted,
                at,
            })
        })
        .collect();
    let current = PURPOSES
        .iter()
        .map(|purpose| {
            let latest = history.iter().find(|change| change.purpose == *purpose);
            Consent {
                purpose: *purpose,
                granted: latest.is_some_and(|change| change.granted),
                decided_at: latest.map(|change| change.at.clone()),
            }
        })
        .collect();
    Ok(Consents { current, history })
}

/// Deletes the personal data from the home region, then every token of the customer.
pub async fn erase(state: &AppState, customer: Option<&(String, HomeRegion)>) -> AppResult<()> {
    let (row, region) = signed_in(state, customer).await?;
    customers::delete(state.regions.store(region), &row.id).await?;
    tokens::revoke_customer(&state.db, &row.id).await?;
    tracing::info!(customer = %row.id, region = %region, "customer erased");
    Ok(())
}

async fn signed_in(
    state: &AppState,
    customer: Option<&(String, HomeRegion)>,
) -> AppResult<(CustomerRow, HomeRegion)> {
    let (id, region) = customer.ok_or_else(not_a_customer)?;
    let row = customers::find(state.regions.store(*region), id)
        .await?
        .ok_or_else(not_a_customer)?;
    Ok((row, *region))
}

async fn find_anywhere(
    state: &AppState,
    email: &str,
) -> AppResult<Option<(CustomerRow, HomeRegion)>> {
    for region in regions::ALL_REGIONS {
        if let Some(row) = customers::find_by_email(state.regions.store(region), email).await? {
            return Ok(Some((row, region)));
        }
    }
    Ok(None)
}

async fn open_session(
    state: &AppState,
    row: &CustomerRow,
    region: HomeRegion,
    adopt: Option<&str>,
) -> AppResult<CustomerSession> {
    let token = tokens::generate();
    let expires_at = later(SESSION_LIFETIME);
    tokens::insert_customer_token(&state.db, &token, &row.id, region, &expires_at).await?;
    if let Some(shopper) = adopt {
        carts::transfer_owner(&state.db, shopper, &tokens::hash(&token)).await?;
    }
    Ok(CustomerSession {
        token,
        expires_at,
        customer: to_contract(row, region),
    })
}

fn hash_password(password: &str) -> AppResult<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|error| AppError::internal(anyhow::anyhow!("hashing a password: {error}")))
}

fn to_contract(row: &CustomerRow, region: HomeRegion) -> Customer {
    Customer {
        id: row.id.clone(),
        email: row.email.clone(),
        name: row.name.clone(),
        country: row.country.clone(),
        region,
        created_at: row.created_at.clone(),
    }
}

fn email_taken() -> AppError {
    AppError::conflict(
        "email-taken",
        "Email already registered",
        "an account with this email exists: sign in instead",
    )
}

fn invalid_credentials() -> AppError {
    AppError::new(
        StatusCode::UNAUTHORIZED,
        "invalid-credentials",
        "Email or password is wrong",
    )
}

fn not_a_customer() -> AppError {
    AppError::unauthorized().detail("sign in as a customer (POST /v1/customers/sign-in)")
}
