//! The product page rendered at the edge: the first HTML carries the product (no JavaScript
//! needed to read it), the bundle hydrates that markup in place, renderers that trap or overrun
//! leave the slot to the browser, each A/B variant draws its own markup for its own visitors, and
//! a failing catalog gets the saved copy instead of an empty slot.

use anyhow::{Context, ensure};
use e2e::pages::product::ProductPage;
use serde_json::{Value, json};

const SLUG: &str = "merino-crew-sweater";

/// A WASI command whose `_start` traps (`unreachable`), as a panicking renderer does.
const TRAPPING_RENDERER: &[u8] = &[
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version
    0x01, 0x04, 0x01, 0x60, 0x00, 0x00, // type: () -> ()
    0x03, 0x02, 0x01, 0x00, // function 0 of type 0
    0x05, 0x03, 0x01, 0x00, 0x01, // one memory of one page
    0x07, 0x13, 0x02, // exports: "memory", "_start"
    0x06, b'm', b'e', b'm', b'o', b'r', b'y', 0x02, 0x00, //
    0x06, b'_', b's', b't', b'a', b'r', b't', 0x00, 0x00, //
    0x0a, 0x05, 0x01, 0x03, 0x00, 0x00, 0x0b, // code: unreachable
];

/// The same command looping forever: only the deadline stops it.
const ENDLESS_RENDERER: &[u8] = &[
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, //
    0x01, 0x04, 0x01, 0x60, 0x00, 0x00, //
    0x03, 0x02, 0x01, 0x00, //
    0x05, 0x03, 0x01, 0x00, 0x01, //
    0x07, 0x13, 0x02, //
    0x06, b'm', b'e', b'm', b'o', b'r', b'y', 0x02, 0x00, //
    0x06, b'_', b's', b't', b'a', b'r', b't', 0x00, 0x00, //
    0x0a, 0x09, 0x01, 0x07, 0x00, 0x03, 0x40, 0x0c, 0x00, 0x0b, 0x0b, // code: loop { br 0 }
];

/// The page's HTML as a crawler gets it, for the visitor `visitor` (the first-party cookie).
async fn first_html(session: &e2e::Session, path: &str, visitor: &str) -> anyhow::Result<String> {
    let response = reqwest::Client::new()
        .get(session.url(path))
        .header("Cookie", format!("ts_visitor={visitor}"))
        .send()
        .await?;
    ensure!(
        response.status().is_success(),
        "{path}: {}",
        response.status()
    );
    Ok(response.text().await?)
}

const VISITOR: &str = "0b7c6a2e-1d9f-4c47-9a53-5f0e8e9b2c11";

#[tokio::test]
async fn the_first_html_carries_title_price_and_the_chosen_variant() {
    e2e::run("edge_first_html", async |session| {
        session.open_shop().await?;
        let product = ProductPage::api_product(session, SLUG).await?;
        let variant = product["variants"]
            .as_array()
            .and_then(|variants| variants.last())
            .context("a variant")?;
        let id = variant["id"].as_str().context("id")?;
        let html = first_html(session, &format!("/products/{SLUG}?variant={id}"), VISITOR).await?;
        let title = product["title"].as_str().context("title")?;
        ensure!(
            html.contains(&format!("<h1 class=\"tpd-product__title\">{title}")),
            "the title is in the markup"
        );
        ensure!(
            html.contains(&format!("data-variant=\"{id}\"")),
            "the chosen variant is the one shown"
        );
        let cents = variant["price"]["amount"].as_i64().context("amount")?;
        let price = format!("${}.{:02}", cents / 100, cents % 100);
        ensure!(html.contains(&price), "the price {price} is in the markup");
        ensure!(html.contains(&format!("<title>{title} · ")), "the document title");
        ensure!(html.contains("<script type=\"application/ld+json\" data-app-head>{\"@context\":\"https://schema.org\",\"@type\":\"Product\""));
        ensure!(html.contains("<link rel=\"canonical\" href=\"http://127.0.0.1:"));
        ensure!(html.contains("<meta property=\"og:image\""));
        ensure!(html.contains("data-ts-style=\"button@"), "component styles come with it");
        ensure!(html.contains("id=\"ts-rendered\""), "and the state to hydrate with");
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn hydration_keeps_the_server_nodes_and_the_page_responds() {
    e2e::run("edge_hydration", async |session| {
        session.open_shop().await?;
        // Before any script of ours runs, remember the title node the server sent.
        session
            .driver
            .cdp()
            .send_raw(
                "Page.addScriptToEvaluateOnNewDocument",
                json!({"source": "document.addEventListener('readystatechange', () => { if (!window.__serverTitle) window.__serverTitle = document.querySelector('.tpd-product__title'); });"}),
            )
            .await?;
        let page = ProductPage::open(session, SLUG, "").await?;
        let kept = session
            .eval("return { captured: !!window.__serverTitle, attached: !!window.__serverTitle?.isConnected, same: window.__serverTitle === document.querySelector('.tpd-product__title'), hydrated: !!document.querySelector('.ts-shell__app[data-hydrated]'), styles: document.querySelectorAll('style[data-ts-style=\"button@0.1.0\"]').length };")
            .await?;
        ensure!(
            kept == json!({"captured": true, "attached": true, "same": true, "hydrated": true, "styles": 1}),
            "the server's nodes stay and no style is injected twice: {kept}"
        );
        let requests = session
            .eval("return performance.getEntriesByType('resource').filter(entry => entry.name.includes('/v1/products/merino-crew-sweater') && !entry.name.includes('/reviews') && !entry.name.includes('/related')).length;")
            .await?;
        ensure!(requests == json!(0), "the product is not fetched again: {requests}");
        // Interactions work on the hydrated page: another colour moves the variant and the URL.
        let product = ProductPage::api_product(session, SLUG).await?;
        let before = page.variant_id().await?.context("a variant")?;
        let other = product["variants"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|variant| variant["id"] != before.as_str() && variant["availability"]["status"] != "out_of_stock")
            .context("another variant")?;
        for selected in other["optionValues"].as_array().into_iter().flatten() {
            page.choose(
                selected["option"].as_str().unwrap_or_default(),
                selected["value"].as_str().unwrap_or_default(),
            )
            .await?;
        }
        let other_id = other["id"].as_str().context("id")?;
        session
            .wait_until("the URL follows the choice", &format!("location.search.includes('{other_id}')"))
            .await?;
        ensure!(page.add_to_cart().await? == "added");
        ensure!(session.console_errors().await?.is_empty(), "{:?}", session.console_errors().await?);
        Ok(())
    })
    .await;
}

/// Publishes the built product page with `renderer` in place of its own, all traffic on it.
async fn publish_with_renderer(
    session: &e2e::Session,
    release: &str,
    renderer: &[u8],
) -> anyhow::Result<()> {
    let folder = e2e::built_release("product-detail")?;
    let mut files: Vec<(String, &str, Vec<u8>)> = Vec::new();
    for entry in std::fs::read_dir(&folder)? {
        let path = entry?.path();
        let name = path
            .file_name()
            .and_then(|name| name.to_str())
            .unwrap_or_default()
            .to_owned();
        let role = if name.ends_with("-renderer.wasm") {
            continue;
        } else if name.ends_with(".js") {
            "js"
        } else if name.ends_with(".wasm") {
            "wasm"
        } else if name.ends_with(".css") {
            "css"
        } else {
            continue;
        };
        files.push((name, role, std::fs::read(&path)?));
    }
    files.push(("renderer.wasm".into(), "renderer", renderer.to_vec()));
    let borrowed: Vec<(&str, &str, &[u8])> = files
        .iter()
        .map(|(name, role, bytes)| (name.as_str(), *role, bytes.as_slice()))
        .collect();
    session
        .publish_files("product-detail", release, &borrowed)
        .await?;
    session
        .roll_out("product-detail", &[(release, 1.0)], None)
        .await
}

#[tokio::test]
async fn a_trapping_or_endless_renderer_leaves_the_slot_to_the_browser() {
    e2e::run("edge_renderer_fails", async |session| {
        for (release, renderer) in [
            ("traps0000000001", TRAPPING_RENDERER),
            ("loops0000000001", ENDLESS_RENDERER),
        ] {
            publish_with_renderer(session, release, renderer).await?;
            let html = first_html(session, &format!("/products/{SLUG}"), VISITOR).await?;
            ensure!(
                !html.contains("data-rendered"),
                "{release}: no markup from a failed render"
            );
            ensure!(
                !html.contains("tpd-product__title"),
                "{release}: the slot is empty"
            );
            ProductPage::open(session, SLUG, "").await?;
            let title = session
                .wait_for(".tpd-product__title")
                .await?
                .text()
                .await?;
            ensure!(
                title == "Merino Crew Sweater",
                "{release}: the browser rendered it: {title}"
            );
        }
        let stats = session
            .ops_request("GET", "/v1/ops/rollouts/product-detail/stats", None)
            .await?;
        let errors: i64 = stats["releases"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|release| release["errors"].as_i64())
            .sum();
        ensure!(
            errors >= 2,
            "each failed render counts as the release's error: {stats}"
        );
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn each_variant_draws_its_own_markup_for_its_own_visitors() {
    e2e::run("edge_ab", async |session| {
        let a = session.publish("product-detail").await?;
        let b = session.publish("product-detail+variant-b").await?;
        session.roll_out("product-detail", &[(&a, 0.5), (&b, 0.5)], None).await?;
        let manifest: Value = reqwest::get(session.url("/v1/manifest")).await?.json().await?;
        let seed = manifest["apps"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|app| app["app"] == "product-detail")
            .and_then(|app| app["seed"].as_str())
            .context("seed")?
            .to_owned();
        let visitor_of = |wanted: usize| {
            (0..1000)
                .map(|n| format!("00000000-0000-4000-8000-{n:012}"))
                .find(|visitor| micro_app::assign(&seed, visitor, &[0.5, 0.5]) == Some(wanted))
        };
        let visitor_b = visitor_of(1).context("a visitor in B")?;
        let html = first_html(session, &format!("/products/{SLUG}"), &visitor_b).await?;
        ensure!(html.contains(&format!("data-release=\"{b}\" data-rendered")), "B's release drew it");
        ensure!(html.contains("data-layout=\"b\""), "in B's layout");
        let visitor_a = visitor_of(0).context("a visitor in A")?;
        let html = first_html(session, &format!("/products/{SLUG}"), &visitor_a).await?;
        ensure!(html.contains("data-layout=\"a\""), "A's visitors get A's markup");
        // In the browser, B's visitor gets B's bundle hydrating B's markup.
        session.open("/").await?;
        session
            .eval(&format!("localStorage.setItem('tessera:visitor-id', '{visitor_b}'); document.cookie = 'ts_visitor={visitor_b}; Path=/'; return null;"))
            .await?;
        ProductPage::open(session, SLUG, "").await?;
        let shown = session
            .eval("const host = document.querySelector('.ts-shell__app'); return { release: host.dataset.release, hydrated: 'hydrated' in host.dataset, layout: document.querySelector('.tpd').dataset.layout };")
            .await?;
        ensure!(shown == json!({"release": b, "hydrated": true, "layout": "b"}), "{shown}");
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn with_the_catalog_down_the_edge_serves_the_saved_copy() {
    e2e::run("edge_degraded", async |session| {
        session.open_shop().await?;
        first_html(session, &format!("/products/{SLUG}"), VISITOR).await?;
        let list: Value = reqwest::get(session.url("/v1/products?limit=5")).await?.json().await?;
        let other = list["items"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|item| item["slug"].as_str())
            .find(|slug| *slug != SLUG)
            .context("another product")?
            .to_owned();
        let off = json!({"latencyMs": 0, "errorRate": 0.0});
        let down = json!({"catalog": {"latencyMs": 0, "errorRate": 1.0}, "carts": off, "checkout": off, "orders": off});
        session.ops_request("PUT", "/v1/ops/faults", Some(down)).await?;
        let html = first_html(session, &format!("/products/{SLUG}"), VISITOR).await?;
        ensure!(html.contains("You&#x27;re seeing a saved copy") || html.contains("You're seeing a saved copy"), "the banner is in the first HTML");
        ensure!(html.contains("<h1 class=\"tpd-product__title\">Merino Crew Sweater"), "with the product");
        let never_seen = first_html(session, &format!("/products/{other}"), VISITOR).await?;
        ensure!(!never_seen.contains("data-rendered"), "a page never rendered before has no copy: the browser handles it");
        Ok(())
    })
    .await;
}
