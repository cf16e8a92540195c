//! Releases (immutable, content-addressed files with SRI integrity), rollouts (append-only
//! revisions of weights per app), the public manifest, telemetry counters per release, and the
//! stop condition that halts a misbehaving release.

use std::path::{Path, PathBuf};

use api_client::types::{
    AppManifest, Beacon, EventData, FileRef, FileRole, Manifest, ManifestFiles, ManifestRelease,
    Release, ReleaseEvent, ReleaseEventType, ReleaseFile, ReleaseFileMeta, ReleaseMetadata,
    ReleaseStats, Rollout, RolloutEntry, RolloutStats, StopCondition, UploadedReleaseFile,
};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use sqlx::{FromRow, SqliteConnection, SqlitePool};

use crate::error::{AppError, AppResult};
use crate::store::{new_id, now};

pub use micro_app::integrity_of;

/// Strong ETag: the content's SHA-256, quoted.
pub fn etag_of(bytes: &[u8]) -> String {
    format!("\"{:x}\"", Sha256::digest(bytes))
}

/// The manifest's strong ETag: over its rollouts and TTL, not its `generatedAt`, so an unchanged
/// manifest revalidates to a 304.
pub fn manifest_etag(manifest: &Manifest) -> String {
    let rollouts =
        serde_json::to_string(&(&manifest.apps, manifest.ttl_seconds)).unwrap_or_default();
    etag_of(rollouts.as_bytes())
}

pub fn is_safe_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 200
        && !name.starts_with('.')
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

pub fn file_path(releases_dir: &Path, app: &str, release_id: &str, name: &str) -> PathBuf {
    releases_dir.join(app).join(release_id).join(name)
}

pub fn public_url(app: &str, release_id: &str, path: &str) -> String {
    format!("/releases/{app}/{release_id}/{path}")
}

/// Stores one file of a release with brotli and gzip siblings. Same bytes again: `false` (not
/// created); different bytes for an existing name: 409.
pub async fn upload_file(
    db: &SqlitePool,
    releases_dir: &Path,
    app: &str,
    release_id: &str,
    name: &str,
    bytes: Vec<u8>,
) -> AppResult<(UploadedReleaseFile, bool)> {
    for (field, value) in [("app", app), ("releaseId", release_id), ("fileName", name)] {
        if !is_safe_name(value) {
            return Err(AppError::malformed(format!(
                "{field} may only contain letters, digits, - _ ."
            ))
            .with_field(field));
        }
    }
    let integrity = integrity_of(&bytes);
    let uploaded = |size: i64, integrity: String| UploadedReleaseFile {
        app: app.to_owned().into(),
        release_id: release_id.to_owned().into(),
        path: name.to_owned(),
        size,
        integrity: integrity.into(),
    };
    let existing: Option<(String, i64)> = sqlx::query_as(
        "SELECT integrity, size FROM release_files WHERE app = ? AND release_id = ? AND path = ?",
    )
    .bind(app)
    .bind(release_id)
    .bind(name)
    .fetch_optional(db)
    .await?;
    if let Some((stored, size)) = existing {
        if stored == integrity {
            return Ok((uploaded(size, stored), false));
        }
        return Err(AppError::conflict(
            "release-immutable",
            "Release files are immutable",
            format!("{name} of {app}/{release_id} already exists with other content"),
        ));
    }
    let path = file_path(releases_dir, app, release_id, name);
    let size = bytes.len() as i64;
    let etag = etag_of(&bytes);
    tokio::task::spawn_blocking(move || write_with_compressed_siblings(&path, &bytes))
        .await
        .map_err(|e| AppError::internal(anyhow::anyhow!(e)))??;
    sqlx::query(
        "INSERT INTO release_files (app, release_id, path, size, integrity, etag, uploaded_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(app)
    .bind(release_id)
    .bind(name)
    .bind(size)
    .bind(&integrity)
    .bind(&etag)
    .bind(now())
    .execute(db)
    .await?;
    Ok((uploaded(size, integrity), true))
}

/// Compression happens once, at publish time, so serving is a file read.
fn write_with_compressed_siblings(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    std::fs::create_dir_all(path.parent().expect("release files live in a folder"))?;
    let compressed = micro_app::precompress(bytes)?;
    // Write siblings first and the plain file last: the plain file's presence means complete.
    std::fs::write(with_suffix(path, "br"), compressed.brotli)?;
    std::fs::write(with_suffix(path, "gz"), compressed.gzip)?;
    std::fs::write(path, bytes)?;
    Ok(())
}

pub fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    PathBuf::from(name)
}

/// The ETag of a file of a published release. Files of a release that was only uploaded are not
/// served: nothing unpublished goes out with an immutable cache header.
pub async fn file_etag(
    db: &SqlitePool,
    app: &str,
    release_id: &str,
    name: &str,
) -> sqlx::Result<Option<String>> {
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT f.etag FROM release_files f
         JOIN releases r ON r.app = f.app AND r.release_id = f.release_id
         WHERE f.app = ? AND f.release_id = ? AND f.path = ?",
    )
    .bind(app)
    .bind(release_id)
    .bind(name)
    .fetch_optional(db)
    .await?;
    Ok(row.map(|(etag,)| etag))
}

#[derive(FromRow)]
struct ReleaseRow {
    app: String,
    release_id: String,
    version: String,
    git_revision: String,
    built_at: String,
    published_at: String,
    files: String,
    metadata: String,
}

fn release_from(row: ReleaseRow) -> AppResult<Release> {
    let files: Vec<ReleaseFileMeta> = serde_json::from_str(&row.files)?;
    Ok(Release {
        total_size: files.iter().map(|f| f.size).sum(),
        files: files
            .into_iter()
            .map(|f| ReleaseFile {
                url: public_url(&row.app, &row.release_id, &f.path),
                path: f.path,
                role: f.role,
                size: f.size,
                integrity: f.integrity,
            })
            .collect(),
        app: row.app.into(),
        release_id: row.release_id.into(),
        version: row.version,
        git_revision: row.git_revision,
        built_at: row.built_at,
        published_at: row.published_at,
    })
}

pub async fn publish(db: &SqlitePool, metadata: &ReleaseMetadata) -> AppResult<(Release, bool)> {
    let app = metadata.app.to_string();
    let release_id = metadata.release_id.to_string();
    let canonical = serde_json::to_string(metadata)?;
    if let Some(existing) = find_release_row(db, &app, &release_id).await? {
        if existing.metadata == canonical {
            return Ok((release_from(existing)?, false));
        }
        return Err(AppError::conflict(
            "release-immutable",
            "Releases are immutable",
            format!("{app}/{release_id} was already published with other metadata"),
        ));
    }
    let count = |role: FileRole| metadata.files.iter().filter(|f| f.role == role).count();
    if count(FileRole::Js) != 1 || count(FileRole::Wasm) != 1 || count(FileRole::Css) > 1 {
        return Err(AppError::validation(vec![AppError::field(
            "files",
            "roles",
            "a release has exactly one js, one wasm and at most one css file",
        )]));
    }
    for (index, file) in metadata.files.iter().enumerate() {
        let stored: Option<(String, i64)> = sqlx::query_as("SELECT integrity, size FROM release_files WHERE app = ? AND release_id = ? AND path = ?")
            .bind(&app)
            .bind(&release_id)
            .bind(&file.path)
            .fetch_optional(db)
            .await?;
        match stored {
            None => {
                return Err(AppError::unprocessable(
                    "release-file-missing",
                    "Release file missing",
                    format!("{} was not uploaded", file.path),
                )
                .with_field(&format!("files.{index}.path")));
            }
            Some((integrity, size))
                if integrity != file.integrity.to_string() || size != file.size =>
            {
                return Err(AppError::unprocessable(
                    "integrity-mismatch",
                    "Integrity mismatch",
                    format!("{} does not match its size or integrity", file.path),
                )
                .with_field(&format!("files.{index}.integrity")));
            }
            Some(_) => {}
        }
    }
    let mut tx = db.begin().await?;
    sqlx::query("INSERT INTO releases (app, release_id, version, git_revision, built_at, published_at, files, metadata) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        .bind(&app)
        .bind(&release_id)
        .bind(&metadata.version)
        .bind(&metadata.git_revision)
        .bind(&metadata.built_at)
        .bind(now())
        .bind(serde_json::to_string(&metadata.files)?)
        .bind(&canonical)
        .execute(&mut *tx)
        .await?;
    append_release_event(
        &mut tx,
        &app,
        ReleaseEventType::ReleasePublished,
        Some(&release_id),
        None,
        json!({"version": metadata.version}),
    )
    .await?;
    tx.commit().await?;
    let row = find_release_row(db, &app, &release_id)
        .await?
        .ok_or_else(|| AppError::not_found("release"))?;
    Ok((release_from(row)?, true))
}

async fn find_release_row(
    db: &SqlitePool,
    app: &str,
    release_id: &str,
) -> sqlx::Result<Option<ReleaseRow>> {
    sqlx::query_as("SELECT * FROM releases WHERE app = ? AND release_id = ?")
        .bind(app)
        .bind(release_id)
        .fetch_optional(db)
        .await
}

pub async fn get_release(db: &SqlitePool, app: &str, release_id: &str) -> AppResult<Release> {
    let row = find_release_row(db, app, release_id)
        .await?
        .ok_or_else(|| AppError::not_found("release"))?;
    release_from(row)
}

pub async fn list_releases(
    db: &SqlitePool,
    app: &str,
    offset: i64,
    limit: i64,
) -> AppResult<Vec<Release>> {
    let rows: Vec<ReleaseRow> = sqlx::query_as("SELECT * FROM releases WHERE app = ? ORDER BY published_at DESC, release_id LIMIT ? OFFSET ?")
        .bind(app)
        .bind(limit)
        .bind(offset)
        .fetch_all(db)
        .await?;
    rows.into_iter().map(release_from).collect()
}

async fn append_release_event(
    connection: &mut SqliteConnection,
    app: &str,
    kind: ReleaseEventType,
    release_id: Option<&str>,
    revision: Option<i64>,
    data: Value,
) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO release_events (id, app, type, release_id, revision, data, occurred_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
        .bind(new_id())
        .bind(app)
        .bind(kind.to_string())
        .bind(release_id)
        .bind(revision)
        .bind(data.to_string())
        .bind(now())
        .execute(connection)
        .await?;
    Ok(())
}

#[derive(FromRow, Clone)]
struct RevisionRow {
    app: String,
    revision: i64,
    seed: String,
    entries: String,
    stop: Option<String>,
    created_at: String,
}

impl RevisionRow {
    fn entries(&self) -> Vec<RolloutEntry> {
        serde_json::from_str(&self.entries).unwrap_or_default()
    }

    fn rollout(&self) -> Rollout {
        Rollout {
            app: self.app.clone().into(),
            seed: self.seed.clone(),
            entries: self.entries(),
            stop_condition: self
                .stop
                .as_deref()
                .and_then(|json| serde_json::from_str(json).ok()),
            revision: Some(self.revision),
            updated_at: Some(self.created_at.clone()),
        }
    }
}

async fn latest_revision(
    connection: &mut SqliteConnection,
    app: &str,
) -> sqlx::Result<Option<RevisionRow>> {
    sqlx::query_as("SELECT * FROM rollout_revisions WHERE app = ? ORDER BY revision DESC LIMIT 1")
        .bind(app)
        .fetch_optional(connection)
        .await
}

pub async fn get_rollout(db: &SqlitePool, app: &str) -> AppResult<Rollout> {
    let mut connection = db.acquire().await?;
    latest_revision(&mut connection, app)
        .await?
        .map(|row| row.rollout())
        .ok_or_else(|| AppError::not_found("rollout"))
}

async fn insert_revision(
    connection: &mut SqliteConnection,
    app: &str,
    seed: &str,
    entries: &[RolloutEntry],
    stop: Option<&StopCondition>,
) -> sqlx::Result<i64> {
    let (revision,): (i64,) = sqlx::query_as(
        "INSERT INTO rollout_revisions (app, revision, seed, entries, stop, created_at)
         VALUES (?, (SELECT COALESCE(MAX(revision), 0) + 1 FROM rollout_revisions WHERE app = ?), ?, ?, ?, ?)
         RETURNING revision",
    )
    .bind(app)
    .bind(app)
    .bind(seed)
    .bind(serde_json::to_string(entries).unwrap_or_default())
    .bind(stop.map(|s| serde_json::to_string(s).unwrap_or_default()))
    .bind(now())
    .fetch_one(connection)
    .await?;
    Ok(revision)
}

pub async fn set_rollout(db: &SqlitePool, app: &str, rollout: &Rollout) -> AppResult<Rollout> {
    let invalid = |field: &str, message: &str| {
        AppError::validation_as(
            "rollout-invalid",
            "The request has invalid fields",
            vec![AppError::field(field, "invalid_value", message)],
        )
    };
    if rollout.app.to_string() != app {
        return Err(invalid("app", "must match the app in the path"));
    }
    if rollout.entries.is_empty() {
        return Err(invalid("entries", "list at least one release"));
    }
    if rollout.seed.trim().is_empty() {
        return Err(invalid("seed", "the bucketing seed must not be empty"));
    }
    let mut sum = 0.0;
    for (index, entry) in rollout.entries.iter().enumerate() {
        if !(0.0..=1.0).contains(&entry.weight) || entry.weight.is_nan() {
            return Err(invalid(
                &format!("entries.{index}.weight"),
                "weights are between 0 and 1",
            ));
        }
        sum += entry.weight;
        if find_release_row(db, app, &entry.release_id.to_string())
            .await?
            .is_none()
        {
            return Err(invalid(
                &format!("entries.{index}.releaseId"),
                "not a published release of this app",
            ));
        }
    }
    if (sum - 1.0).abs() > 1e-6 {
        return Err(invalid("entries", "weights must sum to 1"));
    }
    if let Some(stop) = &rollout.stop_condition
        && (!(0.0..=1.0).contains(&stop.max_error_rate) || stop.min_exposures < 1)
    {
        return Err(invalid(
            "stopCondition",
            "maxErrorRate is between 0 and 1 and minExposures at least 1",
        ));
    }
    let mut tx = db.begin().await?;
    let revision = insert_revision(
        &mut tx,
        app,
        &rollout.seed,
        &rollout.entries,
        rollout.stop_condition.as_ref(),
    )
    .await?;
    append_release_event(
        &mut tx,
        app,
        ReleaseEventType::RolloutUpdated,
        None,
        Some(revision),
        json!({"entries": rollout.entries}),
    )
    .await?;
    tx.commit().await?;
    get_rollout(db, app).await
}

/// Restores the revision before the current one, as a new revision (history stays intact).
pub async fn rollback(db: &SqlitePool, app: &str) -> AppResult<Rollout> {
    let mut tx = db.begin().await?;
    let revisions: Vec<RevisionRow> = sqlx::query_as(
        "SELECT * FROM rollout_revisions WHERE app = ? ORDER BY revision DESC LIMIT 2",
    )
    .bind(app)
    .fetch_all(&mut *tx)
    .await?;
    let previous = match revisions.as_slice() {
        [] => return Err(AppError::not_found("rollout")),
        [_] => {
            return Err(AppError::conflict(
                "no-previous-rollout",
                "Nothing to roll back to",
                "this app has only one rollout revision",
            ));
        }
        [_, previous, ..] => previous.clone(),
    };
    let entries = previous.entries();
    let stop: Option<StopCondition> = previous
        .stop
        .as_deref()
        .and_then(|json| serde_json::from_str(json).ok());
    let revision = insert_revision(&mut tx, app, &previous.seed, &entries, stop.as_ref()).await?;
    append_release_event(
        &mut tx,
        app,
        ReleaseEventType::RolloutRolledBack,
        None,
        Some(revision),
        json!({"restoredRevision": previous.revision}),
    )
    .await?;
    tx.commit().await?;
    get_rollout(db, app).await
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
    db: &SqlitePool,
    app: &str,
    offset: i64,
    limit: i64,
) -> AppResult<Vec<ReleaseEvent>> {
    let rows: Vec<ReleaseEventRow> = sqlx::query_as(
        "SELECT * FROM release_events WHERE app = ? ORDER BY sequence DESC LIMIT ? OFFSET ?",
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

pub async fn stats(db: &SqlitePool, app: &str) -> AppResult<RolloutStats> {
    let mut connection = db.acquire().await?;
    let current = latest_revision(&mut connection, app)
        .await?
        .ok_or_else(|| AppError::not_found("rollout"))?;
    let mut releases = Vec::new();
    for entry in current.entries() {
        let release_id = entry.release_id.to_string();
        let (exposures, errors): (i64, i64) = sqlx::query_as(
            "SELECT COALESCE(SUM(exposures), 0), COALESCE(SUM(errors), 0) FROM release_telemetry WHERE app = ? AND revision = ? AND release_id = ?",
        )
        .bind(app)
        .bind(current.revision)
        .bind(&release_id)
        .fetch_one(&mut *connection)
        .await?;
        let timings: Vec<(f64,)> = sqlx::query_as("SELECT millis FROM load_timings WHERE app = ? AND revision = ? AND release_id = ? ORDER BY millis")
            .bind(app)
            .bind(current.revision)
            .bind(&release_id)
            .fetch_all(&mut *connection)
            .await?;
        releases.push(ReleaseStats {
            release_id: entry.release_id,
            weight: entry.weight,
            exposures,
            errors,
            error_rate: if exposures == 0 {
                0.0
            } else {
                errors as f64 / exposures as f64
            },
            p75_load_millis: (!timings.is_empty())
                .then(|| timings[(timings.len() * 3).div_ceil(4) - 1].0),
        });
    }
    Ok(RolloutStats {
        app: app.to_owned().into(),
        revision: current.revision,
        since: current.created_at,
        releases,
    })
}

pub async fn manifest(db: &SqlitePool, ttl_seconds: u32) -> AppResult<Manifest> {
    let latest: Vec<RevisionRow> = sqlx::query_as(
        "SELECT r.* FROM rollout_revisions r
         WHERE r.revision = (SELECT MAX(revision) FROM rollout_revisions WHERE app = r.app) ORDER BY r.app",
    )
    .fetch_all(db)
    .await?;
    let mut apps = Vec::new();
    for revision in latest {
        let mut releases = Vec::new();
        for entry in revision.entries() {
            let release = get_release(db, &revision.app, &entry.release_id.to_string()).await?;
            let file = |role: FileRole| {
                release
                    .files
                    .iter()
                    .find(|f| f.role == role)
                    .map(|f| FileRef {
                        url: f.url.clone(),
                        integrity: f.integrity.clone(),
                        size: f.size,
                    })
            };
            let (Some(js), Some(wasm)) = (file(FileRole::Js), file(FileRole::Wasm)) else {
                continue;
            };
            releases.push(ManifestRelease {
                release_id: entry.release_id,
                version: release.version.clone(),
                weight: entry.weight,
                files: ManifestFiles {
                    js,
                    wasm,
                    css: file(FileRole::Css),
                },
            });
        }
        apps.push(AppManifest {
            app: revision.app.clone().into(),
            seed: revision.seed.clone(),
            revision: revision.revision,
            releases,
        });
    }
    Ok(Manifest {
        generated_at: now(),
        ttl_seconds: ttl_seconds as i32,
        apps,
    })
}

/// Who sent a batch of beacons, as the telemetry route established it.
pub struct BeaconSender<'a> {
    pub visitor_id: &'a str,
    pub address: &'a str,
    /// Visitors from one address that count per app and revision; later ones are ignored.
    pub visitors_per_address: i64,
    /// Distinct exposed visitors below which no stop condition fires.
    pub min_visitors: i64,
}

/// Binds a telemetry session to the first visitor it is used with. True when the session
/// speaks for `visitor_id`.
pub async fn bind_telemetry_session(
    db: &SqlitePool,
    session_id: &str,
    visitor_id: &str,
) -> sqlx::Result<bool> {
    sqlx::query(
        "INSERT OR IGNORE INTO telemetry_sessions (session_id, visitor_id, created_at) VALUES (?, ?, ?)",
    )
    .bind(session_id)
    .bind(visitor_id)
    .bind(now())
    .execute(db)
    .await?;
    let (bound,): (String,) =
        sqlx::query_as("SELECT visitor_id FROM telemetry_sessions WHERE session_id = ?")
            .bind(session_id)
            .fetch_one(db)
            .await?;
    Ok(bound == visitor_id)
}

/// The release of `revision` that the shell assigns `visitor_id`, by the kit's bucketing.
fn assigned_release(revision: &RevisionRow, visitor_id: &str) -> Option<String> {
    let entries = revision.entries();
    let weights: Vec<f64> = entries.iter().map(|entry| entry.weight).collect();
    let index = micro_app::assign(&revision.seed, visitor_id, &weights)?;
    entries.get(index).map(|entry| entry.release_id.to_string())
}

/// Counts a batch against each app's current revision, then halts releases whose error rate broke
/// their rollout's stop condition. A visitor counts once per release, revision and kind, and only
/// for the release the server assigns it: repeating beacons or naming another release changes
/// nothing.
pub async fn record_beacons(
    db: &SqlitePool,
    sender: &BeaconSender<'_>,
    beacons: &[Beacon],
) -> AppResult<()> {
    let mut tx = db.begin().await?;
    let mut touched_apps = Vec::new();
    for beacon in beacons {
        let (app, release_id, kind, millis) = match beacon {
            Beacon::Exposure {
                app, release_id, ..
            } => (app.to_string(), release_id.to_string(), "exposure", None),
            Beacon::Error {
                app,
                release_id: Some(release_id),
                ..
            } => (app.to_string(), release_id.to_string(), "error", None),
            Beacon::LoadTiming {
                app,
                release_id,
                phase,
                millis,
                ..
            } if phase.to_string() == "total" => (
                app.to_string(),
                release_id.to_string(),
                "load_timing",
                Some(*millis),
            ),
            _ => continue,
        };
        let Some(current) = latest_revision(&mut tx, &app).await? else {
            continue;
        };
        if assigned_release(&current, sender.visitor_id).as_deref() != Some(release_id.as_str()) {
            continue;
        }
        if !visitor_may_count(&mut tx, sender, &current).await? {
            continue;
        }
        let first = sqlx::query(
            "INSERT OR IGNORE INTO telemetry_visitors (app, revision, release_id, visitor_id, kind, address, at)
             VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&app)
        .bind(current.revision)
        .bind(&release_id)
        .bind(sender.visitor_id)
        .bind(kind)
        .bind(sender.address)
        .bind(now())
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        if !first {
            continue;
        }
        if let Some(millis) = millis {
            sqlx::query(
                "INSERT INTO load_timings (app, revision, release_id, millis) VALUES (?, ?, ?, ?)",
            )
            .bind(&app)
            .bind(current.revision)
            .bind(&release_id)
            .bind(millis)
            .execute(&mut *tx)
            .await?;
            continue;
        }
        // The column is one of two fixed names, never request data.
        let column = if kind == "exposure" {
            "exposures"
        } else {
            "errors"
        };
        let sql = format!(
            "INSERT INTO release_telemetry (app, revision, release_id, {column}) VALUES (?, ?, ?, 1)
             ON CONFLICT (app, revision, release_id) DO UPDATE SET {column} = {column} + 1"
        );
        sqlx::query(&sql)
            .bind(&app)
            .bind(current.revision)
            .bind(&release_id)
            .execute(&mut *tx)
            .await?;
        if !touched_apps.contains(&app) {
            touched_apps.push(app);
        }
    }
    tx.commit().await?;
    for app in touched_apps {
        evaluate_stop_condition(db, &app, sender.min_visitors).await?;
    }
    Ok(())
}

/// A visitor already counted for this revision keeps counting; a new one only while its address
/// has fewer than `visitors_per_address` visitors counted, so one machine cannot play a crowd.
async fn visitor_may_count(
    connection: &mut SqliteConnection,
    sender: &BeaconSender<'_>,
    revision: &RevisionRow,
) -> sqlx::Result<bool> {
    let (known,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM telemetry_visitors WHERE app = ? AND revision = ? AND visitor_id = ?",
    )
    .bind(&revision.app)
    .bind(revision.revision)
    .bind(sender.visitor_id)
    .fetch_one(&mut *connection)
    .await?;
    if known > 0 {
        return Ok(true);
    }
    let (from_address,): (i64,) = sqlx::query_as(
        "SELECT COUNT(DISTINCT visitor_id) FROM telemetry_visitors WHERE app = ? AND revision = ? AND address = ?",
    )
    .bind(&revision.app)
    .bind(revision.revision)
    .bind(sender.address)
    .fetch_one(&mut *connection)
    .await?;
    Ok(from_address < sender.visitors_per_address)
}

async fn evaluate_stop_condition(db: &SqlitePool, app: &str, min_visitors: i64) -> AppResult<()> {
    let mut tx = db.begin().await?;
    // A no-op write first takes the write lock, so two evaluations cannot both halt.
    sqlx::query("UPDATE rollout_revisions SET app = app WHERE app = ? AND revision = -1")
        .bind(app)
        .execute(&mut *tx)
        .await?;
    let Some(current) = latest_revision(&mut tx, app).await? else {
        return Ok(());
    };
    let Some(stop) = current
        .stop
        .as_deref()
        .and_then(|json| serde_json::from_str::<StopCondition>(json).ok())
    else {
        return Ok(());
    };
    let entries = current.entries();
    for entry in &entries {
        if entry.weight == 0.0 {
            continue;
        }
        let release_id = entry.release_id.to_string();
        let counts: Option<(i64, i64)> = sqlx::query_as("SELECT exposures, errors FROM release_telemetry WHERE app = ? AND revision = ? AND release_id = ?")
            .bind(app)
            .bind(current.revision)
            .bind(&release_id)
            .fetch_optional(&mut *tx)
            .await?;
        let Some((exposures, errors)) = counts else {
            continue;
        };
        let error_rate = errors as f64 / exposures.max(1) as f64;
        // Exposures are distinct visitors; the server's own floor applies whatever the rollout says.
        if exposures < stop.min_exposures.max(min_visitors) || error_rate <= stop.max_error_rate {
            continue;
        }
        let halted = halt(&entries, &release_id);
        let revision = insert_revision(&mut tx, app, &current.seed, &halted, Some(&stop)).await?;
        append_release_event(
            &mut tx,
            app,
            ReleaseEventType::ReleaseHalted,
            Some(&release_id),
            Some(revision),
            json!({"errorRate": error_rate, "exposures": exposures, "errors": errors, "maxErrorRate": stop.max_error_rate, "entries": halted}),
        )
        .await?;
        tx.commit().await?;
        tracing::warn!(
            app,
            release = release_id,
            error_rate,
            exposures,
            "release halted by its stop condition"
        );
        return Ok(());
    }
    Ok(())
}

/// The halted release gets weight 0 and the others share its traffic in proportion; when no other
/// release has weight, the halted one keeps serving rather than leaving the slot empty.
pub fn halt(entries: &[RolloutEntry], release_id: &str) -> Vec<RolloutEntry> {
    let others: f64 = entries
        .iter()
        .filter(|e| e.release_id.to_string() != release_id)
        .map(|e| e.weight)
        .sum();
    if others <= 0.0 {
        return entries.to_vec();
    }
    entries
        .iter()
        .map(|entry| RolloutEntry {
            release_id: entry.release_id.clone(),
            weight: if entry.release_id.to_string() == release_id {
                0.0
            } else {
                entry.weight / others
            },
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: &str, weight: f64) -> RolloutEntry {
        RolloutEntry {
            release_id: id.to_owned().into(),
            weight,
        }
    }

    #[test]
    fn halting_renormalises_the_other_releases() {
        let halted = halt(&[entry("a", 0.6), entry("b", 0.3), entry("c", 0.1)], "b");
        let weights: Vec<f64> = halted
            .iter()
            .map(|e| (e.weight * 1000.0).round() / 1000.0)
            .collect();
        assert_eq!(weights, [0.857, 0.0, 0.143]);
    }

    #[test]
    fn names_with_path_tricks_are_refused() {
        assert!(is_safe_name("product-detail-3f2a.wasm"));
        assert!(!is_safe_name("../etc"));
        assert!(!is_safe_name(".hidden"));
        assert!(!is_safe_name("a/b"));
    }
}
