//! The operations audit trail, read from where each action is recorded with who and why:
//! connector actions, reconciliation runs asked for and fixes applied, resolved dead letters,
//! rollout changes (an operator's, a guarded ramp's, a stop condition's), and kiosks opened or
//! closed (and their pickup counter moved).

use api_client::types::{AuditAction, AuditEntry};
use sqlx::AnyPool;

/// A page of the trail, newest first.
pub async fn page(db: &AnyPool, offset: i64, limit: i64) -> sqlx::Result<Vec<AuditEntry>> {
    let rows: Vec<(String, String, String, String, Option<String>)> = sqlx::query_as(
        "SELECT at, actor, action, 'connector ' || connector_id, reason FROM connector_actions
         UNION ALL
         SELECT requested_at, requested_by, 'reconcile', 'connector ' || connector_id, NULL
         FROM reconciliation_runs WHERE trigger = 'ops' AND requested_by IS NOT NULL
         UNION ALL
         SELECT d.fixed_at, d.fixed_by, 'apply-fix',
                d.kind || ' ' || COALESCE(d.sku, d.marketplace_order_id, '') || ' (run ' || d.run_id || ')',
                d.fix_reason
         FROM reconciliation_differences d WHERE d.fixed = 1 AND d.fixed_by IS NOT NULL
         UNION ALL
         SELECT resolved_at, resolved_by, CASE status WHEN 'replayed' THEN 'replay' ELSE 'discard' END,
                'dead letter ' || id || ' (' || consumer || ')', resolution_reason
         FROM dead_letters WHERE resolved_by IS NOT NULL AND resolved_at IS NOT NULL
         UNION ALL
         SELECT occurred_at, actor,
                CASE type WHEN 'RolloutRolledBack' THEN 'rollback' WHEN 'ReleaseHalted' THEN 'halt' ELSE 'rollout' END,
                'rollout of ' || app || COALESCE(' (release ' || release_id || ')', ''), reason
         FROM release_events WHERE actor IS NOT NULL
         UNION ALL
         SELECT changed_at, changed_by, action, subject, message FROM (
             SELECT changed_at, changed_by, message,
                    CASE is_open WHEN 1 THEN 'open-kiosks' ELSE 'close-kiosks' END AS action,
                    CASE WHEN COALESCE(pickup_address, '')
                              = COALESCE(LAG(pickup_address) OVER (ORDER BY seq), '')
                         THEN 'every kiosk' ELSE 'every kiosk, pickup counter moved' END AS subject
             FROM kiosk_policy_changes
         ) kiosk_changes WHERE changed_by <> $3
         ORDER BY 1 DESC LIMIT $1 OFFSET $2",
    )
    .bind(limit)
    .bind(offset)
    .bind(super::kiosk::SEEDED_BY)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(at, actor, action, subject, reason)| {
            Some(AuditEntry {
                at,
                actor,
                action: action.parse::<AuditAction>().ok()?,
                subject,
                reason,
            })
        })
        .collect())
}
