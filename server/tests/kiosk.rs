//! The kiosk channel's server side: the policy kiosks read (open until an operator closes them,
//! with the message a closed kiosk shows), who may set it, and the pages and scripts a kiosk
//! loads.

mod common;

use api_client::types::KioskPolicy;
use common::{TestServer, fetch_json, status_of, text_of};
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn operators_close_and_reopen_every_kiosk() {
    let server = TestServer::start().await;
    let policy: KioskPolicy = fetch_json(
        server.public(Method::GET, "/v1/kiosk/policy"),
        StatusCode::OK,
    )
    .await;
    assert!(policy.open, "{policy:?}");
    let counter = policy
        .pickup_address
        .clone()
        .expect("the demo store's counter");

    let close = json!({"open": false, "message": "  Closed for stocktaking  "});
    assert_eq!(
        status_of(
            server
                .public(Method::PUT, "/v1/ops/kiosk/policy")
                .json(&close)
        )
        .await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        status_of(
            server
                .shopper(Method::PUT, "/v1/ops/kiosk/policy")
                .json(&close)
        )
        .await,
        StatusCode::FORBIDDEN,
        "a shopper's token has no ops role"
    );
    let closed: KioskPolicy = fetch_json(
        server.ops(Method::PUT, "/v1/ops/kiosk/policy").json(&close),
        StatusCode::OK,
    )
    .await;
    assert!(!closed.open);
    assert_eq!(closed.message.as_deref(), Some("Closed for stocktaking"));
    assert_eq!(
        closed.pickup_address,
        Some(counter),
        "closing keeps the counter"
    );
    assert!(
        closed
            .updated_by
            .as_deref()
            .is_some_and(|by| by.starts_with("ops:"))
    );
    let read = server
        .public(Method::GET, "/v1/kiosk/policy")
        .send()
        .await
        .unwrap();
    assert_eq!(read.headers()["cache-control"], "no-cache");
    let read: KioskPolicy = read.json().await.unwrap();
    assert_eq!(read, closed, "kiosks read what the operator set");

    let too_long = json!({"open": false, "message": "x".repeat(201)});
    assert_eq!(
        status_of(
            server
                .ops(Method::PUT, "/v1/ops/kiosk/policy")
                .json(&too_long)
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let reopened: KioskPolicy = fetch_json(
        server
            .ops(Method::PUT, "/v1/ops/kiosk/policy")
            .json(&json!({"open": true})),
        StatusCode::OK,
    )
    .await;
    assert!(reopened.open && reopened.message.is_none());
    let audit: api_client::types::AuditPage =
        fetch_json(server.ops(Method::GET, "/v1/ops/audit"), StatusCode::OK).await;
    let mut kiosk_actions: Vec<(String, Option<String>)> = audit
        .items
        .iter()
        .filter(|entry| entry.subject == "every kiosk" && entry.actor.starts_with("ops:"))
        .map(|entry| (entry.action.to_string(), entry.reason.clone()))
        .collect();
    // Two changes within one millisecond may list either way round.
    kiosk_actions.sort();
    assert_eq!(
        kiosk_actions,
        [
            (
                "close-kiosks".to_owned(),
                Some("Closed for stocktaking".to_owned())
            ),
            ("open-kiosks".to_owned(), None),
        ],
        "both changes are in the audit trail with who made them, not the demo data's seed"
    );
    assert_eq!(audit.items.len(), 2, "{audit:?}");

    let counter = json!({"name": "Pier store counter", "line1": "2 Pier Street", "city": "Oakland", "postalCode": "94607", "country": "US"});
    let moved = server
        .ops(Method::PUT, "/v1/ops/kiosk/policy")
        .json(&json!({"open": true, "pickupAddress": counter}));
    assert_eq!(status_of(moved).await, StatusCode::OK);
    let audit: api_client::types::AuditPage =
        fetch_json(server.ops(Method::GET, "/v1/ops/audit"), StatusCode::OK).await;
    let subjects: Vec<&str> = audit
        .items
        .iter()
        .map(|entry| entry.subject.as_str())
        .collect();
    assert_eq!(
        subjects
            .iter()
            .filter(|subject| subject.ends_with("pickup counter moved"))
            .count(),
        1,
        "only the move says so: {subjects:?}"
    );
    server.stop().await;
}

#[tokio::test]
async fn a_kiosk_gets_its_module_and_worker_and_others_do_not() {
    let server = TestServer::start().await;
    let plain = text_of(server.public(Method::GET, "/")).await;
    assert!(
        !plain.contains("/kiosk.js"),
        "shoppers' pages do not load it"
    );
    let setup = server.public(Method::GET, "/kiosk").send().await.unwrap();
    assert!(
        setup.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .starts_with("ts_kiosk=1; Path=/; Max-Age=31536000"),
    );
    assert!(
        setup
            .text()
            .await
            .unwrap()
            .contains("<script type=\"module\" src=\"/kiosk.js\"></script>")
    );
    let kiosk_page = text_of(
        server
            .public(Method::GET, "/products/merino-crew-sweater")
            .header("cookie", "ts_kiosk=1"),
    )
    .await;
    assert!(
        kiosk_page.contains("src=\"/kiosk.js\""),
        "a kiosk's pages load it"
    );
    let copied = text_of(
        server
            .public(Method::GET, "/")
            .header("x-tessera-kiosk", "1"),
    )
    .await;
    assert!(
        copied.contains("src=\"/kiosk.js\""),
        "so do its worker's copies"
    );

    let module = server
        .public(Method::GET, "/kiosk.js")
        .send()
        .await
        .unwrap();
    assert_eq!(
        module.headers()["content-type"],
        "text/javascript; charset=utf-8"
    );
    let module = module.text().await.unwrap();
    let names = module
        .lines()
        .next()
        .and_then(|line| line.strip_prefix("const KIOSK = "))
        .and_then(|line| line.strip_suffix(';'))
        .expect("the module starts with the names it shares with the kit");
    let names: serde_json::Value = serde_json::from_str(names).unwrap();
    assert_eq!(names["shellPrefix"], "tessera:shell:");
    assert_eq!(names["visitorCookie"], "ts_visitor");
    assert_eq!(names["saleEvent"], "tessera:kiosk-sale-requested");
    assert_eq!(names["saleFields"]["variantId"], "variant_id");
    let till = module
        .find("function openBasket(")
        .expect("the till is in the module");
    let starts = module
        .find("async function start(")
        .expect("so is the kiosk's start");
    assert!(
        till < starts,
        "the till comes first: the kiosk starts as its file ends"
    );
    let worker = server.public(Method::GET, "/sw.js").send().await.unwrap();
    assert_eq!(worker.headers()["cache-control"], "no-cache");
    assert!(worker.headers().contains_key("content-security-policy"));
    let exit = server
        .public(Method::GET, "/kiosk?exit")
        .send()
        .await
        .unwrap();
    assert!(
        exit.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );
    server.stop().await;
}
