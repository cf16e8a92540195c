-- What each connector offers an SKU at, published with its stock.
ALTER TABLE connector_listings ADD COLUMN price INTEGER;

-- A call owed to a marketplace that failed too often waits as a dead letter until ops replay it.
ALTER TABLE marketplace_orders ADD COLUMN call_parked INTEGER NOT NULL DEFAULT 0;

-- Who resolved a dead letter, and why.
ALTER TABLE dead_letters ADD COLUMN resolved_by TEXT;
ALTER TABLE dead_letters ADD COLUMN resolution_reason TEXT;

-- Reconciliation runs and the differences each found, with the fix ops applied.
CREATE TABLE reconciliation_runs (
    id                TEXT PRIMARY KEY,  -- also the order id of its events
    connector_id      TEXT NOT NULL REFERENCES connectors(id),
    status            TEXT NOT NULL,     -- queued | running | completed | failed
    trigger           TEXT NOT NULL,     -- schedule | ops
    requested_by      TEXT,
    listings_compared INTEGER NOT NULL DEFAULT 0,
    orders_compared   INTEGER NOT NULL DEFAULT 0,
    error             TEXT,
    requested_at      TEXT NOT NULL,
    finished_at       TEXT,
    duration_ms       INTEGER
);
CREATE INDEX reconciliation_runs_by_connector ON reconciliation_runs(connector_id, requested_at);

CREATE TABLE reconciliation_differences (
    id                   TEXT PRIMARY KEY,
    run_id               TEXT NOT NULL REFERENCES reconciliation_runs(id),
    position             INTEGER NOT NULL,
    kind                 TEXT NOT NULL,
    sku                  TEXT,
    marketplace_order_id TEXT,
    ours                 TEXT,
    theirs               TEXT,
    order_json           TEXT,   -- the marketplace's order, for fixes that import it
    suggested_fix        TEXT NOT NULL,
    fixed                INTEGER NOT NULL DEFAULT 0,
    fixed_at             TEXT,
    fixed_by             TEXT,
    fix_reason           TEXT
);
CREATE INDEX reconciliation_differences_by_run ON reconciliation_differences(run_id, position);

-- Outbound webhooks: subscribers and one delivery per (endpoint, event).
CREATE TABLE webhook_endpoints (
    id                   TEXT PRIMARY KEY,
    url                  TEXT NOT NULL,
    description          TEXT,
    secret               TEXT NOT NULL,
    event_types          TEXT NOT NULL,  -- JSON [OrderEventType]; empty: all
    enabled              INTEGER NOT NULL DEFAULT 1,
    disabled_reason      TEXT,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    created_at           TEXT NOT NULL
);

CREATE TABLE webhook_deliveries (
    id              TEXT PRIMARY KEY,
    endpoint_id     TEXT NOT NULL REFERENCES webhook_endpoints(id),
    event_id        TEXT NOT NULL,
    event_type      TEXT NOT NULL,
    body            TEXT NOT NULL,
    status          TEXT NOT NULL,  -- pending | delivered | dead
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT,
    last_status     INTEGER,
    last_error      TEXT,
    delivered_at    TEXT,
    created_at      TEXT NOT NULL,
    UNIQUE (endpoint_id, event_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(status, next_attempt_at);
