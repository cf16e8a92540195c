//! The release platform over real HTTP (uploads are in `release_uploads.rs`): the
//! manifest, rollouts with rollback and history, a stop condition halting a failing release, and
//! the CDN origin's caching and compression.

mod common;

use api_client::types::{Manifest, ReleaseEventPage, Rollout, RolloutStats};
use common::releases::{JS, WASM, integrity, publish, publish_live, set_rollout};
use common::{TestServer, fetch_json, fetch_problem, json_of, problem, status_of, text_of};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

#[tokio::test]
async fn rollouts_shape_the_manifest_and_roll_back() {
    let server = TestServer::start().await;
    publish(&server, "product-detail", "a", JS).await;
    publish(&server, "product-detail", "b", b"export default 2;").await;
    let first: Rollout = json_of(
        set_rollout(
            &server,
            "product-detail",
            json!([{"releaseId": "a", "weight": 1.0}]),
            None,
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(first.revision, Some(1));
    let split: Rollout = json_of(
        set_rollout(
            &server,
            "product-detail",
            json!([{"releaseId": "a", "weight": 0.9}, {"releaseId": "b", "weight": 0.1}]),
            None,
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(split.revision, Some(2));

    let response = server
        .public(Method::GET, "/v1/manifest")
        .send()
        .await
        .unwrap();
    let cache = response.headers()["cache-control"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        cache.contains("max-age=30") && cache.contains("stale-while-revalidate"),
        "{cache}"
    );
    let etag = response.headers()["etag"].to_str().unwrap().to_owned();
    let manifest: Manifest = json_of(response, StatusCode::OK).await;
    let revalidated = server
        .public(Method::GET, "/v1/manifest")
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(
        revalidated.status(),
        StatusCode::NOT_MODIFIED,
        "an unchanged manifest is a 304"
    );
    let app = &manifest.apps[0];
    assert_eq!(app.releases.len(), 2);
    assert_eq!(app.releases[1].weight, 0.1);
    assert_eq!(
        app.releases[0].files.js.integrity.to_string(),
        integrity(JS)
    );

    let rolled_back: Rollout = fetch_json(
        server.ops(
            Method::POST,
            "/v1/ops/rollouts/product-detail/rollback?reason=conversion%20dropped",
        ),
        StatusCode::OK,
    )
    .await;
    assert_eq!(rolled_back.revision, Some(3));
    let after_rollback = server
        .public(Method::GET, "/v1/manifest")
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(
        after_rollback.status(),
        StatusCode::OK,
        "a rollback changes the manifest's ETag"
    );
    assert_eq!(rolled_back.entries.len(), 1);
    let history: ReleaseEventPage = fetch_json(
        server.ops(Method::GET, "/v1/ops/rollouts/product-detail/history"),
        StatusCode::OK,
    )
    .await;
    let kinds: Vec<String> = history.items.iter().map(|e| e.type_.to_string()).collect();
    assert_eq!(
        kinds,
        [
            "RolloutRolledBack",
            "RolloutUpdated",
            "RolloutUpdated",
            "ReleasePublished",
            "ReleasePublished"
        ]
    );
    // Every rollout change is in the audit trail with who made it and why.
    let audit: Value = fetch_json(server.ops(Method::GET, "/v1/ops/audit"), StatusCode::OK).await;
    let entries = audit["items"].as_array().unwrap();
    let actions: Vec<&str> = entries
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["rollback", "rollout", "rollout"], "{audit}");
    assert_eq!(entries[0]["reason"], "conversion dropped");
    assert!(
        entries[0]["actor"].as_str().unwrap().starts_with("ops:"),
        "{audit}"
    );
    assert_eq!(entries[0]["subject"], "rollout of product-detail");

    // Weights that do not add up to one, and a release that was never published.
    for entries in [
        json!([{"releaseId": "a", "weight": 0.5}]),
        json!([{"releaseId": "zzz", "weight": 1.0}]),
    ] {
        let refused = set_rollout(&server, "product-detail", entries, None).await;
        problem(refused, StatusCode::UNPROCESSABLE_ENTITY, "rollout-invalid").await;
    }
    fetch_problem(
        server.ops(Method::POST, "/v1/ops/rollouts/checkout/rollback"),
        StatusCode::NOT_FOUND,
        "not-found",
    )
    .await;
    server.stop().await;
}

#[tokio::test]
async fn a_release_over_its_error_budget_is_halted() {
    let server = TestServer::start_with(|config| {
        config.telemetry_min_visitors = 10;
        config.telemetry_visitors_per_address = 1000;
    })
    .await;
    publish(&server, "checkout", "good", JS).await;
    publish(&server, "checkout", "bad", b"export default 3;").await;
    let stop = json!({"maxErrorRate": 0.2, "minExposures": 10});
    let entries =
        json!([{"releaseId": "good", "weight": 0.5}, {"releaseId": "bad", "weight": 0.5}]);
    assert_eq!(
        set_rollout(&server, "checkout", entries, Some(stop))
            .await
            .status(),
        StatusCode::OK
    );
    // Real visitors, each with the page's telemetry session, report what they were served:
    // every one on "bad" also reports an error.
    let mut on_bad = 0;
    while on_bad < 10 {
        let visitor = uuid::Uuid::new_v4().to_string();
        let release =
            ["good", "bad"][micro_app::assign("checkout-seed", &visitor, &[0.5, 0.5]).unwrap()];
        let mut beacons = vec![
            json!({"kind": "exposure", "app": "checkout", "releaseId": release, "at": "2026-11-21T10:00:00Z"}),
            json!({"kind": "load_timing", "app": "checkout", "releaseId": release, "phase": "total", "millis": 120.0, "at": "2026-11-21T10:00:00Z"}),
        ];
        if release == "bad" {
            on_bad += 1;
            beacons.push(json!({"kind": "error", "app": "checkout", "releaseId": "bad", "message": "boom", "at": "2026-11-21T10:00:00Z"}));
        }
        let session = server.telemetry_session().await;
        server
            .send_beacons(json!({"visitorId": visitor, "session": session, "beacons": beacons}))
            .await;
    }

    let rollout: Rollout = fetch_json(
        server.ops(Method::GET, "/v1/ops/rollouts/checkout"),
        StatusCode::OK,
    )
    .await;
    let weights: Vec<(String, f64)> = rollout
        .entries
        .iter()
        .map(|e| (e.release_id.to_string(), e.weight))
        .collect();
    assert_eq!(weights, [("good".to_owned(), 1.0), ("bad".to_owned(), 0.0)]);
    let history: ReleaseEventPage = fetch_json(
        server.ops(Method::GET, "/v1/ops/rollouts/checkout/history"),
        StatusCode::OK,
    )
    .await;
    let halted = &history.items[0];
    assert_eq!(halted.type_.to_string(), "ReleaseHalted");
    assert_eq!(
        halted
            .release_id
            .as_ref()
            .map(ToString::to_string)
            .as_deref(),
        Some("bad")
    );

    let stats: RolloutStats = fetch_json(
        server.ops(Method::GET, "/v1/ops/rollouts/checkout/stats"),
        StatusCode::OK,
    )
    .await;
    assert_eq!(stats.revision, 2, "stats start over with the new revision");
    server.stop().await;
}

#[tokio::test]
async fn the_cdn_origin_serves_immutable_compressed_files() {
    let server = TestServer::start().await;
    publish(&server, "product-detail", "r1", JS).await;
    let url = "/releases/product-detail/r1/app_bg.wasm";
    let plain = server
        .public(Method::GET, url)
        .header("accept-encoding", "identity")
        .send()
        .await
        .unwrap();
    assert_eq!(plain.status(), StatusCode::OK);
    assert_eq!(plain.headers()["content-type"], "application/wasm");
    assert_eq!(
        plain.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    let etag = plain.headers()["etag"].to_str().unwrap().to_owned();
    assert!(
        etag.starts_with('"') && etag.len() == 66,
        "strong sha256 etag: {etag}"
    );
    assert_eq!(plain.bytes().await.unwrap().as_ref(), WASM);

    let brotli = server
        .public(Method::GET, url)
        .header("accept-encoding", "gzip, br")
        .send()
        .await
        .unwrap();
    assert_eq!(brotli.headers()["content-encoding"], "br");
    assert_eq!(brotli.headers()["vary"], "Accept-Encoding");
    let gzip = server
        .public(Method::GET, url)
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(gzip.headers()["content-encoding"], "gzip");

    let revalidated = server
        .public(Method::GET, url)
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(revalidated.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(
        status_of(server.public(Method::GET, "/releases/product-detail/r1/nope.js")).await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        status_of(server.public(Method::GET, "/releases/product-detail/r1/..%2F..%2Fsecret")).await,
        StatusCode::NOT_FOUND
    );
    server.stop().await;
}

#[tokio::test]
async fn the_shell_page_carries_a_strict_policy() {
    let server = TestServer::start().await;
    for path in [
        "/",
        "/products/merino-crew-sweater",
        "/checkout",
        "/orders/abc",
        "/ops/connectors",
    ] {
        let response = server.public(Method::GET, path).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let csp = response.headers()["content-security-policy"]
            .to_str()
            .unwrap();
        assert!(
            csp.contains("script-src 'self' 'wasm-unsafe-eval'"),
            "{csp}"
        );
        let script_src = csp
            .split(';')
            .find(|d| d.trim().starts_with("script-src"))
            .unwrap();
        assert!(
            !script_src.contains("unsafe-inline"),
            "no inline script: {csp}"
        );
        assert_eq!(response.headers()["x-content-type-options"], "nosniff");
        assert!(response.headers().contains_key("referrer-policy"));
    }
    server.stop().await;
}

#[tokio::test]
async fn the_shell_page_pins_every_module_integrity_in_an_import_map() {
    let server = TestServer::start().await;
    let bare = text_of(server.public(Method::GET, "/")).await;
    assert!(!bare.contains("importmap"), "no releases, no map");
    publish_live(&server, "product-detail", "r1").await;
    let response = server
        .public(Method::GET, "/products/merino-crew-sweater")
        .send()
        .await
        .unwrap();
    let csp = response.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    let html = response.text().await.unwrap();
    let start = html
        .find("<script type=\"importmap\">")
        .expect("an import map")
        + "<script type=\"importmap\">".len();
    let map_text = &html[start..start + html[start..].find("</script>").unwrap()];
    let map: Value = serde_json::from_str(map_text).unwrap();
    assert_eq!(
        map["integrity"]["/releases/product-detail/r1/app.js"],
        integrity(JS)
    );
    use base64::Engine;
    use sha2::Digest;
    let hash =
        base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(map_text.as_bytes()));
    assert!(csp.contains(&format!("'sha256-{hash}'")), "{csp}");
    server.stop().await;
}

#[tokio::test]
async fn release_origins_are_listed_pinned_allowed_and_refused_when_malformed() {
    let origins = vec![
        "https://cdn-a.example".to_owned(),
        "https://cdn-b.example".to_owned(),
    ];
    let listed = origins.clone();
    let server = TestServer::start_with(move |config| config.release_origins = listed).await;
    publish_live(&server, "product-detail", "r1").await;
    let manifest: Manifest =
        fetch_json(server.public(Method::GET, "/v1/manifest"), StatusCode::OK).await;
    assert_eq!(manifest.origins, origins);
    let response = server.public(Method::GET, "/").send().await.unwrap();
    let csp = response.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        csp.contains("connect-src 'self' https://cdn-a.example https://cdn-b.example;"),
        "{csp}"
    );
    let html = response.text().await.unwrap();
    for origin in &origins {
        assert!(
            html.contains(&format!("\"{origin}/releases/product-detail/r1/app.js\"")),
            "pinned at {origin}: {html}"
        );
    }
    server.stop().await;

    let mut config = tessera_server::config::Config::new(std::env::temp_dir());
    for bad in [
        "ftp://cdn.example",
        "https://cdn.example/path",
        "https://a b",
    ] {
        config.release_origins = vec![bad.to_owned()];
        assert!(config.check().is_err(), "{bad} is refused");
    }
}
