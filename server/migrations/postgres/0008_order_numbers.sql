-- Order numbers come from a counter row that each placement bumps and reads back in its own
-- transaction. Counting orders instead serializes only where the database admits one writer:
-- on Postgres two placements would count the same rows and take the same number.
CREATE TABLE order_numbers (
    id   BIGINT PRIMARY KEY CHECK (id = 1),
    last BIGINT NOT NULL
);
INSERT INTO order_numbers (id, last) SELECT 1, 100000 + COUNT(*) FROM orders;
