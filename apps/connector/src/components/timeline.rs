//! An order's lifecycle events in a drawer: what happened to a marketplace import (received,
//! accepted or rejected, cancelled), in order, read from the ops event log.

use design_system::{Alert, Drawer, Spinner, Tone};
use leptos::prelude::*;

use crate::api;
use crate::format;
use crate::session::operator;

#[component]
pub fn TimelineDrawer(
    /// The order (or import) whose events to show; the drawer is open while it is set.
    order_id: RwSignal<Option<String>>,
) -> impl IntoView {
    let operator = operator();
    let open = RwSignal::new(false);
    let events = RwSignal::new(None::<Result<Vec<api_client::types::OrderEvent>, String>>);
    Effect::new(move |_| {
        let Some(id) = order_id.get() else { return };
        open.set(true);
        events.set(None);
        let operator = operator.clone();
        leptos::task::spawn_local(async move {
            let answer = api::timeline(&operator.token, &id)
                .await
                .map_err(|failure| operator.failed(&failure));
            events.try_set(Some(answer));
        });
    });
    Effect::new(move |_| {
        if !open.get() {
            order_id.set(None);
        }
    });
    view! {
        <Drawer open title=Signal::derive(move || format!("Timeline of {}", order_id.get().unwrap_or_default()))>
            {move || match events.get() {
                None => view! { <Spinner label="Loading the timeline"/> }.into_any(),
                Some(Err(message)) => view! { <Alert tone=Tone::Danger>{message}</Alert> }.into_any(),
                Some(Ok(events)) => view! {
                    <ol class="tco-timeline">
                        {events.into_iter().map(|event| view! {
                            <li>
                                <strong>{event.type_.to_string()}</strong>
                                " · "{format::time(Some(&event.occurred_at))}
                            </li>
                        }).collect_view()}
                    </ol>
                }.into_any(),
            }}
        </Drawer>
    }
}
