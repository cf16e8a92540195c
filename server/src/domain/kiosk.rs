//! The kiosks' policy: open unless an operator closed them (the kill switch), where their orders
//! are collected, and the key kiosks seal their orders' payments to; every change is kept, with
//! who made it, for the audit trail.

use api_client::types::{Address, KioskPolicy, KioskPolicyUpdate};
use sqlx::AnyPool;

use crate::domain::kiosk_orders::PaymentKey;
use crate::error::{AppError, AppResult};
use crate::store::{self, kiosk::PolicyRow};

pub async fn policy(db: &AnyPool, key: &PaymentKey) -> AppResult<KioskPolicy> {
    let payment_key = Some(key.public().to_owned());
    Ok(match store::kiosk::policy(db).await? {
        Some(row) => KioskPolicy {
            open: row.open,
            message: row.message,
            pickup_address: address_of(row.pickup_address.as_deref())?,
            updated_at: Some(row.changed_at),
            updated_by: Some(row.changed_by),
            payment_key,
        },
        None => KioskPolicy {
            open: true,
            message: None,
            pickup_address: None,
            updated_at: None,
            updated_by: None,
            payment_key,
        },
    })
}

fn address_of(json: Option<&str>) -> AppResult<Option<Address>> {
    json.map(serde_json::from_str)
        .transpose()
        .map_err(|error| AppError::internal(anyhow::anyhow!("stored pickup address: {error}")))
}

/// Where kiosk orders are collected now; `None` while operators have set nowhere.
pub async fn pickup_address(db: &AnyPool) -> AppResult<Option<Address>> {
    let row = store::kiosk::policy(db).await?;
    address_of(row.and_then(|row| row.pickup_address).as_deref())
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
    // Left out, the pickup address in force stays: closing kiosks does not move the counter.
    let pickup_address = match &update.pickup_address {
        Some(address) => Some(
            serde_json::to_string(address).map_err(|e| AppError::internal(anyhow::anyhow!(e)))?,
        ),
        None => store::kiosk::policy(db)
            .await?
            .and_then(|row| row.pickup_address),
    };
    store::kiosk::change_policy(
        db,
        &PolicyRow {
            open: update.open,
            message,
            pickup_address,
            changed_at: store::now(),
            changed_by: actor.to_owned(),
        },
    )
    .await?;
    tracing::warn!(open = update.open, actor, "kiosk policy changed");
    policy(db, key).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counter(name: &str) -> Address {
        Address {
            name: name.into(),
            line1: "2 Pier Street".into(),
            line2: None,
            city: "Oakland".into(),
            region: Some("CA".into()),
            postal_code: "94607".into(),
            country: "US".into(),
            phone: None,
        }
    }

    #[tokio::test]
    async fn the_pickup_address_stays_until_an_operator_sets_another() {
        let folder = std::env::temp_dir().join(format!("tessera-kiosk-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&folder);
        std::fs::create_dir_all(&folder).unwrap();
        let db = store::connect(&store::Database::Sqlite(folder.join("shop.db")), 2)
            .await
            .unwrap();
        let key = PaymentKey::of_database(&db).await.unwrap();
        assert_eq!(pickup_address(&db).await.unwrap(), None, "none until set");

        let update = |open: bool, pickup: Option<Address>| KioskPolicyUpdate {
            open,
            message: None,
            pickup_address: pickup,
        };
        let set = set_policy(&db, &key, &update(true, Some(counter("Pier"))), "ops:a")
            .await
            .unwrap();
        assert_eq!(set.pickup_address, Some(counter("Pier")));
        let closed = set_policy(&db, &key, &update(false, None), "ops:a")
            .await
            .unwrap();
        assert!(!closed.open);
        assert_eq!(
            closed.pickup_address,
            Some(counter("Pier")),
            "closing keeps it"
        );
        set_policy(&db, &key, &update(true, Some(counter("Dock"))), "ops:b")
            .await
            .unwrap();
        assert_eq!(pickup_address(&db).await.unwrap(), Some(counter("Dock")));
        db.close().await;
        let _ = std::fs::remove_dir_all(&folder);
    }
}
