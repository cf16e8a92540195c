//! Release rows: uploaded files, published releases, rollout revisions (append-only weights per
//! app) and the release event log. SQL only: what may be published, how traffic is split and
//! when a release halts live in `domain::releases` and `domain::telemetry`.

use api_client::types::{
    EventData, GuardedRamp, Release, ReleaseEvent, ReleaseEventType, ReleaseFile, ReleaseFileMeta,
    ReleaseMetadata, Rollout, RolloutEntry, StopCondition,
};
use serde_json::Value;
use sqlx::{AnyConnection, AnyPool, FromRow};

use crate::error::AppResult;
use crate::store::{new_id, now};

/// Where the CDN origin serves a release file.
pub fn public_url(app: &str, release_id: &str, path: &str) -> String {
    format!("/releases/{app}/{release_id}/{path}")
}

/// The integrity and size recorded for an uploaded file, if it was uploaded.
pub async fn stored_file(
    db: &AnyPool,
    app: &str,
    release_id: &str,
    path: &str,
) -> sqlx::Result<Option<(String, i64)>> {
    sqlx::query_as(
        "SELECT integrity, size FROM release_files WHERE app = $1 AND release_id = $2 AND path = $3",
    )
    .bind(app)
    .bind(release_id)
    .bind(path)
    .fetch_optional(db)
    .await
}

pub struct NewReleaseFile<'a> {
    pub app: &'a str,
    pub release_id: &'a str,
    pub path: &'a str,
    pub size: i64,
    pub integrity: &'a str,
    pub etag: &'a str,
}

pub async fn insert_release_file(db: &AnyPool, file: &NewReleaseFile<'_>) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO release_files (app, release_id, path, size, integrity, etag, uploaded_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(file.app)
    .bind(file.release_id)
    .bind(file.path)
    .bind(file.size)
    .bind(file.integrity)
    .bind(file.etag)
    .bind(now())
    .execute(db)
    .await?;
    Ok(())
}

/// The ETag of a file of a published release. Files of a release that was only uploaded are not
/// served: nothing unpublished goes out with an immutable cache header.
pub async fn file_etag(
    db: &AnyPool,
    app: &str,
    release_id: &str,
    name: &str,
) -> sqlx::Result<Option<String>> {
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT f.etag FROM release_files f
         JOIN releases r ON r.app = f.app AND r.release_id = f.release_id
         WHERE f.app = $1 AND f.release_id = $2 AND f.path = $3",
    )
    .bind(app)
    .bind(release_id)
    .bind(name)
    .fetch_optional(db)
    .await?;
    Ok(row.map(|(etag,)| etag))
}

/// A published release as stored, with the metadata it was published with (canonical JSON).
#[derive(FromRow)]
pub struct ReleaseRow {
    app: String,
    release_id: String,
    version: String,
    git_revision: String,
    built_at: String,
    published_at: String,
    files: String,
    pub metadata: String,
}

impl ReleaseRow {
    pub fn to_contract(&self) -> AppResult<Release> {
        let files: Vec<ReleaseFileMeta> = serde_json::from_str(&self.files)?;
        Ok(Release {
            total_size: files.iter().map(|f| f.size).sum(),
            files: files
                .into_iter()
                .map(|f| ReleaseFile {
                    url: public_url(&self.app, &self.release_id, &f.path),
                    path: f.path,
                    role: f.role,
                    size: f.size,
                    integrity: f.integrity,
                })
                .collect(),
            app: self.app.clone().into(),
            release_id: self.release_id.clone().into(),
            version: self.version.clone(),
            git_revision: self.git_revision.clone(),
            built_at: self.built_at.clone(),
            published_at: self.published_at.clone(),
        })
    }
}

pub async fn find_release(
    db: &AnyPool,
    app: &str,
    release_id: &str,
) -> sqlx::Result<Option<ReleaseRow>> {
    sqlx::query_as("SELECT * FROM releases WHERE app = $1 AND release_id = $2")
        .bind(app)
        .bind(release_id)
        .fetch_optional(db)
        .await
}

/// Records a release as published; `canonical` is its metadata as JSON, kept to tell an
/// identical republish from a conflicting one.
pub async fn insert_release(
    connection: &mut AnyConnection,
    metadata: &ReleaseMetadata,
    canonical: &str,
) -> AppResult<()> {
    sqlx::query("INSERT INTO releases (app, release_id, version, git_revision, built_at, published_at, files, metadata) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
        .bind(metadata.app.to_string())
        .bind(metadata.release_id.to_string())
        .bind(&metadata.version)
        .bind(&metadata.git_revision)
        .bind(&metadata.built_at)
        .bind(now())
        .bind(serde_json::to_string(&metadata.files)?)
        .bind(canonical)
        .execute(connection)
        .await?;
    Ok(())
}

pub async fn list_releases(
    db: &AnyPool,
    app: &str,
    offset: i64,
    limit: i64,
) -> AppResult<Vec<Release>> {
    let rows: Vec<ReleaseRow> = sqlx::query_as("SELECT * FROM releases WHERE app = $1 ORDER BY published_at DESC, release_id LIMIT $2 OFFSET $3")
        .bind(app)
        .bind(limit)
        .bind(offset)
        .fetch_all(db)
        .await?;
    rows.iter().map(ReleaseRow::to_contract).collect()
}

pub async fn append_release_event(
    connection: &mut AnyConnection,
    app: &str,
    kind: ReleaseEventType,
    release_id: Option<&str>,
    revision: Option<i64>,
    data: Value,
) -> sqlx::Result<()> {
    // Who and why travel in the event's data; the columns let the audit trail read them in SQL.
    let text_of = |key: &str| data.get(key).and_then(Value::as_str).map(str::to_owned);
    let (actor, reason) = (text_of("actor"), text_of("reason"));
    sqlx::query("INSERT INTO release_events (id, app, type, release_id, revision, data, occurred_at, actor, reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
        .bind(new_id())
        .bind(app)
        .bind(kind.to_string())
        .bind(release_id)
        .bind(revision)
        .bind(data.to_string())
        .bind(now())
        .bind(actor)
        .bind(reason)
        .execute(connection)
        .await?;
    Ok(())
}

/// One revision of an app's rollout.
#[derive(FromRow, Clone)]
pub struct RevisionRow {
    pub app: String,
    pub revision: i64,
    pub seed: String,
    entries: String,
    stop: Option<String>,
    ramp: Option<String>,
    pub created_at: String,
}

impl RevisionRow {
    pub fn entries(&self) -> Vec<RolloutEntry> {
        serde_json::from_str(&self.entries).unwrap_or_default()
    }

    pub fn stop_condition(&self) -> Option<StopCondition> {
        self.stop
            .as_deref()
            .and_then(|json| serde_json::from_str(json).ok())
    }

    pub fn ramp(&self) -> Option<GuardedRamp> {
        self.ramp
            .as_deref()
            .and_then(|json| serde_json::from_str(json).ok())
    }

    pub fn to_contract(&self) -> Rollout {
        Rollout {
            app: self.app.clone().into(),
            seed: self.seed.clone(),
            entries: self.entries(),
            stop_condition: self.stop_condition(),
            ramp: self.ramp(),
            reason: None,
            revision: Some(self.revision),
            updated_at: Some(self.created_at.clone()),
        }
    }
}

/// The newest revisions of an app's rollout, newest first.
pub async fn latest_revisions(
    connection: &mut AnyConnection,
    app: &str,
    how_many: i64,
) -> sqlx::Result<Vec<RevisionRow>> {
    sqlx::query_as("SELECT * FROM rollout_revisions WHERE app = $1 ORDER BY revision DESC LIMIT $2")
        .bind(app)
        .bind(how_many)
        .fetch_all(connection)
        .await
}

pub async fn latest_revision(
    connection: &mut AnyConnection,
    app: &str,
) -> sqlx::Result<Option<RevisionRow>> {
    Ok(latest_revisions(connection, app, 1).await?.pop())
}

/// The current revision of every app that has a rollout, by app name.
pub async fn current_revisions(db: &AnyPool) -> sqlx::Result<Vec<RevisionRow>> {
    sqlx::query_as(
        "SELECT r.* FROM rollout_revisions r
         WHERE r.revision = (SELECT MAX(revision) FROM rollout_revisions WHERE app = r.app) ORDER BY r.app",
    )
    .fetch_all(db)
    .await
}

/// Appends the next revision of an app's rollout and returns its number.
pub async fn insert_revision(
    connection: &mut AnyConnection,
    app: &str,
    seed: &str,
    entries: &[RolloutEntry],
    stop: Option<&StopCondition>,
    ramp: Option<&GuardedRamp>,
) -> sqlx::Result<i64> {
    let (revision,): (i64,) = sqlx::query_as(
        "INSERT INTO rollout_revisions (app, revision, seed, entries, stop, ramp, created_at)
         VALUES ($1, (SELECT COALESCE(MAX(revision), 0) + 1 FROM rollout_revisions WHERE app = $2), $3, $4, $5, $6, $7)
         RETURNING revision",
    )
    .bind(app)
    .bind(app)
    .bind(seed)
    .bind(serde_json::to_string(entries).unwrap_or_default())
    .bind(stop.map(|s| serde_json::to_string(s).unwrap_or_default()))
    .bind(ramp.map(|r| serde_json::to_string(r).unwrap_or_default()))
    .bind(now())
    .fetch_one(connection)
    .await?;
    Ok(revision)
}

/// Takes the write lock with a no-op write, so two transactions that read an app's rollout and
/// then decide to change it cannot both act on the same revision.
pub async fn lock_rollouts(connection: &mut AnyConnection, app: &str) -> sqlx::Result<()> {
    // SQLite: any write takes the database's one write lock. Postgres: lock the app's rows.
    let sql = if super::is_postgres(connection) {
        "SELECT revision FROM rollout_revisions WHERE app = $1 FOR UPDATE"
    } else {
        "UPDATE rollout_revisions SET app = app WHERE app = $1 AND revision = -1"
    };
    sqlx::query(sql).bind(app).execute(connection).await?;
    Ok(())
}

#[derive(FromRow)]
struct ReleaseEventRow {
    sequence: i64,
    id: String,
    app: String,
    #[sqlx(rename = "type")]
    kind: String,
    release_id: Option<String>,
    revision: Option<i64>,
    data: String,
    occurred_at: String,
}

pub async fn history(
    db: &AnyPool,
    app: &str,
    offset: i64,
    limit: i64,
) -> AppResult<Vec<ReleaseEvent>> {
    let rows: Vec<ReleaseEventRow> = sqlx::query_as(
        "SELECT * FROM release_events WHERE app = $1 ORDER BY sequence DESC LIMIT $2 OFFSET $3",
    )
    .bind(app)
    .bind(limit)
    .bind(offset)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| ReleaseEvent {
            id: row.id,
            sequence: row.sequence,
            app: row.app.into(),
            type_: row.kind.parse().unwrap_or(ReleaseEventType::RolloutUpdated),
            release_id: row.release_id.map(Into::into),
            revision: row.revision,
            occurred_at: row.occurred_at,
            data: EventData(serde_json::from_str(&row.data).unwrap_or_default()),
        })
        .collect())
}
