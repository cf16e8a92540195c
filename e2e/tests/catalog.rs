//! The catalog in Chromium, as shoppers use it: a misspelt search still finds the product, a facet
//! narrows the count and the URL and back restores the results before it, a category page is
//! server-rendered with its `ItemList` JSON-LD, nothing found and a catalog that is down are clear
//! states, and the pages pass axe.

use anyhow::{Context, ensure};
use e2e::pages::catalog::Catalog;
use serde_json::{Value, json};

#[tokio::test]
async fn a_search_with_a_typo_finds_the_product() {
    e2e::run("catalog_typo_search", async |session| {
        let catalog = Catalog::open(session, "/").await?;
        catalog.hydrated().await?;
        catalog.type_search("meirno").await?;
        catalog.wait_for_url("/search?q=meirno").await?;
        let cards = catalog.cards().await?;
        ensure!(
            cards.iter().any(|slug| slug == "merino-crew-sweater"),
            "meirno finds the merino sweater: {cards:?}"
        );
        ensure!(
            cards[0].starts_with("merino"),
            "merino products rank first: {cards:?}"
        );
        // A card is a link to the product page, which the shell mounts.
        session
            .wait_for("[data-product='merino-crew-sweater'] a")
            .await?
            .click()
            .await?;
        session.wait_for("[data-app=product-detail]").await?;
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn a_facet_narrows_the_count_and_the_url_and_back_restores_the_results() {
    e2e::run("catalog_facets", async |session| {
        let catalog = Catalog::open(session, "/c/apparel").await?;
        let everything = catalog.count().await?;
        let before = catalog.cards().await?;
        let northwind = catalog.facet_count("brand", "Northwind").await?;
        ensure!(
            0 < northwind && northwind < everything,
            "{northwind} of {everything}"
        );
        session
            .eval("window.catalogRoot = document.querySelector('.tca'); return null;")
            .await?;
        catalog.toggle("brand", "Northwind").await?;
        catalog.wait_for_url("/c/apparel?brand=Northwind").await?;
        ensure!(
            catalog.count().await? == northwind,
            "the count is the facet's"
        );
        let brands = catalog.brands().await?;
        ensure!(
            !brands.is_empty() && brands.iter().all(|brand| brand == "Northwind"),
            "{brands:?}"
        );
        // The app stayed mounted: the shell handed it the new URL.
        let same_root = session
            .eval("return window.catalogRoot === document.querySelector('.tca');")
            .await?;
        ensure!(
            same_root == json!(true),
            "the catalog was not mounted afresh"
        );
        session.driver.back().await?;
        catalog.wait_for_url("/c/apparel").await?;
        ensure!(
            catalog.count().await? == everything,
            "back restores the count"
        );
        ensure!(
            catalog.cards().await? == before,
            "back restores the products"
        );
        session.driver.forward().await?;
        catalog.wait_for_url("/c/apparel?brand=Northwind").await?;
        ensure!(catalog.count().await? == northwind);
        // A reload of the filtered URL shows the same page (it can be shared).
        session.driver.refresh().await?;
        catalog.settled().await?;
        ensure!(catalog.count().await? == northwind);
        let violations = session.accessibility_violations().await?;
        ensure!(violations.is_empty(), "axe: {violations:#?}");
        Ok(())
    })
    .await;
}

/// The page's HTML as a crawler gets it.
async fn first_html(session: &e2e::Session, path: &str) -> anyhow::Result<String> {
    let response = reqwest::get(session.url(path)).await?;
    ensure!(
        response.status().is_success(),
        "{path}: {}",
        response.status()
    );
    Ok(response.text().await?)
}

/// The JSON-LD documents in `html`.
fn json_ld(html: &str) -> Vec<Value> {
    html.split("<script type=\"application/ld+json\"")
        .skip(1)
        .filter_map(|rest| {
            let body = &rest[rest.find('>')? + 1..];
            let body = &body[..body.find("</script>")?];
            serde_json::from_str(&body.replace("<\\/", "</")).ok()
        })
        .collect()
}

#[tokio::test]
async fn a_category_page_is_server_rendered_with_item_list_json_ld() {
    e2e::run("catalog_category_seo", async |session| {
        let catalog = Catalog::open(session, "/c/footwear").await?;
        let html = first_html(session, "/c/footwear").await?;
        ensure!(html.contains("data-rendered"), "the edge drew the slot");
        ensure!(html.contains("<title>Footwear · Tessera</title>"), "title in the first HTML");
        ensure!(html.contains("rel=\"canonical\""), "canonical link");
        ensure!(html.contains("Trail Runner 2"), "products in the first HTML");
        let documents = json_ld(&html);
        let list = documents
            .iter()
            .find(|document| document["@type"] == "ItemList")
            .context("an ItemList in the first HTML")?;
        let elements = list["itemListElement"].as_array().context("elements")?;
        ensure!(!elements.is_empty(), "{list}");
        ensure!(elements[0]["position"] == 1 && elements[0]["url"].as_str().unwrap_or_default().contains("/products/"));
        // Hydrated in place: one ItemList in the head, and the cards are the page's products.
        catalog.settled().await?;
        // The drawn page waits for the shopper's first intent before it hydrates.
        let drawn = session
            .eval("return !!document.querySelector('.ts-shell__app[data-rendered]');")
            .await?;
        ensure!(drawn == json!(true), "not hydrated before any intent");
        catalog.hydrated().await?;
        let lists = session
            .eval("return [...document.querySelectorAll('script[type=\"application/ld+json\"]')].filter((s) => JSON.parse(s.textContent)['@type'] === 'ItemList').length;")
            .await?;
        ensure!(lists == json!(1), "one ItemList after hydration: {lists}");
        ensure!(catalog.cards().await?.len() == elements.len());
        // The pictures the edge drew show before any script runs and stay shown once hydrated,
        // although they finished loading before hydration could hear their `load` event.
        ensure!(html.contains("ts-image--loaded"), "pictures visible in the first HTML");
        session
            .wait_until(
                "every card's picture shows",
                "[...document.querySelectorAll('.tca-card .ts-image')].every((frame) => frame.classList.contains('ts-image--loaded'))",
            )
            .await?;
        Ok(())
    })
    .await;
}

fn faults(catalog_error_rate: f64) -> Value {
    let off = json!({"latencyMs": 0, "errorRate": 0.0});
    json!({
        "catalog": {"latencyMs": 0, "errorRate": catalog_error_rate},
        "carts": off,
        "checkout": off,
        "orders": off,
    })
}

#[tokio::test]
async fn nothing_found_and_a_catalog_that_is_down_are_clear_states() {
    e2e::run("catalog_states", async |session| {
        // An address that is no page of the shop says so, and its link leads home.
        let catalog = Catalog::open(session, "/products/no/such-page").await?;
        session
            .wait_for("[data-slot-state=not-found] a")
            .await?
            .click()
            .await?;
        session.wait_for("[data-app=catalog] .tca-home").await?;
        catalog.type_search("zzqxv").await?;
        catalog.wait_for_url("/search?q=zzqxv").await?;
        session.wait_for("[data-state=no-results]").await?;
        // Seen once, a page is kept: with the catalog down it shows read-only under a banner,
        // in the browser and at the edge, and comes back by itself.
        session.open("/c/home").await?;
        catalog.settled().await?;
        let count = catalog.count().await?;
        session.ops_request("PUT", "/v1/ops/faults", Some(faults(1.0))).await?;
        session.open("/c/home").await?;
        session.wait_for("[data-state=stale]").await?;
        ensure!(catalog.count().await? == count, "the saved copy's products");
        session.open("/c/accessories?color=sand").await?;
        session.wait_for("[data-state=unavailable]").await?;
        session.ops_request("PUT", "/v1/ops/faults", Some(faults(0.0))).await?;
        session.open("/c/home").await?;
        session
            .wait_until("the live copy returns", "!document.querySelector('[data-state=stale]') && document.querySelector('.tca-toolbar__count')")
            .await?;
        Ok(())
    })
    .await;
}
