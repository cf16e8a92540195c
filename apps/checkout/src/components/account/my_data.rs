//! The customer's data: download all of it as JSON, sign out, or delete the account (asked
//! twice; the order history keeps the orders, as "deleted customer").

use design_system::{Alert, Button, ButtonVariant, Tone};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::api;

/// Offers `json` as the file `name`, through a link to an object URL that lives only as long
/// as the click.
fn download(name: &str, json: &str) -> Option<()> {
    let document = web_sys::window()?.document()?;
    let parts = js_sys::Array::of1(&json.into());
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/json");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).ok()?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).ok()?;
    let link: web_sys::HtmlAnchorElement = document.create_element("a").ok()?.dyn_into().ok()?;
    link.set_href(&url);
    link.set_download(name);
    link.click();
    web_sys::Url::revoke_object_url(&url).ok()
}

#[component]
pub fn MyData(customer_id: String, on_signed_out: Callback<()>) -> impl IntoView {
    let message = RwSignal::new(None::<String>);
    let confirming = RwSignal::new(false);
    let file = format!("tessera-data-{customer_id}.json");
    let export = micro_app::task(move |file: &String| {
        let file = file.clone();
        async move {
            match api::export().await {
                Ok(json) => {
                    if download(&file, &json).is_none() {
                        message.set(Some("Your browser refused the download.".into()));
                    }
                }
                Err(failure) => message.set(Some(failure.message)),
            }
        }
    });
    let sign_out = micro_app::task(move |_: &()| async move {
        // Signed out here even when the server could not be told: the token is forgotten.
        let _ = api::sign_out().await;
        on_signed_out.run(());
    });
    let erase = micro_app::task(move |_: &()| async move {
        match api::erase().await {
            Ok(()) => on_signed_out.run(()),
            Err(failure) => message.set(Some(failure.message)),
        }
    });
    view! {
        <section class="tck-account__section" aria-labelledby="tck-data">
            <h2 class="tck-subtitle" id="tck-data">"Your data"</h2>
            {move || message.get().map(|text| view! { <Alert tone=Tone::Danger><span data-error="data">{text}</span></Alert> })}
            <div class="tck-actions">
                <Button variant=ButtonVariant::Secondary loading=export.pending() on_click=Callback::new(move |_| export.dispatch(file.clone()))>
                    "Download my data"
                </Button>
                <Button variant=ButtonVariant::Secondary loading=sign_out.pending() on_click=Callback::new(move |_| sign_out.dispatch(()))>
                    "Sign out"
                </Button>
                <Button variant=ButtonVariant::Danger on_click=Callback::new(move |_| confirming.set(true))>
                    "Delete my account"
                </Button>
            </div>
            {move || confirming.get().then(|| view! {
                <Alert tone=Tone::Warning title="Delete your account?">
                    <p>"Your profile, addresses, consents and mail are deleted, and your orders no longer show your name or address. This cannot be undone."</p>
                    <div class="tck-actions">
                        <Button variant=ButtonVariant::Danger loading=erase.pending() on_click=Callback::new(move |_| erase.dispatch(()))>
                            "Yes, delete everything"
                        </Button>
                        <Button variant=ButtonVariant::Secondary on_click=Callback::new(move |_| confirming.set(false))>
                            "Keep my account"
                        </Button>
                    </div>
                </Alert>
            })}
        </section>
    }
}
