//! Facet filters: one group per facet the listing answered with (brand, colour, size,
//! availability), each value a checkbox with its count, and a price range. Every change is a new
//! URL (through the shell) at page 1; the counts come from the server, each facet counted over
//! the products the *other* filters leave, so its other values stay choosable.

use api_client::ListProductsQuery;
use api_client::types::{Facet, PriceRange};
use design_system::{Button, ButtonSize, ButtonType, ButtonVariant, currency_fraction_digits};
use leptos::prelude::*;

use crate::routes::{Shown, go};
use crate::url;

#[component]
pub fn Facets(shown: Shown, facets: Vec<Facet>, prices: Option<PriceRange>) -> impl IntoView {
    let filtered = shown.state.with_untracked(url::is_filtered);
    let clear = move |_| {
        go(
            &shown.page.get_untracked(),
            &url::cleared(&shown.state.get_untracked()),
        )
    };
    let active = shown.state.with_untracked(|state| {
        state.brand.len()
            + state.color.len()
            + state.size.len()
            + state.availability.len()
            + usize::from(state.min_price.is_some() || state.max_price.is_some())
    });
    // On narrow screens the filters fold away behind a button so the products come first; on
    // wide screens the stylesheet shows them beside the results and hides the button.
    let open = shown.filters_open;
    view! {
        <div class="tca-facets" class:tca-facets--open=move || open.get()>
            <h2 class="tca-facets__title">"Filter"</h2>
            <button
                class="tca-facets__toggle"
                type="button"
                aria-expanded=move || open.get().to_string()
                aria-controls="tca-facets-body"
                on:click=move |_| open.update(|open| *open = !*open)
            >
                {if active == 0 { "Filter".to_owned() } else { format!("Filter ({active} on)") }}
            </button>
            <div class="tca-facets__body" id="tca-facets-body">
            {filtered.then(|| view! {
                <Button variant=ButtonVariant::Secondary size=ButtonSize::Small on_click=Callback::new(clear)>
                    "Clear filters"
                </Button>
            })}
            {facets
                .into_iter()
                .filter(|facet| !facet.values.is_empty())
                .map(|facet| view! { <FacetGroup shown facet/> })
                .collect_view()}
            <PriceFilter shown prices/>
            </div>
        </div>
    }
}

#[component]
fn FacetGroup(shown: Shown, facet: Facet) -> impl IntoView {
    let name = facet.name.clone();
    view! {
        <fieldset class="tca-facet" data-facet=facet.name.clone()>
            <legend class="tca-facet__legend">{facet.label.clone()}</legend>
            {facet
                .values
                .into_iter()
                .map(|value| {
                    let (name, chosen) = (name.clone(), value.value.clone());
                    let toggle = move |_| {
                        let state = shown.state.get_untracked();
                        go(&shown.page.get_untracked(), &url::toggled(&state, &name, &chosen));
                    };
                    view! {
                        <label class="tca-facet__option" data-value=value.value.clone()>
                            <input
                                class="tca-facet__input"
                                type="checkbox"
                                prop:checked=value.selected
                                on:change=toggle
                            />
                            <span class="tca-facet__label">{value.label}</span>
                            <span class="tca-facet__count">{value.count}</span>
                        </label>
                    }
                })
                .collect_view()}
        </fieldset>
    }
}

/// Minimum and maximum price in whole currency units, applied together.
#[component]
fn PriceFilter(shown: Shown, prices: Option<PriceRange>) -> impl IntoView {
    let currency = prices
        .as_ref()
        .map(|range| range.min.currency.clone())
        .unwrap_or_else(|| "USD".into());
    let unit = 10_i64.pow(currency_fraction_digits(&currency));
    let shown_value = move |minor: Option<i64>| {
        minor
            .map(|minor| (minor / unit).to_string())
            .unwrap_or_default()
    };
    let state = shown.state.get_untracked();
    let min = RwSignal::new(shown_value(state.min_price));
    let max = RwSignal::new(shown_value(state.max_price));
    let to_minor = move |text: String| {
        text.trim()
            .parse::<i64>()
            .ok()
            .filter(|v| *v >= 0)
            .map(|v| v * unit)
    };
    let apply = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let state = shown.state.get_untracked();
        go(
            &shown.page.get_untracked(),
            &ListProductsQuery {
                min_price: to_minor(min.get_untracked()),
                max_price: to_minor(max.get_untracked()),
                page: None,
                ..state
            },
        );
    };
    let placeholder = move |minor: Option<i64>| minor.map(|minor| (minor / unit).to_string());
    view! {
        <form class="tca-facet tca-price" on:submit=apply>
            <fieldset class="tca-price__fields">
                <legend class="tca-facet__legend">{format!("Price ({currency})")}</legend>
                <PriceInput
                    label="From"
                    name="minPrice"
                    value=min
                    placeholder=placeholder(prices.as_ref().map(|range| range.min.amount))
                />
                <PriceInput
                    label="To"
                    name="maxPrice"
                    value=max
                    placeholder=placeholder(prices.as_ref().map(|range| (range.max.amount + unit - 1) / unit * unit))
                />
            </fieldset>
            <Button button_type=ButtonType::Submit variant=ButtonVariant::Secondary size=ButtonSize::Small>
                "Apply"
            </Button>
        </form>
    }
}

#[component]
fn PriceInput(
    label: &'static str,
    name: &'static str,
    value: RwSignal<String>,
    placeholder: Option<String>,
) -> impl IntoView {
    view! {
        <label class="tca-price__field">
            <span>{label}</span>
            <input
                class="tca-price__input"
                type="number"
                name=name
                min="0"
                inputmode="numeric"
                placeholder=placeholder
                prop:value=move || value.get()
                on:input=move |event| value.set(event_target_value(&event))
            />
        </label>
    }
}
