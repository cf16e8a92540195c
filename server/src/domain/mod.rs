//! Rules and workflows between HTTP and SQL: what may be published, how traffic is split, when a
//! release halts, who counts in telemetry. A workflow reads as a plain function over the store
//! (and a transaction where several writes must hold together); it knows nothing of HTTP and
//! writes no SQL.

pub mod carts;
pub mod checkouts;
pub mod customers;
pub mod experiments;
pub mod kiosk;
pub mod kiosk_orders;
pub mod listing;
pub mod marketplace_orders;
pub mod place_order;
pub mod ramps;
pub mod reconciliation;
pub mod release_files;
pub mod releases;
pub mod sealing;
pub mod telemetry;
