//! The connector console, mounted by the shell at `/ops/…` with the page's `path`. Operations
//! staff sign in once per browser session with their ops token and see whether every marketplace
//! is in sync: the connectors' health (live, by polling), each connector's listings, order
//! imports, reconciliation runs and activity, the dead letters (filter, replay at a bounded rate,
//! discard with a reason) and the outbound webhooks. A viewer token reads only; its actions show
//! disabled with the reason. Classes are `tco-…`; the URL is the shell's (links are plain
//! anchors the shell follows).

mod api;
mod components;
mod format;
mod routes;
mod session;

/// Rows per page of every server-paged table.
pub(crate) const PAGE_SIZE: i32 = 50;

/// What the shell passes to `mount`.
#[derive(Clone, Debug, Default)]
pub struct ConsoleProps {
    /// The page's path, `/ops/…`.
    pub path: String,
}

json_codec::object_codec!(ConsoleProps { path: "path" });

fn app(props: ConsoleProps) -> impl leptos::IntoView {
    use leptos::prelude::*;
    let page = routes::Page::of(&props.path);
    let class = if cfg!(feature = "variant-b") {
        "tco tco--compact"
    } else {
        "tco"
    };
    view! {
        <design_system::ThemeProvider>
            <design_system::ToastProvider>
                <div class=class data-app="connector">
                    <session::SignedIn page=page.clone()>
                        {routes::view_of(page.clone())}
                    </session::SignedIn>
                </div>
            </design_system::ToastProvider>
        </design_system::ThemeProvider>
    }
}

micro_app::export_mount!(app);

/// `trunk serve standalone.html`: the app alone in the page, the path read from the URL.
#[cfg(feature = "standalone")]
#[wasm_bindgen::prelude::wasm_bindgen(start)]
pub fn standalone() {
    console_error_panic_hook::set_once();
    let path = web_sys::window()
        .and_then(|window| window.location().pathname().ok())
        .unwrap_or_default();
    leptos::mount::mount_to_body(move || app(ConsoleProps { path }));
}
