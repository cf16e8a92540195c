//! The kiosk channel in Chromium: a device set up at /kiosk keeps, after one online visit, what
//! it needs to boot and browse with the shop unreachable. The server is killed and the browser
//! rebooted on the same profile: the home page and a product page never opened before still
//! show, the header says the kiosk is offline, and the idle reset clears what a shopper left.
//! When the shop answers again the kiosk re-reads its policy: after a rollout changed meanwhile
//! it holds the new release and drops the one no longer served, and an operator's closing of
//! every kiosk (the kill switch) covers the shop with their message. Offline, a kiosk sells: the
//! orders (one a basket of two products) wait on the device, sealed, through a reboot, and each
//! reaches the shop once.

use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use e2e::pages::console::Console;
use serde_json::{Value, json};
use thirtyfour::prelude::*;

const SLUG: &str = "merino-crew-sweater";

/// Evaluates `script` (a `return …` body) until it returns something truthy.
async fn wait_until(driver: &WebDriver, what: &str, script: &str) -> anyhow::Result<Value> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let value = driver
            .execute(script, vec![])
            .await
            .map(|result| result.json().clone())
            .unwrap_or(Value::Null);
        if !matches!(&value, Value::Null | Value::Bool(false)) {
            return Ok(value);
        }
        if Instant::now() > deadline {
            bail!("timed out waiting until {what} (`{script}`)");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Cuts or restores the kiosk's own network (the page's requests), as a cable pulled out.
async fn set_network(driver: &WebDriver, connected: bool) -> anyhow::Result<()> {
    driver.cdp().send_raw("Network.enable", json!({})).await?;
    driver
        .cdp()
        .send_raw(
            "Network.emulateNetworkConditions",
            json!({"offline": !connected, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}),
        )
        .await?;
    Ok(())
}

/// The revision list of the kiosk's last sync.
async fn synced_revision(driver: &WebDriver) -> anyhow::Result<String> {
    let synced = wait_until(
        driver,
        "the kiosk has synced",
        "return localStorage.getItem('tessera:kiosk:synced');",
    )
    .await?;
    let synced: Value = serde_json::from_str(synced.as_str().context("a string")?)?;
    Ok(synced["revision"].as_str().unwrap_or_default().to_owned())
}

#[tokio::test]
async fn a_kiosk_boots_and_browses_offline_after_one_online_visit() {
    e2e::run("kiosk", async |session| {
        session.open_shop().await?;
        let served_before = session.publish("product-detail").await?;
        let catalog = session.publish("catalog").await?;
        session.roll_out("catalog", &[(&catalog, 1.0)], None).await?;

        // Set up once, online: the kiosk lands on the shop's home and saves its offline copy.
        session.open("/kiosk?idle=6").await?;
        session
            .wait_until(
                "the kiosk is set up and synced",
                "location.pathname === '/' && navigator.serviceWorker.controller && document.documentElement.dataset.kioskSynced",
            )
            .await?;
        let online_revision = synced_revision(&session.driver).await?;
        anyhow::ensure!(online_revision.contains("catalog@"), "{online_revision}");

        // The network goes down and the kiosk reboots.
        session.stop_server().await;
        let driver = session.reboot_browser(&session.driver).await?;
        let outcome = async {
            driver.goto(session.url("/")).await?;
            wait_until(
                &driver,
                "the saved home page shows products",
                "return document.querySelectorAll('[data-app=catalog] .tca-card').length > 0;",
            )
            .await?;
            wait_until(
                &driver,
                "the header says the kiosk is offline",
                "return document.documentElement.dataset.kioskOnline === 'false' && document.querySelector('.ts-kiosk__status')?.textContent.startsWith('Offline:');",
            )
            .await?;
            // A product page the kiosk never showed, from the catalog copy.
            driver.goto(session.url(&format!("/products/{SLUG}"))).await?;
            let title = wait_until(
                &driver,
                "the product page shows the product",
                "return document.querySelector('[data-app=product-detail] h1')?.textContent;",
            )
            .await?;
            anyhow::ensure!(
                title.as_str().is_some_and(|title| title.contains("Merino")),
                "{title}"
            );

            // A shopper walks away: what they left is cleared and the kiosk goes home.
            driver
                .execute(
                    "localStorage.setItem('tessera:cart-id', 'left-behind'); sessionStorage.setItem('step', 'review'); return null;",
                    vec![],
                )
                .await?;
            wait_until(
                &driver,
                "the idle reset clears the shopper's session",
                "return location.pathname === '/' && localStorage.getItem('tessera:cart-id') === null && sessionStorage.getItem('step') === null && localStorage.getItem('tessera:kiosk:synced') !== null;",
            )
            .await?;

            // While it was offline, the product page's rollout moved to its variant and an
            // operator closed every kiosk. The shop comes back, but the kiosk notices only once
            // its own network is back too (so both changes are in place before it looks): it
            // re-reads its policy, holds the variant, drops the release no longer served, and
            // shows the operator's message over the shop.
            set_network(&driver, false).await?;
            session.start_server_again().await?;
            let variant = session.publish("product-detail+variant-b").await?;
            session
                .roll_out("product-detail", &[(&variant, 1.0)], None)
                .await?;
            session
                .ops_request(
                    "PUT",
                    "/v1/ops/kiosk/policy",
                    Some(json!({"open": false, "message": "Closed for stocktaking"})),
                )
                .await?;
            set_network(&driver, true).await?;
            wait_until(
                &driver,
                "the kiosk is back online and synced the new rollout",
                &format!(
                    "return document.documentElement.dataset.kioskOnline === 'true' && JSON.parse(localStorage.getItem('tessera:kiosk:synced') || '{{}}').revision !== {};",
                    serde_json::to_string(&online_revision)?
                ),
            )
            .await?;
            wait_until(
                &driver,
                "the closed kiosk shows the operator's message",
                "return document.querySelector('.ts-kiosk__closed[role=alert]')?.textContent.includes('Closed for stocktaking');",
            )
            .await?;
            let held = driver
                .execute_async(
                    "const done = arguments[arguments.length - 1]; caches.open('tessera-kiosk-releases-v1').then((c) => c.keys()).then((keys) => done(keys.map((k) => new URL(k.url).pathname)));",
                    vec![],
                )
                .await?;
            let held: Vec<String> = serde_json::from_value(held.json().clone())?;
            anyhow::ensure!(
                held.iter().any(|path| path.contains(&format!("/product-detail/{variant}/"))),
                "the variant is kept: {held:?}"
            );
            anyhow::ensure!(
                !held.iter().any(|path| path.contains(&format!("/product-detail/{served_before}/"))),
                "the release no longer served is dropped: {held:?}"
            );
            anyhow::Ok(())
        }
        .await;
        let _ = driver.quit().await;
        outcome
    })
    .await;
}

const BUY_BUTTON: &str = "[data-app=product-detail] .tpd-buy__add button";
/// A second product, for a basket of two.
const OTHER_SLUG: &str = "merino-beanie";

/// On a product page: buy one here. The kiosk puts it in the basket and opens its dialog.
async fn buy_here(driver: &WebDriver, base: &str, slug: &str) -> anyhow::Result<WebElement> {
    driver.goto(format!("{base}/products/{slug}")).await?;
    wait_until(
        driver,
        "the product page offers to buy here",
        &format!(
            "const b = document.querySelector('{BUY_BUTTON}'); return b && !b.disabled && b.textContent.includes('Buy here');"
        ),
    )
    .await?;
    driver.find(By::Css(BUY_BUTTON)).await?.click().await?;
    Ok(driver.find(By::Css("dialog.ts-kiosk__pay[open]")).await?)
}

/// Pays for the basket in the kiosk's dialog as a shopper types.
async fn pay(dialog: &WebElement) -> anyhow::Result<()> {
    // Where to collect it, as the policy said while the kiosk was online.
    let pickup = dialog
        .find(By::Css(".ts-kiosk__pickup"))
        .await?
        .text()
        .await?;
    anyhow::ensure!(
        pickup.contains("Tessera Market Street, pickup counter, 1 Market Street"),
        "{pickup}"
    );
    let next_year = (time::OffsetDateTime::now_utc().year() + 1).to_string();
    for (name, text) in [
        ("email", "kiosk-shopper@example.com"),
        ("holderName", "Grace Hopper"),
        ("number", "4242 4242 4242 4242"),
        ("expMonth", "12"),
        ("expYear", next_year.as_str()),
        ("cvc", "123"),
    ] {
        dialog
            .find(By::Css(format!("input[name={name}]")))
            .await?
            .send_keys(text)
            .await?;
    }
    dialog
        .find(By::Css("button[type=submit]"))
        .await?
        .click()
        .await?;
    Ok(())
}

/// A basket of two products: the shopper keeps shopping after the first, the header shows the
/// basket, and the dialog lists both lines and their total.
async fn buy_two_here(driver: &WebDriver, base: &str) -> anyhow::Result<()> {
    let dialog = buy_here(driver, base, SLUG).await?;
    let button = |text: &'static str| By::XPath(format!(".//button[normalize-space()='{text}']"));
    dialog.find(button("Keep shopping")).await?.click().await?;
    wait_until(
        driver,
        "the header shows a basket of one, the dialog gone",
        "return document.querySelector('.ts-kiosk__basket')?.dataset.lines === '1' && !document.querySelector('dialog.ts-kiosk__pay');",
    )
    .await?;
    let dialog = buy_here(driver, base, OTHER_SLUG).await?;
    let lines = dialog.find_all(By::Css(".ts-kiosk__lines li")).await?;
    let total = dialog
        .find(By::Css(".ts-kiosk__total"))
        .await?
        .text()
        .await?;
    anyhow::ensure!(
        lines.len() == 2 && total.starts_with("Total: "),
        "the basket holds both products: {} lines, {total}",
        lines.len()
    );
    pay(&dialog).await
}

/// Waits until the header shows `waiting` orders queued and none refused.
async fn queue_shows(driver: &WebDriver, waiting: usize, what: &str) -> anyhow::Result<()> {
    let shown = wait_until(
        driver,
        what,
        &format!(
            "const q = document.querySelector('.ts-kiosk__queue'); return q?.dataset.waiting === '{waiting}' && q.dataset.refused === '0' && !document.querySelector('dialog.ts-kiosk__pay');"
        ),
    )
    .await;
    if shown.is_err() {
        let header = driver
            .execute("return [document.documentElement.dataset.kioskOnline, document.querySelector('.ts-kiosk__queue')?.innerText, document.querySelector('dialog.ts-kiosk__pay [role=alert]')?.innerText];", vec![])
            .await
            .map(|value| value.json().to_string())
            .unwrap_or_default();
        return shown
            .map(drop)
            .with_context(|| format!("online, queue, dialog: {header}"));
    }
    Ok(())
}

#[tokio::test]
async fn a_kiosk_sells_offline_and_each_order_reaches_the_shop_once() {
    e2e::run("kiosk_sales", async |session| {
        session.open_shop().await?;
        session.open("/kiosk").await?;
        session
            .wait_until(
                "the kiosk is set up, synced and holds the shop's payment key",
                "location.pathname === '/' && navigator.serviceWorker.controller && document.documentElement.dataset.kioskSynced && localStorage.getItem('tessera:kiosk:payment-key')",
            )
            .await?;
        session.stop_server().await;
        let driver = session.reboot_browser(&session.driver).await?;
        let base = session.url("");
        let sold = async {
            buy_two_here(&driver, &base).await?;
            queue_shows(&driver, 1, "the basket's order waits on the kiosk").await?;
            pay(&buy_here(&driver, &base, SLUG).await?).await?;
            queue_shows(&driver, 2, "the second order waits on the kiosk").await?;
            let notice = driver.find(By::Css(".ts-kiosk__queue")).await?.text().await?;
            anyhow::ensure!(notice.contains("2 orders waiting"), "{notice}");
            let stored = driver
                .execute_async(
                    "const done = arguments[arguments.length - 1]; const open = indexedDB.open('tessera-kiosk'); open.onsuccess = () => { const all = open.result.transaction('orders').objectStore('orders').getAll(); all.onsuccess = () => done(JSON.stringify(all.result)); };",
                    vec![],
                )
                .await?;
            let stored = stored.json().as_str().unwrap_or_default().to_owned();
            anyhow::ensure!(
                stored.contains("sealedPayment")
                    && !stored.contains("4242")
                    && !stored.contains("kiosk-shopper"),
                "the device keeps the card and email sealed only: {stored}"
            );
            anyhow::Ok(())
        }
        .await;
        if let Err(error) = sold {
            let _ = driver.quit().await;
            return Err(error);
        }

        // The kiosk reboots, still offline: both orders still wait. Then the shop comes back.
        let driver = session.reboot_browser(&driver).await?;
        let delivered = async {
            driver.goto(session.url("/")).await?;
            queue_shows(&driver, 2, "both orders still wait after the reboot").await?;
            session.start_server_again().await?;
            queue_shows(&driver, 0, "the queue is delivered").await?;
            let notice = driver.find(By::Css(".ts-kiosk__queue")).await?.text().await?;
            anyhow::ensure!(notice.contains("has reached the shop"), "{notice}");
            // Another reload delivers nothing twice.
            driver.refresh().await?;
            queue_shows(&driver, 0, "nothing waits after a reload").await?;
            let orders = session.ops_request("GET", "/v1/ops/orders", None).await?;
            let items = orders["items"].as_array().context("orders")?;
            let mut item_counts: Vec<i64> = items
                .iter()
                .filter_map(|order| order["itemCount"].as_i64())
                .collect();
            item_counts.sort();
            anyhow::ensure!(
                item_counts == [1, 2],
                "exactly two orders, the basket's with both products: {orders}"
            );
            anyhow::Ok(())
        }
        .await;
        let _ = driver.quit().await;
        delivered
    })
    .await;
}

/// The policy as kiosks read it.
async fn kiosk_policy(session: &e2e::Session) -> anyhow::Result<Value> {
    Ok(reqwest::get(session.url("/v1/kiosk/policy"))
        .await?
        .json()
        .await?)
}

#[tokio::test]
async fn operators_close_and_reopen_every_kiosk_from_the_console() {
    e2e::run("kiosk_console", async |session| {
        let console = Console::open(session, &session.ops_token, "/ops/kiosks").await?;
        console
            .eventually(
                "the kiosks show as open, collected at the demo store",
                "document.querySelector('.tco-kiosks[data-open=true] .tco-kiosks__pickup')?.innerText.includes('Tessera Market Street')",
            )
            .await?;
        console.press("Close every kiosk").await?;
        console.fill("reason", "Closed for stocktaking").await?;
        console.press("Confirm").await?;
        console
            .eventually(
                "the kiosks show as closed with the message",
                "document.querySelector('.tco-kiosks[data-open=false]')?.innerText.includes('Closed for stocktaking')",
            )
            .await?;
        let policy = kiosk_policy(session).await?;
        anyhow::ensure!(
            policy["open"] == false && policy["message"] == "Closed for stocktaking",
            "kiosks read what the operator set: {policy}"
        );
        console.press("Reopen kiosks").await?;
        console.fill("reason", "Stocktaking done").await?;
        console.press("Confirm").await?;
        console
            .eventually(
                "the kiosks show as open again",
                "document.querySelector('.tco-kiosks[data-open=true]')",
            )
            .await?;
        // The counter moves; a country that is no ISO code is refused next to its field.
        console.fill("name", "Pier store counter").await?;
        console.fill("line1", "2 Pier Street").await?;
        console.fill("city", "Oakland").await?;
        console.fill("postalCode", "94607").await?;
        console.fill("country", "U1").await?;
        console.press("Save pickup counter").await?;
        console
            .eventually(
                "the country is refused inline",
                "document.querySelector('.tco-pickup [name=country]')?.getAttribute('aria-invalid') === 'true'",
            )
            .await?;
        console.fill("country", "US").await?;
        console.press("Save pickup counter").await?;
        console
            .eventually(
                "the console shows the new counter",
                "document.querySelector('.tco-kiosks__pickup')?.innerText.includes('Pier store counter, 2 Pier Street, Oakland')",
            )
            .await?;
        let policy = kiosk_policy(session).await?;
        anyhow::ensure!(
            policy["open"] == true && policy["pickupAddress"]["city"] == "Oakland",
            "kiosks read the new counter and stay open: {policy}"
        );
        console.follow("/ops/audit").await?;
        console
            .eventually(
                "the audit trail has the three changes",
                "['close-kiosks', 'open-kiosks', 'Closed for stocktaking', 'Stocktaking done', 'pickup counter moved'].every((text) => document.querySelector('[data-app=connector] table')?.innerText.includes(text))",
            )
            .await?;
        Ok(())
    })
    .await;
}
