//! The catalog: the home page, category pages and search, read and driven as a shopper would
//! (typing in the search box, ticking facets, going back).

use anyhow::{Context, Result};
use serde_json::Value;
use thirtyfour::prelude::*;

use crate::Session;

pub struct Catalog<'a> {
    session: &'a Session,
}

/// Products on screen for the URL in the address bar, or a no-results or error state.
const SETTLED: &str = "document.querySelector('[data-app=catalog] .tca-listing__results[aria-busy=false], [data-app=catalog] .tca-home .tca-grid, [data-app=catalog] [data-state], [data-slot-state=not-found], [data-slot-state=failed]')";

impl<'a> Catalog<'a> {
    /// Publishes the catalog's release to every visitor (and the product page's, for the
    /// cards' links) and opens `path`.
    pub async fn open(session: &'a Session, path: &str) -> Result<Catalog<'a>> {
        session.open_shop().await?;
        let release = session.publish("catalog").await?;
        session
            .roll_out("catalog", &[(&release, 1.0)], None)
            .await?;
        session.open(path).await?;
        let catalog = Catalog { session };
        catalog.settled().await?;
        Ok(catalog)
    }

    /// Waits until the page shows what its URL asks for.
    pub async fn settled(&self) -> Result<()> {
        self.session
            .wait_until("the catalog settles", SETTLED)
            .await
    }

    /// Settled and, when the edge drew the page, hydrated (on the shopper's first intent).
    pub async fn hydrated(&self) -> Result<()> {
        self.settled().await?;
        super::hydrate_drawn_slot(self.session).await
    }

    /// Types `text` into the search box, key by key.
    pub async fn type_search(&self, text: &str) -> Result<()> {
        let input = self.session.wait_for("#tca-search-input").await?;
        input.clear().await?;
        input.send_keys(text).await?;
        Ok(())
    }

    /// Waits until the address bar shows `path` (path and query).
    pub async fn wait_for_url(&self, path: &str) -> Result<()> {
        let expected = Value::String(path.to_owned()).to_string();
        self.session
            .wait_until(
                &format!("the URL is {path}"),
                &format!("location.pathname + location.search === {expected}"),
            )
            .await?;
        self.settled().await
    }

    /// The product count the listing states.
    pub async fn count(&self) -> Result<i64> {
        let text = self
            .session
            .wait_for("[data-app=catalog] .tca-toolbar__count")
            .await?
            .attr("data-count")
            .await?
            .context("the count has data-count")?;
        Ok(text.parse()?)
    }

    /// The slugs of the product cards shown, in order.
    pub async fn cards(&self) -> Result<Vec<String>> {
        let slugs = self
            .session
            .eval("return [...document.querySelectorAll('[data-app=catalog] .tca-card')].map((card) => card.dataset.product);")
            .await?;
        Ok(serde_json::from_value(slugs)?)
    }

    /// The brands on the cards shown.
    pub async fn brands(&self) -> Result<Vec<String>> {
        let brands = self
            .session
            .eval("return [...document.querySelectorAll('[data-app=catalog] .tca-card__brand')].map((brand) => brand.textContent);")
            .await?;
        Ok(serde_json::from_value(brands)?)
    }

    /// The count a facet value shows next to its checkbox.
    pub async fn facet_count(&self, facet: &str, value: &str) -> Result<i64> {
        let option = self.facet_option(facet, value).await?;
        let count = option
            .find(By::Css(".tca-facet__count"))
            .await?
            .text()
            .await?;
        Ok(count.trim().parse()?)
    }

    /// Ticks (or unticks) a facet value, as a shopper clicks its label.
    pub async fn toggle(&self, facet: &str, value: &str) -> Result<()> {
        self.facet_option(facet, value).await?.click().await?;
        Ok(())
    }

    async fn facet_option(&self, facet: &str, value: &str) -> Result<WebElement> {
        // On a narrow window the filters are a closed disclosure: open it, as a shopper would.
        self.session
            .eval("const toggle = document.querySelector('.tca-facets__toggle'); if (toggle?.checkVisibility() && toggle.getAttribute('aria-expanded') === 'false') toggle.click(); return null;")
            .await?;
        self.session
            .wait_for(&format!(
                "[data-app=catalog] .tca-facet[data-facet='{facet}'] [data-value='{value}']"
            ))
            .await
    }
}
