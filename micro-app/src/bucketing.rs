//! Deterministic visitor bucketing, compatible with GrowthBook's hashing, so that which release a
//! visitor got can be re-derived with GrowthBook's own SDKs when analysing an experiment.
//!
//! `hash(seed, visitor, 2)` places a visitor in [0, 1); `bucket_ranges` turns release weights
//! into cumulative ranges (shrunk by coverage); `choose_variation` finds the range holding the
//! bucket. JavaScript semantics are kept exactly: FNV-1a over UTF-16 code units, and the same
//! floating-point operations in the same order.

/// 32-bit FNV-1a over the UTF-16 code units of the concatenated `parts`, as GrowthBook's
/// JavaScript computes it. Hashing the parts in turn instead of a joined string keeps string
/// formatting, and its code size, out of the shell.
fn fnv1a32(parts: &[&str]) -> u32 {
    parts
        .iter()
        .flat_map(|part| part.encode_utf16())
        .fold(0x811c_9dc5_u32, |hash, unit| {
            (hash ^ u32::from(unit)).wrapping_mul(0x0100_0193)
        })
}

/// `number.toString()` for a u32, without the formatting machinery.
fn decimal(mut number: u32, buffer: &mut [u8; 10]) -> &str {
    let mut start = buffer.len();
    loop {
        start -= 1;
        buffer[start] = b'0' + (number % 10) as u8;
        number /= 10;
        if number == 0 {
            break;
        }
    }
    std::str::from_utf8(&buffer[start..]).unwrap_or_default()
}

/// A number in [0, 1) for `value` under `seed`. Version 2 is the one to assign with (version 1 is
/// kept for namespaces, as GrowthBook does); unknown versions give `None`.
pub fn hash(seed: &str, value: &str, version: u32) -> Option<f64> {
    match version {
        1 => Some(f64::from(fnv1a32(&[value, seed]) % 1000) / 1000.0),
        2 => {
            let first = fnv1a32(&[seed, value]);
            let mut buffer = [0; 10];
            Some(f64::from(fnv1a32(&[decimal(first, &mut buffer)]) % 10000) / 10000.0)
        }
        _ => None,
    }
}

/// Cumulative `[start, end)` ranges for `variations` weighted variations, each shrunk to
/// `coverage` of its width. Missing, miscounted or not-summing-to-one weights fall back to equal
/// weights, exactly as GrowthBook does.
pub fn bucket_ranges(variations: usize, coverage: f64, weights: Option<&[f64]>) -> Vec<(f64, f64)> {
    let coverage = coverage.clamp(0.0, 1.0);
    let equal = vec![1.0 / variations as f64; variations];
    let mut weights = weights.filter(|w| w.len() == variations).unwrap_or(&equal);
    let total = weights.iter().fold(0.0, |sum, weight| sum + weight);
    if !(0.99..=1.01).contains(&total) {
        weights = &equal;
    }
    let mut cumulative = 0.0;
    weights
        .iter()
        .map(|weight| {
            let start = cumulative;
            cumulative += weight;
            (start, start + coverage * weight)
        })
        .collect()
}

/// The index of the range containing `bucket`, if any (outside coverage there is none).
pub fn choose_variation(bucket: f64, ranges: &[(f64, f64)]) -> Option<usize> {
    ranges
        .iter()
        .position(|(start, end)| bucket >= *start && bucket < *end)
}

/// Whether a visitor falls in a namespace's `[start, end)` slice (GrowthBook's `inNamespace`).
pub fn in_namespace(visitor: &str, namespace: &str, start: f64, end: f64) -> bool {
    let seed = ["__", namespace].concat();
    hash(&seed, visitor, 1).is_some_and(|bucket| bucket >= start && bucket < end)
}

/// Which of the weighted releases a visitor gets: sticky for a seed and visitor id.
pub fn assign(seed: &str, visitor: &str, weights: &[f64]) -> Option<usize> {
    let bucket = hash(seed, visitor, 2)?;
    choose_variation(bucket, &bucket_ranges(weights.len(), 1.0, Some(weights)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_match_to_string_at_the_edges() {
        for number in [0, 7, 10, 4_000_000_000, u32::MAX] {
            assert_eq!(decimal(number, &mut [0; 10]), number.to_string());
        }
    }

    #[test]
    fn assignment_is_sticky_and_follows_the_weights() {
        let weights = [0.9, 0.1];
        let first = assign("product-detail", "visitor-1", &weights);
        assert_eq!(first, assign("product-detail", "visitor-1", &weights));
        let picked_b = (0..10_000)
            .filter(|n| assign("product-detail", &format!("visitor-{n}"), &weights) == Some(1))
            .count();
        assert!(
            (800..1200).contains(&picked_b),
            "{picked_b} of 10000 got the 10 % release"
        );
        assert_eq!(
            assign("product-detail", "visitor-1", &[0.0, 0.0]),
            assign("product-detail", "visitor-1", &[0.5, 0.5]),
            "invalid weights fall back to equal ones"
        );
    }
}
