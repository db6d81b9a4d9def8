//! WebSocket benchmarks for Utmost (issue 3), each with its baseline measured in the same run:
//!
//! * memory: RSS growth of the server process per idle authenticated connection, Utmost vs a
//!   bare tokio-tungstenite server holding the same number of sockets;
//! * fan-out: one post into a channel whose members are all connected, deliveries per second
//!   until every member has the `posted` event, vs the bare server broadcasting a message of
//!   the same size to the same number of sockets; and a reaction in the same channel, until
//!   every member has `reaction_added` (or `reaction_removed`), vs the post.
//!
//! Loopback only; every loop is bounded by a count and a timeout.

mod fanout;
mod reader;

use fanout::{Clients, FanOut, Trigger};
use reader::Mode;

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand};
use futures_util::{SinkExt, StreamExt};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::net::TcpListener;
use tokio::sync::{broadcast, watch, Semaphore};
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
        /// A post's and a reaction's fan-outs are measured in turn this many times per
        /// channel, so a change in the machine's load affects both alike.
        #[arg(long, default_value_t = 3)]
        rounds: usize,
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
            rounds,
        } => run(&utmost, connections, &fanout, posts, rounds.max(1)).await,
        Cmd::BaselineServer { port } => baseline_server(port).await,
    }
}

/// A 26-character id in Mattermost's shape (lower-case letters and digits).
fn id() -> String {
    uuid::Uuid::new_v4().simple().to_string()[..26].to_string()
}

fn free_port() -> Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
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
    /// Earliest and latest kernel arrival time of the held messages (ns since 1970).
    first_held: AtomicU64,
    last_held: AtomicU64,
    /// Held messages that arrived at or after `since_ns`.
    since_ns: AtomicU64,
    held_after: AtomicU64,
}

impl Counters {
    /// Starts counting the next message.
    fn reset(&self) {
        for c in [
            &self.posted,
            &self.first_at,
            &self.last_held,
            &self.since_ns,
            &self.held_after,
        ] {
            c.store(0, Ordering::Relaxed);
        }
        self.first_held.store(u64::MAX, Ordering::Relaxed);
    }

    fn held_span_ns(&self) -> u64 {
        self.last_held
            .load(Ordering::Relaxed)
            .saturating_sub(self.first_held.load(Ordering::Relaxed))
    }
}

static EPOCH: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();

fn now_ns() -> u64 {
    EPOCH.get_or_init(Instant::now).elapsed().as_nanos() as u64
}

/// Opens one connection per token (200 handshakes at a time); the clients keep reading in
/// `Mode::Live` until told otherwise.
async fn connect_all(ws_url: &str, tokens: &[String]) -> Result<Clients> {
    let counters = Arc::new(Counters::default());
    let (mode, watching) = watch::channel(Mode::Live);
    let gate = Arc::new(Semaphore::new(200));
    let mut handshakes = Vec::new();
    for token in tokens {
        let (gate, counters, watching) = (gate.clone(), counters.clone(), watching.clone());
        let (url, token) = (ws_url.to_string(), token.clone());
        handshakes.push(tokio::spawn(async move {
            let permit = gate.acquire_owned().await.ok()?;
            let (tcp, rest) = reader::connect(&url, &token).await.ok()?;
            drop(permit);
            Some(tokio::spawn(reader::run(tcp, rest, counters, watching)))
        }));
    }
    let mut tasks = Vec::with_capacity(tokens.len());
    for h in handshakes {
        if let Ok(Some(task)) = h.await {
            tasks.push(task);
        }
    }
    let clients = Clients {
        tasks,
        mode,
        counters,
    };
    if clients.tasks.len() < tokens.len() {
        let failed = tokens.len() - clients.tasks.len();
        clients.close();
        bail!("{failed} of {} connections failed", tokens.len());
    }
    Ok(clients)
}

async fn wait_for(counter: &AtomicU64, target: u64, limit: Duration) -> Result<Duration> {
    let start = Instant::now();
    while counter.load(Ordering::Relaxed) < target {
        if start.elapsed() > limit {
            bail!("timed out: {} of {target}", counter.load(Ordering::Relaxed));
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    Ok(start.elapsed())
}

/// Opens one connection per token to the server `pid` and lets them settle; returns them with
/// the server's RSS (KiB) before and after.
async fn connect_idle(pid: u32, ws_url: &str, tokens: &[String]) -> Result<(Clients, u64, u64)> {
    let before = rss_kib(pid)?;
    let clients = connect_all(ws_url, tokens).await?;
    let everyone = tokens.len() as u64;
    wait_for(&clients.counters.hello, everyone, Duration::from_secs(120)).await?;
    tokio::time::sleep(Duration::from_secs(2)).await;
    Ok((clients, before, rss_kib(pid)?))
}

async fn run(
    bin: &str,
    connections: usize,
    fanout: &[usize],
    posts: usize,
    rounds: usize,
) -> Result<()> {
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
    let (clients, before, after) =
        connect_idle(server.child.id(), &ws_url, &fixture.tokens).await?;
    let utmost_per_conn = (after.saturating_sub(before)) as f64 * 1024.0 / users as f64;

    // Fan-out on Utmost while every member is connected.
    let http = reqwest::Client::new();
    let mut utmost_fanouts = Vec::new();
    for (size, channel_id) in &fixture.channels {
        let mut post = Trigger::Post {
            http: &http,
            url: &server.url,
            token: &fixture.tokens[0],
            channel_id,
        };
        let (user_id, post_id) =
            reaction_target(&http, &server.url, &fixture.tokens[0], channel_id).await?;
        let mut reaction = Trigger::Reaction {
            http: &http,
            url: &server.url,
            token: &fixture.tokens[0],
            user_id: &user_id,
            post_id: &post_id,
        };
        let mut turns = Vec::with_capacity(rounds);
        for _ in 0..rounds {
            let pid = server.child.id();
            let posted = fanout::measure(pid, &clients, *size, posts, &mut post).await?;
            let reacted = fanout::measure(pid, &clients, *size, posts, &mut reaction).await?;
            turns.push((posted, reacted));
        }
        let bytes = clients
            .counters
            .posted_bytes
            .load(Ordering::Relaxed)
            .max(64) as usize;
        utmost_fanouts.push((*size, turns, bytes));
    }
    clients.close();
    drop(server);
    tokio::time::sleep(Duration::from_secs(1)).await;

    let baseline = start_baseline()?;
    wait_tcp(&baseline.url).await?;
    let base_ws = format!("{}/", baseline.url.replace("http", "ws"));
    tokio::time::sleep(Duration::from_millis(300)).await;
    let (b_clients, b_before, b_after) =
        connect_idle(baseline.child.id(), &base_ws, &fixture.tokens).await?;
    b_clients.close();
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

    println!(
        "\n# Fan-out ({posts} messages per channel, way and round, {rounds} rounds, one at a time, \
         every member connected): deliveries per second from a message's first to its last \
         delivery; CPU per delivery"
    );
    for (size, turns, bytes) in utmost_fanouts {
        // The post's figures against the baseline: its median round by live rate.
        let mut by_live: Vec<&FanOut> = turns.iter().map(|(p, _)| p).collect();
        by_live.sort_by(|a, b| a.live.per_second.total_cmp(&b.live.per_second));
        let utmost = *by_live[by_live.len() / 2];
        tokio::time::sleep(Duration::from_secs(1)).await;
        let base = baseline_fanout(&fixture.tokens[..size], posts, bytes).await?;
        println!(
            "{size} members ({bytes}-byte frames; POST /posts took {:.1} ms on average):",
            utmost.trigger_ms
        );
        for (way, u, b) in [
            ("clients reading live", utmost.live, base.live),
            ("clients holding     ", utmost.held, base.held),
        ] {
            println!(
                "  {way}: utmost {:>7.0}/s ({:.1} µs server CPU on {:.1} cores, {:.1} µs clients), \
                 baseline {:>7.0}/s ({:.1} µs on {:.1} cores, {:.1} µs), ratio {:.2}",
                u.per_second,
                u.server_us,
                u.server_cores,
                u.clients_us,
                b.per_second,
                b.server_us,
                b.server_cores,
                b.clients_us,
                u.per_second / b.per_second
            );
        }
        println!(
            "  from the request to the last delivery (live): utmost {:>7.0}/s, baseline {:>7.0}/s",
            utmost.end_to_end, base.end_to_end
        );
        print_reactions(&turns);
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// A reaction's fan-out against the post's measured just before it, round by round, and
/// the median ratio of each way.
fn print_reactions(turns: &[(FanOut, FanOut)]) {
    println!("  a reaction (reaction_added/removed) vs the post measured just before it:");
    let mut ratios: [Vec<f64>; 3] = Default::default();
    for (round, (post, reaction)) in turns.iter().enumerate() {
        let ways = [
            (reaction.live.per_second, post.live.per_second),
            (reaction.held.per_second, post.held.per_second),
            (reaction.end_to_end, post.end_to_end),
        ];
        for (list, (r, p)) in ratios.iter_mut().zip(ways) {
            list.push(r / p);
        }
        println!(
            "    round {}: live {:>7.0}/s vs {:>7.0}/s, held {:>7.0}/s vs {:>7.0}/s, \
             from the request {:>7.0}/s vs {:>7.0}/s; requests {:.1} ms vs {:.1} ms",
            round + 1,
            ways[0].0,
            ways[0].1,
            ways[1].0,
            ways[1].1,
            ways[2].0,
            ways[2].1,
            reaction.trigger_ms,
            post.trigger_ms
        );
    }
    let [live, held, end_to_end] = ratios.map(|mut v| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    });
    println!(
        "    median ratio reaction/post: live {live:.2}, held {held:.2}, from the request {end_to_end:.2}"
    );
}

/// The poster's id and a new post of theirs in the channel, for the reaction fan-out.
async fn reaction_target(
    http: &reqwest::Client,
    url: &str,
    token: &str,
    channel_id: &str,
) -> Result<(String, String)> {
    let post: serde_json::Value = http
        .post(format!("{url}/api/v4/posts"))
        .bearer_auth(token)
        .json(&serde_json::json!({"channel_id": channel_id, "message": "react to me"}))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let field = |name: &str| {
        post[name]
            .as_str()
            .map(str::to_owned)
            .context("post without ids")
    };
    Ok((field("user_id")?, field("id")?))
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
async fn baseline_fanout(members: &[String], count: usize, bytes: usize) -> Result<FanOut> {
    let server = start_baseline()?;
    wait_tcp(&server.url).await?;
    let ws = format!("{}/", server.url.replace("http", "ws"));
    let clients = connect_all(&ws, members).await?;
    wait_for(
        &clients.counters.hello,
        members.len() as u64,
        Duration::from_secs(120),
    )
    .await?;
    let (mut control, _) = tokio_tungstenite::connect_async(ws.as_str()).await?;
    let mut broadcast = Trigger::Broadcast {
        control: &mut control,
        bytes,
    };
    let result = fanout::measure(
        server.child.id(),
        &clients,
        members.len(),
        count,
        &mut broadcast,
    )
    .await;
    clients.close();
    result
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
