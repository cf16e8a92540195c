-- A signed-in customer's token names the customer by opaque id and home region only: their
-- personal data stays in that region's store.
ALTER TABLE tokens ADD COLUMN customer_id TEXT;
ALTER TABLE tokens ADD COLUMN customer_region TEXT;
CREATE INDEX tokens_by_customer ON tokens(customer_id);
