//! Prometheus metrics over HTTP: what every request records (`record`, a layer of the
//! router), and the `/metrics` listener on `MetricsSettings.ListenAddress`, a socket of its
//! own as in Mattermost, started and stopped as the saved configuration turns
//! `MetricsSettings.Enable` on and off or moves the address (`follow`).
//!
//! The handler label is the route as routed (axum's `MatchedPath`,
//! `/api/v4/users/{user_id}`), never the URL a client sent: a request no route matched
//! counts as `other`. See `utmost_metrics` for the families and the cardinality rule.

use crate::AppState;
use axum::extract::{MatchedPath, Request};
use axum::http::header::CONTENT_TYPE;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::net::SocketAddr;
use std::sync::{Arc, Weak};
use std::time::Instant;
use tokio::sync::watch;
use utmost_app::App;
use utmost_config::Config;
use utmost_metrics::metrics;

/// Counts the request and times it under its route, method and status.
pub(crate) async fn record(req: Request, next: Next) -> Response {
    let started = Instant::now();
    let handler = req.extensions().get::<MatchedPath>().cloned();
    let method = utmost_metrics::method_label(req.method().as_str());
    let response = next.run(req).await;
    let status = response.status().as_u16();
    let m = metrics();
    m.http_requests_total.inc();
    if status >= 400 {
        m.http_errors_total.inc();
    }
    m.api_time.observe(
        handler
            .as_ref()
            .map_or(utmost_metrics::OTHER, |h| h.as_str()),
        method,
        status,
        started.elapsed().as_secs_f64(),
    );
    response
}

/// The metrics listener as the configuration wants it: `None` while disabled.
fn wanted(config: &Config) -> Option<SocketAddr> {
    if !config.metrics_settings.enable {
        return None;
    }
    match config.metrics_socket_addr() {
        Ok(addr) => Some(addr),
        Err(e) => {
            tracing::error!(error = %e, "metrics: MetricsSettings.ListenAddress is not usable");
            None
        }
    }
}

/// The running metrics listener; dropping it stops it.
pub struct MetricsListener {
    bound: watch::Receiver<Option<SocketAddr>>,
    task: tokio::task::JoinHandle<()>,
}

impl MetricsListener {
    /// The address the listener is bound to now (`None` while disabled or unbound).
    pub fn local_addr(&self) -> Option<SocketAddr> {
        *self.bound.borrow()
    }

    /// Waits until the listener is bound as `check` wants (tests, after a config change).
    pub async fn wait_for(&mut self, check: impl Fn(Option<SocketAddr>) -> bool) {
        let _ = self.bound.wait_for(|a| check(*a)).await;
    }
}

impl Drop for MetricsListener {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Starts the metrics listener if `MetricsSettings.Enable` is on, and follows every saved
/// change of `MetricsSettings` (on, off, another address) without a restart.
pub fn follow(app: &AppState) -> MetricsListener {
    let (wanted_tx, wanted_rx) = watch::channel(wanted(&app.config()));
    app.add_config_listener(move |old, new| {
        if old.metrics_settings != new.metrics_settings {
            wanted_tx.send_replace(wanted(new));
        }
    });
    let (bound_tx, bound) = watch::channel(None);
    let task = tokio::spawn(run(Arc::downgrade(app), wanted_rx, bound_tx));
    MetricsListener { bound, task }
}

/// Serves the wanted address until the wish changes, then the next one.
async fn run(
    app: Weak<App>,
    mut wanted: watch::Receiver<Option<SocketAddr>>,
    bound: watch::Sender<Option<SocketAddr>>,
) {
    loop {
        let addr = *wanted.borrow_and_update();
        bound.send_replace(None);
        if let Some(addr) = addr {
            match crate::listen(addr) {
                Ok(listener) => {
                    let local = listener.local_addr().unwrap_or(addr);
                    tracing::info!(address = %local, "metrics: serving /metrics");
                    bound.send_replace(Some(local));
                    let mut changed = wanted.clone();
                    let routes = Router::new()
                        .route("/metrics", get(scrape))
                        .with_state(app.clone());
                    let served = axum::serve(listener, routes)
                        .with_graceful_shutdown(async move {
                            let _ = changed.changed().await;
                        })
                        .await;
                    if let Err(e) = served {
                        tracing::error!(error = %e, "metrics: the listener failed");
                    }
                    tracing::info!(address = %local, "metrics: listener stopped");
                    bound.send_replace(None);
                }
                Err(e) => {
                    tracing::error!(address = %addr, error = %e, "metrics: cannot listen");
                }
            }
        }
        if wanted.changed().await.is_err() {
            return;
        }
    }
}

/// `GET /metrics`: the gauges of live state brought up to date, then every family.
async fn scrape(axum::extract::State(app): axum::extract::State<Weak<App>>) -> Response {
    if let Some(app) = app.upgrade() {
        refresh(&app).await;
    }
    (
        [(CONTENT_TYPE, utmost_metrics::TEXT_FORMAT)],
        metrics().encode(),
    )
        .into_response()
}

/// Sets the gauges that describe the present: database pools, sockets, the runtime.
pub async fn refresh(app: &App) {
    let m = metrics();
    let pools = app.store.pool_stats();
    m.db_master_connections_total.set(i64::from(pools.open));
    m.db_connections
        .with_label_values(&["idle"])
        .set(i64::from(pools.idle));
    m.db_connections
        .with_label_values(&["in_use"])
        .set(i64::from(pools.open - pools.idle));
    m.db_max_connections.set(i64::from(pools.max));
    m.db_read_replica_connections_total
        .set(i64::from(app.store.replica_connections()));
    let hub = app.hub.stats().await;
    m.http_websockets_total
        .set(i64::try_from(hub.live_connections).unwrap_or(i64::MAX));
    let runtime = tokio::runtime::Handle::current().metrics();
    m.tokio_workers
        .set(i64::try_from(runtime.num_workers()).unwrap_or(i64::MAX));
    m.tokio_alive_tasks
        .set(i64::try_from(runtime.num_alive_tasks()).unwrap_or(i64::MAX));
    m.tokio_global_queue_depth
        .set(i64::try_from(runtime.global_queue_depth()).unwrap_or(i64::MAX));
}
