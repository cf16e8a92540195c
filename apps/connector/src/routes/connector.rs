//! One connector: its health, "re-import orders since", and tabs for its listings (filter by
//! state, search by SKU, one server page at a time), its order import log (each with its
//! timeline), its reconciliation runs and its activity per hour.

use api_client::types::ConnectorStatus;
use design_system::{
    Alert, Button, ButtonType, ErrorState, Link, Spinner, TabItem, Tabs, TextField, Tone,
    use_toaster,
};
use leptos::prelude::*;

use crate::api;
use crate::components::{ActivityCharts, HealthBadge, ImportLog, Listings, Runs};
use crate::routes::overview::reason_of;
use crate::session::operator;

#[component]
pub fn ConnectorPage(id: String) -> impl IntoView {
    let operator = operator();
    let connector = {
        let (operator, id) = (operator.clone(), id.clone());
        micro_app::load(move || {
            let (operator, id) = (operator.clone(), id.clone());
            async move {
                api::connector(&operator.token, &id)
                    .await
                    .map_err(|failure| operator.failed(&failure))
            }
        })
    };
    let activity = {
        let (operator, id) = (operator.clone(), id.clone());
        micro_app::load(move || {
            let (operator, id) = (operator.clone(), id.clone());
            async move {
                api::activity(&operator.token, &id)
                    .await
                    .map_err(|failure| operator.failed(&failure))
            }
        })
    };
    let tab = RwSignal::new("listings".to_owned());
    let tabs = vec![
        TabItem::new("listings", "Listings"),
        TabItem::new("imports", "Order imports"),
        TabItem::new("reconciliation", "Reconciliation"),
        TabItem::new("activity", "Activity"),
    ];
    let id = StoredValue::new(id);
    view! {
        <p><Link href="/ops/">"← All connectors"</Link></p>
        {move || match connector.get() {
            None => view! { <Spinner label="Loading the connector"/> }.into_any(),
            Some(Err(message)) => view! {
                <ErrorState title="This connector could not be loaded" detail=message
                    on_retry=Callback::new(move |_| connector.refetch())/>
            }.into_any(),
            Some(Ok(found)) => {
                micro_app::page_title(&format!("{} · Tessera ops", found.display_name));
                view! {
                    <h1>{found.display_name.clone()}" "<HealthBadge status=found.status/></h1>
                    {(found.status != ConnectorStatus::Healthy).then(|| view! { <p class="tco-muted">{reason_of(&found)}</p> })}
                }.into_any()
            }
        }}
        <Reimport id=id.get_value() on_done=Callback::new(move |_| connector.refetch())/>
        <Tabs label="Connector details" items=tabs selected=tab>
            {move || match tab.get().as_str() {
                "imports" => view! { <ImportLog connector_id=id.get_value()/> }.into_any(),
                "reconciliation" => view! { <Runs connector_id=id.get_value()/> }.into_any(),
                "activity" => match activity.get() {
                    Some(Ok(activity)) => view! { <ActivityCharts activity/> }.into_any(),
                    Some(Err(message)) => view! { <Alert tone=Tone::Danger>{message}</Alert> }.into_any(),
                    None => view! { <Spinner label="Loading the activity"/> }.into_any(),
                },
                _ => view! { <Listings connector_id=id.get_value()/> }.into_any(),
            }}
        </Tabs>
    }
}

/// "Re-import orders since <time>": the marketplace's orders changed since then are fetched
/// again; the import keeps each order single.
#[component]
fn Reimport(id: String, on_done: Callback<()>) -> impl IntoView {
    let operator = operator();
    let toaster = use_toaster();
    let since = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let can_act = operator.can_act();
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let text = since.get_untracked().trim().to_owned();
        if text.is_empty() {
            error.set(Some(
                "Enter a time such as 2026-12-04T08:00:00Z.".to_owned(),
            ));
            return;
        }
        error.set(None);
        busy.set(true);
        let (operator, id) = (operator.clone(), id.clone());
        leptos::task::spawn_local(async move {
            let answer = api::sync(
                &operator.token,
                &id,
                Some(text.clone()),
                "re-import from the console",
            )
            .await;
            busy.try_set(false);
            match answer {
                Ok(_) => {
                    if let Some(toaster) = toaster {
                        toaster.push(format!("Re-importing orders since {text}"), Tone::Success);
                    }
                    on_done.run(());
                }
                Err(failure) => {
                    let message = operator.failed(&failure);
                    error.try_set(Some(failure.field("since").unwrap_or(message)));
                }
            }
        });
    };
    view! {
        <form class="tco-inline-form" on:submit=submit novalidate>
            <TextField
                label="Re-import orders since"
                name="since"
                value=since
                hint="UTC, for example 2026-12-04T08:00:00Z"
                error=Signal::derive(move || error.get())
                disabled=!can_act
            />
            <Button button_type=ButtonType::Submit loading=busy disabled=!can_act>"Re-import"</Button>
        </form>
    }
}
