//! `Pagination`: previous and next page buttons around "Page N", in a labelled `nav`. For
//! listings paged by the server with a cursor, where the number of pages is not known: the
//! caller says whether there is a next page and keeps the cursors.

use leptos::prelude::*;

use crate::button::{Button, ButtonSize, ButtonVariant};
use crate::util::{mount_style, with_extra_class};

#[cfg(feature = "stories")]
pub(crate) mod story;

/// Previous / next paging controls.
#[component]
pub fn Pagination(
    /// Extra classes.
    #[prop(into, optional)]
    class: MaybeProp<String>,
    /// Names the navigation ("Listings pages").
    #[prop(into)]
    label: Signal<String>,
    /// The page shown, from 1.
    #[prop(into)]
    page: Signal<usize>,
    /// Whether a next page exists.
    #[prop(into)]
    has_next: Signal<bool>,
    /// Disables both buttons while a page loads.
    #[prop(into, optional)]
    busy: Signal<bool>,
    /// Asked for the previous page.
    on_previous: Callback<()>,
    /// Asked for the next page.
    on_next: Callback<()>,
) -> impl IntoView {
    mount_style("pagination", include_str!("style.css"));
    let nav_class = with_extra_class("ts-pagination", class);
    view! {
        <nav class=nav_class aria-label=move || label.get()>
            <Button
                variant=ButtonVariant::Secondary
                size=ButtonSize::Small
                disabled=Signal::derive(move || page.get() <= 1 || busy.get())
                on_click=Callback::new(move |_| on_previous.run(()))
            >
                "Previous"
            </Button>
            <span class="ts-pagination__page" aria-live="polite">
                {move || format!("Page {}", page.get())}
            </span>
            <Button
                variant=ButtonVariant::Secondary
                size=ButtonSize::Small
                disabled=Signal::derive(move || !has_next.get() || busy.get())
                on_click=Callback::new(move |_| on_next.run(()))
            >
                "Next"
            </Button>
        </nav>
    }
}
