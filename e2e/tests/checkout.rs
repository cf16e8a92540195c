//! The checkout app in the real shell against the real server: the whole journey, exactly one
//! order however the shopper clicks, reloads or loses the connection, a declined card then a good
//! one, inline address errors that send nothing, and a stock shortfall refunded after payment.

use std::time::Duration;

use anyhow::{Context, ensure};
use e2e::pages::checkout::{CheckoutPage, DECLINED_CARD, GOOD_CARD};
use e2e::pages::product::ProductPage;
use serde_json::{Value, json};
use thirtyfour::prelude::*;

fn unique_email(test: &str) -> String {
    format!("{test}-{}@example.com", std::process::id())
}

#[tokio::test]
async fn the_whole_journey_ends_in_a_confirmed_order() {
    e2e::run("checkout_journey", async |session| {
        CheckoutPage::with_one_item(session).await?;
        let checkout = CheckoutPage::new(session);
        checkout.wait_for_step("Cart").await?;
        let outline = session.outline().await?;
        ensure!(outline.title == "Checkout · Tessera", "{outline:?}");
        ensure!(outline.headings == ["Checkout"], "one h1: {outline:?}");
        ensure!(!outline.busy, "the main slot is not busy once mounted");
        // The line speaks of the product in its own casing, and its price says whose it is.
        let line = session
            .eval(
                "const line = document.querySelector('.tck-line');
                 return { buttons: [...line.querySelectorAll('.ts-quantity-stepper__button')].map((b) => b.getAttribute('aria-label')),
                   price: line.querySelector('.tck-line__price').textContent,
                   options: line.querySelector('.tck-line__options').textContent };",
            )
            .await?;
        ensure!(
            line["buttons"]
                == json!([
                    "Decrease quantity of Organic Cotton Tee",
                    "Increase quantity of Organic Cotton Tee"
                ]),
            "{line}"
        );
        ensure!(
            line["price"].as_str().unwrap_or_default().starts_with("Price of Organic Cotton Tee: "),
            "{line}"
        );
        let options = line["options"].as_str().unwrap_or_default().to_owned();
        ensure!(!options.is_empty(), "the cart shows the chosen options: {line}");

        let email = unique_email("journey");
        checkout.to_review(&email, GOOD_CARD).await?;
        let card = session.wait_for("[data-card]").await?.text().await?;
        ensure!(card == "Visa ending 4242", "review shows the card: {card}");
        let address = session.wait_for("[data-address]").await?.text().await?;
        ensure!(
            address.lines().collect::<Vec<_>>()
                == ["Ada Lovelace", "1 Market St", "San Francisco, CA 94105", "United States"],
            "the address reads as a US letter would: {address:?}"
        );
        checkout.place_button().await?.click().await?;
        let order_id = checkout.wait_for_order_page().await?;
        checkout.wait_for_timeline("confirmed").await?;
        let outline = session.outline().await?;
        let number = session
            .eval("return document.querySelector('.tck-title').textContent.split('Order ')[1];")
            .await?;
        let number = number.as_str().context("order number")?;
        ensure!(outline.title == format!("Order {number} · Tessera"), "{outline:?}");
        ensure!(outline.headings == [format!("Thank you! Order {number}")], "{outline:?}");
        let summary = session
            .wait_for(".tck-summary__name small")
            .await?
            .text()
            .await?;
        ensure!(summary == options, "the order shows the options the cart showed: {summary:?} vs {options:?}");
        for kind in ["placed", "payment-authorized", "inventory-reserved"] {
            session
                .wait_for(&format!(".tck-timeline [data-event={kind}]"))
                .await?;
        }
        session
            .wait_until(
                "the header resets",
                "document.getElementById('ts-cart-count').textContent === '0'",
            )
            .await?;
        let orders = checkout.orders_of(&email).await?;
        ensure!(
            orders.len() == 1 && orders[0]["id"] == json!(order_id),
            "{orders:?}"
        );
        ensure!(
            session.console_errors().await?.is_empty(),
            "{:?}",
            session.console_errors().await?
        );
        let violations = session.accessibility_violations().await?;
        ensure!(
            violations.is_empty(),
            "axe on the order page: {violations:#?}"
        );
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn a_double_click_and_a_reload_right_after_clicking_each_make_one_order() {
    e2e::run("checkout_exactly_once", async |session| {
        // Double click.
        CheckoutPage::with_one_item(session).await?;
        let checkout = CheckoutPage::new(session);
        let email = unique_email("double");
        checkout.to_review(&email, GOOD_CARD).await?;
        session
            .eval("const b = document.querySelector('.tck-step .tck-actions button'); b.click(); b.click(); return null;")
            .await?;
        checkout.wait_for_order_page().await?;
        ensure!(checkout.orders_of(&email).await?.len() == 1, "one order after a double click");

        // Reload straight after clicking: the page resumes with the same key.
        CheckoutPage::with_one_item(session).await?;
        let email = unique_email("reload");
        checkout.to_review(&email, GOOD_CARD).await?;
        session
            .eval("document.querySelector('.tck-step .tck-actions button').click(); location.reload(); return null;")
            .await?;
        tokio::time::sleep(Duration::from_millis(300)).await;
        session
            .wait_until(
                "the page resumes",
                "location.pathname.startsWith('/orders/') || document.querySelector('.tck-step')?.dataset.step === 'Review'",
            )
            .await?;
        if session.eval("return location.pathname;").await? == json!("/checkout") {
            // The first request never arrived: placing again is the same order.
            checkout.place_button().await?.click().await?;
        }
        checkout.wait_for_order_page().await?;
        ensure!(checkout.orders_of(&email).await?.len() == 1, "one order after a reload");
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn an_order_placed_offline_is_queued_and_sent_once_back_online() {
    e2e::run("checkout_offline", async |session| {
        CheckoutPage::with_one_item(session).await?;
        let checkout = CheckoutPage::new(session);
        let email = unique_email("offline");
        checkout.to_review(&email, GOOD_CARD).await?;
        checkout.set_offline(true).await?;
        checkout.place_button().await?.click().await?;
        session.wait_for("[data-state=queued]").await?;
        let queued = session
            .eval("return localStorage.getItem('tessera:checkout:queued');")
            .await?;
        ensure!(queued.is_string(), "the order is kept on the device");
        ensure!(
            checkout.orders_of(&email).await?.is_empty(),
            "nothing reached the server"
        );
        checkout.set_offline(false).await?;
        // Whether the open page sends it or the reloaded one does, it is the same order.
        session.driver.refresh().await?;
        checkout.wait_for_order_page().await?;
        checkout.wait_for_timeline("confirmed").await?;
        ensure!(
            checkout.orders_of(&email).await?.len() == 1,
            "exactly one order"
        );
        let queue = session
            .eval("return localStorage.getItem('tessera:checkout:queued');")
            .await?;
        ensure!(queue.is_null(), "the queue is empty: {queue}");
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn a_declined_card_then_a_good_one_takes_one_payment() {
    e2e::run("checkout_decline", async |session| {
        CheckoutPage::with_one_item(session).await?;
        let checkout = CheckoutPage::new(session);
        let email = unique_email("decline");
        checkout.to_review(&email, DECLINED_CARD).await?;
        checkout.place_button().await?.click().await?;
        checkout.wait_for_step("Payment").await?;
        let notice = session
            .wait_for("[data-notice=danger]")
            .await?
            .text()
            .await?;
        ensure!(notice.contains("declined"), "the shopper is told: {notice}");
        checkout.pay_with(GOOD_CARD).await?;
        checkout.place_button().await?.click().await?;
        let order_id = checkout.wait_for_order_page().await?;
        checkout.wait_for_timeline("confirmed").await?;
        // One purchase is one order: the declined card was its first payment attempt.
        let orders = checkout.orders_of(&email).await?;
        ensure!(
            orders.len() == 1
                && orders[0]["id"] == json!(order_id)
                && orders[0]["status"] == "confirmed",
            "one confirmed order: {orders:?}"
        );
        for kind in ["payment-declined", "payment-retried", "payment-authorized"] {
            session
                .wait_for(&format!(".tck-timeline [data-event={kind}]"))
                .await?;
        }
        let payments = checkout.payments_of(&order_id).await?;
        let taken: Vec<i64> = payments
            .iter()
            .map(|payment| payment["capturedAmount"]["amount"].as_i64().unwrap_or(-1))
            .collect();
        ensure!(
            taken.len() == 2 && taken.iter().filter(|amount| **amount > 0).count() == 1,
            "two attempts, money taken once: {payments:?}"
        );
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn an_invalid_address_shows_inline_errors_and_sends_nothing() {
    e2e::run("checkout_address_errors", async |session| {
        CheckoutPage::with_one_item(session).await?;
        let checkout = CheckoutPage::new(session);
        checkout.wait_for_step("Cart").await?;
        checkout.go_on().await?;
        checkout.wait_for_step("Contact").await?;
        checkout.fill("email", &unique_email("address")).await?;
        checkout.go_on().await?;
        checkout.wait_for_step("Shipping address").await?;
        checkout.fill("shippingAddress.name", "Ada Lovelace").await?;
        checkout.fill("shippingAddress.postalCode", "ABC").await?;
        checkout.go_on().await?;
        let errors = session
            .driver
            .query(By::Css(".tck-step .ts-field__error"))
            .wait(Duration::from_secs(5), Duration::from_millis(50))
            .all_from_selector_required()
            .await?;
        let mut messages = Vec::new();
        for error in errors {
            messages.push(error.text().await?);
        }
        for expected in ["street address", "city", "state", "ZIP"] {
            ensure!(messages.iter().any(|message| message.contains(expected)), "{expected} in {messages:?}");
        }
        let sent = session
            .eval("return performance.getEntriesByType('resource').filter((e) => e.name.includes('/addresses')).length;")
            .await?;
        ensure!(sent == json!(0), "no request was sent");
        // Country-specific layout: Germany puts the postal code before the city.
        checkout
            .choose_by_label("shippingAddress.country", "Germany")
            .await?;
        let order = session
            .eval("return [...document.querySelectorAll('.tck-step [name^=\"shippingAddress.\"]')].map((e) => e.name);")
            .await?;
        let names: Vec<&str> = order.as_array().context("names")?.iter().filter_map(Value::as_str).collect();
        let postal = names.iter().position(|name| *name == "shippingAddress.postalCode");
        let city = names.iter().position(|name| *name == "shippingAddress.city");
        ensure!(postal < city && !names.contains(&"shippingAddress.region"), "{names:?}");
        let autocomplete = session
            .eval("return document.querySelector('[name=\"shippingAddress.postalCode\"]').autocomplete;")
            .await?;
        ensure!(autocomplete == json!("shipping postal-code"), "{autocomplete}");
        Ok(())
    })
    .await;
}

/// Buys `quantity` of `variant` through the API as another shopper, and waits until it holds
/// the stock.
async fn competing_order(
    session: &e2e::Session,
    variant: &str,
    quantity: i64,
) -> anyhow::Result<()> {
    let http = reqwest::Client::new();
    let token = session.shopper_token().await?;
    let call = async |method: reqwest::Method, path: &str, body: Value| -> anyhow::Result<Value> {
        let response = http
            .request(method, session.url(path))
            .bearer_auth(&token)
            .header(
                "Idempotency-Key",
                format!("competing-{path}").replace('/', "-"),
            )
            .json(&body)
            .send()
            .await?;
        let status = response.status();
        let body: Value = response.json().await.unwrap_or_default();
        ensure!(status.is_success(), "{path}: {status} {body}");
        Ok(body)
    };
    let cart = call(
        reqwest::Method::POST,
        "/v1/carts",
        json!({"lines": [{"variantId": variant, "quantity": quantity}]}),
    )
    .await?;
    let checkout = call(
        reqwest::Method::POST,
        "/v1/checkouts",
        json!({"cartId": cart["id"], "cartVersion": cart["version"]}),
    )
    .await?;
    let id = checkout["id"].as_str().context("checkout id")?;
    call(
        reqwest::Method::PUT,
        &format!("/v1/checkouts/{id}/contact"),
        json!({"email": "other@example.com"}),
    )
    .await?;
    call(
        reqwest::Method::PUT,
        &format!("/v1/checkouts/{id}/addresses"),
        json!({"shippingAddress": {"name": "Other", "line1": "2 Main St", "city": "Berlin", "postalCode": "10115", "country": "DE"}}),
    )
    .await?;
    let options: Value = http
        .get(session.url(&format!("/v1/checkouts/{id}/shipping-options")))
        .bearer_auth(&token)
        .send()
        .await?
        .json()
        .await?;
    let option = options["items"][0]["id"].clone();
    call(
        reqwest::Method::PUT,
        &format!("/v1/checkouts/{id}/shipping-option"),
        json!({"shippingOptionId": option}),
    )
    .await?;
    let card = call(
        reqwest::Method::POST,
        "/v1/payments/tokens",
        json!({"number": "4242424242424242", "expMonth": 12, "expYear": 2030, "cvc": "123", "holderName": "Other"}),
    )
    .await?;
    let order = call(
        reqwest::Method::POST,
        &format!("/v1/checkouts/{id}/complete"),
        json!({"paymentToken": card["token"]}),
    )
    .await?;
    let order_id = order["id"].as_str().context("order id")?;
    for _ in 0..100 {
        let order: Value = http
            .get(session.url(&format!("/v1/orders/{order_id}")))
            .bearer_auth(&token)
            .send()
            .await?
            .json()
            .await?;
        if order["status"] == "confirmed" {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    anyhow::bail!("the competing order never confirmed")
}

#[tokio::test]
async fn a_shortfall_after_payment_shows_the_refund_in_the_timeline() {
    e2e::run("checkout_shortfall", async |session| {
        session.open_shop().await?;
        // A low-stock variant: our shopper takes all of it into the cart…
        let list: Value = reqwest::get(session.url("/v1/products?limit=30"))
            .await?
            .json()
            .await?;
        let mut found = None;
        for item in list["items"].as_array().context("items")? {
            let slug = item["slug"].as_str().context("slug")?;
            let product = ProductPage::api_product(session, slug).await?;
            if let Some(variant) = product["variants"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|variant| variant["availability"]["status"] == "low_stock")
            {
                found = Some((slug.to_owned(), variant.clone()));
                break;
            }
        }
        let (slug, variant) = found.context("a low-stock variant")?;
        let id = variant["id"].as_str().context("id")?.to_owned();
        let remaining = variant["availability"]["remaining"]
            .as_i64()
            .context("remaining")?;
        let page = ProductPage::open(session, &slug, &format!("?variant={id}")).await?;
        for _ in 1..remaining {
            session
                .wait_for(".ts-quantity-stepper__button:last-of-type")
                .await?
                .click()
                .await?;
        }
        ensure!(page.add_to_cart().await? == "added");
        session.wait_for(".ts-shell__cart").await?.click().await?;
        let checkout = CheckoutPage::new(session);
        let email = unique_email("shortfall");
        checkout.to_review(&email, GOOD_CARD).await?;
        // …and someone else buys the same units first.
        competing_order(session, &id, remaining).await?;
        checkout.place_button().await?.click().await?;
        checkout.wait_for_order_page().await?;
        checkout.wait_for_timeline("inventory-shortfall").await?;
        checkout.wait_for_timeline("refunded").await?;
        let status = session
            .wait_for("[data-status]")
            .await?
            .attr("data-status")
            .await?;
        ensure!(
            matches!(status.as_deref(), Some("refunded" | "cancelled")),
            "{status:?}"
        );
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn promotion_codes_say_why_they_do_not_apply() {
    e2e::run("checkout_promotions", async |session| {
        CheckoutPage::with_one_item(session).await?;
        let checkout = CheckoutPage::new(session);
        checkout.wait_for_step("Cart").await?;
        let apply = async |code: &str| -> anyhow::Result<()> {
            checkout.fill("code", code).await?;
            session
                .wait_for(".tck-promo button[type=submit]")
                .await?
                .click()
                .await?;
            Ok(())
        };
        for (code, says) in [
            ("NOPE", "not a valid code"),
            ("SUMMER15", "has expired"),
            ("SAVE20", "needs a subtotal of at least"),
        ] {
            apply(code).await?;
            session
                .wait_until(
                    &format!("{code} is explained"),
                    &format!("document.querySelector('.tck-promo .ts-field__error')?.textContent.includes('{says}')"),
                )
                .await?;
        }
        apply("WELCOME10").await?;
        session.wait_for("[data-total=discount]").await?;
        let notice = session.wait_for("[data-notice=success]").await?.text().await?;
        ensure!(notice.contains("WELCOME10 applied"), "{notice}");
        ensure!(
            session
                .eval("return document.querySelector('.tck-promo .ts-field__error');")
                .await?
                .is_null(),
            "the earlier error is gone"
        );
        Ok(())
    })
    .await;
}
