//! Tessera's reference commerce server: implements `contracts/commerce-v1.yaml` on SQLite with the
//! api-client's model types, runs the order lifecycle on an outbox of events, and serves releases
//! and the shell like a CDN origin. `app` builds the router; `run` serves it until shutdown.

pub mod config;
mod contract;
mod demo;
mod domain;
pub mod edge;
mod error;
mod events;
pub mod export;
mod extract;
mod faults;
mod idempotency;
mod limits;
pub mod marketplaces;
mod markup;
mod metrics;
mod routes;
mod search;
pub mod state;
pub mod store;
mod telemetry;
mod unseal;
mod webhooks;

pub use limits::{LimitsConfig, Rate};

use std::future::Future;
use std::net::SocketAddr;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use crate::config::Config;
use crate::error::AppError;
use crate::events::outbox::Outbox;
use crate::metrics::Metrics;
use crate::state::AppState;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

pub fn app(state: AppState) -> Router {
    app_with(state, Router::new())
}

/// The application with extra routes under the same layers (tests use it to prove that a
/// panicking handler is answered with a problem).
pub fn app_with(state: AppState, extra: Router<AppState>) -> Router {
    // API answers carry carts, orders and addresses: nothing may keep them unless a route says
    // otherwise (the catalog, the manifest and release files set their own caching).
    let api = routes::api(&state)
        .merge(extra)
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            contract::gate,
        ))
        .route_layer(middleware::from_fn_with_state(state.clone(), limits::limit))
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            record_latency,
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ));
    Router::new()
        .merge(api)
        .merge(routes::pages(&state))
        .fallback(|| async { AppError::not_found("route").into_response() })
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(DefaultBodyLimit::max(state.config.json_body_limit))
        .layer(CatchPanicLayer::custom(|_: Box<dyn std::any::Any + Send>| {
            tracing::error!("a handler panicked");
            error::problem_response(
                StatusCode::INTERNAL_SERVER_ERROR,
                &AppError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "Internal server error").body(),
            )
        }))
        .layer(
            TraceLayer::new_for_http().make_span_with(|request: &Request| {
                let request_id = request.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("-");
                tracing::info_span!("request", method = %request.method(), uri = %request.uri().path(), request_id)
            }),
        )
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        .with_state(state)
}

async fn record_latency(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|path| path.as_str().to_owned())
        .unwrap_or_else(|| "unmatched".into());
    let method = request.method().to_string();
    let started = Instant::now();
    let response = next.run(request).await;
    state.metrics.observe(
        &method,
        &route,
        response.status().as_u16(),
        started.elapsed(),
    );
    response
}

/// Opens the database, seeds demo data when asked, and builds the shared state.
pub async fn prepare(config: Config) -> Result<AppState> {
    config.check()?;
    std::fs::create_dir_all(&config.data_dir)
        .with_context(|| format!("creating {}", config.data_dir.display()))?;
    let database = config.database()?;
    let db = store::connect(&database, config.db_max_connections).await?;
    let writer = store::connect_writer(&database, &db).await?;
    let regions = store::regions::Regions::connect(&database, config.db_max_connections).await?;
    if let Some(token) = store::tokens::ensure_ops_token(&db, config.ops_token.as_deref()).await? {
        // Shown once: only its hash is stored.
        println!("\nOps token (shown once, store it safely): {token}\n");
    }
    if let Some(token) = config.ops_viewer_token.as_deref() {
        store::tokens::replace_role_token(&db, store::tokens::Role::OpsViewer, token).await?;
    }
    if config.demo_data && demo::seed_if_empty(&db).await? {
        tracing::info!("seeded the demo catalog");
        if config.demo_products > 0 {
            demo::seed_bench_products(&db, config.demo_products).await?;
        }
    }
    let released = store::idempotency::release_pending(&db).await?;
    if released > 0 {
        tracing::warn!(
            released,
            "idempotency keys of requests that died with the last process released"
        );
    }
    let purged = store::idempotency::purge_expired(&db).await?;
    if purged > 0 {
        tracing::info!(purged, "expired idempotency keys removed");
    }
    Ok(AppState {
        outbox: Outbox::default(),
        faults: Arc::new(RwLock::new(faults::none())),
        metrics: Arc::new(Metrics::default()),
        limits: limits::build(config.rate_limits.as_ref()),
        listing: Arc::default(),
        edge: edge::Edge::new(config.edge_render, &config.renderer_cache_dir())?,
        connector_wakers: marketplaces::Wakers::for_all_dialects(),
        telemetry: telemetry::SessionSigner::new(
            &store::secrets::secret(&db, "telemetry-sessions").await?,
        ),
        kiosk_key: domain::kiosk_orders::PaymentKey::of_database(&db).await?,
        db,
        writer,
        regions,
        config: Arc::new(config),
    })
}

/// A running server, for tests and the binary.
pub struct Running {
    pub addr: SocketAddr,
    pub state: AppState,
    stop: watch::Sender<bool>,
    server: tokio::task::JoinHandle<Result<()>>,
}

impl Running {
    /// Stops accepting, lets in-flight requests finish, stops the dispatcher after its current
    /// event, and closes the database.
    pub async fn shutdown(self) -> Result<()> {
        let _ = self.stop.send(true);
        self.server.await.context("server task")?
    }
}

pub async fn start(config: Config) -> Result<Running> {
    let listener = TcpListener::bind(config.addr)
        .await
        .with_context(|| format!("binding {}", config.addr))?;
    let addr = listener.local_addr()?;
    let state = prepare(config).await?;
    let (stop, stopped) = watch::channel(false);
    // With an event stream, it delivers events and the dispatcher only what ops replayed.
    let (which, mut event_tasks) = match &state.config.event_bus_url {
        Some(url) => {
            let names = events::stream::Names::new(&state.config.event_namespace);
            let jetstream = events::stream::connect(url, &names).await?;
            tracing::info!(url, "events flow through NATS JetStream");
            let tasks = events::stream::spawn(&state, &jetstream, &names, &stopped);
            (store::events::Pending::Replayed, tasks)
        }
        None => (store::events::Pending::All, Vec::new()),
    };
    event_tasks.push(tokio::spawn(events::dispatcher::run(
        state.clone(),
        which,
        stopped.clone(),
    )));
    marketplaces::start(&state, stopped.clone()).await?;
    tokio::spawn(webhooks::run(state.clone(), stopped.clone()));
    let router = app(state.clone());
    let (db, writer, regions) = (
        state.db.clone(),
        state.writer.clone(),
        state.regions.clone(),
    );
    let mut serve_stop = stopped.clone();
    let server = tokio::spawn(async move {
        // The peer address keys the abuse limits.
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async move {
            let _ = serve_stop.wait_for(|stop| *stop).await;
        })
        .await
        .context("serving")?;
        for task in event_tasks {
            task.await.context("event task")?;
        }
        writer.close().await;
        regions.close().await;
        db.close().await;
        Ok(())
    });
    tracing::info!(%addr, "listening");
    Ok(Running {
        addr,
        state,
        stop,
        server,
    })
}

pub async fn run(config: Config, shutdown: impl Future<Output = ()>) -> Result<()> {
    let running = start(config).await?;
    println!("Tessera server listening on http://{}", running.addr);
    shutdown.await;
    tracing::info!("shutting down: finishing in-flight requests");
    tokio::time::timeout(Duration::from_secs(30), running.shutdown())
        .await
        .context("shutdown took longer than 30 s")?
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
}
