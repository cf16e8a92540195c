//! The names and schema version of cross-app events, free of serde so that the shell, which must
//! stay tiny, can publish and read events with `js_sys` alone. The payload types are `AppEvent`
//! (feature `browser`); a DOM event's `detail` is the JSON text `{"version", "kind", "data"}`.

/// Bumped only for incompatible payload changes; added optional fields keep the version.
pub const EVENT_SCHEMA_VERSION: u32 = 1;

/// The `window` property holding the last event `detail` of each kind, keyed by kind.
pub const LAST_EVENTS: &str = "__tesseraLastEvents";

/// The wire names of the payload fields, shared by the typed events and the shell (which reads
/// the cart count and navigation requests without a copy of these names of its own).
pub mod field {
    pub const CART_ID: &str = "cart_id";
    /// The cart's version, in `cart-changed`.
    pub const CART_VERSION: &str = "version";
    pub const ITEM_COUNT: &str = "item_count";
    pub const VARIANT_ID: &str = "variant_id";
    pub const QUANTITY: &str = "quantity";
    pub const ORDER_ID: &str = "order_id";
    pub const VISITOR_ID: &str = "visitor_id";
    pub const PATH: &str = "path";
    pub const REPLACE: &str = "replace";
    /// What a kiosk sale is, in words, in `kiosk-sale-requested`.
    pub const TITLE: &str = "title";
    /// A sale's total in minor units, and its currency.
    pub const AMOUNT: &str = "amount";
    pub const CURRENCY: &str = "currency";
}

/// The kinds, for subscribing and for reading the last event of a kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    CartChanged,
    ItemAdded,
    CheckoutCompleted,
    VisitorIdentified,
    NavigationRequested,
    /// On a kiosk: the shopper wants to buy this here (the kiosk module takes the payment).
    KioskSaleRequested,
}

impl EventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::CartChanged => "cart-changed",
            EventKind::ItemAdded => "item-added",
            EventKind::CheckoutCompleted => "checkout-completed",
            EventKind::VisitorIdentified => "visitor-identified",
            EventKind::NavigationRequested => "navigation-requested",
            EventKind::KioskSaleRequested => "kiosk-sale-requested",
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
            EventKind::KioskSaleRequested,
        ]
        .into_iter()
        .find(|kind| kind.as_str() == name)
    }

    /// Each payload field as `(name for JavaScript, wire name)`, for the shell's `kit`.
    pub fn fields(self) -> &'static [(&'static str, &'static str)] {
        match self {
            EventKind::CartChanged => &[
                ("cartId", field::CART_ID),
                ("version", field::CART_VERSION),
                ("itemCount", field::ITEM_COUNT),
            ],
            EventKind::ItemAdded => &[
                ("cartId", field::CART_ID),
                ("variantId", field::VARIANT_ID),
                ("quantity", field::QUANTITY),
            ],
            EventKind::CheckoutCompleted => &[("orderId", field::ORDER_ID)],
            EventKind::VisitorIdentified => &[("visitorId", field::VISITOR_ID)],
            EventKind::NavigationRequested => &[("path", field::PATH), ("replace", field::REPLACE)],
            EventKind::KioskSaleRequested => &[
                ("variantId", field::VARIANT_ID),
                ("quantity", field::QUANTITY),
                ("title", field::TITLE),
                ("amount", field::AMOUNT),
                ("currency", field::CURRENCY),
            ],
        }
    }

    pub fn dom_name(self) -> String {
        format!("tessera:{}", self.as_str())
    }
}
