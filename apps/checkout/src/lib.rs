//! The checkout micro app, mounted by the shell at `/checkout` (`page: "checkout"`),
//! `/orders/:id` (`page: "order"`, `orderId`) and `/account` (`page: "account"`: sign-in and
//! the customer's account). Cart review, contact, a country-aware address, shipping, card
//! tokenisation and review, then the order placed exactly once (one Idempotency-Key per
//! purchase, kept across reloads; queued while offline), and the order's live timeline. Classes are `tck-…`; the URL is the shell's (navigation goes through its event).
//! Never sends a card number anywhere but the vault's tokenisation endpoint.

mod address;
mod api;
mod card;
mod components;
mod routes;
mod storage;

/// What the shell passes to `mount`.
#[derive(Clone, Debug, Default)]
pub struct CheckoutProps {
    /// `checkout` or `order`.
    pub page: String,
    pub order_id: Option<String>,
}

json_codec::object_codec!(CheckoutProps {
    page: "page",
    order_id: "orderId",
});

fn app(props: CheckoutProps) -> impl leptos::IntoView {
    use leptos::prelude::*;
    view! {
        <design_system::ThemeProvider>
            <div class="tck" data-app="checkout">
                {match props.order_id {
                    Some(order_id) if props.page == "order" => {
                        view! { <routes::OrderPage order_id/> }.into_any()
                    }
                    _ if props.page == "account" => view! { <routes::AccountPage/> }.into_any(),
                    _ => view! { <routes::CheckoutPage/> }.into_any(),
                }}
            </div>
        </design_system::ThemeProvider>
    }
}

micro_app::export_mount!(app);

/// Asks the shell to show another page. The shell unmounts this app while handling the request,
/// so it is sent after the current task has finished with the app's signals.
pub(crate) fn go_to(path: String) {
    leptos::prelude::set_timeout(
        move || {
            micro_app::emit(&micro_app::AppEvent::NavigationRequested {
                path,
                replace: false,
            })
        },
        std::time::Duration::ZERO,
    );
}

/// `trunk serve standalone.html`: the app alone in the page, props read from the URL.
#[cfg(feature = "standalone")]
#[wasm_bindgen::prelude::wasm_bindgen(start)]
pub fn standalone() {
    console_error_panic_hook::set_once();
    let path = web_sys::window()
        .and_then(|window| window.location().pathname().ok())
        .unwrap_or_default();
    let props = match path.strip_prefix("/orders/") {
        None if path.starts_with("/account") => CheckoutProps {
            page: "account".into(),
            order_id: None,
        },
        Some(id) => CheckoutProps {
            page: "order".into(),
            order_id: Some(id.trim_end_matches('/').to_owned()),
        },
        None => CheckoutProps {
            page: "checkout".into(),
            order_id: None,
        },
    };
    leptos::mount::mount_to_body(move || app(props));
}
