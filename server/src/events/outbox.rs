//! The outbox's doorbell. Events are rows appended in the transaction of the change they record
//! (`store::events`); committing such a transaction through `Outbox::commit` wakes the
//! dispatcher and tells live order streams the newest sequence, so no caller has to remember to
//! relay it. A missed ring costs nothing but time: the dispatcher also polls, and streams fall
//! back to reading the log.

use std::sync::Arc;

use sqlx::{Any, Transaction};
use tokio::sync::{Notify, broadcast};

#[derive(Clone)]
pub struct Outbox {
    wake: Arc<Notify>,
    /// The relay to the event stream has a doorbell of its own: a `Notify` wakes one waiter.
    relay: Arc<Notify>,
    feed: broadcast::Sender<i64>,
}

impl Default for Outbox {
    fn default() -> Self {
        let (feed, _) = broadcast::channel(1024);
        Self {
            wake: Arc::new(Notify::new()),
            relay: Arc::new(Notify::new()),
            feed,
        }
    }
}

impl Outbox {
    /// Commits a transaction that appended events up to `last_sequence` (none: nothing to
    /// announce), then rings.
    pub async fn commit(
        &self,
        tx: Transaction<'static, Any>,
        last_sequence: Option<i64>,
    ) -> sqlx::Result<()> {
        tx.commit().await?;
        if let Some(sequence) = last_sequence {
            self.wake_dispatcher();
            self.relay.notify_one();
            // Nobody listening is fine: streams fall back to polling.
            let _ = self.feed.send(sequence);
        }
        Ok(())
    }

    /// Makes the dispatcher look for due events now (after ops replayed a dead letter, say).
    pub fn wake_dispatcher(&self) {
        self.wake.notify_one();
    }

    /// Resolves when someone rang since the dispatcher last looked.
    pub async fn rung(&self) {
        self.wake.notified().await;
    }

    /// Resolves when events were committed since the relay last looked.
    pub async fn relay_rung(&self) {
        self.relay.notified().await;
    }

    /// The sequence numbers of events committed from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<i64> {
        self.feed.subscribe()
    }
}
