//! Two server instances on one Postgres and one NATS serve the shop together: a shopper's
//! requests alternate between them, and `kill -9` of one mid-lifecycle leaves no order stuck or
//! duplicated — the other finishes the work.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use e2e::scaled::{Instance, ScaledShop};
use reqwest::Method;
use serde_json::{Value, json};

/// A variant of the demo catalog found on `instance`: a preorder one (it sells without stock,
/// so any number of orders confirm) or else one with at least `units` on hand.
async fn variant(
    shop: &ScaledShop,
    instance: &Instance,
    preorder: bool,
    units: i64,
) -> Result<String> {
    let page = shop
        .call(
            instance,
            Method::GET,
            "/v1/products?limit=100",
            None,
            None,
            200,
        )
        .await?;
    for summary in page["items"].as_array().context("items")? {
        let slug = summary["slug"].as_str().context("slug")?;
        let path = format!("/v1/products/{slug}");
        let product = shop
            .call(instance, Method::GET, &path, None, None, 200)
            .await?;
        for variant in product["variants"].as_array().context("variants")? {
            let status = variant["availability"]["status"].as_str();
            let on_hand = match status {
                Some("in_stock") => units,
                Some("low_stock") => variant["availability"]["remaining"].as_i64().unwrap_or(0),
                _ => 0,
            };
            let fits = if preorder {
                status == Some("preorder")
            } else {
                on_hand >= units
            };
            if fits {
                return Ok(variant["id"].as_str().context("variant id")?.to_owned());
            }
        }
    }
    bail!("no such variant in the demo catalog (preorder: {preorder}, units: {units})")
}

/// Cart, checkout details and card, each request on the next instance in turn; returns the
/// checkout id and card token, ready to complete.
async fn ready_checkout(
    shop: &ScaledShop,
    token: &str,
    variant: &str,
    step: &mut usize,
) -> Result<(String, String)> {
    let mut next = || {
        *step += 1;
        shop.turn(*step)
    };
    let lines = json!({"currency": "USD", "lines": [{"variantId": variant, "quantity": 1}]});
    let cart = shop
        .call(
            next(),
            Method::POST,
            "/v1/carts",
            Some(token),
            Some(lines),
            201,
        )
        .await?;
    let start = json!({"cartId": cart["id"]});
    let checkout = shop
        .call(
            next(),
            Method::POST,
            "/v1/checkouts",
            Some(token),
            Some(start),
            201,
        )
        .await?;
    let path = format!("/v1/checkouts/{}", checkout["id"].as_str().context("id")?);
    let details = [
        ("contact", json!({"email": "ada@example.com"})),
        (
            "addresses",
            json!({"shippingAddress": {"name": "Ada Lovelace", "line1": "1 Main St",
                "city": "San Francisco", "region": "CA", "postalCode": "94105", "country": "US"}}),
        ),
        ("shipping-option", json!({"shippingOptionId": "standard"})),
    ];
    for (part, body) in details {
        let part_path = format!("{path}/{part}");
        shop.call(
            next(),
            Method::PUT,
            &part_path,
            Some(token),
            Some(body),
            200,
        )
        .await?;
    }
    let card = json!({"number": "4242424242424242", "expMonth": 12, "expYear": 2035,
        "cvc": "123", "holderName": "Ada Lovelace"});
    let card = shop
        .call(
            next(),
            Method::POST,
            "/v1/payments/tokens",
            Some(token),
            Some(card),
            201,
        )
        .await?;
    let checkout_id = checkout["id"].as_str().context("checkout id")?.to_owned();
    Ok((
        checkout_id,
        card["token"].as_str().context("card")?.to_owned(),
    ))
}

async fn complete(
    shop: &ScaledShop,
    instance: &Instance,
    token: &str,
    (checkout, card): &(String, String),
    key: &str,
) -> Result<Value> {
    let response = shop
        .http
        .post(instance.url(&format!("/v1/checkouts/{checkout}/complete")))
        .bearer_auth(token)
        .header("Idempotency-Key", key)
        .json(&json!({"paymentToken": card}))
        .send()
        .await?;
    if response.status().as_u16() != 202 {
        bail!("complete on {}: {}", instance.base, response.text().await?);
    }
    Ok(response.json().await?)
}

/// Polls `instance` until the order is confirmed; returns how often each event type appears
/// in its timeline.
async fn confirmed_timeline(
    shop: &ScaledShop,
    instance: &Instance,
    token: &str,
    order_id: &str,
) -> Result<HashMap<String, usize>> {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let path = format!("/v1/orders/{order_id}");
        let order = shop
            .call(instance, Method::GET, &path, Some(token), None, 200)
            .await?;
        if order["status"] == "confirmed" {
            let mut counts = HashMap::new();
            for event in order["timeline"].as_array().context("timeline")? {
                let kind = event["type"].as_str().context("type")?.to_owned();
                *counts.entry(kind).or_default() += 1;
            }
            return Ok(counts);
        }
        if Instant::now() > deadline {
            bail!(
                "order {order_id} stuck at {} on {}",
                order["status"],
                instance.base
            );
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn assert_lifecycle_once(order_id: &str, counts: &HashMap<String, usize>) {
    for kind in [
        "OrderPlaced",
        "PaymentAuthorized",
        "InventoryReserved",
        "OrderConfirmed",
    ] {
        assert_eq!(counts.get(kind), Some(&1), "{order_id}: {counts:?}");
    }
}

#[tokio::test]
async fn a_journey_alternating_between_two_instances_places_one_order() -> Result<()> {
    let shop = ScaledShop::start("scale_out_journey").await?;
    let [a, b] = &shop.instances;
    let token = shop.session(a).await?;
    let variant = variant(&shop, b, false, 1).await?;
    let mut step = 0;
    let ready = ready_checkout(&shop, &token, &variant, &mut step).await?;
    // An impatient shopper sends the same completion to both instances at once.
    let (first, second) = tokio::join!(
        complete(&shop, a, &token, &ready, "scaled-journey"),
        complete(&shop, b, &token, &ready, "scaled-journey"),
    );
    let (first, second) = (first?, second?);
    assert_eq!(first["id"], second["id"], "one order for one key");
    let order_id = first["id"].as_str().context("order id")?;
    assert_lifecycle_once(
        order_id,
        &confirmed_timeline(&shop, b, &token, order_id).await?,
    );
    let orders = shop.ops(a, "/v1/ops/orders?limit=50").await?;
    let placed = orders["items"].as_array().context("items")?;
    assert_eq!(placed.len(), 1, "exactly one order: {orders}");
    Ok(())
}

#[tokio::test]
async fn killing_one_instance_mid_lifecycle_leaves_no_order_stuck_or_duplicated() -> Result<()> {
    let mut shop = ScaledShop::start("scale_out_kill").await?;
    let token = shop.session(&shop.instances[0]).await?;
    let variant = variant(&shop, &shop.instances[0], true, 1).await?;
    let mut step = 0;
    let mut ready = Vec::new();
    for _ in 0..24 {
        ready.push(ready_checkout(&shop, &token, &variant, &mut step).await?);
    }
    // All of them are completed on A at once, and A is killed the moment the last one was
    // accepted: its relay and consumers die with events unpublished or unacknowledged.
    let completions = ready.iter().enumerate().map(|(index, checkout)| {
        let key = format!("scaled-kill-{index}");
        let (shop, token) = (&shop, &token);
        async move { complete(shop, &shop.instances[0], token, checkout, &key).await }
    });
    let mut placed = Vec::new();
    for order in futures_util::future::join_all(completions).await {
        placed.push(order?["id"].as_str().context("order id")?.to_owned());
    }
    shop.instances[0].kill().await?;
    let mut unfinished_at_kill = 0;
    for order_id in &placed {
        let path = format!("/v1/orders/{order_id}");
        let order = shop
            .call(
                &shop.instances[1],
                Method::GET,
                &path,
                Some(&token),
                None,
                200,
            )
            .await?;
        if order["status"] != "confirmed" {
            unfinished_at_kill += 1;
        }
    }
    assert!(
        unfinished_at_kill > 0,
        "the kill should land mid-lifecycle; every order was already confirmed"
    );

    let survivor = &shop.instances[1];
    for order_id in &placed {
        assert_lifecycle_once(
            order_id,
            &confirmed_timeline(&shop, survivor, &token, order_id).await?,
        );
    }
    let payments = shop.ops(survivor, "/v1/ops/payments?limit=100").await?;
    let mut per_order: HashMap<String, usize> = HashMap::new();
    for payment in payments["items"].as_array().context("payments")? {
        if payment["kind"] == "authorization" && payment["status"] == "succeeded" {
            let order = payment["orderId"].as_str().unwrap_or_default().to_owned();
            *per_order.entry(order).or_default() += 1;
        }
    }
    for order_id in &placed {
        assert_eq!(
            per_order.get(order_id),
            Some(&1),
            "money moved once: {payments}"
        );
    }
    Ok(())
}
