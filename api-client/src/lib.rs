//! Typed client for the Tessera commerce contract.
//!
//! `types` and the operation methods are generated from `contracts/commerce-v1.yaml` by
//! `cargo xtask codegen` and never edited by hand. Everything that is policy rather than contract
//! (base URL, headers, timeouts, which requests may be retried, error shapes) lives in the
//! hand-written `runtime` and `error` modules. The model types compile natively too, so the
//! server uses exactly the types the apps decode: with serde on the server, with the generated
//! `json_codec` impls (`codec`, checked against serde by this crate's tests) in the browser.

#[path = "generated/codec.rs"]
mod codec;
mod error;
#[cfg(all(feature = "fetch", target_arch = "wasm32"))]
mod fetch;
#[path = "generated/operations.rs"]
mod operations;
mod runtime;
#[cfg(all(feature = "fetch", target_arch = "wasm32"))]
mod session;
#[path = "generated/types.rs"]
pub mod types;

pub use error::ApiError;
#[cfg(all(feature = "fetch", target_arch = "wasm32"))]
pub use fetch::{FetchTransport, new_idempotency_key};
pub use operations::*;
pub use runtime::{
    Body, Client, HttpRequest, HttpResponse, Method, RetryPolicy, Transport, TransportError,
};
#[cfg(all(feature = "fetch", target_arch = "wasm32"))]
pub use session::{forget_shopper_session, keep_shopper_session, with_shopper_session};
