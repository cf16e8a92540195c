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
