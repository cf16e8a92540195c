//! Server secrets: random keys made once per database (so every instance on it agrees) and never
//! sent to a client.

use sqlx::AnyPool;

/// The secret called `name`, created on first use from two v4 UUIDs (244 random bits), hex.
pub async fn secret(db: &AnyPool, name: &str) -> sqlx::Result<String> {
    let fresh = format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    );
    sqlx::query("INSERT INTO server_secrets (name, value) VALUES ($1, $2) ON CONFLICT DO NOTHING")
        .bind(name)
        .bind(fresh)
        .execute(db)
        .await?;
    let (value,): (String,) = sqlx::query_as("SELECT value FROM server_secrets WHERE name = $1")
        .bind(name)
        .fetch_one(db)
        .await?;
    Ok(value)
}
