-- Events the relay has handed to the event stream (only when one is configured): the outbox
-- rows still to publish are the events without a row here. One row per event, so each is
-- published once per outbox row; the stream's `Nats-Msg-Id` de-duplication covers a relay that
-- died between publishing and recording it.
CREATE TABLE published_events (
    event_id     TEXT PRIMARY KEY,
    published_at TEXT NOT NULL
);
