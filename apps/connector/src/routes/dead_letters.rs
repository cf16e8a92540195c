//! Dead letters: what a consumer, a connector's owed call or a webhook delivery failed on too
//! often. Filter by consumer (those the server says have letters), status, event type, error text and time (on the server, with how
//! many match); read one's payload and history; replay one, or every parked letter the filter
//! matches at a bounded rate with progress and a cancel; discard one with a required reason.
//! Who resolved a letter and why stays with it (the audit trail).

use api_client::types::{DeadLetter, DeadLetterStatus};
use design_system::{
    Alert, Button, ButtonSize, ButtonType, ButtonVariant, Drawer, EmptyState, Select, SelectOption,
    Table, TableColumn, TextField, Tone, use_toaster,
};
use leptos::prelude::*;

use crate::api::{self, Failure, LetterFilter};
use crate::components::{BatchReplay, Cursors, PageControls, ReasonDialog, latest};
use crate::format;
use crate::session::operator;

/// What the reason dialog is about to do.
#[derive(Clone, PartialEq)]
enum Pending {
    Replay(String),
    Discard(String),
}

fn row_of(letter: &DeadLetter) -> Vec<String> {
    let resolved = match (&letter.resolved_by, &letter.resolution_reason) {
        (Some(by), reason) => format!(
            "{} by {by}: {}",
            letter.status,
            reason.clone().unwrap_or_default()
        ),
        _ => "—".to_owned(),
    };
    vec![
        letter.consumer.clone(),
        letter.event.type_.to_string(),
        letter.event.order_id.clone(),
        letter.attempts.to_string(),
        letter.last_error.clone(),
        letter.status.to_string(),
        format::time(Some(&letter.last_failed_at)),
        resolved,
    ]
}

#[component]
pub fn DeadLettersPage() -> impl IntoView {
    micro_app::page_title("Dead letters · Tessera ops");
    let operator = operator();
    let toaster = use_toaster();
    let form = LetterForm::new();
    let applied = RwSignal::new(form.read());
    let cursors = Cursors::new();
    let page = {
        let operator = operator.clone();
        micro_app::load(move || {
            let operator = operator.clone();
            let (filter, cursor) = (applied.get_untracked(), cursors.current());
            async move {
                let answer =
                    api::dead_letters(&operator.token, &filter, cursor, crate::PAGE_SIZE).await;
                answer.inspect_err(|failure| {
                    operator.failed(failure);
                })
            }
        })
    };
    cursors.refetch_on_change(page, move || {
        applied.track();
    });
    let shown = latest(page);
    let failure = Signal::derive(move || page.get().and_then(Result::err));

    let pending = RwSignal::new(None::<Pending>);
    let dialog_open = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let dialog_failure = RwSignal::new(None::<(String, Option<String>)>);
    let details = RwSignal::new(None::<DeadLetter>);
    let details_open = RwSignal::new(false);
    let resolve = {
        let operator = operator.clone();
        move |why: String| {
            let Some(action) = pending.get_untracked() else {
                return;
            };
            let operator = operator.clone();
            busy.set(true);
            leptos::task::spawn_local(async move {
                let answer = match &action {
                    Pending::Replay(id) => api::replay(&operator.token, id, &why).await,
                    Pending::Discard(id) => api::discard(&operator.token, id, &why).await,
                };
                busy.try_set(false);
                match answer {
                    Ok(letter) => {
                        dialog_open.try_set(false);
                        if let Some(toaster) = toaster {
                            toaster.push(format!("Dead letter {}", letter.status), Tone::Success);
                        }
                        page.refetch();
                    }
                    Err(error) => {
                        let message = operator.failed(&error);
                        dialog_failure.try_set(Some((message, error.field("reason"))));
                    }
                }
            });
        }
    };
    let can_act = operator.can_act();
    let row_actions = Callback::new(move |index: usize| {
        let Some(letter) = shown.with_untracked(|page| page.as_ref()?.items.get(index).cloned())
        else {
            return ().into_any();
        };
        let parked = letter.status == DeadLetterStatus::Parked;
        let (replay_id, discard_id) = (letter.id.clone(), letter.id.clone());
        let ask = move |action: Pending| {
            dialog_failure.set(None);
            pending.set(Some(action));
            dialog_open.set(true);
        };
        view! {
            <Button size=ButtonSize::Small variant=ButtonVariant::Subtle
                on_click=Callback::new(move |_| { details.set(Some(letter.clone())); details_open.set(true); })>
                "Details"
            </Button>
            <Button size=ButtonSize::Small variant=ButtonVariant::Secondary disabled=!(can_act && parked)
                on_click=Callback::new(move |_| ask(Pending::Replay(replay_id.clone())))>
                "Replay"
            </Button>
            <Button size=ButtonSize::Small variant=ButtonVariant::Danger disabled=!(can_act && parked)
                on_click=Callback::new(move |_| ask(Pending::Discard(discard_id.clone())))>
                "Discard"
            </Button>
        }
        .into_any()
    });
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        cursors.reset();
        applied.set(form.read());
    };
    let field_error = move |field: &'static str| {
        Signal::derive(move || {
            failure
                .get()
                .and_then(|failure: Failure| failure.field(field))
        })
    };
    let columns = vec![
        TableColumn::text("Consumer"),
        TableColumn::text("Event"),
        TableColumn::text("Order"),
        TableColumn::numeric("Attempts"),
        TableColumn::text("Last error").unsortable(),
        TableColumn::text("Status"),
        TableColumn::text("Last failed"),
        TableColumn::text("Resolved").unsortable(),
    ];
    let rows = Signal::derive(move || {
        shown.with(|page| {
            page.iter()
                .flat_map(|page| page.items.iter().map(row_of))
                .collect::<Vec<_>>()
        })
    });
    let total = Signal::derive(move || {
        shown
            .with(|page| page.as_ref().and_then(|page| page.total))
            .unwrap_or(0)
    });
    let discarding = Signal::derive(move || matches!(pending.get(), Some(Pending::Discard(_))));
    // The server names every consumer that has letters; the chosen one stays listed.
    let consumers = Signal::derive(move || {
        let mut names = shown.with(|page| {
            page.as_ref()
                .map(|page| page.consumers.clone())
                .unwrap_or_default()
        });
        let chosen = form.consumer.get();
        if !chosen.is_empty() && !names.contains(&chosen) {
            names.push(chosen);
        }
        std::iter::once(SelectOption::new("", "Any consumer"))
            .chain(
                names
                    .into_iter()
                    .map(|name| SelectOption::new(name.clone(), name)),
            )
            .collect::<Vec<_>>()
    });
    view! {
        <h1>"Dead letters"</h1>
        <form class="tco-filters" on:submit=submit novalidate>
            <Select label="Consumer" name="consumer" options=consumers value=form.consumer/>
            <Select label="Status" name="status" options=LetterForm::statuses() value=form.status/>
            <TextField label="Event type" name="eventType" value=form.event_type hint="MarketplaceOrderAccepted, OrderPlaced…" error=field_error("eventType")/>
            <TextField label="Error contains" name="error" value=form.error error=field_error("error")/>
            <TextField label="Failed after" name="failedAfter" value=form.failed_after hint="UTC, 2026-12-04T08:00:00Z" error=field_error("failedAfter")/>
            <TextField label="Failed before" name="failedBefore" value=form.failed_before hint="UTC" error=field_error("failedBefore")/>
            <Button button_type=ButtonType::Submit>"Filter dead letters"</Button>
        </form>
        {move || failure.get().map(|failure| view! { <Alert tone=Tone::Danger>{failure.message}</Alert> })}
        <p class="tco-muted" aria-live="polite">{move || match total.get() {
            1 => "1 letter matches".to_owned(),
            count => format!("{count} letters match"),
        }}</p>
        <BatchReplay filter=applied can_act on_progress=Callback::new(move |_| page.refetch())/>
        {move || if shown.with(|page| page.as_ref().is_some_and(|page| page.items.is_empty())) {
            view! { <EmptyState title="No dead letters match" description="Nothing is waiting, or the filters exclude it."/> }.into_any()
        } else {
            view! { <Table caption="Dead letters, most recent first" columns=columns.clone() rows row_actions/> }.into_any()
        }}
        <PageControls
            label="Dead letter pages"
            cursors
            next=Signal::derive(move || shown.with(|page| page.as_ref().and_then(|page| page.next_cursor.clone())))
        />
        <ReasonDialog
            open=dialog_open
            title=Signal::derive(move || if discarding.get() { "Discard this dead letter?".to_owned() } else { "Replay this dead letter?".to_owned() })
            confirm="Confirm"
            description=Signal::derive(move || Some(if discarding.get() {
                "Its event is marked handled without its effects. The record stays, with your reason.".to_owned()
            } else {
                "It goes back to its consumer, which may fail it again.".to_owned()
            }))
            busy
            failure=dialog_failure
            on_confirm=Callback::new(resolve)
        />
        <Drawer open=details_open title="Dead letter">
            {move || details.get().map(|letter| view! {
                <dl class="tco-details">
                    <dt>"Consumer"</dt><dd>{letter.consumer.clone()}</dd>
                    <dt>"Event"</dt><dd>{format!("{} #{} of order {}", letter.event.type_, letter.event.sequence, letter.event.order_id)}</dd>
                    <dt>"Attempts"</dt><dd>{format!("{} between {} and {}", letter.attempts, format::time(Some(&letter.first_failed_at)), format::time(Some(&letter.last_failed_at)))}</dd>
                    <dt>"Last error"</dt><dd>{letter.last_error.clone()}</dd>
                    <dt>"Status"</dt><dd>{letter.status.to_string()}</dd>
                    <dt>"Resolved"</dt><dd>{match &letter.resolved_by {
                        Some(by) => format!(
                            "{} at {} by {by}: {}",
                            letter.status,
                            format::time(letter.resolved_at.as_deref()),
                            letter.resolution_reason.clone().unwrap_or_else(|| "no reason given".to_owned())
                        ),
                        None => "not yet".to_owned(),
                    }}</dd>
                </dl>
                <h2>"Attempts"</h2>
                <ol class="tco-timeline">
                    {letter.history.iter().map(|attempt| view! {
                        <li>{format!("{}: {}", format::time(Some(&attempt.failed_at)), attempt.error)}</li>
                    }).collect_view()}
                </ol>
                <h2>"Payload"</h2>
                <pre class="tco-payload">{json_codec::to_string(&letter.event.data)}</pre>
            })}
        </Drawer>
    }
}

/// The filter form's fields, read into a `LetterFilter` when submitted.
#[derive(Clone, Copy)]
struct LetterForm {
    consumer: RwSignal<String>,
    status: RwSignal<String>,
    event_type: RwSignal<String>,
    error: RwSignal<String>,
    failed_after: RwSignal<String>,
    failed_before: RwSignal<String>,
}

impl LetterForm {
    fn new() -> Self {
        Self {
            consumer: RwSignal::new(String::new()),
            status: RwSignal::new("parked".to_owned()),
            event_type: RwSignal::new(String::new()),
            error: RwSignal::new(String::new()),
            failed_after: RwSignal::new(String::new()),
            failed_before: RwSignal::new(String::new()),
        }
    }

    fn statuses() -> Vec<SelectOption> {
        vec![
            SelectOption::new("parked", "Parked"),
            SelectOption::new("replayed", "Replayed"),
            SelectOption::new("discarded", "Discarded"),
            SelectOption::new("", "Any status"),
        ]
    }

    fn read(&self) -> LetterFilter {
        LetterFilter {
            status: self.status.get_untracked().parse().ok(),
            consumer: self.consumer.get_untracked(),
            event_type: self.event_type.get_untracked(),
            error: self.error.get_untracked(),
            failed_after: self.failed_after.get_untracked(),
            failed_before: self.failed_before.get_untracked(),
        }
    }
}
