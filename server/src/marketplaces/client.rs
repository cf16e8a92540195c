//! HTTP calls to one marketplace in its own dialect (see `marketplace-sim/src/api.rs` for the
//! three): order listing with its paging, stock publishing (an asynchronous feed, per-SKU PUTs
//! or one batch PATCH), acknowledgement and cancellation. Throttling comes back as
//! [`CallError::Throttled`] with the wait the marketplace asked for, if it said.

use std::time::Duration;

use api_client::types::MarketplaceOrder;
use reqwest::{Response, StatusCode};
use serde_json::{Value, json};

use super::Dialect;

#[derive(Debug, thiserror::Error)]
pub enum CallError {
    #[error("throttled by the marketplace (429)")]
    Throttled { retry_after: Option<Duration> },
    /// The marketplace refused this request for a reason of its own (4xx).
    #[error("refused: {0}")]
    Refused(String),
    /// Down, timing out, 5xx, or an answer that makes no sense: worth retrying.
    #[error("{0}")]
    Failed(String),
}

/// What we offer of one SKU.
#[derive(Debug, Clone)]
pub struct Offer {
    pub sku: String,
    pub quantity: i64,
    pub price_minor: Option<i64>,
}

impl Offer {
    fn to_json(&self) -> Value {
        let mut item = json!({"sku": self.sku, "quantity": self.quantity});
        if let Some(price) = self.price_minor {
            item["priceMinor"] = json!(price);
        }
        item
    }
}

/// The marketplace's record of one SKU.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TheirListing {
    pub sku: String,
    pub quantity: i64,
    pub price_minor: Option<i64>,
}

/// What publishing stock did.
pub enum Published {
    /// Applied at once; the SKUs refused with their reasons.
    Applied { rejected: Vec<(String, String)> },
    /// Queued as a feed to ask about later.
    Feed(String),
}

/// A feed's progress.
pub enum FeedReport {
    Processing,
    Done { rejected: Vec<(String, String)> },
    Fatal(String),
}

#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    base: String,
    dialect: Dialect,
}

impl Client {
    pub fn new(http: reqwest::Client, base_url: &str, dialect: Dialect) -> Client {
        Client {
            http,
            base: base_url.trim_end_matches('/').to_owned(),
            dialect,
        }
    }

    /// `base/segment/…`, each segment percent-encoded.
    fn endpoint(&self, segments: &[&str]) -> Result<reqwest::Url, CallError> {
        let mut url = reqwest::Url::parse(&self.base)
            .map_err(|error| CallError::Failed(format!("connector URL {}: {error}", self.base)))?;
        url.path_segments_mut()
            .map_err(|()| CallError::Failed(format!("connector URL {} has no path", self.base)))?
            .pop_if_empty()
            .extend(segments);
        Ok(url)
    }

    /// One page of the orders the marketplace changed after `since` (RFC 3339): the page and the
    /// cursor of the next one (`None` on the last). `cursor` is the previous page's.
    pub async fn orders_page(
        &self,
        since: &str,
        cursor: Option<&str>,
    ) -> Result<(Vec<MarketplaceOrder>, Option<String>), CallError> {
        let orders = format!("{}/orders", self.base);
        let request = match self.dialect {
            Dialect::Amazon => match cursor {
                Some(token) => self.http.get(orders).query(&[("nextToken", token)]),
                None => self.http.get(orders).query(&[("updatedAfter", since)]),
            },
            Dialect::Ebay => self.http.get(orders).query(&[
                ("modifiedSince", since),
                ("offset", cursor.unwrap_or("0")),
                ("limit", "100"),
            ]),
            Dialect::Zalando => self
                .http
                .get(orders)
                .query(&[("updatedSince", since), ("page", cursor.unwrap_or("0"))]),
        };
        let body = json_of(send(request).await?).await?;
        let (items, next) = match self.dialect {
            Dialect::Amazon => (
                &body["orders"],
                body["nextToken"].as_str().map(str::to_owned),
            ),
            Dialect::Ebay => {
                let offset = body["offset"].as_u64().unwrap_or(0);
                let count = body["orders"].as_array().map_or(0, Vec::len) as u64;
                let total = body["total"].as_u64().unwrap_or(0);
                let next =
                    (count > 0 && offset + count < total).then(|| (offset + count).to_string());
                (&body["orders"], next)
            }
            Dialect::Zalando => {
                let page = body["page"].as_u64().unwrap_or(0);
                let next = body["hasNext"]
                    .as_bool()
                    .unwrap_or(false)
                    .then(|| (page + 1).to_string());
                (&body["items"], next)
            }
        };
        let page: Vec<MarketplaceOrder> = serde_json::from_value(items.clone())
            .map_err(|error| CallError::Failed(format!("orders the shop cannot read: {error}")))?;
        Ok((page, next))
    }

    /// Publishes stock figures, in the dialect's way.
    pub async fn publish(&self, items: &[Offer]) -> Result<Published, CallError> {
        let body_items: Vec<Value> = items.iter().map(Offer::to_json).collect();
        match self.dialect {
            Dialect::Amazon => {
                let request = self
                    .http
                    .post(format!("{}/feeds", self.base))
                    .json(&json!({"items": body_items}));
                let body = json_of(send(request).await?).await?;
                let id = body["feedId"]
                    .as_str()
                    .ok_or_else(|| CallError::Failed("feed without an id".into()))?;
                Ok(Published::Feed(id.to_owned()))
            }
            Dialect::Ebay => {
                let mut rejected = Vec::new();
                for offer in items {
                    let request = self
                        .http
                        .put(self.endpoint(&["inventory", &offer.sku])?)
                        .json(&offer.to_json());
                    match send(request).await {
                        Ok(_) => {}
                        Err(CallError::Refused(reason)) => {
                            rejected.push((offer.sku.clone(), reason))
                        }
                        Err(error) => return Err(error),
                    }
                }
                Ok(Published::Applied { rejected })
            }
            Dialect::Zalando => {
                let request = self
                    .http
                    .patch(format!("{}/stock", self.base))
                    .json(&json!({"items": body_items}));
                let body = json_of(send(request).await?).await?;
                let rejected = body["results"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter(|result| result["status"] == "rejected")
                    .map(|result| {
                        (
                            result["sku"].as_str().unwrap_or_default().to_owned(),
                            result["reason"].as_str().unwrap_or("rejected").to_owned(),
                        )
                    })
                    .collect();
                Ok(Published::Applied { rejected })
            }
        }
    }

    /// One page of the listings the marketplace holds for us, from `offset`: the page and the
    /// total.
    pub async fn listings_page(
        &self,
        offset: usize,
    ) -> Result<(Vec<TheirListing>, usize), CallError> {
        let request = self
            .http
            .get(format!("{}/listings", self.base))
            .query(&[("offset", offset.to_string()), ("limit", "1000".to_owned())]);
        let body = json_of(send(request).await?).await?;
        let page: Vec<TheirListing> =
            serde_json::from_value(body["listings"].clone()).map_err(|error| {
                CallError::Failed(format!("listings the shop cannot read: {error}"))
            })?;
        Ok((page, body["total"].as_u64().unwrap_or(0) as usize))
    }

    pub async fn feed(&self, feed_id: &str) -> Result<FeedReport, CallError> {
        let body =
            json_of(send(self.http.get(format!("{}/feeds/{feed_id}", self.base))).await?).await?;
        Ok(match body["processingStatus"].as_str() {
            Some("DONE") => FeedReport::Done {
                rejected: body["report"]["rejected"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|item| {
                        (
                            item["sku"].as_str().unwrap_or_default().to_owned(),
                            item["reason"].as_str().unwrap_or("rejected").to_owned(),
                        )
                    })
                    .collect(),
            },
            Some("FATAL") => FeedReport::Fatal(
                body["report"]["error"]
                    .as_str()
                    .unwrap_or("the feed failed")
                    .to_owned(),
            ),
            Some("IN_QUEUE" | "IN_PROGRESS") => FeedReport::Processing,
            other => return Err(CallError::Failed(format!("unknown feed status {other:?}"))),
        })
    }

    pub async fn acknowledge(&self, order_id: &str) -> Result<(), CallError> {
        send(
            self.http
                .post(self.endpoint(&["orders", order_id, "acknowledge"])?),
        )
        .await?;
        Ok(())
    }

    pub async fn cancel(&self, order_id: &str, reason: &str) -> Result<(), CallError> {
        let request = self
            .http
            .post(self.endpoint(&["orders", order_id, "cancel"])?)
            .json(&json!({"reason": reason}));
        send(request).await?;
        Ok(())
    }
}

async fn send(request: reqwest::RequestBuilder) -> Result<Response, CallError> {
    let response = request
        .send()
        .await
        .map_err(|error| CallError::Failed(format!("marketplace unreachable: {error}")))?;
    let status = response.status();
    if status.is_success() {
        return Ok(response);
    }
    if status == StatusCode::TOO_MANY_REQUESTS {
        let retry_after = response
            .headers()
            .get("retry-after")
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        return Err(CallError::Throttled { retry_after });
    }
    let text = response.text().await.unwrap_or_default();
    let message = message_of(&text).unwrap_or_else(|| format!("HTTP {status}"));
    if status.is_client_error() && status != StatusCode::REQUEST_TIMEOUT {
        Err(CallError::Refused(message))
    } else {
        Err(CallError::Failed(format!(
            "HTTP {}: {message}",
            status.as_u16()
        )))
    }
}

/// The message in any of the three dialects' error bodies.
fn message_of(text: &str) -> Option<String> {
    let body: Value = serde_json::from_str(text).ok()?;
    body["message"]
        .as_str()
        .or_else(|| body["errors"][0]["message"].as_str())
        .or_else(|| body["title"].as_str())
        .map(str::to_owned)
}

async fn json_of(response: Response) -> Result<Value, CallError> {
    response
        .json()
        .await
        .map_err(|error| CallError::Failed(format!("an answer that is not JSON: {error}")))
}
