//! `EmptyState`: what a list shows when it has nothing yet ("Your cart is empty"), with an
//! optional action. Never used for failures: that is `ErrorState`.

use leptos::prelude::*;

use crate::error_state::StateTitle;
use crate::icon::{Icon, IconName};
use crate::util::{mount_style, with_extra_class};

#[cfg(feature = "stories")]
pub(crate) mod story;

/// A friendly empty list.
#[component]
pub fn EmptyState(
    /// Extra classes.
    #[prop(into, optional)]
    class: MaybeProp<String>,
    /// The headline.
    #[prop(into)]
    title: Signal<String>,
    /// One sentence on what to do next.
    #[prop(into, optional)]
    description: MaybeProp<String>,
    /// The icon; a shopping bag when absent.
    #[prop(into, optional)]
    icon: MaybeProp<IconName>,
    /// The state is all the page shows, so its title is the page's `h1`.
    #[prop(optional)]
    page: bool,
    /// An action, such as a button back to the shop.
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    mount_style("state", include_str!("../error_state/style.css"));
    let state_class = with_extra_class("ts-state ts-empty-state", class);
    view! {
        <section class=state_class>
            <Icon class="ts-state__icon" name=Signal::derive(move || icon.get().unwrap_or(IconName::Bag))/>
            <StateTitle page>{move || title.get()}</StateTitle>
            {move || description.get().map(|description| view! { <p class="ts-state__description">{description}</p> })}
            {children.map(|children| view! { <div class="ts-state__actions">{children()}</div> })}
        </section>
    }
}
