-- A region's store: the personal data of the customers whose home region it is. Nothing global
-- (catalog, orders, events, marketplaces) lives here, and nothing here lives anywhere else.
CREATE TABLE customers (
    id            TEXT PRIMARY KEY,
    email         TEXT NOT NULL,
    email_key     TEXT NOT NULL UNIQUE, -- the email lowercased, for sign-in and uniqueness
    name          TEXT NOT NULL,
    country       TEXT NOT NULL,
    password_hash TEXT NOT NULL,        -- argon2id PHC string
    created_at    TEXT NOT NULL
);
