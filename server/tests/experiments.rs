//! The experiment readout over real HTTP: visitors exposed to a 50/50 rollout, some of whom buy,
//! give each release its funnel and the variant its difference from the control with an
//! interval; exposures skewed away from the weights raise the sample-ratio warning; a reader
//! (`ops-viewer`) may see it all. A guarded ramp climbs its steps while the release is healthy
//! and halts a release with a planted error, saying why.

mod common;

use api_client::types::{ExperimentReadout, RampState, ReleaseEventPage, Rollout, RolloutStats};
use common::releases::{JS, publish, set_rollout};
use common::{TestServer, fetch_json};
use reqwest::{Method, StatusCode};
use serde_json::json;

const SEED: &str = "checkout-seed";
const VIEWER: &str = "test-viewer-token-0123456789abcdefghij";

/// A visitor the server's bucketing puts on `release` (0: control, 1: variant).
fn visitor_on(release: usize) -> String {
    loop {
        let visitor = uuid::Uuid::new_v4().to_string();
        if micro_app::assign(SEED, &visitor, &[0.5, 0.5]) == Some(release) {
            return visitor;
        }
    }
}

/// The visitor's exposure, reported as the shell does; returns their shopper token.
async fn expose(server: &TestServer, visitor: &str, release: &str) -> String {
    let session = server.telemetry_session().await;
    server
        .send_beacons(json!({"visitorId": visitor, "session": session, "beacons": [
            {"kind": "exposure", "app": "checkout", "releaseId": release, "at": "2026-12-05T10:00:00Z"}
        ]}))
        .await;
    let shopper: serde_json::Value = fetch_json(
        server
            .public(Method::POST, "/v1/sessions")
            .json(&json!({"visitorId": visitor})),
        StatusCode::CREATED,
    )
    .await;
    shopper["token"].as_str().unwrap().to_owned()
}

async fn readout(server: &TestServer) -> ExperimentReadout {
    fetch_json(
        server.ops(Method::GET, "/v1/ops/rollouts/checkout/readout"),
        StatusCode::OK,
    )
    .await
}

#[tokio::test]
async fn the_readout_finds_the_winner_and_warns_on_a_skewed_sample() {
    let server = TestServer::start_with(|config| {
        config.telemetry_min_visitors = 1_000_000;
        config.telemetry_visitors_per_address = 1_000_000;
        config.ops_viewer_token = Some(VIEWER.into());
    })
    .await;
    publish(&server, "checkout", "control", JS).await;
    publish(&server, "checkout", "variant", b"export default 2;").await;
    let entries =
        json!([{"releaseId": "control", "weight": 0.5}, {"releaseId": "variant", "weight": 0.5}]);
    let set = set_rollout(&server, "checkout", entries, None).await;
    assert_eq!(set.status(), StatusCode::OK);

    // 40 visitors each; 2 of the control's buy, 14 of the variant's.
    for (arm, release, buyers) in [(0, "control", 2), (1, "variant", 14)] {
        for index in 0..40 {
            let token = expose(&server, &visitor_on(arm), release).await;
            if index < buyers {
                let key = format!("{release}-{index}");
                server
                    .as_holder_of(&token)
                    .placed_order("4242424242424242", &key)
                    .await;
            }
        }
    }
    let result = readout(&server).await;
    assert_eq!(result.control_release_id.to_string(), "control");
    assert!(result.method.contains("z-test"), "{}", result.method);
    let [control, variant] = &result.releases[..] else {
        panic!("two releases: {result:?}");
    };
    assert_eq!(control.funnel.visitors, 40);
    assert_eq!(control.funnel.order_placed, 2);
    assert_eq!(control.funnel.added_to_cart, 2);
    assert_eq!(variant.funnel.order_placed, 14);
    assert!((variant.conversion_rate - 0.35).abs() < 1e-9);
    assert!(
        control.versus_control.is_none(),
        "the control is the baseline"
    );
    let versus = variant.versus_control.as_ref().expect("a comparison");
    assert!((versus.difference - 0.30).abs() < 1e-9, "{versus:?}");
    assert!(versus.significant && versus.low > 0.0, "{versus:?}");
    assert!(!result.sample_ratio.mismatch, "{:?}", result.sample_ratio);

    // 40 more control visitors and no variant ones: 80 against 40 where 50/50 was set.
    for _ in 0..40 {
        expose(&server, &visitor_on(0), "control").await;
    }
    let skewed = readout(&server).await;
    assert!(skewed.sample_ratio.mismatch, "{:?}", skewed.sample_ratio);

    // A product team's reader may see the readout; a shopper may not.
    let as_viewer = server
        .http
        .get(server.url("/v1/ops/rollouts/checkout/readout"))
        .bearer_auth(VIEWER);
    assert_eq!(common::status_of(as_viewer).await, StatusCode::OK);
    let as_shopper = server.shopper(Method::GET, "/v1/ops/rollouts/checkout/readout");
    assert_eq!(common::status_of(as_shopper).await, StatusCode::FORBIDDEN);
    server.stop().await;
}

/// Exposes fresh visitors the current rollout puts on `release` until its ramp stops ramping; those on `release` also report an error when `failing`.
async fn drive_ramp(server: &TestServer, release: &str, failing: bool) -> Rollout {
    for _ in 0..200 {
        let rollout: Rollout = fetch_json(
            server.ops(Method::GET, "/v1/ops/rollouts/checkout"),
            StatusCode::OK,
        )
        .await;
        let ramp = rollout.ramp.clone().expect("a ramp");
        if ramp.state != Some(RampState::Ramping) {
            return rollout;
        }
        let weights: Vec<f64> = rollout.entries.iter().map(|entry| entry.weight).collect();
        let index = rollout
            .entries
            .iter()
            .position(|entry| entry.release_id.to_string() == release)
            .unwrap();
        let visitor = loop {
            let visitor = uuid::Uuid::new_v4().to_string();
            if micro_app::assign(SEED, &visitor, &weights) == Some(index) {
                break visitor;
            }
        };
        let mut beacons = vec![
            json!({"kind": "exposure", "app": "checkout", "releaseId": release, "at": "2026-12-05T10:00:00Z"}),
        ];
        if failing {
            beacons.push(json!({"kind": "error", "app": "checkout", "releaseId": release, "message": "planted", "at": "2026-12-05T10:00:00Z"}));
        }
        let session = server.telemetry_session().await;
        server
            .send_beacons(json!({"visitorId": visitor, "session": session, "beacons": beacons}))
            .await;
    }
    panic!("the ramp never finished");
}

#[tokio::test]
async fn a_guarded_ramp_climbs_while_healthy_and_halts_a_failing_release() {
    let server = TestServer::start_with(|config| {
        config.telemetry_min_visitors = 5;
        config.telemetry_visitors_per_address = 1_000_000;
    })
    .await;
    publish(&server, "checkout", "stable", JS).await;
    publish(&server, "checkout", "healthy", b"export default 2;").await;
    publish(&server, "checkout", "broken", b"export default 3;").await;
    let ramp = |release: &str| {
        json!({"app": "checkout", "seed": SEED, "entries": [
            {"releaseId": "stable", "weight": 1.0}, {"releaseId": release, "weight": 0.0}
        ], "ramp": {"releaseId": release, "steps": [0.1, 0.5, 1.0], "minVisitors": 5,
                    "maxErrorRate": 0.2, "maxConversionDrop": 0.05}})
    };
    let started: Rollout = fetch_json(
        server
            .ops(Method::PUT, "/v1/ops/rollouts/checkout")
            .json(&ramp("healthy")),
        StatusCode::OK,
    )
    .await;
    let weights: Vec<f64> = started.entries.iter().map(|entry| entry.weight).collect();
    assert_eq!(weights, [0.9, 0.1], "the ramp starts at its first step");

    let finished = drive_ramp(&server, "healthy", false).await;
    assert_eq!(
        finished.ramp.as_ref().and_then(|ramp| ramp.state),
        Some(RampState::Completed)
    );
    let weights: Vec<f64> = finished.entries.iter().map(|entry| entry.weight).collect();
    assert_eq!(
        weights,
        [0.0, 1.0],
        "the healthy release took all the traffic"
    );
    let history: ReleaseEventPage = fetch_json(
        server.ops(Method::GET, "/v1/ops/rollouts/checkout/history"),
        StatusCode::OK,
    )
    .await;
    let reasons: Vec<String> = history
        .items
        .iter()
        .filter_map(|event| event.data.get("reason")?.as_str().map(str::to_owned))
        .collect();
    assert!(reasons[0].contains("completed"), "{reasons:?}");
    assert!(
        reasons
            .iter()
            .any(|reason| reason.contains("step 1 passed")),
        "{reasons:?}"
    );

    let stop_ramp = ramp("broken");
    let set = server
        .ops(Method::PUT, "/v1/ops/rollouts/checkout")
        .json(&stop_ramp);
    assert_eq!(common::status_of(set).await, StatusCode::OK);
    let halted = drive_ramp(&server, "broken", true).await;
    assert_eq!(
        halted.ramp.as_ref().and_then(|ramp| ramp.state),
        Some(RampState::Halted)
    );
    let weights: Vec<f64> = halted.entries.iter().map(|entry| entry.weight).collect();
    assert_eq!(weights, [1.0, 0.0], "the broken release lost its traffic");
    let history: ReleaseEventPage = fetch_json(
        server.ops(Method::GET, "/v1/ops/rollouts/checkout/history"),
        StatusCode::OK,
    )
    .await;
    let latest = &history.items[0];
    assert_eq!(latest.type_.to_string(), "ReleaseHalted");
    let reason = latest.data.get("reason").and_then(|reason| reason.as_str());
    assert!(
        reason.is_some_and(|reason| reason.contains("error rate") && reason.contains("step 1")),
        "{reason:?}"
    );
    let audit: serde_json::Value =
        fetch_json(server.ops(Method::GET, "/v1/ops/audit"), StatusCode::OK).await;
    let latest = &audit["items"][0];
    assert_eq!(latest["action"], "halt", "{audit}");
    assert_eq!(latest["actor"], "guarded ramp", "{audit}");
    server.stop().await;
}

#[tokio::test]
async fn web_vitals_are_rated_per_release_at_their_75th_percentile() {
    let server = TestServer::start_with(|config| {
        config.telemetry_min_visitors = 1_000_000;
        config.telemetry_visitors_per_address = 1_000_000;
    })
    .await;
    publish(&server, "checkout", "control", JS).await;
    publish(&server, "checkout", "variant", b"export default 2;").await;
    let entries =
        json!([{"releaseId": "control", "weight": 0.5}, {"releaseId": "variant", "weight": 0.5}]);
    assert_eq!(
        set_rollout(&server, "checkout", entries, None)
            .await
            .status(),
        StatusCode::OK
    );
    // Control pages paint in 1.8 s, the variant's in 4.5 s; a vital naming no app counts nothing.
    for (arm, lcp) in [(0, 1800.0), (1, 4500.0)] {
        for _ in 0..4 {
            let session = server.telemetry_session().await;
            let at = "2026-12-05T10:00:00Z";
            server
                .send_beacons(json!({"visitorId": visitor_on(arm), "session": session, "beacons": [
                    {"kind": "web_vital", "app": "checkout", "name": "LCP", "value": lcp, "at": at},
                    {"kind": "web_vital", "app": "checkout", "name": "CLS", "value": 0.02, "at": at},
                    {"kind": "web_vital", "app": "checkout", "name": "INP", "value": 350.0, "at": at},
                    {"kind": "web_vital", "name": "LCP", "value": 99999.0, "at": at},
                ]}))
                .await;
        }
    }
    let stats: RolloutStats = fetch_json(
        server.ops(Method::GET, "/v1/ops/rollouts/checkout/stats"),
        StatusCode::OK,
    )
    .await;
    let vitals_of = |release: &str| -> Vec<(String, f64, String, i64)> {
        stats
            .releases
            .iter()
            .find(|stats| stats.release_id.to_string() == release)
            .map(|stats| {
                stats
                    .vitals
                    .iter()
                    .map(|vital| {
                        (
                            vital.name.to_string(),
                            vital.p75,
                            vital.rating.to_string(),
                            vital.samples,
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    assert_eq!(
        vitals_of("control"),
        [
            ("LCP".to_owned(), 1800.0, "good".to_owned(), 4),
            ("INP".to_owned(), 350.0, "needs-improvement".to_owned(), 4),
            ("CLS".to_owned(), 0.02, "good".to_owned(), 4),
        ]
    );
    assert_eq!(
        vitals_of("variant")[0],
        ("LCP".to_owned(), 4500.0, "poor".to_owned(), 4)
    );
    server.stop().await;
}
