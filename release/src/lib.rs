//! The release tool's library: `build` makes immutable releases from trunk output; `ops` talks to
//! the server's ops API (publish, rollouts, rollback) and explains assignments. `main.rs` is the
//! command line over it.

pub mod build;
pub mod ops;
