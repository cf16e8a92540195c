//! Step 4: how the order travels, from the options the server offers for the address.

use design_system::{
    Button, ButtonType, ButtonVariant, ErrorState, RadioGroup, RadioOption, Skeleton,
    use_field_errors,
};
use leptos::prelude::*;

use super::summary::money;
use super::{Flow, Step};
use crate::api;

#[component]
pub fn ShippingStep(flow: Flow) -> impl IntoView {
    let field_errors = use_field_errors().unwrap_or_default();
    let chosen = RwSignal::new(
        flow.checkout
            .get_untracked()
            .and_then(|checkout| checkout.shipping_option.map(|option| option.id))
            .unwrap_or_default(),
    );
    let options = micro_app::load(move || async move {
        let id = flow.checkout_id().unwrap_or_default();
        api::list_shipping_options(&id)
            .await
            .map_err(|error| error.message)
    });
    let save = micro_app::task(move |option: &String| {
        let option = option.clone();
        async move {
            flow.submit_step(
                Step::Payment,
                field_errors,
                "shippingOptionId",
                |id| async move { api::select_shipping_option(&id, &option).await },
            )
            .await
        }
    });
    view! {
        <form
            class="tck-form"
            on:submit=move |event| {
                event.prevent_default();
                let option = chosen.get_untracked();
                if option.is_empty() {
                    field_errors.set("shippingOptionId", "choose how your order is delivered");
                } else {
                    save.dispatch(option);
                }
            }
        >
            <h2 class="tck-subtitle">"Delivery"</h2>
            {move || match options.get() {
                    None => view! { <Skeleton width="100%" height="8rem"/> }.into_any(),
                    Some(Ok(items)) => {
                        if chosen.get_untracked().is_empty()
                            && let Some(first) = items.first()
                        {
                            chosen.set(first.id.clone());
                        }
                        let radios: Vec<RadioOption> = items
                            .iter()
                            .map(|option| RadioOption {
                                value: option.id.clone(),
                                label: format!("{} — {}", option.label, money(&option.price)),
                                hint: Some(format!(
                                    "{} to {} business days",
                                    option.min_delivery_days, option.max_delivery_days
                                )),
                            })
                            .collect();
                        view! {
                            <RadioGroup label="Delivery option" name="shippingOptionId" options=radios value=chosen required=true/>
                        }.into_any()
                    }
                    Some(Err(message)) => view! {
                        <ErrorState title="We couldn't load delivery options" detail=message on_retry=Callback::new(move |()| options.refetch())/>
                    }.into_any(),
            }}
            <div class="tck-actions">
                <Button variant=ButtonVariant::Primary button_type=ButtonType::Submit loading=save.pending()>
                    "Continue to payment"
                </Button>
            </div>
        </form>
    }
}
