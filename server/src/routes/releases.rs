//! The release platform's HTTP side: the public manifest (short cache), telemetry beacons, the
//! ops operations that publish releases and steer rollouts, and the CDN origin that serves release
//! files immutably with strong ETags and precompressed brotli/gzip.

use api_client::types::{
    BeaconBatch, ExperimentReadout, Manifest, Release, ReleaseEventPage, ReleaseMetadata,
    ReleasePage, Rollout, RolloutStats,
};
use api_client::{ListReleasesQuery, ListRolloutHistoryQuery, RollbackRolloutQuery};
use axum::body::{Body, Bytes};
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde_json::json;
use tessera_release::files::BrotliDecodeError;

use crate::domain::release_files::{self, UploadedBytes, is_safe_name};
use crate::domain::{experiments, releases, telemetry};
use crate::error::{AppError, AppResult};
use crate::extract::{
    AppJson, AppPath, AppQuery, BeaconJson, ConnectInfoAddress, IdempotencyKey, OpsCaller,
    OpsReader,
};
use crate::idempotency::idempotent;
use crate::state::AppState;
use crate::store::{self, decode_cursor, page_of};

pub fn router(state: &AppState) -> Router<AppState> {
    Router::new()
        .route("/v1/manifest", get(manifest_get))
        .route("/v1/telemetry/beacons", post(beacons_create))
        .route(
            "/v1/ops/releases/{app}/{releaseId}/files/{fileName}",
            put(release_files_upload).layer(DefaultBodyLimit::max(state.config.upload_limit)),
        )
        .route("/v1/ops/releases", post(releases_publish))
        .route("/v1/ops/releases/{app}", get(releases_list))
        .route("/v1/ops/releases/{app}/{releaseId}", get(releases_get))
        .route(
            "/v1/ops/rollouts/{app}",
            get(rollouts_get).put(rollouts_set),
        )
        .route("/v1/ops/rollouts/{app}/rollback", post(rollouts_rollback))
        .route("/v1/ops/rollouts/{app}/history", get(rollouts_history))
        .route("/v1/ops/rollouts/{app}/stats", get(rollouts_stats))
        .route("/v1/ops/rollouts/{app}/readout", get(rollouts_readout))
        .route(
            "/releases/{app}/{release_id}/{file_name}",
            get(release_files_serve),
        )
}

/// The page a history or listing request asks for; the contract bounds both (20 by default).
fn page_bounds(cursor: Option<&str>, limit: Option<i32>) -> AppResult<(i64, i64)> {
    Ok((decode_cursor(cursor)?, i64::from(limit.unwrap_or(20))))
}

/// The manifest with a short cache and a strong ETag, so the shell revalidates cheaply: an
/// unchanged manifest is a bodiless 304.
async fn manifest_get(State(state): State<AppState>, headers: HeaderMap) -> AppResult<Response> {
    let manifest: Manifest = releases::manifest(&state.db, &state.config).await?;
    let etag = release_files::manifest_etag(&manifest);
    let cache = format!(
        "public, max-age={}, stale-while-revalidate=60",
        state.config.manifest_ttl_seconds
    );
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|value| value.split(',').any(|tag| tag.trim() == etag));
    let mut response = if matches {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        Json(manifest).into_response()
    };
    let response_headers = response.headers_mut();
    response_headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_str(&cache).map_err(AppError::internal)?,
    );
    response_headers.insert(
        header::ETAG,
        HeaderValue::from_str(&etag).map_err(AppError::internal)?,
    );
    Ok(response)
}

/// Telemetry from the shell. Accepted (202) whenever it is well-formed, so a client learns
/// nothing from the answer; counted only when it carries a telemetry session this server issued,
/// bound to this visitor (see `domain::telemetry::record_beacons` for the counting rules).
async fn beacons_create(
    State(state): State<AppState>,
    ConnectInfoAddress(address): ConnectInfoAddress,
    BeaconJson(batch): BeaconJson<BeaconBatch>,
) -> AppResult<StatusCode> {
    let Ok(visitor) = uuid::Uuid::parse_str(&batch.visitor_id) else {
        return Err(AppError::validation(vec![AppError::field(
            "visitorId",
            "invalid_format",
            "must be a UUID",
        )]));
    };
    let visitor_id = visitor.hyphenated().to_string();
    if let Some(limits) = &state.limits {
        limits.check_visitor(&visitor_id)?;
    }
    let Some(session_id) = batch
        .session
        .as_deref()
        .and_then(|session| state.telemetry.verify(session))
    else {
        return Ok(StatusCode::ACCEPTED);
    };
    if !store::telemetry::bind_session(&state.db, &session_id, &visitor_id).await? {
        return Ok(StatusCode::ACCEPTED);
    }
    let sender = telemetry::BeaconSender {
        visitor_id: &visitor_id,
        address: &address,
        visitors_per_address: state.config.telemetry_visitors_per_address,
        min_visitors: state.config.telemetry_min_visitors,
    };
    for origin in telemetry::release_load_origins(&batch.beacons, &state.config.release_origins) {
        state.metrics.count_release_load(origin);
    }
    // The writer pool: counting reads, then writes, and must not race the order pipeline's writes.
    telemetry::record_beacons(&state.writer, &sender, &batch.beacons).await?;
    Ok(StatusCode::ACCEPTED)
}

async fn release_files_upload(
    State(state): State<AppState>,
    OpsCaller(caller): OpsCaller,
    AppPath((app, release_id, file_name)): AppPath<(String, String, String)>,
    IdempotencyKey(key): IdempotencyKey,
    headers: HeaderMap,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Response {
    let limit = state.config.upload_limit;
    let body = match body {
        Ok(body) => body,
        Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            return file_too_large(limit).into_response();
        }
        Err(rejection) => return AppError::malformed(rejection.body_text()).into_response(),
    };
    let file = match decoded_upload(&headers, body, limit).await {
        Ok(file) => file,
        Err(error) => return error.into_response(),
    };
    let fingerprint = json!({"path": [&app, &release_id, &file_name], "integrity": release_files::integrity_of(&file.bytes)});
    idempotent(
        &state,
        "uploadReleaseFile",
        &caller.token_hash,
        key,
        &fingerprint,
        || async {
            let (uploaded, created) = release_files::upload_file(
                &state.db,
                &state.config.releases_dir(),
                &app,
                &release_id,
                &file_name,
                file,
            )
            .await?;
            let status = if created {
                StatusCode::CREATED
            } else {
                StatusCode::OK
            };
            Ok(super::created(
                status,
                &store::releases::public_url(&app, &release_id, &file_name),
                &uploaded,
            ))
        },
    )
    .await
}

fn file_too_large(limit: usize) -> AppError {
    AppError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload-too-large",
        "Release file too large",
    )
    .detail(format!("release files are limited to {limit} bytes"))
}

/// The uploaded file as it is, or decoded from brotli when its Content-Encoding says so (the
/// brotli form is kept, to be served as it came).
async fn decoded_upload(
    headers: &HeaderMap,
    body: Bytes,
    limit: usize,
) -> AppResult<UploadedBytes> {
    match headers
        .get(header::CONTENT_ENCODING)
        .map(HeaderValue::as_bytes)
    {
        None | Some(b"identity") => Ok(UploadedBytes::plain(body.to_vec())),
        Some(b"br") => {
            let brotli = body.to_vec();
            let decoded = tokio::task::spawn_blocking(move || {
                tessera_release::files::decode_brotli(&brotli, limit).map(|bytes| UploadedBytes {
                    bytes,
                    brotli: Some(brotli),
                })
            })
            .await
            .map_err(|e| AppError::internal(anyhow::anyhow!(e)))?;
            decoded.map_err(|error| match error {
                BrotliDecodeError::TooLarge => file_too_large(limit),
                BrotliDecodeError::NotBrotli => AppError::unprocessable(
                    "release-file-unreadable",
                    "Release file unreadable",
                    "the body is not brotli, as its Content-Encoding says",
                ),
            })
        }
        // The contract's header pattern refuses other codings before this handler runs.
        Some(_) => Err(AppError::malformed(
            "release files are uploaded as they are or brotli-compressed (`br`)",
        )),
    }
}

async fn releases_publish(
    State(state): State<AppState>,
    OpsCaller(caller): OpsCaller,
    IdempotencyKey(key): IdempotencyKey,
    AppJson(metadata): AppJson<ReleaseMetadata>,
) -> Response {
    idempotent(
        &state,
        "publishRelease",
        &caller.token_hash,
        key,
        &metadata,
        || async {
            let (release, created) = releases::publish(&state.db, &metadata).await?;
            crate::edge::prepare(&state, &release);
            let status = if created {
                StatusCode::CREATED
            } else {
                StatusCode::OK
            };
            Ok(super::created(
                status,
                &format!("/v1/ops/releases/{}/{}", release.app, release.release_id),
                &release,
            ))
        },
    )
    .await
}

async fn releases_list(
    State(state): State<AppState>,
    _: OpsCaller,
    AppPath(app): AppPath<String>,
    AppQuery(query): AppQuery<ListReleasesQuery>,
) -> AppResult<Json<ReleasePage>> {
    let (offset, limit) = page_bounds(query.cursor.as_deref(), query.limit)?;
    let items = store::releases::list_releases(&state.db, &app, offset, limit + 1).await?;
    let (items, next_cursor) = page_of(items, offset, limit);
    Ok(Json(ReleasePage { items, next_cursor }))
}

async fn releases_get(
    State(state): State<AppState>,
    _: OpsCaller,
    AppPath((app, release_id)): AppPath<(String, String)>,
) -> AppResult<Json<Release>> {
    Ok(Json(
        releases::get_release(&state.db, &app, &release_id).await?,
    ))
}

async fn rollouts_get(
    State(state): State<AppState>,
    _: OpsReader,
    AppPath(app): AppPath<String>,
) -> AppResult<Json<Rollout>> {
    Ok(Json(releases::get_rollout(&state.db, &app).await?))
}

async fn rollouts_set(
    State(state): State<AppState>,
    OpsCaller(caller): OpsCaller,
    AppPath(app): AppPath<String>,
    IdempotencyKey(key): IdempotencyKey,
    AppJson(rollout): AppJson<Rollout>,
) -> Response {
    let fingerprint = json!({"app": app, "rollout": rollout});
    idempotent(
        &state,
        "setRollout",
        &caller.token_hash,
        key,
        &fingerprint,
        || async {
            let actor = super::connectors::actor(&caller);
            Ok(
                Json(releases::set_rollout(&state.db, &app, &rollout, &actor).await?)
                    .into_response(),
            )
        },
    )
    .await
}

async fn rollouts_rollback(
    State(state): State<AppState>,
    OpsCaller(caller): OpsCaller,
    AppPath(app): AppPath<String>,
    IdempotencyKey(key): IdempotencyKey,
    AppQuery(query): AppQuery<RollbackRolloutQuery>,
) -> Response {
    idempotent(
        &state,
        "rollbackRollout",
        &caller.token_hash,
        key,
        &json!({"app": app, "reason": query.reason}),
        || async {
            let actor = super::connectors::actor(&caller);
            let rolled_back =
                releases::rollback(&state.db, &app, &actor, query.reason.as_deref()).await?;
            Ok(Json(rolled_back).into_response())
        },
    )
    .await
}

async fn rollouts_history(
    State(state): State<AppState>,
    _: OpsReader,
    AppPath(app): AppPath<String>,
    AppQuery(query): AppQuery<ListRolloutHistoryQuery>,
) -> AppResult<Json<ReleaseEventPage>> {
    let (offset, limit) = page_bounds(query.cursor.as_deref(), query.limit)?;
    let items = store::releases::history(&state.db, &app, offset, limit + 1).await?;
    if items.is_empty() && offset == 0 {
        return Err(AppError::not_found("app"));
    }
    let (items, next_cursor) = page_of(items, offset, limit);
    Ok(Json(ReleaseEventPage { items, next_cursor }))
}

async fn rollouts_stats(
    State(state): State<AppState>,
    _: OpsReader,
    AppPath(app): AppPath<String>,
) -> AppResult<Json<RolloutStats>> {
    Ok(Json(releases::stats(&state.db, &app).await?))
}

/// Readers (`ops-viewer`) may see it: a product team reads its experiment without the power to
/// change the rollout.
async fn rollouts_readout(
    State(state): State<AppState>,
    _: OpsReader,
    AppPath(app): AppPath<String>,
) -> AppResult<Json<ExperimentReadout>> {
    Ok(Json(experiments::readout(&state.db, &app).await?))
}

fn content_type(name: &str) -> &'static str {
    match name.rsplit('.').next() {
        Some("wasm") => "application/wasm",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("html") => "text/html; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// The CDN origin: immutable files, strong ETags with 304s, and the precompressed sibling the
/// client accepts (brotli first).
async fn release_files_serve(
    State(state): State<AppState>,
    AppPath((app, release_id, file_name)): AppPath<(String, String, String)>,
    headers: HeaderMap,
) -> AppResult<Response> {
    if !is_safe_name(&app) || !is_safe_name(&release_id) || !is_safe_name(&file_name) {
        return Err(AppError::not_found("release file"));
    }
    let etag = store::releases::file_etag(&state.db, &app, &release_id, &file_name)
        .await?
        .ok_or_else(|| AppError::not_found("release file"))?;
    let mut response_headers = HeaderMap::new();
    response_headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    response_headers.insert(
        header::ETAG,
        HeaderValue::from_str(&etag).map_err(AppError::internal)?,
    );
    response_headers.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    response_headers.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|value| {
            value
                .split(',')
                .any(|tag| tag.trim() == etag || tag.trim() == "*")
        });
    if matches {
        return Ok((StatusCode::NOT_MODIFIED, response_headers).into_response());
    }
    let accepted = headers
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    let accepts = |coding: &str| {
        accepted
            .split(',')
            .any(|part| part.trim().split(';').next() == Some(coding))
    };
    let path =
        release_files::file_path(&state.config.releases_dir(), &app, &release_id, &file_name);
    let (path, encoding) = if accepts("br") {
        (release_files::with_suffix(&path, "br"), Some("br"))
    } else if accepts("gzip") {
        (release_files::with_suffix(&path, "gz"), Some("gzip"))
    } else {
        (path, None)
    };
    let bytes = tokio::fs::read(&path).await.map_err(AppError::internal)?;
    response_headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(content_type(&file_name)),
    );
    if let Some(encoding) = encoding {
        response_headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
    }
    Ok((StatusCode::OK, response_headers, Body::from(bytes)).into_response())
}
