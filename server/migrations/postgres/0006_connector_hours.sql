-- Failed and throttled requests per connector per hour, for the console's charts. Orders per
-- hour are read from `marketplace_orders` itself.
CREATE TABLE connector_hours (
    connector_id TEXT NOT NULL REFERENCES connectors(id),
    hour         TEXT NOT NULL,  -- `YYYY-MM-DDTHH:00:00.000Z`
    errors       BIGINT NOT NULL DEFAULT 0,
    throttled    BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (connector_id, hour)
);
