//! The release tool's library: `files` is what the tool and the CDN origin compute alike about a
//! release file (integrity, precompression); `build` makes immutable releases from trunk output;
//! `ops` (feature `ops`, on by default) talks to the server's ops API (publish, rollouts,
//! rollback) and explains assignments. `main.rs` is the command line over it.

pub mod build;
pub mod files;
#[cfg(feature = "ops")]
pub mod ops;
