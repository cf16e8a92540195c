//! The order lifecycle as event consumers. Each consumer subscribes to event types, handles each
//! event in its own transaction together with the record that it handled it (so effects happen
//! exactly once), and may append further events. The dispatcher retries failures with backoff
//! and parks an event as a dead letter after the configured number of attempts.

pub mod consumers;
pub mod dispatcher;
pub mod outbox;
pub mod stream;
