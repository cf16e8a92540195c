//! `Price`: an amount in minor units formatted by the browser's `Intl.NumberFormat`, with an
//! optional compare-at price struck through and the saving spelled out for screen readers and
//! sighted shoppers alike. Never does currency conversion or rounding of its own.

mod format;

pub use format::*;

use leptos::prelude::*;

use crate::util::{class_names, mount_style};

#[cfg(feature = "stories")]
pub(crate) mod story;

/// A price, with an optional compare-at (was) price.
#[component]
pub fn Price(
    /// Extra classes.
    #[prop(into, optional)]
    class: MaybeProp<String>,
    /// The amount in minor units (cents for USD, yen for JPY).
    #[prop(into)]
    amount_minor: Signal<i64>,
    /// ISO 4217 currency code, for example "USD".
    #[prop(into)]
    currency: Signal<String>,
    /// The earlier price in minor units; shown struck through with the saving when higher.
    #[prop(into, optional)]
    compare_at_minor: MaybeProp<i64>,
    /// BCP 47 locale; the browser's own when absent.
    #[prop(into, optional)]
    locale: MaybeProp<String>,
    /// What this is the price of ("Organic Cotton Tee"), said first to screen readers where the
    /// price stands apart from the name.
    #[prop(into, optional)]
    of: MaybeProp<String>,
) -> impl IntoView {
    mount_style("price", include_str!("style.css"));
    let format = move |amount: i64| format_money(amount, &currency.get(), locale.get().as_deref());
    let saving = move || {
        compare_at_minor
            .get()
            .filter(|compare_at| *compare_at > amount_minor.get())
            .map(|compare_at| (compare_at, compare_at - amount_minor.get()))
    };
    let price_class = move || {
        let extra = class.get();
        class_names([
            Some("ts-price"),
            saving().is_some().then_some("ts-price--sale"),
            extra.as_deref(),
        ])
    };
    view! {
        <span class=price_class>
            {move || of.get().map(|of| view! { <span class="ts-visually-hidden">{format!("Price of {of}: ")}</span> })}
            <span class="ts-price__current">
                {move || saving().map(|_| view! { <span class="ts-visually-hidden">"Now "</span> })}
                {move || format(amount_minor.get())}
            </span>
            {move || {
                saving()
                    .map(|(compare_at, saved)| {
                        view! {
                            " "
                            <s class="ts-price__compare-at">
                                <span class="ts-visually-hidden">"was "</span>
                                {format(compare_at)}
                            </s>
                            " "
                            <span class="ts-price__saving">{format!("Save {}", format(saved))}</span>
                        }
                    })
            }}
        </span>
    }
}
