//! The event stream for instances that share one database (`EVENT_BUS_URL=nats://…`): NATS
//! JetStream carries the outbox to every instance's consumers.
//!
//! - The relay publishes each outbox row that has no `published_events` row yet, with the
//!   event id as `Nats-Msg-Id` (the stream drops a second copy within its duplicate window, so a
//!   relay that dies between publishing and recording cannot publish twice), and records it
//!   once the stream acknowledged. While NATS is down, rows simply stay unpublished and the relay
//!   catches up when it answers again: no event is lost.
//! - One stream per domain (`ORDERS`, `PAYMENTS`, `INVENTORY`, `MARKETPLACES`), subjects
//!   `<namespace>.<domain>.<EventType>`; the namespace (`tessera` unless `EVENT_BUS_NAMESPACE`
//!   says otherwise) prefixes stream names too, so several shops (or test servers) can share
//!   one NATS.
//! - Each consumer is a durable pull consumer per stream it reads, shared by all instances (the
//!   stream hands each message to one of them), with explicit acks. A failure is recorded as in
//!   the embedded dispatcher and the message redelivered after the same backoff (`Nak` with a
//!   delay); after the configured attempts it is parked as a dead letter in the database, which
//!   the ops API lists, replays and discards, and terminated on the stream, which keeps flowing.
//!   A message an instance took but never acknowledged (it was killed) goes to another after
//!   `event_ack_wait`. Effects stay exactly-once through `handled_events`.

use std::time::Duration;

use anyhow::{Context as _, Result};
use api_client::types::{OrderEvent, OrderEventType};
use async_nats::jetstream::message::PublishMessage;
use async_nats::jetstream::{self, AckKind, Context, consumer, stream};
use futures_util::StreamExt;
use tokio::sync::watch;

use crate::events::consumers::{ALL, Consumer};
use crate::events::dispatcher::{self, Processed};
use crate::state::AppState;
use crate::store::events::{self, EventRow};

/// Streams by name, with the domain their subjects carry.
pub const STREAMS: [(&str, &str); 5] = [
    ("ORDERS", "orders"),
    ("PAYMENTS", "payments"),
    ("INVENTORY", "inventory"),
    ("MARKETPLACES", "marketplaces"),
    ("CUSTOMERS", "customers"),
];

const RELAY_BATCH: i64 = 64;

/// The domain stream an event type belongs to.
pub fn domain(kind: OrderEventType) -> &'static str {
    use OrderEventType as Type;
    match kind {
        Type::OrderPlaced | Type::OrderConfirmed | Type::OrderCancelled => "orders",
        Type::PaymentAuthorized
        | Type::PaymentDeclined
        | Type::PaymentRetried
        | Type::RefundProcessed => "payments",
        Type::InventoryReserved | Type::InventoryShortfall => "inventory",
        Type::MarketplaceOrderReceived
        | Type::MarketplaceOrderAccepted
        | Type::MarketplaceOrderRejected
        | Type::MarketplaceOrderCancelled
        | Type::ReconciliationCompleted
        | Type::ReconciliationFixApplied => "marketplaces",
        Type::ConsentGiven | Type::ConsentWithdrawn => "customers",
    }
}

/// Stream and subject names within one namespace.
#[derive(Clone)]
pub struct Names {
    namespace: String,
}

impl Names {
    pub fn new(namespace: &str) -> Names {
        Names {
            namespace: namespace.to_owned(),
        }
    }

    pub fn subject(&self, kind: OrderEventType) -> String {
        format!("{}.{}.{kind}", self.namespace, domain(kind))
    }

    pub fn stream(&self, name: &str) -> String {
        format!("{}_{name}", self.namespace.to_uppercase())
    }
}

/// Connects and makes sure the streams exist; a NATS that does not answer, or answers without
/// JetStream, is an error that says how to start one.
pub async fn connect(url: &str, names: &Names) -> Result<Context> {
    let hint = "start one with `nats-server -js` (or `cargo xtask serve --scale`), or unset \
                EVENT_BUS_URL to run the events in process";
    let client = async_nats::ConnectOptions::new()
        .connection_timeout(Duration::from_secs(5))
        .connect(url)
        .await
        .with_context(|| format!("cannot reach NATS at {url}: {hint}"))?;
    let jetstream = jetstream::new(client);
    for (name, domain) in STREAMS {
        jetstream
            .get_or_create_stream(stream::Config {
                name: names.stream(name),
                subjects: vec![format!("{}.{domain}.>", names.namespace)],
                storage: stream::StorageType::File,
                duplicate_window: Duration::from_secs(120),
                ..Default::default()
            })
            .await
            .with_context(|| format!("NATS at {url} has no JetStream for stream {name}: {hint}"))?;
    }
    Ok(jetstream)
}

/// Starts the relay and every consumer; they stop when `shutdown` turns true.
pub fn spawn(
    state: &AppState,
    jetstream: &Context,
    names: &Names,
    shutdown: &watch::Receiver<bool>,
) -> Vec<tokio::task::JoinHandle<()>> {
    let mut tasks = vec![tokio::spawn(relay(
        state.clone(),
        jetstream.clone(),
        names.clone(),
        shutdown.clone(),
    ))];
    for consumer in ALL {
        for (stream_name, domain) in STREAMS {
            if consumer
                .subscriptions()
                .iter()
                .any(|kind| self::domain(*kind) == domain)
            {
                tasks.push(tokio::spawn(consume(
                    state.clone(),
                    jetstream.clone(),
                    consumer,
                    (names.stream(stream_name), domain),
                    shutdown.clone(),
                )));
            }
        }
    }
    tasks
}

async fn relay(
    state: AppState,
    jetstream: Context,
    names: Names,
    mut shutdown: watch::Receiver<bool>,
) {
    while !*shutdown.borrow() {
        match relay_once(&state, &jetstream, &names).await {
            Ok(relayed) if relayed > 0 => continue,
            Ok(_) => {}
            Err(error) => tracing::warn!(
                "relay: {error:#}; the events wait in the outbox until the stream answers"
            ),
        }
        tokio::select! {
            () = state.outbox.relay_rung() => {}
            () = tokio::time::sleep(Duration::from_millis(250)) => {}
            _ = shutdown.changed() => {}
        }
    }
}

/// Publishes one batch of unpublished events; returns how many. All of a batch is sent before
/// the first acknowledgement is awaited (one round trip per batch, not per event); an event is
/// recorded as published only once the stream acknowledged it.
async fn relay_once(state: &AppState, jetstream: &Context, names: &Names) -> Result<usize> {
    let pending = events::unpublished(&state.db, RELAY_BATCH).await?;
    let mut acknowledgements = Vec::with_capacity(pending.len());
    for event in &pending {
        let contract = event.to_contract();
        let payload = serde_json::to_vec(&contract)?;
        let acknowledgement = jetstream
            .send_publish(
                names.subject(contract.type_),
                PublishMessage::build()
                    .payload(payload.into())
                    .message_id(&event.id),
            )
            .await
            .context("publishing")?;
        acknowledgements.push((event, acknowledgement));
    }
    for (event, acknowledgement) in acknowledgements {
        let ack = acknowledgement
            .await
            .context("waiting for the stream to store it")?;
        events::mark_published(&state.db, &event.id).await?;
        tracing::debug!(event = %event.id, stream = %ack.stream, duplicate = ack.duplicate, "event relayed");
    }
    Ok(pending.len())
}

/// `payments-orders`: the payments consumer's position in the ORDERS stream.
fn durable_name(consumer: Consumer, domain: &str) -> String {
    format!("{}-{domain}", consumer.name())
}

/// Runs one consumer on one stream until shutdown, re-attaching after a lost connection.
async fn consume(
    state: AppState,
    jetstream: Context,
    consumer: Consumer,
    (stream_name, domain): (String, &'static str),
    mut shutdown: watch::Receiver<bool>,
) {
    while !*shutdown.borrow() {
        let attached = consume_until_broken(
            &state,
            &jetstream,
            consumer,
            (&stream_name, domain),
            &mut shutdown,
        )
        .await;
        if let Err(error) = attached {
            tracing::warn!(consumer = consumer.name(), stream = %stream_name, "event stream: {error:#}; re-attaching");
        }
        tokio::select! {
            () = tokio::time::sleep(Duration::from_secs(1)) => {}
            _ = shutdown.changed() => {}
        }
    }
}

async fn consume_until_broken(
    state: &AppState,
    jetstream: &Context,
    consumer: Consumer,
    (stream_name, domain): (&str, &str),
    shutdown: &mut watch::Receiver<bool>,
) -> Result<()> {
    let durable = durable_name(consumer, domain);
    let config = consumer::pull::Config {
        durable_name: Some(durable.clone()),
        ack_policy: consumer::AckPolicy::Explicit,
        ack_wait: state.config.event_ack_wait,
        // Parking happens in `dispatcher::process` after the configured attempts; the stream's
        // own limit is the backstop for a message that kills its handler.
        max_deliver: i64::from(state.config.consumer_max_attempts) + 2,
        ..Default::default()
    };
    let stream = jetstream.get_stream(stream_name).await?;
    let mut pull = stream
        .get_or_create_consumer(&durable, config.clone())
        .await?;
    let current = &pull.cached_info().config;
    if current.ack_wait != config.ack_wait || current.max_deliver != config.max_deliver {
        // An instance restarted with other settings: creating the durable again updates it
        // (it keeps its position).
        match stream.create_consumer(config).await {
            Ok(updated) => pull = updated,
            Err(error) => {
                tracing::warn!(consumer = %durable, "keeping the stream's older settings for this consumer: {error}")
            }
        }
    }
    let mut messages = pull.messages().await?;
    loop {
        let message = tokio::select! {
            message = messages.next() => message,
            _ = shutdown.changed() => return Ok(()),
        };
        let Some(message) = message else {
            anyhow::bail!("the message stream ended");
        };
        let message = message?;
        let reply = deliver(state, consumer, &message.payload).await;
        message
            .ack_with(reply)
            .await
            .map_err(|error| anyhow::anyhow!("acknowledging: {error}"))?;
    }
}

/// Handles one message and says how to answer the stream.
async fn deliver(state: &AppState, consumer: Consumer, payload: &[u8]) -> AckKind {
    let event: OrderEvent = match serde_json::from_slice(payload) {
        Ok(event) => event,
        Err(error) => {
            // Not an event of ours: no handler can ever take it, so keep the stream flowing.
            tracing::error!(
                consumer = consumer.name(),
                "undecodable message dropped: {error}"
            );
            return AckKind::Term;
        }
    };
    if !consumer.subscriptions().contains(&event.type_) {
        return AckKind::Ack;
    }
    match dispatcher::process(state, consumer, &EventRow::from_contract(&event)).await {
        Ok(Processed::Handled) => AckKind::Ack,
        Ok(Processed::RetryIn(delay)) => AckKind::Nak(Some(delay)),
        Ok(Processed::Parked) => AckKind::Term,
        Err(error) => {
            // The database did not answer: the message comes back.
            tracing::warn!(consumer = consumer.name(), event = %event.id, "event not processed: {error:#}");
            AckKind::Nak(Some(Duration::from_secs(1)))
        }
    }
}
