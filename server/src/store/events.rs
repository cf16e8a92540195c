//! The append-only event log, which doubles as the outbox: events are inserted in the same
//! transaction as the state change they record (a trigger forbids updates and deletes), read back
//! in sequence order by consumers, ops and order streams.

use api_client::types::{
    EventData, EventLine, InventoryReservedData, InventoryShortfallData,
    MarketplaceOrderAcceptedData, MarketplaceOrderCancelledData, MarketplaceOrderReceivedData,
    MarketplaceOrderRejectedData, OrderCancelledData, OrderConfirmedData, OrderEvent,
    OrderEventType, OrderLine, OrderPlacedData, PaymentAuthorizedData, PaymentDeclinedData,
    PaymentRetriedData, ReconciliationCompletedData, ReconciliationFixAppliedData,
    RefundProcessedData,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use sqlx::{AnyConnection, AnyPool, FromRow};

use crate::store::{new_id, now};

/// Version of the `data` shapes written today; consumers tolerate unknown fields.
pub const SCHEMA_VERSION: i32 = 1;

#[derive(FromRow)]
pub struct EventRow {
    pub sequence: i64,
    pub id: String,
    pub order_id: String,
    #[sqlx(rename = "type")]
    pub kind: String,
    pub schema_version: i64,
    pub data: String,
    pub occurred_at: String,
}

impl EventRow {
    pub fn data(&self) -> Map<String, Value> {
        serde_json::from_str(&self.data).unwrap_or_default()
    }

    /// The event's payload as its contract type (fields this version does not know are
    /// ignored); `None` when the event is of another type or its data does not fit.
    pub fn payload<P: EventPayload>(&self) -> Option<P> {
        (self.kind == P::TYPE.to_string())
            .then(|| serde_json::from_str(&self.data).ok())
            .flatten()
    }

    /// The row an event on the stream was published from.
    pub fn from_contract(event: &OrderEvent) -> EventRow {
        EventRow {
            sequence: event.sequence,
            id: event.id.clone(),
            order_id: event.order_id.clone(),
            kind: event.type_.to_string(),
            schema_version: i64::from(event.schema_version),
            data: serde_json::to_string(&event.data.0).unwrap_or_default(),
            occurred_at: event.occurred_at.clone(),
        }
    }

    pub fn to_contract(&self) -> OrderEvent {
        OrderEvent {
            id: self.id.clone(),
            sequence: self.sequence,
            order_id: self.order_id.clone(),
            type_: self.kind.parse().unwrap_or(OrderEventType::OrderPlaced),
            schema_version: self.schema_version as i32,
            occurred_at: self.occurred_at.clone(),
            data: EventData(self.data()),
        }
    }
}

/// A contract event payload and the event type it is the `data` of, so an event can never be
/// appended with another type's payload.
pub trait EventPayload: Serialize + DeserializeOwned {
    const TYPE: OrderEventType;
}

macro_rules! event_payloads {
    ($($payload:ident => $kind:ident),* $(,)?) => {
        $(impl EventPayload for $payload {
            const TYPE: OrderEventType = OrderEventType::$kind;
        })*
    };
}

event_payloads! {
    OrderPlacedData => OrderPlaced,
    PaymentAuthorizedData => PaymentAuthorized,
    PaymentDeclinedData => PaymentDeclined,
    PaymentRetriedData => PaymentRetried,
    InventoryReservedData => InventoryReserved,
    InventoryShortfallData => InventoryShortfall,
    OrderConfirmedData => OrderConfirmed,
    RefundProcessedData => RefundProcessed,
    OrderCancelledData => OrderCancelled,
    MarketplaceOrderReceivedData => MarketplaceOrderReceived,
    MarketplaceOrderAcceptedData => MarketplaceOrderAccepted,
    MarketplaceOrderRejectedData => MarketplaceOrderRejected,
    MarketplaceOrderCancelledData => MarketplaceOrderCancelled,
    ReconciliationCompletedData => ReconciliationCompleted,
    ReconciliationFixAppliedData => ReconciliationFixApplied,
}

/// Order lines as inventory events carry them.
pub fn event_lines(lines: &[OrderLine]) -> Vec<EventLine> {
    lines
        .iter()
        .map(|line| EventLine {
            variant_id: line.variant_id.clone(),
            sku: line.sku.clone(),
            quantity: line.quantity,
        })
        .collect()
}

/// Appends an event inside the caller's transaction and returns its sequence number.
pub async fn append_event<P: EventPayload>(
    connection: &mut AnyConnection,
    order_id: &str,
    payload: &P,
) -> sqlx::Result<i64> {
    append_event_of_type(connection, order_id, P::TYPE, payload).await
}

/// [`append_event`] for a payload that more than one event type shares (`ConsentChangedData`).
pub async fn append_event_of_type(
    connection: &mut AnyConnection,
    order_id: &str,
    kind: OrderEventType,
    payload: &impl Serialize,
) -> sqlx::Result<i64> {
    let data = serde_json::to_string(payload).map_err(|error| sqlx::Error::Encode(error.into()))?;
    let (sequence,): (i64,) = sqlx::query_as(
        "INSERT INTO events (id, order_id, type, schema_version, data, occurred_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING sequence",
    )
    .bind(new_id())
    .bind(order_id)
    .bind(kind.to_string())
    .bind(SCHEMA_VERSION)
    .bind(data)
    .bind(now())
    .fetch_one(connection)
    .await?;
    Ok(sequence)
}

/// How many events of each type the log holds: the revenue flow's counters (append-only, so
/// they only grow).
pub async fn counts_by_type(db: &AnyPool) -> sqlx::Result<Vec<(String, i64)>> {
    sqlx::query_as("SELECT type, COUNT(*) FROM events GROUP BY type ORDER BY type")
        .fetch_all(db)
        .await
}

/// The id of an order's newest event.
pub async fn latest_event_of_order(db: &AnyPool, order_id: &str) -> sqlx::Result<Option<String>> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT id FROM events WHERE order_id = $1 ORDER BY sequence DESC LIMIT 1")
            .bind(order_id)
            .fetch_optional(db)
            .await?;
    Ok(row.map(|(id,)| id))
}

pub async fn find_event(db: &AnyPool, event_id: &str) -> sqlx::Result<Option<EventRow>> {
    sqlx::query_as("SELECT * FROM events WHERE id = $1")
        .bind(event_id)
        .fetch_optional(db)
        .await
}

pub async fn events_of_order(
    connection: &mut AnyConnection,
    order_id: &str,
    after: i64,
) -> sqlx::Result<Vec<EventRow>> {
    sqlx::query_as("SELECT * FROM events WHERE order_id = $1 AND sequence > $2 ORDER BY sequence")
        .bind(order_id)
        .bind(after)
        .fetch_all(connection)
        .await
}

pub async fn list_events(
    db: &AnyPool,
    after: i64,
    limit: i64,
    order_id: Option<&str>,
    kinds: &[OrderEventType],
) -> sqlx::Result<Vec<EventRow>> {
    let kinds: Vec<String> = kinds.iter().map(ToString::to_string).collect();
    let rows: Vec<EventRow> = sqlx::query_as(
        "SELECT * FROM events WHERE sequence > $1 AND ($2 IS NULL OR order_id = $3)
         ORDER BY sequence",
    )
    .bind(after)
    .bind(order_id)
    .bind(order_id)
    .fetch_all(db)
    .await?;
    // Type filtering happens here: SQLite has no array binds, and the log is scanned in order.
    Ok(rows
        .into_iter()
        .filter(|row| kinds.is_empty() || kinds.contains(&row.kind))
        .take(limit as usize)
        .collect())
}

/// Which unhandled events `pending_for` lists.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Pending {
    /// Every one: the in-process dispatcher delivers them all.
    All,
    /// Only those ops replayed from a dead letter: with an event stream, it delivers the rest,
    /// but it already gave up on these.
    Replayed,
}

/// Events a consumer has not handled yet, have no parked dead letter, and are due for a try.
pub async fn pending_for(
    db: &AnyPool,
    consumer: &str,
    kinds: &[OrderEventType],
    which: Pending,
    limit: i64,
) -> sqlx::Result<Vec<EventRow>> {
    let kinds: Vec<String> = kinds.iter().map(ToString::to_string).collect();
    // `$1`..`$3` are fixed; the event types follow as `$4`, `$5`, ...
    let placeholders = (4..4 + kinds.len())
        .map(|position| format!("${position}"))
        .collect::<Vec<_>>()
        .join(", ");
    let replayed = match which {
        Pending::All => "",
        Pending::Replayed => {
            "AND EXISTS (SELECT 1 FROM dead_letters r WHERE r.consumer = $1 AND r.event_id = e.id AND r.status = 'replayed')"
        }
    };
    let sql = format!(
        "SELECT e.* FROM events e
         WHERE e.type IN ({placeholders})
           AND NOT EXISTS (SELECT 1 FROM handled_events h WHERE h.consumer = $1 AND h.event_id = e.id)
           AND NOT EXISTS (SELECT 1 FROM dead_letters d WHERE d.consumer = $1 AND d.event_id = e.id AND d.status = 'parked')
           AND NOT EXISTS (SELECT 1 FROM consumer_failures f WHERE f.consumer = $1 AND f.event_id = e.id AND f.next_attempt_at > $2)
           {replayed}
         ORDER BY e.sequence LIMIT $3"
    );
    let mut query = sqlx::query_as(&sql).bind(consumer).bind(now()).bind(limit);
    for kind in &kinds {
        query = query.bind(kind);
    }
    query.fetch_all(db).await
}

/// Events appended but not yet handled by every consumer that subscribes to them.
pub async fn outbox_lag(
    db: &AnyPool,
    subscriptions: &[(&str, &[OrderEventType])],
) -> sqlx::Result<i64> {
    let mut lag = 0;
    for (consumer, kinds) in subscriptions {
        lag += pending_for(db, consumer, kinds, Pending::All, i64::MAX)
            .await?
            .len() as i64;
    }
    Ok(lag)
}

/// Events not yet handed to the event stream, oldest first.
pub async fn unpublished(db: &AnyPool, limit: i64) -> sqlx::Result<Vec<EventRow>> {
    sqlx::query_as(
        "SELECT e.* FROM events e
         WHERE NOT EXISTS (SELECT 1 FROM published_events p WHERE p.event_id = e.id)
         ORDER BY e.sequence LIMIT $1",
    )
    .bind(limit)
    .fetch_all(db)
    .await
}

/// How many events wait for the relay.
pub async fn count_unpublished(db: &AnyPool) -> sqlx::Result<i64> {
    let (count,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM events e
         WHERE NOT EXISTS (SELECT 1 FROM published_events p WHERE p.event_id = e.id)",
    )
    .fetch_one(db)
    .await?;
    Ok(count)
}

/// The event stream stored the event.
pub async fn mark_published(db: &AnyPool, event_id: &str) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO published_events (event_id, published_at) VALUES ($1, $2)
         ON CONFLICT DO NOTHING",
    )
    .bind(event_id)
    .bind(now())
    .execute(db)
    .await?;
    Ok(())
}
