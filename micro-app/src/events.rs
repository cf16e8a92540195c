//! Typed cross-app events: micro apps on one page talk through DOM `CustomEvent`s on `window`
//! (`tessera:<kind>`), never through each other's code. Every event carries a schema version;
//! a receiver ignores versions it does not know instead of failing. The last event of each kind
//! is kept on `window` too, so an app mounted later (a header after the cart changed) can read it.
//!
//! Payloads travel as JSON, so two apps built with different versions of this kit interoperate.
//! They are written and read with `json_codec` rather than serde: the derive for this one enum
//! cost every app a few kilobytes of wasm.

use json_codec::{Object, ObjectWriter, ToJson};

use crate::event_kinds::field;
pub use crate::event_kinds::{EVENT_SCHEMA_VERSION, EventKind};

/// The events micro apps exchange.
#[derive(Debug, Clone, PartialEq)]
pub enum AppEvent {
    /// The cart changed: its id, version and item count (for the header's badge).
    CartChanged {
        cart_id: String,
        version: i64,
        item_count: i32,
    },
    /// A line was added (for toasts and analytics).
    ItemAdded {
        cart_id: String,
        variant_id: String,
        quantity: i32,
    },
    /// An order was placed from the cart; the cart is gone.
    CheckoutCompleted { order_id: String },
    /// The visitor has a stable id (the shell assigns it once).
    VisitorIdentified { visitor_id: String },
    /// An app asks the shell, which owns the URL, to go to `path` (path and query). With
    /// `replace` the history entry is replaced and, when the route stays the same, the app stays
    /// mounted (a shareable `?variant=` link, for example).
    NavigationRequested { path: String, replace: bool },
    /// On a kiosk, the shopper asks to buy `quantity` of a variant here; the kiosk module (the
    /// shell's, on kiosks only) takes the payment and queues the order.
    KioskSaleRequested {
        variant_id: String,
        quantity: i32,
        title: String,
        amount: i64,
        currency: String,
    },
}

impl AppEvent {
    pub fn kind(&self) -> EventKind {
        match self {
            AppEvent::CartChanged { .. } => EventKind::CartChanged,
            AppEvent::ItemAdded { .. } => EventKind::ItemAdded,
            AppEvent::CheckoutCompleted { .. } => EventKind::CheckoutCompleted,
            AppEvent::VisitorIdentified { .. } => EventKind::VisitorIdentified,
            AppEvent::NavigationRequested { .. } => EventKind::NavigationRequested,
            AppEvent::KioskSaleRequested { .. } => EventKind::KioskSaleRequested,
        }
    }

    /// The JSON `detail` of the DOM event: `{"version": 1, "kind": …, "data": …}`.
    pub fn to_detail(&self) -> String {
        let mut detail = String::new();
        let mut object = ObjectWriter::new(&mut detail);
        object.field("version", &EVENT_SCHEMA_VERSION);
        object.field("kind", self.kind().as_str());
        object.field("data", &Data(self));
        object.end();
        detail
    }

    /// Reads a `detail`; other versions and malformed payloads are ignored (`None`), and unknown
    /// fields are tolerated.
    pub fn from_detail(detail: &str) -> Option<AppEvent> {
        let mut event = json_codec::parse(detail)
            .ok()?
            .into_object("an event")
            .ok()?;
        if event.take::<u32>("version").ok()? != EVENT_SCHEMA_VERSION {
            return None;
        }
        let kind = EventKind::parse(&event.take::<String>("kind").ok()?)?;
        let data = event.remove("data")?.into_object("event data").ok()?;
        Self::from_data(kind, data).ok()
    }

    fn from_data(kind: EventKind, mut data: Object) -> Result<AppEvent, json_codec::DecodeError> {
        Ok(match kind {
            EventKind::CartChanged => AppEvent::CartChanged {
                cart_id: data.take(field::CART_ID)?,
                version: data.take(field::CART_VERSION)?,
                item_count: data.take(field::ITEM_COUNT)?,
            },
            EventKind::ItemAdded => AppEvent::ItemAdded {
                cart_id: data.take(field::CART_ID)?,
                variant_id: data.take(field::VARIANT_ID)?,
                quantity: data.take(field::QUANTITY)?,
            },
            EventKind::CheckoutCompleted => AppEvent::CheckoutCompleted {
                order_id: data.take(field::ORDER_ID)?,
            },
            EventKind::VisitorIdentified => AppEvent::VisitorIdentified {
                visitor_id: data.take(field::VISITOR_ID)?,
            },
            EventKind::NavigationRequested => AppEvent::NavigationRequested {
                path: data.take(field::PATH)?,
                replace: data.take(field::REPLACE)?,
            },
            EventKind::KioskSaleRequested => AppEvent::KioskSaleRequested {
                variant_id: data.take(field::VARIANT_ID)?,
                quantity: data.take(field::QUANTITY)?,
                title: data.take(field::TITLE)?,
                amount: data.take(field::AMOUNT)?,
                currency: data.take(field::CURRENCY)?,
            },
        })
    }
}

/// An event's `data` object.
struct Data<'a>(&'a AppEvent);

impl ToJson for Data<'_> {
    fn write_json(&self, out: &mut String) {
        let mut data = ObjectWriter::new(out);
        match self.0 {
            AppEvent::CartChanged {
                cart_id,
                version,
                item_count,
            } => {
                data.field(field::CART_ID, cart_id);
                data.field(field::CART_VERSION, version);
                data.field(field::ITEM_COUNT, item_count);
            }
            AppEvent::ItemAdded {
                cart_id,
                variant_id,
                quantity,
            } => {
                data.field(field::CART_ID, cart_id);
                data.field(field::VARIANT_ID, variant_id);
                data.field(field::QUANTITY, quantity);
            }
            AppEvent::CheckoutCompleted { order_id } => data.field(field::ORDER_ID, order_id),
            AppEvent::VisitorIdentified { visitor_id } => data.field(field::VISITOR_ID, visitor_id),
            AppEvent::NavigationRequested { path, replace } => {
                data.field(field::PATH, path);
                data.field(field::REPLACE, replace);
            }
            AppEvent::KioskSaleRequested {
                variant_id,
                quantity,
                title,
                amount,
                currency,
            } => {
                data.field(field::VARIANT_ID, variant_id);
                data.field(field::QUANTITY, quantity);
                data.field(field::TITLE, title);
                data.field(field::AMOUNT, amount);
                data.field(field::CURRENCY, currency);
            }
        }
        data.end();
    }
}

#[cfg(target_arch = "wasm32")]
mod dom {
    use wasm_bindgen::JsCast;
    use wasm_bindgen::prelude::Closure;

    use super::{AppEvent, EventKind};

    use crate::event_kinds::LAST_EVENTS;

    fn window() -> Option<web_sys::Window> {
        web_sys::window()
    }

    /// Publishes an event to every app on the page and remembers it as the last of its kind.
    pub fn emit(event: &AppEvent) {
        let Some(window) = window() else { return };
        let detail = event.to_detail();
        let store = js_sys::Reflect::get(&window, &LAST_EVENTS.into())
            .ok()
            .filter(|store| store.is_object())
            .unwrap_or_else(|| {
                let store = js_sys::Object::new().into();
                let _ = js_sys::Reflect::set(&window, &LAST_EVENTS.into(), &store);
                store
            });
        let _ = js_sys::Reflect::set(
            &store,
            &event.kind().as_str().into(),
            &detail.clone().into(),
        );
        let init = web_sys::CustomEventInit::new();
        init.set_detail(&detail.into());
        if let Ok(dom_event) =
            web_sys::CustomEvent::new_with_event_init_dict(&event.kind().dom_name(), &init)
        {
            let _ = window.dispatch_event(&dom_event);
        }
    }

    /// The last event of a kind published on this page, if any (for apps mounted later).
    pub fn last(kind: EventKind) -> Option<AppEvent> {
        let window: wasm_bindgen::JsValue = window()?.into();
        let store = js_sys::Reflect::get(&window, &LAST_EVENTS.into()).ok()?;
        let detail = js_sys::Reflect::get(&store, &kind.as_str().into())
            .ok()?
            .as_string()?;
        AppEvent::from_detail(&detail)
    }

    /// A listener that is removed when dropped: keep it in the app's state and drop it on unmount.
    pub struct Subscription {
        name: String,
        callback: Closure<dyn FnMut(web_sys::Event)>,
    }

    impl Drop for Subscription {
        fn drop(&mut self) {
            if let Some(window) = window() {
                let _ = window.remove_event_listener_with_callback(
                    &self.name,
                    self.callback.as_ref().unchecked_ref(),
                );
            }
        }
    }

    /// Calls `handler` for every event of `kind` with a known schema version.
    pub fn subscribe(
        kind: EventKind,
        mut handler: impl FnMut(AppEvent) + 'static,
    ) -> Option<Subscription> {
        let window = window()?;
        let callback = Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
            let detail = event
                .dyn_ref::<web_sys::CustomEvent>()
                .and_then(|custom| custom.detail().as_string());
            if let Some(event) = detail.as_deref().and_then(AppEvent::from_detail) {
                handler(event);
            }
        });
        let name = kind.dom_name();
        window
            .add_event_listener_with_callback(&name, callback.as_ref().unchecked_ref())
            .ok()?;
        Some(Subscription { name, callback })
    }
}

#[cfg(target_arch = "wasm32")]
pub use dom::{Subscription, emit, last, subscribe};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_round_trip_with_their_version() {
        let event = AppEvent::CartChanged {
            cart_id: "c1".into(),
            version: 3,
            item_count: 2,
        };
        let detail = event.to_detail();
        assert!(
            detail.contains(r#""version":1"#) && detail.contains(r#""kind":"cart-changed""#),
            "{detail}"
        );
        assert_eq!(AppEvent::from_detail(&detail), Some(event));
    }

    #[test]
    fn every_event_round_trips() {
        let events = [
            AppEvent::CartChanged {
                cart_id: "c\"1".into(),
                version: 9_007_199_254_740_993,
                item_count: -1,
            },
            AppEvent::ItemAdded {
                cart_id: "c".into(),
                variant_id: "v".into(),
                quantity: 3,
            },
            AppEvent::CheckoutCompleted {
                order_id: "o".into(),
            },
            AppEvent::VisitorIdentified {
                visitor_id: "é".into(),
            },
            AppEvent::NavigationRequested {
                path: "/products/x?variant=y".into(),
                replace: true,
            },
            AppEvent::KioskSaleRequested {
                variant_id: "v".into(),
                quantity: 2,
                title: "Merino crew — Navy / M".into(),
                amount: 17_800,
                currency: "USD".into(),
            },
        ];
        for event in events {
            let detail = event.to_detail();
            // What the shell is told a kind's fields are is exactly what the event carries.
            let data = json_codec::parse(&detail)
                .unwrap()
                .into_object("detail")
                .unwrap()
                .remove("data")
                .unwrap()
                .into_object("data")
                .unwrap();
            let mut written: Vec<&str> = data.0.iter().map(|(name, _)| name.as_str()).collect();
            let mut announced: Vec<&str> = event
                .kind()
                .fields()
                .iter()
                .map(|(_, wire)| *wire)
                .collect();
            written.sort_unstable();
            announced.sort_unstable();
            assert_eq!(written, announced, "{detail}");
            assert_eq!(AppEvent::from_detail(&detail), Some(event), "{detail}");
        }
        assert_eq!(
            AppEvent::from_detail(r#"{"version":1,"kind":"cart-changed","data":{"cart_id":"c"}}"#),
            None,
            "missing fields"
        );
    }

    #[test]
    fn unknown_versions_and_kinds_are_ignored_and_unknown_fields_tolerated() {
        assert_eq!(
            AppEvent::from_detail(
                r#"{"version":2,"kind":"cart-changed","data":{"cart_id":"c","version":1,"item_count":1}}"#
            ),
            None
        );
        assert_eq!(
            AppEvent::from_detail(r#"{"version":1,"kind":"teleported","data":{}}"#),
            None
        );
        assert_eq!(AppEvent::from_detail("not json"), None);
        let with_extra = r#"{"version":1,"kind":"checkout-completed","data":{"order_id":"o1","placed_by":"x"},"sent_at":"now"}"#;
        assert_eq!(
            AppEvent::from_detail(with_extra),
            Some(AppEvent::CheckoutCompleted {
                order_id: "o1".into()
            })
        );
    }
}
