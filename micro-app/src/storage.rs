//! Browser storage keys more than one party reads: the shell and the apps agree on them here.

/// `localStorage`: the id of the visitor's open cart (product pages create it, checkout reads it).
pub const CART_ID: &str = "tessera:cart-id";
/// `localStorage`: the visitor's sticky id, assigned once by the shell.
pub const VISITOR_ID: &str = "tessera:visitor-id";
/// `localStorage`: the last `cart-changed` event's detail, so a reload shows the cart count at once.
pub const LAST_CART_EVENT: &str = "tessera:last-cart-event";
