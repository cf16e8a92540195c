//! The names and schema version of cross-app events, free of serde so that the shell, which must
//! stay tiny, can publish and read events with `js_sys` alone. The payload types are `AppEvent`
//! (feature `browser`); a DOM event's `detail` is the JSON text `{"version", "kind", "data"}`.

/// Bumped only for incompatible payload changes; added optional fields keep the version.
pub const EVENT_SCHEMA_VERSION: u32 = 1;

/// The `window` property holding the last event `detail` of each kind, keyed by kind.
pub const LAST_EVENTS: &str = "__tesseraLastEvents";

/// The kinds, for subscribing and for reading the last event of a kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    CartChanged,
    ItemAdded,
    CheckoutCompleted,
    VisitorIdentified,
    NavigationRequested,
}

impl EventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::CartChanged => "cart-changed",
            EventKind::ItemAdded => "item-added",
            EventKind::CheckoutCompleted => "checkout-completed",
            EventKind::VisitorIdentified => "visitor-identified",
            EventKind::NavigationRequested => "navigation-requested",
        }
    }

    /// The kind named `name` (as in [`EventKind::as_str`]), if it is one this kit knows.
    pub fn parse(name: &str) -> Option<EventKind> {
        [
            EventKind::CartChanged,
            EventKind::ItemAdded,
            EventKind::CheckoutCompleted,
            EventKind::VisitorIdentified,
            EventKind::NavigationRequested,
        ]
        .into_iter()
        .find(|kind| kind.as_str() == name)
    }

    pub fn dom_name(self) -> String {
        format!("tessera:{}", self.as_str())
    }
}
