//! The revenue-flow metrics and the alert rules built on them: an order moves the counters and
//! the placed-to-confirmed histogram, and every alert expression in
//! `server/prometheus/alerts.yml` names only metrics `/metrics` exports.

mod common;

use api_client::types::OrderStatus;
use common::market::Market;
use common::text_of;
use reqwest::Method;

fn metric_names(expression: &str) -> Vec<String> {
    expression
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|word| word.starts_with("tessera_") || word.starts_with("http_"))
        .map(str::to_owned)
        .collect()
}

#[tokio::test]
async fn an_order_moves_the_revenue_metrics_the_alerts_are_written_on() {
    // With the marketplaces connected, so every connector reports its sync lag.
    let market = Market::start(&[]).await;
    let server = &market.shop;
    let order = server.placed_order("4242424242424242", "metrics-1").await;
    server
        .order_reaching(&order.id, &[OrderStatus::Confirmed])
        .await;
    let declined = server.placed_order("4000000000000002", "metrics-2").await;
    server
        .order_reaching(&declined.id, &[OrderStatus::PaymentDeclined])
        .await;
    let metrics = text_of(server.ops(Method::GET, "/metrics")).await;
    for line in [
        "tessera_orders_placed_total 2",
        "tessera_orders_confirmed_total 1",
        "tessera_payment_declines_total 1",
        "tessera_orders_compensated_total 0",
        "tessera_order_confirmation_seconds_count 1",
        "tessera_events_total{type=\"OrderConfirmed\"} 1",
        "tessera_dead_letters_parked 0",
    ] {
        assert!(
            metrics.lines().any(|got| got == line),
            "{line} in\n{metrics}"
        );
    }
    assert!(metrics.ends_with("# EOF\n"));
    assert!(
        metrics
            .lines()
            .any(|line| line.starts_with("tessera_marketplace_sync_lag_seconds{connector=")),
        "{metrics}"
    );

    let rules: serde_yaml::Value =
        serde_yaml::from_str(include_str!("../prometheus/alerts.yml")).expect("valid YAML");
    let alerts: Vec<&serde_yaml::Value> = rules["groups"]
        .as_sequence()
        .expect("groups")
        .iter()
        .flat_map(|group| group["rules"].as_sequence().expect("rules"))
        .collect();
    assert!(alerts.len() >= 4, "{alerts:?}");
    for alert in alerts {
        let expression = alert["expr"].as_str().expect("an expression");
        let names = metric_names(expression);
        assert!(!names.is_empty(), "{expression} watches a metric");
        for name in names {
            assert!(
                metrics.contains(&name),
                "{expression}: `{name}` is not exported"
            );
        }
    }
    market.shop.stop().await;
}
