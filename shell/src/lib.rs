//! The shell: the small host page that owns the URL, the header and the slots, and composes the
//! micro apps at run time. This crate is its decisions, taken by the kit so that they agree with
//! the server and the apps: which app and props a URL means (`micro_app::route`), which release a
//! visitor gets (`micro_app::assign` over the manifest's weights, GrowthBook-compatible), and the
//! event names, schema version and storage keys. `shell.js` drives the page with them: the
//! manifest copy (inlined by the server, revalidated with its ETag, last good copy kept), loading
//! with integrity and mounting, per-slot fallbacks, navigation, the header's cart count and the
//! telemetry beacons.
//! Never depends on a UI framework, serde or web-sys: the budget is 20 KB brotli in all, which is
//! why `shell.js` is plain JavaScript (Rust's async and DOM bindings measured 33 KB) and keeps its
//! own comments short (they ship).

#[cfg(target_arch = "wasm32")]
mod kit {
    use js_sys::{Array, Function, Object, Reflect};
    use micro_app::{EVENT_SCHEMA_VERSION, EventKind, LAST_EVENTS, Route, storage};
    use wasm_bindgen::JsCast;
    use wasm_bindgen::prelude::*;

    #[global_allocator]
    static ALLOCATOR: lol_alloc::LockedAllocator<lol_alloc::FreeListAllocator> =
        lol_alloc::LockedAllocator::new(lol_alloc::FreeListAllocator::new());

    #[wasm_bindgen(module = "/src/shell.js")]
    extern "C" {
        #[wasm_bindgen(js_name = startShell)]
        fn start_shell(kit: &JsValue);
    }

    fn object(entries: &[(&str, JsValue)]) -> JsValue {
        let object: JsValue = Object::new().into();
        for (key, value) in entries {
            let _ = Reflect::set(&object, &(*key).into(), value);
        }
        object
    }

    fn get(object: &JsValue, key: &str) -> JsValue {
        Reflect::get(object, &key.into()).unwrap_or(JsValue::UNDEFINED)
    }

    /// `{kind, key, app?, props?}` for a path and query.
    fn route(path: String, query: String) -> JsValue {
        let route = micro_app::route(&path, &query);
        let key = route.key().into();
        match route {
            Route::NotFound => object(&[("kind", "not-found".into()), ("key", key)]),
            Route::App { app, props } => {
                let props: Vec<(&str, JsValue)> = props
                    .iter()
                    .map(|(name, value)| (*name, JsValue::from(value.as_str())))
                    .collect();
                object(&[
                    ("kind", "app".into()),
                    ("key", key),
                    ("app", app.into()),
                    ("props", object(&props)),
                ])
            }
        }
    }

    /// The release of `app` this visitor gets, as `{releaseId, js, wasm, css}`, or undefined.
    fn choose(manifest: JsValue, app: String, visitor: String) -> JsValue {
        let Ok(apps) = get(&manifest, "apps").dyn_into::<Array>() else {
            return JsValue::UNDEFINED;
        };
        let Some(entry) = apps
            .iter()
            .find(|entry| get(entry, "app").as_string().as_deref() == Some(app.as_str()))
        else {
            return JsValue::UNDEFINED;
        };
        let Ok(releases) = get(&entry, "releases").dyn_into::<Array>() else {
            return JsValue::UNDEFINED;
        };
        let weights: Vec<f64> = releases
            .iter()
            .map(|release| get(&release, "weight").as_f64().unwrap_or(0.0))
            .collect();
        let seed = get(&entry, "seed").as_string().unwrap_or(app);
        let Some(index) = micro_app::assign(&seed, &visitor, &weights) else {
            return JsValue::UNDEFINED;
        };
        let release = releases.get(index as u32);
        let files = get(&release, "files");
        object(&[
            ("releaseId", get(&release, "releaseId")),
            ("js", get(&files, "js")),
            ("wasm", get(&files, "wasm")),
            ("css", get(&files, "css")),
        ])
    }

    fn event(kind: EventKind) -> JsValue {
        let fields: Vec<(&str, JsValue)> = kind
            .fields()
            .iter()
            .map(|(name, wire)| (*name, JsValue::from(*wire)))
            .collect();
        object(&[
            ("kind", kind.as_str().into()),
            ("name", kind.dom_name().into()),
            ("fields", object(&fields)),
        ])
    }

    #[wasm_bindgen(start)]
    pub fn start() {
        // The closures live as long as the page, like the shell.
        let route: Function = Closure::<dyn Fn(String, String) -> JsValue>::new(route)
            .into_js_value()
            .unchecked_into();
        let choose: Function = Closure::<dyn Fn(JsValue, String, String) -> JsValue>::new(choose)
            .into_js_value()
            .unchecked_into();
        let kit = object(&[
            ("route", route.into()),
            ("choose", choose.into()),
            ("eventVersion", EVENT_SCHEMA_VERSION.into()),
            ("lastEvents", LAST_EVENTS.into()),
            ("shopName", micro_app::SHOP_NAME.into()),
            (
                "events",
                object(&[
                    ("cartChanged", event(EventKind::CartChanged)),
                    ("checkoutCompleted", event(EventKind::CheckoutCompleted)),
                    ("visitorIdentified", event(EventKind::VisitorIdentified)),
                    ("navigationRequested", event(EventKind::NavigationRequested)),
                ]),
            ),
            (
                "keys",
                object(&[
                    ("visitorId", storage::VISITOR_ID.into()),
                    ("visitorCookie", storage::VISITOR_COOKIE.into()),
                    ("lastCartEvent", storage::LAST_CART_EVENT.into()),
                ]),
            ),
        ]);
        start_shell(&kit);
    }
}
