//! Release health for product teams: `/ops/releases` lists the shop's apps, `/ops/releases/{app}`
//! shows the current rollout's releases with their errors and load time, the revenue funnel and
//! conversion per release, each variant against the control with its interval (the method
//! named), a warning when the exposures do not follow the weights, and the rollout history.
//! Readers (`ops-viewer`) see it all; operators may also roll back.

use api_client::types::{
    ExperimentReadout, GuardedRamp, RampState, ReleaseEvent, RolloutStats, WebVitalName,
    WebVitalSummary,
};
use design_system::{Alert, Button, ButtonVariant, Table, TableColumn, Tone};
use leptos::prelude::*;

use crate::api;
use crate::components::ReasonDialog;
use crate::format;
use crate::session::operator;

/// The apps the shell composes, each with its own rollout.
const APPS: [(&str, &str); 4] = [
    ("product-detail", "Product detail"),
    ("checkout", "Checkout"),
    ("catalog", "Catalog"),
    ("connector", "Ops console"),
];

/// `0.1234` as `12.3 %`, without Rust's float printing (it would weigh on the bundle).
fn percent(rate: f64) -> String {
    let tenths = (rate * 1000.0).round() as i64;
    let sign = if tenths < 0 { "−" } else { "" };
    let tenths = tenths.abs();
    format!("{sign}{}.{} %", tenths / 10, tenths % 10)
}

/// A difference in percentage points, with its sign.
fn points(difference: f64) -> String {
    let text = percent(difference);
    let text = text.trim_end_matches(" %");
    if difference >= 0.0 {
        format!("+{text} pp")
    } else {
        format!("{text} pp")
    }
}

#[component]
pub fn ReleasesPage() -> impl IntoView {
    micro_app::page_title("Release health · Tessera ops");
    view! {
        <h1>"Release health"</h1>
        <ul class="tco-apps">
            {APPS.iter().map(|(app, label)| view! {
                <li><a href=format!("/ops/releases/{app}")>{*label}</a></li>
            }).collect_view()}
        </ul>
    }
}

/// A release's vitals at p75 with web.dev's rating: `LCP 1800 ms good · CLS 0.020 good`.
fn vitals_text(vitals: &[WebVitalSummary]) -> String {
    if vitals.is_empty() {
        return "—".into();
    }
    vitals
        .iter()
        .map(|vital| {
            let value = if vital.name == WebVitalName::Cls {
                let thousandths = (vital.p75 * 1000.0).round() as i64;
                format!("{}.{:03}", thousandths / 1000, thousandths % 1000)
            } else {
                format!("{} ms", vital.p75.round() as i64)
            };
            format!("{} {value} {}", vital.name, vital.rating)
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

fn release_rows(readout: &ExperimentReadout, stats: &RolloutStats) -> Vec<Vec<String>> {
    readout
        .releases
        .iter()
        .map(|release| {
            let id = release.release_id.to_string();
            let health = stats
                .releases
                .iter()
                .find(|stats| stats.release_id.to_string() == id);
            let versus = match &release.versus_control {
                None if id == readout.control_release_id.to_string() => "control".to_owned(),
                None => "no visitors yet".to_owned(),
                Some(versus) => format!(
                    "{} [{}, {}] {}",
                    points(versus.difference),
                    points(versus.low),
                    points(versus.high),
                    if versus.significant {
                        "significant"
                    } else {
                        "not significant"
                    }
                ),
            };
            let funnel = &release.funnel;
            vec![
                id,
                percent(release.weight),
                funnel.visitors.to_string(),
                health.map_or("—".into(), |health| percent(health.error_rate)),
                health
                    .and_then(|health| health.p75_load_millis)
                    .map_or("—".into(), |millis| {
                        format!("{} ms", millis.round() as i64)
                    }),
                health.map_or("—".into(), |health| vitals_text(&health.vitals)),
                funnel.added_to_cart.to_string(),
                funnel.checkout_started.to_string(),
                funnel.order_placed.to_string(),
                funnel.order_confirmed.to_string(),
                percent(release.conversion_rate),
                versus,
            ]
        })
        .collect()
}

fn history_row(event: &ReleaseEvent) -> Vec<String> {
    let data = &event.data;
    let detail = ["reason", "actor", "errorRate"]
        .iter()
        .filter_map(|key| Some(format!("{key}: {}", data.get(*key)?.as_str()?)))
        .collect::<Vec<_>>()
        .join(", ");
    vec![
        format::time(Some(&event.occurred_at)),
        event.type_.to_string(),
        event
            .release_id
            .as_ref()
            .map_or("—".into(), ToString::to_string),
        format::count(event.revision),
        if detail.is_empty() {
            "—".into()
        } else {
            detail
        },
    ]
}

/// Where a guarded ramp stands: its release, step and bounds.
#[component]
fn RampStatus(ramp: GuardedRamp) -> impl IntoView {
    let step = usize::try_from(ramp.step.unwrap_or(0)).unwrap_or(0);
    let (tone, state) = match ramp.state {
        Some(RampState::Halted) => (Tone::Danger, "halted"),
        Some(RampState::Completed) => (Tone::Success, "completed"),
        _ => (Tone::Info, "ramping"),
    };
    let steps = ramp
        .steps
        .iter()
        .map(|weight| percent(*weight))
        .collect::<Vec<_>>()
        .join(" → ");
    view! {
        <Alert tone title=format!("Guarded ramp of {}: {state}", ramp.release_id)>
            <span data-ramp=state>{format!(
                "Step {} of {} ({steps}); judged every {} visitors; halts above {} errors or {} fewer orders per visitor than the control. The history below says why each step moved.",
                step + 1,
                ramp.steps.len(),
                ramp.min_visitors,
                percent(ramp.max_error_rate),
                points(-ramp.max_conversion_drop).trim_start_matches('−'),
            )}</span>
        </Alert>
    }
}

#[component]
pub fn AppHealthPage(app: String) -> impl IntoView {
    micro_app::page_title(&format!("Release health of {app} · Tessera ops"));
    let operator = operator();
    let loaded = {
        let (operator, app) = (operator.clone(), app.clone());
        micro_app::load(move || {
            let (operator, app) = (operator.clone(), app.clone());
            async move {
                api::release_health(&operator.token, &app)
                    .await
                    .map_err(|failure| operator.failed(&failure))
            }
        })
    };
    let notice = RwSignal::new(None::<(Tone, String)>);
    let dialog_open = RwSignal::new(false);
    let dialog_failure = RwSignal::new(None::<(String, Option<String>)>);
    let roll_back = {
        let (operator, app) = (operator.clone(), app.clone());
        micro_app::task(move |why: &String| {
            let (operator, app, why) = (operator.clone(), app.clone(), why.clone());
            async move {
                match api::roll_back(&operator.token, &app, &why).await {
                    Ok(_) => {
                        dialog_open.set(false);
                        notice.set(Some((
                            Tone::Success,
                            "Rolled back to the previous rollout.".into(),
                        )));
                        loaded.refetch();
                    }
                    Err(failure) => {
                        let message = operator.failed(&failure);
                        dialog_failure.set(Some((message, failure.field("reason"))));
                    }
                }
            }
        })
    };
    let release_columns = vec![
        TableColumn::text("Release"),
        TableColumn::text("Weight"),
        TableColumn::numeric("Visitors"),
        TableColumn::text("Error rate"),
        TableColumn::text("p75 load"),
        TableColumn::text("Web vitals (p75)").unsortable(),
        TableColumn::numeric("Added to cart"),
        TableColumn::numeric("Checkout started"),
        TableColumn::numeric("Orders placed"),
        TableColumn::numeric("Orders confirmed"),
        TableColumn::text("Conversion"),
        TableColumn::text("Versus control (95 % interval)").unsortable(),
    ];
    let history_columns = vec![
        TableColumn::text("When"),
        TableColumn::text("What"),
        TableColumn::text("Release"),
        TableColumn::text("Revision"),
        TableColumn::text("Details").unsortable(),
    ];
    let can_act = operator.can_act();
    view! {
        <h1>{format!("Release health: {app}")}</h1>
        {move || notice.get().map(|(tone, text)| view! { <Alert tone>{text}</Alert> })}
        {move || match loaded.get() {
            None => view! { <p>"Loading…"</p> }.into_any(),
            Some(Err(message)) => view! { <Alert tone=Tone::Danger>{message}</Alert> }.into_any(),
            Some(Ok(health)) => {
                let api::ReleaseHealth { rollout, readout, stats, history } = health;
                let rows = release_rows(&readout, &stats);
                let events: Vec<Vec<String>> = history.items.iter().map(history_row).collect();
                view! {
                    <section class="tco-health" data-revision=readout.revision>
                        {rollout.ramp.map(|ramp| view! { <RampStatus ramp/> })}
                        {readout.sample_ratio.mismatch.then(|| view! {
                            <Alert tone=Tone::Warning title="Sample ratio mismatch">
                                <span data-warning="srm">{format!(
                                    "Visitors are not split as the weights say (chi-square {}, p < 0.001): something drops or double-counts visitors of one release. Do not trust this readout until it is found.",
                                    readout.sample_ratio.chi_square.round() as i64
                                )}</span>
                            </Alert>
                        })}
                        <Table caption="Releases of the current rollout" columns=release_columns.clone() rows=Signal::derive(move || rows.clone())/>
                        <p class="tco-method" data-method="">{format!("Method: {}.", readout.method)}</p>
                        <h2>"Rollout history"</h2>
                        <Table caption="Who changed the rollout, when and why" columns=history_columns.clone() rows=Signal::derive(move || events.clone())/>
                    </section>
                }
                .into_any()
            }
        }}
        {can_act.then(|| view! {
            <div class="tco-actions">
                <Button variant=ButtonVariant::Danger on_click=Callback::new(move |_| {
                    dialog_failure.set(None);
                    dialog_open.set(true);
                })>
                    "Roll back to the previous rollout"
                </Button>
            </div>
        })}
        <ReasonDialog
            open=dialog_open
            title="Roll back to the previous rollout?"
            confirm="Roll back"
            description="Every visitor gets the previous weights at the next manifest refresh. The history and the audit trail keep your reason."
            busy=roll_back.pending()
            failure=dialog_failure
            on_confirm=Callback::new(move |why: String| roll_back.dispatch(why))
            destructive=true
        />
    }
}
