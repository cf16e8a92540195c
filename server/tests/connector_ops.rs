//! What ops do with connectors, against the real simulator: reconciliation finds exactly the
//! drifts a test plants and its fixes remove them; outbound webhooks reach a subscriber that
//! verifies every signature, each event once after retries, and `410 Gone` disables the
//! endpoint; a call the marketplace keeps failing waits as a dead letter until ops replay it;
//! the ops-viewer role reads but does not act.

mod common;

use api_client::types::{
    DeadLetterBatchResult, DeadLetterPage, DifferenceKind, MarketplaceImportStatus,
    ReconciliationRun, ReconciliationStatus, SuggestedFix, WebhookDeliveryPage,
    WebhookDeliveryStatus, WebhookEndpointList,
};
use common::market::{Market, eventually};
use common::{TestServer, fetch_json, method, status_of};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn reconcile(market: &Market, connector: &str) -> ReconciliationRun {
    let queued: ReconciliationRun = fetch_json(
        market
            .shop
            .ops(
                method("POST"),
                &format!("/v1/ops/connectors/{connector}/reconciliations"),
            )
            .json(&json!({"reason": "test"})),
        StatusCode::ACCEPTED,
    )
    .await;
    let path = format!("/v1/ops/reconciliations/{}", queued.id);
    eventually("the run completes", || async {
        let run: ReconciliationRun =
            fetch_json(market.shop.ops(method("GET"), &path), StatusCode::OK).await;
        run.status == ReconciliationStatus::Completed
    })
    .await;
    fetch_json(market.shop.ops(method("GET"), &path), StatusCode::OK).await
}

async fn ops_post(market: &Market, path: &str, body: Value) -> StatusCode {
    status_of(market.shop.ops(method("POST"), path).json(&body)).await
}

#[tokio::test]
async fn reconciliation_finds_exactly_the_planted_drifts_and_its_fixes_remove_them() {
    let market = Market::start(&[]).await;
    market.published("ebay").await;
    let skus: Vec<String> = market
        .listings("ebay", Some("live"))
        .await
        .items
        .iter()
        .filter(|listing| listing.quantity > 3)
        .map(|listing| listing.sku.clone())
        .take(3)
        .collect();
    let (ordered, drifted, repriced) = (&skus[0], &skus[1], &skus[2]);
    let first = market.order_one("ebay", ordered).await;
    eventually(
        "the first order is accepted and its stock published",
        || async {
            let imports = market.imports("ebay").await;
            imports.items.iter().any(|import| {
                import.marketplace_order_id == first
                    && import.status == MarketplaceImportStatus::Accepted
            }) && market
                .listings("ebay", Some("pending"))
                .await
                .items
                .is_empty()
        },
    )
    .await;

    // While the connector is paused and notifications are lost: the buyer cancels the first
    // order, a second one is placed, and the marketplace's own figures drift.
    assert_eq!(
        ops_post(
            &market,
            "/v1/ops/connectors/ebay/pause",
            json!({"reason": "test"})
        )
        .await,
        StatusCode::OK
    );
    market
        .control(
            "PUT",
            "/control/ebay/faults",
            json!({"dropNotifications": 1.0}),
        )
        .await;
    market
        .control(
            "POST",
            &format!("/control/ebay/orders/{first}/cancel"),
            json!({"reason": "buyer"}),
        )
        .await;
    let second = market.order_one("ebay", ordered).await;
    market
        .control(
            "PUT",
            &format!("/control/ebay/listings/{drifted}"),
            json!({"quantity": 999}),
        )
        .await;
    market
        .control(
            "PUT",
            &format!("/control/ebay/listings/{repriced}"),
            json!({"priceMinor": 1}),
        )
        .await;

    let run = reconcile(&market, "ebay").await;
    let mut found: Vec<(DifferenceKind, Option<String>, Option<String>, SuggestedFix)> = run
        .differences
        .iter()
        .map(|d| {
            (
                d.kind,
                d.sku.clone(),
                d.marketplace_order_id.clone(),
                d.suggested_fix,
            )
        })
        .collect();
    found.sort_by_key(|difference| format!("{difference:?}"));
    let mut planted = vec![
        (
            DifferenceKind::StockDrift,
            Some(drifted.clone()),
            None,
            SuggestedFix::PublishListing,
        ),
        (
            DifferenceKind::PriceDrift,
            Some(repriced.clone()),
            None,
            SuggestedFix::PublishListing,
        ),
        (
            DifferenceKind::OrderMissingHere,
            None,
            Some(second.clone()),
            SuggestedFix::ImportOrder,
        ),
        (
            DifferenceKind::StatusMismatch,
            None,
            Some(first.clone()),
            SuggestedFix::ApplyCancellation,
        ),
    ];
    planted.sort_by_key(|difference| format!("{difference:?}"));
    assert_eq!(found, planted, "exactly the planted drifts");

    for difference in &run.differences {
        let path = format!(
            "/v1/ops/reconciliations/{}/differences/{}/fix",
            run.id, difference.id
        );
        assert_eq!(
            ops_post(&market, &path, json!({"reason": "fix"})).await,
            StatusCode::OK
        );
        assert_eq!(
            ops_post(&market, &path, json!({"reason": "again"})).await,
            StatusCode::CONFLICT
        );
    }
    assert_eq!(
        ops_post(
            &market,
            "/v1/ops/connectors/ebay/resume",
            json!({"reason": "done"})
        )
        .await,
        StatusCode::OK
    );
    eventually("the fixes are published", || async {
        market
            .listings("ebay", Some("pending"))
            .await
            .items
            .is_empty()
    })
    .await;
    let after = reconcile(&market, "ebay").await;
    assert!(after.differences.is_empty(), "{:?}", after.differences);
    let again = reconcile(&market, "ebay").await;
    assert!(
        again.differences.is_empty(),
        "running twice changes nothing"
    );
    let imports = market.imports("ebay").await;
    let status_of_order = |id: &str| {
        imports
            .items
            .iter()
            .find(|import| import.marketplace_order_id == id)
            .map(|import| import.status)
    };
    assert_eq!(
        status_of_order(&first),
        Some(MarketplaceImportStatus::Cancelled)
    );
    assert_eq!(
        status_of_order(&second),
        Some(MarketplaceImportStatus::Accepted)
    );
}

#[tokio::test]
async fn a_subscriber_verifies_every_signature_and_sees_each_event_once_after_retries() {
    let market = Market::start(&[]).await;
    let endpoint = market
        .subscribe("channel", json!({"failFirst": 3, "failStatus": 503}))
        .await;
    market.published("zalando").await;
    let sku = market.stocked_sku("zalando", 4).await;
    for _ in 0..2 {
        market.order_one("zalando", &sku).await;
    }
    let report = || async { market.sim_state_of("/control/subscribers/channel").await };
    eventually("four events arrive", || async {
        report().await["received"].as_array().unwrap().len() == 4
    })
    .await;
    let report = report().await;
    assert_eq!(report["invalid"], 0, "every signature holds");
    assert_eq!(report["duplicates"], 0);
    let types: Vec<&str> = report["received"]
        .as_array()
        .unwrap()
        .iter()
        .map(|pair| pair[1].as_str().unwrap())
        .collect();
    assert_eq!(
        types
            .iter()
            .filter(|kind| **kind == "MarketplaceOrderReceived")
            .count(),
        2
    );
    assert_eq!(
        types
            .iter()
            .filter(|kind| **kind == "MarketplaceOrderAccepted")
            .count(),
        2
    );
    let deliveries: WebhookDeliveryPage = fetch_json(
        market.shop.ops(
            method("GET"),
            &format!("/v1/ops/webhooks/{}/deliveries", endpoint.id),
        ),
        StatusCode::OK,
    )
    .await;
    assert_eq!(deliveries.items.len(), 4);
    assert!(
        deliveries
            .items
            .iter()
            .all(|delivery| delivery.status == WebhookDeliveryStatus::Delivered)
    );
    let attempts: i32 = deliveries
        .items
        .iter()
        .map(|delivery| delivery.attempts)
        .sum();
    assert_eq!(attempts, 4 + 3, "three failures retried");
}

#[tokio::test]
async fn an_exhausted_delivery_waits_as_a_dead_letter_until_replayed() {
    let market = Market::start(&[]).await;
    // Every attempt of both deliveries fails: the first and seven retries each.
    let endpoint = market
        .subscribe("down", json!({"failFirst": 16, "failStatus": 500}))
        .await;
    market.published("ebay").await;
    let sku = market.stocked_sku("ebay", 2).await;
    market.order_one("ebay", &sku).await;
    let consumer = format!("webhook:{}", endpoint.id);
    let parked = format!("/v1/ops/dead-letters?status=parked&consumer={consumer}");
    eventually("both deliveries are dead letters", || async {
        let page: DeadLetterPage =
            fetch_json(market.shop.ops(method("GET"), &parked), StatusCode::OK).await;
        page.items.len() == 2
    })
    .await;
    let batch = json!({"consumer": consumer, "reason": "the channel is back"});
    let result: DeadLetterBatchResult = fetch_json(
        market
            .shop
            .ops(method("POST"), "/v1/ops/dead-letters/replay")
            .json(&batch),
        StatusCode::ACCEPTED,
    )
    .await;
    assert_eq!(result.replayed, 2);
    eventually("both events arrive after the replay", || async {
        market.sim_state_of("/control/subscribers/down").await["received"]
            .as_array()
            .unwrap()
            .len()
            == 2
    })
    .await;
}

#[tokio::test]
async fn gone_disables_the_endpoint() {
    let market = Market::start(&[]).await;
    let endpoint = market
        .subscribe("gone", json!({"failFirst": 100, "failStatus": 410}))
        .await;
    market.published("ebay").await;
    let sku = market.stocked_sku("ebay", 2).await;
    market.order_one("ebay", &sku).await;
    eventually("the endpoint is disabled", || async {
        let list: WebhookEndpointList = fetch_json(
            market.shop.ops(method("GET"), "/v1/ops/webhooks"),
            StatusCode::OK,
        )
        .await;
        list.items
            .iter()
            .any(|item| item.id == endpoint.id && !item.enabled)
    })
    .await;
    let report = market.sim_state_of("/control/subscribers/gone").await;
    assert_eq!(report["attempts"], 1, "nothing more after 410");
}

#[tokio::test]
async fn calls_the_marketplace_keeps_failing_wait_as_dead_letters_until_replayed() {
    let market = Market::start(&[]).await;
    market.published("zalando").await;
    let sku = market.stocked_sku("zalando", 4).await;
    market
        .control("PUT", "/control/zalando/faults", json!({"errorRate": 1.0}))
        .await;
    let mut placed = Vec::new();
    for _ in 0..2 {
        placed.push(market.order_one("zalando", &sku).await);
    }
    let parked = "/v1/ops/dead-letters?status=parked&consumer=connector:zalando";
    eventually("both acknowledgements are parked", || async {
        let page: DeadLetterPage =
            fetch_json(market.shop.ops(method("GET"), parked), StatusCode::OK).await;
        page.items.len() == 2
    })
    .await;
    let page: DeadLetterPage =
        fetch_json(market.shop.ops(method("GET"), parked), StatusCode::OK).await;
    assert!(
        page.items
            .iter()
            .all(|letter| letter.last_error.contains("503")),
        "{:?}",
        page.items
    );
    let discard = format!("/v1/ops/dead-letters/{}/discard", page.items[0].id);
    assert_eq!(
        ops_post(&market, &discard, json!({})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a discard needs a reason"
    );

    market
        .control("PUT", "/control/zalando/faults", json!({}))
        .await;
    let batch = json!({"consumer": "connector:zalando", "reason": "zalando is back", "limit": 10});
    let result: DeadLetterBatchResult = fetch_json(
        market
            .shop
            .ops(method("POST"), "/v1/ops/dead-letters/replay")
            .json(&batch),
        StatusCode::ACCEPTED,
    )
    .await;
    assert_eq!(result.replayed, 2);
    assert!(
        result
            .items
            .iter()
            .all(|letter| letter.resolution_reason.as_deref() == Some("zalando is back"))
    );
    eventually("the marketplace has both orders acknowledged", || async {
        let state = market.sim_state("zalando").await;
        placed.iter().all(|id| {
            state["orders"]
                .as_array()
                .unwrap()
                .iter()
                .any(|order| order["id"] == id.as_str() && order["status"] == "acknowledged")
        })
    })
    .await;
}

#[tokio::test]
async fn the_viewer_role_reads_connectors_but_cannot_act() {
    const VIEWER: &str = "viewer-token-0123456789abcdefghijklmnop";
    let shop = TestServer::start_with(|config| config.ops_viewer_token = Some(VIEWER.into())).await;
    let as_viewer = |verb: &str, path: &str| {
        shop.http
            .request(method(verb), format!("{}{path}", shop.base))
            .bearer_auth(VIEWER)
    };
    assert_eq!(
        status_of(as_viewer("GET", "/v1/ops/connectors")).await,
        StatusCode::OK
    );
    assert_eq!(
        status_of(as_viewer("GET", "/v1/ops/webhooks")).await,
        StatusCode::OK
    );
    let pause = as_viewer("POST", "/v1/ops/connectors/ebay/pause").json(&json!({"reason": "x"}));
    assert_eq!(status_of(pause).await, StatusCode::FORBIDDEN);
    let create = as_viewer("POST", "/v1/ops/webhooks").json(&json!({"url": "http://127.0.0.1:9/"}));
    assert_eq!(status_of(create).await, StatusCode::FORBIDDEN);
    assert_eq!(
        status_of(as_viewer("GET", "/v1/ops/orders")).await,
        StatusCode::FORBIDDEN
    );
}
