//! The micro-app kit: what the shell, the micro apps, xtask and the server must agree on.
//! Today it holds visitor bucketing; the mount contract, cross-app events and the manifest types
//! arrive with the rest of the platform issue. Never depends on a framework or on the network.

mod bucketing;
#[cfg(feature = "release-files")]
mod release_files;

pub use bucketing::{assign, bucket_ranges, choose_variation, hash, in_namespace};
#[cfg(feature = "release-files")]
pub use release_files::{Precompressed, integrity_of, precompress};
