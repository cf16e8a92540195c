//! Step 5: the card. Checked inline, then sent to the vault's tokenisation endpoint only; the
//! checkout keeps just the token and a label such as "Visa ending 4242".

use design_system::{Button, ButtonType, ButtonVariant, TextField, use_field_errors};
use leptos::prelude::*;

use super::{Flow, Step};
use crate::api;
use crate::card::{CardForm, brand_name};

fn this_month() -> (i32, i32) {
    let now = js_sys::Date::new_0();
    (now.get_full_year() as i32, now.get_month() as i32 + 1)
}

#[component]
pub fn PaymentStep(flow: Flow) -> impl IntoView {
    let field_errors = use_field_errors().unwrap_or_default();
    let number = RwSignal::new(String::new());
    let exp_month = RwSignal::new(String::new());
    let exp_year = RwSignal::new(String::new());
    let cvc = RwSignal::new(String::new());
    let holder_name = RwSignal::new(String::new());
    let tokenize = micro_app::task(move |card: &api_client::types::CardDetails| {
        let card = card.clone();
        async move {
            match api::tokenize_card(&card).await {
                Ok(token) => {
                    let label = format!("{} ending {}", brand_name(token.brand), token.last4);
                    flow.update_saved(|saved| {
                        saved.payment_token = Some(token.token);
                        saved.card_label = Some(label);
                        // A new card is a new purchase attempt.
                        saved.idempotency_key = None;
                    });
                    flow.notice.set(None);
                    flow.step.set(Step::Review);
                }
                Err(api::Failure {
                    mut fields,
                    message,
                    ..
                }) => {
                    // A failure that names no field (the network, say) still needs saying.
                    if fields.is_empty() {
                        fields.push(("number".to_owned(), message));
                    }
                    field_errors.replace_all(fields);
                }
            }
            // The number never outlives the request.
            number.set(String::new());
            cvc.set(String::new());
        }
    });
    view! {
        <form
            class="tck-form tck-card"
            novalidate
            on:submit=move |event| {
                event.prevent_default();
                let form = CardForm {
                    number: number.get_untracked(),
                    exp_month: exp_month.get_untracked(),
                    exp_year: exp_year.get_untracked(),
                    cvc: cvc.get_untracked(),
                    holder_name: holder_name.get_untracked(),
                };
                match form.check(this_month()) {
                    Ok(card) => {
                        field_errors.replace_all(Vec::<(String, String)>::new());
                        tokenize.dispatch(card);
                    }
                    Err(problems) => field_errors.replace_all(problems),
                }
            }
        >
            <h2 class="tck-subtitle">"Payment"</h2>
            <p class="tck-hint">"Your card details go straight to our payment vault; we only keep a token."</p>
            <TextField label="Card number" name="number" value=number autocomplete="cc-number" inputmode="numeric" required=true/>
            <div class="tck-card__row">
                <TextField label="Expiry month (MM)" name="expMonth" value=exp_month autocomplete="cc-exp-month" inputmode="numeric" required=true/>
                <TextField label="Expiry year (YYYY)" name="expYear" value=exp_year autocomplete="cc-exp-year" inputmode="numeric" required=true/>
                <TextField label="Security code" name="cvc" value=cvc autocomplete="cc-csc" inputmode="numeric" required=true/>
            </div>
            <TextField label="Name on card" name="holderName" value=holder_name autocomplete="cc-name" required=true/>
            <div class="tck-actions">
                <Button variant=ButtonVariant::Primary button_type=ButtonType::Submit loading=tokenize.pending()>
                    "Continue to review"
                </Button>
            </div>
        </form>
    }
}
