//! The embedded web client: SPA fallback, cache headers, compression, and /api staying JSON.
//! These paths never touch the database, so one SQLite server is enough.

use utmost_testkit::{DbKind, Resp, TestServer};

async fn get(server: &TestServer, path: &str, headers: &[(&str, &str)]) -> (Resp, Vec<u8>) {
    let mut req = server.client().http.get(format!("{}{path}", server.url));
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    let resp = req.send().await.expect("request failed to send");
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let bytes = resp.bytes().await.expect("body").to_vec();
    let text = String::from_utf8_lossy(&bytes).to_string();
    let body = serde_json::from_str(&text).unwrap_or_default();
    let resp = Resp {
        status,
        headers,
        body,
        text,
    };
    (resp, bytes)
}

/// The first hashed asset index.html refers to (a script, or the placeholder's stylesheet).
fn first_asset(index: &str) -> String {
    let start = index
        .find("/assets/")
        .expect("index.html refers to an asset");
    let end = index[start..].find('"').expect("quoted asset path") + start;
    index[start..end].to_string()
}

#[tokio::test]
async fn index_is_served_at_root_and_deep_links_without_caching() {
    let server = TestServer::start(DbKind::Sqlite).await;
    let (root, _) = get(&server, "/", &[]).await;
    let root = root.expect(200);
    assert!(root.header("content-type").starts_with("text/html"));
    assert_eq!(root.header("cache-control"), "no-cache");
    assert!(root
        .header("content-security-policy")
        .contains("script-src 'self'"));
    assert!(root.text.to_lowercase().starts_with("<!doctype html"));

    for deep in [
        "/team/channels/town-square",
        "/admin_console/users",
        "/login",
    ] {
        let (page, _) = get(&server, deep, &[]).await;
        let page = page.expect(200);
        assert_eq!(page.header("cache-control"), "no-cache", "{deep}");
        assert_eq!(page.text, root.text, "{deep} serves index.html");
    }

    let etag = root.header("etag").to_string();
    assert!(!etag.is_empty());
    let (unchanged, body) = get(&server, "/", &[("if-none-match", &etag)]).await;
    unchanged.expect(304);
    assert!(body.is_empty());
}

#[tokio::test]
async fn hashed_assets_are_immutable_with_their_content_type() {
    let server = TestServer::start(DbKind::Sqlite).await;
    let (index, _) = get(&server, "/", &[]).await;
    let asset = first_asset(&index.text);
    let (resp, body) = get(&server, &asset, &[]).await;
    let resp = resp.expect(200);
    assert_eq!(
        resp.header("cache-control"),
        "public, max-age=31536000, immutable"
    );
    let expected_type = if asset.ends_with(".js") {
        "text/javascript"
    } else {
        "text/css"
    };
    assert!(
        resp.header("content-type").starts_with(expected_type),
        "{asset}: {}",
        resp.header("content-type")
    );
    assert!(!body.is_empty());

    // A stale page asking for an asset of an older build gets a 404, not index.html.
    let (missing, _) = get(&server, "/assets/index-0ld0ld00.js", &[]).await;
    missing.expect(404);
}

#[tokio::test]
async fn responses_are_gzipped_when_the_browser_accepts_it() {
    let server = TestServer::start(DbKind::Sqlite).await;
    let (index, plain_index) = get(&server, "/", &[]).await;
    let asset = first_asset(&index.text);
    let (plain, plain_body) = get(&server, &asset, &[]).await;
    assert_eq!(plain.header("content-encoding"), "");

    let (zipped, body) = get(&server, &asset, &[("accept-encoding", "gzip")]).await;
    let zipped = zipped.expect(200);
    assert_eq!(zipped.header("content-encoding"), "gzip");
    assert_eq!(&body[..2], &[0x1f, 0x8b], "gzip magic number");
    assert_ne!(body, plain_body);

    let (index_zipped, body) = get(&server, "/", &[("accept-encoding", "gzip")]).await;
    assert_eq!(index_zipped.header("content-encoding"), "gzip");
    assert_ne!(body, plain_index);
}

#[tokio::test]
async fn unknown_api_paths_stay_json_404() {
    let server = TestServer::start(DbKind::Sqlite).await;
    for path in ["/api/v4/no_such_thing", "/api/v3/users", "/api/"] {
        let (resp, _) = get(&server, path, &[]).await;
        let resp = resp.expect_error(404, "api.context.404.app_error");
        assert!(resp.header("content-type").starts_with("application/json"));
    }
}

#[tokio::test]
async fn only_get_and_head_reach_the_client() {
    let server = TestServer::start(DbKind::Sqlite).await;
    let http = server.client().http;
    let resp = http
        .post(format!("{}/team/channels/town-square", server.url))
        .send()
        .await
        .expect("request failed to send");
    assert_eq!(resp.status().as_u16(), 405);
    let resp = http
        .head(format!("{}/team/channels/town-square", server.url))
        .send()
        .await
        .expect("request failed to send");
    assert_eq!(resp.status().as_u16(), 200);
}
