//! What `deploy/` ships, tested as shipped (docs/deployment.md):
//! - three real `utmost serve` nodes on one PostgreSQL database and one Redis (the cluster
//!   bus) behind the shipped nginx and HAProxy configurations (only the addresses replaced,
//!   and a server line added for the third node): login through the balancer, the session
//!   served by every node in turn, a WebSocket through it hearing every node's posts, a post
//!   on node a reaching a WebSocket on node c, a profile and a channel changed on node b
//!   read changed at once on node a, an export job run by one node only, a logout on one
//!   node refused at once by the others, a large upload into the S3-compatible store they
//!   share (s3s-fs) read back through any node, and one node killed while the balancer
//!   keeps answering from the others;
//! - a node SIGKILLed in the middle of a burst of posts: every acknowledged post stored, and
//!   every client of the dead node resumed through the balancer on the other one, caught up
//!   the way Mattermost's clients do (a fresh `hello`, then the posts `since`);
//! - the Kubernetes manifests validated offline against the Kubernetes schemas
//!   (`kubernetes-validate --strict`), the systemd unit by `systemd-analyze verify`, the two
//!   balancer configurations by `nginx -t` and `haproxy -c`.
//!
//! nginx, haproxy and kubernetes-validate are installed by `.ci/run`; without them these tests
//! fail, unless `UTMOST_SKIP_DEPLOY=1` says to skip them knowingly.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::server::{admin_team_and_channel, free_port, id, login_token, Server, PASSWORD};
use common::{DbKind, Instance};
use serde_json::{json, Value};
use std::collections::HashSet;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use utmost_testkit::redis_server::RedisServer;
use utmost_testkit::s3::S3Server;
use utmost_testkit::ws::{Next, WsClient};
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

/// `text` with the line naming `NODE2` written once per node in `rest` (the second node
/// on): its address, and its name (`node2`, `node3`, … in haproxy.cfg) numbered on.
fn node_lines(text: &str, rest: &[String]) -> String {
    let line = text
        .lines()
        .find(|l| l.contains(NODE2))
        .expect("the shipped file names a second node");
    let lines: Vec<String> = rest
        .iter()
        .enumerate()
        .map(|(k, addr)| {
            line.replace(NODE2, addr)
                .replace("node2", &format!("node{}", k + 2))
        })
        .collect();
    substitute(text, line, &lines.join("\n"), 1)
}

/// The shipped nginx file with its nodes and the listen address replaced.
fn render_nginx(nodes: &[String], listen: &str) -> String {
    let text = shipped("nginx/utmost.conf");
    let text = substitute(&text, NODE1, &nodes[0], 1);
    let text = node_lines(&text, &nodes[1..]);
    substitute(&text, "listen 80;", &format!("listen {listen};"), 1)
}

/// The shipped haproxy.cfg with its nodes and the bind address replaced.
fn render_haproxy(nodes: &[String], listen: &str) -> String {
    let text = shipped("haproxy/haproxy.cfg");
    let text = substitute(&text, NODE1, &nodes[0], 1);
    let text = node_lines(&text, &nodes[1..]);
    substitute(&text, "bind :80\n", &format!("bind {listen}\n"), 1)
}

impl Balancer {
    async fn start(kind: Kind, nodes: &[String]) -> Balancer {
        let dir = std::env::temp_dir().join(format!("utmost-lb-{}", utmost_model::new_id()));
        std::fs::create_dir_all(&dir).unwrap();
        let port = free_port();
        let listen = format!("127.0.0.1:{port}");
        let out = File::create(dir.join("stdout.log")).unwrap();
        let mut cmd = match kind {
            Kind::Nginx => {
                let site = dir.join("utmost.conf");
                std::fs::write(&site, render_nginx(nodes, &listen)).unwrap();
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
                std::fs::write(&cfg, render_haproxy(nodes, &listen)).unwrap();
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
    let mut serve = i.command(&["serve"]);
    serve
        .env("MM_EXPERIMENTALAUDITSETTINGS_FILEENABLED", "true")
        .env(
            "MM_EXPERIMENTALAUDITSETTINGS_FILENAME",
            audit_file(i, name).to_string_lossy().into_owned(),
        );
    let mut server = Server::spawn(serve, &i.path("server.log"));
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

/// The settings that make a node part of one cluster on `redis` (docs/cluster.md), under a
/// cluster name of its own, searching from the database as several nodes must.
fn cluster_env(redis: &RedisServer) -> Vec<(&'static str, String)> {
    vec![
        ("MM_BLEVESETTINGS_ENABLEINDEXING", "false".into()),
        ("MM_CLUSTERSETTINGS_ENABLE", "true".into()),
        (
            "MM_CLUSTERSETTINGS_CLUSTERNAME",
            format!("lb-{}", utmost_model::new_id()),
        ),
        ("MM_CACHESETTINGS_CACHETYPE", "redis".into()),
        ("MM_CACHESETTINGS_REDISADDRESS", redis.address()),
    ]
}

/// Nodes of one cluster behind the shipped balancer of `kind`: a fresh PostgreSQL database,
/// a Redis of the test's own, and (with s3s-fs) one S3-compatible store.
struct Behind {
    lb: Balancer,
    /// Node `a`, `b`, … in the balancer's order.
    nodes: Vec<Server>,
    s3: Option<S3Server>,
    _redis: RedisServer,
    i: Instance,
}

/// The name of the `n`th node (from 0): its audit file's.
fn node_name(n: usize) -> String {
    char::from(b'a' + n as u8).to_string()
}

/// [`Behind`] started with `count` nodes; None when the test skips (no balancer program, no
/// PostgreSQL).
async fn nodes_behind(kind: Kind, count: usize) -> Option<Behind> {
    let program = match kind {
        Kind::Nginx => NGINX,
        Kind::Haproxy => HAPROXY,
    };
    if !have(program, "apt-get install nginx haproxy") {
        return None;
    }
    let i = Instance::new(DbKind::Postgres)
        .await?
        .with_shipped_plugins();
    // As docs/deployment.md says for several nodes: search from the database (the built-in
    // index belongs to one process); and the nodes meet on a Redis of the test's own.
    let redis = RedisServer::start().await;
    let mut i = i.with_env(cluster_env(&redis));
    // Their files are in one S3-compatible store (s3s-fs), as a cluster's must be.
    let s3 = S3Server::start().await;
    if let Some(s3) = &s3 {
        i = i.with_env(s3.env());
    }
    // One after the other: the first runs the migrations on the fresh database.
    let mut nodes = Vec::new();
    for n in 0..count {
        nodes.push(start_node(&i, &node_name(n)).await);
    }
    let addrs: Vec<String> = nodes
        .iter()
        .map(|s| s.url.trim_start_matches("http://").to_string())
        .collect();
    let lb = Balancer::start(kind, &addrs).await;
    Some(Behind {
        lb,
        nodes,
        s3,
        _redis: redis,
        i,
    })
}

/// The whole scenario against one balancer kind, with three nodes.
async fn balanced_cluster(kind: Kind) {
    let Some(behind) = nodes_behind(kind, 3).await else {
        return;
    };
    // Bound in this order, so they drop in the reverse one: balancer first.
    let Behind {
        i,
        _redis,
        s3,
        mut nodes,
        lb,
    } = behind;
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
    // stickiness sends authenticated writes to every node, and each node's own audit file
    // shows the ones it served, with the client address the balancer passed on.
    let rounds = 3 * nodes.len();
    for n in 0..rounds {
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
    let audited = |n: usize| audit_records(&i, &node_name(n), "patchUser");
    let deadline = Instant::now() + Duration::from_secs(15);
    let served: Vec<Vec<Value>> = loop {
        let served: Vec<Vec<Value>> = (0..nodes.len()).map(audited).collect();
        if served.iter().map(Vec::len).sum::<usize>() >= rounds || Instant::now() > deadline {
            break served;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    // Round robin, one request at a time: the nodes took turns.
    let counts: Vec<usize> = served.iter().map(Vec::len).collect();
    assert_eq!(
        counts,
        vec![3; nodes.len()],
        "every node served the session's requests in turn, each audited once"
    );
    for record in served.iter().flatten() {
        assert_eq!(record["status"], "success");
        assert_eq!(record["actor"]["user_id"], me["id"]);
        let xff = record["actor"]["x_forwarded_for"].as_str().unwrap();
        assert!(xff.contains(CLIENT_IP), "X-Forwarded-For passed on: {xff}");
    }

    // A WebSocket through the balancer: upgraded, authenticated, and over the Redis bus it
    // receives what any node publishes: a post made on each node directly reaches it.
    let mut ws = WsClient::connect_to(&url, Some(&token), "").await;
    let hello = ws.next_event("hello").await;
    assert_eq!(hello["broadcast"]["user_id"], me["id"]);
    let mut posted = Vec::new();
    for (n, node) in nodes.iter().enumerate() {
        let text = format!("posted on {}", node_name(n));
        node.client(Some(&token))
            .post(
                "/posts",
                json!({"channel_id": id(&channel), "message": text}),
            )
            .await
            .expect(201);
        posted.push(text);
    }
    let mut heard = Vec::new();
    for _ in 0..nodes.len() {
        let posted = ws.next_event("posted").await;
        let post: Value = serde_json::from_str(posted["data"]["post"].as_str().unwrap()).unwrap();
        assert_eq!(post["channel_id"], channel["id"]);
        heard.push(post["message"].as_str().unwrap().to_string());
    }
    heard.sort();
    assert_eq!(heard, posted, "every node's posts");

    // A post on node a reaches a WebSocket on node c itself.
    let (node_a, node_b, node_c) = (&nodes[0], &nodes[1], &nodes[2]);
    let mut on_c = WsClient::connect_to(&node_c.url, Some(&token), "").await;
    on_c.next_event("hello").await;
    let sent = node_a
        .client(Some(&token))
        .post(
            "/posts",
            json!({"channel_id": id(&channel), "message": "from a to c"}),
        )
        .await
        .expect(201)
        .body;
    let heard = on_c.next_event("posted").await;
    let post: Value = serde_json::from_str(heard["data"]["post"].as_str().unwrap()).unwrap();
    assert_eq!(post["id"], sent["id"]);
    drop(on_c);

    // A profile change on node b invalidates node a's caches: a reads the user and the
    // channel (caching both), b changes them, and a's very next read has the change.
    let (on_a, on_b) = (node_a.client(Some(&token)), node_b.client(Some(&token)));
    for round in 0..3 {
        let me_path = format!("/users/{}", id(&me));
        let channel_path = format!("/channels/{}", id(&channel));
        on_a.get(&me_path).await.expect(200);
        on_a.get(&channel_path).await.expect(200);
        let nickname = format!("changed on b {round}");
        on_b.put("/users/me/patch", json!({"nickname": nickname}))
            .await
            .expect(200);
        let header = format!("header from b {round}");
        on_b.put(&format!("{channel_path}/patch"), json!({"header": header}))
            .await
            .expect(200);
        assert_eq!(
            on_a.get(&me_path).await.expect(200).body["nickname"],
            nickname
        );
        assert_eq!(
            on_a.get(&channel_path).await.expect(200).body["header"],
            header
        );
    }

    // A job runs on one node only: an export asked for through the balancer is claimed by
    // one of the three (one "job started" in their shared log), and its file, in the
    // shared store (with s3s-fs), is listed by every node.
    let job = send(
        &url,
        reqwest::Method::POST,
        "/jobs",
        &token,
        Some(json!({"type": "export_process"})),
    )
    .await
    .expect(201)
    .body;
    let job_path = format!("/jobs/{}", id(&job));
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let status = c.get(&job_path).await.expect(200).body["status"].clone();
        if status == "success" {
            break;
        }
        assert!(
            ["pending", "in_progress"].contains(&status.as_str().unwrap()),
            "{status}: {}",
            common::server::log(&i)
        );
        assert!(Instant::now() < deadline, "the export never ended");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let started = common::server::log(&i)
        .lines()
        .filter(|l| l.contains("job started") && l.contains(id(&job)))
        .count();
    assert_eq!(started, 1, "one node ran the job");
    for node in nodes.iter().filter(|_| s3.is_some()) {
        let exports = node
            .client(Some(&token))
            .get("/exports")
            .await
            .expect(200)
            .body;
        assert_eq!(exports.as_array().unwrap().len(), 1, "{exports}");
    }
    // Every node is in the cluster's status.
    let status = c.get("/cluster/status").await.expect(200).body;
    assert_eq!(status.as_array().unwrap().len(), nodes.len(), "{status}");

    // A logout through one node: the other nodes, which have the session cached, refuse the
    // token at the very next request (the logout answers once every node acknowledged it).
    for from in &nodes {
        let other = login_token(from, "admin").await;
        for node in &nodes {
            node.client(Some(&other)).get("/users/me").await.expect(200);
        }
        let logout = Instant::now();
        from.client(Some(&other))
            .post("/users/logout", json!({}))
            .await
            .expect(200);
        eprintln!("logout answered in {:?}", logout.elapsed());
        for node in &nodes {
            node.client(Some(&other)).get("/users/me").await.expect(401);
        }
    }

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
    if let Some(s3) = &s3 {
        let sizes: Vec<u64> = s3
            .objects()
            .iter()
            .filter_map(|p| std::fs::metadata(p).ok())
            .map(|m| m.len())
            .collect();
        assert!(
            sizes.contains(&(big.len() as u64)),
            "the upload is an object of the shared store: {sizes:?}"
        );
    }

    // Node c dies. The balancer keeps answering from the others: reads and writes, at once
    // (a refused connection is retried on the next node) and after the health check.
    drop(ws);
    nodes.pop().unwrap().kill();
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
        // The active check of /api/v4/system/ping takes node3 out of rotation.
        let deadline = Instant::now() + Duration::from_secs(20);
        while !lb.log().contains("node3 is DOWN") {
            assert!(
                Instant::now() < deadline,
                "haproxy never marked node3 down:\n{}",
                lb.log()
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    } else {
        // nginx checks passively: the refused connections are logged and node3 is left out.
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
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nginx_balances_three_nodes() {
    balanced_cluster(Kind::Nginx).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn haproxy_balances_three_nodes() {
    balanced_cluster(Kind::Haproxy).await;
}

// ---- a node lost during a burst ---------------------------------------------------------

/// How far before the newest post it saw a client that resumed on another node asks for
/// posts (`since`): another node's post may reach a socket a little after a newer post of
/// the socket's own node, so the newest one seen does not prove every older one was
/// (docs/cluster.md). Posts already held are merged by id.
const CATCH_UP_MARGIN_MS: i64 = 5_000;

/// What one WebSocket client through the balancer saw.
#[derive(Debug, Default)]
struct Follower {
    /// The ids of the channel's posts it holds: heard as `posted`, or read when catching up.
    posts: HashSet<String>,
    /// Its socket closed, and it resumed through the balancer.
    moved: bool,
    connection_ids: Vec<String>,
}

/// A Mattermost client on a socket through the balancer: it follows the channel's `posted`
/// events; when its socket closes it reconnects the way Mattermost's clients do (its old
/// `connection_id` and the next `sequence_number`), and on a fresh `hello` (a new
/// connection id: the node does not know the old one) asks for the posts it may have missed.
/// It returns once `stop` is set and its socket has been quiet for a moment.
async fn follow(
    url: String,
    token: String,
    channel_id: String,
    stop: tokio::sync::watch::Receiver<bool>,
) -> Follower {
    let mut ws = WsClient::connect_to(&url, Some(&token), "").await;
    let hello = ws.next_event("hello").await;
    let mut seen = Follower::default();
    let mut connection_id = hello["data"]["connection_id"].as_str().unwrap().to_string();
    seen.connection_ids.push(connection_id.clone());
    let mut last_seq = hello["seq"].as_i64().unwrap();
    let mut newest = 0;
    loop {
        match ws.next_or_closed(Duration::from_millis(300)).await {
            Next::Message(event) => {
                last_seq = event["seq"].as_i64().unwrap_or(last_seq);
                if event["event"] != "posted" {
                    continue;
                }
                let post: Value =
                    serde_json::from_str(event["data"]["post"].as_str().unwrap()).unwrap();
                if post["channel_id"] == channel_id.as_str() {
                    seen.posts.insert(id(&post).to_string());
                    newest = newest.max(post["create_at"].as_i64().unwrap());
                }
            }
            Next::Quiet if *stop.borrow() => return seen,
            Next::Quiet => {}
            Next::Closed => {
                assert!(!seen.moved, "a socket closed twice");
                seen.moved = true;
                let query = format!(
                    "?connection_id={connection_id}&sequence_number={}",
                    last_seq + 1
                );
                let deadline = Instant::now() + Duration::from_secs(10);
                ws = loop {
                    match WsClient::try_connect_to(&url, Some(&token), &query).await {
                        Ok(ws) => break ws,
                        Err(e) => {
                            assert!(Instant::now() < deadline, "no reconnection: {e}");
                            tokio::time::sleep(Duration::from_millis(100)).await;
                        }
                    }
                };
                // The surviving node never saw that connection: it starts a new one, as
                // Mattermost's server does, and the client knows it missed events.
                let hello = ws.next_event("hello").await;
                assert_eq!(hello["seq"], 0, "{hello}");
                let fresh = hello["data"]["connection_id"].as_str().unwrap().to_string();
                assert_ne!(fresh, connection_id, "a fresh connection");
                connection_id = fresh;
                seen.connection_ids.push(connection_id.clone());
                last_seq = 0;
                let since = (newest - CATCH_UP_MARGIN_MS).max(1);
                let missed = Client::new(&url)
                    .with_token(&token)
                    .get(&format!("/channels/{channel_id}/posts?since={since}"))
                    .await
                    .expect(200)
                    .body;
                for post in missed["posts"].as_object().unwrap().values() {
                    seen.posts.insert(id(post).to_string());
                    newest = newest.max(post["create_at"].as_i64().unwrap());
                }
            }
        }
    }
}

/// One post through the balancer: its id when acknowledged (201), else the status (0: no
/// answer at all).
async fn post_through(
    url: &str,
    token: &str,
    channel_id: &str,
    message: &str,
) -> Result<String, u16> {
    let sent = reqwest::Client::new()
        .post(format!("{url}/api/v4/posts"))
        .bearer_auth(token)
        .json(&json!({"channel_id": channel_id, "message": message}))
        .timeout(Duration::from_secs(10))
        .send()
        .await;
    let Ok(resp) = sent else { return Err(0) };
    let status = resp.status().as_u16();
    let body: Value = resp.json().await.unwrap_or(Value::Null);
    match (status, body["id"].as_str()) {
        (201, Some(post_id)) => Ok(post_id.to_string()),
        _ => Err(status),
    }
}

/// Two nodes with the Redis bus behind the balancer, WebSocket clients on both through it, a
/// burst of posts, and one node SIGKILLed in the middle of it.
async fn node_lost_during_a_burst(kind: Kind) {
    let Some(behind) = nodes_behind(kind, 2).await else {
        return;
    };
    let Behind {
        i,
        _redis,
        mut nodes,
        lb,
        ..
    } = behind;
    let node_b = nodes.pop().unwrap();
    let url = lb.url.clone();
    let (token, _team, channel) = admin_team_and_channel(&nodes[0], "burst").await;
    let channel_id = id(&channel).to_string();

    // Six clients, one after the other: round robin puts three on each node.
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let mut followers = Vec::new();
    for _ in 0..6 {
        followers.push(tokio::spawn(follow(
            url.clone(),
            token.clone(),
            channel_id.clone(),
            stopped.clone(),
        )));
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;

    // Two posters, 20 posts each, one at a time; node b is killed once 12 are acknowledged,
    // with the posters still going.
    let acked = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut posters = Vec::new();
    for poster in 0..2 {
        let (url, token, channel_id, acked) = (
            url.clone(),
            token.clone(),
            channel_id.clone(),
            acked.clone(),
        );
        posters.push(tokio::spawn(async move {
            let mut outcomes = Vec::new();
            for n in 0..20 {
                let outcome =
                    post_through(&url, &token, &channel_id, &format!("burst {poster}-{n}")).await;
                if outcome.is_ok() {
                    acked.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                }
                outcomes.push(outcome);
            }
            outcomes
        }));
    }
    let deadline = Instant::now() + Duration::from_secs(20);
    while acked.load(std::sync::atomic::Ordering::SeqCst) < 12 {
        assert!(Instant::now() < deadline, "the burst stalled");
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    node_b.kill();
    let mut acknowledged = HashSet::new();
    let mut failed = Vec::new();
    for poster in posters {
        for outcome in poster.await.unwrap() {
            match outcome {
                Ok(post_id) => {
                    acknowledged.insert(post_id);
                }
                Err(status) => failed.push(status),
            }
        }
    }
    // A post in flight to the dead node may fail (the balancer does not send a POST again);
    // every other one is acknowledged by the survivor.
    assert!(failed.len() <= 2, "failed posts: {failed:?}");
    assert!(
        failed.iter().all(|s| [0, 502, 503, 504].contains(s)),
        "{failed:?}"
    );
    assert!(acknowledged.len() >= 38);

    // Every acknowledged post is in the database.
    let stored: HashSet<String> = i
        .column(&format!(
            "SELECT id FROM posts WHERE channelid = '{channel_id}'"
        ))
        .await
        .into_iter()
        .collect();
    let lost: Vec<&String> = acknowledged.difference(&stored).collect();
    assert!(lost.is_empty(), "acknowledged but not stored: {lost:?}");

    // Every client whose socket was on the dead node resumed through the balancer on the
    // other node and holds every acknowledged post.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    stop.send(true).unwrap();
    let mut moved = 0;
    for follower in followers {
        let seen = follower.await.unwrap();
        let missing: Vec<&String> = acknowledged.difference(&seen.posts).collect();
        if seen.moved {
            moved += 1;
            assert_eq!(seen.connection_ids.len(), 2);
            assert!(missing.is_empty(), "a resumed client misses {missing:?}");
        } else {
            // A client of the surviving node hears the dead node's posts over Redis: a node
            // answers a post once its event has left for Redis, so every acknowledged one.
            assert!(
                missing.is_empty(),
                "a client of the surviving node misses {missing:?}"
            );
        }
    }
    eprintln!(
        "{} posts acknowledged, failed: {failed:?}; {moved} clients resumed on the survivor",
        acknowledged.len()
    );
    assert_eq!(moved, 3, "the clients of the dead node");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nginx_node_lost_during_a_burst() {
    node_lost_during_a_burst(Kind::Nginx).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn haproxy_node_lost_during_a_burst() {
    node_lost_during_a_burst(Kind::Haproxy).await;
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
