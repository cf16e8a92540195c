-- Who changed a rollout and why (an operator's token, a guarded ramp, a stop condition), so
-- rollout changes join the operations audit trail.
ALTER TABLE release_events ADD COLUMN actor TEXT;
ALTER TABLE release_events ADD COLUMN reason TEXT;
