//! Telemetry rows: which visitor a telemetry session speaks for, which visitors were counted per
//! release and revision (and from which address), exposure and error counters, and load timings.
//! SQL only: who may count is `domain::telemetry`'s rule.

use api_client::types::Funnel;
use sqlx::{AnyConnection, AnyPool};

use crate::store::now;

/// Binds a telemetry session to the first visitor it is used with. True when the session
/// speaks for `visitor_id`.
pub async fn bind_session(db: &AnyPool, session_id: &str, visitor_id: &str) -> sqlx::Result<bool> {
    sqlx::query(
        "INSERT INTO telemetry_sessions (session_id, visitor_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
    )
    .bind(session_id)
    .bind(visitor_id)
    .bind(now())
    .execute(db)
    .await?;
    let (bound,): (String,) =
        sqlx::query_as("SELECT visitor_id FROM telemetry_sessions WHERE session_id = $1")
            .bind(session_id)
            .fetch_one(db)
            .await?;
    Ok(bound == visitor_id)
}

/// Whether the visitor was already counted for anything in this app's revision.
pub async fn visitor_counted(
    connection: &mut AnyConnection,
    app: &str,
    revision: i64,
    visitor_id: &str,
) -> sqlx::Result<bool> {
    let (known,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM telemetry_visitors WHERE app = $1 AND revision = $2 AND visitor_id = $3",
    )
    .bind(app)
    .bind(revision)
    .bind(visitor_id)
    .fetch_one(connection)
    .await?;
    Ok(known > 0)
}

/// How many distinct visitors from one address were counted in this app's revision.
pub async fn visitors_from_address(
    connection: &mut AnyConnection,
    app: &str,
    revision: i64,
    address: &str,
) -> sqlx::Result<i64> {
    let (count,): (i64,) = sqlx::query_as(
        "SELECT COUNT(DISTINCT visitor_id) FROM telemetry_visitors WHERE app = $1 AND revision = $2 AND address = $3",
    )
    .bind(app)
    .bind(revision)
    .bind(address)
    .fetch_one(connection)
    .await?;
    Ok(count)
}

/// What one beacon counts as, for one visitor of one release in one revision.
pub struct Counted<'a> {
    pub app: &'a str,
    pub revision: i64,
    pub release_id: &'a str,
    pub visitor_id: &'a str,
    pub kind: BeaconKind,
    pub address: &'a str,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum BeaconKind {
    Exposure,
    Error,
    LoadTiming,
    /// A web vital, by the name the web platform spells it (`LCP`, `INP`, `CLS`).
    Vital(&'static str),
}

impl BeaconKind {
    fn as_str(self) -> &'static str {
        match self {
            Self::Exposure => "exposure",
            Self::Error => "error",
            Self::LoadTiming => "load_timing",
            Self::Vital("LCP") => "vital:LCP",
            Self::Vital("INP") => "vital:INP",
            Self::Vital(_) => "vital:CLS",
        }
    }
}

/// Starts a counting transaction with a write that changes nothing: on SQLite a transaction that
/// reads and then writes fails ("database is locked") if another connection committed in between,
/// while one that starts with a write holds the lock from its first statement.
pub async fn begin_counting(connection: &mut AnyConnection) -> sqlx::Result<()> {
    sqlx::query("UPDATE release_telemetry SET exposures = exposures WHERE revision = -1")
        .execute(connection)
        .await?;
    Ok(())
}

/// Records that the visitor was counted; false when it already was for this kind.
pub async fn insert_counted_visitor(
    connection: &mut AnyConnection,
    counted: &Counted<'_>,
) -> sqlx::Result<bool> {
    let inserted = sqlx::query(
        "INSERT INTO telemetry_visitors (app, revision, release_id, visitor_id, kind, address, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
    )
    .bind(counted.app)
    .bind(counted.revision)
    .bind(counted.release_id)
    .bind(counted.visitor_id)
    .bind(counted.kind.as_str())
    .bind(counted.address)
    .bind(now())
    .execute(connection)
    .await?;
    Ok(inserted.rows_affected() == 1)
}

pub async fn insert_load_timing(
    connection: &mut AnyConnection,
    app: &str,
    revision: i64,
    release_id: &str,
    millis: f64,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO load_timings (app, revision, release_id, millis) VALUES ($1, $2, $3, $4)",
    )
    .bind(app)
    .bind(revision)
    .bind(release_id)
    .bind(millis)
    .execute(connection)
    .await?;
    Ok(())
}

/// Adds one exposure or one error to a release's counters in a revision.
pub async fn increment_counter(
    connection: &mut AnyConnection,
    app: &str,
    revision: i64,
    release_id: &str,
    kind: BeaconKind,
) -> sqlx::Result<()> {
    // The column is one of two fixed names, never request data.
    let column = if kind == BeaconKind::Exposure {
        "exposures"
    } else {
        "errors"
    };
    let sql = format!(
        "INSERT INTO release_telemetry (app, revision, release_id, {column}) VALUES ($1, $2, $3, 1)
         ON CONFLICT (app, revision, release_id) DO UPDATE SET {column} = release_telemetry.{column} + 1"
    );
    sqlx::query(&sql)
        .bind(app)
        .bind(revision)
        .bind(release_id)
        .execute(connection)
        .await?;
    Ok(())
}

/// A release's exposures and errors in a revision; zeros when nothing was counted.
pub async fn counters(
    connection: &mut AnyConnection,
    app: &str,
    revision: i64,
    release_id: &str,
) -> sqlx::Result<(i64, i64)> {
    sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(exposures), 0) AS BIGINT), CAST(COALESCE(SUM(errors), 0) AS BIGINT) FROM release_telemetry WHERE app = $1 AND revision = $2 AND release_id = $3",
    )
    .bind(app)
    .bind(revision)
    .bind(release_id)
    .fetch_one(connection)
    .await
}

/// A release's load timings in a revision, in milliseconds, ascending.
pub async fn load_timings(
    connection: &mut AnyConnection,
    app: &str,
    revision: i64,
    release_id: &str,
) -> sqlx::Result<Vec<f64>> {
    let rows: Vec<(f64,)> = sqlx::query_as(
        "SELECT millis FROM load_timings WHERE app = $1 AND revision = $2 AND release_id = $3 ORDER BY millis",
    )
    .bind(app)
    .bind(revision)
    .bind(release_id)
    .fetch_all(connection)
    .await?;
    Ok(rows.into_iter().map(|(millis,)| millis).collect())
}

/// Per release of `app` at `revision`: how many distinct exposed visitors reached each step of
/// the revenue funnel, following each visitor's sessions to their carts, checkouts and orders.
pub async fn funnel_by_release(
    connection: &mut AnyConnection,
    app: &str,
    revision: i64,
) -> sqlx::Result<Vec<(String, Funnel)>> {
    let rows: Vec<(String, i64, i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT exposed.release_id,
                COUNT(DISTINCT exposed.visitor_id),
                COUNT(DISTINCT CASE WHEN carts.id IS NOT NULL THEN exposed.visitor_id END),
                COUNT(DISTINCT CASE WHEN checkouts.id IS NOT NULL THEN exposed.visitor_id END),
                COUNT(DISTINCT CASE WHEN orders.id IS NOT NULL THEN exposed.visitor_id END),
                COUNT(DISTINCT CASE WHEN orders.status = 'confirmed' THEN exposed.visitor_id END)
         FROM telemetry_visitors AS exposed
         LEFT JOIN tokens ON tokens.visitor_id = exposed.visitor_id
         LEFT JOIN carts ON carts.owner = tokens.token_hash
         LEFT JOIN checkouts ON checkouts.cart_id = carts.id
         LEFT JOIN orders ON orders.cart_id = carts.id
         WHERE exposed.app = $1 AND exposed.revision = $2 AND exposed.kind = 'exposure'
         GROUP BY exposed.release_id",
    )
    .bind(app)
    .bind(revision)
    .fetch_all(connection)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(release_id, visitors, carts, checkouts, placed, confirmed)| {
                (
                    release_id,
                    Funnel {
                        visitors,
                        added_to_cart: carts,
                        checkout_started: checkouts,
                        order_placed: placed,
                        order_confirmed: confirmed,
                    },
                )
            },
        )
        .collect())
}

/// One visitor's value of web vital `name` for a release in a revision.
pub async fn insert_web_vital(
    connection: &mut AnyConnection,
    app: &str,
    revision: i64,
    release_id: &str,
    name: &str,
    value: f64,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO web_vitals (app, revision, release_id, name, value) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(app)
    .bind(revision)
    .bind(release_id)
    .bind(name)
    .bind(value)
    .execute(connection)
    .await?;
    Ok(())
}

/// A release's reported values of web vital `name` in a revision, ascending.
pub async fn web_vitals(
    connection: &mut AnyConnection,
    app: &str,
    revision: i64,
    release_id: &str,
    name: &str,
) -> sqlx::Result<Vec<f64>> {
    let rows: Vec<(f64,)> = sqlx::query_as(
        "SELECT value FROM web_vitals WHERE app = $1 AND revision = $2 AND release_id = $3 AND name = $4
         ORDER BY value",
    )
    .bind(app)
    .bind(revision)
    .bind(release_id)
    .bind(name)
    .fetch_all(connection)
    .await?;
    Ok(rows.into_iter().map(|(value,)| value).collect())
}
