//! Outbound webhook endpoints and their deliveries: one delivery per (endpoint, event), with its
//! attempts, schedule and outcome.

use api_client::types::{OrderEventType, WebhookDelivery, WebhookDeliveryStatus, WebhookEndpoint};
use sqlx::{AnyConnection, AnyPool, FromRow};

use crate::store::{new_id, now};

#[derive(FromRow)]
pub struct EndpointRow {
    pub id: String,
    pub url: String,
    pub description: Option<String>,
    pub secret: String,
    pub event_types: String,
    pub enabled: i64,
    pub disabled_reason: Option<String>,
    pub consecutive_failures: i64,
    pub created_at: String,
}

impl EndpointRow {
    pub fn is_enabled(&self) -> bool {
        self.enabled != 0
    }
}

impl EndpointRow {
    pub fn event_types(&self) -> Vec<OrderEventType> {
        serde_json::from_str(&self.event_types).unwrap_or_default()
    }

    /// The endpoint as ops see it; the secret only when `reveal` (the answer that created it).
    pub fn to_contract(&self, reveal: bool) -> WebhookEndpoint {
        WebhookEndpoint {
            id: self.id.clone(),
            url: self.url.clone(),
            description: self.description.clone(),
            enabled: self.is_enabled(),
            disabled_reason: self.disabled_reason.clone(),
            event_types: self.event_types(),
            consecutive_failures: self.consecutive_failures as i32,
            secret: reveal.then(|| self.secret.clone()),
            created_at: self.created_at.clone(),
        }
    }
}

#[derive(FromRow)]
pub struct DeliveryRow {
    pub id: String,
    pub endpoint_id: String,
    pub event_id: String,
    pub event_type: String,
    pub body: String,
    pub status: String,
    pub attempts: i64,
    pub next_attempt_at: Option<String>,
    pub last_status: Option<i64>,
    pub last_error: Option<String>,
    pub delivered_at: Option<String>,
    pub created_at: String,
}

impl DeliveryRow {
    pub fn to_contract(&self) -> WebhookDelivery {
        WebhookDelivery {
            id: self.id.clone(),
            endpoint_id: self.endpoint_id.clone(),
            event_id: self.event_id.clone(),
            event_type: self
                .event_type
                .parse()
                .unwrap_or(OrderEventType::OrderPlaced),
            status: self
                .status
                .parse()
                .unwrap_or(WebhookDeliveryStatus::Pending),
            attempts: self.attempts as i32,
            next_attempt_at: self.next_attempt_at.clone(),
            last_status: self.last_status.map(|status| status as i32),
            last_error: self.last_error.clone(),
            delivered_at: self.delivered_at.clone(),
            created_at: self.created_at.clone(),
        }
    }
}

pub async fn create_endpoint(
    db: &AnyPool,
    url: &str,
    description: Option<&str>,
    secret: &str,
    event_types: &[OrderEventType],
) -> sqlx::Result<EndpointRow> {
    sqlx::query_as(
        "INSERT INTO webhook_endpoints (id, url, description, secret, event_types, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING *",
    )
    .bind(new_id())
    .bind(url)
    .bind(description)
    .bind(secret)
    .bind(serde_json::to_string(event_types).unwrap_or_else(|_| "[]".to_owned()))
    .bind(now())
    .fetch_one(db)
    .await
}

pub async fn endpoints(db: &AnyPool) -> sqlx::Result<Vec<EndpointRow>> {
    sqlx::query_as("SELECT * FROM webhook_endpoints ORDER BY created_at, id")
        .fetch_all(db)
        .await
}

pub async fn find_endpoint(db: &AnyPool, id: &str) -> sqlx::Result<Option<EndpointRow>> {
    sqlx::query_as("SELECT * FROM webhook_endpoints WHERE id = $1")
        .bind(id)
        .fetch_optional(db)
        .await
}

/// Queues the event for every enabled endpoint that wants its type (once per endpoint, however
/// often this runs for the event).
pub async fn enqueue(
    connection: &mut AnyConnection,
    event_id: &str,
    event_type: OrderEventType,
    body: &str,
) -> sqlx::Result<()> {
    let wanted: Vec<(String, String)> =
        sqlx::query_as("SELECT id, event_types FROM webhook_endpoints WHERE enabled = 1")
            .fetch_all(&mut *connection)
            .await?;
    for (endpoint_id, types) in wanted {
        let types: Vec<OrderEventType> = serde_json::from_str(&types).unwrap_or_default();
        if !types.is_empty() && !types.contains(&event_type) {
            continue;
        }
        let at = now();
        sqlx::query(
            "INSERT INTO webhook_deliveries (id, endpoint_id, event_id, event_type, body,
             status, next_attempt_at, created_at) VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7) ON CONFLICT DO NOTHING",
        )
        .bind(new_id())
        .bind(&endpoint_id)
        .bind(event_id)
        .bind(event_type.to_string())
        .bind(body)
        .bind(&at)
        .bind(&at)
        .execute(&mut *connection)
        .await?;
    }
    Ok(())
}

/// Pending deliveries of enabled endpoints that are due, oldest first.
pub async fn due(db: &AnyPool, limit: i64) -> sqlx::Result<Vec<(DeliveryRow, String, String)>> {
    let rows: Vec<DeliveryRow> = sqlx::query_as(
        "SELECT d.* FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
         WHERE d.status = 'pending' AND e.enabled = 1 AND d.next_attempt_at <= $1
         ORDER BY d.next_attempt_at, d.created_at LIMIT $2",
    )
    .bind(now())
    .bind(limit)
    .fetch_all(db)
    .await?;
    let mut due = Vec::new();
    for row in rows {
        if let Some(endpoint) = find_endpoint(db, &row.endpoint_id).await? {
            due.push((row, endpoint.url, endpoint.secret));
        }
    }
    Ok(due)
}

pub async fn mark_delivered(db: &AnyPool, delivery: &DeliveryRow, status: u16) -> sqlx::Result<()> {
    let at = now();
    sqlx::query(
        "UPDATE webhook_deliveries SET status = 'delivered', attempts = attempts + 1, last_status = $1,
         last_error = NULL, delivered_at = $2, next_attempt_at = NULL WHERE id = $3",
    )
    .bind(i64::from(status))
    .bind(&at)
    .bind(&delivery.id)
    .execute(db)
    .await?;
    sqlx::query("UPDATE webhook_endpoints SET consecutive_failures = 0 WHERE id = $1")
        .bind(&delivery.endpoint_id)
        .execute(db)
        .await?;
    Ok(())
}

/// A failed attempt: retried at `retry_at`, or parked as `dead` when there is none. Returns the
/// endpoint's failures in a row.
pub async fn mark_failed(
    db: &AnyPool,
    delivery: &DeliveryRow,
    status: Option<u16>,
    error: &str,
    retry_at: Option<&str>,
) -> sqlx::Result<i64> {
    sqlx::query(
        "UPDATE webhook_deliveries SET attempts = attempts + 1, last_status = $1, last_error = $2,
         status = CASE WHEN $3 IS NULL THEN 'dead' ELSE 'pending' END, next_attempt_at = $4 WHERE id = $5",
    )
    .bind(status.map(i64::from))
    .bind(error)
    .bind(retry_at)
    .bind(retry_at)
    .bind(&delivery.id)
    .execute(db)
    .await?;
    let (failures,): (i64,) = sqlx::query_as(
        "UPDATE webhook_endpoints SET consecutive_failures = consecutive_failures + 1 WHERE id = $1
         RETURNING consecutive_failures",
    )
    .bind(&delivery.endpoint_id)
    .fetch_one(db)
    .await?;
    Ok(failures)
}

pub async fn disable_endpoint(db: &AnyPool, id: &str, reason: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE webhook_endpoints SET enabled = 0, disabled_reason = $1 WHERE id = $2")
        .bind(reason)
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn deliveries(
    db: &AnyPool,
    endpoint_id: &str,
    offset: i64,
    limit: i64,
) -> sqlx::Result<Vec<DeliveryRow>> {
    sqlx::query_as(
        "SELECT * FROM webhook_deliveries WHERE endpoint_id = $1 ORDER BY created_at DESC, id
         LIMIT $2 OFFSET $3",
    )
    .bind(endpoint_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(db)
    .await
}

/// Makes an endpoint's delivery of an event due again (its dead letter was replayed).
pub async fn rearm(db: &AnyPool, endpoint_id: &str, event_id: &str) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = $1
         WHERE endpoint_id = $2 AND event_id = $3 AND status = 'dead'",
    )
    .bind(now())
    .bind(endpoint_id)
    .bind(event_id)
    .execute(db)
    .await?;
    Ok(())
}

/// Makes one delivery of an endpoint due now, whatever its status; a dead one starts its
/// schedule again. Its id stays, so a receiver still sees one event.
pub async fn resend(
    db: &AnyPool,
    endpoint_id: &str,
    delivery_id: &str,
) -> sqlx::Result<Option<DeliveryRow>> {
    sqlx::query_as(
        "UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = $1,
         attempts = CASE WHEN status = 'dead' THEN 0 ELSE attempts END
         WHERE id = $2 AND endpoint_id = $3 RETURNING *",
    )
    .bind(now())
    .bind(delivery_id)
    .bind(endpoint_id)
    .fetch_optional(db)
    .await
}
