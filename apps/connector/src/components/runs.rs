//! A connector's reconciliation runs, newest first, with "run now" and a chart of the stock
//! drift each run found. A run opens on its own page with its differences.

use api_client::types::{DifferenceKind, ReconciliationRun};
use design_system::{
    Alert, BarChart, Button, ChartPoint, EmptyState, Link, Table, TableColumn, Tone,
};
use leptos::prelude::*;

use crate::api;
use crate::components::{ReasonDialog, latest, refresh_every};
use crate::format;
use crate::session::operator;

fn drifts(run: &ReconciliationRun) -> usize {
    run.differences
        .iter()
        .filter(|difference| difference.kind == DifferenceKind::StockDrift)
        .count()
}

fn row_of(run: &ReconciliationRun) -> Vec<String> {
    vec![
        format::time(Some(&run.requested_at)),
        run.trigger.to_string(),
        run.requested_by
            .clone()
            .unwrap_or_else(|| "schedule".to_owned()),
        run.status.to_string(),
        run.listings_compared.to_string(),
        run.orders_compared.to_string(),
        run.differences.len().to_string(),
        drifts(run).to_string(),
        format::count(run.duration_ms.map(|ms| format!("{ms} ms"))),
    ]
}

#[component]
pub fn Runs(connector_id: String) -> impl IntoView {
    let operator = operator();
    let connector_id = StoredValue::new(connector_id);
    let page = {
        let operator = operator.clone();
        micro_app::load(move || {
            let (operator, id) = (operator.clone(), connector_id.get_value());
            async move {
                api::runs(&operator.token, &id)
                    .await
                    .map_err(|failure| operator.failed(&failure))
            }
        })
    };
    refresh_every(page, 3);
    let shown = latest(page);
    let open = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let failure = RwSignal::new(None::<(String, Option<String>)>);
    let can_act = operator.can_act();
    let start = move |why: String| {
        let operator = operator.clone();
        busy.set(true);
        leptos::task::spawn_local(async move {
            let answer = api::start_run(&operator.token, &connector_id.get_value(), &why).await;
            busy.try_set(false);
            match answer {
                Ok(_) => {
                    open.try_set(false);
                    page.refetch();
                }
                Err(error) => {
                    let message = operator.failed(&error);
                    failure.try_set(Some((message, error.field("reason"))));
                }
            }
        });
    };
    let columns = vec![
        TableColumn::text("Requested"),
        TableColumn::text("Trigger"),
        TableColumn::text("By"),
        TableColumn::text("Status"),
        TableColumn::numeric("Listings compared"),
        TableColumn::numeric("Orders compared"),
        TableColumn::numeric("Differences"),
        TableColumn::numeric("Stock drifts"),
        TableColumn::numeric("Duration"),
    ];
    let rows = Signal::derive(move || {
        shown.with(|page| {
            page.iter()
                .flat_map(|page| page.items.iter().map(row_of))
                .collect::<Vec<_>>()
        })
    });
    let row_actions = Callback::new(move |index: usize| {
        let Some(run) = shown.with_untracked(|page| page.as_ref()?.items.get(index).cloned())
        else {
            return ().into_any();
        };
        view! {
            <Link href=format!("/ops/reconciliations/{}", run.id)>
                {format!("Open the run of {}", format::time(Some(&run.requested_at)))}
            </Link>
        }
        .into_any()
    });
    let drift_points = Signal::derive(move || {
        shown.with(|page| {
            page.iter()
                .flat_map(|page| page.items.iter().rev())
                .filter(|run| run.finished_at.is_some())
                .map(|run| {
                    ChartPoint::new(format::time(Some(&run.requested_at)), drifts(run) as f64)
                })
                .collect::<Vec<_>>()
        })
    });
    view! {
        <p>
            <Button disabled=!can_act on_click=Callback::new(move |_| { failure.set(None); open.set(true); })>
                "Run reconciliation now"
            </Button>
        </p>
        {move || page.get().and_then(Result::err).map(|message| view! { <Alert tone=Tone::Danger>{message}</Alert> })}
        {move || if shown.with(|page| page.as_ref().is_some_and(|page| page.items.is_empty())) {
            view! { <EmptyState title="No reconciliation runs yet" description="Runs happen on a schedule, or now with the button."/> }.into_any()
        } else {
            view! {
                <Table caption="Reconciliation runs" columns=columns.clone() rows row_actions/>
                <BarChart title="Stock drift found per run" points=drift_points/>
            }.into_any()
        }}
        <ReasonDialog
            open
            title="Run a reconciliation?"
            confirm="Run it"
            description="Compares every listing and order with the marketplace's; it only reads."
            suggestion="routine check"
            busy
            failure
            on_confirm=Callback::new(start)
        />
    }
}
