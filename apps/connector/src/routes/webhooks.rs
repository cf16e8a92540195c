//! Outbound webhooks: each endpoint with its health (enabled, failures in a row, why it was
//! disabled) and, for the one chosen, its recent deliveries (status, attempts, next retry, last
//! answer) with "resend".

use api_client::types::{WebhookDelivery, WebhookEndpoint};
use design_system::{
    Alert, Button, ButtonSize, ButtonVariant, EmptyState, ErrorState, Spinner, Table, TableColumn,
    Tone, use_toaster,
};
use leptos::prelude::*;

use crate::api;
use crate::components::{latest, refresh_every};
use crate::format;
use crate::session::operator;

fn endpoint_row(endpoint: &WebhookEndpoint) -> Vec<String> {
    let health = if endpoint.enabled {
        if endpoint.consecutive_failures == 0 {
            "ok".to_owned()
        } else {
            format!("{} failures in a row", endpoint.consecutive_failures)
        }
    } else {
        format!(
            "disabled: {}",
            endpoint.disabled_reason.clone().unwrap_or_default()
        )
    };
    let events = if endpoint.event_types.is_empty() {
        "every order event".to_owned()
    } else {
        endpoint
            .event_types
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    };
    vec![
        endpoint.url.clone(),
        endpoint.description.clone().unwrap_or_default(),
        health,
        events,
    ]
}

fn delivery_row(delivery: &WebhookDelivery) -> Vec<String> {
    vec![
        delivery.event_type.to_string(),
        delivery.status.to_string(),
        delivery.attempts.to_string(),
        format::count(delivery.last_status),
        delivery
            .last_error
            .clone()
            .unwrap_or_else(|| "—".to_owned()),
        format::time(delivery.next_attempt_at.as_deref()),
        format::time(delivery.delivered_at.as_deref()),
    ]
}

#[component]
pub fn WebhooksPage() -> impl IntoView {
    micro_app::page_title("Webhooks · Tessera ops");
    let operator = operator();
    let endpoints = {
        let operator = operator.clone();
        micro_app::load(move || {
            let operator = operator.clone();
            async move {
                api::webhooks(&operator.token)
                    .await
                    .map_err(|failure| operator.failed(&failure))
            }
        })
    };
    refresh_every(endpoints, 5);
    let chosen = RwSignal::new(None::<WebhookEndpoint>);
    let listed = Signal::derive(move || endpoints.get().and_then(Result::ok).unwrap_or_default());
    let row_actions = Callback::new(move |index: usize| {
        let Some(endpoint) = listed.with_untracked(|list| list.get(index).cloned()) else {
            return ().into_any();
        };
        view! {
            <Button size=ButtonSize::Small variant=ButtonVariant::Secondary
                on_click=Callback::new(move |_| chosen.set(Some(endpoint.clone())))>
                "Deliveries"
            </Button>
        }
        .into_any()
    });
    let columns = vec![
        TableColumn::text("URL"),
        TableColumn::text("Description"),
        TableColumn::text("Health"),
        TableColumn::text("Events").unsortable(),
    ];
    view! {
        <h1>"Webhooks"</h1>
        {move || match endpoints.get() {
            None => view! { <Spinner label="Loading the endpoints"/> }.into_any(),
            Some(Err(message)) => view! {
                <ErrorState title="The endpoints could not be loaded" detail=message
                    on_retry=Callback::new(move |_| endpoints.refetch())/>
            }.into_any(),
            Some(Ok(list)) if list.is_empty() => view! {
                <EmptyState title="No webhook endpoints" description="Register one with POST /v1/ops/webhooks."/>
            }.into_any(),
            Some(Ok(_)) => view! {
                <Table caption="Endpoints" columns=columns.clone()
                    rows=Signal::derive(move || listed.get().iter().map(endpoint_row).collect::<Vec<_>>())
                    row_actions/>
            }.into_any(),
        }}
        {move || chosen.get().map(|endpoint| view! { <Deliveries endpoint/> })}
    }
}

#[component]
fn Deliveries(endpoint: WebhookEndpoint) -> impl IntoView {
    let operator = operator();
    let toaster = use_toaster();
    let endpoint_id = StoredValue::new(endpoint.id.clone());
    let page = {
        let operator = operator.clone();
        micro_app::load(move || {
            let operator = operator.clone();
            async move {
                api::deliveries(&operator.token, &endpoint_id.get_value())
                    .await
                    .map_err(|failure| operator.failed(&failure))
            }
        })
    };
    refresh_every(page, 5);
    let shown = latest(page);
    let can_act = operator.can_act() && endpoint.enabled;
    let resend = move |delivery_id: String| {
        let operator = operator.clone();
        leptos::task::spawn_local(async move {
            let answer = api::resend(&operator.token, &endpoint_id.get_value(), &delivery_id).await;
            if let Some(toaster) = toaster {
                match answer {
                    Ok(_) => toaster.push("Delivery scheduled again", Tone::Success),
                    Err(error) => toaster.push(operator.failed(&error), Tone::Danger),
                }
            }
            page.refetch();
        });
    };
    let row_actions = Callback::new(move |index: usize| {
        let Some(delivery) = shown.with_untracked(|page| page.as_ref()?.items.get(index).cloned())
        else {
            return ().into_any();
        };
        let resend = resend.clone();
        view! {
            <Button size=ButtonSize::Small variant=ButtonVariant::Secondary disabled=!can_act
                on_click=Callback::new(move |_| resend(delivery.id.clone()))>
                "Resend"
            </Button>
        }
        .into_any()
    });
    let columns = vec![
        TableColumn::text("Event"),
        TableColumn::text("Status"),
        TableColumn::numeric("Attempts"),
        TableColumn::numeric("Last answer"),
        TableColumn::text("Last error").unsortable(),
        TableColumn::text("Next retry"),
        TableColumn::text("Delivered"),
    ];
    let rows = Signal::derive(move || {
        shown.with(|page| {
            page.iter()
                .flat_map(|page| page.items.iter().map(delivery_row))
                .collect::<Vec<_>>()
        })
    });
    view! {
        <h2>{format!("Deliveries to {}", endpoint.url)}</h2>
        {(!endpoint.enabled).then(|| view! {
            <Alert tone=Tone::Warning>"This endpoint is disabled: nothing is sent to it, so resending is off."</Alert>
        })}
        {move || page.get().and_then(Result::err).map(|message| view! { <Alert tone=Tone::Danger>{message}</Alert> })}
        <Table caption="Recent deliveries, newest first" columns rows row_actions/>
    }
}
