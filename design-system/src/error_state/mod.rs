//! `ErrorState`: a region that failed to load, said plainly, with a retry button. Announced
//! with `role="alert"`. Never shows raw error details or stack traces to shoppers.

use leptos::prelude::*;

use crate::button::{Button, ButtonVariant};
use crate::icon::{Icon, IconName};
use crate::util::{mount_style, with_extra_class};

#[cfg(feature = "stories")]
pub(crate) mod story;

/// A failed region with a retry.
#[component]
pub fn ErrorState(
    /// Extra classes.
    #[prop(into, optional)]
    class: MaybeProp<String>,
    /// The headline; "Something went wrong" when absent.
    #[prop(into, optional)]
    title: MaybeProp<String>,
    /// What happened and what still works, in shopper language.
    #[prop(into, optional)]
    detail: MaybeProp<String>,
    /// Called by the "Try again" button; without it there is no button.
    #[prop(into, optional)]
    on_retry: Option<Callback<()>>,
    /// Shows the retry button as busy.
    #[prop(into, optional)]
    retrying: Signal<bool>,
    /// The state is all the page shows, so its title is the page's `h1`.
    #[prop(optional)]
    page: bool,
) -> impl IntoView {
    mount_style("state", include_str!("style.css"));
    let state_class = with_extra_class("ts-state ts-error-state", class);
    view! {
        <section class=state_class role="alert">
            <Icon class="ts-state__icon" name=IconName::Info/>
            <StateTitle page>
                {move || title.get().unwrap_or_else(|| "Something went wrong".to_owned())}
            </StateTitle>
            {move || detail.get().map(|detail| view! { <p class="ts-state__description">{detail}</p> })}
            {on_retry
                .map(|on_retry| {
                    view! {
                        <div class="ts-state__actions">
                            <Button variant=ButtonVariant::Secondary loading=retrying on_click=move |_| on_retry.run(())>
                                "Try again"
                            </Button>
                        </div>
                    }
                })}
        </section>
    }
}

/// The headline of a state: the page's `h1` when the state is the whole page, else an `h2`
/// under the page's own heading.
#[component]
pub(crate) fn StateTitle(page: bool, children: Children) -> impl IntoView {
    if page {
        view! { <h1 class="ts-state__title">{children()}</h1> }.into_any()
    } else {
        view! { <h2 class="ts-state__title">{children()}</h2> }.into_any()
    }
}
