//! The marketplace model's rules, without HTTP.

use super::*;

fn stocked(kind: Kind) -> Market {
    let mut market = Market::new(kind);
    let now = OffsetDateTime::now_utc();
    market.apply_stock(
        &[StockItem {
            sku: "TEE-S".into(),
            quantity: 3,
            price_minor: Some(1999),
        }],
        now,
    );
    market
}

#[test]
fn an_order_takes_the_marketplaces_stock_and_a_cancel_returns_it() {
    let mut market = stocked(Kind::Ebay);
    let now = OffsetDateTime::now_utc();
    let order = market
        .place_order(&[("TEE-S".into(), 2)], false, now)
        .unwrap();
    assert_eq!(market.listings["TEE-S"].quantity, 1);
    assert_eq!(order.lines[0].unit_price_minor, 1999);
    assert!(
        market
            .place_order(&[("TEE-S".into(), 2)], false, now)
            .is_err()
    );
    market.cancel(&order.id, "buyer changed mind", now);
    assert_eq!(market.listings["TEE-S"].quantity, 3);
}

#[test]
fn amazon_lists_an_order_only_after_its_delay() {
    let mut market = stocked(Kind::Amazon);
    let now = OffsetDateTime::now_utc();
    market
        .place_order(&[("TEE-S".into(), 1)], false, now)
        .unwrap();
    let before = now - time::Duration::minutes(1);
    assert!(market.changed_since(before, now).is_empty());
    assert_eq!(
        market
            .changed_since(before, now + time::Duration::seconds(3))
            .len(),
        1
    );
}

#[test]
fn a_feed_rejects_a_refused_sku_with_its_reason_and_applies_the_rest() {
    let mut market = stocked(Kind::Amazon);
    market.listings.get_mut("TEE-S").unwrap().reject_reason = Some("brand not approved".into());
    let now = OffsetDateTime::now_utc();
    market.feeds.insert(
        "f1".into(),
        Feed {
            id: "f1".into(),
            items: vec![
                StockItem {
                    sku: "TEE-S".into(),
                    quantity: 9,
                    price_minor: None,
                },
                StockItem {
                    sku: "TEE-M".into(),
                    quantity: 4,
                    price_minor: None,
                },
            ],
            submitted: now,
            status: FeedStatus::InQueue,
            accepted: 0,
            rejected: vec![],
        },
    );
    market.settle(now);
    assert_eq!(market.feeds["f1"].status, FeedStatus::InQueue);
    market.settle(now + time::Duration::seconds(1));
    let feed = &market.feeds["f1"];
    assert_eq!(feed.status, FeedStatus::Done);
    assert_eq!(feed.accepted, 1);
    assert_eq!(feed.rejected[0].reason, "brand not approved");
    assert_eq!(market.listings["TEE-M"].quantity, 4);
    assert_eq!(market.listings["TEE-S"].quantity, 3);
}

#[test]
fn zalando_cancels_what_was_not_acknowledged_in_time() {
    let mut market = stocked(Kind::Zalando);
    let now = OffsetDateTime::now_utc();
    let order = market
        .place_order(&[("TEE-S".into(), 1)], false, now)
        .unwrap();
    assert!(market.settle(now).is_empty());
    let expired = market.settle(now + time::Duration::minutes(5));
    assert_eq!(expired[0].id, order.id);
    assert_eq!(expired[0].status, OrderStatus::Cancelled);
}

#[test]
fn a_throttle_refuses_past_its_burst() {
    let throttle = Throttle::new(0.5, 2);
    assert!(throttle.check().is_ok());
    assert!(throttle.check().is_ok());
    let wait = throttle.check().unwrap_err();
    assert!(wait > Duration::from_millis(1000), "{wait:?}");
}

#[test]
fn a_higher_quota_scales_every_default_throttle_and_the_fault_still_divides() {
    let mut market = Market::new(Kind::Ebay);
    market.quota_scale = 10.0;
    market.reset_throttles();
    let stock = &market.throttles[&Endpoint::Stock];
    assert_eq!((stock.per_second(), stock.burst()), (100.0, 500));
    market.faults.throttle_factor = 4.0;
    market.reset_throttles();
    let orders = &market.throttles[&Endpoint::Orders];
    assert_eq!((orders.per_second(), orders.burst()), (12.5, 125));
}
