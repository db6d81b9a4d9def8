//! `utmost serve`: start, listen, and shut down cleanly on SIGTERM / SIGINT.

use anyhow::Context;
use std::future::Future;
use tokio::sync::oneshot;
use utmost_app::config_store::ConfigStore;
use utmost_app::STOP_BOUND;
use utmost_config::Loaded;

pub async fn run((store, loaded): (ConfigStore, Loaded)) -> anyhow::Result<()> {
    let config = loaded.config;
    let logging = crate::logging::init(&config);
    let addr = config.listen_socket_addr()?;
    utmost_api::raise_open_files_limit();
    let app = utmost_app::App::start(config)
        .await
        .context("starting the server")?;
    app.attach_config_store(store);
    // What reads a setting once at start and follows a saved change (docs/configuration.md).
    if let Some(logging) = logging {
        logging.follow(&app);
    }
    // Its own socket, started and moved as `MetricsSettings` is saved (docs/monitoring.md).
    let metrics = utmost_api::metrics::follow(&app);
    let listener = utmost_api::listen(addr).with_context(|| format!("listening on {addr}"))?;
    tracing::info!(address = %listener.local_addr()?, "utmost is listening");
    let (signalled, on_signal) = oneshot::channel();
    let shutdown = async move {
        shutdown_signal().await;
        tracing::info!("shutting down: no new connections, finishing the requests in flight");
        let _ = signalled.send(());
    };
    let serving = utmost_api::serve(app.clone(), listener, shutdown);
    let result = drain_within_bound(serving, on_signal).await;
    drop(metrics);
    app.shutdown().await;
    tracing::info!("shut down");
    result.context("serving HTTP")
}

/// Serves until the shutdown signal, then gives the requests in flight `STOP_BOUND` to finish
/// (no new connection is accepted after the signal).
async fn drain_within_bound(
    serving: impl Future<Output = std::io::Result<()>>,
    on_signal: oneshot::Receiver<()>,
) -> std::io::Result<()> {
    tokio::pin!(serving);
    let result = tokio::select! {
        // Without requests in flight, the signal and the end can come in one poll.
        result = &mut serving => result,
        Ok(()) = on_signal => match tokio::time::timeout(STOP_BOUND, &mut serving).await {
            Ok(result) => result,
            Err(_) => {
                tracing::error!(bound = ?STOP_BOUND, "requests still in flight after the bound; abandoned");
                return Ok(());
            }
        },
    };
    tracing::info!("HTTP stopped");
    result
}

/// Resolves on SIGINT (Ctrl-C) or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %e, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutdown signal received");
}
