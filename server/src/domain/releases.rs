//! Publishing releases and steering rollouts: a release is published once (the same metadata
//! again is a no-op, other metadata a conflict) and only with exactly one js, one wasm and at
//! most one css file, all uploaded with matching integrity; a rollout's weights are published
//! releases of its app summing to 1; a rollback restores the previous revision as a new one; the
//! manifest lists every app's current revision.

use api_client::types::{
    AppManifest, FileRef, FileRole, GuardedRamp, Manifest, ManifestFiles, ManifestRelease, Release,
    ReleaseEventType, ReleaseMetadata, ReleaseStats, Rollout, RolloutEntry, RolloutStats,
    StopCondition, VitalRating, WebVitalSummary,
};
use serde_json::json;
use sqlx::{AnyConnection, AnyPool};

use crate::domain::ramps;
use crate::error::{AppError, AppResult};
use crate::store::now;
use crate::store::releases::{self, RevisionRow};
use crate::store::telemetry;

pub async fn get_release(db: &AnyPool, app: &str, release_id: &str) -> AppResult<Release> {
    releases::find_release(db, app, release_id)
        .await?
        .ok_or_else(|| AppError::not_found("release"))?
        .to_contract()
}

pub async fn publish(db: &AnyPool, metadata: &ReleaseMetadata) -> AppResult<(Release, bool)> {
    let app = metadata.app.to_string();
    let release_id = metadata.release_id.to_string();
    let canonical = serde_json::to_string(metadata)?;
    if let Some(existing) = releases::find_release(db, &app, &release_id).await? {
        if existing.metadata == canonical {
            return Ok((existing.to_contract()?, false));
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
        match releases::stored_file(db, &app, &release_id, &file.path).await? {
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
    releases::insert_release(&mut tx, metadata, &canonical).await?;
    releases::append_release_event(
        &mut tx,
        &app,
        ReleaseEventType::ReleasePublished,
        Some(&release_id),
        None,
        json!({"version": metadata.version}),
    )
    .await?;
    tx.commit().await?;
    Ok((get_release(db, &app, &release_id).await?, true))
}

pub async fn get_rollout(db: &AnyPool, app: &str) -> AppResult<Rollout> {
    Ok(current_revision(db, app).await?.to_contract())
}

pub async fn current_revision(db: &AnyPool, app: &str) -> AppResult<RevisionRow> {
    releases::latest_revision(&mut *db.acquire().await?, app)
        .await?
        .ok_or_else(|| AppError::not_found("rollout"))
}

/// Sets `app`'s rollout as `actor` asks (the history and the audit trail keep who and why).
pub async fn set_rollout(
    db: &AnyPool,
    app: &str,
    rollout: &Rollout,
    actor: &str,
) -> AppResult<Rollout> {
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
        if releases::find_release(db, app, &entry.release_id.to_string())
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
    let (entries, ramp) = match &rollout.ramp {
        Some(ramp) => {
            let ramp =
                ramps::start(ramp, &rollout.entries).map_err(|message| invalid("ramp", message))?;
            (ramps::weighted(&rollout.entries, &ramp), Some(ramp))
        }
        None => (rollout.entries.clone(), None),
    };
    let mut tx = db.begin().await?;
    let revision = NewRevision {
        app,
        seed: &rollout.seed,
        entries: &entries,
        stop: rollout.stop_condition.as_ref(),
        ramp: ramp.as_ref(),
    };
    let cause = json!({"entries": entries, "ramp": ramp, "actor": actor, "reason": rollout.reason});
    append_revision(
        &mut tx,
        &revision,
        ReleaseEventType::RolloutUpdated,
        None,
        cause,
    )
    .await?;
    tx.commit().await?;
    get_rollout(db, app).await
}

/// Restores the revision before the current one, as a new revision (history stays intact).
pub async fn rollback(
    db: &AnyPool,
    app: &str,
    actor: &str,
    reason: Option<&str>,
) -> AppResult<Rollout> {
    let mut tx = db.begin().await?;
    let revisions = releases::latest_revisions(&mut tx, app, 2).await?;
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
    let (entries, stop) = (previous.entries(), previous.stop_condition());
    // A rollback ends any ramp: the restored weights hold until someone sets new ones.
    let revision = NewRevision {
        app,
        seed: &previous.seed,
        entries: &entries,
        stop: stop.as_ref(),
        ramp: None,
    };
    let cause = json!({"restoredRevision": previous.revision, "actor": actor, "reason": reason});
    append_revision(
        &mut tx,
        &revision,
        ReleaseEventType::RolloutRolledBack,
        None,
        cause,
    )
    .await?;
    tx.commit().await?;
    get_rollout(db, app).await
}

/// The next revision of an app's rollout.
pub struct NewRevision<'a> {
    pub app: &'a str,
    pub seed: &'a str,
    pub entries: &'a [RolloutEntry],
    pub stop: Option<&'a StopCondition>,
    pub ramp: Option<&'a GuardedRamp>,
}

/// Appends the next revision with the history entry that says why (`kind`, the release it is
/// about, `cause`), both in the caller's transaction, so neither exists without the other.
pub async fn append_revision(
    connection: &mut AnyConnection,
    revision: &NewRevision<'_>,
    kind: ReleaseEventType,
    release_id: Option<&str>,
    cause: serde_json::Value,
) -> sqlx::Result<i64> {
    let number = releases::insert_revision(
        connection,
        revision.app,
        revision.seed,
        revision.entries,
        revision.stop,
        revision.ramp,
    )
    .await?;
    releases::append_release_event(
        connection,
        revision.app,
        kind,
        release_id,
        Some(number),
        cause,
    )
    .await?;
    Ok(number)
}

/// Exposures, errors and the p75 load time of each release in the current revision.
pub async fn stats(db: &AnyPool, app: &str) -> AppResult<RolloutStats> {
    let current = current_revision(db, app).await?;
    let mut connection = db.acquire().await?;
    let mut releases = Vec::new();
    for entry in current.entries() {
        let release_id = entry.release_id.to_string();
        let (exposures, errors) =
            telemetry::counters(&mut connection, app, current.revision, &release_id).await?;
        let timings =
            telemetry::load_timings(&mut connection, app, current.revision, &release_id).await?;
        let mut vitals = Vec::new();
        for (name, thresholds) in VITALS {
            let values =
                telemetry::web_vitals(&mut connection, app, current.revision, &release_id, name)
                    .await?;
            vitals.extend(vital_summary(name, thresholds, &values));
        }
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
            p75_load_millis: p75(&timings),
            vitals,
        });
    }
    Ok(RolloutStats {
        app: app.to_owned().into(),
        revision: current.revision,
        since: current.created_at,
        releases,
    })
}

/// The web vitals a release is judged on, with web.dev's thresholds: good up to the first, poor
/// above the second (milliseconds, except CLS).
const VITALS: [(&str, (f64, f64)); 3] = [
    ("LCP", (2500.0, 4000.0)),
    ("INP", (200.0, 500.0)),
    ("CLS", (0.1, 0.25)),
];

/// The 75th percentile of ascending `values`, as web.dev reports vitals.
fn p75(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| values[(values.len() * 3).div_ceil(4) - 1])
}

fn vital_summary(name: &str, (good, poor): (f64, f64), values: &[f64]) -> Option<WebVitalSummary> {
    let p75 = p75(values)?;
    let rating = if p75 <= good {
        VitalRating::Good
    } else if p75 <= poor {
        VitalRating::NeedsImprovement
    } else {
        VitalRating::Poor
    };
    Some(WebVitalSummary {
        name: name.parse().ok()?,
        p75,
        rating,
        samples: values.len() as i64,
    })
}

/// Every app's current rollout with the files the shell loads and the origins it may load them
/// from (the server's configuration); a release without a js or wasm file is left out rather
/// than sent to browsers half-made.
pub async fn manifest(db: &AnyPool, config: &crate::config::Config) -> AppResult<Manifest> {
    let mut apps = Vec::new();
    for revision in releases::current_revisions(db).await? {
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
        ttl_seconds: config.manifest_ttl_seconds as i32,
        apps,
        origins: config.release_origins.clone(),
    })
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
pub(crate) mod tests {
    use super::*;

    pub(crate) fn entry(id: &str, weight: f64) -> RolloutEntry {
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
}
