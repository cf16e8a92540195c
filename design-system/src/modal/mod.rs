//! `Modal`: a centred dialog that traps focus, closes on Escape, the close button or the
//! backdrop, and returns focus to what opened it. Never renders when closed, so its content
//! costs nothing until needed.

mod surface;

pub(crate) use surface::DialogSurface;

use leptos::prelude::*;

use crate::util::mount_style;

#[cfg(feature = "stories")]
pub(crate) mod story;

pub(crate) const DIALOG_CSS: &str = include_str!("style.css");

/// A modal dialog.
#[component]
pub fn Modal(
    /// Extra classes of the dialog panel.
    #[prop(into, optional)]
    class: MaybeProp<String>,
    /// Whether the dialog is open; the dialog sets it to false when closed.
    open: RwSignal<bool>,
    /// The title, which also names the dialog.
    #[prop(into)]
    title: Signal<String>,
    /// Keeps the dialog open on backdrop clicks (for forms that would lose input).
    #[prop(into, optional)]
    keep_open_on_backdrop: bool,
    /// Buttons at the bottom.
    #[prop(optional)]
    footer: Option<ChildrenFn>,
    /// The body.
    children: ChildrenFn,
) -> impl IntoView {
    mount_style("dialog", DIALOG_CSS);
    view! {
        <DialogSurface
            kind="ts-modal"
            modifier=Signal::derive(|| None)
            class
            open
            title
            close_on_backdrop=!keep_open_on_backdrop
            footer
            children
        />
    }
}
