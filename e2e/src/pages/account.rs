//! The account page (`/account`, in the checkout app): signing up or in, consent choices, the
//! saved addresses, orders and mail, the data download and erasure.

use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result};
use serde_json::json;
use thirtyfour::prelude::*;

use crate::Session;

pub const PASSWORD: &str = "correct horse battery";

pub struct AccountPage<'a> {
    session: &'a Session,
}

impl<'a> AccountPage<'a> {
    pub async fn open(session: &'a Session) -> Result<AccountPage<'a>> {
        session.open("/account").await?;
        session
            .wait_until(
                "the account page",
                "document.querySelector('.tck-account [data-state]')",
            )
            .await?;
        Ok(AccountPage { session })
    }

    async fn fill(&self, form: &str, name: &str, value: &str) -> Result<()> {
        let input = self
            .session
            .wait_for(&format!("[data-form={form}] [name='{name}']"))
            .await?;
        input.clear().await?;
        input.send_keys(value).await?;
        Ok(())
    }

    async fn submit(&self, form: &str) -> Result<()> {
        self.session
            .wait_for(&format!("[data-form={form}] button[type=submit]"))
            .await?
            .click()
            .await?;
        Ok(())
    }

    /// Creates an account for `email` in `country` (its name as the sign-up list shows it) and
    /// waits until the page is the customer's; returns the region it says.
    pub async fn sign_up(&self, name: &str, email: &str, country: &str) -> Result<String> {
        self.fill("sign-up", "name", name).await?;
        self.fill("sign-up", "email", email).await?;
        self.fill("sign-up", "password", PASSWORD).await?;
        self.session
            .wait_for("[data-form=sign-up] select[name=country]")
            .await?
            .find(By::XPath(format!(
                ".//option[normalize-space(.)='{country}']"
            )))
            .await
            .with_context(|| format!("no country {country}"))?
            .click()
            .await?;
        self.submit("sign-up").await?;
        self.signed_in_region().await
    }

    pub async fn sign_in(&self, email: &str) -> Result<()> {
        self.fill("sign-in", "email", email).await?;
        self.fill("sign-in", "password", PASSWORD).await?;
        self.submit("sign-in").await
    }

    pub async fn signed_in_region(&self) -> Result<String> {
        let region = self
            .session
            .wait_for("[data-state=signed-in]")
            .await?
            .attr("data-region")
            .await?;
        region.context("the page says the region")
    }

    /// Ticks exactly the given consent purposes and saves.
    pub async fn choose_consents(&self, granted: &[&str]) -> Result<()> {
        for purpose in ["order_updates", "marketing_email", "personalisation"] {
            let checkbox = self
                .session
                .wait_for(&format!("[data-form=consents] input[name={purpose}]"))
                .await?;
            if checkbox.is_selected().await? != granted.contains(&purpose) {
                checkbox.click().await?;
            }
        }
        self.submit("consents").await?;
        self.session
            .wait_until(
                "the choices are saved",
                "document.querySelector('[data-state=consents]').textContent.includes('saved')",
            )
            .await
    }

    /// The purposes of the mail shown, newest first, once `count` are there (reloading, as the
    /// mail goes out after the order is confirmed).
    pub async fn mail_once(&self, count: usize) -> Result<Vec<String>> {
        for _ in 0..40 {
            AccountPage::open(self.session).await?;
            self.session
                .wait_until(
                    "the mail list",
                    "document.querySelector('[aria-labelledby=tck-mail] .ts-empty-state, [data-mail]')",
                )
                .await?;
            let purposes = self
                .session
                .eval("return [...document.querySelectorAll('[data-mail]')].map((m) => m.dataset.mail);")
                .await?;
            let purposes: Vec<String> = serde_json::from_value(purposes)?;
            if purposes.len() >= count {
                return Ok(purposes);
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
        anyhow::bail!("fewer than {count} mails arrived")
    }

    pub async fn texts(&self, selector: &str) -> Result<Vec<String>> {
        let texts = self
            .session
            .eval(&format!(
                "return [...document.querySelectorAll('{selector}')].map((e) => e.textContent);"
            ))
            .await?;
        Ok(serde_json::from_value(texts)?)
    }

    /// Presses "Download my data" with downloads going to `folder`; returns the file's JSON.
    pub async fn download_data(&self, folder: &Path) -> Result<serde_json::Value> {
        self.session
            .driver
            .cdp()
            .send_raw(
                "Browser.setDownloadBehavior",
                json!({"behavior": "allow", "downloadPath": folder.display().to_string()}),
            )
            .await?;
        self.press("Download my data").await?;
        for _ in 0..100 {
            let done = std::fs::read_dir(folder)?
                .filter_map(Result::ok)
                .map(|entry| entry.path())
                .find(|path| path.extension().is_some_and(|ext| ext == "json"));
            if let Some(file) = done {
                return Ok(serde_json::from_slice(&std::fs::read(file)?)?);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        anyhow::bail!("no download arrived in {}", folder.display())
    }

    pub async fn press(&self, text: &str) -> Result<()> {
        self.session
            .driver
            .query(By::XPath(format!("//button[normalize-space(.)='{text}']")))
            .first()
            .await
            .with_context(|| format!("no button {text}"))?
            .click()
            .await?;
        Ok(())
    }
}
