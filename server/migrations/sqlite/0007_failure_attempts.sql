-- Every failed attempt of a consumer (or a connector's owed call) at an event, so a dead
-- letter shows its whole history, not only the last error.
CREATE TABLE failure_attempts (
    consumer  TEXT NOT NULL,
    event_id  TEXT NOT NULL,
    error     TEXT NOT NULL,
    failed_at TEXT NOT NULL
);
CREATE INDEX failure_attempts_by_event ON failure_attempts(consumer, event_id, failed_at);
