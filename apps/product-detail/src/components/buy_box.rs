//! Price, availability, option pickers, quantity and add to cart for one product (on a kiosk:
//! buy here, which the kiosk module completes). The chosen variant goes out through `chosen`;
//! what the page does with it (URL, head) is the route's.

use api_client::types::{Product, Variant};
use design_system::{
    Alert, Button, ButtonVariant, OptionPicker, PickerOption, Price, QuantityStepper, Swatches,
    Tone,
};
use leptos::prelude::*;
use micro_app::AppEvent;

use crate::cart;
use crate::components::AvailabilityNote;
use crate::selection::{self, Choices};

#[derive(Clone, Debug, PartialEq)]
enum AddOutcome {
    Added(String),
    Failed(String),
}

#[component]
pub fn BuyBox(
    product: Product,
    requested_variant: Option<String>,
    /// The API is unreachable and this is a kept copy: adding is paused.
    paused: bool,
    /// The gallery's shown picture, moved to the chosen variant's.
    shown_media: RwSignal<usize>,
    /// The variant the options name, kept up to date for the page.
    chosen: RwSignal<Option<Variant>>,
) -> impl IntoView {
    let product = StoredValue::new(product);
    let initial = product
        .with_value(|product| selection::initial_choices(product, requested_variant.as_deref()));
    let pickers: Vec<(String, RwSignal<Option<String>>)> = initial
        .into_iter()
        .map(|(option, value)| (option, RwSignal::new(value)))
        .collect();
    let pickers = StoredValue::new(pickers);
    let choices = Memo::new(move |_| -> Choices {
        pickers.with_value(|pickers| {
            pickers
                .iter()
                .map(|(option, value)| (option.clone(), value.get()))
                .collect()
        })
    });
    let variant = Memo::new(move |_| -> Option<Variant> {
        product.with_value(|product| {
            choices.with(|choices| selection::chosen_variant(product, choices).cloned())
        })
    });

    // A choice that leaves a later option without stock (a colour sold out in the chosen size)
    // moves that option to the nearest value in stock, and says so. Not on opening: a link to a
    // sold-out variant shows that variant.
    let moved = RwSignal::new(None::<String>);
    let settling = StoredValue::new(false);
    Effect::new(move |opened: Option<()>| {
        let current = choices.get();
        if opened.is_none() {
            return;
        }
        if settling.get_value() {
            settling.set_value(false);
            return;
        }
        let (settled, moves) = product.with_value(|product| selection::settle(product, &current));
        moved.set(
            moves
                .iter()
                .map(selection::Moved::message)
                .reduce(|all, next| format!("{all} {next}")),
        );
        if !moves.is_empty() {
            settling.set_value(true);
            pickers.with_value(|pickers| {
                for ((_, picker), (_, value)) in pickers.iter().zip(settled) {
                    if picker.get_untracked() != value {
                        picker.set(value);
                    }
                }
            });
        }
    });

    let quantity = RwSignal::new(1_u32);
    // Units of each variant the cart holds, as of our last add: stock minus these can be added.
    let in_cart = RwSignal::new(Vec::<(String, u32)>::new());
    let max_quantity = Memo::new(move |_| {
        variant.with(|variant| {
            variant.as_ref().map_or(0, |variant| {
                let held = in_cart.with(|lines| {
                    lines
                        .iter()
                        .find(|(id, _)| *id == variant.id)
                        .map_or(0, |(_, units)| *units)
                });
                selection::max_quantity(&variant.availability).saturating_sub(held)
            })
        })
    });
    let sold_out = Memo::new(move |_| {
        variant.with(|variant| {
            variant
                .as_ref()
                .is_none_or(|variant| selection::max_quantity(&variant.availability) == 0)
        })
    });
    // A smaller stock for the new variant lowers the quantity with it.
    Effect::new(move |_| {
        let max = max_quantity.get().max(1);
        if quantity.get_untracked() > max {
            quantity.set(max);
        }
    });

    Effect::new(move |_| {
        let image = variant.with(|variant| variant.as_ref().and_then(|v| v.image.clone()));
        let position = image.and_then(|image| {
            product.with_value(|product| {
                product
                    .media
                    .iter()
                    .position(|media| media.url == image.url)
            })
        });
        if let Some(position) = position {
            shown_media.set(position);
        }
    });

    Effect::new(move |_| chosen.set(variant.get()));

    let outcome = RwSignal::new(None::<AddOutcome>);
    let add = micro_app::task(move |(variant_id, quantity): &(String, u32)| {
        let (variant_id, quantity) = (variant_id.clone(), *quantity);
        async move {
            let before = cart::last_cart_event();
            // Optimistic: the header counts the units now; a failure puts the count back.
            if let Some(AppEvent::CartChanged {
                cart_id,
                version,
                item_count,
            }) = &before
            {
                micro_app::emit(&AppEvent::CartChanged {
                    cart_id: cart_id.clone(),
                    version: *version,
                    item_count: item_count + i32::try_from(quantity).unwrap_or(0),
                });
            }
            match cart::add(&variant_id, quantity).await {
                Ok(cart) => {
                    cart::announce(&cart);
                    in_cart.set(
                        cart.lines
                            .iter()
                            .map(|line| {
                                (
                                    line.variant_id.clone(),
                                    u32::try_from(line.quantity).unwrap_or(0),
                                )
                            })
                            .collect(),
                    );
                    micro_app::emit(&AppEvent::ItemAdded {
                        cart_id: cart.id.clone(),
                        variant_id,
                        quantity: i32::try_from(quantity).unwrap_or(0),
                    });
                    let units = if quantity == 1 { "item" } else { "items" };
                    outcome.set(Some(AddOutcome::Added(format!(
                        "Added {quantity} {units} to your cart."
                    ))));
                }
                Err(message) => {
                    if let Some(before) = &before {
                        micro_app::emit(before);
                    }
                    outcome.set(Some(AddOutcome::Failed(message)));
                }
            }
        }
    });
    let adding = add.pending();
    // On a kiosk the shopper buys here, from the offline copy too: the kiosk module takes the
    // payment and queues the order. The page says so once mounted (never at the edge).
    let kiosk = RwSignal::new(false);
    Effect::new(move |_| kiosk.set(on_kiosk()));
    let can_add = Memo::new(move |_| (!paused || kiosk.get()) && max_quantity.get() > 0);
    let on_add = Callback::new(move |_| {
        let Some(variant) = variant.get_untracked() else {
            return;
        };
        outcome.set(None);
        if kiosk.get_untracked() {
            let sale =
                product.with_value(|product| sale(product, &variant, quantity.get_untracked()));
            micro_app::emit(&sale);
        } else {
            add.dispatch((variant.id, quantity.get_untracked()));
        }
    });

    let pickers_view = pickers.with_value(|pickers| {
        pickers
            .iter()
            .map(|(name, selected)| {
                let name = name.clone();
                let selected = *selected;
                let option = product.with_value(|product| {
                    product
                        .options
                        .iter()
                        .find(|option| option.name == name)
                        .cloned()
                });
                let Some(option) = option else {
                    return ().into_any();
                };
                let is_colour = option.values.iter().any(|value| value.swatch.is_some());
                let choices_for_options = name.clone();
                let options = Signal::derive(move || {
                    let current = choices.get();
                    product.with_value(|product| {
                        option
                            .values
                            .iter()
                            .map(|value| {
                                let mut picker = PickerOption::new(value.value.clone())
                                    .labelled(value.label.clone());
                                if let Some(swatch) = &value.swatch {
                                    picker = picker.with_swatch(swatch.clone());
                                }
                                let available = selection::can_choose(
                                    product,
                                    &current,
                                    &choices_for_options,
                                    &value.value,
                                );
                                if available {
                                    picker
                                } else {
                                    picker.unavailable()
                                }
                            })
                            .collect::<Vec<_>>()
                    })
                });
                let label = product.with_value(|product| {
                    product
                        .options
                        .iter()
                        .find(|option| option.name == name)
                        .map(|option| option.label.clone())
                        .unwrap_or_default()
                });
                if is_colour {
                    view! { <Swatches label options selected name=name/> }.into_any()
                } else {
                    view! { <OptionPicker label options selected name=name/> }.into_any()
                }
            })
            .collect_view()
    });

    view! {
        <div class="tpd-buy" data-variant=move || variant.with(|variant| variant.as_ref().map(|variant| variant.id.clone()))>
            <div class="tpd-buy__price" data-testid="price">
                {move || variant.get().map(|variant| view! {
                    <Price
                        amount_minor=variant.price.amount
                        currency=variant.price.currency.clone()
                        compare_at_minor=variant.compare_at_price.as_ref().map(|price| price.amount)
                    />
                })}
            </div>
            {move || match variant.get() {
                Some(variant) => view! { <AvailabilityNote availability=variant.availability/> }.into_any(),
                None => view! {
                    <p class="tpd-availability tpd-availability--none" data-availability="unavailable">
                        "This combination isn't available. Try another option."
                    </p>
                }.into_any(),
            }}
            <div class="tpd-buy__options">{pickers_view}</div>
            <p class="tpd-buy__moved" role="status" data-moved=move || moved.with(Option::is_some)>
                {move || moved.get()}
            </p>
            <div class="tpd-buy__quantity">
                <QuantityStepper
                    label="Quantity"
                    name="quantity"
                    value=quantity
                    min=1_u32
                    max=Signal::derive(move || max_quantity.get().max(1))
                    disabled=Signal::derive(move || !can_add.get())
                />
            </div>
            <div class="tpd-buy__add">
                <Button
                    variant=ButtonVariant::Primary
                    block=true
                    loading=adding
                    disabled=Signal::derive(move || !can_add.get() || adding.get())
                    on_click=on_add
                >
                    {move || if kiosk.get() && max_quantity.get() > 0 {
                        "Buy here, collect at the counter"
                    } else if paused && !kiosk.get() {
                        "Adding to cart is paused"
                    } else if sold_out.get() {
                        "Sold out"
                    } else if max_quantity.get() == 0 {
                        "All available units are in your cart"
                    } else if adding.get() {
                        "Adding…"
                    } else {
                        "Add to cart"
                    }}
                </Button>
            </div>
            <div class="tpd-buy__outcome" aria-live="polite">
                {move || outcome.get().map(|outcome| match outcome {
                    AddOutcome::Added(message) => view! {
                        <Alert tone=Tone::Success>
                            <span data-outcome="added">{message}</span>
                            " "
                            <a href="/checkout">"Go to checkout"</a>
                        </Alert>
                    }.into_any(),
                    AddOutcome::Failed(message) => view! {
                        <Alert tone=Tone::Danger title="We couldn't add this to your cart">
                            <span data-outcome="failed">{message}</span>
                        </Alert>
                    }.into_any(),
                })}
            </div>
        </div>
    }
}

fn on_kiosk() -> bool {
    document()
        .document_element()
        .is_some_and(|root| root.has_attribute("data-kiosk"))
}

/// What the kiosk is asked to sell: the variant in words (product and option values) and the
/// amount the shopper pays for `quantity` of it.
fn sale(product: &Product, variant: &Variant, quantity: u32) -> AppEvent {
    let options: Vec<&str> = variant
        .option_values
        .iter()
        .map(|value| value.value_label.as_deref().unwrap_or(&value.value))
        .collect();
    let title = if options.is_empty() {
        product.title.clone()
    } else {
        format!("{} — {}", product.title, options.join(" / "))
    };
    AppEvent::KioskSaleRequested {
        variant_id: variant.id.clone(),
        quantity: i32::try_from(quantity).unwrap_or(1),
        title,
        amount: variant.price.amount * i64::from(quantity),
        currency: variant.price.currency.clone(),
    }
}
