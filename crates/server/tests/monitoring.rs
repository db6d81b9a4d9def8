//! Monitoring as an operator sets it up (docs/monitoring.md): `utmost serve` with
//! `MetricsSettings.Enable`, scraped by Debian's real Prometheus server (a process of the
//! test's own: generated config, temporary storage, free ports) with the shipped alert rules
//! loaded; the shipped Grafana dashboard and rules checked against what a running server
//! exposes; the rules checked by `promtool`. Prometheus is installed by `.ci/run`; without
//! it these tests fail, saying so.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::server::{admin_team_and_channel, free_port, id, log, Server};
use common::{DbKind, Instance};
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const PROMETHEUS: &str = "/usr/bin/prometheus";
const PROMTOOL: &str = "/usr/bin/promtool";

fn repo_file(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(path)
}

fn rules_file() -> PathBuf {
    repo_file("docs/monitoring/utmost-alerts.yml")
}

fn dashboard_file() -> PathBuf {
    repo_file("docs/monitoring/grafana-dashboard.json")
}

fn installed(binary: &str) -> &str {
    assert!(
        Path::new(binary).is_file(),
        "{binary} is missing: install Debian's `prometheus` package (apt-get install prometheus; .ci/run does)"
    );
    binary
}

/// `utmost serve` on SQLite with its metrics listener on a free port, after a little of
/// everything (sign-up, logins, a post, a failed login), so every family has series.
async fn serving_with_metrics() -> (Instance, Server, u16) {
    let metrics_port = free_port();
    let i = Instance::new(DbKind::Sqlite).await.unwrap().with_env(vec![
        ("MM_METRICSSETTINGS_ENABLE", "true".into()),
        (
            "MM_METRICSSETTINGS_LISTENADDRESS",
            format!("127.0.0.1:{metrics_port}"),
        ),
    ]);
    let server = Server::start(&i).await;
    let (token, _team, channel) = admin_team_and_channel(&server, "monitored").await;
    server
        .client(Some(&token))
        .post(
            "/posts",
            json!({"channel_id": id(&channel), "message": "watched"}),
        )
        .await
        .expect(201);
    server
        .client(None)
        .post(
            "/users/login",
            json!({"login_id": "admin", "password": "not-the-password"}),
        )
        .await
        .expect(401);
    (i, server, metrics_port)
}

async fn scrape(i: &Instance, port: u16) -> String {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Ok(r) = reqwest::get(format!("http://127.0.0.1:{port}/metrics")).await {
            if r.status() == 200 {
                return r.text().await.unwrap();
            }
        }
        assert!(
            Instant::now() < deadline,
            "the metrics listener never answered on {port}:\n{}",
            log(i)
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The metric names a scrape exposes (a histogram's `_bucket`, `_sum` and `_count` too).
fn exposed_names(text: &str) -> BTreeSet<String> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| l.split(['{', ' ']).next().unwrap_or_default().to_string())
        .collect()
}

/// Every `mattermost_…` or `utmost_…` name in `text` (a PromQL expression, a template).
fn metric_names_in(text: &str, into: &mut BTreeSet<String>) {
    let bytes = text.as_bytes();
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b':';
    let mut start = 0;
    while start < bytes.len() {
        if !word(bytes[start]) {
            start += 1;
            continue;
        }
        let mut end = start;
        while end < bytes.len() && word(bytes[end]) {
            end += 1;
        }
        let token = &text[start..end];
        if token.starts_with("mattermost_") || token.starts_with("utmost_") {
            into.insert(token.to_string());
        }
        start = end;
    }
}

fn strings_of(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|v| strings_of(v, out)),
        Value::Object(o) => o.values().for_each(|v| strings_of(v, out)),
        _ => {}
    }
}

/// The names the shipped dashboard and alert rules use.
fn names_the_docs_use() -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let dashboard: Value =
        serde_json::from_str(&std::fs::read_to_string(dashboard_file()).unwrap()).unwrap();
    let mut strings = Vec::new();
    strings_of(&dashboard, &mut strings);
    strings.iter().for_each(|s| metric_names_in(s, &mut names));
    let rules = std::fs::read_to_string(rules_file()).unwrap();
    let exprs: Vec<&str> = rules
        .lines()
        .filter_map(|l| l.trim().strip_prefix("expr:"))
        .collect();
    let alerts = rules
        .lines()
        .filter(|l| l.trim().starts_with("- alert:"))
        .count();
    assert_eq!(exprs.len(), alerts, "every rule's expr on one line");
    for e in exprs {
        assert!(!e.trim().is_empty() && !e.trim().starts_with('|'), "{e}");
        metric_names_in(e, &mut names);
    }
    names
}

/// Every metric name in docs/monitoring/'s dashboard and rules is exposed by a running
/// server: an operator's panels and alerts never watch a name that does not exist.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dashboard_and_the_rules_use_only_exposed_metrics() {
    let (i, _server, port) = serving_with_metrics().await;
    let exposed = exposed_names(&scrape(&i, port).await);
    let used = names_the_docs_use();
    assert!(used.len() >= 20, "the docs use too few metrics? {used:?}");
    let missing: Vec<_> = used.difference(&exposed).collect();
    assert!(
        missing.is_empty(),
        "used by docs/monitoring/ but not exposed: {missing:?}\nexposed: {exposed:?}"
    );
}

/// `promtool check rules` accepts the shipped alert rules.
#[test]
fn promtool_accepts_the_alert_rules() {
    let out = Command::new(installed(PROMTOOL))
        .args(["check", "rules"])
        .arg(rules_file())
        .output()
        .unwrap();
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "promtool refused the rules:\n{said}");
    assert!(said.contains("SUCCESS"), "{said}");
}

/// A Prometheus of the test's own; killed on drop.
struct Prometheus {
    child: Child,
    dir: PathBuf,
    port: u16,
}

impl Prometheus {
    fn start(target_port: u16) -> Self {
        let binary = installed(PROMETHEUS);
        let dir =
            std::env::temp_dir().join(format!("utmost-prometheus-{}", utmost_model::new_id()));
        std::fs::create_dir_all(dir.join("data")).unwrap();
        let config = format!(
            "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nrule_files:\n  - {rules}\nscrape_configs:\n  - job_name: utmost\n    static_configs:\n      - targets: ['127.0.0.1:{target_port}']\n",
            rules = rules_file().canonicalize().unwrap().display()
        );
        std::fs::write(dir.join("prometheus.yml"), config).unwrap();
        let port = free_port();
        let log = std::fs::File::create(dir.join("prometheus.log")).unwrap();
        let child = Command::new(binary)
            .arg(format!(
                "--config.file={}",
                dir.join("prometheus.yml").display()
            ))
            .arg(format!(
                "--storage.tsdb.path={}",
                dir.join("data").display()
            ))
            .arg(format!("--web.listen-address=127.0.0.1:{port}"))
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .unwrap();
        Self { child, dir, port }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("prometheus.log")).unwrap_or_default()
    }

    async fn api(&self, path: &str) -> Option<Value> {
        let r = reqwest::get(format!("http://127.0.0.1:{}{path}", self.port))
            .await
            .ok()?;
        r.json().await.ok()
    }

    /// Polls `path` until `done` holds of its JSON, failing with Prometheus' log after 60 s.
    async fn until(&mut self, path: &str, what: &str, done: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                panic!("prometheus exited with {status}:\n{}", self.log());
            }
            if let Some(v) = self.api(path).await {
                if done(&v) {
                    return v;
                }
                assert!(
                    Instant::now() < deadline,
                    "{what}: still {v}\n{}",
                    self.log()
                );
            } else {
                assert!(
                    Instant::now() < deadline,
                    "{what}: no answer\n{}",
                    self.log()
                );
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
    }
}

impl Drop for Prometheus {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn results(v: &Value) -> &[Value] {
    v["data"]["result"].as_array().map_or(&[], Vec::as_slice)
}

/// Debian's Prometheus scrapes a running `utmost serve`: the target is up, Utmost's series
/// are queryable with their labels, and the shipped rules load and evaluate without error.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prometheus_scrapes_a_running_server() {
    let (i, server, port) = serving_with_metrics().await;
    scrape(&i, port).await;
    let mut prometheus = Prometheus::start(port);

    let up = prometheus
        .until("/api/v1/query?query=up", "the target up", |v| {
            results(v)
                .iter()
                .any(|r| r["metric"]["job"] == "utmost" && r["value"][1] == "1")
        })
        .await;
    assert_eq!(
        results(&up)[0]["metric"]["instance"],
        format!("127.0.0.1:{port}")
    );

    // What the server did shows in Prometheus, labelled by route.
    server.client(None).get("/system/ping").await.expect(200);
    let ping = prometheus
        .until(
            "/api/v1/query?query=mattermost_api_time_count%7Bhandler%3D%22%2Fapi%2Fv4%2Fsystem%2Fping%22%7D",
            "the ping route's requests",
            |v| !results(v).is_empty(),
        )
        .await;
    assert_eq!(results(&ping)[0]["metric"]["method"], "GET");
    for query in [
        "mattermost_post_total",
        "mattermost_login_logins_fail_total",
        "mattermost_db_master_connections_total",
        "mattermost_process_resident_memory_bytes",
    ] {
        let v = prometheus
            .until(&format!("/api/v1/query?query={query}"), query, |v| {
                !results(v).is_empty()
            })
            .await;
        let value: f64 = results(&v)[0]["value"][1]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!(value > 0.0, "{query} = {value}");
    }

    // The shipped rules loaded, and each evaluated without error against real series.
    let rules = prometheus
        .until("/api/v1/rules", "the rules evaluated", |v| {
            let rules: Vec<&Value> = v["data"]["groups"]
                .as_array()
                .into_iter()
                .flatten()
                .flat_map(|g| g["rules"].as_array().into_iter().flatten())
                .collect();
            !rules.is_empty() && rules.iter().all(|r| r["health"] != "unknown")
        })
        .await;
    let groups = rules["data"]["groups"].as_array().unwrap();
    assert!(groups.len() >= 5, "{rules}");
    for rule in groups.iter().flat_map(|g| g["rules"].as_array().unwrap()) {
        assert_eq!(rule["health"], "ok", "{rule}");
    }
    // Nothing is wrong with a quiet, healthy server: no alert fires.
    let alerts = prometheus.api("/api/v1/alerts").await.unwrap();
    let firing: Vec<&Value> = alerts["data"]["alerts"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|a| a["state"] == "firing")
        .collect();
    assert!(firing.is_empty(), "{firing:?}");
}
