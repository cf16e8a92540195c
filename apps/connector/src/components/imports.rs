//! A connector's order import log, newest first: marketplace order id → our import (whose id is
//! its events' order id), status, how it arrived and how often; each with its timeline.

use api_client::types::MarketplaceOrderImport;
use design_system::{
    Alert, Button, ButtonSize, ButtonVariant, EmptyState, Table, TableColumn, Tone,
};
use leptos::prelude::*;

use crate::api;
use crate::components::{Cursors, PageControls, TimelineDrawer, latest, refresh_every};
use crate::format;
use crate::session::operator;

fn row_of(import: &MarketplaceOrderImport) -> Vec<String> {
    vec![
        import.marketplace_order_id.clone(),
        import.id.clone(),
        import.status.to_string(),
        import.source.to_string(),
        import.deliveries.to_string(),
        format::time(Some(&import.received_at)),
        import.reason.clone().unwrap_or_else(|| "—".to_owned()),
    ]
}

#[component]
pub fn ImportLog(connector_id: String) -> impl IntoView {
    let operator = operator();
    let cursors = Cursors::new();
    let page = micro_app::load(move || {
        let (operator, id) = (operator.clone(), connector_id.clone());
        let cursor = cursors.current();
        async move {
            api::imports(&operator.token, &id, cursor)
                .await
                .map_err(|failure| operator.failed(&failure))
        }
    });
    refresh_every(page, 5);
    cursors.refetch_on_change(page, || {});
    let shown = latest(page);
    let timeline_of = RwSignal::new(None::<String>);
    let columns = vec![
        TableColumn::text("Marketplace order"),
        TableColumn::text("Our import"),
        TableColumn::text("Status"),
        TableColumn::text("Arrived by"),
        TableColumn::numeric("Deliveries"),
        TableColumn::text("Received"),
        TableColumn::text("Reason").unsortable(),
    ];
    let rows = Signal::derive(move || {
        shown.with(|page| {
            page.iter()
                .flat_map(|page| page.items.iter().map(row_of))
                .collect::<Vec<_>>()
        })
    });
    let row_actions = Callback::new(move |index: usize| {
        let Some(import) = shown.with_untracked(|page| page.as_ref()?.items.get(index).cloned())
        else {
            return ().into_any();
        };
        view! {
            <Button size=ButtonSize::Small variant=ButtonVariant::Secondary
                on_click=Callback::new(move |_| timeline_of.set(Some(import.id.clone())))>
                {format!("Timeline of {}", import.marketplace_order_id)}
            </Button>
        }
        .into_any()
    });
    view! {
        {move || page.get().and_then(Result::err).map(|message| view! { <Alert tone=Tone::Danger>{message}</Alert> })}
        {move || if shown.with(|page| page.as_ref().is_some_and(|page| page.items.is_empty())) {
            view! { <EmptyState title="No orders imported yet"/> }.into_any()
        } else {
            view! { <Table caption="Order import log" columns=columns.clone() rows row_actions/> }.into_any()
        }}
        <PageControls
            label="Import log pages"
            cursors
            next=Signal::derive(move || shown.with(|page| page.as_ref().and_then(|page| page.next_cursor.clone())))
        />
        <TimelineDrawer order_id=timeline_of/>
    }
}
