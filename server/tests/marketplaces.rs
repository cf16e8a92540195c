//! Marketplace connectors against the real simulator on its own loopback port: notifications
//! duplicated or dropped, throttling, rejected listings, stock short of a marketplace order,
//! and forged notifications.

mod common;

use api_client::types::{
    ConnectorList, ListingSyncState, MarketplaceImportSource, MarketplaceImportStatus,
};
use common::market::{Market, eventually};
use common::{fetch_json, fetch_problem, method};
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn duplicated_and_dropped_notifications_make_exactly_one_order_each() {
    let market = Market::start(&[]).await;
    market.published("ebay").await;
    let sku = market.stocked_sku("ebay", 8).await;
    let mut placed = Vec::new();
    for faults in [
        json!({"duplicateNotifications": 1.0}),
        json!({"dropNotifications": 1.0}),
    ] {
        market.control("PUT", "/control/ebay/faults", faults).await;
        for _ in 0..2 {
            placed.push(market.order_one("ebay", &sku).await);
        }
    }
    eventually("all four orders are imported and accepted", || async {
        let imports = market.imports("ebay").await;
        imports.items.len() == 4
            && imports
                .items
                .iter()
                .all(|import| import.status == MarketplaceImportStatus::Accepted)
    })
    .await;
    let imports = market.imports("ebay").await;
    let notified: Vec<_> = imports
        .items
        .iter()
        .filter(|import| import.source == MarketplaceImportSource::Notification)
        .collect();
    assert_eq!(notified.len(), 2, "the duplicated notifications arrived");
    assert!(
        notified.iter().all(|import| import.deliveries >= 2),
        "{notified:?}"
    );
    let mut imported: Vec<String> = imports
        .items
        .iter()
        .map(|import| import.marketplace_order_id.clone())
        .collect();
    imported.sort();
    placed.sort();
    assert_eq!(
        imported, placed,
        "each order once, dropped ones found by polling"
    );
    let stats = market.sim_state("ebay").await["stats"].clone();
    assert_eq!(stats["notificationsDuplicated"], 2);
    assert_eq!(stats["notificationsDropped"], 2);
}

#[tokio::test]
async fn throttled_stock_updates_are_all_published_and_the_429s_counted() {
    let market = Market::start(&[(
        "/control/ebay/throttles/stock",
        // Well under what the connector's budget would send: a 429 every twenty or so calls.
        json!({"perSecond": 100.0, "burst": 20}),
    )])
    .await;
    market.published("ebay").await;
    let listings = market.listings("ebay", None).await;
    let at_marketplace = market.sim_state("ebay").await;
    for listing in &listings.items {
        assert_eq!(listing.state, ListingSyncState::Live, "{}", listing.sku);
        let theirs = at_marketplace["listings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|theirs| theirs["sku"] == listing.sku.as_str())
            .unwrap_or_else(|| panic!("{} never reached the marketplace", listing.sku));
        assert_eq!(
            theirs["quantity"].as_i64(),
            Some(listing.quantity),
            "{}",
            listing.sku
        );
    }
    let throttled = at_marketplace["stats"]["throttled"].as_u64().unwrap();
    assert!(throttled > 0, "the test throttles hard enough to see 429s");
    let connectors: ConnectorList = fetch_json(
        market.shop.ops(method("GET"), "/v1/ops/connectors"),
        StatusCode::OK,
    )
    .await;
    let ebay = connectors
        .items
        .iter()
        .find(|connector| connector.id == "ebay")
        .unwrap();
    assert_eq!(ebay.throttled_count as u64, throttled, "every 429 counted");
    assert_eq!(ebay.pending_listings, 0);
}

#[tokio::test]
async fn a_rejected_listing_shows_its_reason() {
    let market = Market::start(&[]).await;
    market.published("amazon").await;
    let sku = market.listings("amazon", None).await.items[0].sku.clone();
    market
        .control(
            "PUT",
            &format!("/control/amazon/listings/{sku}"),
            json!({"rejectReason": "brand not approved in this category"}),
        )
        .await;
    // A sale elsewhere moves the stock, so the listing is published again.
    market.order_one("ebay", &sku).await;
    eventually("amazon rejects the listing", || async {
        market
            .listings("amazon", Some("rejected"))
            .await
            .items
            .iter()
            .any(|listing| listing.sku == sku)
    })
    .await;
    let rejected = market.listings("amazon", Some("rejected")).await;
    assert_eq!(
        rejected.items[0].reason.as_deref(),
        Some("brand not approved in this category")
    );
}

#[tokio::test]
async fn an_order_short_of_stock_is_cancelled_at_the_marketplace() {
    let market = Market::start(&[]).await;
    market.published("zalando").await;
    let listing = &market.listings("zalando", None).await.items[0];
    let order = market
        .control(
            "POST",
            "/control/zalando/orders",
            json!({"lines": [{"sku": listing.sku, "quantity": listing.quantity + 5}], "allowOversell": true}),
        )
        .await;
    let id = order["id"].as_str().unwrap().to_owned();
    eventually("the marketplace shows the order cancelled", || async {
        let state = market.sim_state("zalando").await;
        state["orders"]
            .as_array()
            .unwrap()
            .iter()
            .any(|order| order["id"] == id.as_str() && order["status"] == "cancelled")
    })
    .await;
    let imports = market.imports("zalando").await;
    assert_eq!(imports.items[0].status, MarketplaceImportStatus::Cancelled);
    assert!(
        imports.items[0]
            .reason
            .as_deref()
            .unwrap_or_default()
            .contains("in stock")
    );
}

#[tokio::test]
async fn an_unsigned_or_forged_notification_changes_nothing() {
    let market = Market::start(&[]).await;
    let body = json!({
        "notificationId": "n-1", "marketplace": "ebay", "type": "order_created",
        "occurredAt": "2026-12-04T10:00:00Z",
        "order": {"id": "forged-1", "status": "unshipped", "currency": "USD",
                  "lines": [{"sku": "X", "quantity": 1, "unitPriceMinor": 100}],
                  "createdAt": "2026-12-04T10:00:00Z", "updatedAt": "2026-12-04T10:00:00Z"}
    });
    let url = format!("{}/v1/marketplaces/ebay/notifications", market.shop.base);
    let unsigned = market.http.post(&url).json(&body);
    fetch_problem(unsigned, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let now = time::OffsetDateTime::now_utc().unix_timestamp().to_string();
    let forged = market
        .http
        .post(&url)
        .header("webhook-id", "n-1")
        .header("webhook-timestamp", now)
        .header("webhook-signature", "v1,bm90IGEgc2lnbmF0dXJlIGF0IGFsbA==")
        .json(&body);
    fetch_problem(forged, StatusCode::UNAUTHORIZED, "unauthorized").await;
    assert!(market.imports("ebay").await.items.is_empty());
}

#[tokio::test]
async fn a_stock_buffer_offers_only_its_share() {
    let market = Market::start(&[]).await;
    market.published("zalando").await;
    let before = market.listings("zalando", Some("live")).await.items;
    let buffer = json!({"percent": 50, "keepBack": 1, "reason": "fewer oversells"});
    let response = market
        .shop
        .ops(method("PUT"), "/v1/ops/connectors/zalando/stock-buffer")
        .json(&buffer)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    market.published("zalando").await;
    let after = market.listings("zalando", None).await.items;
    let theirs = market.sim_state("zalando").await;
    for listing in before.iter().filter(|listing| listing.quantity > 4) {
        let offered = (listing.quantity * 50 / 100 - 1).max(0);
        let ours = after.iter().find(|after| after.sku == listing.sku).unwrap();
        assert_eq!(ours.quantity, offered, "{}", listing.sku);
        let at_marketplace = theirs["listings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|theirs| theirs["sku"] == listing.sku.as_str())
            .unwrap();
        assert_eq!(
            at_marketplace["quantity"].as_i64(),
            Some(offered),
            "{}",
            listing.sku
        );
    }
}
