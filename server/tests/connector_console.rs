//! What the connector console reads beyond the connectors' own state, against the real
//! simulator: who a token is, a connector's counts (orders today, dead letters waiting, next
//! retry) and its activity per hour, dead letters filtered by event type, error text and time
//! with a total, listings found by SKU prefix, a webhook delivery resent by hand, and the
//! connectors followed live with a stream ticket.

mod common;

use api_client::types::{
    AuditAction, AuditPage, Connector, ConnectorActivity, ConnectorList, DeadLetterPage,
    DeadLetterStatus, OpsSession, OpsSessionRole, StreamTicket, WebhookDelivery,
    WebhookDeliveryPage, WebhookDeliveryStatus,
};
use common::market::{Market, eventually};
use common::{TestServer, fetch_json, method, status_of};
use reqwest::StatusCode;
use serde_json::json;

async fn get<T>(market: &Market, path: &str) -> T
where
    T: serde::de::DeserializeOwned + json_codec::FromJson + json_codec::ToJson,
    T: PartialEq + std::fmt::Debug,
{
    fetch_json(market.shop.ops(method("GET"), path), StatusCode::OK).await
}

#[tokio::test]
async fn a_failing_connector_shows_its_waiting_letters_retries_and_errors_per_hour() {
    let market = Market::start(&[]).await;
    market.published("zalando").await;
    let sku = market.stocked_sku("zalando", 2).await;
    market
        .control("PUT", "/control/zalando/faults", json!({"errorRate": 1.0}))
        .await;
    let ordered_on = time::OffsetDateTime::now_utc().date();
    market.order_one("zalando", &sku).await;
    eventually("the acknowledgement is parked", || async {
        let connector: Connector = get(&market, "/v1/ops/connectors/zalando").await;
        connector.dead_letters_waiting == Some(1)
    })
    .await;
    let connector: Connector = get(&market, "/v1/ops/connectors/zalando").await;
    assert_eq!(connector.orders_imported, 1);
    if time::OffsetDateTime::now_utc().date() == ordered_on {
        assert_eq!(connector.orders_imported_today, Some(1));
    }

    let market = &market;
    let filtered = |query: &str| {
        let path = format!("/v1/ops/dead-letters?consumer=connector:zalando&{query}");
        async move { get::<DeadLetterPage>(market, &path).await }
    };
    let all = filtered("status=parked").await;
    assert_eq!((all.items.len(), all.total), (1, Some(1)));
    assert_eq!(all.consumers, ["connector:zalando"]);
    let letter = &all.items[0];
    assert_eq!(
        letter.history.len(),
        6,
        "every attempt: {:?}",
        letter.history
    );
    assert!(
        letter
            .history
            .iter()
            .all(|attempt| attempt.error.contains("503"))
    );
    assert!(
        letter
            .history
            .windows(2)
            .all(|pair| pair[0].failed_at <= pair[1].failed_at)
    );
    assert_eq!(filtered("error=503").await.total, Some(1), "{letter:?}");
    assert_eq!(filtered("error=no-such-error").await.total, Some(0));
    let by_type = format!("eventType={}", letter.event.type_);
    assert_eq!(filtered(&by_type).await.total, Some(1));
    assert_eq!(filtered("eventType=OrderPlaced").await.total, Some(0));
    assert_eq!(
        filtered("failedAfter=2099-01-01T00:00:00%2B01:00")
            .await
            .total,
        Some(0)
    );
    assert_eq!(
        filtered("failedBefore=2099-01-01T00:00:00Z").await.total,
        Some(1)
    );
    assert_eq!(
        status_of(
            market
                .shop
                .ops(method("GET"), "/v1/ops/dead-letters?failedAfter=yesterday")
        )
        .await,
        StatusCode::BAD_REQUEST
    );

    for (verb, why) in [("pause", "zalando is down"), ("resume", "zalando is back")] {
        let path = format!("/v1/ops/connectors/zalando/{verb}");
        let body = json!({"reason": why});
        assert_eq!(
            status_of(market.shop.ops(method("POST"), &path).json(&body)).await,
            StatusCode::OK
        );
    }
    let discard = format!(
        "/v1/ops/dead-letters/{}/discard?reason=a%20duplicate",
        letter.id
    );
    assert_eq!(
        status_of(market.shop.ops(method("POST"), &discard)).await,
        StatusCode::OK
    );
    let trail: AuditPage = get(market, "/v1/ops/audit").await;
    let seen: Vec<(AuditAction, Option<&str>)> = trail
        .items
        .iter()
        .map(|entry| (entry.action, entry.reason.as_deref()))
        .collect();
    assert_eq!(
        seen[..3],
        [
            (AuditAction::Discard, Some("a duplicate")),
            (AuditAction::Resume, Some("zalando is back")),
            (AuditAction::Pause, Some("zalando is down")),
        ],
        "newest first: {trail:?}"
    );
    assert!(
        trail
            .items
            .iter()
            .all(|entry| entry.actor.starts_with("ops:"))
    );

    let activity: ConnectorActivity =
        get(market, "/v1/ops/connectors/zalando/activity?hours=3").await;
    assert_eq!(activity.hours.len(), 3);
    // The import and its failed calls land in the current hour, or in the one before when the
    // clock turned the hour while the test ran.
    let [earliest, recent @ ..] = &activity.hours[..] else {
        unreachable!("three hours were asked for")
    };
    assert_eq!(earliest.orders_imported, 0, "{activity:?}");
    let imported: i64 = recent.iter().map(|hour| hour.orders_imported).sum();
    let errors: i64 = recent.iter().map(|hour| hour.errors).sum();
    assert_eq!(imported, 1, "{activity:?}");
    assert!(errors >= 6, "every failed call counts: {activity:?}");
}

#[tokio::test]
async fn listings_are_found_by_sku_prefix_whatever_the_case() {
    let market = Market::start(&[]).await;
    let all = market.listings("ebay", None).await;
    let sku = &all.items[0].sku;
    let prefix = sku[..sku.len() - 1].to_lowercase();
    let found: api_client::types::ConnectorListingPage = get(
        &market,
        &format!("/v1/ops/connectors/ebay/listings?sku={prefix}"),
    )
    .await;
    assert!(found.items.iter().any(|listing| &listing.sku == sku));
    assert!(
        found
            .items
            .iter()
            .all(|listing| listing.sku.to_lowercase().starts_with(&prefix))
    );
    let none: api_client::types::ConnectorListingPage =
        get(&market, "/v1/ops/connectors/ebay/listings?sku=zz-no-such").await;
    assert!(none.items.is_empty());
}

#[tokio::test]
async fn a_dead_delivery_resent_by_hand_arrives_and_its_letter_is_resolved() {
    let market = Market::start(&[]).await;
    let endpoint = market
        .subscribe("flaky", json!({"failFirst": 16, "failStatus": 500}))
        .await;
    market.published("ebay").await;
    let sku = market.stocked_sku("ebay", 2).await;
    market.order_one("ebay", &sku).await;
    let deliveries = format!("/v1/ops/webhooks/{}/deliveries", endpoint.id);
    eventually("the deliveries are dead", || async {
        let page: WebhookDeliveryPage = get(&market, &deliveries).await;
        page.items
            .iter()
            .any(|item| item.status == WebhookDeliveryStatus::Dead)
    })
    .await;
    let page: WebhookDeliveryPage = get(&market, &deliveries).await;
    let dead = page
        .items
        .iter()
        .find(|item| item.status == WebhookDeliveryStatus::Dead)
        .unwrap();
    let resent: WebhookDelivery = fetch_json(
        market
            .shop
            .ops(method("POST"), &format!("{deliveries}/{}/resend", dead.id)),
        StatusCode::ACCEPTED,
    )
    .await;
    assert_eq!(resent.status, WebhookDeliveryStatus::Pending);
    eventually("the resent delivery arrives", || async {
        let page: WebhookDeliveryPage = get(&market, &deliveries).await;
        page.items
            .iter()
            .any(|item| item.id == dead.id && item.status == WebhookDeliveryStatus::Delivered)
    })
    .await;
    let letters: DeadLetterPage = get(
        &market,
        &format!("/v1/ops/dead-letters?consumer=webhook:{}", endpoint.id),
    )
    .await;
    assert!(
        letters
            .items
            .iter()
            .any(|letter| letter.event.id == dead.event_id
                && letter.status == DeadLetterStatus::Replayed
                && letter.resolution_reason.as_deref() == Some("resent"))
    );
    let unknown = format!("{deliveries}/00000000-0000-4000-8000-000000000000/resend");
    assert_eq!(
        status_of(market.shop.ops(method("POST"), &unknown)).await,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn forged_stream_tickets_are_rate_limited_like_any_public_request() {
    let shop = TestServer::start_with(|config| {
        let mut limits = tessera_server::LimitsConfig::default();
        limits.set("requests-per-address=60/3").unwrap();
        config.rate_limits = Some(limits);
    })
    .await;
    let mut statuses = Vec::new();
    for _ in 0..5 {
        let url = format!("{}/v1/ops/connectors/stream?ticket=forged", shop.base);
        statuses.push(shop.http.get(&url).send().await.unwrap().status());
    }
    // The harness's own start-up took a token of the burst too.
    assert_eq!(statuses[0], StatusCode::UNAUTHORIZED, "{statuses:?}");
    let limited = statuses
        .iter()
        .position(|status| *status == StatusCode::TOO_MANY_REQUESTS)
        .expect("the flood is stopped");
    assert!(
        statuses[limited..]
            .iter()
            .all(|status| *status == StatusCode::TOO_MANY_REQUESTS)
    );
}

#[tokio::test]
async fn a_token_learns_its_role_and_a_viewer_reads_dead_letters() {
    const VIEWER: &str = "viewer-token-0123456789abcdefghijklmnop";
    let shop = TestServer::start_with(|config| config.ops_viewer_token = Some(VIEWER.into())).await;
    let ops: OpsSession =
        fetch_json(shop.ops(method("GET"), "/v1/ops/session"), StatusCode::OK).await;
    assert_eq!(ops.role, OpsSessionRole::Ops);
    let as_viewer = |path: &str| {
        shop.http
            .get(format!("{}{path}", shop.base))
            .bearer_auth(VIEWER)
    };
    let viewer: OpsSession = fetch_json(as_viewer("/v1/ops/session"), StatusCode::OK).await;
    assert_eq!(viewer.role, OpsSessionRole::OpsViewer);
    assert_ne!(viewer.actor, ops.actor);
    assert_eq!(
        status_of(as_viewer("/v1/ops/dead-letters")).await,
        StatusCode::OK
    );
    let anonymous = shop.http.get(format!("{}/v1/ops/session", shop.base));
    assert_eq!(status_of(anonymous).await, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_stream_ticket_follows_the_connectors_without_the_token_in_the_url() {
    let market = Market::start(&[]).await;
    let ticket: StreamTicket = fetch_json(
        market.shop.ops(method("POST"), "/v1/ops/stream-tickets"),
        StatusCode::CREATED,
    )
    .await;
    let url = format!(
        "{}/v1/ops/connectors/stream?ticket={}",
        market.shop.base, ticket.ticket
    );
    let mut response = market.shop.http.get(&url).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let mut received = String::new();
    while !received.contains("\n\n") {
        let chunk = tokio::time::timeout(std::time::Duration::from_secs(10), response.chunk())
            .await
            .expect("the first message in time")
            .unwrap()
            .expect("more of the stream");
        received.push_str(&String::from_utf8_lossy(&chunk));
    }
    let data = received
        .lines()
        .find_map(|line| line.strip_prefix("data: "))
        .expect("a data line");
    let list: ConnectorList = serde_json::from_str(data).unwrap();
    assert_eq!(list.items.len(), 3, "every connector");
    assert!(received.contains("retry: 3000"));

    let forged = format!("{}x", ticket.ticket);
    for bad in [forged.as_str(), "stream-ops.1.AAAA", ""] {
        let url = format!("{}/v1/ops/connectors/stream?ticket={bad}", market.shop.base);
        let status = market.shop.http.get(&url).send().await.unwrap().status();
        assert!(
            status == StatusCode::UNAUTHORIZED || status == StatusCode::BAD_REQUEST,
            "{bad}: {status}"
        );
    }
}
