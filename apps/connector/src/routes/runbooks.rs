//! Runbooks, one page per alert of `server/prometheus/alerts.yml` (each alert links its page):
//! what the condition means for the shop and what to do, with links into the console. Tidy
//! checks that the alert rules and these pages name the same alerts.

use design_system::EmptyState;
use leptos::prelude::*;

pub struct Runbook {
    /// The page's path segment: `/ops/runbooks/<id>`.
    pub id: &'static str,
    pub title: &'static str,
    pub meaning: &'static str,
    pub steps: &'static [&'static str],
    /// Where in the console to look first.
    pub look_at: (&'static str, &'static str),
}

pub const RUNBOOKS: [Runbook; 4] = [
    Runbook {
        id: "confirmation-lag",
        title: "Orders confirm slowly",
        meaning: "Shoppers wait on the order page: payment, stock reservation or confirmation \
                  consumers are behind or failing, so orders stay pending longer than 30 s.",
        steps: &[
            "Check tessera_outbox_lag_events: a growing lag means the consumers do not keep up or stopped.",
            "Open the dead letters: parked payments or inventory events stop orders from confirming.",
            "With an event stream, check tessera_outbox_unpublished_events: NATS may be unreachable.",
            "If the payment provider is slow, expect declines to rise too; tell customer service.",
        ],
        look_at: ("/ops/dead-letters", "Dead letters"),
    },
    Runbook {
        id: "payment-failure-rate",
        title: "Many payments are declined",
        meaning: "More than one payment in five fails: lost revenue, or a provider outage that \
                  looks like declines.",
        steps: &[
            "Compare with the release history: a new checkout release that sends bad tokens halts on its error rate, or roll it back.",
            "Look at the decline reasons in the ops payments listing (insufficient funds is normal; provider errors are not).",
            "If the provider errs, pause promotions that drive traffic until it recovers.",
        ],
        look_at: ("/ops/audit", "Audit trail"),
    },
    Runbook {
        id: "dead-letters-growing",
        title: "Dead letters are piling up",
        meaning: "Events fail a consumer after every retry and are parked: their effects (a \
                  payment, a reservation, a webhook, a mail) did not happen.",
        steps: &[
            "Open the dead letters and read the last error of the newest ones; they share a cause.",
            "Fix the cause (a subscriber down, a bad release, a full disk), then replay them; each is handled exactly once.",
            "Discard only what must not happen any more, with a reason: the audit trail keeps it.",
        ],
        look_at: ("/ops/dead-letters", "Dead letters"),
    },
    Runbook {
        id: "marketplace-sync-lag",
        title: "A marketplace lags behind the stock",
        meaning: "A stock change has waited more than 15 minutes to reach a marketplace: it may \
                  sell what the shop no longer has.",
        steps: &[
            "Open the connector: a paused connector or one failing every call shows it there.",
            "Run a sync now; if the marketplace refuses, its error says why (credentials, rate limits).",
            "Reconcile once it recovers, and apply the fixes for listings that drifted.",
        ],
        look_at: ("/ops/", "Connectors"),
    },
];

#[component]
pub fn RunbooksPage() -> impl IntoView {
    micro_app::page_title("Runbooks · Tessera ops");
    view! {
        <h1>"Runbooks"</h1>
        <ul class="tco-runbooks">
            {RUNBOOKS.iter().map(|runbook| view! {
                <li><a href=format!("/ops/runbooks/{}", runbook.id)>{runbook.title}</a></li>
            }).collect_view()}
        </ul>
    }
}

#[component]
pub fn RunbookPage(id: String) -> impl IntoView {
    let Some(runbook) = RUNBOOKS.iter().find(|runbook| runbook.id == id) else {
        return view! {
            <EmptyState title="No such runbook" description="Every alert links its runbook; see the list at /ops/runbooks." page=true/>
        }
        .into_any();
    };
    micro_app::page_title(&format!("{} · Tessera ops", runbook.title));
    view! {
        <article class="tco-runbook" data-runbook=runbook.id>
            <h1>{runbook.title}</h1>
            <h2>"What it means"</h2>
            <p>{runbook.meaning}</p>
            <h2>"What to do"</h2>
            <ol>{runbook.steps.iter().map(|step| view! { <li>{*step}</li> }).collect_view()}</ol>
            <p><a href=runbook.look_at.0>{format!("Open {}", runbook.look_at.1)}</a></p>
        </article>
    }
    .into_any()
}
