-- Where kiosk orders are collected, as the JSON of the contract's `Address`; each change row
-- carries the one in force then. NULL: operators have set none yet.
ALTER TABLE kiosk_policy_changes ADD COLUMN pickup_address TEXT;
