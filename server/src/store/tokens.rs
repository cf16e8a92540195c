//! Bearer tokens: random, shown to their owner once, stored only as SHA-256 hashes with a role.

use sha2::{Digest, Sha256};
use sqlx::AnyPool;

use super::regions::HomeRegion;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Shopper,
    Ops,
    /// Reads what ops read (connectors, reconciliations, webhooks); acts on nothing.
    OpsViewer,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Shopper => "shopper",
            Role::Ops => "ops",
            Role::OpsViewer => "ops-viewer",
        }
    }
}

pub fn hash(token: &str) -> String {
    format!("{:x}", Sha256::digest(token.as_bytes()))
}

/// A new random token: 256 bits from two v4 UUIDs' random parts, hex encoded.
pub fn generate() -> String {
    format!(
        "ts_{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    )
}

/// What a live token stands for: its role, and the customer it signed in (by id and home region).
pub struct Holder {
    pub role: Role,
    pub customer: Option<(String, HomeRegion)>,
}

pub async fn holder_of(db: &AnyPool, token_hash: &str) -> sqlx::Result<Option<Holder>> {
    let row: Option<(String, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT role, customer_id, customer_region FROM tokens
         WHERE token_hash = $1 AND (expires_at IS NULL OR expires_at > $2)",
    )
    .bind(token_hash)
    .bind(super::now())
    .fetch_optional(db)
    .await?;
    Ok(row.map(|(role, customer_id, region)| Holder {
        role: match role.as_str() {
            "ops" => Role::Ops,
            "ops-viewer" => Role::OpsViewer,
            _ => Role::Shopper,
        },
        customer: customer_id.zip(region.and_then(|region| region.parse().ok())),
    }))
}

/// A shopper token for a signed-in customer.
pub async fn insert_customer_token(
    db: &AnyPool,
    token: &str,
    customer_id: &str,
    region: HomeRegion,
    expires_at: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO tokens (token_hash, role, visitor_id, created_at, expires_at, customer_id, customer_region)
         VALUES ($1, 'shopper', $2, $3, $4, $5, $6)",
    )
    .bind(hash(token))
    .bind(uuid::Uuid::new_v4().to_string())
    .bind(super::now())
    .bind(expires_at)
    .bind(customer_id)
    .bind(region.to_string())
    .execute(db)
    .await?;
    Ok(())
}

/// Sign-out: this token stops working.
pub async fn revoke(db: &AnyPool, token_hash: &str) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM tokens WHERE token_hash = $1")
        .bind(token_hash)
        .execute(db)
        .await?;
    Ok(())
}

/// Erasure: every token of the customer stops working.
pub async fn revoke_customer(db: &AnyPool, customer_id: &str) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM tokens WHERE customer_id = $1")
        .bind(customer_id)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn insert_token(
    db: &AnyPool,
    token: &str,
    role: Role,
    visitor_id: &str,
    expires_at: Option<&str>,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO tokens (token_hash, role, visitor_id, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
    )
    .bind(hash(token))
    .bind(role.as_str())
    .bind(visitor_id)
    .bind(super::now())
    .bind(expires_at)
    .execute(db)
    .await?;
    Ok(())
}

/// Makes `token` the only token of an operator `role` (so rotating it revokes the old one).
pub async fn replace_role_token(db: &AnyPool, role: Role, token: &str) -> sqlx::Result<()> {
    let mut tx = db.begin().await?;
    sqlx::query("DELETE FROM tokens WHERE role = $1 AND token_hash <> $2")
        .bind(role.as_str())
        .bind(hash(token))
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO tokens (token_hash, role, visitor_id, created_at, expires_at)
         VALUES ($1, $2, $3, $4, NULL) ON CONFLICT DO NOTHING",
    )
    .bind(hash(token))
    .bind(role.as_str())
    .bind(role.as_str())
    .bind(super::now())
    .execute(&mut *tx)
    .await?;
    tx.commit().await
}

/// Makes the operator's token the only ops token when one is configured (so rotating it revokes
/// the old one), or makes sure one exists. Returns a newly generated token (to print once) when the
/// database had none and the operator configured none.
pub async fn ensure_ops_token(
    db: &AnyPool,
    configured: Option<&str>,
) -> sqlx::Result<Option<String>> {
    if let Some(token) = configured {
        replace_role_token(db, Role::Ops, token).await?;
        return Ok(None);
    }
    let (existing,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM tokens WHERE role = 'ops'")
        .fetch_one(db)
        .await?;
    if existing > 0 {
        return Ok(None);
    }
    let token = generate();
    insert_token(db, &token, Role::Ops, "ops", None).await?;
    Ok(Some(token))
}
