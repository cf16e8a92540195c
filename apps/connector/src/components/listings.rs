//! A connector's listings: our SKUs at the marketplace with their sync state, filtered by state
//! and SKU prefix on the server and shown one page at a time (a catalogue has 10,000 of them).
//! A rejected listing shows the marketplace's reason.

use api_client::types::{ConnectorListing, ListingSyncState};
use design_system::{
    Alert, Button, ButtonType, EmptyState, Select, SelectOption, Table, TableColumn, TextField,
    Tone,
};
use leptos::prelude::*;

use crate::api::{self, Failure};
use crate::components::{Cursors, PageControls, latest};
use crate::format;
use crate::session::operator;

fn row_of(listing: &ConnectorListing) -> Vec<String> {
    vec![
        listing.sku.clone(),
        listing.state.to_string(),
        listing.quantity.to_string(),
        format::count(listing.published_quantity),
        listing.reason.clone().unwrap_or_else(|| "—".to_owned()),
        listing.attempts.to_string(),
        format::time(Some(&listing.updated_at)),
    ]
}

#[component]
pub fn Listings(connector_id: String) -> impl IntoView {
    let operator = operator();
    let state = RwSignal::new(String::new());
    let sku = RwSignal::new(String::new());
    let applied = RwSignal::new((String::new(), String::new()));
    let cursors = Cursors::new();
    let page = {
        let operator = operator.clone();
        micro_app::load(move || {
            let (operator, id) = (operator.clone(), connector_id.clone());
            let (state, sku) = applied.get_untracked();
            let cursor = cursors.current();
            async move {
                let state = state.parse::<ListingSyncState>().ok();
                let sku = Some(sku.trim().to_owned()).filter(|sku| !sku.is_empty());
                api::listings(&operator.token, &id, state, sku, cursor)
                    .await
                    .inspect_err(|failure| {
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
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        cursors.reset();
        applied.set((state.get_untracked(), sku.get_untracked()));
    };
    let states = vec![
        SelectOption::new("", "Any state"),
        SelectOption::new("pending", "Pending"),
        SelectOption::new("live", "Live"),
        SelectOption::new("rejected", "Rejected"),
        SelectOption::new("superseded", "Superseded"),
    ];
    let columns = vec![
        TableColumn::text("SKU"),
        TableColumn::text("State"),
        TableColumn::numeric("Offered"),
        TableColumn::numeric("Marketplace has"),
        TableColumn::text("Reason").unsortable(),
        TableColumn::numeric("Attempts"),
        TableColumn::text("Updated"),
    ];
    let rows = Signal::derive(move || {
        shown.with(|page| {
            page.iter()
                .flat_map(|page| page.items.iter().map(row_of))
                .collect::<Vec<_>>()
        })
    });
    let field_error = move |field: &'static str| {
        Signal::derive(move || {
            failure
                .get()
                .and_then(|failure: Failure| failure.field(field))
        })
    };
    view! {
        <form class="tco-filters" on:submit=submit novalidate>
            <Select label="State" name="state" options=states value=state/>
            <TextField label="SKU starts with" name="sku" value=sku error=field_error("sku")/>
            <Button button_type=ButtonType::Submit>"Filter listings"</Button>
        </form>
        {move || failure.get().map(|failure| view! { <Alert tone=Tone::Danger>{failure.message}</Alert> })}
        {move || if shown.with(|page| page.as_ref().is_some_and(|page| page.items.is_empty())) {
            view! { <EmptyState title="No listings match" description="Change the state or the SKU."/> }.into_any()
        } else {
            view! { <Table caption="Listings and their sync state" columns=columns.clone() rows/> }.into_any()
        }}
        <PageControls
            label="Listings pages"
            cursors
            next=Signal::derive(move || shown.with(|page| page.as_ref().and_then(|page| page.next_cursor.clone())))
        />
    }
}
