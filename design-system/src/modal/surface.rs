//! The dialog machinery `Modal` and `Drawer` share: the backdrop, `role="dialog"` with
//! `aria-modal`, the title wiring, focus moved in on open, Tab trapped inside, Escape to close,
//! the page behind locked (no scrolling, `inert`) while open, and focus returned to the element
//! that opened it. Never portals out of the app's element,
//! so the dialog keeps the theme tokens of its `ThemeProvider`.

use leptos::html;
use leptos::prelude::*;
use web_sys::{HtmlElement, KeyboardEvent};

use crate::a11y::{BackgroundLock, active_element, focusable_elements, trap_tab};
use crate::button::ButtonVariant;
use crate::icon::IconName;
use crate::icon_button::IconButton;
use crate::util::{class_names, unique_id};

/// A modal dialog surface; `kind` is the block name (`ts-modal`, `ts-drawer`).
#[component]
pub(crate) fn DialogSurface(
    /// The block class, for example "ts-modal".
    kind: &'static str,
    /// Extra modifier classes of the panel.
    modifier: Signal<Option<String>>,
    /// Extra classes.
    class: MaybeProp<String>,
    /// Whether the dialog is shown.
    open: RwSignal<bool>,
    /// The title.
    title: Signal<String>,
    /// Closes when the backdrop is clicked.
    close_on_backdrop: bool,
    /// The body.
    children: ChildrenFn,
    /// Buttons at the bottom.
    footer: Option<ChildrenFn>,
) -> impl IntoView {
    let title_id = unique_id("dialog-title");
    let panel_ref = NodeRef::<html::Div>::new();
    let opener = StoredValue::new_local(None::<HtmlElement>);
    let background = StoredValue::new_local(None::<BackgroundLock>);
    let release_background = move || {
        if let Some(lock) = background.try_update_value(Option::take).flatten() {
            lock.release();
        }
    };
    // Remember who had focus when the dialog opens, move focus in once the panel exists, and
    // give it back on close.
    Effect::new(move |was_open: Option<bool>| {
        let is_open = open.get();
        let was_open = was_open.unwrap_or(false);
        if is_open && !was_open {
            opener.set_value(active_element());
        }
        if !is_open && was_open {
            // Before focusing the opener: an inert element cannot take focus.
            release_background();
            if let Some(opener) = opener.get_value() {
                let _ = opener.focus();
            }
            opener.set_value(None);
        }
        is_open
    });
    // Lock the page once the panel is in the DOM (its ancestors decide what becomes inert).
    Effect::new(move |_| {
        if let Some(panel) = panel_ref.get()
            && open.get()
            && background.with_value(Option::is_none)
        {
            background.set_value(Some(BackgroundLock::engage(&panel)));
        }
    });
    // Unmounted while open (a route change): still give the page back. Cleanups run before the
    // stored value is disposed.
    on_cleanup(release_background);
    Effect::new(move |_| {
        if let Some(panel) = panel_ref.get() {
            let first = focusable_elements(&panel).into_iter().next();
            match first {
                Some(first) => {
                    let _ = first.focus();
                }
                None => {
                    let _ = panel.focus();
                }
            }
        }
    });
    let handle_keydown = move |event: KeyboardEvent| {
        if event.key() == "Escape" {
            event.prevent_default();
            event.stop_propagation();
            open.set(false);
            return;
        }
        if let Some(panel) = panel_ref.get_untracked() {
            trap_tab(&panel, &event);
        }
    };
    let panel_class = move || {
        let extra = class.get();
        let modifier = modifier.get();
        class_names([Some(kind), modifier.as_deref(), extra.as_deref()])
    };
    let title_id_for_panel = title_id.clone();
    view! {
        <Show when=move || open.get()>
            <div
                class="ts-dialog__backdrop"
                on:click=move |_| {
                    if close_on_backdrop {
                        open.set(false);
                    }
                }
            ></div>
            <div
                class=panel_class
                role="dialog"
                aria-modal="true"
                aria-labelledby=title_id_for_panel.clone()
                tabindex="-1"
                node_ref=panel_ref
                on:keydown=handle_keydown
            >
                <div class="ts-dialog__header">
                    <h2 class="ts-dialog__title" id=title_id.clone()>{move || title.get()}</h2>
                    <IconButton
                        icon=IconName::Close
                        label="Close"
                        variant=ButtonVariant::Subtle
                        on_click=move |_| open.set(false)
                    />
                </div>
                <div class="ts-dialog__body">{children()}</div>
                {footer.clone().map(|footer| view! { <div class="ts-dialog__footer">{footer()}</div> })}
            </div>
        </Show>
    }
}
