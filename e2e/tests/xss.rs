//! Script payloads typed into every free-text field a shopper can fill stay text: the checkout's
//! review step and the order page show them literally, and none of them runs; a search for
//! script shows it as text in the catalog, its head and the edge's first HTML.

use anyhow::{Context, ensure};
use e2e::pages::checkout::{CheckoutPage, GOOD_CARD};

/// Each payload sets `window.__xss` if it ever runs as script.
const PAYLOADS: [(&str, &str); 4] = [
    ("shippingAddress.name", "<img src=x onerror=window.__xss=1>"),
    (
        "shippingAddress.line1",
        "\"><script>window.__xss=2</script>",
    ),
    ("shippingAddress.line2", "<svg onload=window.__xss=3>"),
    (
        "shippingAddress.city",
        "</p><iframe srcdoc=\"<script>parent.__xss=4</script>\">",
    ),
];
const EMAIL: &str = "\"<svg/onload=window.__xss=5>\"@example.com";

async fn nothing_ran(session: &e2e::Session, page: &str) -> anyhow::Result<()> {
    let ran = session
        .eval("return [window.__xss ?? null, document.querySelectorAll('.ts-shell__app img[src=x], .ts-shell__app iframe, .ts-shell__app svg[onload], .ts-shell__app script').length];")
        .await?;
    ensure!(ran[0].is_null(), "a payload ran on the {page}: {ran}");
    ensure!(ran[1] == 0, "a payload became markup on the {page}: {ran}");
    Ok(())
}

#[tokio::test]
async fn script_payloads_in_every_free_text_field_render_inert() {
    e2e::run("xss_free_text", async |session| {
        let checkout = CheckoutPage::with_one_item(session).await?;
        checkout.wait_for_step("Cart").await?;
        checkout.go_on().await?;
        checkout.wait_for_step("Contact").await?;
        checkout.fill("email", EMAIL).await?;
        checkout.go_on().await?;
        checkout.wait_for_step("Shipping address").await?;
        checkout.fill_us_address("94105").await?;
        for (field, payload) in PAYLOADS {
            checkout.fill(field, payload).await?;
        }
        checkout.go_on().await?;
        checkout.wait_for_step("Delivery").await?;
        session
            .wait_for(".tck-step input[type=radio]:checked")
            .await?;
        checkout.go_on().await?;
        checkout.pay_with(GOOD_CARD).await?;
        let review = session
            .eval("return document.querySelector('.tck-step').innerText;")
            .await?;
        let review = review.as_str().context("review text")?;
        for (field, payload) in PAYLOADS {
            ensure!(
                review.contains(payload),
                "the review shows {field} as typed: {review}"
            );
        }
        nothing_ran(session, "review step").await?;

        checkout.place_button().await?.click().await?;
        checkout.wait_for_order_page().await?;
        let page = session
            .eval("return document.querySelector('.tck-order').innerText;")
            .await?;
        ensure!(
            page.as_str().context("order text")?.contains(EMAIL),
            "the order page shows the email as typed: {page}"
        );
        nothing_ran(session, "order page").await?;
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn a_search_for_script_stays_text_in_the_page_the_head_and_the_first_html() {
    e2e::run("xss_search", async |session| {
        let query = "</script><script>window.__xss=6</script><img src=x onerror=window.__xss=7>";
        let encoded: String = query
            .bytes()
            .map(|byte| format!("%{byte:02X}"))
            .collect();
        let path = format!("/search?q={encoded}");
        let catalog = e2e::pages::catalog::Catalog::open(session, &path).await?;
        session.wait_for("[data-state=no-results]").await?;
        let heading = session.wait_for(".tca-title").await?.text().await?;
        ensure!(heading.contains("<script>"), "the query shows as text: {heading}");
        nothing_ran(session, "search page").await?;
        let scripts = session
            .eval("return [...document.head.querySelectorAll('script')].filter((s) => s.textContent.includes('__xss') && s.type !== 'application/ld+json').length;")
            .await?;
        ensure!(scripts == 0, "no script in the head runs the query");
        // The edge wrote the same page: the query is escaped in the title and JSON-LD.
        let html = reqwest::get(session.url(&path)).await?.text().await?;
        ensure!(!html.contains("<script>window.__xss"), "the first HTML carries the query as markup");
        ensure!(!html.contains("<img src=x"), "the first HTML carries the query as markup");
        catalog.settled().await.context("the page stays up")?;
        Ok(())
    })
    .await;
}
