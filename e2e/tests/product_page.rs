//! The product detail app in the real shell, against the real server: rendering and SEO,
//! variants and the shareable URL, stock rules, add to cart with the header's count, the saved
//! copy while the catalog is down, and not found.

use anyhow::{Context, ensure};
use e2e::pages::product::ProductPage;
use serde_json::{Value, json};

const SLUG: &str = "merino-crew-sweater";

fn variants(product: &Value) -> &Vec<Value> {
    product["variants"].as_array().expect("variants")
}

fn option_values(variant: &Value) -> Vec<(String, String)> {
    variant["optionValues"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|selected| {
            (
                selected["option"].as_str().unwrap_or_default().to_owned(),
                selected["value"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

/// The first demo products as the API describes them: `(slug, product)`.
async fn demo_products(session: &e2e::Session) -> anyhow::Result<Vec<(String, Value)>> {
    let list: Value = reqwest::get(session.url("/v1/products?limit=30"))
        .await?
        .json()
        .await?;
    let mut products = Vec::new();
    for item in list["items"].as_array().context("items")? {
        let slug = item["slug"].as_str().context("slug")?;
        products.push((
            slug.to_owned(),
            ProductPage::api_product(session, slug).await?,
        ));
    }
    Ok(products)
}

/// A product (from the first few) with a variant in the given availability state.
async fn product_with(
    session: &e2e::Session,
    state: &str,
) -> anyhow::Result<(String, Value, Value)> {
    for (slug, product) in demo_products(session).await? {
        if let Some(variant) = variants(&product)
            .iter()
            .find(|variant| variant["availability"]["status"] == state)
        {
            let variant = variant.clone();
            return Ok((slug, product, variant));
        }
    }
    anyhow::bail!("no demo product has a {state} variant")
}

#[tokio::test]
async fn a_seeded_product_renders_with_seo_data_and_no_accessibility_violations() {
    e2e::run("product_renders", async |session| {
        session.open_shop().await?;
        let product = ProductPage::api_product(session, SLUG).await?;
        let page = ProductPage::open(session, SLUG, "").await?;
        let title = session.wait_for(".tpd-product__title").await?.text().await?;
        ensure!(title == product["title"].as_str().unwrap_or_default(), "title {title}");
        let head = session
            .eval(
                "return { title: document.title,
                   canonical: document.querySelector('link[rel=canonical]')?.href,
                   description: document.querySelector('meta[name=description]')?.content,
                   ld: JSON.parse(document.querySelector('script[type=\"application/ld+json\"]').textContent) };",
            )
            .await?;
        ensure!(
            head["title"].as_str().unwrap_or_default().contains(&title),
            "document title: {head}"
        );
        ensure!(
            head["canonical"] == json!(session.url(&format!("/products/{SLUG}"))),
            "canonical: {head}"
        );
        ensure!(head["ld"]["@type"] == "Product" && head["ld"]["name"] == json!(title), "{head}");
        ensure!(head["ld"]["offers"][0]["price"].is_string(), "offer: {head}");
        ensure!(
            head["ld"]["aggregateRating"]["reviewCount"] == product["rating"]["count"],
            "rating: {head}"
        );
        ensure!(page.variant_id().await?.is_some(), "a variant is chosen");
        let outline = session.outline().await?;
        ensure!(outline.headings == [title.clone()], "one h1, the product's: {outline:?}");
        ensure!(!outline.busy, "the main slot is not busy once mounted");
        // The product came in the page itself (the edge rendered it and handed the bundle its
        // state), and with the content in the page nothing is preloaded: the wasm of shell and
        // app is fetched by their scripts after the first paint, not competing with it.
        let initiators = session
            .eval(&format!(
                "const of = (end) => performance.getEntriesByType('resource').filter((e) => e.name.endsWith(end)).map((e) => e.initiatorType);
                 return {{ product: of('/v1/products/{SLUG}'), wasm: of('_bg.wasm') }};"
            ))
            .await?;
        ensure!(initiators["product"] == json!([]), "the product is not fetched: {initiators}");
        ensure!(
            initiators["wasm"] == json!(["fetch", "fetch"]),
            "no wasm preloads on a rendered page: {initiators}"
        );
        session.wait_for(".tpd-review").await?;
        session.wait_for(".tpd-related__link").await?;
        ensure!(session.console_errors().await?.is_empty(), "console: {:?}", session.console_errors().await?);
        let violations = session.accessibility_violations().await?;
        ensure!(violations.is_empty(), "axe: {violations:#?}");
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn choosing_a_variant_updates_price_availability_and_the_url() {
    e2e::run("product_variants", async |session| {
        session.open_shop().await?;
        let product = ProductPage::api_product(session, SLUG).await?;
        let page = ProductPage::open(session, SLUG, "").await?;
        let first = page.variant_id().await?.context("initial variant")?;
        // Another variant that can be bought and differs in its first option (the colour).
        let other = variants(&product)
            .iter()
            .find(|variant| {
                variant["id"] != json!(first)
                    && variant["availability"]["status"] != "out_of_stock"
                    && option_values(variant)[0]
                        != option_values(
                            variants(&product)
                                .iter()
                                .find(|v| v["id"] == json!(first))
                                .expect("first"),
                        )[0]
            })
            .context("a second buyable variant")?
            .clone();
        for (name, value) in option_values(&other) {
            page.choose(&name, &value).await?;
        }
        let other_id = other["id"].as_str().context("id")?;
        session
            .wait_until(
                "the chosen variant shows",
                &format!("document.querySelector('.tpd-buy')?.dataset.variant === '{other_id}'"),
            )
            .await?;
        session
            .wait_until(
                "the URL names the variant",
                &format!("location.search === '?variant={other_id}'"),
            )
            .await?;
        if let Some(picture) = other["image"]["url"].as_str() {
            session
                .wait_until(
                    "the gallery shows the variant's picture",
                    &format!("document.querySelector('.ts-media-gallery__stage img')?.getAttribute('src') === '{picture}'"),
                )
                .await?;
        }
        ensure!(
            page.availability().await?
                == other["availability"]["status"].as_str().unwrap_or_default(),
            "availability follows the variant"
        );
        let price = page.price_text().await?;
        let amount = other["price"]["amount"].as_i64().context("amount")?;
        let whole = (amount / 100).to_string();
        ensure!(price.contains(&whole), "price {price} shows {amount}");
        // The URL is shareable: opening it shows the same variant and price.
        let shared = ProductPage::open(session, SLUG, &format!("?variant={other_id}")).await?;
        ensure!(shared.variant_id().await?.as_deref() == Some(other_id));
        ensure!(shared.price_text().await? == price);
        Ok(())
    })
    .await;
}

fn purchasable(variant: &Value) -> bool {
    variant["availability"]["status"] != "out_of_stock"
}

/// A colour sold out in one size but in stock in others, and another colour in stock in that
/// size: `(slug, product, other colour, colour, size)`.
async fn colour_missing_a_size(
    session: &e2e::Session,
) -> anyhow::Result<(String, Value, String, String, String)> {
    for (slug, product) in demo_products(session).await? {
        let of = |variant: &Value, option: &str| {
            option_values(variant)
                .into_iter()
                .find(|(name, _)| name == option)
                .map(|(_, value)| value)
        };
        let all = variants(&product);
        for sold_out in all.iter().filter(|variant| !purchasable(variant)) {
            let (Some(colour), Some(size)) = (of(sold_out, "color"), of(sold_out, "size")) else {
                continue;
            };
            let colour_has_stock = all
                .iter()
                .any(|v| purchasable(v) && of(v, "color").as_deref() == Some(&colour));
            let other = all.iter().find(|v| {
                purchasable(v)
                    && of(v, "size").as_deref() == Some(&size)
                    && of(v, "color").as_deref() != Some(&colour)
            });
            if let (true, Some(other)) = (colour_has_stock, other) {
                let other = of(other, "color").context("colour")?;
                return Ok((slug.clone(), product.clone(), other, colour, size));
            }
        }
    }
    anyhow::bail!("no demo product has a colour sold out in just some sizes")
}

#[tokio::test]
async fn a_colour_sold_out_in_the_chosen_size_moves_to_the_nearest_size_in_stock() {
    e2e::run("product_colour_moves_size", async |session| {
        session.open_shop().await?;
        let (slug, product, other, colour, size) = colour_missing_a_size(session).await?;
        let page = ProductPage::open(session, &slug, "").await?;
        page.choose("color", &other).await?;
        page.choose("size", &size).await?;
        let colour_input = format!(".tpd-buy input[name='color'][value='{colour}']");
        let disabled = session.wait_for(&colour_input).await?.attr("disabled").await?;
        ensure!(disabled.is_none(), "{colour} can be picked with {size} chosen");
        page.choose("color", &colour).await?;
        session
            .wait_until("the size moves", "document.querySelector('[data-moved]')")
            .await?;
        // The nearest size in stock in that colour, by the product's own size order; on a tie
        // the larger one.
        let sizes: Vec<String> = product["options"]
            .as_array()
            .context("options")?
            .iter()
            .find(|option| option["name"] == "size")
            .context("size option")?["values"]
            .as_array()
            .context("values")?
            .iter()
            .filter_map(|value| value["value"].as_str().map(str::to_owned))
            .collect();
        let here = sizes.iter().position(|value| *value == size).context("size")?;
        let in_stock = |candidate: &String| {
            variants(&product).iter().any(|variant| {
                purchasable(variant)
                    && option_values(variant)
                        == vec![("color".to_owned(), colour.clone()), ("size".to_owned(), candidate.clone())]
            })
        };
        let expected = sizes
            .iter()
            .enumerate()
            .filter(|(_, candidate)| in_stock(candidate))
            .min_by_key(|(at, _)| (at.abs_diff(here), *at < here))
            .map(|(_, value)| value.clone())
            .context("a size in stock")?;
        let chosen = session
            .eval("return [...document.querySelectorAll('.tpd-buy input[type=radio]:checked')].map((input) => input.value);")
            .await?;
        ensure!(chosen == json!([colour, expected]), "chosen: {chosen}");
        let notice = session.wait_for("[data-moved]").await?.text().await?;
        ensure!(
            notice.contains(&size.to_uppercase())
                && notice.contains(&expected.to_uppercase())
                && notice.contains("isn't available"),
            "the shopper is told: {notice:?}"
        );
        ensure!(page.add_to_cart().await? == "added", "the moved choice can be bought");
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn an_out_of_stock_variant_cannot_be_added() {
    e2e::run("product_out_of_stock", async |session| {
        session.open_shop().await?;
        let (slug, _, variant) = product_with(session, "out_of_stock").await?;
        let id = variant["id"].as_str().context("id")?;
        let page = ProductPage::open(session, &slug, &format!("?variant={id}")).await?;
        ensure!(page.availability().await? == "out_of_stock");
        let button = page.add_button().await?;
        ensure!(!button.is_enabled().await?, "the add button is disabled");
        ensure!(button.text().await?.contains("Sold out"));
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn adding_to_cart_updates_the_header_count_across_apps() {
    e2e::run("product_add_to_cart", async |session| {
        session.open_shop().await?;
        let (slug, _, variant) = product_with(session, "in_stock").await?;
        let query = format!("?variant={}", variant["id"].as_str().context("id")?);
        let page = ProductPage::open(session, &slug, &query).await?;
        ensure!(page.header_count().await? == "0");
        ensure!(page.add_to_cart().await? == "added");
        session
            .wait_until(
                "the header counts 1",
                "document.getElementById('ts-cart-count').textContent === '1'",
            )
            .await?;
        session
            .driver
            .find(thirtyfour::By::Css(
                ".ts-quantity-stepper__button:last-of-type",
            ))
            .await?
            .click()
            .await?;
        ensure!(page.add_to_cart().await? == "added");
        session
            .wait_until(
                "the header counts 3",
                "document.getElementById('ts-cart-count').textContent === '3'",
            )
            .await?;
        // The server agrees (as ops see it: the cart is the browser session's own), and the count
        // survives a reload.
        let cart_id = session
            .eval("return localStorage.getItem('tessera:cart-id');")
            .await?;
        let cart = session
            .ops_request(
                "GET",
                &format!("/v1/carts/{}", cart_id.as_str().context("cart id")?),
                None,
            )
            .await?;
        ensure!(cart["itemCount"] == 3, "cart: {cart}");
        let page = ProductPage::open(session, &slug, &query).await?;
        ensure!(page.header_count().await? == "3");
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn with_the_catalog_down_the_saved_copy_shows_and_adding_pauses() {
    e2e::run("product_offline_copy", async |session| {
        session.open_shop().await?;
        ProductPage::open(session, SLUG, "").await?;
        let mut down = faults(0.0);
        down["catalog"]["errorRate"] = json!(1.0);
        session.ops_request("PUT", "/v1/ops/faults", Some(down)).await?;
        let page = ProductPage::open(session, SLUG, "").await?;
        session.wait_for("[data-state=stale]").await?;
        let button = page.add_button().await?;
        ensure!(!button.is_enabled().await?, "adding is paused");
        ensure!(button.text().await?.contains("paused"));
        ensure!(session.wait_for(".tpd-product__title").await?.text().await?.len() > 3);
        session.ops_request("PUT", "/v1/ops/faults", Some(faults(0.0))).await?;
        // The page keeps trying and comes back by itself.
        session
            .wait_until("the live copy returns", "!document.querySelector('[data-state=stale]') && document.querySelector('.tpd-buy__add button:not([disabled])')")
            .await?;
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn an_unknown_product_shows_not_found() {
    e2e::run("product_not_found", async |session| {
        session.open_shop().await?;
        ProductPage::open(session, "no-such-product", "").await?;
        let state = session.wait_for(".tpd [data-state=not-found]").await?;
        ensure!(state.text().await?.contains("couldn't find"));
        let outline = session.outline().await?;
        ensure!(
            outline.title == "Product not found · Tessera",
            "{outline:?}"
        );
        ensure!(
            outline.headings == ["We couldn't find that product"],
            "one h1: {outline:?}"
        );
        ensure!(!outline.busy, "{outline:?}");
        Ok(())
    })
    .await;
}

fn faults(carts_error_rate: f64) -> Value {
    let off = json!({"latencyMs": 0, "errorRate": 0.0});
    json!({
        "catalog": off,
        "carts": {"latencyMs": 0, "errorRate": carts_error_rate},
        "checkout": off,
        "orders": off,
    })
}

#[tokio::test]
async fn a_failed_add_puts_the_count_back_and_says_why() {
    e2e::run("product_add_fails", async |session| {
        session.open_shop().await?;
        let (slug, _, variant) = product_with(session, "in_stock").await?;
        let query = format!("?variant={}", variant["id"].as_str().context("id")?);
        let page = ProductPage::open(session, &slug, &query).await?;
        ensure!(page.add_to_cart().await? == "added");
        session
            .wait_until("the header counts 1", "document.getElementById('ts-cart-count').textContent === '1'")
            .await?;
        session
            .ops_request("PUT", "/v1/ops/faults", Some(faults(1.0)))
            .await?;
        // Record every count the header shows, to see the optimistic one come and go.
        session
            .eval("window.__counts = []; new MutationObserver(() => window.__counts.push(document.getElementById('ts-cart-count').textContent)).observe(document.getElementById('ts-cart-count'), {childList: true, characterData: true, subtree: true}); return null;")
            .await?;
        ensure!(page.add_to_cart().await? == "failed");
        let message = session.wait_for("[data-outcome=failed]").await?.text().await?;
        ensure!(!message.is_empty(), "the failure is explained");
        ensure!(page.header_count().await? == "1", "the count is back to 1");
        let counts = session.eval("return window.__counts;").await?;
        ensure!(counts.as_array().is_some_and(|c| c.contains(&json!("2"))), "the optimistic count showed: {counts}");
        session
            .ops_request("PUT", "/v1/ops/faults", Some(faults(0.0)))
            .await?;
        ensure!(page.add_to_cart().await? == "added", "adding works again");
        Ok(())
    })
    .await;
}
