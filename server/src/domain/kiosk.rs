//! The kiosks' policy: open unless an operator closed them (the kill switch), with the key kiosks
//! seal their orders' payments to; every change is kept, with who made it, for the audit trail.

use api_client::types::{KioskPolicy, KioskPolicyUpdate};
use sqlx::AnyPool;

use crate::domain::kiosk_orders::PaymentKey;
use crate::error::AppResult;
use crate::store::{self, kiosk::PolicyRow};

pub async fn policy(db: &AnyPool, key: &PaymentKey) -> AppResult<KioskPolicy> {
    let payment_key = Some(key.public().to_owned());
    Ok(match store::kiosk::policy(db).await? {
        Some(row) => KioskPolicy {
            open: row.open,
            message: row.message,
            updated_at: Some(row.changed_at),
            updated_by: Some(row.changed_by),
            payment_key,
        },
        None => KioskPolicy {
            open: true,
            message: None,
            updated_at: None,
            updated_by: None,
            payment_key,
        },
    })
}

pub async fn set_policy(
    db: &AnyPool,
    key: &PaymentKey,
    update: &KioskPolicyUpdate,
    actor: &str,
) -> AppResult<KioskPolicy> {
    let message = update
        .message
        .as_deref()
        .map(str::trim)
        .filter(|message| !message.is_empty())
        .map(str::to_owned);
    store::kiosk::change_policy(
        db,
        &PolicyRow {
            open: update.open,
            message,
            changed_at: store::now(),
            changed_by: actor.to_owned(),
        },
    )
    .await?;
    tracing::warn!(open = update.open, actor, "kiosk policy changed");
    policy(db, key).await
}
