//! Prometheus metrics (issue 19): the `/metrics` listener on `MetricsSettings.ListenAddress`,
//! started by the same `utmost_api::metrics::follow` that `utmost serve` calls, scraped
//! before and after a scripted workload (log in, a failed login, post, a WebSocket, cached
//! sessions), so the names, the labels and that the values moved are all shown; then a
//! saved configuration turns the listener off and on again.

use serde_json::json;
use std::collections::BTreeSet;
use std::net::SocketAddr;
use utmost_testkit::ws::WsClient;
use utmost_testkit::{DbKind, TestServer};

/// Scrapes `/metrics` at `addr`.
pub async fn scrape(addr: SocketAddr) -> String {
    let r = reqwest::get(format!("http://{addr}/metrics"))
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let kind = r.headers()["content-type"].to_str().unwrap().to_string();
    assert!(kind.starts_with("text/plain; version=0.0.4"), "{kind}");
    r.text().await.unwrap()
}

/// The value of the sample `series` (its name and labels exactly as exposed), if present.
pub fn sample(text: &str, series: &str) -> Option<f64> {
    text.lines().filter(|l| !l.starts_with('#')).find_map(|l| {
        l.strip_prefix(series)?
            .strip_prefix(' ')?
            .trim()
            .parse()
            .ok()
    })
}

/// The sum of every sample of `name` whose labels contain `with` (all with "").
fn total(text: &str, name: &str, with: &str) -> f64 {
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let rest = l.strip_prefix(name)?;
            let (labels, value) = rest.rsplit_once(' ')?;
            if !(labels.is_empty() || labels.starts_with('{')) || !labels.contains(with) {
                return None;
            }
            value.parse::<f64>().ok()
        })
        .sum()
}

/// Every value of label `label` among the samples of `name`.
fn label_values(text: &str, name: &str, label: &str) -> BTreeSet<String> {
    let key = format!("{label}=\"");
    text.lines()
        .filter_map(|l| l.strip_prefix(name)?.strip_prefix('{'))
        .filter_map(|l| {
            let at = l.find(&key)? + key.len();
            Some(l[at..].split('"').next()?.to_string())
        })
        .collect()
}

async fn workload_moves_the_metrics(kind: DbKind) {
    let server = TestServer::start_with(kind, |c| {
        c.metrics_settings.enable = true;
        c.metrics_settings.listen_address = "127.0.0.1:0".into();
    })
    .await;
    let mut listener = utmost_api::metrics::follow(&server.app);
    listener.wait_for(|a| a.is_some()).await;
    let addr = listener.local_addr().unwrap();
    assert_ne!(
        addr.port(),
        server
            .url
            .rsplit(':')
            .next()
            .unwrap()
            .parse::<u16>()
            .unwrap(),
        "metrics have a socket of their own"
    );
    let before = scrape(addr).await;

    // The workload.
    let basic = server.init_basic().await;
    server
        .client()
        .post(
            "/users/login",
            json!({"login_id": "basicuser", "password": "wrong-password"}),
        )
        .await
        .expect(401);
    let token = basic.client.token.clone().unwrap();
    let (mut ws, _hello) = WsClient::connect_ready(&server, &token).await;
    basic
        .client
        .post(
            "/posts",
            json!({"channel_id": basic.channel_id(), "message": "measured"}),
        )
        .await
        .expect(201);
    ws.next_event("posted").await;
    for _ in 0..3 {
        basic.client.get("/users/me").await.expect(200);
    }
    let user_id = basic.user_id().to_string();
    basic
        .client
        .get(&format!("/users/{user_id}"))
        .await
        .expect(200);

    let after = scrape(addr).await;
    let moved = |name: &str, with: &str| {
        let (b, a) = (total(&before, name, with), total(&after, name, with));
        assert!(a > b, "{name}{{{with}}} did not move: {b} → {a}\n{after}");
    };
    moved("mattermost_http_requests_total", "");
    moved("mattermost_http_errors_total", "");
    moved("mattermost_post_total", "");
    moved("mattermost_login_logins_total", "");
    moved("mattermost_login_logins_fail_total", "");
    moved("mattermost_websocket_broadcasts_total", "name=\"posted\"");
    moved("mattermost_cache_mem_hit_total", "name=\"Session\"");
    moved("mattermost_cache_mem_miss_total", "name=\"Session\"");
    moved("mattermost_cache_mem_miss_total", "name=\"MemberProfiles\"");
    moved(
        "mattermost_api_time_count",
        "handler=\"/api/v4/users/login\",method=\"POST\",status_code=\"200\"",
    );
    moved(
        "mattermost_api_time_count",
        "handler=\"/api/v4/users/login\",method=\"POST\",status_code=\"401\"",
    );
    moved(
        "mattermost_api_time_count",
        "handler=\"/api/v4/users/{user_id}\",method=\"GET\",status_code=\"200\"",
    );
    moved("mattermost_db_store_time_count", "success=\"true\"");

    // The handler label is the route, never the URL: no id of the workload shows.
    let handlers = label_values(&after, "mattermost_api_time_count", "handler");
    assert!(handlers.contains("/api/v4/posts"), "{handlers:?}");
    for h in &handlers {
        assert!(!h.contains(&user_id), "a raw URL as a label: {h}");
        assert!(h == "other" || h.starts_with('/'), "{h}");
    }
    // The store calls are named by their store function.
    let methods = label_values(&after, "mattermost_db_store_time_count", "method");
    assert!(
        methods.iter().any(|m| m.starts_with("posts::")),
        "{methods:?}"
    );
    assert!(
        methods
            .iter()
            .all(|m| !m.contains("{{closure}}") && !m.contains("utmost_store")),
        "{methods:?}"
    );

    // Live state, set by the scrape.
    assert!(sample(&after, "mattermost_http_websockets_total").unwrap() >= 1.0);
    assert!(sample(&after, "mattermost_db_master_connections_total").unwrap() >= 1.0);
    assert!(sample(&after, "utmost_db_max_connections").unwrap() >= 1.0);
    assert!(sample(&after, "utmost_db_connections{state=\"idle\"}").is_some());
    assert!(sample(&after, "utmost_db_connections{state=\"in_use\"}").is_some());
    assert!(sample(&after, "utmost_tokio_alive_tasks").unwrap() >= 1.0);
    assert!(sample(&after, "utmost_tokio_workers").unwrap() >= 1.0);
    // The process, as Mattermost's Go process collector names it.
    assert!(sample(&after, "mattermost_process_resident_memory_bytes").unwrap() > 0.0);
    assert!(sample(&after, "mattermost_process_open_fds").unwrap() > 0.0);
    assert!(sample(&after, "mattermost_process_cpu_seconds_total").is_some());
    assert!(sample(&after, "mattermost_system_server_start_time").unwrap() > 0.0);
    // Jobs: the types this server runs, idle.
    assert!(
        !label_values(&after, "mattermost_jobs_active", "type").is_empty(),
        "{after}"
    );
    drop(ws);

    // A saved change turns the listener off, then on again: no restart needed.
    basic
        .admin
        .put(
            "/config/patch",
            json!({"MetricsSettings": {"Enable": false}}),
        )
        .await
        .expect(200);
    listener.wait_for(|a| a.is_none()).await;
    assert!(reqwest::get(format!("http://{addr}/metrics"))
        .await
        .is_err());
    basic
        .admin
        .put(
            "/config/patch",
            json!({"MetricsSettings": {"Enable": true}}),
        )
        .await
        .expect(200);
    listener.wait_for(|a| a.is_some()).await;
    let again = scrape(listener.local_addr().unwrap()).await;
    assert!(
        total(&again, "mattermost_post_total", "") >= total(&after, "mattermost_post_total", "")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_workload_moves_the_metrics_sqlite() {
    workload_moves_the_metrics(DbKind::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_workload_moves_the_metrics_postgres() {
    if !TestServer::postgres_available() {
        eprintln!("skipping the PostgreSQL variant: TEST_DATABASE_URL is unset");
        return;
    }
    workload_moves_the_metrics(DbKind::Postgres).await;
}

/// Off by default: nothing listens, and the API's own port serves no metrics.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_are_off_by_default() {
    let server = TestServer::start(DbKind::Sqlite).await;
    let listener = utmost_api::metrics::follow(&server.app);
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert_eq!(listener.local_addr(), None);
    let r = reqwest::get(format!("{}/metrics", server.url))
        .await
        .unwrap();
    let body = r.text().await.unwrap();
    assert!(!body.contains("mattermost_http_requests_total"));
}
