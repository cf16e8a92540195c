//! Signing in: the operator's ops token, entered once per browser session (kept in
//! `sessionStorage`, so it ends with the tab), checked with the server, which says the token's
//! role. Pages read the `Operator` from context; a 401 from any call signs the operator out with
//! a clear message instead of a blank page.

use api_client::types::OpsSessionRole;
use design_system::{
    Alert, Button, ButtonSize, ButtonType, ButtonVariant, Link, Spinner, TextField, TextFieldType,
    Tone,
};
use leptos::prelude::*;
use micro_app::storage::{Store, read, write};

use crate::api::{self, Failure};
use crate::routes::Page;

/// The `sessionStorage` key of the ops token; only this app reads it.
const TOKEN_KEY: &str = "tessera:ops-token";

/// Who is signed in, for every page.
#[derive(Clone)]
pub struct Operator {
    pub token: String,
    pub role: OpsSessionRole,
    /// How the audit trail names this operator.
    pub actor: String,
    /// Set when the server stops accepting the token.
    signed_out: RwSignal<Option<String>>,
}

impl Operator {
    /// Whether this role may act (pause, replay, discard, apply fixes); viewers only read.
    pub fn can_act(&self) -> bool {
        self.role == OpsSessionRole::Ops
    }

    /// Reads a failure: a refused token signs the operator out; the message is returned.
    pub fn failed(&self, failure: &Failure) -> String {
        if failure.is_signed_out() {
            write(Store::Session, TOKEN_KEY, None);
            self.signed_out.set(Some(failure.message.clone()));
        }
        failure.message.clone()
    }
}

pub fn operator() -> Operator {
    expect_context::<Operator>()
}

/// The sign-in form, or the page with the operator in context and the console's navigation.
#[component]
pub fn SignedIn(page: Page, children: ChildrenFn) -> impl IntoView {
    let signed_out = RwSignal::new(None::<String>);
    let token = RwSignal::new(read(Store::Session, TOKEN_KEY));
    let checked = RwSignal::new(None::<Result<Operator, Failure>>);
    let check = move |candidate: String| {
        leptos::task::spawn_local(async move {
            let answer = api::session(&candidate).await.map(|session| Operator {
                token: candidate.clone(),
                role: session.role,
                actor: session.actor,
                signed_out,
            });
            if answer.is_ok() {
                write(Store::Session, TOKEN_KEY, Some(&candidate));
                signed_out.set(None);
            }
            checked.try_set(Some(answer));
        });
    };
    if let Some(saved) = token.get_untracked() {
        check(saved);
    }
    let children = StoredValue::new(children);
    move || {
        let signed_in = match (token.get(), checked.get(), signed_out.get()) {
            (_, _, Some(reason)) => Err(Some(reason)),
            (None, _, None) => Err(None),
            (Some(_), None, None) => {
                return view! { <Spinner label="Checking your token"/> }.into_any();
            }
            (Some(_), Some(Err(failure)), None) => Err(Some(failure.message)),
            (Some(_), Some(Ok(operator)), None) => Ok(operator),
        };
        match signed_in {
            Ok(operator) => {
                provide_context(operator.clone());
                view! {
                    <Navigation page=page.clone() operator/>
                    <main class="tco-main">{children.with_value(|children| children())}</main>
                }
                .into_any()
            }
            Err(reason) => view! {
                <SignInForm
                    reason
                    on_token=Callback::new(move |candidate: String| {
                        signed_out.set(None);
                        checked.set(None);
                        token.set(Some(candidate.clone()));
                        check(candidate);
                    })
                />
            }
            .into_any(),
        }
    }
}

#[component]
fn SignInForm(reason: Option<String>, on_token: Callback<String>) -> impl IntoView {
    let entered = RwSignal::new(String::new());
    let missing = RwSignal::new(None::<String>);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let candidate = entered.get_untracked().trim().to_owned();
        if candidate.is_empty() {
            missing.set(Some("Enter your ops token.".to_owned()));
            return;
        }
        missing.set(None);
        on_token.run(candidate);
    };
    view! {
        <main class="tco-main tco-sign-in">
            <h1>"Connector console"</h1>
            <p>"Sign in with your ops token. It is kept for this browser tab only."</p>
            {reason.map(|reason| view! { <Alert tone=Tone::Danger title="Not signed in">{reason}</Alert> })}
            <form on:submit=submit novalidate>
                <TextField
                    label="Ops token"
                    name="token"
                    value=entered
                    input_type=TextFieldType::Password
                    autocomplete="current-password"
                    required=true
                    error=Signal::derive(move || missing.get())
                />
                <Button button_type=ButtonType::Submit>"Sign in"</Button>
            </form>
        </main>
    }
}

#[component]
fn Navigation(page: Page, operator: Operator) -> impl IntoView {
    let role = match operator.role {
        OpsSessionRole::Ops => "ops",
        OpsSessionRole::OpsViewer => "viewer",
    };
    let sign_out = move |_| {
        write(Store::Session, TOKEN_KEY, None);
        operator.signed_out.set(Some("You signed out.".to_owned()));
    };
    let link = move |href: &'static str, label: &'static str, current: bool| {
        view! { <li><Link href=href current>{label}</Link></li> }
    };
    view! {
        <header class="tco-header">
            <nav aria-label="Connector console">
                <ul class="tco-nav">
                    {link("/ops/", "Connectors", matches!(page, Page::Overview | Page::Connector(_) | Page::Run(_)))}
                    {link("/ops/dead-letters", "Dead letters", page == Page::DeadLetters)}
                    {link("/ops/webhooks", "Webhooks", page == Page::Webhooks)}
                    {link("/ops/audit", "Audit trail", page == Page::Audit)}
                    {link("/ops/releases", "Releases", matches!(page, Page::Releases | Page::AppHealth(_)))}
                    {link("/ops/runbooks", "Runbooks", matches!(page, Page::Runbooks | Page::Runbook(_)))}
                    {link("/ops/kiosks", "Kiosks", page == Page::Kiosks)}
                </ul>
            </nav>
            <p class="tco-whoami">
                {format!("Signed in as {} ({role})", operator.actor)}
                <Button variant=ButtonVariant::Subtle size=ButtonSize::Small on_click=Callback::new(sign_out)>
                    "Sign out"
                </Button>
            </p>
        </header>
        {(!operator.can_act()).then(|| view! {
            <Alert tone=Tone::Info title="Read-only">
                "You are signed in with a viewer token: actions are shown but disabled."
            </Alert>
        })}
    }
}
