//! The connector console: signing in, reading the overview's rows and the tables, pressing
//! buttons and confirming dialogs by their visible text, as an operator would.

use std::time::{Duration, Instant};

use anyhow::{Result, bail};
use serde_json::Value;
use thirtyfour::prelude::*;

use crate::Session;

/// How long the console's live views get to show a change (rounds, retries, polling).
const PATIENCE: Duration = Duration::from_secs(60);

pub struct Console<'a> {
    session: &'a Session,
}

/// A JavaScript string literal of `text`.
fn js(text: &str) -> String {
    Value::String(text.to_owned()).to_string()
}

impl<'a> Console<'a> {
    /// Publishes the console's release to all ops visitors, opens `path` and signs in with
    /// `token`.
    pub async fn open(session: &'a Session, token: &str, path: &str) -> Result<Console<'a>> {
        let release = session.publish("connector").await?;
        session
            .roll_out("connector", &[(&release, 1.0)], None)
            .await?;
        session.open(path).await?;
        let console = Console { session };
        console.fill("token", token).await?;
        console.press("Sign in").await?;
        session.wait_for(".tco-header").await?;
        Ok(console)
    }

    pub async fn fill(&self, name: &str, value: &str) -> Result<()> {
        let input = self
            .session
            .wait_for(&format!("[data-app=connector] [name='{name}']"))
            .await?;
        input.clear().await?;
        input.send_keys(value).await?;
        Ok(())
    }

    /// Picks the option labelled `label` of the select `name`, as a person would.
    pub async fn choose(&self, name: &str, label: &str) -> Result<()> {
        let deadline = Instant::now() + Duration::from_secs(10);
        let select = self
            .session
            .wait_for(&format!("[data-app=connector] select[name='{name}']"))
            .await?;
        let xpath = format!("./option[normalize-space()={}]", js(label));
        loop {
            if let Ok(option) = select.find(By::XPath(xpath.as_str())).await {
                option.click().await?;
                return Ok(());
            }
            if Instant::now() > deadline {
                bail!("no option `{label}` in `{name}`");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The enabled button or link whose visible text is `text` (in the open dialog, if one is).
    async fn control(&self, text: &str) -> Result<WebElement> {
        let xpath = format!(
            "//*[@role='dialog']//button[normalize-space()={0}] | //*[@data-app='connector' and not(.//*[@role='dialog'])]//*[self::button or self::a or @role='tab'][normalize-space()={0}]",
            js(text)
        );
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            for element in self
                .session
                .driver
                .find_all(By::XPath(xpath.as_str()))
                .await?
            {
                if element.is_displayed().await? && element.is_enabled().await? {
                    return Ok(element);
                }
            }
            if Instant::now() > deadline {
                bail!("no enabled control `{text}`");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Presses the button, link or tab that says `text` (found again if a refresh replaced it).
    pub async fn press(&self, text: &str) -> Result<()> {
        for _ in 0..5 {
            match self.control(text).await?.click().await {
                Err(error)
                    if matches!(
                        error.as_inner(),
                        thirtyfour::error::WebDriverErrorInner::StaleElementReference(_)
                    ) =>
                {
                    continue;
                }
                other => return Ok(other?),
            }
        }
        bail!("`{text}` kept being replaced")
    }

    /// Follows the first link whose address starts with `prefix`.
    pub async fn follow(&self, prefix: &str) -> Result<()> {
        let script = format!(
            "const link = document.querySelector('[data-app=connector] a[href^=\"' + {} + '\"]'); if (link) link.click(); return !!link;",
            js(prefix)
        );
        let deadline = Instant::now() + Duration::from_secs(10);
        while self.session.eval(&script).await? != Value::Bool(true) {
            if Instant::now() > deadline {
                bail!("no link to {prefix}…");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Ok(())
    }

    /// Whether a button saying `text` is shown but disabled.
    pub async fn is_disabled(&self, text: &str) -> Result<bool> {
        let script = format!(
            "const button = [...document.querySelectorAll('[data-app=connector] button')]
               .find((b) => b.textContent.trim() === {});
             return button ? button.disabled : null;",
            js(text)
        );
        match self.session.eval(&script).await? {
            Value::Bool(disabled) => Ok(disabled),
            _ => bail!("no button `{text}`"),
        }
    }

    /// Waits until `script` (an expression over the page) is truthy, up to a minute.
    pub async fn eventually(&self, what: &str, script: &str) -> Result<()> {
        let deadline = Instant::now() + PATIENCE;
        loop {
            if self.session.eval(&format!("return !!({script});")).await? == Value::Bool(true) {
                return Ok(());
            }
            if Instant::now() > deadline {
                bail!("timed out waiting until {what} (`{script}`)");
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    /// The texts of the cells of every body row of the table captioned `caption`.
    pub async fn rows(&self, caption: &str) -> Result<Vec<Vec<String>>> {
        let script = format!(
            "const table = [...document.querySelectorAll('[data-app=connector] table')]
               .find((t) => t.caption?.textContent === {});
             return table ? [...table.tBodies[0].rows].map((r) => [...r.cells].map((c) => c.textContent)) : [];",
            js(caption)
        );
        Ok(serde_json::from_value(self.session.eval(&script).await?)?)
    }

    /// An expression: the table captioned `caption` has a row whose cells include all of `cells`.
    pub fn has_row(caption: &str, cells: &[&str]) -> String {
        let wanted: Vec<String> = cells.iter().map(|cell| js(cell)).collect();
        format!(
            "[...document.querySelectorAll('[data-app=connector] table')]
               .filter((t) => t.caption?.textContent === {})
               .some((t) => [...t.tBodies[0].rows].some((r) => {{
                 const texts = [...r.cells].map((c) => c.textContent);
                 return [{}].every((w) => texts.some((t) => t.includes(w)));
               }}))",
            js(caption),
            wanted.join(", ")
        )
    }

    /// The visible text of the console (alerts, dialogs and all).
    pub async fn text(&self) -> Result<String> {
        let value = self
            .session
            .eval("return document.querySelector('[data-app=connector]')?.innerText ?? '';")
            .await?;
        Ok(value.as_str().unwrap_or_default().to_owned())
    }
}
