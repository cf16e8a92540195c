//! GrowthBook's published bucketing vectors (tests/data), every one of them: Tessera's assignment
//! must be reproducible with GrowthBook's own SDKs.

use micro_app::{bucket_ranges, choose_variation, hash, in_namespace};
use serde_json::Value;

fn cases() -> Value {
    serde_json::from_str(include_str!("data/growthbook-bucketing-cases.json")).unwrap()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

fn ranges(value: &Value) -> Vec<(f64, f64)> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|range| (range[0].as_f64().unwrap(), range[1].as_f64().unwrap()))
        .collect()
}

#[test]
fn hash_matches_every_vector() {
    let cases = cases();
    let rows = cases["hash"].as_array().unwrap();
    assert!(!rows.is_empty());
    for row in rows {
        let (seed, value, version) = (
            row[0].as_str().unwrap(),
            row[1].as_str().unwrap(),
            row[2].as_u64().unwrap() as u32,
        );
        let actual = hash(seed, value, version);
        match row[3].as_f64() {
            Some(expected) => assert!(
                actual.is_some_and(|a| close(a, expected)),
                "{row}: got {actual:?}"
            ),
            None => assert_eq!(actual, None, "{row}"),
        }
    }
}

#[test]
fn bucket_ranges_match_every_vector() {
    let cases = cases();
    for row in cases["getBucketRange"].as_array().unwrap() {
        let arguments = &row[1];
        let variations = arguments[0].as_u64().unwrap() as usize;
        let coverage = arguments[1].as_f64().unwrap_or(1.0);
        let weights: Option<Vec<f64>> = arguments[2]
            .as_array()
            .map(|w| w.iter().map(|x| x.as_f64().unwrap()).collect());
        let actual = bucket_ranges(variations, coverage, weights.as_deref());
        let expected = ranges(&row[2]);
        assert_eq!(actual.len(), expected.len(), "{}", row[0]);
        for (a, e) in actual.iter().zip(&expected) {
            assert!(
                close(a.0, e.0) && close(a.1, e.1),
                "{}: {actual:?} vs {expected:?}",
                row[0]
            );
        }
    }
}

#[test]
fn choose_variation_matches_every_vector() {
    let cases = cases();
    for row in cases["chooseVariation"].as_array().unwrap() {
        let expected = row[3].as_i64().unwrap();
        let actual = choose_variation(row[1].as_f64().unwrap(), &ranges(&row[2]));
        assert_eq!(
            actual.map_or(-1, |index| index as i64),
            expected,
            "{}",
            row[0]
        );
    }
}

#[test]
fn in_namespace_matches_every_vector() {
    let cases = cases();
    for row in cases["inNamespace"].as_array().unwrap() {
        let namespace = &row[2];
        let actual = in_namespace(
            row[1].as_str().unwrap(),
            namespace[0].as_str().unwrap(),
            namespace[1].as_f64().unwrap(),
            namespace[2].as_f64().unwrap(),
        );
        assert_eq!(actual, row[3].as_bool().unwrap(), "{}", row[0]);
    }
}
