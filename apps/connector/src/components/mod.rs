//! The console's small components, shared by its pages.

mod activity;
mod batch_replay;
mod cursors;
pub mod health;
mod imports;
mod listings;
mod live;
mod pickup_address;
mod reason_dialog;
mod runs;
mod timeline;

pub use activity::ActivityCharts;
pub use batch_replay::BatchReplay;
pub use cursors::{Cursors, PageControls, latest};
pub use health::HealthBadge;
pub use imports::ImportLog;
pub use listings::Listings;
pub use live::follow_connectors;
pub use pickup_address::{PickupAddressForm, counter_line};
pub use reason_dialog::ReasonDialog;
pub use runs::Runs;
pub use timeline::TimelineDrawer;

/// Asks `loader` again every `seconds` while the calling component lives; the answer shown stays
/// until the new one arrives, so a table keeps its sort and the reader their place.
pub fn refresh_every<T: 'static>(loader: micro_app::Loader<T>, seconds: u64) {
    use leptos::prelude::*;
    if let Ok(handle) = set_interval_with_handle(
        move || loader.refetch(),
        std::time::Duration::from_secs(seconds),
    ) {
        on_cleanup(move || handle.clear());
    }
}
