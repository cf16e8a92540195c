//! Prometheus metrics through `prometheus-client` (the Prometheus project's Rust client), served
//! as OpenMetrics text. Kept in the process: request latency per route template and the time
//! from `OrderPlaced` to `OrderConfirmed`. Read from the database at scrape time (`Snapshot`):
//! the revenue flow as the event log records it (orders placed, confirmed, compensated, payment
//! declines), dead letters per consumer, the outbox's lag and each marketplace's sync lag. The
//! log is shared, so every instance reports the same revenue counters: aggregate them with
//! `max`, not `sum`.

use std::time::Duration;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::encoding::text::{encode_eof, encode_registry};
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

/// Upper bounds of the request latency buckets, in seconds.
const REQUEST_BUCKETS: [f64; 12] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0,
];
/// Upper bounds of the placed-to-confirmed buckets, in seconds.
const CONFIRMATION_BUCKETS: [f64; 9] = [0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 30.0, 300.0];

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: String,
    route: String,
    status: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct TypeLabel {
    r#type: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ConsumerLabel {
    consumer: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OriginLabel {
    origin: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ConnectorLabel {
    connector: String,
}

fn request_histogram() -> Histogram {
    Histogram::new(REQUEST_BUCKETS)
}

pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Histogram, fn() -> Histogram>,
    confirmation: Histogram,
    release_loads: Family<OriginLabel, Counter>,
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::default();
        let requests = Family::<RequestLabels, Histogram, fn() -> Histogram>::new_with_constructor(
            request_histogram,
        );
        registry.register(
            "http_request_duration_seconds",
            "Request latency by route template",
            requests.clone(),
        );
        let confirmation = Histogram::new(CONFIRMATION_BUCKETS);
        registry.register(
            "tessera_order_confirmation_seconds",
            "Time from an order's placing to its confirmation, as this instance confirmed it",
            confirmation.clone(),
        );
        let release_loads = Family::<OriginLabel, Counter>::default();
        registry.register(
            "tessera_release_loads",
            "Micro-app releases loaded by shells, by the origin that served their files (`self`: \
             the page's own), as this instance's counted beacons report them",
            release_loads.clone(),
        );
        Metrics {
            registry,
            requests,
            confirmation,
            release_loads,
        }
    }
}

/// What the database says at scrape time.
#[derive(Default)]
pub struct Snapshot {
    /// Plain gauges: (name, help, value).
    pub gauges: Vec<(&'static str, &'static str, i64)>,
    /// Events in the log per type.
    pub events_by_type: Vec<(String, i64)>,
    /// Parked dead letters per consumer.
    pub parked_by_consumer: Vec<(String, i64)>,
    /// Seconds the oldest unpublished listing has waited, per connector.
    pub sync_lag_by_connector: Vec<(String, i64)>,
}

/// The revenue counters: each the sum of the event types it stands for.
const REVENUE: [(&str, &str, &[&str]); 4] = [
    (
        "tessera_orders_placed",
        "Orders placed on the web or accepted from a marketplace",
        &["OrderPlaced", "MarketplaceOrderAccepted"],
    ),
    (
        "tessera_orders_confirmed",
        "Web orders confirmed (paid and reserved)",
        &["OrderConfirmed"],
    ),
    (
        "tessera_orders_compensated",
        "Orders undone after money or stock moved: refunds and cancellations",
        &[
            "RefundProcessed",
            "OrderCancelled",
            "MarketplaceOrderCancelled",
        ],
    ),
    (
        "tessera_payment_declines",
        "Payment attempts the provider declined",
        &["PaymentDeclined"],
    ),
];

impl Metrics {
    pub fn observe(&self, method: &str, route: &str, status: u16, elapsed: Duration) {
        self.requests
            .get_or_create(&RequestLabels {
                method: method.to_owned(),
                route: route.to_owned(),
                status: format!("{}xx", status / 100),
            })
            .observe(elapsed.as_secs_f64());
    }

    pub fn observe_confirmation(&self, elapsed: Duration) {
        self.confirmation.observe(elapsed.as_secs_f64());
    }

    /// `origin` is one of the configured release origins, `self` or `other`: never a
    /// client-chosen label.
    pub fn count_release_load(&self, origin: &str) {
        self.release_loads
            .get_or_create(&OriginLabel {
                origin: origin.to_owned(),
            })
            .inc();
    }

    pub fn render(&self, snapshot: &Snapshot) -> String {
        let mut scrape = Registry::default();
        for (name, help, value) in &snapshot.gauges {
            let gauge = Gauge::<i64>::default();
            gauge.set(*value);
            scrape.register(*name, *help, gauge);
        }
        let count_of = |kind: &str| -> u64 {
            snapshot
                .events_by_type
                .iter()
                .filter(|(type_, _)| type_ == kind)
                .map(|(_, count)| u64::try_from(*count).unwrap_or(0))
                .sum()
        };
        for (name, help, kinds) in REVENUE {
            let counter = Counter::<u64>::default();
            counter.inc_by(kinds.iter().map(|kind| count_of(kind)).sum());
            scrape.register(name, help, counter);
        }
        let by_type = Family::<TypeLabel, Counter>::default();
        for (kind, count) in &snapshot.events_by_type {
            by_type
                .get_or_create(&TypeLabel {
                    r#type: kind.clone(),
                })
                .inc_by(u64::try_from(*count).unwrap_or(0));
        }
        scrape.register("tessera_events", "Events in the log by type", by_type);
        let parked = Family::<ConsumerLabel, Gauge>::default();
        for (consumer, count) in &snapshot.parked_by_consumer {
            parked
                .get_or_create(&ConsumerLabel {
                    consumer: consumer.clone(),
                })
                .set(*count);
        }
        scrape.register(
            "tessera_dead_letters_parked_by_consumer",
            "Parked dead letters per consumer",
            parked,
        );
        let lag = Family::<ConnectorLabel, Gauge>::default();
        for (connector, seconds) in &snapshot.sync_lag_by_connector {
            lag.get_or_create(&ConnectorLabel {
                connector: connector.clone(),
            })
            .set(*seconds);
        }
        scrape.register(
            "tessera_marketplace_sync_lag_seconds",
            "How long the oldest listing not yet published to the marketplace has waited",
            lag,
        );
        let mut out = String::new();
        // Writing into a String cannot fail.
        let _ = encode_registry(&mut out, &self.registry)
            .and_then(|()| encode_registry(&mut out, &scrape))
            .and_then(|()| encode_eof(&mut out));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latency_buckets_are_cumulative_and_revenue_counts_come_from_the_log() {
        let metrics = Metrics::default();
        metrics.observe("GET", "/v1/products", 200, Duration::from_micros(800));
        metrics.observe("GET", "/v1/products", 200, Duration::from_millis(30));
        metrics.observe_confirmation(Duration::from_millis(700));
        let text = metrics.render(&Snapshot {
            gauges: vec![("tessera_outbox_lag_events", "Unhandled events", 3)],
            events_by_type: vec![
                ("MarketplaceOrderAccepted".into(), 2),
                ("OrderPlaced".into(), 5),
                ("PaymentDeclined".into(), 1),
                ("RefundProcessed".into(), 1),
            ],
            parked_by_consumer: vec![("payments".into(), 4)],
            sync_lag_by_connector: vec![("amazon-eu".into(), 90)],
        });
        for line in [
            "http_request_duration_seconds_bucket{le=\"0.001\",method=\"GET\",route=\"/v1/products\",status=\"2xx\"} 1",
            "http_request_duration_seconds_bucket{le=\"0.05\",method=\"GET\",route=\"/v1/products\",status=\"2xx\"} 2",
            "tessera_order_confirmation_seconds_bucket{le=\"1.0\"} 1",
            "tessera_outbox_lag_events 3",
            "tessera_orders_placed_total 7",
            "tessera_orders_compensated_total 1",
            "tessera_payment_declines_total 1",
            "tessera_orders_confirmed_total 0",
            "tessera_events_total{type=\"OrderPlaced\"} 5",
            "tessera_dead_letters_parked_by_consumer{consumer=\"payments\"} 4",
            "tessera_marketplace_sync_lag_seconds{connector=\"amazon-eu\"} 90",
        ] {
            assert!(
                text.lines().any(|got| got.starts_with(line)),
                "{line} in\n{text}"
            );
        }
        assert!(text.ends_with("# EOF\n"));
    }
}
