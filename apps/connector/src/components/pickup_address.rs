//! Where kiosk orders are collected: the counter's name and address. Kiosks show it before each
//! sale and their orders ship to it in the card holder's name. Saving leaves the kiosks open or
//! closed as they are; the server's field errors show next to their fields.

use api_client::types::{Address, KioskPolicy};
use design_system::{Alert, Button, ButtonType, TextField, Tone};
use leptos::prelude::*;

use crate::api::{self, Failure};
use crate::session::operator;

/// One line for the counter: its name, street and city.
pub fn counter_line(address: &Address) -> String {
    format!("{}, {}, {}", address.name, address.line1, address.city)
}

#[component]
pub fn PickupAddressForm(policy: KioskPolicy, on_saved: Callback<()>) -> impl IntoView {
    let operator = operator();
    let current = policy.pickup_address.clone();
    let text = |pick: fn(&Address) -> Option<String>| {
        RwSignal::new(current.as_ref().and_then(pick).unwrap_or_default())
    };
    let name = text(|a| Some(a.name.clone()));
    let line1 = text(|a| Some(a.line1.clone()));
    let city = text(|a| Some(a.city.clone()));
    let region = text(|a| a.region.clone());
    let postal_code = text(|a| Some(a.postal_code.clone()));
    let country = RwSignal::new(current.as_ref().map_or("US".into(), |a| a.country.clone()));
    let failure = RwSignal::new(None::<Failure>);
    let save = micro_app::task(move |address: &Address| {
        let (operator, policy, address) = (operator.clone(), policy.clone(), address.clone());
        async move {
            match api::set_kiosk_pickup(&operator.token, &policy, address).await {
                Ok(_) => {
                    failure.set(None);
                    on_saved.run(());
                }
                Err(refused) => {
                    operator.failed(&refused);
                    failure.set(Some(refused));
                }
            }
        }
    });
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let optional = |value: String| Some(value.trim().to_owned()).filter(|v| !v.is_empty());
        save.dispatch(Address {
            name: name.get_untracked().trim().to_owned(),
            line1: line1.get_untracked().trim().to_owned(),
            line2: None,
            city: city.get_untracked().trim().to_owned(),
            region: optional(region.get_untracked()),
            postal_code: postal_code.get_untracked().trim().to_owned(),
            country: country.get_untracked().trim().to_uppercase(),
            phone: None,
        });
    };
    let error = move |field: &'static str| {
        Signal::derive(move || {
            failure
                .get()
                .and_then(|failure| failure.field(&format!("pickupAddress.{field}")))
        })
    };
    view! {
        <form class="tco-pickup" on:submit=submit novalidate>
            <h2>"Pickup counter"</h2>
            <p>"Kiosks show it before each sale; their orders ship to it in the card holder's name."</p>
            <TextField label="Counter name" name="name" value=name required=true error=error("name")/>
            <TextField label="Street" name="line1" value=line1 required=true error=error("line1")/>
            <TextField label="City" name="city" value=city required=true error=error("city")/>
            <TextField label="State or region" name="region" value=region error=error("region")/>
            <TextField label="Postal code" name="postalCode" value=postal_code required=true error=error("postalCode")/>
            <TextField label="Country (two letters)" name="country" value=country required=true error=error("country")/>
            {move || failure.get().map(|failure| view! { <Alert tone=Tone::Danger>{failure.message}</Alert> })}
            <Button button_type=ButtonType::Submit loading=save.pending()>"Save pickup counter"</Button>
        </form>
    }
}
