//! Everything that touches the page. `start` runs once, from the glue's `init()`.

mod dom;
mod loader;
mod manifest;
mod page;
mod telemetry;

use std::cell::RefCell;

use wasm_bindgen::prelude::*;

use micro_app::{Route, route};

#[global_allocator]
static ALLOCATOR: lol_alloc::LockedAllocator<lol_alloc::FreeListAllocator> =
    lol_alloc::LockedAllocator::new(lol_alloc::FreeListAllocator::new());

/// What is mounted in the main slot.
struct Mounted {
    key: String,
    app: &'static str,
    handle: JsValue,
}

#[derive(Default)]
struct Shell {
    manifest: Option<manifest::ManifestCopy>,
    mounted: Option<Mounted>,
    /// Bumped by every navigation, so a slow load for an old URL never mounts over a new one.
    generation: u32,
}

thread_local! {
    static SHELL: RefCell<Shell> = RefCell::default();
}

#[wasm_bindgen(start)]
pub fn start() {
    let visitor = page::visitor_id();
    telemetry::start(&visitor);
    page::start_header();
    page::capture_navigation(navigate);
    SHELL.with_borrow_mut(|shell| shell.manifest = manifest::initial());
    show_current_url();
}

/// Moves to `path` (path and query), as a link click or an app's request does.
fn navigate(path: String, replace: bool) {
    let before = current_route().key();
    page::set_url(&path, replace);
    if !(replace && current_route().key() == before) {
        show_current_url();
    }
}

fn current_route() -> Route {
    let (path, query) = page::current_url();
    route(&path, &query)
}

/// Unmounts what is there and shows the page for the current URL.
pub(crate) fn show_current_url() {
    let route = current_route();
    let key = route.key();
    let already_there = SHELL.with_borrow(|shell| {
        shell
            .mounted
            .as_ref()
            .is_some_and(|mounted| mounted.key == key)
    });
    if already_there {
        return;
    }
    let generation = SHELL.with_borrow_mut(|shell| {
        if let Some(mounted) = shell.mounted.take() {
            loader::unmount(mounted.app, &mounted.handle);
        }
        shell.generation += 1;
        shell.generation
    });
    let Some(slot) = page::main_slot() else {
        return;
    };
    match route {
        Route::Home => page::show_home(&slot),
        Route::NotFound => page::show_not_found(&slot),
        Route::App { app, props } => {
            wasm_bindgen_futures::spawn_local(mount_app(slot, app, props, key, generation));
        }
    }
}

async fn mount_app(
    slot: web_sys::HtmlElement,
    app: &'static str,
    props: Vec<(&'static str, String)>,
    key: String,
    generation: u32,
) {
    page::show_loading(&slot);
    let current = SHELL.with_borrow(|shell| shell.manifest.clone());
    let fresh = manifest::revalidated(current).await;
    SHELL.with_borrow_mut(|shell| shell.manifest = fresh.clone());
    let still_wanted = || SHELL.with_borrow(|shell| shell.generation == generation);
    if !still_wanted() {
        return;
    }
    let visitor = page::visitor_id();
    let Some(choice) = fresh
        .as_ref()
        .and_then(|copy| manifest::choose(&copy.manifest, app, &visitor))
    else {
        page::show_unpublished(&slot, app);
        return;
    };
    if !page::module_is_pinned(&choice.js.url) {
        // A release newer than this page's import map would load without its integrity pin: a
        // full page load gets a map that pins it (once; then the slot gives up).
        if !page::reload_once() {
            telemetry::error(
                app,
                Some(&choice.release_id),
                "module not pinned by the import map",
                "load",
            );
            page::show_fallback(&slot, app);
        }
        return;
    }
    telemetry::exposure(app, &choice.release_id);
    match loader::load(&slot, app, &choice, &dom::props_object(&props)).await {
        Ok(handle) if still_wanted() => {
            SHELL.with_borrow_mut(|shell| shell.mounted = Some(Mounted { key, app, handle }))
        }
        Ok(handle) => loader::unmount(app, &handle),
        Err(failure) => {
            telemetry::error(
                app,
                Some(&choice.release_id),
                &failure.message,
                failure.phase,
            );
            if still_wanted() {
                page::show_fallback(&slot, app);
            }
        }
    }
}
