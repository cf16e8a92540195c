-- A signed-in customer's checkouts and orders name the customer by opaque id and home region
-- only. Their email and addresses in these rows are sealed with the customer's key, which lives
-- in the home region's store (`domain::sealing`): erasure deletes the key, and every sealed copy
-- here becomes unreadable without rewriting anything.
ALTER TABLE checkouts ADD COLUMN customer_id TEXT;
ALTER TABLE checkouts ADD COLUMN customer_region TEXT;
ALTER TABLE orders ADD COLUMN customer_id TEXT;
ALTER TABLE orders ADD COLUMN customer_region TEXT;
CREATE INDEX orders_by_customer ON orders(customer_id, placed_at);
