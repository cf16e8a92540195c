//! Step 1: the cart's lines with quantity (bounded by stock) and remove, a promotion code, and the
//! way on, which opens the server's checkout for this version of the cart.

use api_client::types::Cart;
use design_system::{
    Button, ButtonType, ButtonVariant, Image, Price, QuantityStepper, TextField, Tone,
    use_field_errors,
};
use leptos::prelude::*;
use micro_app::AppEvent;

use super::summary::{money, options_text};
use super::{Flow, Step};
use crate::api::{self, Failure};

enum CartChange {
    Quantity(String, u32),
    Remove(String),
    Promotion(String),
}

async fn change(cart: &Cart, change: &CartChange) -> Result<Cart, Failure> {
    match change {
        CartChange::Quantity(line, quantity) => api::update_cart_line(cart, line, *quantity).await,
        CartChange::Remove(line) => api::remove_cart_line(cart, line).await,
        CartChange::Promotion(code) => api::apply_promotion(cart, code).await,
    }
}

fn announce(cart: &Cart) {
    micro_app::emit(&AppEvent::CartChanged {
        cart_id: cart.id.clone(),
        version: cart.version,
        item_count: cart.item_count,
    });
}

#[component]
pub fn CartStep(flow: Flow) -> impl IntoView {
    let field_errors = use_field_errors().unwrap_or_default();
    let update = micro_app::task(move |requested: &CartChange| {
        let requested = match requested {
            CartChange::Quantity(line, quantity) => CartChange::Quantity(line.clone(), *quantity),
            CartChange::Remove(line) => CartChange::Remove(line.clone()),
            CartChange::Promotion(code) => CartChange::Promotion(code.clone()),
        };
        async move {
            let Some(cart) = flow.cart.get_untracked() else {
                return;
            };
            let result = match change(&cart, &requested).await {
                // Another tab changed the cart: apply ours to what it is now.
                Err(error) if error.is_stale() => match api::get_cart(&cart.id).await {
                    Ok(fresh) => change(&fresh, &requested).await,
                    Err(error) => Err(error),
                },
                other => other,
            };
            match result {
                Ok(cart) => {
                    announce(&cart);
                    flow.cart.set(Some(cart));
                    flow.notice.set(None);
                    if let CartChange::Promotion(code) = requested {
                        field_errors.clear_field("code");
                        flow.say(
                            Tone::Success,
                            format!("{} applied.", code.to_ascii_uppercase()),
                        );
                    }
                }
                Err(error) => {
                    if matches!(requested, CartChange::Promotion(_)) {
                        field_errors.set("code", error.message);
                    } else {
                        flow.say(Tone::Danger, error.message);
                    }
                }
            }
        }
    });
    let busy = update.pending();
    let code = RwSignal::new(String::new());
    let starting = RwSignal::new(false);
    let continue_to_contact = move |_| {
        let Some(cart) = flow.cart.get_untracked() else {
            return;
        };
        starting.set(true);
        leptos::task::spawn_local(async move {
            match api::start_checkout(&cart).await {
                Ok(checkout) => {
                    flow.notice.set(None);
                    flow.adopt(checkout);
                    if flow.step.get_untracked() == Step::Cart {
                        flow.step.set(Step::Contact);
                    }
                }
                Err(error) => flow.say(Tone::Danger, error.message),
            }
            starting.set(false);
        });
    };
    view! {
        <h2 class="tck-subtitle">"Your cart"</h2>
        {move || {
            let lines = flow.cart.get().map(|cart| cart.lines).unwrap_or_default();
            view! {
                <ul class="tck-lines">
                    {lines.into_iter().map(|line| {
                        let quantity = RwSignal::new(u32::try_from(line.quantity).unwrap_or(1));
                        let line_id = line.id.clone();
                        let initial = quantity.get_untracked();
                        Effect::new(move |_| {
                            let wanted = quantity.get();
                            if wanted != initial {
                                update.dispatch(CartChange::Quantity(line_id.clone(), wanted));
                            }
                        });
                        let remove_id = line.id.clone();
                        view! {
                            <li class="tck-line" data-line=line.variant_id.clone()>
                                {line.image.clone().map(|image| view! {
                                    <Image src=image.url alt=image.alt width=80_u32 height=80_u32/>
                                })}
                                <div class="tck-line__details">
                                    <a class="tck-line__title" href=format!("/products/{}", line.product_slug)>{line.product_title.clone()}</a>
                                    <p class="tck-line__options">{options_text(&line.option_values)}</p>
                                    <p class="tck-line__price">
                                        <Price amount_minor=line.unit_price.amount currency=line.unit_price.currency.clone() of=line.product_title.clone()/>
                                        " each"
                                    </p>
                                </div>
                                <QuantityStepper
                                    label=format!("Quantity of {}", line.product_title)
                                    name=format!("quantity-{}", line.id)
                                    value=quantity
                                    min=1_u32
                                    max=u32::try_from(line.max_quantity.max(1)).unwrap_or(1)
                                    disabled=busy
                                />
                                <p class="tck-line__total">
                                    <span class="ts-visually-hidden">{format!("Total for {}: ", line.product_title)}</span>
                                    {money(&line.line_total)}
                                </p>
                                <Button
                                    variant=ButtonVariant::Subtle
                                    disabled=busy
                                    on_click=Callback::new(move |_| { update.dispatch(CartChange::Remove(remove_id.clone())); })
                                >
                                    "Remove"
                                </Button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }
        }}
        <form
            class="tck-promo"
            on:submit=move |event| {
                event.prevent_default();
                let entered = code.get_untracked().trim().to_owned();
                if entered.is_empty() {
                    field_errors.set("code", "enter a promotion code");
                } else {
                    update.dispatch(CartChange::Promotion(entered));
                }
            }
        >
            <TextField label="Promotion code" name="code" value=code autocomplete="off"/>
            <Button variant=ButtonVariant::Secondary button_type=ButtonType::Submit loading=busy>"Apply"</Button>
        </form>
        <div class="tck-actions">
            <Button
                variant=ButtonVariant::Primary
                loading=starting
                disabled=Signal::derive(move || busy.get() || flow.cart.with(|cart| cart.as_ref().is_none_or(|cart| cart.lines.is_empty())))
                on_click=Callback::new(continue_to_contact)
            >
                "Continue to contact details"
            </Button>
        </div>
    }
}
