//! `Drawer`: a side panel dialog (mini cart, filters) with the same focus trap, Escape and focus
//! return as `Modal`. Never scrolls the page behind it into view.

mod types;

pub use types::*;

use leptos::prelude::*;

use crate::modal::{DIALOG_CSS, DialogSurface};
use crate::util::mount_style;

#[cfg(feature = "stories")]
pub(crate) mod story;

/// A side panel dialog.
#[component]
pub fn Drawer(
    /// Extra classes of the panel.
    #[prop(into, optional)]
    class: MaybeProp<String>,
    /// Whether the drawer is open; the drawer sets it to false when closed.
    open: RwSignal<bool>,
    /// The title, which also names the dialog.
    #[prop(into)]
    title: Signal<String>,
    /// Which edge it slides from.
    #[prop(into, optional)]
    placement: Signal<DrawerPlacement>,
    /// Buttons at the bottom.
    #[prop(optional)]
    footer: Option<ChildrenFn>,
    /// The body.
    children: ChildrenFn,
) -> impl IntoView {
    mount_style("dialog", DIALOG_CSS);
    let modifier = Signal::derive(move || Some(format!("ts-drawer--{}", placement.get().as_str())));
    view! {
        <DialogSurface
            kind="ts-drawer"
            modifier
            class
            open
            title
            close_on_backdrop=true
            footer
            children
        />
    }
}
