//! Browser storage: the keys more than one party reads (the shell and the apps agree on them
//! here), and, in the browser, the one way the apps read and write `localStorage` and
//! `sessionStorage`. Storage can be missing (sandboxed frames), disabled or full; every helper
//! then does nothing and reads find nothing, so an app only ever loses what it meant to keep.

/// `localStorage`: the id of the visitor's open cart (product pages create it, checkout reads it).
pub const CART_ID: &str = "tessera:cart-id";
/// `localStorage`: the visitor's sticky id, assigned once by the shell.
pub const VISITOR_ID: &str = "tessera:visitor-id";
/// Cookie: the same visitor id, first-party, so the edge renders the release the shell will load.
/// The server sets it when a page request has none; the shell writes its own id into it.
pub const VISITOR_COOKIE: &str = "ts_visitor";
/// `localStorage`: the shell's own keys (its last good manifest) start with this; they belong to
/// the device, not the shopper, so a kiosk's session reset keeps them.
pub const SHELL_PREFIX: &str = "tessera:shell:";
/// `localStorage`: the last `cart-changed` event's detail, so a reload shows the cart count at once.
pub const LAST_CART_EVENT: &str = "tessera:last-cart-event";

/// Which of the page's stores: `Local` outlives the tab, `Session` belongs to this tab.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Store {
    Local,
    Session,
}

#[cfg(all(feature = "browser", target_arch = "wasm32"))]
mod browser {
    use super::Store;

    fn open(store: Store) -> Option<web_sys::Storage> {
        let window = web_sys::window()?;
        match store {
            Store::Local => window.local_storage().ok()?,
            Store::Session => window.session_storage().ok()?,
        }
    }

    pub fn read(store: Store, key: &str) -> Option<String> {
        open(store)?.get_item(key).ok()?
    }

    /// Writes `value` under `key`, or removes the key when `value` is `None`.
    pub fn write(store: Store, key: &str, value: Option<&str>) {
        let Some(storage) = open(store) else { return };
        let _ = match value {
            Some(value) => storage.set_item(key, value),
            None => storage.remove_item(key),
        };
    }
}

#[cfg(all(feature = "browser", target_arch = "wasm32"))]
pub use browser::{read, write};
