//! Order notifications pushed to the shop: `POST <shop>/v1/marketplaces/<marketplace>/notifications`
//! with the order in the body, signed as Standard Webhooks (`webhook-id`, `webhook-timestamp`,
//! `webhook-signature: v1,<base64 HMAC-SHA256 of id.timestamp.body>`). Like real marketplaces it
//! retries a failed delivery a few times and then gives up (the seller's poller has to find the
//! order), and the faults drop or duplicate some.

use std::time::Duration;

use serde::Serialize;
use time::OffsetDateTime;

use crate::Simulator;
use crate::market::{Kind, Order};

/// Delivery attempts of one notification before the marketplace gives up on it.
const ATTEMPTS: u32 = 3;

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Notification {
    pub notification_id: String,
    pub marketplace: String,
    /// `order_created`, `order_cancelled`.
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(with = "time::serde::rfc3339")]
    pub occurred_at: OffsetDateTime,
    pub order: Order,
}

impl Simulator {
    /// Sends a notification in the background, unless the faults drop it; a duplicate is the
    /// same notification (same id) delivered a second time.
    pub(crate) fn notify(&self, kind: Kind, what: &str, order: &Order) {
        let Some(target) = self.webhook() else {
            return;
        };
        let copies = {
            let mut market = self.market(kind);
            if fastrand::f64() < market.faults.drop_notifications {
                market.stats.notifications_dropped += 1;
                return;
            }
            if fastrand::f64() < market.faults.duplicate_notifications {
                market.stats.notifications_duplicated += 1;
                2_u64
            } else {
                1
            }
        };
        let notification = Notification {
            notification_id: uuid::Uuid::new_v4().to_string(),
            marketplace: kind.name().to_owned(),
            kind: what.to_owned(),
            occurred_at: OffsetDateTime::now_utc(),
            order: order.clone(),
        };
        let body = serde_json::to_vec(&notification).expect("serializable");
        let url = format!(
            "{}/v1/marketplaces/{}/notifications",
            target.base_url.trim_end_matches('/'),
            kind.name()
        );
        for copy in 0..copies {
            let simulator = self.clone();
            let (url, body, secret) = (url.clone(), body.clone(), target.secret.clone());
            let id = notification.notification_id.clone();
            tokio::spawn(async move {
                // The duplicate arrives a little later, as redeliveries do.
                tokio::time::sleep(Duration::from_millis(150 * copy)).await;
                simulator.deliver(kind, &url, &id, &body, &secret).await;
            });
        }
    }

    async fn deliver(&self, kind: Kind, url: &str, id: &str, body: &[u8], secret: &str) {
        for attempt in 1..=ATTEMPTS {
            match self.post_signed(url, id, body, secret).await {
                Ok(()) => {
                    self.market(kind).stats.notifications_sent += 1;
                    return;
                }
                Err(error) => {
                    tracing::warn!(%url, attempt, "notification not delivered: {error}");
                    tokio::time::sleep(Duration::from_millis(500 * u64::from(attempt))).await;
                }
            }
        }
    }

    async fn post_signed(
        &self,
        url: &str,
        id: &str,
        body: &[u8],
        secret: &str,
    ) -> anyhow::Result<()> {
        let timestamp = OffsetDateTime::now_utc().unix_timestamp();
        let signature = standardwebhooks::Webhook::new(secret)?.sign(id, timestamp, body)?;
        let response = self
            .http
            .post(url)
            .header("content-type", "application/json")
            .header("webhook-id", id)
            .header("webhook-timestamp", timestamp.to_string())
            .header("webhook-signature", signature)
            .body(body.to_vec())
            .send()
            .await?;
        if response.status().is_success() {
            Ok(())
        } else {
            anyhow::bail!("HTTP {}", response.status())
        }
    }
}
