//! Consent per purpose: a box each, saved together; every change is recorded (with the time) in
//! the home region and takes effect for the next mail. The history lists every decision.

use api_client::types::{ConsentPurpose, Consents};
use design_system::{Button, ButtonType, ButtonVariant, Checkbox, ErrorState, Skeleton};
use leptos::prelude::*;

use crate::api;

const PURPOSES: [(ConsentPurpose, &str, &str); 3] = [
    (
        ConsentPurpose::OrderUpdates,
        "Order updates by email",
        "A mail when an order of yours is confirmed.",
    ),
    (
        ConsentPurpose::MarketingEmail,
        "Marketing email",
        "Recommendations after you order. Withdraw any time: no marketing mail goes out after that.",
    ),
    (
        ConsentPurpose::Personalisation,
        "Personalisation",
        "Use what you bought to suggest products.",
    ),
];

fn granted(consents: &Consents, purpose: ConsentPurpose) -> bool {
    consents
        .current
        .iter()
        .any(|consent| consent.purpose == purpose && consent.granted)
}

#[component]
pub fn ConsentChoices() -> impl IntoView {
    let loaded = micro_app::load(api::consents);
    view! {
        <section class="tck-account__section" aria-labelledby="tck-consents">
            <h2 class="tck-subtitle" id="tck-consents">"Communication and privacy"</h2>
            {move || match loaded.get() {
                None => view! { <Skeleton width="100%" height="6rem"/> }.into_any(),
                Some(Err(failure)) => view! {
                    <ErrorState title="We couldn't load your choices" detail=failure.message on_retry=Callback::new(move |()| loaded.refetch())/>
                }.into_any(),
                Some(Ok(consents)) => view! { <Choices consents/> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn Choices(consents: Consents) -> impl IntoView {
    let current = RwSignal::new(consents);
    let boxes =
        PURPOSES.map(|(purpose, _, _)| RwSignal::new(granted(&current.get_untracked(), purpose)));
    let status = RwSignal::new(None::<String>);
    let save = micro_app::task(move |changes: &Vec<(ConsentPurpose, bool)>| {
        let changes = changes.clone();
        async move {
            for (purpose, wanted) in changes {
                match api::set_consent(purpose, wanted).await {
                    Ok(consents) => current.set(consents),
                    Err(failure) => {
                        status.set(Some(failure.message));
                        return;
                    }
                }
            }
            status.set(Some("Your choices are saved.".into()));
        }
    });
    let rows = PURPOSES
        .iter()
        .zip(boxes)
        .map(|((purpose, label, hint), checked)| {
            view! { <Checkbox label=*label name=purpose.to_string() checked hint=*hint/> }
        })
        .collect_view();
    let history = move || {
        current
            .get()
            .history
            .into_iter()
            .map(|change| {
                let label = PURPOSES
                    .iter()
                    .find(|(purpose, _, _)| *purpose == change.purpose)
                    .map_or("", |(_, label, _)| *label);
                let verb = if change.granted { "given" } else { "withdrawn" };
                view! { <li>{format!("{label}: {verb} on {}", change.at)}</li> }
            })
            .collect_view()
    };
    view! {
        <form
            class="tck-form"
            data-form="consents"
            on:submit=move |event| {
                event.prevent_default();
                status.set(None);
                let now = current.get_untracked();
                let changes: Vec<(ConsentPurpose, bool)> = PURPOSES
                    .iter()
                    .zip(boxes)
                    .map(|((purpose, _, _), checked)| (*purpose, checked.get_untracked()))
                    .filter(|(purpose, wanted)| granted(&now, *purpose) != *wanted)
                    .collect();
                save.dispatch(changes);
            }
        >
            {rows}
            <div class="tck-actions">
                <Button variant=ButtonVariant::Primary button_type=ButtonType::Submit loading=save.pending()>"Save choices"</Button>
            </div>
            <p class="tck-account__status" role="status" data-state="consents">{move || status.get()}</p>
            <details class="tck-account__history">
                <summary>"Every decision"</summary>
                <ul>{history}</ul>
            </details>
        </form>
    }
}
