//! Page objects: one per app, each knowing its selectors and journeys, so tests read as steps.

pub mod account;
pub mod catalog;
pub mod checkout;
pub mod console;
pub mod gallery;
pub mod product;

/// Shows the shopper's first intent on a slot the edge drew (the pointer comes over it), on which
/// the shell hydrates drawn markup, and waits until it has. Nothing to do when the slot was
/// rendered in the browser.
pub async fn hydrate_drawn_slot(session: &crate::Session) -> anyhow::Result<()> {
    // The pointer keeps moving over the page, as a shopper's does, until the shell listens.
    session
        .wait_until(
            "the drawn slot is hydrated",
            "!document.querySelector('.ts-shell__app[data-rendered]')?.dispatchEvent(new PointerEvent('pointerover', { bubbles: true })) && !document.querySelector('.ts-shell__app[data-rendered]')",
        )
        .await
}
