//! Publishing releases and setting rollouts through the ops API, as a deploy does.

use api_client::types::Release;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use super::{TestServer, fetch_json};

pub const JS: &[u8] = b"export default async function init() {}\nexport function mount() {}\n";
pub const WASM: &[u8] = b"\0asm\x01\0\0\0 a tiny stand-in for a module";

pub fn integrity(bytes: &[u8]) -> String {
    use base64::Engine;
    use sha2::Digest;
    format!(
        "sha384-{}",
        base64::engine::general_purpose::STANDARD.encode(sha2::Sha384::digest(bytes))
    )
}

pub async fn publish(server: &TestServer, app: &str, release: &str, js: &[u8]) -> Release {
    for (name, bytes) in [("app.js", js), ("app_bg.wasm", WASM)] {
        let response = server
            .ops(
                Method::PUT,
                &format!("/v1/ops/releases/{app}/{release}/files/{name}"),
            )
            .header("content-type", "application/octet-stream")
            .body(bytes.to_vec())
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            StatusCode::CREATED,
            "{}",
            response.text().await.unwrap()
        );
    }
    register(server, app, release, js).await
}

/// Publishes the uploaded `app.js` (holding `js`) and `app_bg.wasm` of `release`.
pub async fn register(server: &TestServer, app: &str, release: &str, js: &[u8]) -> Release {
    let metadata = json!({
        "app": app, "releaseId": release, "version": "1.0.0", "gitRevision": "abc1234", "builtAt": "2026-11-21T10:00:00Z",
        "files": [
            {"path": "app.js", "role": "js", "size": js.len(), "integrity": integrity(js)},
            {"path": "app_bg.wasm", "role": "wasm", "size": WASM.len(), "integrity": integrity(WASM)},
        ]
    });
    fetch_json(
        server.ops(Method::POST, "/v1/ops/releases").json(&metadata),
        StatusCode::CREATED,
    )
    .await
}

/// Publishes `release` of `app` and gives it all of the app's traffic.
pub async fn publish_live(server: &TestServer, app: &str, release: &str) -> Release {
    let published = publish(server, app, release, JS).await;
    set_rollout(
        server,
        app,
        serde_json::json!([{"releaseId": release, "weight": 1.0}]),
        None,
    )
    .await;
    published
}

pub async fn set_rollout(
    server: &TestServer,
    app: &str,
    entries: Value,
    stop: Option<Value>,
) -> reqwest::Response {
    let mut body = json!({"app": app, "seed": format!("{app}-seed"), "entries": entries});
    if let Some(stop) = stop {
        body["stopCondition"] = stop;
    }
    server
        .ops(Method::PUT, &format!("/v1/ops/rollouts/{app}"))
        .json(&body)
        .send()
        .await
        .unwrap()
}
