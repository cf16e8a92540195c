-- Saved addresses and consent decisions: personal data, so in the home region's store, and gone
-- with the customer (erasure deletes the customer row; these follow it).
CREATE TABLE addresses (
    id          TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    address     TEXT NOT NULL, -- JSON Address
    created_at  TEXT NOT NULL
);
CREATE INDEX addresses_by_customer ON addresses(customer_id, created_at);

-- Every consent decision, append-only: the current consent per purpose is the latest.
CREATE TABLE consent_changes (
    id          TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    position    BIGINT NOT NULL, -- per customer, 1, 2, ...: orders decisions made in one millisecond
    purpose     TEXT NOT NULL,
    granted     BIGINT NOT NULL,
    at          TEXT NOT NULL
);
CREATE INDEX consent_changes_by_customer ON consent_changes(customer_id, position);
