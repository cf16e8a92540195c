-- The kiosks' policy (their kill switch): one row, absent until an operator first sets it.
CREATE TABLE kiosk_policy (
    id INTEGER PRIMARY KEY,
    is_open INTEGER NOT NULL,
    message TEXT,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
);
