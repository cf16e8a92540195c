//! The kiosks' policy as the operators' changes to it: the last one is in force.

use sqlx::AnyPool;

pub struct PolicyRow {
    pub open: bool,
    pub message: Option<String>,
    pub changed_at: String,
    pub changed_by: String,
}

pub async fn policy(db: &AnyPool) -> sqlx::Result<Option<PolicyRow>> {
    let row: Option<(i64, Option<String>, String, String)> = sqlx::query_as(
        "SELECT is_open, message, changed_at, changed_by FROM kiosk_policy_changes \
         ORDER BY seq DESC LIMIT 1",
    )
    .fetch_optional(db)
    .await?;
    Ok(
        row.map(|(open, message, changed_at, changed_by)| PolicyRow {
            open: open != 0,
            message,
            changed_at,
            changed_by,
        }),
    )
}

pub async fn change_policy(db: &AnyPool, policy: &PolicyRow) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO kiosk_policy_changes (is_open, message, changed_at, changed_by) \
         VALUES ($1, $2, $3, $4)",
    )
    .bind(i64::from(policy.open))
    .bind(policy.message.as_deref())
    .bind(&policy.changed_at)
    .bind(&policy.changed_by)
    .execute(db)
    .await?;
    Ok(())
}
