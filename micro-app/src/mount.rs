//! The mount contract: every micro app exports `mount(element, props) -> MountHandle` (generated
//! by [`export_mount!`]), and the shell keeps the handle until it calls `unmount()`.
//!
//! The app runs inside an `Owner` of its own, and `unmount` removes its DOM and then cleans that
//! owner up, so every listener, timer and subscription the app registered goes with it (a dropped
//! handle would unmount at an unpredictable moment, so the shell must hold it). Props arrive as a
//! plain JS object and are decoded into the app's own props type; bad props are an error thrown to
//! the shell, which shows the slot's fallback.

use json_codec::FromJson;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;

struct Mounted {
    /// Leptos' `UnmountHandle`, type-erased: dropping it removes the app's DOM (and, for a
    /// hydrated app, cleans up the root owner hydration made).
    view: Box<dyn std::any::Any>,
    owner: Owner,
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
    P: FromJson + 'static,
    V: IntoView + 'static,
{
    start(&props, |props| {
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
    P: FromJson + 'static,
    V: IntoView + 'static,
{
    start(&props, |props| {
        leptos::mount::hydrate_from(element, move || app(props))
    })
}

/// Decodes the props and attaches the app under an owner of its own, which `unmount` cleans up.
fn start<P: FromJson, H: 'static>(
    props: &JsValue,
    attach: impl FnOnce(P) -> H,
) -> Result<MountHandle, JsValue> {
    let props: P = decode_props(props)?;
    // A panic's message reaches the console (and the shell's error report) before the trap.
    console_error_panic_hook::set_once();
    let owner = Owner::new();
    let view = owner.with(|| attach(props));
    Ok(MountHandle {
        mounted: Some(Mounted {
            view: Box::new(view),
            owner,
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
        #[::wasm_bindgen::prelude::wasm_bindgen]
        pub fn mount(
            element: ::web_sys::HtmlElement,
            props: ::wasm_bindgen::JsValue,
        ) -> ::std::result::Result<$crate::MountHandle, ::wasm_bindgen::JsValue> {
            $crate::mount_app(element, props, $app)
        }

        $crate::__export_hydrate!($app);
    };
}

/// With the kit's `hydrate` feature, `export_mount!` also exports `hydrate(element, state)`.
#[cfg(feature = "hydrate")]
#[doc(hidden)]
#[macro_export]
macro_rules! __export_hydrate {
    ($app:expr) => {
        #[::wasm_bindgen::prelude::wasm_bindgen]
        pub fn hydrate(
            element: ::web_sys::HtmlElement,
            state: ::wasm_bindgen::JsValue,
        ) -> ::std::result::Result<$crate::MountHandle, ::wasm_bindgen::JsValue> {
            $crate::hydrate_app(element, state, $app)
        }
    };
}

#[cfg(not(feature = "hydrate"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __export_hydrate {
    ($app:expr) => {};
}
