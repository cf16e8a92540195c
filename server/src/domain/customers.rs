//! Customer accounts: sign-up in the home region the country decides, sign-in across regions,
//! the profile, the export of everything stored, and erasure. Passwords are hashed with argon2id
//! (the `argon2` crate's defaults); a customer's token is a shopper token that names the customer
//! by id and region, so nothing global holds their personal data.

use std::time::Duration;

use api_client::types::{Customer, CustomerExport, CustomerSession, HomeRegion as Region};
use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::http::StatusCode;

use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::store::customers::{self, CustomerRow, NewCustomer};
use crate::store::regions::HomeRegion;
use crate::store::{later, new_id, now, tokens};

const SESSION_LIFETIME: Duration = Duration::from_secs(30 * 24 * 3600);

pub struct SignUp<'a> {
    pub email: &'a str,
    pub password: &'a str,
    pub name: &'a str,
    pub country: &'a str,
}

pub async fn sign_up(state: &AppState, request: &SignUp<'_>) -> AppResult<CustomerSession> {
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
    let region = HomeRegion::of_country(request.country);
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
    open_session(state, &row, region).await
}

pub async fn sign_in(state: &AppState, email: &str, password: &str) -> AppResult<CustomerSession> {
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
    open_session(state, &row, region).await
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
    Ok(CustomerExport {
        exported_at: now(),
        customer: to_contract(&row, region),
    })
}

/// Deletes the personal data from the home region, then every token of the customer.
pub async fn erase(state: &AppState, customer: Option<&(String, HomeRegion)>) -> AppResult<()> {
    let (row, region) = signed_in(state, customer).await?;
    customers::delete(state.regions.store(region), &row.id).await?;
    tokens::revoke_customer(&state.db, &row.id).await?;
    tracing::info!(customer = %row.id, region = region.as_str(), "customer erased");
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
    for region in HomeRegion::ALL {
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
) -> AppResult<CustomerSession> {
    let token = tokens::generate();
    let expires_at = later(SESSION_LIFETIME);
    tokens::insert_customer_token(&state.db, &token, &row.id, region, &expires_at).await?;
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
        region: match region {
            HomeRegion::Eu => Region::Eu,
            HomeRegion::Us => Region::Us,
        },
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
