//! Abuse limits: token buckets (the `governor` crate) per client address for every public and
//! shopper operation, and tighter ones per address and per token (or visitor) for the operations
//! that cost something: sessions, carts, card tokenisation, telemetry and sign-ins (per address
//! and per account). Over a limit the answer
//! is 429 `rate-limited` with `Retry-After`. Ops operations are not limited: they need a secret
//! token. The client address is the TCP peer; behind a proxy this would read its header instead.

use std::net::{IpAddr, Ipv4Addr};
use std::num::NonZeroU32;
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use axum::extract::{MatchedPath, Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::error::AppError;
use crate::extract::peer_address;
use crate::state::AppState;

/// A sustained rate and the burst allowed on top of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    pub per_minute: u32,
    pub burst: u32,
}

impl Rate {
    const fn new(per_minute: u32, burst: u32) -> Rate {
        Rate { per_minute, burst }
    }

    fn quota(self) -> Quota {
        let at_least_one = |n: u32| NonZeroU32::new(n.max(1)).unwrap_or(NonZeroU32::MIN);
        Quota::per_minute(at_least_one(self.per_minute)).allow_burst(at_least_one(self.burst))
    }
}

/// Every limit by name, as `--rate-limit NAME=PER_MINUTE/BURST` sets them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LimitsConfig {
    /// Any public or shopper request, per address: generous, it only stops floods.
    pub requests_per_address: Rate,
    pub sessions_per_address: Rate,
    pub carts_per_address: Rate,
    pub carts_per_token: Rate,
    pub card_tokens_per_address: Rate,
    pub card_tokens_per_token: Rate,
    pub beacons_per_address: Rate,
    pub beacons_per_visitor: Rate,
    /// Sign-ups and sign-ins: per address, and sign-ins per account (guessing one password).
    pub sign_ins_per_address: Rate,
    pub sign_ins_per_account: Rate,
}

impl Default for LimitsConfig {
    fn default() -> Self {
        LimitsConfig {
            requests_per_address: Rate::new(6000, 600),
            sessions_per_address: Rate::new(60, 30),
            carts_per_address: Rate::new(120, 40),
            carts_per_token: Rate::new(30, 10),
            card_tokens_per_address: Rate::new(30, 10),
            card_tokens_per_token: Rate::new(10, 5),
            beacons_per_address: Rate::new(600, 120),
            beacons_per_visitor: Rate::new(60, 20),
            sign_ins_per_address: Rate::new(30, 10),
            sign_ins_per_account: Rate::new(10, 5),
        }
    }
}

impl LimitsConfig {
    /// Applies `name=per_minute/burst`.
    pub fn set(&mut self, assignment: &str) -> Result<()> {
        let (name, rate) = assignment
            .split_once('=')
            .context("a rate limit is NAME=PER_MINUTE/BURST")?;
        let (per_minute, burst) = rate
            .split_once('/')
            .context("a rate is PER_MINUTE/BURST, for example 60/30")?;
        let rate = Rate::new(
            per_minute.parse().context("PER_MINUTE is a whole number")?,
            burst.parse().context("BURST is a whole number")?,
        );
        let slot = match name {
            "requests-per-address" => &mut self.requests_per_address,
            "sessions-per-address" => &mut self.sessions_per_address,
            "carts-per-address" => &mut self.carts_per_address,
            "carts-per-token" => &mut self.carts_per_token,
            "card-tokens-per-address" => &mut self.card_tokens_per_address,
            "card-tokens-per-token" => &mut self.card_tokens_per_token,
            "beacons-per-address" => &mut self.beacons_per_address,
            "beacons-per-visitor" => &mut self.beacons_per_visitor,
            "sign-ins-per-address" => &mut self.sign_ins_per_address,
            "sign-ins-per-account" => &mut self.sign_ins_per_account,
            other => bail!("unknown rate limit `{other}`"),
        };
        *slot = rate;
        Ok(())
    }
}

type ByAddress = DefaultKeyedRateLimiter<IpAddr>;
type ByKey = DefaultKeyedRateLimiter<String>;

/// The live buckets, built once from a `LimitsConfig`.
pub struct Limits {
    requests_per_address: ByAddress,
    sessions_per_address: ByAddress,
    carts_per_address: ByAddress,
    carts_per_token: ByKey,
    card_tokens_per_address: ByAddress,
    card_tokens_per_token: ByKey,
    beacons_per_address: ByAddress,
    beacons_per_visitor: ByKey,
    sign_ins_per_address: ByAddress,
    sign_ins_per_account: ByKey,
}

/// Buckets kept before idle ones are dropped, so a flood of addresses cannot grow memory forever.
const SHRINK_ABOVE: usize = 100_000;

impl Limits {
    pub fn new(config: &LimitsConfig) -> Limits {
        Limits {
            requests_per_address: RateLimiter::keyed(config.requests_per_address.quota()),
            sessions_per_address: RateLimiter::keyed(config.sessions_per_address.quota()),
            carts_per_address: RateLimiter::keyed(config.carts_per_address.quota()),
            carts_per_token: RateLimiter::keyed(config.carts_per_token.quota()),
            card_tokens_per_address: RateLimiter::keyed(config.card_tokens_per_address.quota()),
            card_tokens_per_token: RateLimiter::keyed(config.card_tokens_per_token.quota()),
            beacons_per_address: RateLimiter::keyed(config.beacons_per_address.quota()),
            beacons_per_visitor: RateLimiter::keyed(config.beacons_per_visitor.quota()),
            sign_ins_per_address: RateLimiter::keyed(config.sign_ins_per_address.quota()),
            sign_ins_per_account: RateLimiter::keyed(config.sign_ins_per_account.quota()),
        }
    }

    /// A sign-in's second key, the account (its email key), is only known once the body is read.
    pub fn check_sign_in_account(&self, account: &str) -> Result<(), AppError> {
        check(&self.sign_ins_per_account, &account.to_owned())
    }

    /// Telemetry's second key, the visitor, is only known once the body is read.
    pub fn check_visitor(&self, visitor_id: &str) -> Result<(), AppError> {
        check(&self.beacons_per_visitor, &visitor_id.to_owned())
    }
}

fn check<K: Clone + std::hash::Hash + Eq>(
    limiter: &DefaultKeyedRateLimiter<K>,
    key: &K,
) -> Result<(), AppError> {
    if limiter.len() > SHRINK_ABOVE {
        limiter.retain_recent();
    }
    limiter.check_key(key).map_err(|not_until| {
        let wait = not_until.wait_time_from(DefaultClock::default().now());
        rate_limited(wait.as_secs() + u64::from(wait.subsec_nanos() > 0))
    })
}

fn rate_limited(retry_after_seconds: u64) -> AppError {
    AppError::new(
        StatusCode::TOO_MANY_REQUESTS,
        "rate-limited",
        "Too many requests",
    )
    .detail(format!(
        "slow down: retry in {} s",
        retry_after_seconds.max(1)
    ))
    .retry_after(retry_after_seconds.max(1))
}

/// Ops routes that authenticate with a stream ticket rather than the ops token.
const TICKET_ROUTES: &[&str] = &["/v1/ops/connectors/stream"];

/// The route layer: picks the buckets for the operation and takes one token from each.
pub async fn limit(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let Some(limits) = state.limits.as_deref() else {
        return next.run(request).await;
    };
    let path = request
        .extensions()
        .get::<MatchedPath>()
        .map(|path| path.as_str().to_owned())
        .unwrap_or_default();
    // Ops routes need an ops token, whose holder is trusted; the connectors' stream takes a
    // ticket instead and is open to anyone, so it is limited like every public route.
    if path.starts_with("/v1/ops/") && !TICKET_ROUTES.contains(&path.as_str()) {
        return next.run(request).await;
    }
    // Without the peer (a router served without connect info) every client shares one bucket.
    let address = peer_address(request.extensions()).unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
    let token = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let checked = check(&limits.requests_per_address, &address).and_then(|()| {
        match (request.method(), path.as_str()) {
            (&Method::POST, "/v1/sessions") => check(&limits.sessions_per_address, &address),
            (&Method::POST, "/v1/carts") => check(&limits.carts_per_address, &address)
                .and_then(|()| check(&limits.carts_per_token, &token)),
            // A kiosk order tokenises the card it carries.
            (&Method::POST, "/v1/payments/tokens" | "/v1/kiosk/orders") => {
                check(&limits.card_tokens_per_address, &address)
                    .and_then(|()| check(&limits.card_tokens_per_token, &token))
            }
            (&Method::POST, "/v1/telemetry/beacons") => {
                check(&limits.beacons_per_address, &address)
            }
            (&Method::POST, "/v1/customers" | "/v1/customers/sign-in") => {
                check(&limits.sign_ins_per_address, &address)
            }
            _ => Ok(()),
        }
    });
    match checked {
        Ok(()) => next.run(request).await,
        Err(error) => error.into_response(),
    }
}

/// The limits of a running server, shared through `AppState` (`None` when switched off).
pub fn build(config: Option<&LimitsConfig>) -> Option<Arc<Limits>> {
    config.map(|config| Arc::new(Limits::new(config)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_are_set_by_name() {
        let mut config = LimitsConfig::default();
        config.set("sessions-per-address=5/2").unwrap();
        assert_eq!(config.sessions_per_address, Rate::new(5, 2));
        assert!(config.set("nonsense=1/1").is_err());
        assert!(config.set("sessions-per-address=five").is_err());
    }

    #[test]
    fn a_burst_is_allowed_then_the_caller_waits() {
        let limiter: ByAddress = RateLimiter::keyed(Rate::new(60, 3).quota());
        let address = IpAddr::V4(Ipv4Addr::LOCALHOST);
        for _ in 0..3 {
            assert!(check(&limiter, &address).is_ok());
        }
        let refused = check(&limiter, &address).unwrap_err();
        assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
        let other = IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1));
        assert!(check(&limiter, &other).is_ok(), "buckets are per key");
    }
}
