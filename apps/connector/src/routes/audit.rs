//! The audit trail: every recorded operator action (connector pauses, syncs and re-imports,
//! reconciliations asked for and fixes applied, dead letters replayed or discarded) with who
//! did it, to what, and why; newest first, one server page at a time.

use api_client::types::AuditEntry;
use design_system::{Alert, EmptyState, Table, TableColumn, Tone};
use leptos::prelude::*;

use crate::api;
use crate::components::{Cursors, PageControls, latest};
use crate::format;
use crate::session::operator;

fn row_of(entry: &AuditEntry) -> Vec<String> {
    vec![
        format::time(Some(&entry.at)),
        entry.actor.clone(),
        entry.action.to_string(),
        entry.subject.clone(),
        entry.reason.clone().unwrap_or_else(|| "—".to_owned()),
    ]
}

#[component]
pub fn AuditPage() -> impl IntoView {
    micro_app::page_title("Audit trail · Tessera ops");
    let operator = operator();
    let cursors = Cursors::new();
    let page = micro_app::load(move || {
        let (operator, cursor) = (operator.clone(), cursors.current());
        async move {
            api::audit(&operator.token, cursor)
                .await
                .map_err(|failure| operator.failed(&failure))
        }
    });
    cursors.refetch_on_change(page, || {});
    let shown = latest(page);
    let columns = vec![
        TableColumn::text("When"),
        TableColumn::text("Who"),
        TableColumn::text("Action"),
        TableColumn::text("Subject"),
        TableColumn::text("Reason").unsortable(),
    ];
    let rows = Signal::derive(move || {
        shown.with(|page| {
            page.iter()
                .flat_map(|page| page.items.iter().map(row_of))
                .collect::<Vec<_>>()
        })
    });
    view! {
        <h1>"Audit trail"</h1>
        {move || page.get().and_then(Result::err).map(|message| view! { <Alert tone=Tone::Danger>{message}</Alert> })}
        {move || if shown.with(|page| page.as_ref().is_some_and(|page| page.items.is_empty())) {
            view! { <EmptyState title="Nothing recorded yet" description="Pauses, syncs, fixes, replays and discards appear here with who did them and why."/> }.into_any()
        } else {
            view! { <Table caption="Operator actions, newest first" columns=columns.clone() rows/> }.into_any()
        }}
        <PageControls
            label="Audit trail pages"
            cursors
            next=Signal::derive(move || shown.with(|page| page.as_ref().and_then(|page| page.next_cursor.clone())))
        />
    }
}
