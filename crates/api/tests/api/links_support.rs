//! A real HTTP site for the link tests: pages with and without OpenGraph tags, images, a
//! redirector and a slow page, and a record of every request it received, so a test can
//! show that a refused address was never contacted.

use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use image::codecs::gif::GifEncoder;
use image::{Frame, ImageFormat, RgbaImage};
use std::collections::HashMap;
use std::io::Cursor;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use utmost_testkit::{Client, TestServer};

use crate::support::configure;

/// A site listening on one loopback address.
pub struct Site {
    pub addr: SocketAddr,
    requests: Arc<Mutex<Vec<String>>>,
}

impl Site {
    /// A site on `ip` (any loopback address: 127.0.0.1, 127.0.0.2, ::1).
    pub async fn start(ip: &str) -> Site {
        let requests = Arc::new(Mutex::new(Vec::new()));
        let app = Router::new()
            .route("/page", get(page))
            .route("/plain", get(plain))
            .route(
                "/img.png",
                get(|| async { image_response("image/png", png(30, 20)) }),
            )
            .route(
                "/anim.gif",
                get(|| async { image_response("image/gif", gif(3)) }),
            )
            .route(
                "/vector.svg",
                get(|| async { image_response("image/svg+xml", b"<svg/>".to_vec()) }),
            )
            .route("/redirect", get(redirect))
            .route("/slow", get(slow))
            .layer(axum::middleware::from_fn_with_state(
                requests.clone(),
                record,
            ));
        let addr = crate::support::serve_on(ip, app).await;
        Site { addr, requests }
    }

    /// `http://<addr><path>`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// The same site by another host name (`localhost` resolves to loopback).
    pub fn url_as(&self, host: &str, path: &str) -> String {
        format!("http://{host}:{}{path}", self.addr.port())
    }

    /// The paths requested so far, in order.
    pub fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }
}

async fn record(
    State(requests): State<Arc<Mutex<Vec<String>>>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    requests
        .lock()
        .unwrap()
        .push(request.uri().path().to_owned());
    next.run(request).await
}

async fn page() -> impl IntoResponse {
    let html = r#"<!doctype html><html><head><title>ignored</title>
        <meta property="og:type" content="article">
        <meta property="og:url" content="https://canonical.example/story">
        <meta property="og:title" content="The Story">
        <meta property="og:description" content="What happened">
        <meta property="og:site_name" content="Local News">
        <meta property="og:image" content="/img.png">
        </head><body>hi</body></html>"#;
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html)
}

async fn plain() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/html")],
        "<html><body>no tags</body></html>",
    )
}

async fn redirect(Query(q): Query<HashMap<String, String>>) -> Response {
    match q.get("to") {
        Some(to) => Redirect::to(to).into_response(),
        None => StatusCode::BAD_REQUEST.into_response(),
    }
}

async fn slow() -> impl IntoResponse {
    tokio::time::sleep(std::time::Duration::from_secs(30)).await;
    "late"
}

fn image_response(content_type: &'static str, bytes: Vec<u8>) -> Response {
    ([(header::CONTENT_TYPE, content_type)], bytes).into_response()
}

pub fn png(width: u32, height: u32) -> Vec<u8> {
    let mut bytes = Vec::new();
    RgbaImage::new(width, height)
        .write_to(&mut Cursor::new(&mut bytes), ImageFormat::Png)
        .unwrap();
    bytes
}

fn gif(frames: usize) -> Vec<u8> {
    let mut bytes = Vec::new();
    {
        let mut encoder = GifEncoder::new(&mut bytes);
        for _ in 0..frames {
            encoder
                .encode_frame(Frame::new(RgbaImage::new(8, 6)))
                .unwrap();
        }
    }
    bytes
}

/// Lets the server reach these internal addresses or hosts, as an admin would for an
/// intranet (`AllowedUntrustedInternalConnections`).
pub fn allow_internal(server: &TestServer, allowed: &str) {
    configure(server, |c| {
        c.service_settings.allowed_untrusted_internal_connections = allowed.to_owned();
    });
}

/// Turns the local image proxy on, with the test server as the site URL.
pub fn enable_image_proxy(server: &TestServer) {
    let site = server.url.clone();
    configure(server, |c| {
        c.service_settings.site_url = site;
        c.image_proxy_settings.enable = true;
        c.image_proxy_settings.image_proxy_type = "local".into();
    });
}

/// `GET /api/v4/image?url=…` without following a redirect; the body as bytes.
pub async fn get_image(
    server: &TestServer,
    client: &Client,
    url: &str,
) -> (u16, reqwest::header::HeaderMap, Vec<u8>) {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut request = http
        .get(format!("{}/api/v4/image", server.url))
        .query(&[("url", url)]);
    if let Some(token) = &client.token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    (
        status,
        headers,
        response.bytes().await.unwrap_or_default().to_vec(),
    )
}

/// `POST /opengraph`.
pub async fn opengraph(client: &Client, url: &str) -> utmost_testkit::Resp {
    client
        .post("/opengraph", serde_json::json!({ "url": url }))
        .await
}
