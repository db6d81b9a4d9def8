//! `utmost serve`: start, listen, and shut down cleanly on SIGTERM / SIGINT.

use anyhow::Context;
use utmost_config::Loaded;

pub async fn run(loaded: Loaded) -> anyhow::Result<()> {
    let config = loaded.config;
    crate::logging::init(&config);
    let addr = config.listen_socket_addr()?;
    utmost_api::raise_open_files_limit();
    let app = utmost_app::App::start(config)
        .await
        .context("starting the server")?;
    let listener = utmost_api::listen(addr).with_context(|| format!("listening on {addr}"))?;
    tracing::info!(address = %listener.local_addr()?, "utmost is listening");
    let result = utmost_api::serve(app.clone(), listener, shutdown_signal()).await;
    tracing::info!("shutting down: in-flight requests finished, closing the database");
    app.shutdown().await;
    result.context("serving HTTP")
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
