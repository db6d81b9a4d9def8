//! The HTTP server: hyper's HTTP/1.1 connections with the bounds `axum::serve` does not
//! expose — a deadline for every request head (which also ends idle keep-alive connections),
//! a bound on stalled writes and a cap on open connections — and graceful shutdown.
//! WebSockets leave hyper at the upgrade, so the head deadline never reaches them.

mod io;
mod limits;

use crate::AppState;
use axum::extract::ConnectInfo;
use axum::Router;
use hyper::body::Incoming;
use hyper::Request;
use hyper_util::rt::{TokioIo, TokioTimer};
use io::ClientStream;
use limits::ConnectionLimits;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, watch, Semaphore};
use tower::ServiceExt;

pub(crate) use limits::body_timeout;
pub use limits::raise_open_files_limit;

/// Serves `app` on `listener` until `shutdown` resolves; in-flight requests finish first
/// (WebSockets are not waited for: the app closes them).
pub async fn serve(
    app: AppState,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let limits = ConnectionLimits::new(&app.config(), limits::open_files_limit());
    tracing::info!(
        max_connections = limits.max_connections,
        head_timeout_secs = limits.head.as_secs(),
        "accepting connections"
    );
    let router = crate::router(app);
    // A slot per open connection, taken before accepting: at the cap, new clients wait in
    // the listen backlog instead of exhausting file descriptors.
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    let (stop, stopping) = watch::channel(());
    // Every connection task holds a sender; once all are dropped, they have all finished.
    let (running, mut all_finished) = mpsc::channel::<()>(1);
    tokio::pin!(shutdown);
    loop {
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => slot,
            () = &mut shutdown => break,
        };
        // The semaphore is never closed.
        let Ok(slot) = slot else { break };
        let (tcp, remote) = tokio::select! {
            accepted = accept(&listener) => accepted,
            () = &mut shutdown => break,
        };
        // Without TCP_NODELAY a WebSocket event written while an earlier one is
        // unacknowledged waits for the client's delayed ACK (up to 40 ms); Go, and so
        // Mattermost, turns Nagle off.
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::warn!(error = %e, "could not set TCP_NODELAY");
        }
        let stream = ClientStream::new(tcp, limits.write_stall, slot);
        tokio::spawn(serve_connection(
            stream,
            remote,
            router.clone(),
            limits.head,
            stopping.clone(),
            running.clone(),
        ));
    }
    drop(listener);
    let _ = stop.send(());
    drop(running);
    all_finished.recv().await;
    Ok(())
}

async fn accept(listener: &TcpListener) -> (TcpStream, SocketAddr) {
    loop {
        match listener.accept().await {
            Ok(accepted) => return accepted,
            // The client gave up before we got to it: nothing to do.
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::ConnectionAborted | std::io::ErrorKind::ConnectionReset
                ) => {}
            // Out of file descriptors or memory: spinning would only burn the CPU.
            Err(e) => {
                tracing::error!(error = %e, "accepting a connection failed; retrying in a second");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
}

async fn serve_connection(
    stream: ClientStream,
    remote: SocketAddr,
    router: Router,
    head_timeout: Duration,
    mut stopping: watch::Receiver<()>,
    _running: mpsc::Sender<()>,
) {
    let service = hyper::service::service_fn(move |mut req: Request<Incoming>| {
        req.extensions_mut().insert(ConnectInfo(remote));
        router.clone().oneshot(req)
    });
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(head_timeout);
    let conn = http
        .serve_connection(TokioIo::new(stream), service)
        .with_upgrades();
    tokio::pin!(conn);
    let result = tokio::select! {
        result = conn.as_mut() => result,
        // The only change ever sent is the stop.
        _ = stopping.changed() => {
            conn.as_mut().graceful_shutdown();
            conn.await
        }
    };
    if let Err(e) = result {
        tracing::debug!(error = %e, %remote, "connection closed");
    }
}
