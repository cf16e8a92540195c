//! Synthetic visitors over HTTP, for experiments too large to click through: each is bucketed by
//! the rollout exactly as the shell would, reports its exposure with a telemetry session from a
//! real shell page, and, if it converts, buys through the public API (cart, checkout, card token,
//! order) with a session of its own.

use anyhow::{Context, Result, ensure};
use serde_json::{Value, json};

use crate::Session;

pub struct Visitors<'a> {
    session: &'a Session,
    http: reqwest::Client,
    /// In-stock variants, bought in turn so that no one runs out.
    variants: Vec<String>,
    bought: std::sync::atomic::AtomicUsize,
}

impl<'a> Visitors<'a> {
    pub async fn new(session: &'a Session) -> Result<Visitors<'a>> {
        let http = reqwest::Client::new();
        let page: Value = http
            .get(session.url("/v1/products?limit=50"))
            .send()
            .await?
            .json()
            .await?;
        let mut variants = Vec::new();
        for product in page["items"].as_array().into_iter().flatten() {
            let slug = product["slug"].as_str().context("a slug")?;
            let product: Value = http
                .get(session.url(&format!("/v1/products/{slug}")))
                .send()
                .await?
                .json()
                .await?;
            variants.extend(
                product["variants"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter(|variant| variant["availability"]["status"] == "in_stock")
                    .filter_map(|variant| variant["id"].as_str().map(str::to_owned)),
            );
        }
        ensure!(!variants.is_empty(), "the shop has something in stock");
        Ok(Visitors {
            session,
            http,
            variants,
            bought: std::sync::atomic::AtomicUsize::new(0),
        })
    }

    async fn post(&self, token: &str, path: &str, body: Value) -> Result<Value> {
        self.send(self.http.post(self.session.url(path)), token, body)
            .await
    }

    async fn put(&self, token: &str, path: &str, body: Value) -> Result<Value> {
        self.send(self.http.put(self.session.url(path)), token, body)
            .await
    }

    async fn send(
        &self,
        request: reqwest::RequestBuilder,
        token: &str,
        body: Value,
    ) -> Result<Value> {
        let response = request
            .bearer_auth(token)
            .header("Idempotency-Key", fresh_key())
            .json(&body)
            .send()
            .await?;
        let status = response.status();
        let text = response.text().await?;
        ensure!(status.is_success(), "{status}: {text}");
        Ok(serde_json::from_str(&text)?)
    }

    /// The signed telemetry session a shell page carries.
    async fn telemetry_session(&self) -> Result<String> {
        let page = self
            .http
            .get(self.session.url("/checkout"))
            .send()
            .await?
            .text()
            .await?;
        let start = page
            .find("\"telemetry\":\"")
            .context("a telemetry session")?
            + 13;
        let end = page[start..].find('"').context("its end")?;
        Ok(page[start..start + end].to_owned())
    }

    /// A new visitor and the release of `releases` (weights as the rollout has them) the
    /// rollout's `seed` gives them, as the shell computes it.
    fn new_visitor(seed: &str, releases: &[(&str, f64)]) -> Result<(String, String)> {
        let visitor = fresh_key();
        let weights: Vec<f64> = releases.iter().map(|(_, weight)| *weight).collect();
        let index = micro_app::assign(seed, &visitor, &weights).context("a release")?;
        Ok((visitor, releases[index].0.to_owned()))
    }

    async fn expose(&self, app: &str, visitor: &str, release: &str) -> Result<()> {
        let telemetry = self.telemetry_session().await?;
        let beacons = json!({"visitorId": visitor, "session": telemetry, "beacons": [
            {"kind": "exposure", "app": app, "releaseId": release, "at": "2026-12-05T10:00:00Z"}
        ]});
        let response = self
            .http
            .post(self.session.url("/v1/telemetry/beacons"))
            .json(&beacons)
            .send()
            .await?;
        ensure!(
            response.status().is_success(),
            "beacons: {}",
            response.status()
        );
        Ok(())
    }

    /// One visitor on `app`'s rollout: reports its exposure and, when `buys` says so for its
    /// release, places an order. Returns the release it was given.
    pub async fn visit(
        &self,
        app: &str,
        seed: &str,
        releases: &[(&str, f64)],
        buys: impl Fn(&str) -> bool,
    ) -> Result<String> {
        let (visitor, release) = Self::new_visitor(seed, releases)?;
        self.expose(app, &visitor, &release).await?;
        if buys(&release) {
            self.buy(&visitor).await?;
        }
        Ok(release)
    }

    /// One more visitor of `release` only (others are turned away): a skew on purpose.
    pub async fn visit_only(
        &self,
        app: &str,
        seed: &str,
        releases: &[(&str, f64)],
        release: &str,
    ) -> Result<()> {
        loop {
            let (visitor, given) = Self::new_visitor(seed, releases)?;
            if given == release {
                return self.expose(app, &visitor, release).await;
            }
        }
    }

    async fn buy(&self, visitor: &str) -> Result<()> {
        let shopper = self
            .http
            .post(self.session.url("/v1/sessions"))
            .header("Idempotency-Key", fresh_key())
            .json(&json!({"visitorId": visitor}))
            .send()
            .await?
            .json::<Value>()
            .await?;
        let token = shopper["token"].as_str().context("a token")?;
        // A variant sold out by earlier buyers is refused: the next one is tried.
        let mut cart = Err(anyhow::anyhow!("nothing left to buy"));
        for _ in 0..self.variants.len().min(20) {
            let turn = self
                .bought
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let variant = &self.variants[turn % self.variants.len()];
            cart = self
                .post(
                    token,
                    "/v1/carts",
                    json!({"currency": "USD", "lines": [{"variantId": variant, "quantity": 1}]}),
                )
                .await;
            if cart.is_ok() {
                break;
            }
        }
        let cart = cart?;
        let checkout = self
            .post(token, "/v1/checkouts", json!({"cartId": cart["id"]}))
            .await?;
        let path = format!("/v1/checkouts/{}", checkout["id"].as_str().context("id")?);
        self.put(
            token,
            &format!("{path}/contact"),
            json!({"email": "buyer@example.com"}),
        )
        .await?;
        self.put(token, &format!("{path}/addresses"), json!({"shippingAddress": {"name": "Ada Buyer", "line1": "1 Main St", "city": "San Francisco", "region": "CA", "postalCode": "94105", "country": "US"}}))
            .await?;
        self.put(
            token,
            &format!("{path}/shipping-option"),
            json!({"shippingOptionId": "standard"}),
        )
        .await?;
        let card = self
            .post(token, "/v1/payments/tokens", json!({"number": "4242424242424242", "expMonth": 12, "expYear": 2035, "cvc": "123", "holderName": "Ada Buyer"}))
            .await?;
        self.post(
            token,
            &format!("{path}/complete"),
            json!({"paymentToken": card["token"]}),
        )
        .await?;
        Ok(())
    }
}

fn fresh_key() -> String {
    uuid::Uuid::new_v4().to_string()
}
