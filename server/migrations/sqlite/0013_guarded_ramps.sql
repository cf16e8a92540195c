-- A rollout revision may carry a guarded ramp (JSON GuardedRamp): the release being ramped,
-- its steps and bounds, and where the ramp stands.
ALTER TABLE rollout_revisions ADD COLUMN ramp TEXT;
