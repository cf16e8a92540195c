//! Customers' personal data, in their home region's store (`store::regions`): every function
//! takes that region's pool, never the global one.

use sqlx::{AnyPool, FromRow};

#[derive(FromRow, Clone)]
pub struct CustomerRow {
    pub id: String,
    pub email: String,
    pub name: String,
    pub country: String,
    pub password_hash: String,
    pub created_at: String,
}

pub struct NewCustomer<'a> {
    pub id: &'a str,
    pub email: &'a str,
    pub name: &'a str,
    pub country: &'a str,
    pub password_hash: &'a str,
}

/// The key an email is unique and found by.
pub fn email_key(email: &str) -> String {
    email.trim().to_lowercase()
}

/// Stores a new customer; `false` when the email already has an account in this region.
pub async fn insert(region: &AnyPool, customer: &NewCustomer<'_>) -> sqlx::Result<bool> {
    let inserted = sqlx::query(
        "INSERT INTO customers (id, email, email_key, name, country, password_hash, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
    )
    .bind(customer.id)
    .bind(customer.email.trim())
    .bind(email_key(customer.email))
    .bind(customer.name)
    .bind(customer.country)
    .bind(customer.password_hash)
    .bind(super::now())
    .execute(region)
    .await?;
    Ok(inserted.rows_affected() == 1)
}

pub async fn find_by_email(region: &AnyPool, email: &str) -> sqlx::Result<Option<CustomerRow>> {
    sqlx::query_as(
        "SELECT id, email, name, country, password_hash, created_at FROM customers
         WHERE email_key = $1",
    )
    .bind(email_key(email))
    .fetch_optional(region)
    .await
}

pub async fn find(region: &AnyPool, id: &str) -> sqlx::Result<Option<CustomerRow>> {
    sqlx::query_as(
        "SELECT id, email, name, country, password_hash, created_at FROM customers WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(region)
    .await
}

/// Erasure: the customer's personal data leaves the region's store.
pub async fn delete(region: &AnyPool, id: &str) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM customers WHERE id = $1")
        .bind(id)
        .execute(region)
        .await?;
    Ok(())
}

pub async fn addresses_of(
    region: &AnyPool,
    customer_id: &str,
) -> sqlx::Result<Vec<(String, String, String)>> {
    sqlx::query_as(
        "SELECT id, address, created_at FROM addresses WHERE customer_id = $1
         ORDER BY created_at DESC, id",
    )
    .bind(customer_id)
    .fetch_all(region)
    .await
}

/// Saves an address unless the customer already has `limit`; `false` when full.
pub async fn add_address(
    region: &AnyPool,
    customer_id: &str,
    id: &str,
    address_json: &str,
    limit: i64,
) -> sqlx::Result<bool> {
    let added = sqlx::query(
        "INSERT INTO addresses (id, customer_id, address, created_at)
         SELECT $1, $2, $3, $4
         WHERE (SELECT COUNT(*) FROM addresses WHERE customer_id = $2) < $5",
    )
    .bind(id)
    .bind(customer_id)
    .bind(address_json)
    .bind(super::now())
    .bind(limit)
    .execute(region)
    .await?;
    Ok(added.rows_affected() == 1)
}

/// `false` when the customer has no such address.
pub async fn delete_address(region: &AnyPool, customer_id: &str, id: &str) -> sqlx::Result<bool> {
    let deleted = sqlx::query("DELETE FROM addresses WHERE id = $1 AND customer_id = $2")
        .bind(id)
        .bind(customer_id)
        .execute(region)
        .await?;
    Ok(deleted.rows_affected() == 1)
}

pub async fn record_consent(
    region: &AnyPool,
    customer_id: &str,
    purpose: &str,
    granted: bool,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO consent_changes (id, customer_id, position, purpose, granted, at)
         VALUES ($1, $2,
                 (SELECT COALESCE(MAX(position), 0) + 1 FROM consent_changes WHERE customer_id = $2),
                 $3, $4, $5)",
    )
    .bind(super::new_id())
    .bind(customer_id)
    .bind(purpose)
    .bind(i64::from(granted))
    .bind(super::now())
    .execute(region)
    .await?;
    Ok(())
}

/// Every consent decision of the customer: (purpose, granted, at), newest first.
pub async fn consent_history(
    region: &AnyPool,
    customer_id: &str,
) -> sqlx::Result<Vec<(String, bool, String)>> {
    let rows: Vec<(String, i64, String)> = sqlx::query_as(
        "SELECT purpose, granted, at FROM consent_changes WHERE customer_id = $1
         ORDER BY position DESC",
    )
    .bind(customer_id)
    .fetch_all(region)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(purpose, granted, at)| (purpose, granted != 0, at))
        .collect())
}

/// The customer's sealing key (base64), or `None` once erased (or before their first sealing).
pub async fn key_of(region: &AnyPool, customer_id: &str) -> sqlx::Result<Option<String>> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT key FROM customer_keys WHERE customer_id = $1")
            .bind(customer_id)
            .fetch_optional(region)
            .await?;
    Ok(row.map(|(key,)| key))
}

/// Stores `key` as the customer's sealing key unless they have one (or are gone), and returns
/// the key that holds.
pub async fn ensure_key(
    region: &AnyPool,
    customer_id: &str,
    key: &str,
) -> sqlx::Result<Option<String>> {
    sqlx::query(
        "INSERT INTO customer_keys (customer_id, key, created_at)
         SELECT $1, $2, $3 WHERE EXISTS (SELECT 1 FROM customers WHERE id = $1)
         ON CONFLICT (customer_id) DO NOTHING",
    )
    .bind(customer_id)
    .bind(key)
    .bind(super::now())
    .execute(region)
    .await?;
    key_of(region, customer_id).await
}

/// The latest decision for one purpose; never decided is not granted.
pub async fn is_granted(region: &AnyPool, customer_id: &str, purpose: &str) -> sqlx::Result<bool> {
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT granted FROM consent_changes WHERE customer_id = $1 AND purpose = $2
         ORDER BY position DESC LIMIT 1",
    )
    .bind(customer_id)
    .bind(purpose)
    .fetch_optional(region)
    .await?;
    Ok(row.is_some_and(|(granted,)| granted != 0))
}

pub struct NewMail<'a> {
    pub customer_id: &'a str,
    pub event_id: &'a str,
    pub purpose: &'a str,
    pub recipient: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
}

/// Puts a mail in the outbox, once per event and purpose.
pub async fn insert_mail(region: &AnyPool, mail: &NewMail<'_>) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO mail (id, customer_id, event_id, purpose, recipient, subject, body, sent_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (event_id, purpose) DO NOTHING",
    )
    .bind(super::new_id())
    .bind(mail.customer_id)
    .bind(mail.event_id)
    .bind(mail.purpose)
    .bind(mail.recipient)
    .bind(mail.subject)
    .bind(mail.body)
    .bind(super::now())
    .execute(region)
    .await?;
    Ok(())
}

#[derive(FromRow)]
pub struct MailRow {
    pub id: String,
    pub purpose: String,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub sent_at: String,
}

/// The customer's mail, newest first.
pub async fn mail_of(region: &AnyPool, customer_id: &str) -> sqlx::Result<Vec<MailRow>> {
    sqlx::query_as(
        "SELECT id, purpose, recipient, subject, body, sent_at FROM mail WHERE customer_id = $1
         ORDER BY sent_at DESC, id",
    )
    .bind(customer_id)
    .fetch_all(region)
    .await
}
