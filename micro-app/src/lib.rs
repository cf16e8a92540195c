//! The micro-app kit: what the shell, the micro apps, xtask and the server must agree on.
//! Today it holds visitor bucketing, typed cross-app events (feature `browser`) and release-file
//! helpers (feature `release-files`); the mount contract arrives with the rest of the platform
//! issue. Never depends on a UI framework or on the network.

mod bucketing;
#[cfg(feature = "browser")]
mod events;
#[cfg(feature = "release-files")]
mod release_files;

pub use bucketing::{assign, bucket_ranges, choose_variation, hash, in_namespace};
#[cfg(feature = "browser")]
pub use events::{AppEvent, EVENT_SCHEMA_VERSION, EventKind};
#[cfg(all(feature = "browser", target_arch = "wasm32"))]
pub use events::{Subscription, emit, last, subscribe};
#[cfg(feature = "release-files")]
pub use release_files::{Precompressed, integrity_of, precompress};
