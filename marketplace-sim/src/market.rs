//! One simulated marketplace's state: its listings (its own stock and price per seller SKU), its
//! orders, its stock feeds, its throttles and the faults a test or demo switched on. Everything
//! is in memory behind one lock per marketplace; time is the wall clock.

use std::collections::{BTreeMap, HashMap};
use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// The three marketplaces and the quirks each one has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Token buckets per endpoint answering `429 {"code":"QuotaExceeded"}`; orders listed by
    /// `updatedAfter` with `nextToken` paging, visible only some time after they are created;
    /// stock sent as asynchronous feeds with a processing report.
    Amazon,
    /// Offset/limit paging and a `modifiedSince` filter; synchronous inventory updates.
    Ebay,
    /// `429` with `Retry-After`; orders must be acknowledged before a deadline or the
    /// marketplace cancels them.
    Zalando,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Amazon, Kind::Ebay, Kind::Zalando];

    pub fn name(self) -> &'static str {
        match self {
            Kind::Amazon => "amazon",
            Kind::Ebay => "ebay",
            Kind::Zalando => "zalando",
        }
    }

    pub fn parse(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|kind| kind.name() == name)
    }

    /// The endpoints with a throttle of their own and their default (per second, burst).
    fn default_throttles(self) -> &'static [(Endpoint, f64, u32)] {
        match self {
            Kind::Amazon => &[
                (Endpoint::Orders, 0.5, 20),
                (Endpoint::Stock, 2.0, 15),
                (Endpoint::Actions, 1.0, 10),
            ],
            Kind::Ebay => &[
                (Endpoint::Orders, 5.0, 50),
                (Endpoint::Stock, 10.0, 50),
                (Endpoint::Actions, 5.0, 20),
            ],
            Kind::Zalando => &[
                (Endpoint::Orders, 2.0, 5),
                (Endpoint::Stock, 2.0, 5),
                (Endpoint::Actions, 2.0, 10),
            ],
        }
    }
}

/// What a throttle guards.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Endpoint {
    Orders,
    Stock,
    Actions,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    /// Paid by the buyer, waiting for the seller (and, at zalando, for its acknowledgement).
    Unshipped,
    Acknowledged,
    Cancelled,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderLine {
    pub sku: String,
    pub quantity: u32,
    pub unit_price_minor: i64,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Order {
    pub id: String,
    pub status: OrderStatus,
    pub currency: String,
    pub lines: Vec<OrderLine>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
    #[serde(
        skip_serializing_if = "Option::is_none",
        with = "time::serde::rfc3339::option"
    )]
    pub acknowledge_by: Option<OffsetDateTime>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cancel_reason: Option<String>,
    /// When the order starts to show in listings (amazon lists orders late).
    #[serde(skip)]
    pub visible_at: OffsetDateTime,
}

/// The marketplace's own record of a seller SKU.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Listing {
    pub sku: String,
    pub quantity: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub price_minor: Option<i64>,
    pub currency: String,
    /// Why the marketplace refuses updates of this SKU (set through the control API).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reject_reason: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

/// One item of a stock update, as every dialect carries it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StockItem {
    pub sku: String,
    pub quantity: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price_minor: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum FeedStatus {
    InQueue,
    InProgress,
    Done,
    Fatal,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Rejection {
    pub sku: String,
    pub reason: String,
}

#[derive(Debug, Clone)]
pub struct Feed {
    pub id: String,
    pub items: Vec<StockItem>,
    pub submitted: OffsetDateTime,
    pub status: FeedStatus,
    pub accepted: usize,
    pub rejected: Vec<Rejection>,
}

/// Faults switched on through the control API; shares are 0.0..=1.0.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Faults {
    /// Notifications never sent (a poller must find those orders).
    pub drop_notifications: f64,
    /// Notifications sent twice.
    pub duplicate_notifications: f64,
    /// API requests answered `503`.
    pub error_rate: f64,
    /// API requests that hang for `hang_seconds` and then fail.
    pub hang_rate: f64,
    pub hang_seconds: u64,
    /// Divides every throttle's rate (10 = ten times harder); 0 or 1 = normal.
    pub throttle_factor: f64,
}

/// What the marketplace counted, for tests and the demo.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Stats {
    pub requests: u64,
    pub throttled: u64,
    pub failed: u64,
    pub stock_updates: u64,
    pub rejected_items: u64,
    pub notifications_sent: u64,
    pub notifications_dropped: u64,
    pub notifications_duplicated: u64,
    pub cancellations_by_seller: u64,
}

pub struct Throttle {
    per_second: f64,
    burst: u32,
    limiter: DefaultDirectRateLimiter,
}

impl Throttle {
    fn new(per_second: f64, burst: u32) -> Self {
        let period = Duration::from_secs_f64(1.0 / per_second.max(0.001));
        let quota = Quota::with_period(period)
            .expect("a positive period")
            .allow_burst(NonZeroU32::new(burst.max(1)).expect("non-zero"));
        Throttle {
            per_second,
            burst,
            limiter: RateLimiter::direct(quota),
        }
    }

    /// `Ok(())` or how long until the next request would pass.
    pub fn check(&self) -> Result<(), Duration> {
        self.limiter
            .check()
            .map_err(|not_until| not_until.wait_time_from(DefaultClock::default().now()))
    }

    pub fn per_second(&self) -> f64 {
        self.per_second
    }

    pub fn burst(&self) -> u32 {
        self.burst
    }
}

pub struct Market {
    pub kind: Kind,
    pub currency: String,
    pub listings: BTreeMap<String, Listing>,
    pub orders: Vec<Order>,
    pub feeds: HashMap<String, Feed>,
    pub throttles: HashMap<Endpoint, Throttle>,
    pub faults: Faults,
    pub stats: Stats,
    /// How long after creation an order shows in listings.
    pub listing_delay: Duration,
    /// How long the seller has to acknowledge an order (zalando).
    pub acknowledge_within: Duration,
    /// How long a feed stays in the queue and in progress.
    pub feed_processing: Duration,
    /// The seller account's quota as a multiple of the default throttles (a higher tier).
    pub quota_scale: f64,
}

impl Market {
    pub fn new(kind: Kind) -> Market {
        let mut market = Market {
            kind,
            currency: "USD".to_owned(),
            listings: BTreeMap::new(),
            orders: Vec::new(),
            feeds: HashMap::new(),
            throttles: HashMap::new(),
            faults: Faults::default(),
            stats: Stats::default(),
            listing_delay: if kind == Kind::Amazon {
                Duration::from_secs(2)
            } else {
                Duration::ZERO
            },
            acknowledge_within: Duration::from_secs(120),
            feed_processing: Duration::from_millis(600),
            quota_scale: 1.0,
        };
        market.reset_throttles();
        market
    }

    /// The default throttles times the seller's quota, divided by the throttle fault.
    pub fn reset_throttles(&mut self) {
        let factor = if self.faults.throttle_factor > 1.0 {
            self.faults.throttle_factor
        } else {
            1.0
        };
        let scale = self.quota_scale / factor;
        self.throttles = self
            .kind
            .default_throttles()
            .iter()
            .map(|&(endpoint, per_second, burst)| {
                let burst = ((f64::from(burst) * scale).ceil() as u32).max(1);
                (endpoint, Throttle::new(per_second * scale, burst))
            })
            .collect();
    }

    /// Sets one endpoint's throttle (tests make them tight to see 429s quickly).
    pub fn set_throttle(&mut self, endpoint: Endpoint, per_second: f64, burst: u32) {
        self.throttles
            .insert(endpoint, Throttle::new(per_second, burst));
    }

    /// Moves time-driven state forward: feeds through their stages, unacknowledged orders past
    /// their deadline to cancelled. Returns the orders the marketplace cancelled itself.
    pub fn settle(&mut self, now: OffsetDateTime) -> Vec<Order> {
        let stage = self.feed_processing / 2;
        let due: Vec<String> = self
            .feeds
            .values()
            .filter(|feed| matches!(feed.status, FeedStatus::InQueue | FeedStatus::InProgress))
            .map(|feed| feed.id.clone())
            .collect();
        for id in due {
            let age = now - self.feeds[&id].submitted;
            if age >= self.feed_processing {
                let items = self.feeds[&id].items.clone();
                let (accepted, rejected) = self.apply_stock(&items, now);
                let feed = self.feeds.get_mut(&id).expect("present");
                feed.status = FeedStatus::Done;
                feed.accepted = accepted;
                feed.rejected = rejected;
            } else if age >= stage {
                self.feeds.get_mut(&id).expect("present").status = FeedStatus::InProgress;
            }
        }
        let mut expired = Vec::new();
        for order in &mut self.orders {
            if order.status == OrderStatus::Unshipped
                && order.acknowledge_by.is_some_and(|deadline| deadline < now)
            {
                order.status = OrderStatus::Cancelled;
                order.cancel_reason = Some("not acknowledged in time".to_owned());
                order.updated_at = now;
                expired.push(order.clone());
            }
        }
        expired
    }

    /// Applies stock items at once (ebay's and zalando's synchronous updates, a finished feed):
    /// an SKU the marketplace refuses, or a negative quantity, is rejected with its reason.
    pub fn apply_stock(
        &mut self,
        items: &[StockItem],
        now: OffsetDateTime,
    ) -> (usize, Vec<Rejection>) {
        let mut accepted = 0;
        let mut rejected = Vec::new();
        for item in items {
            let reason = if item.quantity < 0 {
                Some("quantity must not be negative".to_owned())
            } else if item.sku.trim().is_empty() || item.sku.len() > 64 {
                Some("SKU must be 1 to 64 characters".to_owned())
            } else {
                self.listings
                    .get(&item.sku)
                    .and_then(|listing| listing.reject_reason.clone())
            };
            if let Some(reason) = reason {
                self.stats.rejected_items += 1;
                rejected.push(Rejection {
                    sku: item.sku.clone(),
                    reason,
                });
                continue;
            }
            let currency = self.currency.clone();
            let listing = self
                .listings
                .entry(item.sku.clone())
                .or_insert_with(|| Listing {
                    sku: item.sku.clone(),
                    quantity: 0,
                    price_minor: None,
                    currency,
                    reject_reason: None,
                    updated_at: now,
                });
            listing.quantity = item.quantity;
            if item.price_minor.is_some() {
                listing.price_minor = item.price_minor;
            }
            listing.updated_at = now;
            self.stats.stock_updates += 1;
            accepted += 1;
        }
        (accepted, rejected)
    }

    /// A buyer orders: the marketplace sells only what it believes it has, unless told to
    /// oversell (the way a stale stock figure oversells in real life).
    pub fn place_order(
        &mut self,
        lines: &[(String, u32)],
        allow_oversell: bool,
        now: OffsetDateTime,
    ) -> Result<Order, String> {
        if lines.is_empty() {
            return Err("an order needs at least one line".to_owned());
        }
        let mut priced = Vec::new();
        for (sku, quantity) in lines {
            let listing = self
                .listings
                .get(sku)
                .ok_or_else(|| format!("{sku} is not listed here"))?;
            if *quantity == 0 {
                return Err(format!("{sku}: quantity must be at least 1"));
            }
            if !allow_oversell && listing.quantity < i64::from(*quantity) {
                return Err(format!("{sku}: only {} available", listing.quantity.max(0)));
            }
            priced.push(OrderLine {
                sku: sku.clone(),
                quantity: *quantity,
                unit_price_minor: listing.price_minor.unwrap_or(0),
            });
        }
        for line in &priced {
            if let Some(listing) = self.listings.get_mut(&line.sku) {
                listing.quantity -= i64::from(line.quantity);
            }
        }
        let order = Order {
            id: format!("{}-{}", self.kind.name(), uuid::Uuid::new_v4().simple()),
            status: OrderStatus::Unshipped,
            currency: self.currency.clone(),
            lines: priced,
            created_at: now,
            updated_at: now,
            acknowledge_by: (self.kind == Kind::Zalando).then(|| now + self.acknowledge_within),
            cancel_reason: None,
            visible_at: now + self.listing_delay,
        };
        self.orders.push(order.clone());
        Ok(order)
    }

    pub fn order_mut(&mut self, id: &str) -> Option<&mut Order> {
        self.orders.iter_mut().find(|order| order.id == id)
    }

    /// Cancels an order (by the buyer or the seller); the units go back on the listing.
    pub fn cancel(&mut self, id: &str, reason: &str, now: OffsetDateTime) -> Option<Order> {
        let order = self.orders.iter_mut().find(|order| order.id == id)?;
        if order.status != OrderStatus::Cancelled {
            order.status = OrderStatus::Cancelled;
            order.cancel_reason = Some(reason.to_owned());
            order.updated_at = now;
            let lines = order.lines.clone();
            for line in lines {
                if let Some(listing) = self.listings.get_mut(&line.sku) {
                    listing.quantity += i64::from(line.quantity);
                }
            }
        }
        self.orders.iter().find(|order| order.id == id).cloned()
    }

    /// Orders changed after `since` that the listing shows by now, oldest change first.
    pub fn changed_since(&self, since: OffsetDateTime, now: OffsetDateTime) -> Vec<&Order> {
        let mut orders: Vec<&Order> = self
            .orders
            .iter()
            .filter(|order| order.visible_at <= now && order.updated_at > since)
            .collect();
        orders.sort_by_key(|order| (order.updated_at, order.id.clone()));
        orders
    }
}

#[cfg(test)]
mod tests;
