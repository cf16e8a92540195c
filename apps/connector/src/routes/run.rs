//! One reconciliation run: when, by whom or by the schedule, and each difference side by side
//! (ours vs the marketplace's) with its suggested fix; apply one or all (each with a reason),
//! and the result of each. Followed until the run completes.

use api_client::types::{ReconciliationDifference, ReconciliationStatus, SuggestedFix};
use design_system::{
    Alert, Button, ButtonSize, ButtonVariant, EmptyState, ErrorState, Link, Spinner, Table,
    TableColumn, Tone,
};
use leptos::prelude::*;

use crate::api;
use crate::components::{ReasonDialog, latest, refresh_every};
use crate::format;
use crate::session::operator;

fn fixable(difference: &ReconciliationDifference) -> bool {
    !difference.fixed && difference.suggested_fix != SuggestedFix::None
}

fn row_of(difference: &ReconciliationDifference) -> Vec<String> {
    let result = if difference.fixed {
        format!(
            "fixed by {} at {}: {}",
            difference.fixed_by.clone().unwrap_or_default(),
            format::time(difference.fixed_at.as_deref()),
            difference.fix_reason.clone().unwrap_or_default()
        )
    } else if difference.suggested_fix == SuggestedFix::None {
        "needs a person".to_owned()
    } else {
        "open".to_owned()
    };
    vec![
        difference.kind.to_string(),
        difference
            .sku
            .clone()
            .or_else(|| difference.marketplace_order_id.clone())
            .unwrap_or_default(),
        difference.ours.clone().unwrap_or_else(|| "—".to_owned()),
        difference.theirs.clone().unwrap_or_else(|| "—".to_owned()),
        difference.suggested_fix.to_string(),
        result,
    ]
}

#[component]
pub fn RunPage(id: String) -> impl IntoView {
    micro_app::page_title("Reconciliation run · Tessera ops");
    let operator = operator();
    let run_id = StoredValue::new(id);
    let run = {
        let operator = operator.clone();
        micro_app::load(move || {
            let operator = operator.clone();
            async move {
                api::run(&operator.token, &run_id.get_value())
                    .await
                    .map_err(|failure| operator.failed(&failure))
            }
        })
    };
    refresh_every(run, 2);
    let shown = latest(run);

    // The differences the dialog is about to fix: one, or every open one.
    let targets = RwSignal::new(Vec::<String>::new());
    let open = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let failure = RwSignal::new(None::<(String, Option<String>)>);
    let outcome = RwSignal::new(None::<(usize, Vec<String>)>);
    let can_act = operator.can_act();
    let apply = move |why: String| {
        let operator = operator.clone();
        let ids = targets.get_untracked();
        busy.set(true);
        leptos::task::spawn_local(async move {
            let (mut applied, mut errors) = (0, Vec::new());
            for id in &ids {
                match api::apply_fix(&operator.token, &run_id.get_value(), id, &why).await {
                    Ok(_) => applied += 1,
                    Err(error) if error.field("reason").is_some() => {
                        let message = operator.failed(&error);
                        failure.try_set(Some((message, error.field("reason"))));
                        busy.try_set(false);
                        return;
                    }
                    Err(error) => errors.push(operator.failed(&error)),
                }
            }
            busy.try_set(false);
            open.try_set(false);
            outcome.try_set(Some((applied, errors)));
            run.refetch();
        });
    };
    let ask = move |ids: Vec<String>| {
        failure.set(None);
        outcome.set(None);
        targets.set(ids);
        open.set(true);
    };
    let columns = vec![
        TableColumn::text("Difference"),
        TableColumn::text("SKU or order"),
        TableColumn::text("Ours"),
        TableColumn::text("Theirs"),
        TableColumn::text("Suggested fix"),
        TableColumn::text("Result").unsortable(),
    ];
    let rows = Signal::derive(move || {
        shown.with(|run| {
            run.iter()
                .flat_map(|run| run.differences.iter().map(row_of))
                .collect::<Vec<_>>()
        })
    });
    let row_actions = Callback::new(move |index: usize| {
        let Some(difference) =
            shown.with_untracked(|run| run.as_ref()?.differences.get(index).cloned())
        else {
            return ().into_any();
        };
        let label = format!(
            "Apply fix to {}",
            difference
                .sku
                .clone()
                .or(difference.marketplace_order_id.clone())
                .unwrap_or_default()
        );
        let enabled = can_act && fixable(&difference);
        view! {
            <Button size=ButtonSize::Small variant=ButtonVariant::Secondary disabled=!enabled
                on_click=Callback::new(move |_| ask(vec![difference.id.clone()]))>
                {label}
            </Button>
        }
        .into_any()
    });
    let open_ids = move || {
        shown.with(|run| {
            run.iter()
                .flat_map(|run| {
                    run.differences
                        .iter()
                        .filter(|d| fixable(d))
                        .map(|d| d.id.clone())
                })
                .collect::<Vec<_>>()
        })
    };
    view! {
        {move || match (shown.get(), run.get()) {
            (Some(found), _) => view! {
                <p><Link href=format!("/ops/connectors/{}", found.connector_id)>"← Back to the connector"</Link></p>
                <h1>{format!("Reconciliation of {}", found.connector_id)}</h1>
                <p class="tco-muted">
                    {format!(
                        "Requested {} by {} · {} · {} listings and {} orders compared",
                        format::time(Some(&found.requested_at)),
                        found.requested_by.clone().unwrap_or_else(|| "the schedule".to_owned()),
                        found.status,
                        found.listings_compared,
                        found.orders_compared,
                    )}
                </p>
                {found.error.clone().map(|error| view! { <Alert tone=Tone::Danger title="The run failed">{error}</Alert> })}
            }.into_any(),
            (None, Some(Err(message))) => view! {
                <ErrorState title="This run could not be loaded" detail=message
                    on_retry=Callback::new(move |_| run.refetch())/>
            }.into_any(),
            (None, _) => view! { <Spinner label="Loading the run"/> }.into_any(),
        }}
        {move || outcome.get().map(|(applied, errors)| view! {
            <Alert tone=if errors.is_empty() { Tone::Success } else { Tone::Warning } title=format!("{applied} fixes applied")>
                {errors.join(" ")}
            </Alert>
        })}
        {move || shown.get().map(|found| match found.status {
            ReconciliationStatus::Queued | ReconciliationStatus::Running => {
                view! { <Spinner label="The run is comparing"/> }.into_any()
            }
            _ if found.differences.is_empty() => view! {
                <EmptyState title="No differences" description="Ours and the marketplace's agree."/>
            }.into_any(),
            _ => view! {
                <p>
                    <Button disabled=Signal::derive(move || !can_act || open_ids().is_empty())
                        on_click=Callback::new(move |_| ask(open_ids()))>
                        "Apply every suggested fix"
                    </Button>
                </p>
                <Table caption="Differences: ours and the marketplace's" columns=columns.clone() rows row_actions/>
            }.into_any(),
        })}
        <ReasonDialog
            open
            title=Signal::derive(move || match targets.with(Vec::len) {
                1 => "Apply this fix?".to_owned(),
                count => format!("Apply {count} fixes?"),
            })
            confirm="Apply"
            suggestion="reconciliation"
            busy
            failure
            on_confirm=Callback::new(apply)
        />
    }
}
