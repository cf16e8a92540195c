//! The experiment readout of a rollout: the revenue funnel per release, each release against the
//! control on placed orders per visitor (a two-proportion z-test: pooled for the p-value, an
//! unpooled Wald interval on the difference at 95 %), and a chi-square test of the exposures
//! against the weights for sample-ratio mismatch. Distributions come from `statrs`.

use api_client::types::{
    ConversionDifference, ExperimentReadout, Funnel, ReleaseReadout, SampleRatioCheck,
};
use sqlx::AnyPool;
use statrs::distribution::{ChiSquared, ContinuousCDF, Normal};

use crate::domain::releases::current_revision;
use crate::error::AppResult;
use crate::store::telemetry;

pub const METHOD: &str = "Two-proportion z-test on orders per visitor, 95 % Wald interval on the \
                          difference; sample ratio by chi-square (mismatch below p = 0.001)";
/// Below this p-value the exposures are not what the weights would give by chance.
const SRM_THRESHOLD: f64 = 0.001;
/// The two-sided 95 % quantile of the standard normal.
const Z_95: f64 = 1.959_963_984_540_054;

pub async fn readout(db: &AnyPool, app: &str) -> AppResult<ExperimentReadout> {
    let current = current_revision(db, app).await?;
    let funnels =
        telemetry::funnel_by_release(&mut *db.acquire().await?, app, current.revision).await?;
    let entries = current.entries();
    let funnel_of = |release_id: &str| {
        funnels
            .iter()
            .find(|(id, _)| id == release_id)
            .map(|(_, funnel)| funnel.clone())
            .unwrap_or(Funnel {
                visitors: 0,
                added_to_cart: 0,
                checkout_started: 0,
                order_placed: 0,
                order_confirmed: 0,
            })
    };
    let control = entries
        .first()
        .map(|entry| funnel_of(&entry.release_id.to_string()));
    let releases: Vec<ReleaseReadout> = entries
        .iter()
        .enumerate()
        .map(|(index, entry)| {
            let funnel = funnel_of(&entry.release_id.to_string());
            let versus_control = control
                .as_ref()
                .filter(|_| index > 0)
                .and_then(|control| compare(control, &funnel));
            ReleaseReadout {
                release_id: entry.release_id.clone(),
                weight: entry.weight,
                conversion_rate: rate(funnel.order_placed, funnel.visitors),
                funnel,
                versus_control,
            }
        })
        .collect();
    let observed: Vec<(i64, f64)> = releases
        .iter()
        .map(|release| (release.funnel.visitors, release.weight))
        .collect();
    Ok(ExperimentReadout {
        app: app.to_owned().into(),
        revision: current.revision,
        since: current.created_at.clone(),
        method: METHOD.to_owned(),
        control_release_id: entries
            .first()
            .map(|entry| entry.release_id.clone())
            .unwrap_or_else(|| String::new().into()),
        releases,
        sample_ratio: sample_ratio(&observed),
    })
}

fn rate(count: i64, of: i64) -> f64 {
    if of > 0 {
        count as f64 / of as f64
    } else {
        0.0
    }
}

fn standard_normal() -> Normal {
    Normal::new(0.0, 1.0).expect("the standard normal exists")
}

/// `variant` against `control` on placed orders per visitor; `None` while either has no visitors.
pub fn compare(control: &Funnel, variant: &Funnel) -> Option<ConversionDifference> {
    let (n1, n2) = (control.visitors as f64, variant.visitors as f64);
    if n1 == 0.0 || n2 == 0.0 {
        return None;
    }
    let (p1, p2) = (
        rate(control.order_placed, control.visitors),
        rate(variant.order_placed, variant.visitors),
    );
    let difference = p2 - p1;
    let wald = (p1 * (1.0 - p1) / n1 + p2 * (1.0 - p2) / n2).sqrt();
    let pooled = (control.order_placed + variant.order_placed) as f64 / (n1 + n2);
    let pooled_se = (pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2)).sqrt();
    let p_value = if pooled_se > 0.0 {
        2.0 * (1.0 - standard_normal().cdf((difference / pooled_se).abs()))
    } else {
        1.0
    };
    let (low, high) = (difference - Z_95 * wald, difference + Z_95 * wald);
    Some(ConversionDifference {
        difference,
        low,
        high,
        p_value,
        significant: low > 0.0 || high < 0.0,
    })
}

/// Exposures `(visitors, weight)` per release against what the weights lead to expect.
pub fn sample_ratio(observed: &[(i64, f64)]) -> SampleRatioCheck {
    let total: f64 = observed.iter().map(|(count, _)| *count as f64).sum();
    let weights: f64 = observed.iter().map(|(_, weight)| weight).sum();
    let judged: Vec<(f64, f64)> = observed
        .iter()
        .filter(|(_, weight)| *weight > 0.0)
        .map(|(count, weight)| (*count as f64, total * weight / weights))
        .collect();
    if total == 0.0 || judged.len() < 2 {
        return SampleRatioCheck {
            chi_square: 0.0,
            p_value: 1.0,
            mismatch: false,
        };
    }
    let chi_square: f64 = judged
        .iter()
        .map(|(seen, expected)| (seen - expected).powi(2) / expected)
        .sum();
    let degrees = (judged.len() - 1) as f64;
    let p_value = ChiSquared::new(degrees)
        .map(|distribution| 1.0 - distribution.cdf(chi_square))
        .unwrap_or(1.0);
    SampleRatioCheck {
        chi_square,
        p_value,
        mismatch: p_value < SRM_THRESHOLD,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn funnel(visitors: i64, placed: i64) -> Funnel {
        Funnel {
            visitors,
            added_to_cart: placed,
            checkout_started: placed,
            order_placed: placed,
            order_confirmed: placed,
        }
    }

    #[test]
    fn a_clear_winner_has_an_interval_above_zero() {
        // 10 % against 15 % on 1,000 visitors each: z ≈ 3.38.
        let result = compare(&funnel(1000, 100), &funnel(1000, 150)).unwrap();
        assert!((result.difference - 0.05).abs() < 1e-12);
        assert!(
            result.significant && result.low > 0.02 && result.high < 0.08,
            "{result:?}"
        );
        assert!(
            result.p_value < 0.001 && result.p_value > 0.0005,
            "{result:?}"
        );
    }

    #[test]
    fn a_small_difference_on_few_visitors_is_not_significant() {
        let result = compare(&funnel(100, 10), &funnel(100, 12)).unwrap();
        assert!(
            !result.significant && result.low < 0.0 && result.high > 0.0,
            "{result:?}"
        );
        assert!(result.p_value > 0.5, "{result:?}");
        assert_eq!(compare(&funnel(0, 0), &funnel(10, 1)), None);
    }

    #[test]
    fn exposures_far_from_the_weights_are_a_sample_ratio_mismatch() {
        let even = sample_ratio(&[(1010, 0.5), (990, 0.5)]);
        assert!(!even.mismatch && even.p_value > 0.5, "{even:?}");
        // 1,200 against 800 where 50/50 was asked: chi-square 80.
        let skewed = sample_ratio(&[(1200, 0.5), (800, 0.5)]);
        assert!((skewed.chi_square - 80.0).abs() < 1e-9, "{skewed:?}");
        assert!(skewed.mismatch && skewed.p_value < 1e-6, "{skewed:?}");
        let weighted = sample_ratio(&[(900, 0.9), (100, 0.1)]);
        assert!(!weighted.mismatch, "{weighted:?}");
        assert!(
            !sample_ratio(&[(50, 1.0)]).mismatch,
            "one release cannot mismatch"
        );
    }
}
