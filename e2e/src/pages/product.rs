//! The product detail app inside the shell: what it shows, choosing options, adding to cart, and
//! the shell's header around it.

use anyhow::{Context, Result};
use serde_json::Value;
use thirtyfour::prelude::*;

use crate::Session;

pub struct ProductPage<'a> {
    session: &'a Session,
}

impl<'a> ProductPage<'a> {
    /// Opens `/products/<slug><query>` and waits until the app has rendered something final.
    pub async fn open(session: &'a Session, slug: &str, query: &str) -> Result<ProductPage<'a>> {
        session.open(&format!("/products/{slug}{query}")).await?;
        let page = ProductPage { session };
        page.wait_until_settled().await?;
        Ok(page)
    }

    /// The product page already on screen (reached by navigating within the shop).
    pub fn current(session: &'a Session) -> ProductPage<'a> {
        ProductPage { session }
    }

    /// Settled: something final on screen, and markup the edge drew is hydrated (which the
    /// shell does on the shopper's first intent; until then it shows but does not respond).
    pub async fn wait_until_settled(&self) -> Result<()> {
        self.session
            .wait_until(
                "the product page shows something final",
                "document.querySelector('.tpd-product:not(.tpd-product--loading) .tpd-buy, .tpd [data-state=not-found], .tpd [data-state=unavailable], [data-slot-state=failed], [data-slot-state=unpublished]')",
            )
            .await?;
        super::hydrate_drawn_slot(self.session).await
    }

    /// The product as the API describes it (the test's source of truth).
    pub async fn api_product(session: &Session, slug: &str) -> Result<Value> {
        let response = reqwest::get(session.url(&format!("/v1/products/{slug}"))).await?;
        Ok(response.error_for_status()?.json().await?)
    }

    async fn attribute(&self, selector: &str, name: &str) -> Result<Option<String>> {
        Ok(self.session.wait_for(selector).await?.attr(name).await?)
    }

    pub async fn variant_id(&self) -> Result<Option<String>> {
        self.attribute(".tpd-buy", "data-variant").await
    }

    pub async fn availability(&self) -> Result<String> {
        self.attribute("[data-availability]", "data-availability")
            .await?
            .context("availability without state")
    }

    pub async fn price_text(&self) -> Result<String> {
        Ok(self
            .session
            .wait_for("[data-testid=price]")
            .await?
            .text()
            .await?)
    }

    pub async fn add_button(&self) -> Result<WebElement> {
        self.session.wait_for(".tpd-buy__add button").await
    }

    /// Picks `value` for the option `name` (a radio in an option picker or swatch group).
    pub async fn choose(&self, name: &str, value: &str) -> Result<()> {
        let selector = format!(".tpd-buy input[type=radio][name='{name}'][value='{value}']");
        let input = self.session.wait_for(&selector).await?;
        // The input is visually hidden behind its label: click the label.
        input.find(By::XPath("./..")).await?.click().await?;
        Ok(())
    }

    pub async fn add_to_cart(&self) -> Result<String> {
        self.add_button().await?.click().await?;
        self.session
            .wait_until(
                "the add finishes",
                "document.querySelector('[data-outcome]')",
            )
            .await?;
        let outcome = self.session.wait_for("[data-outcome]").await?;
        Ok(outcome.attr("data-outcome").await?.unwrap_or_default())
    }

    /// The number in the shell's header.
    pub async fn header_count(&self) -> Result<String> {
        Ok(self
            .session
            .wait_for("#ts-cart-count")
            .await?
            .text()
            .await?)
    }
}
