//! Abuse and isolation, probed as an attacker would: markup in media names, forged telemetry,
//! other shoppers' carts, checkouts and orders, floods, ops-token rotation and response headers.
//! Each test failed before the fix it guards.

mod common;

use api_client::types::{Rollout, RolloutStats};
use common::{
    OPS_TOKEN, Shop, TestServer, fetch_json, json_of, problem, status_of, temp_dir, test_config,
};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

#[tokio::test]
async fn media_names_are_never_markup() {
    let server = TestServer::start().await;
    let attack = server
        .public(
            Method::GET,
            "/media/a%22%20onload=%22alert(document.domain)--red.svg",
        )
        .send()
        .await
        .unwrap();
    problem(attack, StatusCode::NOT_FOUND, "not-found").await;
    let unknown_colour = server
        .public(Method::GET, "/media/organic-cotton-tee--%3Cscript%3E.svg")
        .send()
        .await
        .unwrap();
    assert_eq!(unknown_colour.status(), StatusCode::NOT_FOUND);

    let product = server.product("organic-cotton-tee").await;
    let image = &product.media[0].url;
    let response = server.public(Method::GET, image).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let headers = response.headers().clone();
    assert_eq!(headers["content-type"], "image/svg+xml");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(
        headers["content-security-policy"],
        "default-src 'none'; style-src 'unsafe-inline'"
    );
    let svg = response.text().await.unwrap();
    assert!(svg.contains("Organic Cotton Tee"), "{svg}");
    server.stop().await;
}

async fn publish_two_releases(server: &TestServer, stop: Value) {
    const JS: &[u8] = b"export default async function init() {}";
    const WASM: &[u8] = b"\0asm\x01\0\0\0";
    for release in ["stable", "canary"] {
        let mut files = Vec::new();
        for (name, role, bytes) in [("app.js", "js", JS), ("app_bg.wasm", "wasm", WASM)] {
            let uploaded: Value = fetch_json(
                server
                    .ops(
                        Method::PUT,
                        &format!("/v1/ops/releases/checkout/{release}/files/{name}"),
                    )
                    .header("content-type", "application/octet-stream")
                    .body(bytes.to_vec()),
                StatusCode::CREATED,
            )
            .await;
            files.push(json!({"path": name, "role": role, "size": bytes.len(), "integrity": uploaded["integrity"]}));
        }
        let metadata = json!({"app": "checkout", "releaseId": release, "version": "1.0.0", "gitRevision": "abc1234", "builtAt": "2026-11-21T10:00:00Z", "files": files});
        let response = server
            .ops(Method::POST, "/v1/ops/releases")
            .json(&metadata)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::CREATED);
    }
    let rollout = json!({"app": "checkout", "seed": "seed", "stopCondition": stop,
        "entries": [{"releaseId": "stable", "weight": 0.9}, {"releaseId": "canary", "weight": 0.1}]});
    let response = server
        .ops(Method::PUT, "/v1/ops/rollouts/checkout")
        .json(&rollout)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
}

fn beacon(kind: &str, release: &str) -> Value {
    json!({"kind": kind, "app": "checkout", "releaseId": release, "message": "boom", "at": "2026-11-21T10:00:00Z"})
}

/// A visitor id that the rollout (seed `seed`, 90/10) assigns to the canary.
fn canary_visitor() -> String {
    loop {
        let visitor = uuid::Uuid::new_v4().to_string();
        if micro_app::assign("seed", &visitor, &[0.9, 0.1]) == Some(1) {
            return visitor;
        }
    }
}

async fn canary_stats(server: &TestServer) -> (i64, i64) {
    let stats: RolloutStats = fetch_json(
        server.ops(Method::GET, "/v1/ops/rollouts/checkout/stats"),
        StatusCode::OK,
    )
    .await;
    let canary = stats
        .releases
        .iter()
        .find(|release| release.release_id.to_string() == "canary")
        .expect("the canary has stats");
    (canary.exposures, canary.errors)
}

async fn canary_weight(server: &TestServer) -> f64 {
    let rollout: Rollout = fetch_json(
        server.ops(Method::GET, "/v1/ops/rollouts/checkout"),
        StatusCode::OK,
    )
    .await;
    rollout
        .entries
        .iter()
        .find(|entry| entry.release_id.to_string() == "canary")
        .map(|entry| entry.weight)
        .unwrap()
}

#[tokio::test]
async fn telemetry_cannot_be_steered_by_one_client() {
    let server = TestServer::start().await;
    publish_two_releases(&server, json!({"maxErrorRate": 0.2, "minExposures": 5})).await;
    let flood: Vec<Value> = (0..50)
        .flat_map(|_| [beacon("exposure", "canary"), beacon("error", "canary")])
        .collect();

    // The attack from the probe: one anonymous batch of exposures and errors.
    let visitor = canary_visitor();
    server
        .send_beacons(json!({"visitorId": visitor, "beacons": flood}))
        .await;
    assert_eq!(
        canary_stats(&server).await,
        (0, 0),
        "no session, nothing counts"
    );

    // With a forged or foreign session.
    server
        .send_beacons(json!({"visitorId": visitor, "session": "a.1.forged", "beacons": flood}))
        .await;
    assert_eq!(canary_stats(&server).await, (0, 0));

    // With a real session: the visitor counts once however many beacons it sends.
    let session = server.telemetry_session().await;
    server
        .send_beacons(json!({"visitorId": visitor, "session": session, "beacons": flood}))
        .await;
    assert_eq!(canary_stats(&server).await, (1, 1));

    // The same session in other visitors' names counts nothing more.
    for _ in 0..5 {
        server
            .send_beacons(
                json!({"visitorId": canary_visitor(), "session": session, "beacons": flood}),
            )
            .await;
    }
    assert_eq!(canary_stats(&server).await, (1, 1));

    // A visitor the server assigns to the stable release cannot report for the canary.
    let stable_visitor = loop {
        let visitor = uuid::Uuid::new_v4().to_string();
        if micro_app::assign("seed", &visitor, &[0.9, 0.1]) == Some(0) {
            break visitor;
        }
    };
    let session = server.telemetry_session().await;
    server
        .send_beacons(json!({"visitorId": stable_visitor, "session": session, "beacons": flood}))
        .await;
    assert_eq!(canary_stats(&server).await, (1, 1));

    // Many sessions and visitors from one address: only the first ten count, below the
    // twenty distinct visitors a stop condition needs, so the canary keeps its traffic.
    for _ in 0..30 {
        let session = server.telemetry_session().await;
        server
            .send_beacons(
                json!({"visitorId": canary_visitor(), "session": session, "beacons": flood}),
            )
            .await;
    }
    assert_eq!(canary_stats(&server).await, (10, 10));
    assert_eq!(
        canary_weight(&server).await,
        0.1,
        "the canary was not halted"
    );
    server.stop().await;
}

#[tokio::test]
async fn a_shopper_cannot_reach_another_shoppers_cart_checkout_or_order() {
    let server = TestServer::start().await;
    let intruder = Shop::connect(&server.base).await;
    let variant = server.preorder_variant().await;
    let cart = server.create_cart(&variant, 1).await;
    let checkout = server.ready_checkout(&cart).await;
    let token = server.card_token("4242424242424242").await;
    let order: Value = fetch_json(
        server.complete(&checkout.id, &token, "owner-complete-1"),
        StatusCode::ACCEPTED,
    )
    .await;
    let order_id = order["id"].as_str().unwrap();
    let open_cart = server.create_cart(&variant, 1).await;
    let cart_path = format!("/v1/carts/{}", open_cart.id);
    let checkout_path = format!("/v1/checkouts/{}", checkout.id);
    let attempts = [
        intruder.shopper(Method::GET, &cart_path),
        intruder
            .shopper(Method::POST, &format!("{cart_path}/lines"))
            .header("if-match", "1")
            .json(&json!({"variantId": variant, "quantity": 1})),
        intruder
            .shopper(Method::PUT, &format!("{cart_path}/promotion"))
            .header("if-match", "1")
            .json(&json!({"code": "WELCOME10"})),
        intruder
            .shopper(Method::POST, "/v1/checkouts")
            .json(&json!({"cartId": open_cart.id})),
        intruder.shopper(Method::GET, &checkout_path),
        intruder
            .shopper(Method::PUT, &format!("{checkout_path}/addresses"))
            .json(&json!({"shippingAddress": {"name": "Mallory", "line1": "1 Evil St", "city": "Springfield", "region": "IL", "postalCode": "62701", "country": "US"}})),
        intruder
            .shopper(Method::PUT, &format!("{checkout_path}/contact"))
            .json(&json!({"email": "mallory@example.com"})),
        intruder.shopper(Method::GET, &format!("{checkout_path}/shipping-options")),
        intruder.shopper(Method::GET, &format!("/v1/orders/{order_id}")),
        intruder.shopper(Method::GET, &format!("/v1/orders/{order_id}/events/stream")),
    ];
    for attempt in attempts {
        let request = attempt.build().unwrap();
        let described = format!("{} {}", request.method(), request.url().path());
        let response = intruder.http.execute(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{described}");
    }
    // Nothing changed, and the owner and ops still reach everything.
    assert_eq!(server.order(order_id).await.email, "ada@example.com");
    let owner_cart = server
        .shopper(Method::GET, &cart_path)
        .send()
        .await
        .unwrap();
    let owner_cart: Value = json_of(owner_cart, StatusCode::OK).await;
    assert_eq!(owner_cart["version"], 1);
    let ops_view = server
        .ops(Method::GET, &format!("/v1/orders/{order_id}"))
        .send()
        .await
        .unwrap();
    assert_eq!(ops_view.status(), StatusCode::OK);
    server.stop().await;
}

#[tokio::test]
async fn floods_are_answered_429_with_retry_after() {
    let server = TestServer::start_with(|config| {
        let mut limits = tessera_server::LimitsConfig::default();
        limits.set("sessions-per-address=6/3").unwrap();
        limits.set("card-tokens-per-token=6/2").unwrap();
        config.rate_limits = Some(limits);
    })
    .await;
    // The harness already opened one session.
    let mut statuses = Vec::new();
    for _ in 0..4 {
        let response = server
            .public(Method::POST, "/v1/sessions")
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        statuses.push(response.status());
        if response.status() == StatusCode::TOO_MANY_REQUESTS {
            let retry_after: u64 = response.headers()["retry-after"]
                .to_str()
                .unwrap()
                .parse()
                .unwrap();
            assert!(retry_after >= 1);
            problem(response, StatusCode::TOO_MANY_REQUESTS, "rate-limited").await;
        }
    }
    assert_eq!(
        statuses,
        [
            StatusCode::CREATED,
            StatusCode::CREATED,
            StatusCode::TOO_MANY_REQUESTS,
            StatusCode::TOO_MANY_REQUESTS
        ]
    );
    let card = json!({"number": "4242424242424242", "expMonth": 12, "expYear": 2035, "cvc": "123", "holderName": "Ada"});
    let mut card_statuses = Vec::new();
    for _ in 0..3 {
        let response = server
            .shopper(Method::POST, "/v1/payments/tokens")
            .json(&card)
            .send()
            .await
            .unwrap();
        card_statuses.push(response.status());
    }
    assert_eq!(
        card_statuses[2],
        StatusCode::TOO_MANY_REQUESTS,
        "{card_statuses:?}"
    );
    // The catalog is still served: only the flooded operations wait.
    assert_eq!(
        status_of(server.public(Method::GET, "/v1/products?limit=1")).await,
        StatusCode::OK
    );
    server.stop().await;
}

#[tokio::test]
async fn rotating_the_ops_token_revokes_the_old_one_and_short_tokens_are_refused() {
    let data_dir = temp_dir("rotation");
    let first = tessera_server::start(test_config(data_dir.clone()))
        .await
        .unwrap();
    first.shutdown().await.unwrap();
    let mut rotated = test_config(data_dir.clone());
    rotated.ops_token = Some("a-new-ops-token-for-the-second-start-0123".into());
    let running = tessera_server::start(rotated).await.unwrap();
    let http = reqwest::Client::new();
    let rollouts = format!("http://{}/v1/ops/dead-letters", running.addr);
    let old = http
        .get(&rollouts)
        .bearer_auth(OPS_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(
        old.status(),
        StatusCode::UNAUTHORIZED,
        "the old token is revoked"
    );
    let new = http
        .get(&rollouts)
        .bearer_auth("a-new-ops-token-for-the-second-start-0123")
        .send()
        .await
        .unwrap();
    assert_eq!(new.status(), StatusCode::OK);
    running.shutdown().await.unwrap();

    let mut short = test_config(temp_dir("short-token"));
    short.ops_token = Some("too-short".into());
    let refused = tessera_server::start(short).await.err().expect("refused");
    assert!(refused.to_string().contains("at least 32"), "{refused}");
}

#[tokio::test]
async fn personal_data_is_not_cached_metrics_need_ops_and_unpublished_files_are_not_served() {
    let apps_dir = temp_dir("apps");
    std::fs::create_dir_all(apps_dir.join("shell")).unwrap();
    std::fs::write(
        apps_dir.join("shell/index.html"),
        "<!doctype html><script>alert(1)</script>",
    )
    .unwrap();
    let server = TestServer::start_with(|config| config.apps_dir = Some(apps_dir.clone())).await;
    let variant = server.preorder_variant().await;
    let cart = server.create_cart(&variant, 1).await;
    let response = server
        .shopper(Method::GET, &format!("/v1/carts/{}", cart.id))
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["cache-control"], "no-store");
    assert_eq!(response.headers()["x-content-type-options"], "nosniff");

    let metrics = server.public(Method::GET, "/metrics").send().await.unwrap();
    assert_eq!(metrics.status(), StatusCode::UNAUTHORIZED);
    let as_shopper = server
        .shopper(Method::GET, "/metrics")
        .send()
        .await
        .unwrap();
    assert_eq!(as_shopper.status(), StatusCode::FORBIDDEN);

    let shell_file = server
        .public(Method::GET, "/apps/shell/index.html")
        .send()
        .await
        .unwrap();
    assert_eq!(shell_file.status(), StatusCode::OK);
    let policy = shell_file.headers()["content-security-policy"]
        .to_str()
        .unwrap();
    assert!(
        policy.contains("script-src 'self' 'wasm-unsafe-eval';"),
        "{policy}"
    );
    assert!(
        !policy.contains("sha256-"),
        "no inline script is allowed: {policy}"
    );

    let uploaded = server
        .ops(Method::PUT, "/v1/ops/releases/checkout/draft/files/app.js")
        .header("content-type", "application/octet-stream")
        .body("export default 1;")
        .send()
        .await
        .unwrap();
    assert_eq!(uploaded.status(), StatusCode::CREATED);
    let unpublished = server
        .public(Method::GET, "/releases/checkout/draft/app.js")
        .send()
        .await
        .unwrap();
    assert_eq!(unpublished.status(), StatusCode::NOT_FOUND);
    server.stop().await;
}
