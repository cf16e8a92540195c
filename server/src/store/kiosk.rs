//! The kiosks' policy: one row (id 1), absent until an operator first sets it.

use sqlx::AnyPool;

pub struct PolicyRow {
    pub open: bool,
    pub message: Option<String>,
    pub updated_at: String,
    pub updated_by: String,
}

pub async fn policy(db: &AnyPool) -> sqlx::Result<Option<PolicyRow>> {
    let row: Option<(i64, Option<String>, String, String)> = sqlx::query_as(
        "SELECT is_open, message, updated_at, updated_by FROM kiosk_policy WHERE id = 1",
    )
    .fetch_optional(db)
    .await?;
    Ok(
        row.map(|(open, message, updated_at, updated_by)| PolicyRow {
            open: open != 0,
            message,
            updated_at,
            updated_by,
        }),
    )
}

pub async fn set_policy(db: &AnyPool, policy: &PolicyRow) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO kiosk_policy (id, is_open, message, updated_at, updated_by) \
         VALUES (1, $1, $2, $3, $4) \
         ON CONFLICT (id) DO UPDATE SET is_open = excluded.is_open, message = excluded.message, \
         updated_at = excluded.updated_at, updated_by = excluded.updated_by",
    )
    .bind(i64::from(policy.open))
    .bind(policy.message.as_deref())
    .bind(&policy.updated_at)
    .bind(&policy.updated_by)
    .execute(db)
    .await?;
    Ok(())
}
