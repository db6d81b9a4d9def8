//! `ServiceSettings.Forward80To443`: a plain HTTP listener that sends every request to the
//! same host and path over HTTPS (301), as Mattermost's `handleHTTPRedirect`. Mattermost
//! requires the HTTPS listener on 443 and so redirects to the default port; Utmost redirects
//! to the HTTPS listener's port, which it leaves out when it is 443.

use hyper::body::Incoming;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::{watch, Semaphore};

/// Redirect connections open at once; beyond it new ones wait in the backlog.
const MAX_CONNECTIONS: usize = 1024;

/// Serves redirects on `listener` until the stop is sent.
pub async fn serve(
    listener: TcpListener,
    https_port: u16,
    head_timeout: Duration,
    mut stopping: watch::Receiver<()>,
) {
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    loop {
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => slot,
            _ = stopping.changed() => return,
        };
        let Ok(slot) = slot else { return };
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            _ = stopping.changed() => return,
        };
        let tcp = match accepted {
            Ok((tcp, _)) => tcp,
            Err(e) => {
                tracing::debug!(error = %e, "accepting a redirect connection failed");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |req: Request<Incoming>| async move {
                Ok::<_, Infallible>(redirect(&req, https_port))
            });
            let mut http = hyper::server::conn::http1::Builder::new();
            http.timer(TokioTimer::new())
                .header_read_timeout(head_timeout)
                .keep_alive(false);
            // A client that stops reading cannot hold the slot past the head deadline twice.
            let conn = http.serve_connection(TokioIo::new(tcp), service);
            let _ = tokio::time::timeout(head_timeout * 2, conn).await;
            drop(slot);
        });
    }
}

fn redirect(req: &Request<Incoming>, https_port: u16) -> Response<String> {
    let host = req
        .headers()
        .get(hyper::header::HOST)
        .and_then(|h| h.to_str().ok())
        .or_else(|| req.uri().host())
        .map(strip_port)
        .filter(|h| !h.is_empty() && !h.contains(['/', '@', '\\', ' ']));
    let Some(host) = host else {
        return plain(StatusCode::BAD_REQUEST, String::from("missing Host\n"));
    };
    let port = if https_port == 443 {
        String::new()
    } else {
        format!(":{https_port}")
    };
    let path = req.uri().path_and_query().map_or("/", |p| p.as_str());
    let target = format!("https://{host}{port}{path}");
    let mut response = plain(
        StatusCode::MOVED_PERMANENTLY,
        format!("<a href=\"{target}\">Moved Permanently</a>.\n\n"),
    );
    if let Ok(location) = hyper::header::HeaderValue::from_str(&target) {
        response
            .headers_mut()
            .insert(hyper::header::LOCATION, location);
    }
    response
}

fn plain(status: StatusCode, body: String) -> Response<String> {
    let mut response = Response::new(body);
    *response.status_mut() = status;
    response.headers_mut().insert(
        hyper::header::CONTENT_TYPE,
        hyper::header::HeaderValue::from_static("text/html; charset=utf-8"),
    );
    response
}

/// Mattermost's `stripPort`: the host without its port (IPv6 literals keep their brackets).
fn strip_port(host: &str) -> &str {
    if host.starts_with('[') {
        return host.find(']').map_or(host, |end| &host[..=end]);
    }
    host.rsplit_once(':').map_or(host, |(h, _)| h)
}

#[cfg(test)]
mod tests {
    use super::strip_port;

    #[test]
    fn ports_are_stripped_from_names_and_addresses() {
        assert_eq!(strip_port("chat.example.com:80"), "chat.example.com");
        assert_eq!(strip_port("chat.example.com"), "chat.example.com");
        assert_eq!(strip_port("[::1]:80"), "[::1]");
        assert_eq!(strip_port("127.0.0.1:8080"), "127.0.0.1");
    }
}
