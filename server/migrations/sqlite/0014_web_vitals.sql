-- Each counted visitor's web vitals (LCP, INP, CLS) for the release the server assigned them,
-- once per visitor, vital and revision: the p75 per release comes from these.
CREATE TABLE web_vitals (
    app         TEXT NOT NULL,
    revision    INTEGER NOT NULL,
    release_id  TEXT NOT NULL,
    name        TEXT NOT NULL,
    value       REAL NOT NULL
);
CREATE INDEX web_vitals_by_release ON web_vitals(app, revision, release_id, name);
