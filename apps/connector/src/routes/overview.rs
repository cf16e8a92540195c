//! The overview: one row per connector with its health and the reason, last successful sync,
//! orders imported today, listings with errors, dead letters waiting, rate-limit budget left,
//! the next retry and whether it is paused; pause or resume (with a reason) and "sync now".
//! Live from the server's stream, polling while the stream is down, without losing the table's
//! sort or the reader's place.

use api_client::types::{Connector, ConnectorStatus};
use design_system::{
    Alert, Button, ButtonSize, ButtonVariant, ErrorState, Link, Spinner, Table, TableColumn, Tone,
    use_toaster,
};
use leptos::prelude::*;

use crate::api;
use crate::components::{ReasonDialog, follow_connectors, health::health_text};
use crate::format;
use crate::session::operator;

/// Seconds between polls of the overview while its stream is down.
const REFRESH_SECONDS: u64 = 3;

/// Why a connector is in its state, in a few words.
pub fn reason_of(connector: &Connector) -> String {
    match connector.status {
        ConnectorStatus::Paused => connector
            .paused_reason
            .clone()
            .unwrap_or_else(|| "paused".to_owned()),
        ConnectorStatus::Healthy => "—".to_owned(),
        _ if connector.rejected_listings > 0 && connector.last_error.is_none() => {
            format!("{} listings rejected", connector.rejected_listings)
        }
        _ => connector
            .last_error
            .clone()
            .unwrap_or_else(|| "—".to_owned()),
    }
}

fn row_of(connector: &Connector) -> Vec<String> {
    vec![
        connector.display_name.clone(),
        health_text(connector.status).to_owned(),
        reason_of(connector),
        format::time(connector.last_successful_sync_at.as_deref()),
        format::count(connector.orders_imported_today),
        connector.rejected_listings.to_string(),
        format::count(connector.dead_letters_waiting),
        format::count(connector.rate_limit_remaining),
        format::time(connector.next_retry_at.as_deref()),
        if connector.paused { "yes" } else { "no" }.to_owned(),
    ]
}

#[component]
pub fn OverviewPage() -> impl IntoView {
    micro_app::page_title("Connectors · Tessera ops");
    let operator = operator();
    let connectors = {
        let operator = operator.clone();
        micro_app::load(move || {
            let operator = operator.clone();
            async move {
                api::connectors(&operator.token)
                    .await
                    .map_err(|failure| operator.failed(&failure))
            }
        })
    };
    // The last good list stays on screen while a refresh fails.
    let shown = RwSignal::new(None::<Vec<Connector>>);
    let live = RwSignal::new(false);
    follow_connectors(
        operator.clone(),
        live,
        Callback::new(move |list| shown.set(Some(list))),
    );
    if let Ok(poller) = set_interval_with_handle(
        move || {
            if !live.get_untracked() {
                connectors.refetch();
            }
        },
        std::time::Duration::from_secs(REFRESH_SECONDS),
    ) {
        on_cleanup(move || poller.clear());
    }
    Effect::new(move |_| {
        if let Some(Ok(list)) = connectors.get() {
            shown.set(Some(list));
        }
    });
    // A failed poll matters only while the stream is down too.
    let refresh_error = Signal::derive(move || {
        connectors
            .get()
            .and_then(Result::err)
            .filter(|_| !live.get())
    });

    let toaster = use_toaster();
    let pausing = RwSignal::new(None::<Connector>);
    let dialog_open = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let failure = RwSignal::new(None::<(String, Option<String>)>);
    let act = {
        let operator = operator.clone();
        move |connector: Connector, why: String| {
            let operator = operator.clone();
            busy.set(true);
            leptos::task::spawn_local(async move {
                let answer =
                    api::set_paused(&operator.token, &connector.id, !connector.paused, &why).await;
                busy.try_set(false);
                match answer {
                    Ok(changed) => {
                        dialog_open.try_set(false);
                        if let Some(toaster) = toaster {
                            let verb = if changed.paused { "paused" } else { "resumed" };
                            toaster.push(format!("{} {verb}", changed.display_name), Tone::Success);
                        }
                        connectors.refetch();
                    }
                    Err(error) => {
                        let message = operator.failed(&error);
                        failure.try_set(Some((message, error.field("reason"))));
                    }
                }
            });
        }
    };
    let sync_now = {
        let operator = operator.clone();
        move |connector: Connector| {
            let operator = operator.clone();
            leptos::task::spawn_local(async move {
                let answer = api::sync(
                    &operator.token,
                    &connector.id,
                    None,
                    "sync now from the console",
                )
                .await;
                let Some(toaster) = toaster else { return };
                match answer {
                    Ok(_) => toaster.push(
                        format!("{} syncs now", connector.display_name),
                        Tone::Success,
                    ),
                    Err(error) => toaster.push(
                        format!("{}: {}", connector.display_name, operator.failed(&error)),
                        Tone::Danger,
                    ),
                }
                connectors.refetch();
            });
        }
    };

    let columns = vec![
        TableColumn::text("Connector"),
        TableColumn::text("Health"),
        TableColumn::text("Reason").unsortable(),
        TableColumn::text("Last successful sync"),
        TableColumn::numeric("Orders today"),
        TableColumn::numeric("Listings with errors"),
        TableColumn::numeric("Dead letters waiting"),
        TableColumn::numeric("Rate-limit budget left"),
        TableColumn::text("Next retry"),
        TableColumn::text("Paused"),
    ];
    let rows = Signal::derive(move || {
        shown.with(|list| list.iter().flatten().map(row_of).collect::<Vec<_>>())
    });
    let can_act = operator.can_act();
    let row_actions = Callback::new(move |index: usize| {
        let Some(connector) = shown.with_untracked(|list| list.as_ref()?.get(index).cloned())
        else {
            return ().into_any();
        };
        let (for_pause, for_sync) = (connector.clone(), connector.clone());
        let act_label = if connector.paused { "Resume" } else { "Pause" };
        let sync_now = sync_now.clone();
        view! {
            <Link href=format!("/ops/connectors/{}", connector.id)>
                {format!("Open {}", connector.display_name)}
            </Link>
            <Button
                size=ButtonSize::Small
                variant=ButtonVariant::Secondary
                disabled=!can_act
                on_click=Callback::new(move |_| {
                    failure.set(None);
                    pausing.set(Some(for_pause.clone()));
                    dialog_open.set(true);
                })
            >
                {format!("{act_label} {}", connector.display_name)}
            </Button>
            <Button
                size=ButtonSize::Small
                variant=ButtonVariant::Secondary
                disabled=!can_act || connector.paused
                on_click=Callback::new(move |_| sync_now(for_sync.clone()))
            >
                {format!("Sync {} now", connector.display_name)}
            </Button>
        }
        .into_any()
    });
    let dialog_title = Signal::derive(move || match pausing.get() {
        Some(connector) if connector.paused => format!("Resume {}?", connector.display_name),
        Some(connector) => format!("Pause {}?", connector.display_name),
        None => String::new(),
    });

    view! {
        <h1>"Connectors"</h1>
        <p class="tco-muted" data-live=move || live.get().to_string()>
            {move || if live.get() { "Live".to_owned() } else { format!("Refreshing every {REFRESH_SECONDS} s") }}
        </p>
        {move || refresh_error.get().map(|message| view! {
            <Alert tone=Tone::Warning title="Live updates paused">
                {format!("{message} The table shows the last answer and tries again.")}
            </Alert>
        })}
        {move || match (shown.with(Option::is_some), refresh_error.get()) {
            (true, _) => view! {
                <Table caption="Every marketplace connector" columns=columns.clone() rows row_actions/>
            }.into_any(),
            (false, Some(message)) => view! {
                <ErrorState title="The connectors could not be loaded" detail=message
                    on_retry=Callback::new(move |_| connectors.refetch())/>
            }.into_any(),
            (false, None) => view! { <Spinner label="Loading the connectors"/> }.into_any(),
        }}
        <ReasonDialog
            open=dialog_open
            title=dialog_title
            confirm="Confirm"
            description="Paused connectors neither poll orders nor publish stock; notifications are still recorded."
            busy
            failure
            on_confirm=Callback::new(move |why: String| {
                if let Some(connector) = pausing.get_untracked() {
                    act(connector, why);
                }
            })
        />
    }
}
