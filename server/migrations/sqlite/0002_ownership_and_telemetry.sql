-- Ownership: a cart belongs to the session that created it (the SHA-256 of its bearer token);
-- its checkouts and orders belong to whoever owns the cart. Rows from before this migration have
-- no owner and are reachable by ops only.
ALTER TABLE carts ADD COLUMN owner TEXT;
CREATE INDEX carts_by_owner ON carts(owner);

-- Telemetry counts visitors, not beacons: one row per (revision, release, visitor, kind), so a
-- visitor is counted once per release and rollout revision however many beacons it sends.
-- `address` is where the visitor's first counted beacon came from, to cap visitors per address.
CREATE TABLE telemetry_visitors (
    app         TEXT NOT NULL,
    revision    INTEGER NOT NULL,
    release_id  TEXT NOT NULL,
    visitor_id  TEXT NOT NULL,
    kind        TEXT NOT NULL, -- exposure or error
    address     TEXT NOT NULL,
    at          TEXT NOT NULL,
    PRIMARY KEY (app, revision, release_id, visitor_id, kind)
);
CREATE INDEX telemetry_visitors_by_address ON telemetry_visitors(app, revision, address);

-- Which visitor each page-issued telemetry session speaks for: the first one it was used with.
CREATE TABLE telemetry_sessions (
    session_id  TEXT PRIMARY KEY,
    visitor_id  TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

-- Keys the server generates once per database and shares between its instances: the HMAC key
-- that signs telemetry sessions.
CREATE TABLE server_secrets (
    name   TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);
