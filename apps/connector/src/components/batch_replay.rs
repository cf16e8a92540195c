//! Replaying every parked letter a filter matches: first a preview of how many, then (with a
//! reason) one letter at a time at a bounded rate, with progress and a cancel. Each letter is
//! replayed on its own request, so stopping (or closing the tab) loses nothing: what was not
//! replayed is still parked, and a replayed letter that fails again is parked again.

use std::time::Duration;

use api_client::types::DeadLetterStatus;
use design_system::{Alert, Button, ButtonVariant, Tone};
use leptos::prelude::*;

use crate::api::{self, LetterFilter};
use crate::components::ReasonDialog;
use crate::session::operator;

/// At most this many replays a second, so a consumer (or a marketplace) is not flooded.
const REPLAYS_PER_SECOND: u64 = 5;

#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct Progress {
    total: i64,
    replayed: i64,
    failed: i64,
    running: bool,
}

#[component]
pub fn BatchReplay(
    /// The filter of the page; its status is ignored (only parked letters are replayed).
    filter: RwSignal<LetterFilter>,
    can_act: bool,
    /// Called after each replay, so the page shows the letters' new state.
    on_progress: Callback<()>,
) -> impl IntoView {
    let operator = operator();
    let parked = move || LetterFilter {
        status: Some(DeadLetterStatus::Parked),
        ..filter.get_untracked()
    };
    let open = RwSignal::new(false);
    let preview = RwSignal::new(0_i64);
    let busy = RwSignal::new(false);
    let failure = RwSignal::new(None::<(String, Option<String>)>);
    let progress = RwSignal::new(None::<Progress>);
    let cancelled = RwSignal::new(false);
    let ask = {
        let operator = operator.clone();
        move || {
            let operator = operator.clone();
            failure.set(None);
            busy.set(true);
            leptos::task::spawn_local(async move {
                match api::dead_letters(&operator.token, &parked(), None, 1).await {
                    Ok(page) => {
                        preview.try_set(page.total.unwrap_or(0));
                        open.try_set(true);
                    }
                    Err(error) => {
                        progress.try_set(None);
                        failure.try_set(Some((operator.failed(&error), None)));
                    }
                }
                busy.try_set(false);
            });
        }
    };
    let run = move |why: String| {
        let operator = operator.clone();
        let (filter, total) = (parked(), preview.get_untracked());
        open.set(false);
        cancelled.set(false);
        progress.set(Some(Progress {
            total,
            running: true,
            ..Progress::default()
        }));
        leptos::task::spawn_local(async move {
            let mut state = Progress {
                total,
                running: true,
                ..Progress::default()
            };
            // Never more than the preview promised: letters parked meanwhile wait for the next batch.
            'batch: while state.replayed + state.failed < total {
                let Ok(page) = api::dead_letters(&operator.token, &filter, None, 20).await else {
                    break;
                };
                if page.items.is_empty() {
                    break;
                }
                for letter in page.items {
                    if cancelled.get_untracked() || state.replayed + state.failed >= total {
                        break 'batch;
                    }
                    match api::replay(&operator.token, &letter.id, &why).await {
                        Ok(_) => state.replayed += 1,
                        Err(error) => {
                            operator.failed(&error);
                            state.failed += 1;
                        }
                    }
                    if progress.try_set(Some(state)).is_some() {
                        // The page went away: stop; the rest stays parked.
                        return;
                    }
                    on_progress.run(());
                    gloo_timers::future::sleep(Duration::from_millis(1000 / REPLAYS_PER_SECOND))
                        .await;
                }
            }
            state.running = false;
            progress.try_set(Some(state));
            on_progress.run(());
        });
    };
    view! {
        <div class="tco-batch">
            <Button variant=ButtonVariant::Secondary loading=busy
                disabled=Signal::derive(move || !can_act || progress.get().is_some_and(|progress| progress.running))
                on_click=Callback::new(move |_| ask())>
                "Replay every parked letter that matches"
            </Button>
            {move || progress.get().map(|progress| view! {
                <Alert tone=if progress.running { Tone::Info } else { Tone::Success } title="Batch replay">
                    <span aria-live="polite">
                        {format!(
                            "Replayed {} of {}{}{}",
                            progress.replayed,
                            progress.total,
                            if progress.failed > 0 { format!(", {} failed", progress.failed) } else { String::new() },
                            if progress.running { "…" } else if cancelled.get() { " (stopped)" } else { "" },
                        )}
                    </span>
                    {progress.running.then(|| view! {
                        <Button variant=ButtonVariant::Subtle on_click=Callback::new(move |_| cancelled.set(true))>"Stop"</Button>
                    })}
                </Alert>
            })}
            {move || failure.get().filter(|_| !open.get()).map(|(message, _)| view! { <Alert tone=Tone::Danger>{message}</Alert> })}
        </div>
        <ReasonDialog
            open
            title=Signal::derive(move || format!("Replay {} parked letters?", preview.get()))
            confirm="Replay them"
            description=Signal::derive(move || Some(format!(
                "They go back one at a time, at most {REPLAYS_PER_SECOND} a second; you can stop at any time and nothing is lost."
            )))
            suggestion="the cause is fixed"
            busy=Signal::derive(|| false)
            failure
            on_confirm=Callback::new(run)
        />
    }
}
