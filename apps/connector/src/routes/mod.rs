//! The console's pages, one module each, chosen from the path the shell passes: `/ops/` the
//! connectors' overview, `/ops/connectors/{id}` one connector, `/ops/reconciliations/{runId}` one
//! reconciliation run, `/ops/dead-letters`, `/ops/webhooks`, `/ops/audit`, and the runbooks the
//! alerts link (`/ops/runbooks`, `/ops/runbooks/{alert}`), release health (`/ops/releases`,
//! `/ops/releases/{app}`) and the kiosks' kill switch (`/ops/kiosks`).

mod audit;
mod connector;
mod dead_letters;
mod kiosks;
mod overview;
mod releases;
mod run;
mod runbooks;
mod webhooks;

use design_system::EmptyState;
use leptos::prelude::*;

/// A page of the console.
#[derive(Clone, Debug, PartialEq)]
pub enum Page {
    Overview,
    Connector(String),
    Run(String),
    DeadLetters,
    Webhooks,
    Audit,
    Runbooks,
    Runbook(String),
    Releases,
    AppHealth(String),
    Kiosks,
    NotFound,
}

impl Page {
    pub fn of(path: &str) -> Page {
        let parts: Vec<&str> = path
            .trim_end_matches('/')
            .split('/')
            .filter(|part| !part.is_empty())
            .collect();
        match parts.as_slice() {
            ["ops"] | ["ops", "connectors"] => Page::Overview,
            ["ops", "connectors", id] => Page::Connector((*id).to_owned()),
            ["ops", "reconciliations", id] => Page::Run((*id).to_owned()),
            ["ops", "dead-letters"] => Page::DeadLetters,
            ["ops", "webhooks"] => Page::Webhooks,
            ["ops", "audit"] => Page::Audit,
            ["ops", "runbooks"] => Page::Runbooks,
            ["ops", "runbooks", id] => Page::Runbook((*id).to_owned()),
            ["ops", "releases"] => Page::Releases,
            ["ops", "releases", app] => Page::AppHealth((*app).to_owned()),
            ["ops", "kiosks"] => Page::Kiosks,
            _ => Page::NotFound,
        }
    }
}

pub fn view_of(page: Page) -> AnyView {
    match page {
        Page::Overview => view! { <overview::OverviewPage/> }.into_any(),
        Page::Connector(id) => view! { <connector::ConnectorPage id/> }.into_any(),
        Page::Run(id) => view! { <run::RunPage id/> }.into_any(),
        Page::DeadLetters => view! { <dead_letters::DeadLettersPage/> }.into_any(),
        Page::Webhooks => view! { <webhooks::WebhooksPage/> }.into_any(),
        Page::Audit => view! { <audit::AuditPage/> }.into_any(),
        Page::Runbooks => view! { <runbooks::RunbooksPage/> }.into_any(),
        Page::Runbook(id) => view! { <runbooks::RunbookPage id/> }.into_any(),
        Page::Releases => view! { <releases::ReleasesPage/> }.into_any(),
        Page::AppHealth(app) => view! { <releases::AppHealthPage app/> }.into_any(),
        Page::Kiosks => view! { <kiosks::KiosksPage/> }.into_any(),
        Page::NotFound => view! {
            <EmptyState title="No such page" description="This console has connectors, dead letters and webhooks." page=true/>
        }
        .into_any(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn paths_name_their_pages() {
        assert_eq!(Page::of("/ops"), Page::Overview);
        assert_eq!(Page::of("/ops/"), Page::Overview);
        assert_eq!(
            Page::of("/ops/connectors/ebay"),
            Page::Connector("ebay".into())
        );
        assert_eq!(
            Page::of("/ops/reconciliations/r-1/"),
            Page::Run("r-1".into())
        );
        assert_eq!(Page::of("/ops/dead-letters"), Page::DeadLetters);
        assert_eq!(Page::of("/ops/webhooks"), Page::Webhooks);
        assert_eq!(Page::of("/ops/audit"), Page::Audit);
        assert_eq!(Page::of("/ops/runbooks"), Page::Runbooks);
        assert_eq!(
            Page::of("/ops/releases/checkout"),
            Page::AppHealth("checkout".into())
        );
        assert_eq!(
            Page::of("/ops/runbooks/confirmation-lag"),
            Page::Runbook("confirmation-lag".into())
        );
        assert_eq!(Page::of("/ops/kiosks"), Page::Kiosks);
        assert_eq!(Page::of("/ops/nope"), Page::NotFound);
    }
}
