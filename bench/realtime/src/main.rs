//! WebSocket benchmarks for Utmost (issue 3), each with its baseline measured in the same run:
//!
//! * memory: RSS growth of the server process per idle authenticated connection, Utmost vs a
//!   bare tokio-tungstenite server holding the same number of sockets;
//! * fan-out: one post into a channel whose members are all connected, deliveries per second
//!   until every member has the `posted` event, vs the bare server broadcasting a message of
//!   the same size to the same number of sockets.
//!
//! Loopback only; every loop is bounded by a count and a timeout.

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand};
use futures_util::{SinkExt, StreamExt};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::net::TcpListener;
use tokio::sync::{broadcast, Semaphore};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;

#[derive(Parser)]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Run both benchmarks against the given utmost binary.
    Run {
        /// Path to a release build of utmost.
        #[arg(long, default_value = "target/release/utmost")]
        utmost: String,
        /// Idle connections for the memory benchmark (one per user).
        #[arg(long, default_value_t = 10_000)]
        connections: usize,
        /// Channel sizes for the fan-out benchmark.
        #[arg(long, value_delimiter = ',', default_value = "1000,10000")]
        fanout: Vec<usize>,
        /// Posts per fan-out run.
        #[arg(long, default_value_t = 5)]
        posts: usize,
    },
    /// The baseline: a bare tokio-tungstenite broadcast server (started by `run`).
    BaselineServer {
        #[arg(long)]
        port: u16,
    },
}

#[tokio::main]
async fn main() -> Result<()> {
    match Cli::parse().command {
        Cmd::Run {
            utmost,
            connections,
            fanout,
            posts,
        } => run(&utmost, connections, &fanout, posts).await,
        Cmd::BaselineServer { port } => baseline_server(port).await,
    }
}

/// A 26-character id in Mattermost's shape (lower-case letters and digits).
fn id() -> String {
    uuid::Uuid::new_v4().simple().to_string()[..26].to_string()
}

fn free_port() -> Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

fn rss_kib(pid: u32) -> Result<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    let line = status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .context("no VmRSS")?;
    Ok(line
        .split_whitespace()
        .nth(1)
        .context("bad VmRSS")?
        .parse()?)
}

struct Server {
    child: Child,
    url: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn wait_ready(url: &str) -> Result<()> {
    let http = reqwest::Client::new();
    for _ in 0..300 {
        if let Ok(r) = http.get(format!("{url}/api/v4/system/ping")).send().await {
            if r.status().is_success() {
                return Ok(());
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    bail!("server at {url} did not become ready")
}

fn start_utmost(bin: &str, dir: &std::path::Path) -> Result<Server> {
    let port = free_port()?;
    let child = Command::new(bin)
        .args([
            "serve",
            "--set",
            &format!("ServiceSettings.ListenAddress=127.0.0.1:{port}"),
        ])
        .env("MM_SQLSETTINGS_DRIVERNAME", "sqlite")
        .env("MM_SQLSETTINGS_DATASOURCE", dir.join("utmost.db"))
        .env("MM_FILESETTINGS_DIRECTORY", dir.join("files"))
        .env("MM_LOGSETTINGS_CONSOLELEVEL", "ERROR")
        .stdout(Stdio::null())
        .spawn()
        .with_context(|| format!("starting {bin}"))?;
    Ok(Server {
        child,
        url: format!("http://127.0.0.1:{port}"),
    })
}

fn start_baseline() -> Result<Server> {
    let port = free_port()?;
    let me = std::env::current_exe()?;
    let child = Command::new(me)
        .args(["baseline-server", "--port", &port.to_string()])
        .spawn()?;
    Ok(Server {
        child,
        url: format!("http://127.0.0.1:{port}"),
    })
}

/// Users, a team and two channels written straight into the database (signing up 10,000
/// people through the API would measure password hashing, not WebSockets). Every user gets a
/// session whose raw token the server accepts, as it accepts sessions of a Mattermost database.
struct Fixture {
    tokens: Vec<String>,
    channels: Vec<(usize, String)>,
}

async fn seed(db: &std::path::Path, users: usize, channel_sizes: &[usize]) -> Result<Fixture> {
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", db.display())).await?;
    let now = 1_700_000_000_000i64;
    let team = id();
    let mut tx = pool.begin().await?;
    sqlx::query(
        "INSERT INTO teams (id, createat, updateat, deleteat, displayname, name, description, \
         email, type, companyname, alloweddomains, inviteid, allowopeninvite, \
         lastteamiconupdate, cloudlimitsarchived) \
         VALUES ($1, $2, $2, 0, 'Bench', 'bench', '', '', 'O', '', '', $3, 1, 0, 0)",
    )
    .bind(&team)
    .bind(now)
    .bind(id())
    .execute(&mut *tx)
    .await?;
    let mut channels = Vec::new();
    for (i, size) in channel_sizes.iter().enumerate() {
        let cid = id();
        sqlx::query(
            "INSERT INTO channels (id, createat, updateat, deleteat, teamid, type, displayname, \
             name, header, purpose, lastpostat, totalmsgcount, extraupdateat, creatorid, \
             totalmsgcountroot, lastrootpostat) \
             VALUES ($1, $2, $2, 0, $3, 'O', $4, $5, '', '', 0, 0, 0, '', 0, 0)",
        )
        .bind(&cid)
        .bind(now)
        .bind(&team)
        .bind(format!("Fan-out {size}"))
        .bind(format!("fanout-{i}"))
        .execute(&mut *tx)
        .await?;
        channels.push((*size, cid));
    }
    let mut tokens = Vec::with_capacity(users);
    for n in 0..users {
        let uid = id();
        let token = id();
        sqlx::query(
            "INSERT INTO users (id, createat, updateat, deleteat, username, password, authservice, \
             email, emailverified, nickname, firstname, lastname, position, roles, allowmarketing, \
             props, notifyprops, lastpasswordupdate, lastpictureupdate, failedattempts, locale, \
             timezone, mfaactive, mfasecret, lastlogin) \
             VALUES ($1, $2, $2, 0, $3, '', '', $4, 1, '', '', '', '', 'system_user', 0, '{}', \
             '{}', $2, 0, 0, 'en', '{}', 0, '', 0)",
        )
        .bind(&uid)
        .bind(now)
        .bind(format!("bench{n}"))
        .bind(format!("bench{n}@example.com"))
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO sessions (id, token, createat, expiresat, lastactivityat, userid, \
             deviceid, roles, isoauth, props, expirednotify) \
             VALUES ($1, $2, $3, 0, $3, $4, '', 'system_user', 0, '{}', 0)",
        )
        .bind(id())
        .bind(&token)
        .bind(now)
        .bind(&uid)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO teammembers (teamid, userid, roles, deleteat, schemeuser, schemeadmin, \
             schemeguest, createat) VALUES ($1, $2, '', 0, 1, 0, 0, $3)",
        )
        .bind(&team)
        .bind(&uid)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        for (size, cid) in &channels {
            if n < *size {
                sqlx::query(
                    "INSERT INTO channelmembers (channelid, userid, roles, lastviewedat, msgcount, \
                     mentioncount, notifyprops, lastupdateat, schemeuser, schemeadmin, \
                     schemeguest, mentioncountroot, msgcountroot, urgentmentioncount) \
                     VALUES ($1, $2, '', 0, 0, 0, '{}', $3, 1, 0, 0, 0, 0, 0)",
                )
                .bind(cid)
                .bind(&uid)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
        }
        tokens.push(token);
    }
    tx.commit().await?;
    pool.close().await;
    Ok(Fixture { tokens, channels })
}

/// Counts what the connected clients receive.
#[derive(Default)]
struct Counters {
    hello: AtomicU64,
    posted: AtomicU64,
    /// Size of the last `posted` frame, to size the baseline's message the same.
    posted_bytes: AtomicU64,
    /// When the first counted message of a run arrived (ns since `EPOCH`; 0 = none yet).
    first_at: AtomicU64,
}

static EPOCH: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();

fn now_ns() -> u64 {
    EPOCH.get_or_init(Instant::now).elapsed().as_nanos() as u64
}

/// Opens one connection per token (200 handshakes at a time) and keeps reading; aborting the
/// returned tasks closes the sockets.
async fn connect_all(
    ws_url: &str,
    tokens: &[String],
    counters: Arc<Counters>,
) -> Result<Vec<tokio::task::JoinHandle<()>>> {
    let gate = Arc::new(Semaphore::new(200));
    let mut handshakes = Vec::new();
    for token in tokens {
        let mut req = ws_url.into_client_request()?;
        req.headers_mut()
            .insert("authorization", format!("Bearer {token}").parse()?);
        let gate = gate.clone();
        let counters = counters.clone();
        handshakes.push(tokio::spawn(async move {
            let permit = gate.acquire_owned().await.ok()?;
            let (mut ws, _) = tokio_tungstenite::connect_async(req).await.ok()?;
            drop(permit);
            Some(tokio::spawn(async move {
                while let Some(Ok(msg)) = ws.next().await {
                    if let Message::Text(t) = msg {
                        if t.contains("\"event\":\"posted\"") || t.starts_with("baseline:") {
                            counters.posted_bytes.store(t.len() as u64, Ordering::Relaxed);
                            let _ = counters.first_at.compare_exchange(
                                0,
                                now_ns(),
                                Ordering::Relaxed,
                                Ordering::Relaxed,
                            );
                            counters.posted.fetch_add(1, Ordering::Relaxed);
                        } else if t.contains("\"event\":\"hello\"") || t == "hello" {
                            counters.hello.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                }
            }))
        }));
    }
    let mut readers = Vec::with_capacity(tokens.len());
    for h in handshakes {
        if let Ok(Some(reader)) = h.await {
            readers.push(reader);
        }
    }
    if readers.len() < tokens.len() {
        bail!("{} of {} connections failed", tokens.len() - readers.len(), tokens.len());
    }
    Ok(readers)
}

fn close_all(readers: Vec<tokio::task::JoinHandle<()>>) {
    for r in readers {
        r.abort();
    }
}

async fn wait_for(counter: &AtomicU64, target: u64, limit: Duration) -> Result<Duration> {
    let start = Instant::now();
    while counter.load(Ordering::Relaxed) < target {
        if start.elapsed() > limit {
            bail!(
                "timed out: {} of {target}",
                counter.load(Ordering::Relaxed)
            );
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    Ok(start.elapsed())
}

async fn run(bin: &str, connections: usize, fanout: &[usize], posts: usize) -> Result<()> {
    let users = connections.max(fanout.iter().copied().max().unwrap_or(0));
    let dir = std::env::temp_dir().join(format!("utmost-rt-bench-{}", id()));
    std::fs::create_dir_all(&dir)?;

    // Migrate with a first start, then seed while the server is down.
    drop({
        let s = start_utmost(bin, &dir)?;
        wait_ready(&s.url).await?;
        s
    });
    let fixture = seed(&dir.join("utmost.db"), users, fanout).await?;
    let server = start_utmost(bin, &dir)?;
    wait_ready(&server.url).await?;
    let ws_url = format!("{}/api/v4/websocket", server.url.replace("http", "ws"));

    println!("# Memory per idle authenticated connection ({users} connections)");
    tokio::time::sleep(Duration::from_millis(500)).await;
    let before = rss_kib(server.child.id())?;
    let counters = Arc::new(Counters::default());
    let readers = connect_all(&ws_url, &fixture.tokens, counters.clone()).await?;
    wait_for(&counters.hello, users as u64, Duration::from_secs(120)).await?;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let after = rss_kib(server.child.id())?;
    let utmost_per_conn = (after.saturating_sub(before)) as f64 * 1024.0 / users as f64;

    // Fan-out on Utmost while every member is connected.
    let http = reqwest::Client::new();
    let poster = &fixture.tokens[0];
    let mut utmost_rates = Vec::new();
    for (size, channel_id) in &fixture.channels {
        // One post at a time: a post's fan-out is the time from its first to its last
        // delivery; the POST's own latency (database, mentions) is reported separately.
        let mut fanning = 0.0;
        let mut posting = 0.0;
        for i in 0..posts {
            counters.posted.store(0, Ordering::Relaxed);
            counters.first_at.store(0, Ordering::Relaxed);
            let start = Instant::now();
            let r = http
                .post(format!("{}/api/v4/posts", server.url))
                .bearer_auth(poster)
                .json(&serde_json::json!({"channel_id": channel_id, "message": format!("fan-out {i} {}", "x".repeat(200))}))
                .send()
                .await?;
            posting += start.elapsed().as_secs_f64();
            if r.status().as_u16() != 201 {
                bail!("POST /posts answered {}: {}", r.status(), r.text().await?);
            }
            wait_for(&counters.posted, *size as u64, Duration::from_secs(300)).await?;
            fanning += (now_ns() - counters.first_at.load(Ordering::Relaxed)) as f64 / 1e9;
        }
        let deliveries = (*size * posts) as f64;
        let bytes = counters.posted_bytes.load(Ordering::Relaxed).max(64) as usize;
        println!(
            "utmost {size} members: POST /posts took {:.1} ms on average",
            posting * 1000.0 / posts as f64
        );
        utmost_rates.push((*size, deliveries / fanning, fanning, bytes));
    }
    close_all(readers);
    drop(server);
    tokio::time::sleep(Duration::from_secs(1)).await;

    let baseline = start_baseline()?;
    wait_tcp(&baseline.url).await?;
    let base_ws = format!("{}/", baseline.url.replace("http", "ws"));
    tokio::time::sleep(Duration::from_millis(300)).await;
    let b_before = rss_kib(baseline.child.id())?;
    let b_counters = Arc::new(Counters::default());
    let b_readers = connect_all(&base_ws, &fixture.tokens, b_counters.clone()).await?;
    wait_for(&b_counters.hello, users as u64, Duration::from_secs(120)).await?;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let b_after = rss_kib(baseline.child.id())?;
    close_all(b_readers);
    drop(baseline);
    let base_per_conn = (b_after.saturating_sub(b_before)) as f64 * 1024.0 / users as f64;
    println!(
        "utmost:   RSS {before} KiB -> {after} KiB = {:.1} KiB per connection",
        utmost_per_conn / 1024.0
    );
    println!(
        "baseline: RSS {b_before} KiB -> {b_after} KiB = {:.1} KiB per connection",
        base_per_conn / 1024.0
    );
    println!(
        "ratio utmost/baseline: {:.2}",
        utmost_per_conn / base_per_conn.max(1.0)
    );

    println!("\n# Fan-out ({posts} posts per channel, one at a time, every member connected): deliveries per second from a post's first to its last delivery");
    for (size, utmost_rate, secs, bytes) in utmost_rates {
        tokio::time::sleep(Duration::from_secs(1)).await;
        let b_rate = baseline_fanout(&fixture.tokens[..size], posts, bytes).await?;
        println!(
            "{size} members: utmost {utmost_rate:.0} deliveries/s ({secs:.3} s, {bytes}-byte frames), baseline {b_rate:.0} deliveries/s, ratio {:.2}",
            utmost_rate / b_rate
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

async fn wait_tcp(url: &str) -> Result<()> {
    let addr = url.trim_start_matches("http://").to_string();
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(&addr).await.is_ok() {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    bail!("baseline server did not start")
}

/// Fan-out on the bare server: a fresh set of `members` connections, `count` broadcasts.
async fn baseline_fanout(members: &[String], count: usize, bytes: usize) -> Result<f64> {
    let server = start_baseline()?;
    wait_tcp(&server.url).await?;
    let ws = format!("{}/", server.url.replace("http", "ws"));
    let counters = Arc::new(Counters::default());
    let readers = connect_all(&ws, members, counters.clone()).await?;
    wait_for(&counters.hello, members.len() as u64, Duration::from_secs(120)).await?;
    let (mut control, _) = tokio_tungstenite::connect_async(ws.as_str()).await?;
    let mut delivering = 0.0;
    for _ in 0..count {
        counters.posted.store(0, Ordering::Relaxed);
        counters.first_at.store(0, Ordering::Relaxed);
        control
            .send(Message::Text(format!("broadcast 1 {bytes}").into()))
            .await?;
        wait_for(&counters.posted, members.len() as u64, Duration::from_secs(300)).await?;
        delivering += (now_ns() - counters.first_at.load(Ordering::Relaxed)) as f64 / 1e9;
    }
    let target = (members.len() * count) as u64;
    let rate = target as f64 / delivering;
    close_all(readers);
    Ok(rate)
}

/// A bare broadcast server: every connection gets a `hello`, then whatever is broadcast.
/// A text `broadcast <count> <bytes>` makes it broadcast `count` messages of `bytes` bytes.
async fn baseline_server(port: u16) -> Result<()> {
    let listener = TcpListener::bind(("127.0.0.1", port)).await?;
    let (tx, _) = broadcast::channel::<Arc<str>>(1024);
    loop {
        let (stream, _) = listener.accept().await?;
        let tx = tx.clone();
        tokio::spawn(async move {
            let Ok(ws) = tokio_tungstenite::accept_async(stream).await else {
                return;
            };
            let (mut write, mut read) = ws.split();
            let mut rx = tx.subscribe();
            if write.send(Message::Text("hello".into())).await.is_err() {
                return;
            }
            loop {
                tokio::select! {
                    msg = rx.recv() => match msg {
                        Ok(m) => if write.send(Message::Text(m.to_string().into())).await.is_err() { return },
                        Err(broadcast::error::RecvError::Lagged(_)) => continue,
                        Err(_) => return,
                    },
                    incoming = read.next() => match incoming {
                        Some(Ok(Message::Text(t))) => {
                            let parts: Vec<&str> = t.split_whitespace().collect();
                            if let ["broadcast", count, bytes] = parts.as_slice() {
                                let count: usize = count.parse().unwrap_or(0);
                                let bytes: usize = bytes.parse().unwrap_or(64);
                                let body: Arc<str> = format!("baseline:{}", "x".repeat(bytes.saturating_sub(9))).into();
                                for _ in 0..count {
                                    let _ = tx.send(body.clone());
                                }
                            }
                        }
                        Some(Ok(_)) => {}
                        _ => return,
                    },
                }
            }
        });
    }
}
