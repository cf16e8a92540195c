//! Uploading and publishing release files over real HTTP: immutability, integrity checked at
//! publish, and brotli uploads kept as they came.

mod common;

use common::releases::{JS, WASM, integrity, publish, register};
use common::{TestServer, fetch_problem, problem};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

#[tokio::test]
async fn releases_are_immutable_and_verified() {
    let server = TestServer::start().await;
    let release = publish(&server, "product-detail", "r1", JS).await;
    assert_eq!(release.total_size, (JS.len() + WASM.len()) as i64);
    assert_eq!(release.files[0].url, "/releases/product-detail/r1/app.js");

    let same = server
        .ops(
            Method::PUT,
            "/v1/ops/releases/product-detail/r1/files/app.js",
        )
        .body(JS.to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(same.status(), StatusCode::OK, "same bytes again are fine");
    let different = server
        .ops(
            Method::PUT,
            "/v1/ops/releases/product-detail/r1/files/app.js",
        )
        .body(b"other".to_vec())
        .send()
        .await
        .unwrap();
    problem(different, StatusCode::CONFLICT, "release-immutable").await;

    let lying = json!({
        "app": "product-detail", "releaseId": "r2", "version": "1.0.0", "gitRevision": "abcdef0", "builtAt": "2026-11-21T10:00:00Z",
        "files": [{"path": "app.js", "role": "js", "size": 3, "integrity": integrity(b"abc")},
                  {"path": "app_bg.wasm", "role": "wasm", "size": 3, "integrity": integrity(b"abc")}]
    });
    fetch_problem(
        server.ops(Method::POST, "/v1/ops/releases").json(&lying),
        StatusCode::UNPROCESSABLE_ENTITY,
        "release-file-missing",
    )
    .await;
    server
        .ops(
            Method::PUT,
            "/v1/ops/releases/product-detail/r2/files/app.js",
        )
        .body(JS.to_vec())
        .send()
        .await
        .unwrap();
    server
        .ops(
            Method::PUT,
            "/v1/ops/releases/product-detail/r2/files/app_bg.wasm",
        )
        .body(WASM.to_vec())
        .send()
        .await
        .unwrap();
    fetch_problem(
        server.ops(Method::POST, "/v1/ops/releases").json(&lying),
        StatusCode::UNPROCESSABLE_ENTITY,
        "integrity-mismatch",
    )
    .await;
    fetch_problem(
        server
            .shopper(
                Method::PUT,
                "/v1/ops/releases/product-detail/r3/files/app.js",
            )
            .body(JS.to_vec()),
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    server.stop().await;
}

/// A brotli stream of `bytes` at a quality the server never uses, so a served copy of exactly
/// these bytes is the uploaded one, not one the server made.
fn brotli_at_quality_5(bytes: &[u8]) -> Vec<u8> {
    let mut compressed = Vec::new();
    let mut writer = brotli::CompressorWriter::new(&mut compressed, 4096, 5, 22);
    std::io::Write::write_all(&mut writer, bytes).unwrap();
    drop(writer);
    compressed
}

#[tokio::test]
async fn a_brotli_upload_is_stored_decoded_and_served_as_it_came() {
    let server = TestServer::start_with(|config| config.upload_limit = 64 * 1024).await;
    let url = "/v1/ops/releases/product-detail/r1/files/app.js";
    let upload = |encoding: &str, body: Vec<u8>| {
        server
            .ops(Method::PUT, url)
            .header("content-encoding", encoding)
            .body(body)
    };
    let compressed = brotli_at_quality_5(JS);
    let stored = upload("br", compressed.clone()).send().await.unwrap();
    assert_eq!(stored.status(), StatusCode::CREATED);
    let stored: Value = stored.json().await.unwrap();
    assert_eq!(stored["size"], JS.len(), "the decoded file's size");
    assert_eq!(
        stored["integrity"],
        integrity(JS),
        "the decoded file's integrity"
    );
    let again = upload("identity", JS.to_vec()).send().await.unwrap();
    assert_eq!(
        again.status(),
        StatusCode::OK,
        "the same file, uncompressed"
    );
    let wasm = server
        .ops(
            Method::PUT,
            "/v1/ops/releases/product-detail/r1/files/app_bg.wasm",
        )
        .body(WASM.to_vec());
    assert_eq!(common::status_of(wasm).await, StatusCode::CREATED);
    register(&server, "product-detail", "r1", JS).await;

    let shop = &server;
    let served = |accept: &'static str| async move {
        let response = shop
            .public(Method::GET, "/releases/product-detail/r1/app.js")
            .header("accept-encoding", accept)
            .send()
            .await
            .unwrap();
        response.bytes().await.unwrap().to_vec()
    };
    assert_eq!(served("identity").await, JS);
    assert_eq!(served("br").await, compressed, "the uploaded brotli form");

    fetch_problem(
        upload("br", JS.to_vec()),
        StatusCode::UNPROCESSABLE_ENTITY,
        "release-file-unreadable",
    )
    .await;
    let gzip = fetch_problem(
        upload("gzip", JS.to_vec()),
        StatusCode::BAD_REQUEST,
        "malformed-request",
    )
    .await;
    assert_eq!(gzip["errors"][0]["field"], "Content-Encoding", "{gzip}");
    // 1 KB of brotli that would inflate to 1 MB, past the 64 KB limit.
    let bomb = brotli_at_quality_5(&vec![0; 1024 * 1024]);
    assert!(bomb.len() < 1024);
    let response = server
        .ops(
            Method::PUT,
            "/v1/ops/releases/product-detail/r1/files/big.js",
        )
        .header("content-encoding", "br")
        .body(bomb)
        .send()
        .await
        .unwrap();
    problem(response, StatusCode::PAYLOAD_TOO_LARGE, "payload-too-large").await;
    server.stop().await;
}
