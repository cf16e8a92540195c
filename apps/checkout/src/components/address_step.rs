//! Step 3: the shipping address, laid out and labelled for the chosen country, checked inline
//! with the server's rules before it is sent; the server's own field errors land on the fields.
//! A signed-in customer can start from a saved address and save the one entered.

use api_client::types::{Address, CheckoutAddresses};
use design_system::{
    Button, ButtonType, ButtonVariant, Checkbox, Select, SelectOption, TextField, TextFieldType,
    Tone, use_field_errors,
};
use leptos::prelude::*;

use super::{Flow, Step};
use crate::address::{self, COUNTRIES, Field, Region};
use crate::api;

#[derive(Clone, Copy)]
struct AddressForm {
    country: RwSignal<String>,
    name: RwSignal<String>,
    line1: RwSignal<String>,
    line2: RwSignal<String>,
    city: RwSignal<String>,
    region: RwSignal<String>,
    postal_code: RwSignal<String>,
    phone: RwSignal<String>,
}

impl AddressForm {
    fn from(address: Option<Address>) -> Self {
        let address = address.unwrap_or_else(|| Address {
            city: String::new(),
            country: "US".into(),
            line1: String::new(),
            line2: None,
            name: String::new(),
            phone: None,
            postal_code: String::new(),
            region: None,
        });
        AddressForm {
            country: RwSignal::new(address.country),
            name: RwSignal::new(address.name),
            line1: RwSignal::new(address.line1),
            line2: RwSignal::new(address.line2.unwrap_or_default()),
            city: RwSignal::new(address.city),
            region: RwSignal::new(address.region.unwrap_or_default()),
            postal_code: RwSignal::new(address.postal_code),
            phone: RwSignal::new(address.phone.unwrap_or_default()),
        }
    }

    /// Puts a saved address in the fields.
    fn fill(&self, address: &Address) {
        self.country.set(address.country.clone());
        self.name.set(address.name.clone());
        self.line1.set(address.line1.clone());
        self.line2.set(address.line2.clone().unwrap_or_default());
        self.city.set(address.city.clone());
        self.region.set(address.region.clone().unwrap_or_default());
        self.postal_code.set(address.postal_code.clone());
        self.phone.set(address.phone.clone().unwrap_or_default());
    }

    fn signal(&self, field: Field) -> RwSignal<String> {
        match field {
            Field::Name => self.name,
            Field::Line1 => self.line1,
            Field::Line2 => self.line2,
            Field::City => self.city,
            Field::Region => self.region,
            Field::PostalCode => self.postal_code,
        }
    }

    fn address(&self) -> Address {
        let optional = |text: String| Some(text.trim().to_owned()).filter(|text| !text.is_empty());
        let country = address::country(&self.country.get_untracked());
        Address {
            city: self.city.get_untracked().trim().to_owned(),
            country: country.code.to_owned(),
            line1: self.line1.get_untracked().trim().to_owned(),
            line2: optional(self.line2.get_untracked()),
            name: self.name.get_untracked().trim().to_owned(),
            phone: optional(self.phone.get_untracked()),
            // UK postcodes are written in capitals.
            postal_code: self.postal_code.get_untracked().trim().to_ascii_uppercase(),
            region: if country.uses(Field::Region) {
                optional(self.region.get_untracked())
            } else {
                None
            },
        }
    }
}

#[component]
pub fn AddressStep(flow: Flow) -> impl IntoView {
    let field_errors = use_field_errors().unwrap_or_default();
    let form = AddressForm::from(
        flow.checkout
            .get_untracked()
            .and_then(|checkout| checkout.shipping_address),
    );
    let signed_in = flow.customer.get_untracked().is_some();
    let book = micro_app::load(move || async move {
        if signed_in {
            api::saved_addresses().await.unwrap_or_default()
        } else {
            Vec::new()
        }
    });
    let chosen = RwSignal::new(String::new());
    let save_to_book = RwSignal::new(false);
    // A saved address brings its own region: the country change it makes must not clear it.
    let filling = StoredValue::new(false);
    Effect::new(move |_| {
        let id = chosen.get();
        if let Some(saved) = book
            .get()
            .into_iter()
            .flatten()
            .find(|saved| saved.id == id)
        {
            filling.set_value(true);
            form.fill(&saved.address);
        }
    });
    let save = micro_app::task(move |address: &Address| {
        let keep = save_to_book.get_untracked();
        let address = address.clone();
        let addresses = CheckoutAddresses {
            billing_address: None,
            shipping_address: address.clone(),
        };
        async move {
            flow.submit_step(
                Step::Shipping,
                field_errors,
                "shippingAddress.line1",
                |id| async move { api::update_addresses(&id, &addresses).await },
            )
            .await;
            // The step is done once the checkout took the address; saving it is a bonus.
            if keep
                && flow.step.get_untracked() == Step::Shipping
                && let Err(failure) = api::save_address(&address).await
            {
                flow.say(
                    Tone::Warning,
                    format!(
                        "This order uses your address, but it was not saved: {}",
                        failure.message
                    ),
                );
            }
        }
    });
    let saved_choice = move || {
        let options: Vec<SelectOption> = book
            .get()
            .into_iter()
            .flatten()
            .map(|saved| SelectOption::new(saved.id.clone(), address::one_line(&saved.address)))
            .collect();
        (!options.is_empty()).then(|| {
            view! {
                <Select label="Saved addresses" name="savedAddress" value=chosen options placeholder="Choose a saved address…"/>
            }
        })
    };
    let countries: Vec<SelectOption> = COUNTRIES
        .iter()
        .map(|country| SelectOption::new(country.code, country.name))
        .collect();
    let fields = move || {
        let country = address::country(&form.country.get());
        country
            .fields
            .iter()
            .filter(|field| country.uses(**field))
            .map(|field| {
                let field = *field;
                let name = format!("shippingAddress.{}", field.name());
                let label = country.label(field);
                let value = form.signal(field);
                match (field, &country.region) {
                    (Field::Region, Region::Choice(_, choices)) => {
                        let options: Vec<SelectOption> = choices
                            .iter()
                            .map(|(value, label)| SelectOption::new(*value, *label))
                            .collect();
                        view! {
                            <Select label name value options placeholder="Choose…" autocomplete=field.autocomplete() required=true/>
                        }
                        .into_any()
                    }
                    _ => {
                        let hint = (field == Field::PostalCode).then_some(country.postal_hint);
                        let required = !matches!(field, Field::Line2 | Field::Region);
                        view! {
                            <TextField
                                label
                                name
                                value
                                autocomplete=field.autocomplete()
                                hint=hint.map(str::to_owned)
                                required
                            />
                        }
                        .into_any()
                    }
                }
            })
            .collect_view()
    };
    // A different country means different regions: a state is not a prefecture.
    Effect::new(move |previous: Option<String>| {
        let country = form.country.get();
        if filling.get_value() {
            filling.set_value(false);
        } else if previous.is_some_and(|previous| previous != country) {
            form.region.set(String::new());
            field_errors.replace_all(Vec::<(String, String)>::new());
        }
        country
    });
    view! {
        <form
            class="tck-form"
            novalidate
            on:submit=move |event| {
                event.prevent_default();
                let address = form.address();
                let problems = address::problems(&address);
                if problems.is_empty() {
                    save.dispatch(address);
                } else {
                    field_errors.replace_all(problems);
                }
            }
        >
            <h2 class="tck-subtitle">"Shipping address"</h2>
            {saved_choice}
            <Select
                label="Country"
                name="shippingAddress.country"
                value=form.country
                options=countries
                autocomplete="shipping country"
                required=true
            />
            {fields}
            <TextField
                label="Phone (optional)"
                name="shippingAddress.phone"
                value=form.phone
                input_type=TextFieldType::Tel
                autocomplete="shipping tel"
                hint="Only for delivery questions."
            />
            {signed_in.then(|| view! {
                <Checkbox label="Save this address to my account" name="saveAddress" checked=save_to_book/>
            })}
            <div class="tck-actions">
                <Button variant=ButtonVariant::Primary button_type=ButtonType::Submit loading=save.pending()>
                    "Continue to delivery"
                </Button>
            </div>
        </form>
    }
}
