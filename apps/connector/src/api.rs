//! The console's one seam to the commerce API: one function per operation it uses, each with the
//! operator's token (from `session`) and, for writes, a fresh Idempotency-Key that the client's
//! retries resend unchanged. Failures come back as `Failure`, already read for what the pages
//! show, so no other module touches `api_client`'s client or error.

use std::time::Duration;

use api_client::types::{
    Address, AuditPage, Connector, ConnectorActionRequest, ConnectorActivity, ConnectorListingPage,
    ConnectorSyncRequest, DeadLetter, DeadLetterPage, DeadLetterStatus, ExperimentReadout,
    KioskPolicy, KioskPolicyUpdate, ListingSyncState, MarketplaceOrderImportPage, OpsSession,
    OrderEvent, OrderEventType, ReconciliationDifference, ReconciliationRun, ReconciliationRunPage,
    ReleaseEventPage, Rollout, RolloutStats, WebhookDelivery, WebhookDeliveryPage, WebhookEndpoint,
};
use api_client::{
    ApiError, Client, DiscardDeadLetterQuery, FetchTransport, GetConnectorActivityQuery,
    ListAuditTrailQuery, ListConnectorListingsQuery, ListDeadLettersQuery, ListEventsQuery,
    ListMarketplaceOrderImportsQuery, ListReconciliationsQuery, ListRolloutHistoryQuery,
    ListWebhookDeliveriesQuery, ReplayDeadLetterQuery, RollbackRolloutQuery, StreamConnectorsQuery,
    new_idempotency_key,
};

/// A call that did not succeed, as the console shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct Failure {
    /// The HTTP status, when the server answered.
    pub status: Option<u16>,
    /// A sentence an operator can act on.
    pub message: String,
    /// The server's field errors as `(field, message)`, shown next to the field they name.
    pub fields: Vec<(String, String)>,
}

impl Failure {
    /// The token is not (or no longer) accepted: the operator must sign in again.
    pub fn is_signed_out(&self) -> bool {
        self.status == Some(401)
    }

    /// The error the server gave for `field`, if any.
    pub fn field(&self, field: &str) -> Option<String> {
        self.fields
            .iter()
            .find(|(name, _)| name == field)
            .map(|(_, message)| message.clone())
    }
}

impl From<ApiError> for Failure {
    fn from(error: ApiError) -> Self {
        let message = match error.status() {
            Some(401) => "Your ops token is not accepted. Sign in again.".to_owned(),
            Some(403) => "Your role may not do this.".to_owned(),
            _ => error
                .problem()
                .and_then(|problem| problem.detail.clone())
                .filter(|detail| !detail.is_empty())
                .unwrap_or_else(|| error.user_message()),
        };
        Failure {
            status: error.status(),
            message,
            fields: error
                .field_errors()
                .iter()
                .map(|field| (field.field.clone(), field.message.clone()))
                .collect(),
        }
    }
}

fn client(token: &str) -> Client<FetchTransport> {
    Client::new("", FetchTransport)
        .with_timeout(Duration::from_secs(15))
        .with_bearer_token(token)
}

fn reason(text: &str) -> ConnectorActionRequest {
    ConnectorActionRequest {
        reason: text.to_owned(),
    }
}

pub async fn session(token: &str) -> Result<OpsSession, Failure> {
    Ok(client(token).get_ops_session().await?)
}

/// Where the connectors' live stream is: opened with a fresh, short-lived ticket, never with the
/// token itself (the URL is built by a client without one, so no token lands in it).
pub async fn connectors_stream_url(token: &str) -> Result<String, Failure> {
    let ticket = client(token).create_stream_ticket().await?.ticket;
    Ok(Client::new("", FetchTransport).stream_connectors_url(&StreamConnectorsQuery { ticket }))
}

pub async fn connectors(token: &str) -> Result<Vec<Connector>, Failure> {
    Ok(client(token).list_connectors().await?.items)
}

pub async fn connector(token: &str, id: &str) -> Result<Connector, Failure> {
    Ok(client(token).get_connector(id).await?)
}

pub async fn set_paused(
    token: &str,
    id: &str,
    paused: bool,
    why: &str,
) -> Result<Connector, Failure> {
    let (api, key, body) = (client(token), new_idempotency_key(), reason(why));
    Ok(if paused {
        api.pause_connector(id, Some(&key), &body).await?
    } else {
        api.resume_connector(id, Some(&key), &body).await?
    })
}

/// Sync now, or with `since` re-import the orders changed since then.
pub async fn sync(
    token: &str,
    id: &str,
    since: Option<String>,
    why: &str,
) -> Result<Connector, Failure> {
    let body = ConnectorSyncRequest {
        since,
        reason: Some(why.to_owned()),
    };
    Ok(client(token)
        .sync_connector(id, Some(&new_idempotency_key()), &body)
        .await?)
}

pub async fn activity(token: &str, id: &str) -> Result<ConnectorActivity, Failure> {
    let query = GetConnectorActivityQuery { hours: Some(24) };
    Ok(client(token).get_connector_activity(id, &query).await?)
}

pub async fn listings(
    token: &str,
    id: &str,
    state: Option<ListingSyncState>,
    sku: Option<String>,
    cursor: Option<String>,
) -> Result<ConnectorListingPage, Failure> {
    let query = ListConnectorListingsQuery {
        state,
        sku,
        cursor,
        limit: Some(crate::PAGE_SIZE),
    };
    Ok(client(token).list_connector_listings(id, &query).await?)
}

pub async fn imports(
    token: &str,
    id: &str,
    cursor: Option<String>,
) -> Result<MarketplaceOrderImportPage, Failure> {
    let query = ListMarketplaceOrderImportsQuery {
        cursor,
        limit: Some(crate::PAGE_SIZE),
    };
    Ok(client(token)
        .list_marketplace_order_imports(id, &query)
        .await?)
}

/// The lifecycle events of one order (a marketplace import's id is its events' `orderId`).
pub async fn timeline(token: &str, order_id: &str) -> Result<Vec<OrderEvent>, Failure> {
    let query = ListEventsQuery {
        order_id: Some(order_id.to_owned()),
        ..Default::default()
    };
    Ok(client(token).list_events(&query).await?.items)
}

pub async fn runs(token: &str, id: &str) -> Result<ReconciliationRunPage, Failure> {
    let query = ListReconciliationsQuery {
        cursor: None,
        limit: Some(crate::PAGE_SIZE),
    };
    Ok(client(token).list_reconciliations(id, &query).await?)
}

pub async fn start_run(token: &str, id: &str, why: &str) -> Result<ReconciliationRun, Failure> {
    Ok(client(token)
        .start_reconciliation(id, Some(&new_idempotency_key()), &reason(why))
        .await?)
}

pub async fn run(token: &str, run_id: &str) -> Result<ReconciliationRun, Failure> {
    Ok(client(token).get_reconciliation(run_id).await?)
}

pub async fn apply_fix(
    token: &str,
    run_id: &str,
    difference_id: &str,
    why: &str,
) -> Result<ReconciliationDifference, Failure> {
    Ok(client(token)
        .apply_reconciliation_fix(
            run_id,
            difference_id,
            Some(&new_idempotency_key()),
            &reason(why),
        )
        .await?)
}

/// What the dead-letter page filters by; empty texts mean "any".
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LetterFilter {
    pub status: Option<DeadLetterStatus>,
    pub consumer: String,
    pub event_type: String,
    pub error: String,
    pub failed_after: String,
    pub failed_before: String,
}

fn given(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

pub async fn dead_letters(
    token: &str,
    filter: &LetterFilter,
    cursor: Option<String>,
    limit: i32,
) -> Result<DeadLetterPage, Failure> {
    let event_type = match given(&filter.event_type) {
        Some(text) => Some(text.parse::<OrderEventType>().map_err(|_| Failure {
            status: None,
            message: "Check the filters.".to_owned(),
            fields: vec![("eventType".to_owned(), "no such event type".to_owned())],
        })?),
        None => None,
    };
    let query = ListDeadLettersQuery {
        status: filter.status,
        consumer: given(&filter.consumer),
        event_type,
        error: given(&filter.error),
        failed_after: given(&filter.failed_after),
        failed_before: given(&filter.failed_before),
        cursor,
        limit: Some(limit),
    };
    Ok(client(token).list_dead_letters(&query).await?)
}

pub async fn replay(token: &str, id: &str, why: &str) -> Result<DeadLetter, Failure> {
    let query = ReplayDeadLetterQuery {
        reason: Some(why.to_owned()),
    };
    Ok(client(token)
        .replay_dead_letter(id, &query, Some(&new_idempotency_key()))
        .await?)
}

pub async fn discard(token: &str, id: &str, why: &str) -> Result<DeadLetter, Failure> {
    let query = DiscardDeadLetterQuery { reason: given(why) };
    Ok(client(token)
        .discard_dead_letter(id, &query, Some(&new_idempotency_key()))
        .await?)
}

pub async fn audit(token: &str, cursor: Option<String>) -> Result<AuditPage, Failure> {
    let query = ListAuditTrailQuery {
        cursor,
        limit: Some(crate::PAGE_SIZE),
    };
    Ok(client(token).list_audit_trail(&query).await?)
}

pub async fn webhooks(token: &str) -> Result<Vec<WebhookEndpoint>, Failure> {
    Ok(client(token).list_webhook_endpoints().await?.items)
}

pub async fn deliveries(token: &str, endpoint_id: &str) -> Result<WebhookDeliveryPage, Failure> {
    let query = ListWebhookDeliveriesQuery {
        cursor: None,
        limit: Some(crate::PAGE_SIZE),
    };
    Ok(client(token)
        .list_webhook_deliveries(endpoint_id, &query)
        .await?)
}

pub async fn resend(
    token: &str,
    endpoint_id: &str,
    delivery_id: &str,
) -> Result<WebhookDelivery, Failure> {
    Ok(client(token)
        .resend_webhook_delivery(endpoint_id, delivery_id, Some(&new_idempotency_key()))
        .await?)
}

/// What the release-health page shows of an app.
#[derive(Clone)]
pub struct ReleaseHealth {
    pub rollout: Rollout,
    /// The funnel, the experiment and the sample ratio.
    pub readout: ExperimentReadout,
    /// Errors and load time per release.
    pub stats: RolloutStats,
    /// The latest changes of the rollout, newest first.
    pub history: ReleaseEventPage,
}

pub async fn release_health(token: &str, app: &str) -> Result<ReleaseHealth, Failure> {
    let api = client(token);
    let query = ListRolloutHistoryQuery {
        limit: Some(20),
        ..ListRolloutHistoryQuery::default()
    };
    Ok(ReleaseHealth {
        rollout: api.get_rollout(app).await?,
        readout: api.get_experiment_readout(app).await?,
        stats: api.get_rollout_stats(app).await?,
        history: api.list_rollout_history(app, &query).await?,
    })
}

pub async fn roll_back(token: &str, app: &str, why: &str) -> Result<Rollout, Failure> {
    let query = RollbackRolloutQuery {
        reason: Some(why.to_owned()),
    };
    Ok(client(token)
        .rollback_rollout(app, &query, Some(&new_idempotency_key()))
        .await?)
}

pub async fn kiosk_policy(token: &str) -> Result<KioskPolicy, Failure> {
    Ok(client(token).get_kiosk_policy().await?)
}

/// Opens or closes every kiosk; `text` is what closed kiosks show (or why they reopen).
pub async fn set_kiosk_policy(token: &str, open: bool, text: &str) -> Result<KioskPolicy, Failure> {
    let update = KioskPolicyUpdate {
        open,
        message: Some(text.to_owned()),
        pickup_address: None,
    };
    Ok(client(token)
        .set_kiosk_policy(Some(&new_idempotency_key()), &update)
        .await?)
}

/// Moves where kiosk orders are collected, leaving the kiosks open or closed as `current` has them.
pub async fn set_kiosk_pickup(
    token: &str,
    current: &KioskPolicy,
    address: Address,
) -> Result<KioskPolicy, Failure> {
    let update = KioskPolicyUpdate {
        open: current.open,
        message: current.message.clone(),
        pickup_address: Some(address),
    };
    Ok(client(token)
        .set_kiosk_policy(Some(&new_idempotency_key()), &update)
        .await?)
}
