//! Operators' order list: filtered by status and paged with its cursor, in the database (a
//! shop's whole history is never read to show one page).

mod common;

use api_client::types::{OrderStatus, OrderSummaryPage};
use common::{TestServer, fetch_json};
use reqwest::Method;
use reqwest::StatusCode;

/// Every order `query` lists, page by page (`limit=1`): their ids and statuses, in order.
async fn every_page(server: &TestServer, query: &str) -> Vec<(String, OrderStatus)> {
    let mut listed = Vec::new();
    let mut cursor = String::new();
    loop {
        let path = format!("/v1/ops/orders?limit=1{query}{cursor}");
        let page: OrderSummaryPage =
            fetch_json(server.ops(Method::GET, &path), StatusCode::OK).await;
        assert!(page.items.len() <= 1, "{path}: {page:?}");
        listed.extend(page.items.into_iter().map(|order| (order.id, order.status)));
        match page.next_cursor {
            Some(next) => cursor = format!("&cursor={next}"),
            None => return listed,
        }
    }
}

#[tokio::test]
async fn operators_filter_orders_by_status_and_page_through_them() {
    let server = TestServer::start().await;
    let mut placed = Vec::new();
    for (card, key, status) in [
        ("4242424242424242", "listing-1", OrderStatus::Confirmed),
        (
            "4000000000000002",
            "listing-2",
            OrderStatus::PaymentDeclined,
        ),
        ("4242424242424242", "listing-3", OrderStatus::Confirmed),
    ] {
        let order = server.placed_order(card, key).await;
        server.order_reaching(&order.id, &[status]).await;
        placed.push((order.id, status));
    }
    let newest_first: Vec<_> = placed.iter().rev().cloned().collect();

    assert_eq!(every_page(&server, "").await, newest_first);
    let confirmed: Vec<_> = newest_first
        .iter()
        .filter(|(_, status)| *status == OrderStatus::Confirmed)
        .cloned()
        .collect();
    assert_eq!(
        every_page(&server, "&status=confirmed").await,
        confirmed,
        "pages hold matching orders only"
    );
    assert_eq!(
        every_page(&server, "&status=confirmed&status=payment_declined").await,
        newest_first
    );
    assert!(every_page(&server, "&status=cancelled").await.is_empty());
    server.stop().await;
}
