//! The micro-app kit: what the shell, the micro apps, xtask and the server must agree on: the
//! routing table, visitor bucketing, event names and shared storage keys, input rules, typed
//! cross-app events (feature `browser`), and the
//! mount contract for Leptos micro apps (feature `leptos`, hydrating with `hydrate`), and the
//! edge's render protocol with the renderer's side of it (feature `ssr`). The shell uses only the
//! framework-free parts. Never touches the network.

mod bucketing;
pub mod edge;
mod event_kinds;
#[cfg(feature = "browser")]
mod events;
#[cfg(all(feature = "leptos", target_arch = "wasm32"))]
mod head;
#[cfg(all(feature = "leptos", target_arch = "wasm32"))]
mod mount;
#[cfg(all(feature = "ssr", target_arch = "wasm32"))]
mod render;
mod routes;
pub mod rules;
pub mod storage;
#[cfg(all(feature = "leptos", target_arch = "wasm32"))]
mod tasks;

pub use bucketing::{assign, bucket_ranges, choose_variation, hash, in_namespace};
pub use event_kinds::{EVENT_SCHEMA_VERSION, EventKind, LAST_EVENTS};
#[cfg(feature = "browser")]
pub use events::AppEvent;
#[cfg(all(feature = "browser", target_arch = "wasm32"))]
pub use events::{Subscription, emit, last, subscribe};
#[cfg(all(feature = "leptos", target_arch = "wasm32"))]
pub use head::{page_head, page_origin, page_title};
#[cfg(all(feature = "leptos", target_arch = "wasm32"))]
pub use mount::{MountHandle, mount_app, mount_live_app};
#[cfg(all(feature = "hydrate", target_arch = "wasm32"))]
pub use mount::{hydrate_app, hydrate_live_app};
#[cfg(all(feature = "ssr", target_arch = "wasm32"))]
pub use render::{render, render_stdio};
pub use routes::{Route, route};

/// The shop's name, after the page's own name in every document title ("Checkout · Tessera"),
/// whether the shell or an app sets it.
pub const SHOP_NAME: &str = "Tessera";
#[cfg(all(feature = "leptos", target_arch = "wasm32"))]
pub use tasks::{Loader, Task, load, load_from, task};
