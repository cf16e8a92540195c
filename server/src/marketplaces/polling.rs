//! Order polling, page by page. Each page is imported as it arrives and moves the polling
//! position on (pages come oldest change first), and a poll cut short by the marketplace's
//! throttle resumes at the next round from the page it stopped at, so a flood of orders is worked
//! through however tight the quota, instead of starting over each round.

use api_client::types::MarketplaceImportSource;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::worker::{Stop, Worker, call};
use crate::domain::marketplace_orders;
use crate::store::{connectors, timestamp};

/// Where an unfinished poll stopped: its `since` and the next page's cursor.
#[derive(Default)]
pub struct PollResume(Option<(String, String)>);

impl Worker {
    /// Imports every order changed since the newest already imported, minus the overlap.
    pub(super) async fn poll(
        &mut self,
        poll_after: Option<&str>,
    ) -> anyhow::Result<Result<(), Stop>> {
        let (since, mut cursor) = match self.poll_resume.0.take() {
            Some((since, cursor)) => (since, Some(cursor)),
            None => {
                let since = poll_after
                    .and_then(|after| OffsetDateTime::parse(after, &Rfc3339).ok())
                    .map_or(OffsetDateTime::UNIX_EPOCH, |after| {
                        after - self.dialect.poll_overlap()
                    });
                (since.format(&Rfc3339)?, None)
            }
        };
        loop {
            let request = self.client.orders_page(&since, cursor.as_deref());
            let (orders, next) =
                match call(&mut self.pacer, &self.state.db, &self.id, request).await? {
                    Ok(page) => page,
                    Err(stop) => {
                        if let Some(cursor) = cursor {
                            self.poll_resume = PollResume(Some((since, cursor)));
                        }
                        return Ok(Err(stop));
                    }
                };
            let mut newest: Option<OffsetDateTime> = None;
            for order in &orders {
                marketplace_orders::intake(
                    &self.state.writer,
                    &self.state.outbox,
                    &self.id,
                    order,
                    MarketplaceImportSource::Poll,
                )
                .await
                .map_err(|error| anyhow::anyhow!("importing {}: {error:?}", order.id))?;
                if let Ok(updated) = OffsetDateTime::parse(&order.updated_at, &Rfc3339) {
                    newest = newest.max(Some(updated));
                }
            }
            if let Some(newest) = newest {
                connectors::set_poll_after(&self.state.db, &self.id, &timestamp(newest)).await?;
            }
            match next {
                Some(next) => cursor = Some(next),
                None => return Ok(Ok(())),
            }
        }
    }
}
