//! The mount contract: every micro app exports `mount(element, props) -> MountHandle` (generated
//! by [`export_mount!`]), and the shell keeps the handle until it calls `unmount()`.
//!
//! The app runs inside an `Owner` of its own, and `unmount` removes its DOM and then cleans that
//! owner up, so every listener, timer and subscription the app registered goes with it (a dropped
//! handle would unmount at an unpredictable moment, so the shell must hold it). Props arrive as a
//! plain JS object and are decoded into the app's own props type; bad props are an error thrown to
//! the shell, which shows the slot's fallback.
//!
//! An app whose URL carries its own state (the catalog's filters, sort and page) is exported with
//! [`export_live_mount!`] and receives its props as a signal: when the shell navigates to another
//! URL of the same app (a filter, back, forward) it calls `update(props)` and the app re-renders
//! what changed, keeping its DOM, focus and scroll, instead of being mounted afresh.

use json_codec::FromJson;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;

/// Hands a live app the props of another of its URLs.
type Update = Box<dyn Fn(&JsValue) -> Result<(), JsValue>>;

struct Mounted {
    /// Leptos' `UnmountHandle`, type-erased: dropping it removes the app's DOM (and, for a
    /// hydrated app, cleans up the root owner hydration made).
    view: Box<dyn std::any::Any>,
    owner: Owner,
    /// `None` for an app mounted with fixed props.
    update: Option<Update>,
}

#[wasm_bindgen]
pub struct MountHandle {
    mounted: Option<Mounted>,
}

#[wasm_bindgen]
impl MountHandle {
    /// Removes the app from its element and runs all its cleanups. Calling it twice is harmless.
    pub fn unmount(&mut self) {
        if let Some(mounted) = self.mounted.take() {
            drop(mounted.view);
            mounted.owner.cleanup();
        }
    }

    /// Hands the app the props of another of its URLs. `false` when it takes no new props (the
    /// shell then mounts it afresh); bad props are an error, as for `mount`.
    pub fn update(&self, props: JsValue) -> Result<bool, JsValue> {
        match self
            .mounted
            .as_ref()
            .and_then(|mounted| mounted.update.as_ref())
        {
            Some(update) => update(&props).map(|()| true),
            None => Ok(false),
        }
    }

    /// Whether the app is still mounted.
    #[wasm_bindgen(getter)]
    pub fn mounted(&self) -> bool {
        self.mounted.is_some()
    }
}

/// Decodes the props and mounts `app` into `element` under its own owner.
pub fn mount_app<P, V>(
    element: web_sys::HtmlElement,
    props: JsValue,
    app: impl FnOnce(P) -> V + 'static,
) -> Result<MountHandle, JsValue>
where
    P: FromJson + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    start(&props, false, |props: Signal<P>| {
        leptos::mount::mount_to(element, move || app(props.get_untracked()))
    })
}

/// Like [`mount_app`], for an app that takes new props while mounted (`MountHandle::update`).
pub fn mount_live_app<P, V>(
    element: web_sys::HtmlElement,
    props: JsValue,
    app: impl FnOnce(Signal<P>) -> V + 'static,
) -> Result<MountHandle, JsValue>
where
    P: FromJson + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    start(&props, true, |props| {
        leptos::mount::mount_to(element, move || app(props))
    })
}

/// Decodes the props (the state the app's renderer returned) and hydrates the markup the edge
/// put into `element`, keeping its DOM nodes. The markup must be that of this very release.
#[cfg(feature = "hydrate")]
pub fn hydrate_app<P, V>(
    element: web_sys::HtmlElement,
    props: JsValue,
    app: impl FnOnce(P) -> V + 'static,
) -> Result<MountHandle, JsValue>
where
    P: FromJson + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    start(&props, false, |props: Signal<P>| {
        leptos::mount::hydrate_from(element, move || app(props.get_untracked()))
    })
}

/// Like [`hydrate_app`], for an app that takes new props while mounted.
#[cfg(feature = "hydrate")]
pub fn hydrate_live_app<P, V>(
    element: web_sys::HtmlElement,
    props: JsValue,
    app: impl FnOnce(Signal<P>) -> V + 'static,
) -> Result<MountHandle, JsValue>
where
    P: FromJson + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    start(&props, true, |props| {
        leptos::mount::hydrate_from(element, move || app(props))
    })
}

/// Decodes the props and attaches the app under an owner of its own, which `unmount` cleans up;
/// with `live`, `update` sets the props the app reads.
fn start<P, H: 'static>(
    props: &JsValue,
    live: bool,
    attach: impl FnOnce(Signal<P>) -> H,
) -> Result<MountHandle, JsValue>
where
    P: FromJson + Clone + Send + Sync + 'static,
{
    let props: P = decode_props(props)?;
    // A panic's message reaches the console (and the shell's error report) before the trap.
    console_error_panic_hook::set_once();
    let owner = Owner::new();
    let current = owner.with(|| RwSignal::new(props));
    let view = owner.with(|| attach(current.into()));
    let update: Option<Update> = live.then(|| {
        Box::new(move |props: &JsValue| {
            current.set(decode_props(props)?);
            Ok(())
        }) as Update
    });
    Ok(MountHandle {
        mounted: Some(Mounted {
            view: Box::new(view),
            owner,
            update,
        }),
    })
}

fn decode_props<P: FromJson>(props: &JsValue) -> Result<P, JsValue> {
    let json = if props.is_undefined() || props.is_null() {
        "{}".to_owned()
    } else {
        js_sys::JSON::stringify(props)?
            .as_string()
            .unwrap_or_else(|| "{}".to_owned())
    };
    json_codec::from_str(&json)
        .map_err(|error| JsValue::from(js_sys::Error::new(&format!("invalid props: {error}"))))
}

/// Exports a micro app's `mount(element, props)` for the shell:
/// `micro_app::export_mount!(|props: ProductProps| view! { <ProductPage props/> });`
/// The crate using it depends on `wasm-bindgen` and `web-sys` (feature `HtmlElement`).
#[macro_export]
macro_rules! export_mount {
    ($app:expr) => {
        $crate::__export_mount!($app, mount_app, hydrate_app);
    };
}

/// Like [`export_mount!`] for an app given its props as a `Signal`, which follow the URL while
/// it stays mounted: `micro_app::export_live_mount!(|props: Signal<CatalogProps>| …);`
#[macro_export]
macro_rules! export_live_mount {
    ($app:expr) => {
        $crate::__export_mount!($app, mount_live_app, hydrate_live_app);
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __export_mount {
    ($app:expr, $mount:ident, $hydrate:ident) => {
        #[::wasm_bindgen::prelude::wasm_bindgen]
        pub fn mount(
            element: ::web_sys::HtmlElement,
            props: ::wasm_bindgen::JsValue,
        ) -> ::std::result::Result<$crate::MountHandle, ::wasm_bindgen::JsValue> {
            $crate::$mount(element, props, $app)
        }

        $crate::__export_hydrate!($app, $hydrate);
    };
}

/// With the kit's `hydrate` feature, the export macros also export `hydrate(element, state)`.
#[cfg(feature = "hydrate")]
#[doc(hidden)]
#[macro_export]
macro_rules! __export_hydrate {
    ($app:expr, $hydrate:ident) => {
        #[::wasm_bindgen::prelude::wasm_bindgen]
        pub fn hydrate(
            element: ::web_sys::HtmlElement,
            state: ::wasm_bindgen::JsValue,
        ) -> ::std::result::Result<$crate::MountHandle, ::wasm_bindgen::JsValue> {
            $crate::$hydrate(element, state, $app)
        }
    };
}

#[cfg(not(feature = "hydrate"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __export_hydrate {
    ($app:expr, $hydrate:ident) => {};
}
