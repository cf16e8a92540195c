-- The kiosks' policy (their kill switch) as the operators' changes to it, in order: the last is
-- in force, and each is in the audit trail. No row: kiosks are open.
CREATE TABLE kiosk_policy_changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    is_open INTEGER NOT NULL,
    message TEXT,
    changed_at TEXT NOT NULL,
    changed_by TEXT NOT NULL
);
