//! The kiosks' policy as the operators' changes to it: the last one is in force.

use sqlx::AnyPool;

/// Who wrote the demo shop's starting policy: a seed, not an operator's action for the audit trail.
pub const SEEDED_BY: &str = "demo data";

pub struct PolicyRow {
    pub open: bool,
    pub message: Option<String>,
    /// The JSON of the pickup `Address`.
    pub pickup_address: Option<String>,
    pub changed_at: String,
    pub changed_by: String,
}

/// is_open, message, pickup_address, changed_at, changed_by.
type PolicyColumns = (i64, Option<String>, Option<String>, String, String);

pub async fn policy(db: &AnyPool) -> sqlx::Result<Option<PolicyRow>> {
    let row: Option<PolicyColumns> = sqlx::query_as(
        "SELECT is_open, message, pickup_address, changed_at, changed_by \
         FROM kiosk_policy_changes ORDER BY seq DESC LIMIT 1",
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(
        |(open, message, pickup_address, changed_at, changed_by)| PolicyRow {
            open: open != 0,
            message,
            pickup_address,
            changed_at,
            changed_by,
        },
    ))
}

pub async fn change_policy(db: &AnyPool, policy: &PolicyRow) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO kiosk_policy_changes \
         (is_open, message, pickup_address, changed_at, changed_by) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(i64::from(policy.open))
    .bind(policy.message.as_deref())
    .bind(policy.pickup_address.as_deref())
    .bind(&policy.changed_at)
    .bind(&policy.changed_by)
    .execute(db)
    .await?;
    Ok(())
}
