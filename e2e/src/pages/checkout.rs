//! The checkout app: filling each step, placing the order, and what the server recorded.

use anyhow::{Context, Result, ensure};
use serde_json::{Value, json};
use thirtyfour::prelude::*;

use crate::Session;
use crate::pages::product::ProductPage;

pub const GOOD_CARD: &str = "4242 4242 4242 4242";
pub const DECLINED_CARD: &str = "4000 0000 0000 0002";

pub struct CheckoutPage<'a> {
    session: &'a Session,
}

impl<'a> CheckoutPage<'a> {
    pub fn new(session: &'a Session) -> Self {
        CheckoutPage { session }
    }

    /// Puts an in-stock variant in the cart through the product page, then opens the checkout
    /// from the header's cart link.
    pub async fn with_one_item(session: &'a Session) -> Result<CheckoutPage<'a>> {
        session.open_shop().await?;
        let product = ProductPage::api_product(session, "organic-cotton-tee").await?;
        let variant = product["variants"]
            .as_array()
            .context("variants")?
            .iter()
            .find(|variant| variant["availability"]["status"] == "in_stock")
            .context("an in-stock variant")?;
        let query = format!("?variant={}", variant["id"].as_str().context("id")?);
        let page = ProductPage::open(session, "organic-cotton-tee", &query).await?;
        ensure!(page.add_to_cart().await? == "added");
        session.wait_for(".ts-shell__cart").await?.click().await?;
        Ok(CheckoutPage::new(session))
    }

    /// Waits for a step (`Cart`, `Contact`, `Shipping address`, `Delivery`, `Payment`, `Review`).
    pub async fn wait_for_step(&self, step: &str) -> Result<()> {
        self.session
            .wait_until(
                &format!("the {step} step"),
                &format!("document.querySelector('.tck-step')?.dataset.step === '{step}'"),
            )
            .await
    }

    pub async fn fill(&self, name: &str, value: &str) -> Result<()> {
        let input = self
            .session
            .wait_for(&format!(".tck-step [name='{name}']"))
            .await?;
        input.clear().await?;
        input.send_keys(value).await?;
        Ok(())
    }

    /// Waits until the field `name` holds `value` (put there by the app, not typed).
    pub async fn wait_prefilled(&self, name: &str, value: &str) -> Result<()> {
        self.session
            .wait_until(
                &format!("{name} reads {value}"),
                &format!(
                    "document.querySelector(\".tck-step [name='{name}']\")?.value === {}",
                    json!(value)
                ),
            )
            .await
    }

    /// Ticks the checkbox `name` of the current step.
    pub async fn tick(&self, name: &str) -> Result<()> {
        let checkbox = self
            .session
            .wait_for(&format!(".tck-step input[type=checkbox][name='{name}']"))
            .await?;
        if !checkbox.is_selected().await? {
            checkbox.click().await?;
        }
        Ok(())
    }

    /// Waits until the delivery step has an option chosen.
    pub async fn wait_for_choice(&self) -> Result<()> {
        self.session
            .wait_for(".tck-step input[type=radio]:checked")
            .await?;
        Ok(())
    }

    /// Picks the entry of the select `name` whose visible text is `label`, as a person would.
    pub async fn choose_by_label(&self, name: &str, label: &str) -> Result<()> {
        let select = self
            .session
            .wait_for(&format!(".tck-step select[name='{name}']"))
            .await?;
        select
            .find(By::XPath(format!(
                ".//option[normalize-space(.)='{label}']"
            )))
            .await
            .with_context(|| format!("no entry {label} in {name}"))?
            .click()
            .await?;
        Ok(())
    }

    /// Presses the current step's main button.
    pub async fn go_on(&self) -> Result<()> {
        self.session
            .wait_for(".tck-step .tck-actions button")
            .await?
            .click()
            .await?;
        Ok(())
    }

    /// From `/checkout` with a cart to the review step, paying with `card`.
    pub async fn to_review(&self, email: &str, card: &str) -> Result<()> {
        self.wait_for_step("Cart").await?;
        self.go_on().await?;
        self.wait_for_step("Contact").await?;
        self.fill("email", email).await?;
        self.go_on().await?;
        self.wait_for_step("Shipping address").await?;
        self.fill_us_address("94105").await?;
        self.go_on().await?;
        self.wait_for_step("Delivery").await?;
        self.wait_for_choice().await?;
        self.go_on().await?;
        self.pay_with(card).await
    }

    pub async fn fill_us_address(&self, zip: &str) -> Result<()> {
        self.fill("shippingAddress.name", "Ada Lovelace").await?;
        self.fill("shippingAddress.line1", "1 Market St").await?;
        self.fill("shippingAddress.city", "San Francisco").await?;
        self.choose_by_label("shippingAddress.region", "California")
            .await?;
        self.fill("shippingAddress.postalCode", zip).await
    }

    pub async fn pay_with(&self, card: &str) -> Result<()> {
        self.wait_for_step("Payment").await?;
        self.fill("number", card).await?;
        self.fill("expMonth", "12").await?;
        self.fill("expYear", "2030").await?;
        self.fill("cvc", "123").await?;
        self.fill("holderName", "Ada Lovelace").await?;
        self.go_on().await?;
        self.wait_for_step("Review").await
    }

    pub async fn place_button(&self) -> Result<WebElement> {
        self.session.wait_for(".tck-step .tck-actions button").await
    }

    /// Waits for the order page and returns the order id from the URL.
    pub async fn wait_for_order_page(&self) -> Result<String> {
        self.session
            .wait_until(
                "the order page",
                "location.pathname.startsWith('/orders/') && document.querySelector('.tck-timeline')",
            )
            .await?;
        let path = self.session.eval("return location.pathname;").await?;
        Ok(path
            .as_str()
            .context("path")?
            .trim_start_matches("/orders/")
            .to_owned())
    }

    /// Waits until the timeline shows an entry of `kind` (`confirmed`, `refunded`, …).
    pub async fn wait_for_timeline(&self, kind: &str) -> Result<()> {
        self.session
            .driver
            .query(By::Css(format!(".tck-timeline [data-event={kind}]")))
            .wait(
                std::time::Duration::from_secs(20),
                std::time::Duration::from_millis(100),
            )
            .first()
            .await
            .with_context(|| format!("the timeline never showed {kind}"))?;
        Ok(())
    }

    /// The orders the server holds for `email`, through the ops API.
    pub async fn orders_of(&self, email: &str) -> Result<Vec<Value>> {
        let orders = self
            .session
            .ops_request(
                "GET",
                &format!("/v1/ops/orders?email={email}&limit=50"),
                None,
            )
            .await?;
        Ok(orders["items"].as_array().cloned().unwrap_or_default())
    }

    pub async fn payments_of(&self, order_id: &str) -> Result<Vec<Value>> {
        let payments = self
            .session
            .ops_request("GET", &format!("/v1/ops/payments?orderId={order_id}"), None)
            .await?;
        Ok(payments["items"].as_array().cloned().unwrap_or_default())
    }

    /// Switches Chromium's network off or on (navigator.onLine follows).
    pub async fn set_offline(&self, offline: bool) -> Result<()> {
        let cdp = self.session.driver.cdp();
        cdp.send_raw("Network.enable", json!({})).await?;
        cdp.send_raw(
            "Network.emulateNetworkConditions",
            json!({"offline": offline, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}),
        )
        .await?;
        let online = self.session.eval("return navigator.onLine;").await?;
        ensure!(online == json!(!offline), "navigator.onLine is {online}");
        Ok(())
    }
}
