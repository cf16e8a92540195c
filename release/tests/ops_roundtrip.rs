//! The release tool against a real server: build a release from a trunk-like dist, publish it
//! (twice: idempotent), roll out two releases, explain an assignment, roll back.

use std::path::PathBuf;

use tessera_release::build::{BuildRequest, build_release};
use tessera_release::ops::{OpsApi, explain_assignment};

const TOKEN: &str = "release-tool-test-token-0123456789abcdef";

fn dist(label: &str, js: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tessera-release-{label}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("app-0001.js"), js).unwrap();
    std::fs::write(dir.join("app-0001_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
    std::fs::write(dir.join("index.html"), b"<html></html>").unwrap();
    dir
}

#[tokio::test(flavor = "multi_thread")]
async fn build_publish_roll_out_explain_and_roll_back() {
    let data = std::env::temp_dir().join(format!("tessera-release-data-{}", std::process::id()));
    let mut config = tessera_server::config::Config::new(data);
    config.addr = "127.0.0.1:0".parse().unwrap();
    config.ops_token = Some(TOKEN.into());
    let server = tessera_server::start(config).await.unwrap();
    let base = format!("http://{}", server.addr);

    let report = tokio::task::spawn_blocking(move || {
        let out = std::env::temp_dir().join(format!("tessera-release-out-{}", std::process::id()));
        let build = |label: &str, js: &[u8]| {
            let dist = dist(label, js);
            build_release(&BuildRequest {
                app: "product-detail",
                dist: &dist,
                renderer: None,
                out: &out,
                version: &format!("1.0.0-{label}"),
                git_revision: "abc1234",
            })
            .unwrap()
        };
        let (a, b) = (
            build("a", b"export default 1"),
            build("b", b"export default 2"),
        );
        let api = OpsApi::new(&base, TOKEN);
        let published = api.publish(&a).unwrap();
        assert_eq!(
            api.publish(&a).unwrap(),
            published,
            "publishing again changes nothing"
        );
        let second = api.publish(&b).unwrap();
        let (id_a, id_b) = (
            published.release_id.to_string(),
            second.release_id.to_string(),
        );

        api.set_rollout("product-detail", &[(id_a.clone(), 1.0)], None, None)
            .unwrap();
        let split = api
            .set_rollout(
                "product-detail",
                &[(id_a.clone(), 0.5), (id_b.clone(), 0.5)],
                None,
                Some((0.05, 100)),
            )
            .unwrap();
        assert_eq!(
            split.seed, "product-detail",
            "the first rollout's seed is kept"
        );
        assert!(
            api.set_rollout("product-detail", &[(id_a.clone(), 0.7)], None, None)
                .is_err(),
            "weights must sum to 1"
        );

        let explained = explain_assignment(&base, "product-detail", "visitor-42").unwrap();
        let expected = micro_app::assign("product-detail", "visitor-42", &[0.5, 0.5]).unwrap();
        let chosen = if expected == 0 { &id_a } else { &id_b };
        assert!(explained.ends_with(&format!("→ {chosen}")), "{explained}");

        let rolled_back = api.rollback("product-detail").unwrap();
        assert_eq!(rolled_back.entries.len(), 1);
        assert_eq!(rolled_back.entries[0].release_id.to_string(), id_a);
        explained
    })
    .await
    .unwrap();
    assert!(report.contains("GrowthBook v2 hash"));
    server.shutdown().await.unwrap();
}
