-- Each customer's sealing key (32 random bytes, base64): what makes their sealed email and
-- addresses in the global store readable. Deleting it (erasure) shreds every sealed copy.
CREATE TABLE customer_keys (
    customer_id TEXT PRIMARY KEY REFERENCES customers(id) ON DELETE CASCADE,
    key         TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

-- The demo's mail outbox: what the shop would have emailed the customer, and under which consent
-- purpose. One mail per event and purpose, so a redelivered event never mails twice.
CREATE TABLE mail (
    id          TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    event_id    TEXT NOT NULL,
    purpose     TEXT NOT NULL,
    recipient   TEXT NOT NULL,
    subject     TEXT NOT NULL,
    body        TEXT NOT NULL,
    sent_at     TEXT NOT NULL,
    UNIQUE (event_id, purpose)
);
CREATE INDEX mail_by_customer ON mail(customer_id, sent_at);
