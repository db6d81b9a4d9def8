//! What `deploy/` ships, tested as shipped (docs/deployment.md):
//! - two real `utmost serve` nodes on one PostgreSQL database behind the shipped nginx and
//!   HAProxy configurations (only the addresses replaced): login through the balancer, the
//!   session served by both nodes, a WebSocket through it, a large upload, and one node
//!   killed while the balancer keeps answering from the other;
//! - the Kubernetes manifests validated offline against the Kubernetes schemas
//!   (`kubernetes-validate --strict`), the systemd unit by `systemd-analyze verify`, the two
//!   balancer configurations by `nginx -t` and `haproxy -c`.
//!
//! nginx, haproxy and kubernetes-validate are installed by `.ci/run`; without them these tests
//! fail, unless `UTMOST_SKIP_DEPLOY=1` says to skip them knowingly.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::server::{free_port, id, Server, PASSWORD};
use common::{DbKind, Instance};
use serde_json::{json, Value};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use utmost_testkit::ws::WsClient;
use utmost_testkit::Client;

const NGINX: &str = "/usr/sbin/nginx";
const HAPROXY: &str = "/usr/sbin/haproxy";
/// The addresses the shipped configurations name for the nodes and for themselves.
const NODE1: &str = "10.0.0.11:8065";
const NODE2: &str = "10.0.0.12:8065";
/// A client address the test claims, to see X-Forwarded-For reach the nodes.
const CLIENT_IP: &str = "203.0.113.7";

fn deploy_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../deploy")
}

fn shipped(path: &str) -> String {
    std::fs::read_to_string(deploy_dir().join(path)).unwrap()
}

/// Whether `program` can be run; when it cannot, the test fails unless UTMOST_SKIP_DEPLOY=1.
fn have(program: &str, install: &str) -> bool {
    let found = if program.starts_with('/') {
        Path::new(program).exists()
    } else {
        Command::new(program)
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok()
    };
    if !found {
        assert!(
            std::env::var("UTMOST_SKIP_DEPLOY").is_ok_and(|v| v == "1"),
            "{program} is not installed: {install} (or set UTMOST_SKIP_DEPLOY=1 to skip)"
        );
        eprintln!("skipping: {program} is not installed and UTMOST_SKIP_DEPLOY=1");
    }
    found
}

/// `text` with `from` replaced by `to`, which must occur exactly `times` times: a shipped file
/// that no longer renders the way the test expects fails here, not later.
fn substitute(text: &str, from: &str, to: &str, times: usize) -> String {
    assert_eq!(
        text.matches(from).count(),
        times,
        "`{from}` should occur {times} time(s) in the shipped file"
    );
    text.replace(from, to)
}

// ---- the balancers ----------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Nginx,
    Haproxy,
}

/// A balancer run in the foreground from a scratch directory, stopped on drop.
struct Balancer {
    kind: Kind,
    child: Child,
    dir: PathBuf,
    url: String,
}

/// The main nginx.conf around the shipped `http`-context file: every path under `dir`, so
/// that nginx runs without touching /etc/nginx or /var.
fn nginx_main_conf(dir: &Path, site: &Path) -> String {
    let d = dir.display();
    format!(
        "worker_processes 1;\n\
         pid {d}/nginx.pid;\n\
         error_log {d}/error.log info;\n\
         events {{ worker_connections 512; }}\n\
         http {{\n\
         access_log {d}/access.log;\n\
         client_body_temp_path {d}/client_body;\n\
         proxy_temp_path {d}/proxy;\n\
         fastcgi_temp_path {d}/fastcgi;\n\
         uwsgi_temp_path {d}/uwsgi;\n\
         scgi_temp_path {d}/scgi;\n\
         include {};\n\
         }}\n",
        site.display()
    )
}

/// The shipped nginx file with the two nodes and the listen address replaced.
fn render_nginx(node1: &str, node2: &str, listen: &str) -> String {
    let text = shipped("nginx/utmost.conf");
    let text = substitute(&text, NODE1, node1, 1);
    let text = substitute(&text, NODE2, node2, 1);
    substitute(&text, "listen 80;", &format!("listen {listen};"), 1)
}

/// The shipped haproxy.cfg with the two nodes and the bind address replaced.
fn render_haproxy(node1: &str, node2: &str, listen: &str) -> String {
    let text = shipped("haproxy/haproxy.cfg");
    let text = substitute(&text, NODE1, node1, 1);
    let text = substitute(&text, NODE2, node2, 1);
    substitute(&text, "bind :80\n", &format!("bind {listen}\n"), 1)
}

impl Balancer {
    async fn start(kind: Kind, node1: &str, node2: &str) -> Balancer {
        let dir = std::env::temp_dir().join(format!("utmost-lb-{}", utmost_model::new_id()));
        std::fs::create_dir_all(&dir).unwrap();
        let port = free_port();
        let listen = format!("127.0.0.1:{port}");
        let out = File::create(dir.join("stdout.log")).unwrap();
        let mut cmd = match kind {
            Kind::Nginx => {
                let site = dir.join("utmost.conf");
                std::fs::write(&site, render_nginx(node1, node2, &listen)).unwrap();
                let main = dir.join("nginx.conf");
                std::fs::write(&main, nginx_main_conf(&dir, &site)).unwrap();
                let mut cmd = Command::new(NGINX);
                cmd.arg("-p")
                    .arg(&dir)
                    .arg("-e")
                    .arg(dir.join("error.log"))
                    .arg("-c")
                    .arg(&main)
                    .args(["-g", "daemon off;"]);
                cmd
            }
            Kind::Haproxy => {
                let cfg = dir.join("haproxy.cfg");
                std::fs::write(&cfg, render_haproxy(node1, node2, &listen)).unwrap();
                let mut cmd = Command::new(HAPROXY);
                cmd.arg("-db").arg("-f").arg(&cfg);
                cmd
            }
        };
        let child = cmd
            .current_dir(&dir)
            .stdin(Stdio::null())
            .stdout(out.try_clone().unwrap())
            .stderr(out)
            .spawn()
            .unwrap();
        let mut lb = Balancer {
            kind,
            child,
            dir,
            url: format!("http://{listen}"),
        };
        lb.wait_ready().await;
        lb
    }

    /// Everything the balancer logged (its output, and nginx's error log).
    fn log(&self) -> String {
        let mut text = common::read_to_string(&self.dir.join("stdout.log"));
        text.push_str(&common::read_to_string(&self.dir.join("error.log")));
        text
    }

    async fn wait_ready(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(20);
        let http = reqwest::Client::new();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                panic!("{:?} exited with {status}:\n{}", self.kind, self.log());
            }
            let ok = http
                .get(format!("{}/api/v4/system/ping", self.url))
                .send()
                .await
                .is_ok_and(|r| r.status() == 200);
            if ok {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "{:?} did not answer:\n{}",
                self.kind,
                self.log()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

impl Drop for Balancer {
    fn drop(&mut self) {
        // SIGTERM: nginx's master stops its workers (a SIGKILLed master would leave them).
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                let _ = std::fs::remove_dir_all(&self.dir);
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// One node: `utmost serve` on the shared instance with its own listen address and its own
/// audit file (which tells what this node served). Its output goes to the instance's log.
async fn start_node(i: &Instance, name: &str) -> Server {
    let port = free_port();
    let log = File::options()
        .create(true)
        .append(true)
        .open(i.path("server.log"))
        .unwrap();
    let child = i
        .command(&["serve"])
        .env(
            "MM_SERVICESETTINGS_LISTENADDRESS",
            format!("127.0.0.1:{port}"),
        )
        .env("MM_EXPERIMENTALAUDITSETTINGS_FILEENABLED", "true")
        .env(
            "MM_EXPERIMENTALAUDITSETTINGS_FILENAME",
            audit_file(i, name).to_string_lossy().into_owned(),
        )
        .stdin(Stdio::null())
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        .spawn()
        .unwrap();
    let mut server = Server {
        child,
        url: format!("http://127.0.0.1:{port}"),
    };
    server.wait_ready(i).await;
    server
}

fn audit_file(i: &Instance, node: &str) -> PathBuf {
    i.path(&format!("audit-{node}.log"))
}

/// The audit records of `event` that `node` wrote.
fn audit_records(i: &Instance, node: &str, event: &str) -> Vec<Value> {
    common::read_to_string(&audit_file(i, node))
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|r| r["event_name"] == event)
        .collect()
}

/// A request through `base` with the token and a claimed client address.
async fn send(
    base: &str,
    method: reqwest::Method,
    path: &str,
    token: &str,
    body: Option<Value>,
) -> utmost_testkit::Resp {
    let mut req = reqwest::Client::new()
        .request(method, format!("{base}/api/v4{path}"))
        .header("x-forwarded-for", CLIENT_IP);
    if !token.is_empty() {
        req = req.bearer_auth(token);
    }
    if let Some(b) = body {
        req = req.json(&b);
    }
    Client::read(req.send().await.unwrap()).await
}

/// The whole scenario against one balancer kind.
async fn balanced_cluster(kind: Kind) {
    let program = match kind {
        Kind::Nginx => NGINX,
        Kind::Haproxy => HAPROXY,
    };
    if !have(program, "apt-get install nginx haproxy") {
        return;
    }
    let Some(i) = Instance::new(DbKind::Postgres).await else {
        return;
    };
    // As docs/deployment.md says for several nodes: search from the database (the built-in
    // index belongs to one process).
    let i = i.with_env(vec![("MM_BLEVESETTINGS_ENABLEINDEXING", "false".into())]);
    // One after the other: the first runs the migrations on the fresh database.
    let node_a = start_node(&i, "a").await;
    let node_b = start_node(&i, "b").await;
    let addr = |s: &Server| s.url.trim_start_matches("http://").to_string();
    let lb = Balancer::start(kind, &addr(&node_a), &addr(&node_b)).await;
    let url = lb.url.clone();

    // The first account (a system admin) and its login, through the balancer.
    send(
        &url,
        reqwest::Method::POST,
        "/users",
        "",
        Some(json!({"username": "admin", "email": "admin@example.com", "password": PASSWORD})),
    )
    .await
    .expect(201);
    let login = send(
        &url,
        reqwest::Method::POST,
        "/users/login",
        "",
        Some(json!({"login_id": "admin", "password": PASSWORD})),
    )
    .await
    .expect(200);
    let token = login.header("token").to_string();
    assert!(!token.is_empty());
    let me = login.body;

    // A browser's login: the balancer replaces the X-Forwarded-Proto a client sends with the
    // scheme it was reached by (plain HTTP here), so the cookies are not marked Secure on a
    // client's say-so; and the cookie session works on whichever node answers.
    let browser = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let login = browser
        .post(format!("{url}/api/v4/users/login"))
        .header("x-requested-with", "XMLHttpRequest")
        .header("x-forwarded-proto", "https")
        .json(&json!({"login_id": "admin", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 200);
    let cookies: Vec<String> = login
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect();
    assert!(
        cookies.iter().any(|c| c.starts_with("MMAUTHTOKEN=")),
        "{cookies:?}"
    );
    assert!(!cookies.iter().any(|c| c.contains("Secure")), "{cookies:?}");
    for _ in 0..4 {
        let got = browser
            .get(format!("{url}/api/v4/users/me"))
            .header("x-requested-with", "XMLHttpRequest")
            .send()
            .await
            .unwrap();
        assert_eq!(got.status(), 200);
    }
    let c = Client::new(&url).with_token(&token);
    let team = c
        .post(
            "/teams",
            json!({"name": "lb", "display_name": "LB", "type": "O"}),
        )
        .await
        .expect(201)
        .body;
    let channel = c
        .post(
            "/channels",
            json!({"team_id": id(&team), "name": "lb", "display_name": "LB", "type": "O"}),
        )
        .await
        .expect(201)
        .body;

    // The session works on every request, whichever node takes it: round robin with no
    // stickiness sends authenticated writes to both nodes, and each node's own audit file
    // shows the ones it served, with the client address the balancer passed on.
    for n in 0..8 {
        let patched = send(
            &url,
            reqwest::Method::PUT,
            "/users/me/patch",
            &token,
            Some(json!({"nickname": format!("n{n}")})),
        )
        .await
        .expect(200);
        assert_eq!(patched.body["nickname"], format!("n{n}"));
    }
    let deadline = Instant::now() + Duration::from_secs(15);
    let (on_a, on_b) = loop {
        let (a, b) = (
            audit_records(&i, "a", "patchUser"),
            audit_records(&i, "b", "patchUser"),
        );
        if a.len() + b.len() >= 8 || Instant::now() > deadline {
            break (a, b);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(on_a.len() + on_b.len(), 8, "every patch audited once");
    // Round robin, one request at a time: the nodes took turns.
    assert_eq!(
        (on_a.len(), on_b.len()),
        (4, 4),
        "both nodes served the session's requests in turn"
    );
    for record in on_a.iter().chain(&on_b) {
        assert_eq!(record["status"], "success");
        assert_eq!(record["actor"]["user_id"], me["id"]);
        let xff = record["actor"]["x_forwarded_for"].as_str().unwrap();
        assert!(xff.contains(CLIENT_IP), "X-Forwarded-For passed on: {xff}");
    }

    // A WebSocket through the balancer: upgraded, authenticated, and it receives what its
    // node publishes. Without the Redis bus a node delivers only its own events, so a post is
    // made on each node directly: the socket gets at least the one made on its node.
    let mut ws = WsClient::connect_to(&url, Some(&token), "").await;
    let hello = ws.next_event("hello").await;
    assert_eq!(hello["broadcast"]["user_id"], me["id"]);
    for (node, text) in [(&node_a, "posted on a"), (&node_b, "posted on b")] {
        node.client(Some(&token))
            .post(
                "/posts",
                json!({"channel_id": id(&channel), "message": text}),
            )
            .await
            .expect(201);
    }
    let posted = ws.next_event("posted").await;
    let post: Value = serde_json::from_str(posted["data"]["post"].as_str().unwrap()).unwrap();
    assert!(
        ["posted on a", "posted on b"].contains(&post["message"].as_str().unwrap()),
        "{post}"
    );
    assert_eq!(post["channel_id"], channel["id"]);

    // A 30 MiB upload passes the balancer (nginx's own default limit is 1 MiB) and reads
    // back whole, through whichever node answers.
    let big: Vec<u8> = (0..30 * 1024 * 1024)
        .map(|n: u32| (n % 251) as u8)
        .collect();
    let upload = reqwest::Client::new()
        .post(format!(
            "{url}/api/v4/files?channel_id={}&filename=big.bin",
            id(&channel)
        ))
        .bearer_auth(&token)
        .header("content-type", "application/octet-stream")
        .body(big.clone())
        .send()
        .await
        .unwrap();
    let upload = Client::read(upload).await.expect(201);
    let file = &upload.body["file_infos"][0];
    assert_eq!(file["size"], json!(big.len()));
    for _ in 0..2 {
        let got = reqwest::Client::new()
            .get(format!("{url}/api/v4/files/{}", id(file)))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(got.status(), 200);
        assert!(
            got.bytes().await.unwrap() == big,
            "the file reads back whole"
        );
    }

    // Node b dies. The balancer keeps answering from node a: reads and writes, at once (a
    // refused connection is retried on the other node) and after the health check.
    drop(ws);
    node_b.kill();
    let check = |label: &'static str| {
        let (url, token, channel) = (url.clone(), token.clone(), id(&channel).to_string());
        async move {
            for n in 0..6 {
                send(&url, reqwest::Method::GET, "/users/me", &token, None)
                    .await
                    .expect(200);
                send(
                    &url,
                    reqwest::Method::POST,
                    "/posts",
                    &token,
                    Some(json!({"channel_id": channel, "message": format!("{label} {n}")})),
                )
                .await
                .expect(201);
            }
        }
    };
    check("right after").await;
    if kind == Kind::Haproxy {
        // The active check of /api/v4/system/ping takes node2 out of rotation.
        let deadline = Instant::now() + Duration::from_secs(20);
        while !lb.log().contains("node2 is DOWN") {
            assert!(
                Instant::now() < deadline,
                "haproxy never marked node2 down:\n{}",
                lb.log()
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    } else {
        // nginx checks passively: the refused connections are logged and node2 is left out.
        assert!(lb.log().contains("connect() failed"), "{}", lb.log());
    }
    check("later").await;
    // A client whose socket was on the dead node reconnects through the balancer.
    let mut ws = WsClient::connect_to(&url, Some(&token), "").await;
    ws.next_event("hello").await;
    drop(ws);
    let posts = c
        .get(&format!("/channels/{}/posts?per_page=100", id(&channel)))
        .await
        .expect(200)
        .body;
    let made_after_the_kill = posts["posts"]
        .as_object()
        .unwrap()
        .values()
        .filter(|p| {
            let m = p["message"].as_str().unwrap_or("");
            m.starts_with("right after ") || m.starts_with("later ")
        })
        .count();
    assert_eq!(made_after_the_kill, 12, "every acknowledged post is there");
    node_a.kill();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nginx_balances_two_nodes() {
    balanced_cluster(Kind::Nginx).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn haproxy_balances_two_nodes() {
    balanced_cluster(Kind::Haproxy).await;
}

// ---- static checks of what deploy/ ships ------------------------------------------------

/// Runs `cmd`, returning its exit success and everything it printed.
fn output(cmd: &mut Command) -> (bool, String) {
    let out = cmd.output().unwrap();
    let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&out.stderr));
    (out.status.success(), text)
}

fn manifests() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(deploy_dir().join("kubernetes"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    files
}

#[test]
fn kubernetes_manifests_validate_offline() {
    if !have("kubernetes-validate", "pip install kubernetes-validate") {
        return;
    }
    let files = manifests();
    let kinds: Vec<String> = files
        .iter()
        .map(|f| {
            let text = std::fs::read_to_string(f).unwrap();
            let kind = text.lines().find_map(|l| l.strip_prefix("kind: ")).unwrap();
            kind.trim().to_string()
        })
        .collect();
    for kind in [
        "ConfigMap",
        "Secret",
        "Deployment",
        "Service",
        "Ingress",
        "PodDisruptionBudget",
        "HorizontalPodAutoscaler",
    ] {
        assert!(
            kinds.iter().any(|k| k == kind),
            "no {kind} in deploy/kubernetes"
        );
    }
    let (ok, text) = output(
        Command::new("kubernetes-validate")
            .arg("--strict")
            .args(&files),
    );
    assert!(ok, "{text}");
    assert_eq!(text.matches(" passed ").count(), files.len(), "{text}");

    // The validator does check: a misspelt field fails it.
    let dir = std::env::temp_dir().join(format!("utmost-k8s-{}", utmost_model::new_id()));
    std::fs::create_dir_all(&dir).unwrap();
    let broken = dir.join("deployment.yaml");
    let deployment = shipped("kubernetes/deployment.yaml");
    std::fs::write(
        &broken,
        substitute(&deployment, "readinessProbe:", "readinesProbe:", 1),
    )
    .unwrap();
    let (ok, text) = output(
        Command::new("kubernetes-validate")
            .arg("--strict")
            .arg(&broken),
    );
    let _ = std::fs::remove_dir_all(&dir);
    assert!(!ok, "a misspelt field passed:\n{text}");
}

#[test]
fn kubernetes_deployment_probes_ping() {
    let deployment = shipped("kubernetes/deployment.yaml");
    for probe in ["startupProbe:", "readinessProbe:", "livenessProbe:"] {
        let after = &deployment[deployment.find(probe).unwrap()..];
        let path = after
            .lines()
            .find_map(|l| l.trim().strip_prefix("path: "))
            .unwrap();
        assert!(path.starts_with("/api/v4/system/ping"), "{probe} {path}");
    }
    // Settings reach the pods as MM_* variables from the ConfigMap and the Secret.
    let config = shipped("kubernetes/configmap.yaml");
    let secret = shipped("kubernetes/secret.yaml");
    assert!(config.contains("MM_SQLSETTINGS_DRIVERNAME: \"postgres\""));
    assert!(secret.contains("MM_SQLSETTINGS_DATASOURCE:"));
    assert!(
        deployment.contains("name: utmost-config") && deployment.contains("name: utmost-secrets")
    );

    // The proxies let through the largest upload Utmost accepts (the default
    // FileSettings.MaxFileSize, and the ConfigMap's).
    let max_file_size = utmost_config::Config::default().file_settings.max_file_size;
    let configured: i64 = config
        .lines()
        .find_map(|l| l.trim().strip_prefix("MM_FILESETTINGS_MAXFILESIZE: "))
        .unwrap()
        .trim_matches('"')
        .parse()
        .unwrap();
    let megabytes = |text: &str, prefix: &str| -> i64 {
        let value = text
            .lines()
            .find_map(|l| l.trim().strip_prefix(prefix))
            .unwrap()
            .trim_matches(|c| c == '"' || c == ';');
        value.strip_suffix('m').unwrap().parse::<i64>().unwrap() * 1024 * 1024
    };
    let ingress = megabytes(
        &shipped("kubernetes/ingress.yaml"),
        "nginx.ingress.kubernetes.io/proxy-body-size: ",
    );
    let nginx = megabytes(&shipped("nginx/utmost.conf"), "client_max_body_size ");
    for limit in [ingress, nginx] {
        assert!(limit > max_file_size.max(configured), "{limit} bytes");
    }
}

#[test]
fn systemd_unit_verifies() {
    if !have("systemd-analyze", "apt-get install systemd") {
        return;
    }
    // `verify` wants ExecStart's program to exist: the unit as shipped, pointed at the binary
    // this build made.
    let dir = std::env::temp_dir().join(format!("utmost-unit-{}", utmost_model::new_id()));
    std::fs::create_dir_all(&dir).unwrap();
    let unit = dir.join("utmost.service");
    let text = substitute(
        &shipped("systemd/utmost.service"),
        "/usr/local/bin/utmost serve",
        &format!("{} serve", env!("CARGO_BIN_EXE_utmost")),
        1,
    );
    std::fs::write(&unit, &text).unwrap();
    let (ok, out) = output(Command::new("systemd-analyze").arg("verify").arg(&unit));
    // `verify` exits 0 on an unknown key or a bad value, but says so: nothing may be said
    // about the unit's own lines.
    let _ = std::fs::remove_dir_all(&dir);
    assert!(ok, "{out}");
    assert!(!out.contains("utmost.service:"), "{out}");

    // The environment file it names is shipped as an example, MM_* lines only.
    assert!(text.contains("EnvironmentFile=/etc/utmost/utmost.env"));
    let env = shipped("systemd/utmost.env");
    for line in env.lines().filter(|l| !l.is_empty() && !l.starts_with('#')) {
        assert!(line.starts_with("MM_"), "{line}");
    }
}

#[test]
fn balancer_configs_pass_their_own_checks() {
    if !have(NGINX, "apt-get install nginx") || !have(HAPROXY, "apt-get install haproxy") {
        return;
    }
    let dir = std::env::temp_dir().join(format!("utmost-lbcheck-{}", utmost_model::new_id()));
    std::fs::create_dir_all(&dir).unwrap();
    // nginx: the shipped file unchanged, in the scratch main configuration.
    let site = deploy_dir().join("nginx/utmost.conf");
    let main = dir.join("nginx.conf");
    std::fs::write(&main, nginx_main_conf(&dir, &site)).unwrap();
    let (ok, out) = output(
        Command::new(NGINX)
            .arg("-t")
            .arg("-p")
            .arg(&dir)
            .arg("-e")
            .arg(dir.join("error.log"))
            .arg("-c")
            .arg(&main),
    );
    assert!(ok, "{out}");
    let (ok, out) = output(
        Command::new(HAPROXY)
            .arg("-c")
            .arg("-f")
            .arg(deploy_dir().join("haproxy/haproxy.cfg")),
    );
    let _ = std::fs::remove_dir_all(&dir);
    assert!(ok, "{out}");
    assert!(!out.contains("WARNING"), "{out}");
}
