//! Guarded rollouts: a release ramps through its steps (1 % → 10 % → 50 % → 100 %, say) while it
//! stays within bounds. After each counted beacon batch `judge` looks at the current step once
//! the ramped release has its visitors in it: an error rate above the bound, or orders per
//! visitor below the control's by more than the allowed drop with 95 % confidence, halts the
//! release and records why; otherwise the ramp moves to the next step (a new revision, so the
//! next step is judged on fresh visitors), and passing the last step completes it.

use api_client::types::{GuardedRamp, RampState, ReleaseEventType, RolloutEntry};
use serde_json::json;
use sqlx::{AnyConnection, AnyPool};

use crate::domain::experiments::compare;
use crate::domain::releases::{NewRevision, append_revision, halt};
use crate::error::AppResult;
use crate::store::{releases, telemetry};

/// The ramp as it starts, or why it cannot.
pub fn start(ramp: &GuardedRamp, entries: &[RolloutEntry]) -> Result<GuardedRamp, &'static str> {
    let ramped = ramp.release_id.to_string();
    if !entries
        .iter()
        .any(|entry| entry.release_id.to_string() == ramped)
    {
        return Err("the ramped release must be one of the entries");
    }
    if entries.len() < 2 {
        return Err("a ramp needs another release to carry the rest of the traffic");
    }
    let increasing = ramp.steps.windows(2).all(|pair| pair[0] < pair[1]);
    let valid = ramp.steps.iter().all(|step| *step > 0.0 && *step <= 1.0);
    if !increasing || !valid || ramp.steps.last() != Some(&1.0) {
        return Err("steps are increasing weights above 0 that end at 1");
    }
    if ramp.min_visitors < 1
        || !(0.0..=1.0).contains(&ramp.max_error_rate)
        || !(0.0..=1.0).contains(&ramp.max_conversion_drop)
    {
        return Err(
            "minVisitors is at least 1; maxErrorRate and maxConversionDrop are between 0 and 1",
        );
    }
    Ok(GuardedRamp {
        step: Some(0),
        state: Some(RampState::Ramping),
        ..ramp.clone()
    })
}

/// `entries` with the ramped release at its current step's weight and the others sharing the
/// rest in proportion (evenly when they all had none).
pub fn weighted(entries: &[RolloutEntry], ramp: &GuardedRamp) -> Vec<RolloutEntry> {
    let ramped = ramp.release_id.to_string();
    let step = usize::try_from(ramp.step.unwrap_or(0)).unwrap_or(0);
    let weight = ramp.steps.get(step).copied().unwrap_or(1.0);
    let others: Vec<&RolloutEntry> = entries
        .iter()
        .filter(|entry| entry.release_id.to_string() != ramped)
        .collect();
    let others_sum: f64 = others.iter().map(|entry| entry.weight).sum();
    entries
        .iter()
        .map(|entry| {
            let share = if entry.release_id.to_string() == ramped {
                weight
            } else if others_sum > 0.0 {
                (1.0 - weight) * entry.weight / others_sum
            } else {
                (1.0 - weight) / others.len() as f64
            };
            RolloutEntry {
                release_id: entry.release_id.clone(),
                weight: share,
            }
        })
        .collect()
}

/// Why the current step fails, if it does; `None` while it passes.
async fn breach(
    connection: &mut AnyConnection,
    app: &str,
    revision: i64,
    ramp: &GuardedRamp,
    control: Option<&str>,
    (exposures, errors): (i64, i64),
) -> AppResult<Option<String>> {
    let error_rate = errors as f64 / exposures.max(1) as f64;
    if error_rate > ramp.max_error_rate {
        return Ok(Some(format!(
            "error rate {:.1} % above the ramp's bound of {:.1} %",
            error_rate * 100.0,
            ramp.max_error_rate * 100.0
        )));
    }
    let Some(control) = control else {
        return Ok(None);
    };
    let funnels = telemetry::funnel_by_release(connection, app, revision).await?;
    let funnel_of = |id: &str| funnels.iter().find(|(release, _)| release == id);
    let ramped = ramp.release_id.to_string();
    let (Some((_, control)), Some((_, ramped))) = (funnel_of(control), funnel_of(&ramped)) else {
        return Ok(None);
    };
    Ok(compare(control, ramped)
        .filter(|versus| versus.high < 0.0 && -versus.difference > ramp.max_conversion_drop)
        .map(|versus| {
            format!(
                "orders per visitor {:.1} points below the control's (95 % interval up to {:.1}), more than the allowed {:.1}",
                -versus.difference * 100.0,
                versus.high * 100.0,
                ramp.max_conversion_drop * 100.0
            )
        }))
}

/// Judges the current step of `app`'s ramp, if one is under way and has its visitors; `db` is
/// the writer pool, and every read happens in the judging transaction.
pub async fn judge(db: &AnyPool, app: &str, min_visitors: i64) -> AppResult<()> {
    // Most beacon batches meet no ramp: find that out with a read, before taking the write lock.
    let latest = releases::latest_revision(&mut *db.acquire().await?, app).await?;
    let ramping = latest
        .and_then(|revision| revision.ramp())
        .is_some_and(|ramp| ramp.state == Some(RampState::Ramping));
    if !ramping {
        return Ok(());
    }
    let mut tx = db.begin().await?;
    releases::lock_rollouts(&mut tx, app).await?;
    let Some(current) = releases::latest_revision(&mut tx, app).await? else {
        return Ok(());
    };
    let Some(ramp) = current
        .ramp()
        .filter(|ramp| ramp.state == Some(RampState::Ramping))
    else {
        return Ok(());
    };
    let ramped = ramp.release_id.to_string();
    let entries = current.entries();
    let weight_of = |id: &str| {
        entries
            .iter()
            .find(|entry| entry.release_id.to_string() == id)
            .map_or(0.0, |entry| entry.weight)
    };
    if weight_of(&ramped) == 0.0 {
        // The stop condition halted it already.
        return Ok(());
    }
    let counts = telemetry::counters(&mut tx, app, current.revision, &ramped).await?;
    if counts.0 < ramp.min_visitors.max(min_visitors) {
        return Ok(());
    }
    // The control: the first other release; it is compared with only while it has traffic.
    let first_other = entries
        .iter()
        .map(|entry| entry.release_id.to_string())
        .find(|id| *id != ramped);
    let control = first_other.clone().filter(|id| weight_of(id) > 0.0);
    let step = ramp.step.unwrap_or(0);
    let verdict = breach(
        &mut tx,
        app,
        current.revision,
        &ramp,
        control.as_deref(),
        counts,
    )
    .await?;
    let (kind, next_entries, next_ramp, cause) = match verdict {
        Some(reason) => {
            let mut halted = halt(&entries, &ramped);
            if let (true, Some(control)) = (weight_of(&ramped) >= 1.0, first_other.as_deref()) {
                // At 100 % nothing else had traffic: the control takes it all back.
                for entry in &mut halted {
                    entry.weight = if entry.release_id.to_string() == control {
                        1.0
                    } else {
                        0.0
                    };
                }
            }
            let ramp = GuardedRamp {
                state: Some(RampState::Halted),
                ..ramp.clone()
            };
            let cause = json!({"reason": format!("guarded ramp halted at step {} ({:.0} %): {reason}", step + 1, weight_of(&ramped) * 100.0), "actor": "guarded ramp", "exposures": counts.0, "errors": counts.1, "entries": halted});
            (ReleaseEventType::ReleaseHalted, halted, ramp, cause)
        }
        None => {
            let last = step as usize + 1 >= ramp.steps.len();
            let ramp = GuardedRamp {
                step: Some(if last { step } else { step + 1 }),
                state: Some(if last {
                    RampState::Completed
                } else {
                    RampState::Ramping
                }),
                ..ramp.clone()
            };
            let next = weighted(&entries, &ramp);
            let reason = if last {
                format!(
                    "guarded ramp completed: {} visitors within bounds at 100 %",
                    counts.0
                )
            } else {
                format!(
                    "guarded ramp step {} passed with {} visitors; now at {:.0} %",
                    step + 1,
                    counts.0,
                    ramp.steps[step as usize + 1] * 100.0
                )
            };
            let cause = json!({"reason": reason, "actor": "guarded ramp", "entries": next});
            (ReleaseEventType::RolloutUpdated, next, ramp, cause)
        }
    };
    let stop = current.stop_condition();
    let revision = NewRevision {
        app,
        seed: &current.seed,
        entries: &next_entries,
        stop: stop.as_ref(),
        ramp: Some(&next_ramp),
    };
    append_revision(&mut tx, &revision, kind, Some(&ramped), cause).await?;
    tx.commit().await?;
    tracing::info!(app, release = ramped, state = ?next_ramp.state, "guarded ramp judged a step");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::releases::tests::entry;

    fn ramp(steps: &[f64]) -> GuardedRamp {
        GuardedRamp {
            release_id: "new".to_owned().into(),
            steps: steps.to_vec(),
            min_visitors: 50,
            max_error_rate: 0.05,
            max_conversion_drop: 0.02,
            step: None,
            state: None,
        }
    }

    #[test]
    fn a_ramp_starts_at_its_first_step_and_the_others_share_the_rest() {
        let entries = [entry("stable", 1.0), entry("new", 0.0)];
        let started = start(&ramp(&[0.01, 0.1, 0.5, 1.0]), &entries).unwrap();
        assert_eq!(started.step, Some(0));
        let weights: Vec<f64> = weighted(&entries, &started)
            .iter()
            .map(|e| e.weight)
            .collect();
        assert_eq!(weights, [0.99, 0.01]);
        let at_half = GuardedRamp {
            step: Some(2),
            ..started
        };
        let weights: Vec<f64> = weighted(&entries, &at_half)
            .iter()
            .map(|e| e.weight)
            .collect();
        assert_eq!(weights, [0.5, 0.5]);
    }

    #[test]
    fn a_ramp_needs_increasing_steps_to_100_percent_and_a_release_it_names() {
        let entries = [entry("stable", 1.0), entry("new", 0.0)];
        assert!(start(&ramp(&[0.1, 0.05, 1.0]), &entries).is_err());
        assert!(start(&ramp(&[0.1, 0.5]), &entries).is_err());
        assert!(start(&ramp(&[0.1, 1.0]), &[entry("new", 1.0)]).is_err());
        assert!(start(&ramp(&[0.1, 1.0]), &[entry("a", 0.5), entry("b", 0.5)]).is_err());
    }
}
