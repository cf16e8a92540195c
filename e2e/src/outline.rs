//! What a person, or a screen reader, meets first on a page: its title, its `h1`s and whether
//! the shell's main region still says it is busy.

use anyhow::Result;

use crate::Session;

/// See [`Session::outline`].
#[derive(Debug, serde::Deserialize)]
pub struct Outline {
    /// `document.title`.
    pub title: String,
    /// The text of every `h1`, in document order.
    pub headings: Vec<String>,
    /// `aria-busy="true"` on the shell's main slot.
    pub busy: bool,
}

impl Session {
    /// What a person, or a screen reader, meets first on the page: its title, its `h1`s and
    /// whether the main region still says it is busy.
    pub async fn outline(&self) -> Result<Outline> {
        let outline = self
            .eval(
                "return { title: document.title,
                   headings: [...document.querySelectorAll('h1')].map((h) => h.textContent.trim()),
                   busy: document.getElementById('ts-slot-main')?.getAttribute('aria-busy') === 'true' };",
            )
            .await?;
        Ok(serde_json::from_value(outline)?)
    }
}
