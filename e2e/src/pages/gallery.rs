//! The design-system gallery: its story list, deep links per story and theme, and readiness.

use anyhow::{Context, Result};
use thirtyfour::prelude::*;

use crate::Session;

pub const THEMES: [&str; 2] = ["light", "dark"];

pub struct GalleryPage<'a> {
    session: &'a Session,
}

impl<'a> GalleryPage<'a> {
    pub fn new(session: &'a Session) -> Self {
        GalleryPage { session }
    }

    /// Every story as `component/story`, read from the gallery's own navigation.
    pub async fn stories(&self) -> Result<Vec<String>> {
        self.session
            .driver
            .goto(self.session.url("/gallery/"))
            .await?;
        self.session.wait_for("a[data-story]").await?;
        let mut stories = Vec::new();
        for link in self
            .session
            .driver
            .find_all(By::Css("a[data-story]"))
            .await?
        {
            stories.push(
                link.attr("data-story")
                    .await?
                    .context("data-story without a value")?,
            );
        }
        Ok(stories)
    }

    /// Opens one story in one theme and waits for its preview to render.
    pub async fn open(&self, story: &str, theme: &str) -> Result<()> {
        self.session
            .driver
            .goto(self.session.url(&format!("/gallery/{story}?theme={theme}")))
            .await?;
        self.session
            .wait_for(&format!("[data-story-preview=\"{story}\"]"))
            .await
            .with_context(|| format!("story {story} in the {theme} theme did not render"))?;
        Ok(())
    }
}
