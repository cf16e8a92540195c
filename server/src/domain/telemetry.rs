//! Telemetry as evidence, not a control channel: who a beacon counts for, and when the counts
//! halt a release. A visitor counts once per release, revision and kind, only for the release the
//! server's own bucketing assigns it, and only while its address has not already played a crowd;
//! a stop condition fires only past the server's floor of distinct visitors.

use api_client::types::{Beacon, LoadPhase, ReleaseEventType, WebVitalName};
use serde_json::json;
use sqlx::{AnyConnection, AnyPool};

use crate::domain::releases::{NewRevision, append_revision, halt};
use crate::error::AppResult;
use crate::store::releases::{self, RevisionRow};
use crate::store::telemetry::{self, BeaconKind, Counted};

/// Who sent a batch of beacons, as the telemetry route established it.
pub struct BeaconSender<'a> {
    pub visitor_id: &'a str,
    pub address: &'a str,
    /// Visitors from one address that count per app and revision; later ones are ignored.
    pub visitors_per_address: i64,
    /// Distinct exposed visitors below which no stop condition fires.
    pub min_visitors: i64,
}

/// The origin of each release load a batch reports (its `total` timing), as a metric label: a
/// configured release origin, `self` for the page's own, `other` for anything else a client
/// claims (labels are never client-chosen text).
pub fn release_load_origins<'a>(
    beacons: &'a [Beacon],
    configured: &'a [String],
) -> impl Iterator<Item = &'a str> {
    beacons.iter().filter_map(move |beacon| match beacon {
        Beacon::LoadTiming {
            phase: LoadPhase::Total,
            origin,
            ..
        } => Some(match origin {
            None => "self",
            Some(origin) => configured
                .iter()
                .find(|known| *known == origin)
                .map_or("other", String::as_str),
        }),
        _ => None,
    })
}

/// A render of `release_id` that failed at the edge counts as an error the visitor met (the
/// browser rendered the slot instead), so a release whose renderer keeps failing trips its stop
/// condition like one whose bundle does. The server is its own witness: no address limit applies,
/// but each visitor still counts once per release and revision.
pub async fn count_render_failure(
    db: &AnyPool,
    visitor_id: &str,
    app: &str,
    release_id: &str,
    failure: &str,
    min_visitors: i64,
) {
    let sender = BeaconSender {
        visitor_id,
        address: "edge",
        visitors_per_address: i64::MAX,
        min_visitors,
    };
    let beacon = Beacon::Error {
        app: app.to_owned().into(),
        at: crate::store::now(),
        message: failure.to_owned(),
        release_id: Some(release_id.to_owned().into()),
        source: Some("edge-render".into()),
    };
    if let Err(error) = record_beacons(db, &sender, &[beacon]).await {
        tracing::warn!(
            ?error,
            app,
            release_id,
            "could not count a failed edge render"
        );
    }
}

/// The release of `revision` that the shell assigns `visitor_id`, by the kit's bucketing.
fn assigned_release(revision: &RevisionRow, visitor_id: &str) -> Option<String> {
    let entries = revision.entries();
    let weights: Vec<f64> = entries.iter().map(|entry| entry.weight).collect();
    let index = micro_app::assign(&revision.seed, visitor_id, &weights)?;
    entries.get(index).map(|entry| entry.release_id.to_string())
}

/// What a beacon would count: its app, release (`None`: whichever the server assigns, for a web
/// vital, which describes the page of the app in the main slot), kind and (for a total load time
/// or a vital) its value. Other beacons (phases of a load, errors without a release, vitals
/// without an app or not among LCP, INP and CLS) count nothing.
fn counted_as(beacon: &Beacon) -> Option<(String, Option<String>, BeaconKind, Option<f64>)> {
    match beacon {
        Beacon::Exposure {
            app, release_id, ..
        } => Some((
            app.to_string(),
            Some(release_id.to_string()),
            BeaconKind::Exposure,
            None,
        )),
        Beacon::Error {
            app,
            release_id: Some(release_id),
            ..
        } => Some((
            app.to_string(),
            Some(release_id.to_string()),
            BeaconKind::Error,
            None,
        )),
        Beacon::WebVital {
            app: Some(app),
            name,
            value,
            ..
        } => {
            let name = match name {
                WebVitalName::Lcp => "LCP",
                WebVitalName::Inp => "INP",
                WebVitalName::Cls => "CLS",
                _ => return None,
            };
            Some((app.to_string(), None, BeaconKind::Vital(name), Some(*value)))
        }
        Beacon::LoadTiming {
            app,
            release_id,
            phase,
            millis,
            ..
        } if phase.to_string() == "total" => Some((
            app.to_string(),
            Some(release_id.to_string()),
            BeaconKind::LoadTiming,
            Some(*millis),
        )),
        _ => None,
    }
}

/// Counts a batch against each app's current revision, then halts releases whose error rate broke
/// their rollout's stop condition and judges a guarded ramp. Repeating beacons or naming another
/// release changes nothing. `db` is the writer pool: the counting transaction reads before it
/// writes, which on SQLite must not interleave with another connection's writes.
pub async fn record_beacons(
    db: &AnyPool,
    sender: &BeaconSender<'_>,
    beacons: &[Beacon],
) -> AppResult<()> {
    let mut tx = db.begin().await?;
    telemetry::begin_counting(&mut tx).await?;
    let mut touched_apps = Vec::new();
    for (app, named, kind, value) in beacons.iter().filter_map(counted_as) {
        let Some(current) = releases::latest_revision(&mut tx, &app).await? else {
            continue;
        };
        let Some(release_id) = assigned_release(&current, sender.visitor_id) else {
            continue;
        };
        if named.as_ref().is_some_and(|named| *named != release_id) {
            continue;
        }
        if !visitor_may_count(&mut tx, sender, &current).await? {
            continue;
        }
        let counted = Counted {
            app: &app,
            revision: current.revision,
            release_id: &release_id,
            visitor_id: sender.visitor_id,
            kind,
            address: sender.address,
        };
        if !telemetry::insert_counted_visitor(&mut tx, &counted).await? {
            continue;
        }
        match (kind, value) {
            (BeaconKind::Vital(name), Some(value)) => {
                telemetry::insert_web_vital(
                    &mut tx,
                    &app,
                    current.revision,
                    &release_id,
                    name,
                    value,
                )
                .await?;
                continue;
            }
            (_, Some(millis)) => {
                telemetry::insert_load_timing(&mut tx, &app, current.revision, &release_id, millis)
                    .await?;
                continue;
            }
            _ => {}
        }
        telemetry::increment_counter(&mut tx, &app, current.revision, &release_id, kind).await?;
        if !touched_apps.contains(&app) {
            touched_apps.push(app);
        }
    }
    tx.commit().await?;
    for app in touched_apps {
        evaluate_stop_condition(db, &app, sender.min_visitors).await?;
        super::ramps::judge(db, &app, sender.min_visitors).await?;
    }
    Ok(())
}

/// A visitor already counted for this revision keeps counting; a new one only while its address
/// has fewer than `visitors_per_address` visitors counted, so one machine cannot play a crowd.
async fn visitor_may_count(
    connection: &mut AnyConnection,
    sender: &BeaconSender<'_>,
    revision: &RevisionRow,
) -> sqlx::Result<bool> {
    if telemetry::visitor_counted(
        connection,
        &revision.app,
        revision.revision,
        sender.visitor_id,
    )
    .await?
    {
        return Ok(true);
    }
    let from_address = telemetry::visitors_from_address(
        connection,
        &revision.app,
        revision.revision,
        sender.address,
    )
    .await?;
    Ok(from_address < sender.visitors_per_address)
}

async fn evaluate_stop_condition(db: &AnyPool, app: &str, min_visitors: i64) -> AppResult<()> {
    let mut tx = db.begin().await?;
    // Two evaluations must not both halt the same revision.
    releases::lock_rollouts(&mut tx, app).await?;
    let Some(current) = releases::latest_revision(&mut tx, app).await? else {
        return Ok(());
    };
    let Some(stop) = current.stop_condition() else {
        return Ok(());
    };
    let entries = current.entries();
    for entry in &entries {
        if entry.weight == 0.0 {
            continue;
        }
        let release_id = entry.release_id.to_string();
        let (exposures, errors) =
            telemetry::counters(&mut tx, app, current.revision, &release_id).await?;
        let error_rate = errors as f64 / exposures.max(1) as f64;
        // Exposures are distinct visitors; the server's own floor applies whatever the rollout says.
        if exposures < stop.min_exposures.max(min_visitors) || error_rate <= stop.max_error_rate {
            continue;
        }
        let halted = halt(&entries, &release_id);
        let ramp = current.ramp();
        let revision = NewRevision {
            app,
            seed: &current.seed,
            entries: &halted,
            stop: Some(&stop),
            ramp: ramp.as_ref(),
        };
        let reason = format!(
            "error rate {:.1} % above the stop condition's {:.1} % after {exposures} visitors",
            error_rate * 100.0,
            stop.max_error_rate * 100.0
        );
        let cause = json!({"errorRate": error_rate, "exposures": exposures, "errors": errors, "maxErrorRate": stop.max_error_rate, "entries": halted, "actor": "stop condition", "reason": reason});
        append_revision(
            &mut tx,
            &revision,
            ReleaseEventType::ReleaseHalted,
            Some(&release_id),
            cause,
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
