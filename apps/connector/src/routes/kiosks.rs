//! The kiosks' kill switch: whether in-store kiosks serve shoppers, what a closed kiosk says, who
//! set it and when, and the counter where kiosk orders are collected. Closing asks for the message shoppers will read (kept in the audit trail as
//! the reason); reopening asks why. Kiosks take the change at their next policy read, at the
//! latest when they reconnect or sync.

use api_client::types::KioskPolicy;
use design_system::{Alert, Badge, Button, ButtonVariant, Tone};
use leptos::prelude::*;

use crate::api;
use crate::components::{PickupAddressForm, ReasonDialog, counter_line};
use crate::format;
use crate::session::operator;

fn state_of(policy: &KioskPolicy) -> (Tone, &'static str) {
    if policy.open {
        (Tone::Success, "Open")
    } else {
        (Tone::Danger, "Closed")
    }
}

#[component]
pub fn KiosksPage() -> impl IntoView {
    micro_app::page_title("Kiosks · Tessera ops");
    let operator = operator();
    let loaded = {
        let operator = operator.clone();
        micro_app::load(move || {
            let operator = operator.clone();
            async move {
                api::kiosk_policy(&operator.token)
                    .await
                    .map_err(|failure| operator.failed(&failure))
            }
        })
    };
    let notice = RwSignal::new(None::<(Tone, String)>);
    let dialog_open = RwSignal::new(false);
    let dialog_failure = RwSignal::new(None::<(String, Option<String>)>);
    // Whether the dialog closes (true) or reopens (false) the kiosks.
    let closing = RwSignal::new(true);
    let change = {
        let operator = operator.clone();
        micro_app::task(move |text: &String| {
            let (operator, text, close) = (operator.clone(), text.clone(), closing.get_untracked());
            async move {
                match api::set_kiosk_policy(&operator.token, !close, &text).await {
                    Ok(_) => {
                        dialog_open.set(false);
                        notice.set(Some((
                            Tone::Success,
                            if close {
                                "Every kiosk closes at its next policy read.".into()
                            } else {
                                "Every kiosk reopens at its next policy read.".into()
                            },
                        )));
                        loaded.refetch();
                    }
                    Err(failure) => {
                        let message = operator.failed(&failure);
                        dialog_failure.set(Some((message, failure.field("message"))));
                    }
                }
            }
        })
    };
    let can_act = operator.can_act();
    let ask = move |close: bool| {
        closing.set(close);
        dialog_failure.set(None);
        dialog_open.set(true);
    };
    view! {
        <h1>"Kiosks"</h1>
        {move || notice.get().map(|(tone, text)| view! { <Alert tone>{text}</Alert> })}
        {move || match loaded.get() {
            None => view! { <p>"Loading…"</p> }.into_any(),
            Some(Err(message)) => view! { <Alert tone=Tone::Danger>{message}</Alert> }.into_any(),
            Some(Ok(policy)) => {
                let (tone, label) = state_of(&policy);
                let open = policy.open;
                view! {
                    <section class="tco-kiosks" data-open=open.to_string()>
                        <p>"In-store kiosks are " <Badge tone>{label}</Badge></p>
                        {policy.message.clone().filter(|_| !open).map(|message| view! { <p>{format!("Kiosks say: “{message}”")}</p> })}
                        <p class="tco-kiosks__pickup">{match &policy.pickup_address {
                            Some(address) => format!("Orders are collected at {}.", counter_line(address)),
                            None => "No pickup counter yet: kiosk orders wait on the kiosks until one is set.".to_owned(),
                        }}</p>
                        <p>{match (policy.updated_at.clone(), policy.updated_by.clone()) {
                            (Some(at), Some(by)) => format!("Last set by {by}, {}.", format::time(Some(&at))),
                            _ => "Never closed.".to_owned(),
                        }}</p>
                        {can_act.then(|| if open {
                            view! {
                                <Button variant=ButtonVariant::Danger on_click=Callback::new(move |_| ask(true))>
                                    "Close every kiosk"
                                </Button>
                            }.into_any()
                        } else {
                            view! {
                                <Button on_click=Callback::new(move |_| ask(false))>"Reopen kiosks"</Button>
                            }.into_any()
                        })}
                    </section>
                    {can_act.then(|| view! {
                        <PickupAddressForm policy on_saved=Callback::new(move |()| {
                            notice.set(Some((Tone::Success, "Kiosks show the new pickup counter from their next policy read.".into())));
                            loaded.refetch();
                        })/>
                    })}
                }
                .into_any()
            }
        }}
        <ReasonDialog
            open=dialog_open
            title=Signal::derive(move || if closing.get() { "Close every kiosk?".to_owned() } else { "Reopen every kiosk?".to_owned() })
            label=Signal::derive(move || if closing.get() { "Message for shoppers".to_owned() } else { "Reason".to_owned() })
            confirm="Confirm"
            description="Kiosks take it at their next policy read: at the latest when they reconnect or sync. Closing shows your message to shoppers instead of the shop; the audit trail keeps it."
            busy=change.pending()
            failure=dialog_failure
            on_confirm=Callback::new(move |text: String| change.dispatch(text))
            destructive=true
        />
    }
}
