-- Marketplace connectors: one row per marketplace the shop sells on, with its health.
CREATE TABLE connectors (
    id                   TEXT PRIMARY KEY,
    display_name         TEXT NOT NULL,
    base_url             TEXT NOT NULL,
    paused               BIGINT NOT NULL DEFAULT 0,
    paused_reason        TEXT,
    poll_after           TEXT,    -- the newest marketplace `updatedAt` imported; polls overlap it
    last_success_at      TEXT,
    last_attempt_at      TEXT,
    last_error           TEXT,
    last_error_at        TEXT,
    consecutive_failures BIGINT NOT NULL DEFAULT 0,
    throttled_count      BIGINT NOT NULL DEFAULT 0,
    rate_limit_remaining BIGINT,
    buffer_percent       BIGINT NOT NULL DEFAULT 0,
    keep_back            BIGINT NOT NULL DEFAULT 0
);

-- Who did what to a connector, and why.
CREATE TABLE connector_actions (
    id           TEXT PRIMARY KEY,
    connector_id TEXT NOT NULL REFERENCES connectors(id),
    action       TEXT NOT NULL,
    actor        TEXT NOT NULL,
    reason       TEXT NOT NULL,
    at           TEXT NOT NULL
);

-- Marketplace orders, once each: the key is (connector, the marketplace's order id).
CREATE TABLE marketplace_orders (
    id            TEXT PRIMARY KEY,  -- also the order id of its lifecycle events
    connector_id  TEXT NOT NULL REFERENCES connectors(id),
    external_id   TEXT NOT NULL,
    status        TEXT NOT NULL,     -- received | accepted | rejected | cancelled
    source        TEXT NOT NULL,     -- notification | poll
    deliveries    BIGINT NOT NULL DEFAULT 1,
    currency      TEXT NOT NULL,
    lines         TEXT NOT NULL,     -- JSON [MarketplaceOrderLine]
    reason        TEXT,
    pending_call  TEXT,              -- acknowledge | cancel: a call the shop still owes the marketplace
    call_attempts BIGINT NOT NULL DEFAULT 0,
    call_after    TEXT,
    received_at   TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    UNIQUE (connector_id, external_id)
);
CREATE INDEX marketplace_orders_by_connector ON marketplace_orders(connector_id, received_at);

-- What each connector offers of each SKU and whether the marketplace has it.
CREATE TABLE connector_listings (
    connector_id       TEXT NOT NULL REFERENCES connectors(id),
    sku                TEXT NOT NULL,
    variant_id         TEXT NOT NULL,
    state              TEXT NOT NULL,  -- pending | live | rejected | superseded
    quantity           BIGINT NOT NULL,
    published_quantity BIGINT,
    reason             TEXT,
    attempts           BIGINT NOT NULL DEFAULT 0,
    next_attempt_at    TEXT,
    feed_id            TEXT,           -- the asynchronous feed carrying it (amazon)
    feed_quantity      BIGINT,
    updated_at         TEXT NOT NULL,
    published_at       TEXT,
    PRIMARY KEY (connector_id, sku)
);
CREATE INDEX connector_listings_pending ON connector_listings(connector_id, state, next_attempt_at);
