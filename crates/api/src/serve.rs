//! The HTTP server: hyper's HTTP/1.1 connections with the bounds `axum::serve` does not
//! expose — a deadline for every request head (which also ends idle keep-alive connections),
//! a bound on stalled writes and a cap on open connections — and graceful shutdown.
//! WebSockets leave hyper at the upgrade, so the head deadline never reaches them.
//! With `ConnectionSecurity` "TLS" each connection first completes a TLS handshake (`tls`),
//! within the head deadline; `redirect` is `Forward80To443`'s plain listener.

mod io;
mod limits;
mod redirect;
pub(crate) mod tls;

use crate::client_ip::{self, ClientAddr};
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
use tokio::io::{AsyncRead, AsyncWrite};
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
    let tls = tls::Acceptor::new(&app)?.map(Arc::new);
    let (stop, stopping) = watch::channel(());
    let mut redirecting = None;
    if tls.is_some() && app.config().service_settings.forward80_to443 {
        let addr = app
            .config()
            .forward80_socket_addr()
            .map_err(std::io::Error::other)?;
        let redirect_listener = crate::listen(addr)?;
        let https_port = listener.local_addr()?.port();
        tracing::info!(address = %redirect_listener.local_addr()?, "redirecting HTTP to HTTPS");
        redirecting = Some(tokio::spawn(redirect::serve(
            redirect_listener,
            https_port,
            limits.head,
            stopping.clone(),
        )));
    }
    let router = crate::router(app.clone());
    // A slot per open connection, taken before accepting: at the cap, new clients wait in
    // the listen backlog instead of exhausting file descriptors.
    let slots = Arc::new(Semaphore::new(limits.max_connections));
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
        let connection = Connection {
            app: app.clone(),
            remote,
            router: router.clone(),
            head_timeout: limits.head,
        };
        tokio::spawn(serve_connection(
            stream,
            connection,
            tls.clone(),
            stopping.clone(),
            running.clone(),
        ));
    }
    drop(listener);
    let _ = stop.send(());
    drop(running);
    all_finished.recv().await;
    if let Some(redirecting) = redirecting {
        let _ = redirecting.await;
    }
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

/// What every connection's task needs.
struct Connection {
    app: AppState,
    remote: SocketAddr,
    router: Router,
    head_timeout: Duration,
}

/// What a TLS connection tells each of its requests.
#[derive(Clone, Debug, Default)]
pub struct TlsConnection {
    /// The email of the client certificate the connection presented, verified against
    /// `ClientSideCertCAFile`.
    pub client_certificate_email: Option<Arc<str>>,
}

async fn serve_connection(
    stream: ClientStream,
    connection: Connection,
    tls: Option<Arc<tls::Acceptor>>,
    mut stopping: watch::Receiver<()>,
    running: mpsc::Sender<()>,
) {
    let Some(tls) = tls else {
        return serve_http(stream, connection, None, stopping, running).await;
    };
    // The handshake is bounded by the head deadline: a client that connects and says nothing
    // is dropped as on a plain connection.
    let handshake = tokio::time::timeout(connection.head_timeout, tls.accept(stream));
    let remote = connection.remote;
    let stream = tokio::select! {
        done = handshake => match done {
            Ok(Ok(stream)) => stream,
            Ok(Err(e)) => {
                tracing::debug!(error = %e, %remote, "TLS handshake failed");
                return;
            }
            Err(_) => {
                tracing::debug!(%remote, "TLS handshake timed out");
                return;
            }
        },
        _ = stopping.changed() => return,
    };
    let info = TlsConnection {
        client_certificate_email: tls::client_certificate_email(&stream).map(Arc::from),
    };
    serve_http(stream, connection, Some(info), stopping, running).await;
}

async fn serve_http<S>(
    stream: S,
    connection: Connection,
    tls: Option<TlsConnection>,
    mut stopping: watch::Receiver<()>,
    _running: mpsc::Sender<()>,
) where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let Connection {
        app,
        remote,
        router,
        head_timeout,
    } = connection;
    let service = hyper::service::service_fn(move |mut req: Request<Incoming>| {
        let config = app.config();
        let client = client_ip::resolve(remote.ip(), req.headers(), &config.service_settings);
        let extensions = req.extensions_mut();
        extensions.insert(ConnectInfo(remote));
        extensions.insert(ClientAddr(client));
        if let Some(tls) = &tls {
            extensions.insert(tls.clone());
            // The client is on HTTPS whatever it wrote: Secure cookies, https links.
            req.headers_mut().insert(
                "x-forwarded-proto",
                hyper::header::HeaderValue::from_static("https"),
            );
        }
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
