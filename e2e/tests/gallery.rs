//! The design-system gallery in a real browser: every story, in the light and dark themes,
//! renders without console errors and without serious or critical axe-core violations.

use e2e::pages::gallery::{GalleryPage, THEMES};

#[tokio::test]
async fn every_story_renders_cleanly_and_accessibly_in_both_themes() {
    e2e::run("gallery_every_story", async |session| {
        let gallery = GalleryPage::new(session);
        let stories = gallery.stories().await?;
        assert!(
            stories.len() >= 30,
            "the gallery lists {} stories",
            stories.len()
        );
        let mut problems = Vec::new();
        for theme in THEMES {
            for story in &stories {
                gallery.open(story, theme).await?;
                for error in session.console_errors().await? {
                    problems.push(format!("{story} ({theme}): console: {error}"));
                }
                for violation in session.accessibility_violations().await? {
                    problems.push(format!("{story} ({theme}): {violation}"));
                }
            }
        }
        assert!(
            problems.is_empty(),
            "{} problems:\n{}",
            problems.len(),
            problems.join("\n")
        );
        Ok(())
    })
    .await;
}

/// Guards the guard: the checks above must notice planted problems, or their silence means nothing.
#[tokio::test]
async fn the_console_and_accessibility_checks_catch_planted_problems() {
    e2e::run("gallery_checks_catch_problems", async |session| {
        let gallery = GalleryPage::new(session);
        gallery.open("button/primary", "light").await?;
        assert!(session.console_errors().await?.is_empty());
        assert!(session.accessibility_violations().await?.is_empty());
        session
            .driver
            .execute(
                "console.error('planted error');
                 document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=\"/media/x--y.svg\"><button></button>');",
                vec![],
            )
            .await?;
        assert_eq!(session.console_errors().await?, ["planted error"]);
        let violations = session.accessibility_violations().await?;
        assert!(violations.iter().any(|v| v.contains("image-alt")), "{violations:?}");
        assert!(violations.iter().any(|v| v.contains("button-name")), "{violations:?}");
        Ok(())
    })
    .await;
}
