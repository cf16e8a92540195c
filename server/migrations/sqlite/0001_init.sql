-- Tessera reference store. Timestamps are RFC 3339 UTC text; money is integer minor units.
-- Nested contract shapes that are read and written whole (media, options, addresses, order
-- snapshots) are JSON columns holding the generated api-client types.

CREATE TABLE categories (
    slug        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    parent_slug TEXT,
    description TEXT,
    position    INTEGER NOT NULL
);

CREATE TABLE products (
    id            TEXT PRIMARY KEY,
    slug          TEXT NOT NULL UNIQUE,
    title         TEXT NOT NULL,
    brand         TEXT NOT NULL,
    description   TEXT NOT NULL,
    categories    TEXT NOT NULL, -- JSON array of category slugs
    media         TEXT NOT NULL, -- JSON [Media]
    options       TEXT NOT NULL, -- JSON [ProductOption]
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);

CREATE TABLE variants (
    id             TEXT PRIMARY KEY,
    product_id     TEXT NOT NULL REFERENCES products(id),
    sku            TEXT NOT NULL UNIQUE,
    option_values  TEXT NOT NULL, -- JSON [SelectedOption]
    price          INTEGER NOT NULL,
    compare_at     INTEGER,
    currency       TEXT NOT NULL,
    stock          INTEGER NOT NULL,
    preorder_date  TEXT,          -- set for preorder variants, which sell without stock
    image          TEXT,          -- JSON Media
    position       INTEGER NOT NULL
);
CREATE INDEX variants_by_product ON variants(product_id, position);

CREATE TABLE reviews (
    id          TEXT PRIMARY KEY,
    product_id  TEXT NOT NULL REFERENCES products(id),
    rating      INTEGER NOT NULL,
    title       TEXT,
    body        TEXT NOT NULL,
    author_name TEXT NOT NULL,
    verified    INTEGER NOT NULL,
    helpful     INTEGER NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX reviews_by_product ON reviews(product_id, created_at);

CREATE TABLE promotions (
    code           TEXT PRIMARY KEY, -- upper case
    description    TEXT NOT NULL,
    percent_off    INTEGER,
    amount_off     INTEGER,
    min_subtotal   INTEGER NOT NULL DEFAULT 0,
    expires_at     TEXT
);

CREATE TABLE tokens (
    token_hash  TEXT PRIMARY KEY, -- sha256 hex; tokens themselves are never stored
    role        TEXT NOT NULL,
    visitor_id  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT
);

CREATE TABLE carts (
    id             TEXT PRIMARY KEY,
    status         TEXT NOT NULL,
    version        INTEGER NOT NULL,
    currency       TEXT NOT NULL,
    promotion_code TEXT,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);

CREATE TABLE cart_lines (
    id          TEXT PRIMARY KEY,
    cart_id     TEXT NOT NULL REFERENCES carts(id),
    variant_id  TEXT NOT NULL REFERENCES variants(id),
    quantity    INTEGER NOT NULL,
    position    INTEGER NOT NULL
);
CREATE INDEX cart_lines_by_cart ON cart_lines(cart_id, position);

CREATE TABLE checkouts (
    id                 TEXT PRIMARY KEY,
    cart_id            TEXT NOT NULL REFERENCES carts(id),
    cart_version       INTEGER NOT NULL,
    status             TEXT NOT NULL,
    email              TEXT,
    shipping_address   TEXT, -- JSON Address
    billing_address    TEXT, -- JSON Address
    shipping_option_id TEXT,
    order_id           TEXT,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    expires_at         TEXT NOT NULL
);
CREATE INDEX checkouts_by_cart ON checkouts(cart_id);

CREATE TABLE payment_tokens (
    token       TEXT PRIMARY KEY,
    brand       TEXT NOT NULL,
    last4       TEXT NOT NULL,
    exp_month   INTEGER NOT NULL,
    exp_year    INTEGER NOT NULL,
    outcome     TEXT NOT NULL, -- what the simulated vault will answer: approve, decline, insufficient_funds, provider_error
    used_by     TEXT,          -- the order that consumed it
    expires_at  TEXT NOT NULL
);

CREATE TABLE orders (
    id            TEXT PRIMARY KEY,
    number        TEXT NOT NULL UNIQUE,
    checkout_id   TEXT NOT NULL,
    cart_id       TEXT NOT NULL,
    status        TEXT NOT NULL,
    email         TEXT NOT NULL,
    snapshot      TEXT NOT NULL, -- JSON of the order at placement (lines, addresses, totals, ...)
    payment_token TEXT NOT NULL,
    total         INTEGER NOT NULL,
    currency      TEXT NOT NULL,
    item_count    INTEGER NOT NULL,
    placed_at     TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX orders_by_placed ON orders(placed_at);

-- The append-only event log, which is also the outbox: an event is written in the same
-- transaction as the state change it records, and consumers read it back in sequence order.
CREATE TABLE events (
    sequence        INTEGER PRIMARY KEY AUTOINCREMENT,
    id              TEXT NOT NULL UNIQUE,
    order_id        TEXT NOT NULL,
    type            TEXT NOT NULL,
    schema_version  INTEGER NOT NULL,
    data            TEXT NOT NULL,
    occurred_at     TEXT NOT NULL
);
CREATE INDEX events_by_order ON events(order_id, sequence);
CREATE TRIGGER events_are_append_only_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_are_append_only_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;

-- Which consumer handled which event: written in the consumer's own transaction, so each
-- event's effects happen exactly once per consumer even across crashes and replays.
CREATE TABLE handled_events (
    consumer   TEXT NOT NULL,
    event_id   TEXT NOT NULL,
    handled_at TEXT NOT NULL,
    PRIMARY KEY (consumer, event_id)
);

CREATE TABLE consumer_failures (
    consumer        TEXT NOT NULL,
    event_id        TEXT NOT NULL,
    attempts        INTEGER NOT NULL,
    last_error      TEXT NOT NULL,
    first_failed_at TEXT NOT NULL,
    last_failed_at  TEXT NOT NULL,
    next_attempt_at TEXT NOT NULL,
    PRIMARY KEY (consumer, event_id)
);

CREATE TABLE dead_letters (
    id              TEXT PRIMARY KEY,
    consumer        TEXT NOT NULL,
    event_id        TEXT NOT NULL,
    attempts        INTEGER NOT NULL,
    last_error      TEXT NOT NULL,
    status          TEXT NOT NULL, -- parked, replayed, discarded
    first_failed_at TEXT NOT NULL,
    last_failed_at  TEXT NOT NULL,
    resolved_at     TEXT
);
CREATE INDEX dead_letters_by_status ON dead_letters(status, last_failed_at);

CREATE TABLE payments (
    id              TEXT PRIMARY KEY,
    order_id        TEXT NOT NULL,
    kind            TEXT NOT NULL,
    status          TEXT NOT NULL,
    amount          INTEGER NOT NULL,
    captured_amount INTEGER NOT NULL,
    currency        TEXT NOT NULL,
    decline_reason  TEXT,
    brand           TEXT NOT NULL,
    last4           TEXT NOT NULL,
    event_id        TEXT,
    created_at      TEXT NOT NULL
);
CREATE INDEX payments_by_order ON payments(order_id, created_at);

CREATE TABLE idempotency_keys (
    scope         TEXT NOT NULL, -- operation and caller
    key           TEXT NOT NULL,
    request_hash  TEXT NOT NULL,
    state         TEXT NOT NULL, -- pending while the first request runs, then done
    status        INTEGER,
    content_type  TEXT,
    location      TEXT,
    body          BLOB,
    created_at    TEXT NOT NULL,
    PRIMARY KEY (scope, key)
);

CREATE TABLE releases (
    app          TEXT NOT NULL,
    release_id   TEXT NOT NULL,
    version      TEXT NOT NULL,
    git_revision TEXT NOT NULL,
    built_at     TEXT NOT NULL,
    published_at TEXT NOT NULL,
    files        TEXT NOT NULL, -- JSON [ReleaseFileMeta]
    metadata     TEXT NOT NULL, -- the ReleaseMetadata as published, to detect conflicting re-publishes
    PRIMARY KEY (app, release_id)
);

CREATE TABLE release_files (
    app         TEXT NOT NULL,
    release_id  TEXT NOT NULL,
    path        TEXT NOT NULL,
    size        INTEGER NOT NULL,
    integrity   TEXT NOT NULL, -- sha384-<base64>
    etag        TEXT NOT NULL,
    uploaded_at TEXT NOT NULL,
    PRIMARY KEY (app, release_id, path)
);

CREATE TABLE rollout_revisions (
    app         TEXT NOT NULL,
    revision    INTEGER NOT NULL,
    seed        TEXT NOT NULL,
    entries     TEXT NOT NULL, -- JSON [RolloutEntry]
    stop        TEXT,          -- JSON StopCondition
    created_at  TEXT NOT NULL,
    PRIMARY KEY (app, revision)
);

CREATE TABLE release_events (
    sequence    INTEGER PRIMARY KEY AUTOINCREMENT,
    id          TEXT NOT NULL UNIQUE,
    app         TEXT NOT NULL,
    type        TEXT NOT NULL,
    release_id  TEXT,
    revision    INTEGER,
    data        TEXT NOT NULL,
    occurred_at TEXT NOT NULL
);

CREATE TABLE release_telemetry (
    app         TEXT NOT NULL,
    revision    INTEGER NOT NULL,
    release_id  TEXT NOT NULL,
    exposures   INTEGER NOT NULL DEFAULT 0,
    errors      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (app, revision, release_id)
);

CREATE TABLE load_timings (
    app         TEXT NOT NULL,
    revision    INTEGER NOT NULL,
    release_id  TEXT NOT NULL,
    millis      REAL NOT NULL
);
CREATE INDEX load_timings_by_release ON load_timings(app, revision, release_id);
