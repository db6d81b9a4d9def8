//! The cluster benchmark (issue 21): a post's fan-out to WebSocket clients spread over three
//! `utmost serve` nodes on one PostgreSQL database and one Redis, next to the same clients and
//! posts on ONE node, in the same run; and what the Redis bus costs per event.
//!
//! Each round measures every setup in turn, so a change in the machine's load affects them
//! alike:
//! - `one node`: one node, `ClusterSettings.Enable` off (no Redis at all): the baseline;
//! - `one node, bus on`: one node of a cluster of one: every event is also published to Redis,
//!   no node hears it: what publishing costs;
//! - `three nodes`: the clients spread evenly over three nodes; the posts go to the nodes in
//!   turn, so a third of the deliveries are on the node that took the post (same node) and
//!   two thirds cross Redis (other node).
//!
//! Every setup runs with `BleveSettings.EnableIndexing` off, as a cluster's nodes do anyway
//! (they search with PostgreSQL's full text), so the single node does not index posts the
//! cluster does not.
//!
//! The users, their sessions and memberships are written straight into the database (signing
//! up hundreds of people through the API would measure password hashing); the posts are
//! `POST /api/v4/posts` from `posters` concurrent clients; every WebSocket client records
//! when each `posted` event reaches it. CPU is the nodes' user + system time
//! (`/proc/<pid>/stat`) from the first post to the last delivery.

use crate::bulk::{self, Db};
use crate::corpus::lit;
use crate::load::Stats;
use crate::load_average;
use crate::server::{Server, Target};
use anyhow::{bail, Context};
use clap::Args;
use futures_util::StreamExt;
use serde_json::json;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;

#[derive(Args)]
pub struct ClusterArgs {
    /// WebSocket clients (each its own user), spread evenly over the nodes.
    #[arg(long, default_value_t = 300)]
    clients: usize,
    /// Timed posts per setup and round (after the warm-up posts).
    #[arg(long, default_value_t = 100)]
    posts: usize,
    /// Posts in flight at once.
    #[arg(long, default_value_t = 4)]
    posters: usize,
    /// Rounds; each measures every setup once, in turn.
    #[arg(long, default_value_t = 1)]
    rounds: usize,
    /// PostgreSQL server URL (a database is created on it and dropped at the end).
    #[arg(long, env = "TEST_DATABASE_URL")]
    postgres: String,
    /// Redis `host:port`; each setup uses its own `ClusterName`, so a shared Redis is fine.
    #[arg(long, default_value = "127.0.0.1:6379")]
    redis: String,
    /// Each node's database pool (`SqlSettings.MaxOpenConns`): the default 300 per node would
    /// take three nodes past PostgreSQL's usual `max_connections` of 100.
    #[arg(long, default_value_t = 5)]
    max_conns: u32,
}

/// One way of running the server.
#[derive(Clone, Copy)]
struct Setup {
    label: &'static str,
    nodes: usize,
    bus: bool,
}

const SETUPS: [Setup; 3] = [
    Setup {
        label: "one node",
        nodes: 1,
        bus: false,
    },
    Setup {
        label: "one node, bus on",
        nodes: 1,
        bus: true,
    },
    Setup {
        label: "three nodes",
        nodes: 3,
        bus: true,
    },
];

/// What one setup measured in one round.
struct Measured {
    setup: Setup,
    round: usize,
    /// Every (post, client) delivery, from sending the POST to the event at the client.
    deliveries: Stats,
    /// The same, for clients on the node that took the post / on another node.
    same_node: Stats,
    other_node: Stats,
    /// Per post: from sending the POST to the event at the last client.
    every_client: Stats,
    /// Per post: from the POST's answer (201) to the event at the last client (zero when
    /// every client had it before the answer).
    after_answer: Stats,
    /// The POST's own round trip.
    request: Stats,
    /// From the first POST sent to the last delivery.
    elapsed: Duration,
    /// The nodes' CPU (all of them) over `elapsed`.
    cpu: Duration,
    missing: usize,
    /// Clients whose socket the node closed during the timed posts (a node closes a
    /// connection that falls `SEND_QUEUE` frames behind).
    cut: usize,
}

pub async fn run(binary: &Path, args: &ClusterArgs) -> anyhow::Result<()> {
    if args.clients == 0 || args.posts == 0 || args.posters == 0 {
        bail!("--clients, --posts and --posters must be at least 1");
    }
    let load_before = load_average();
    let target = Target::postgres(&args.postgres).await?;
    let result = measure_all(binary, args, &target).await;
    target.remove().await;
    let results = result?;
    report(args, &load_before, &results);
    Ok(())
}

async fn measure_all(
    binary: &Path,
    args: &ClusterArgs,
    target: &Target,
) -> anyhow::Result<Vec<Measured>> {
    let fixture = seed(binary, args, target).await?;
    let mut results = Vec::new();
    for round in 1..=args.rounds {
        for setup in SETUPS {
            eprintln!("round {round}: {} ...", setup.label);
            let measured = match measure(binary, args, target, &fixture, setup, round).await {
                Ok(m) => m,
                Err(e) => {
                    return Err(e.context(format!(
                        "{} (round {round}); the nodes' logs:\n{}",
                        setup.label,
                        node_logs(target)
                    )))
                }
            };
            results.push(measured);
        }
    }
    Ok(results)
}

/// The last lines of each node's log (they log errors only).
fn node_logs(target: &Target) -> String {
    let mut out = String::new();
    for i in 0..3 {
        let path = target.dir.join(format!("node{i}.log"));
        if let Ok(log) = std::fs::read_to_string(&path) {
            let lines: Vec<&str> = log.lines().collect();
            let tail = &lines[lines.len().saturating_sub(20)..];
            out.push_str(&format!("node {i}:\n{}\n", tail.join("\n")));
        }
    }
    out
}

/// The poster's token, the channel, and one token per client.
struct Fixture {
    poster_token: String,
    channel_id: String,
    tokens: Vec<String>,
}

/// Migrates the database with one start of the server, creates the poster (the first user), a
/// team and a channel through the API, then writes the clients' users, sessions and channel
/// memberships straight into the database while no server runs.
async fn seed(binary: &Path, args: &ClusterArgs, target: &Target) -> anyhow::Result<Fixture> {
    let pool = [("MM_SQLSETTINGS_MAXOPENCONNS", args.max_conns.to_string())];
    let server = target.start_logged(binary, &pool, "seed.log").await?;
    let api = server.fixture().await?;
    server.stop().await?;
    let db = Db::connect(target).await?;
    let team_id = db
        .strings(&format!(
            "SELECT teamid FROM channels WHERE id = {}",
            lit(&api.channel_id)
        ))
        .await?
        .into_iter()
        .next()
        .context("the channel's team")?;
    let at = utmost_model::now_millis();
    let users: Vec<bulk::User> = (0..args.clients)
        .map(|i| bulk::User {
            id: utmost_model::new_id(),
            username: format!("client{i:05}"),
            first_name: String::new(),
            last_name: String::new(),
            nickname: String::new(),
        })
        .collect();
    bulk::insert_users(&db, &team_id, &users, at).await?;
    let notify = utmost_model::channel::ChannelMember::default_notify_props();
    let notify = lit(&serde_json::to_string(&notify)?);
    let members = users.iter().map(|u| {
        format!(
            "({}, {}, '', {at}, 0, 0, {notify}, {at}, TRUE, FALSE, FALSE, 0, 0, 0)",
            lit(&api.channel_id),
            lit(&u.id)
        )
    });
    db.insert(
        "channelmembers",
        "channelid, userid, roles, lastviewedat, msgcount, mentioncount, notifyprops, \
         lastupdateat, schemeuser, schemeadmin, schemeguest, mentioncountroot, msgcountroot, \
         urgentmentioncount",
        members,
    )
    .await?;
    let tokens: Vec<String> = users.iter().map(|_| utmost_model::new_id()).collect();
    let sessions = users.iter().zip(&tokens).map(|(u, token)| {
        format!(
            "({}, {}, {at}, 0, {at}, {}, '', 'system_user', FALSE, '{{}}', FALSE)",
            lit(&utmost_model::new_id()),
            lit(token),
            lit(&u.id)
        )
    });
    db.insert(
        "sessions",
        "id, token, createat, expiresat, lastactivityat, userid, deviceid, roles, isoauth, \
         props, expirednotify",
        sessions,
    )
    .await?;
    db.close().await;
    target.analyze().await?;
    Ok(Fixture {
        poster_token: api.token,
        channel_id: api.channel_id,
        tokens,
    })
}

/// Warm-up rounds: each node takes one post per round, until a round reaches every client.
const WARM_ROUNDS: usize = 20;

/// What the clients count while they run.
struct Shared {
    /// Timed deliveries so far.
    received: AtomicUsize,
    /// Deliveries of each warm-up round.
    warm: Vec<AtomicUsize>,
    /// Clients that have their `hello`.
    ready: AtomicUsize,
}

/// Where a post's number is in its message: `cbench:<n>:` (timed) or `cwarm:<round>:`.
fn marker(text: &str, prefix: &str) -> Option<usize> {
    let start = text.find(prefix)? + prefix.len();
    let rest = &text[start..];
    let end = rest.find(':')?;
    rest[..end].parse().ok()
}

/// One WebSocket client: connects to `ws_url` with `token`, then records (post number,
/// arrival) of every timed `posted` event until `stop` is notified.
async fn client(
    ws_url: String,
    token: String,
    shared: Arc<Shared>,
    stop: Arc<tokio::sync::Notify>,
    connecting: Arc<tokio::sync::Semaphore>,
) -> anyhow::Result<ClientRun> {
    let mut request = ws_url.as_str().into_client_request()?;
    request
        .headers_mut()
        .insert("Authorization", format!("Bearer {token}").parse()?);
    let mut ws = {
        let _permit = connecting.acquire().await?;
        let (mut ws, _) = tokio_tungstenite::connect_async(request)
            .await
            .with_context(|| format!("connecting to {ws_url}"))?;
        loop {
            match ws.next().await {
                Some(Ok(Message::Text(text))) if text.as_str().contains("\"event\":\"hello\"") => {
                    break
                }
                Some(Ok(_)) => {}
                Some(Err(e)) => return Err(e.into()),
                None => bail!("{ws_url} closed before hello"),
            }
        }
        ws
    };
    shared.ready.fetch_add(1, Ordering::Relaxed);
    let mut seen = Vec::new();
    let stopped = stop.notified();
    tokio::pin!(stopped);
    loop {
        tokio::select! {
            _ = &mut stopped => return Ok(ClientRun { seen, cut: false }),
            message = ws.next() => {
                let at = Instant::now();
                let text = match message {
                    Some(Ok(Message::Text(text))) => text,
                    Some(Ok(_)) => continue,
                    // Closed by the node: what it had received counts, the rest is missing.
                    Some(Err(_)) | None => return Ok(ClientRun { seen, cut: true }),
                };
                let text = text.as_str();
                if !text.contains("\"event\":\"posted\"") {
                    continue;
                }
                if let Some(n) = marker(text, "cbench:") {
                    seen.push((n, at));
                    shared.received.fetch_add(1, Ordering::Relaxed);
                } else if let Some(round) = marker(text, "cwarm:") {
                    if let Some(count) = shared.warm.get(round) {
                        count.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
        }
    }
}

/// What one client received of the timed posts: (post number, arrival), and whether the
/// node closed its socket before the end.
struct ClientRun {
    seen: Vec<(usize, Instant)>,
    cut: bool,
}

/// Per timed post: when its POST was sent and how long it took to answer.
type Sent = Vec<Option<(Instant, Duration)>>;

/// User + system CPU of a process so far (`/proc/<pid>/stat`, 100 ticks a second).
fn process_cpu(pid: u32) -> anyhow::Result<Duration> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest)
        .context("reading /proc/<pid>/stat")?
        .split_whitespace()
        .collect();
    // Fields 14 and 15 of the line; the rest starts at field 3.
    let ticks: u64 = fields[11].parse::<u64>()? + fields[12].parse::<u64>()?;
    Ok(Duration::from_millis(ticks * 10))
}

fn nodes_cpu(nodes: &[Server]) -> anyhow::Result<Duration> {
    nodes.iter().map(|n| process_cpu(n.pid())).sum()
}

async fn post(
    server: &Server,
    token: &str,
    channel_id: &str,
    message: String,
) -> anyhow::Result<()> {
    server
        .post(
            Some(token),
            "/posts",
            &json!({"channel_id": channel_id, "message": message}),
            201,
        )
        .await?;
    Ok(())
}

async fn measure(
    binary: &Path,
    args: &ClusterArgs,
    target: &Target,
    fixture: &Fixture,
    setup: Setup,
    round: usize,
) -> anyhow::Result<Measured> {
    let cluster_name = format!("utmost-bench-{}", uuid::Uuid::new_v4().simple());
    // A node of a cluster searches with PostgreSQL's full text and keeps no index of its own
    // (docs/cluster.md); one node without the bus would index every post too, which is not
    // the bus's cost: every setup runs without the index.
    let mut env: Vec<(&str, String)> = vec![
        ("MM_SQLSETTINGS_MAXOPENCONNS", args.max_conns.to_string()),
        ("MM_BLEVESETTINGS_ENABLEINDEXING", "false".to_string()),
    ];
    if setup.bus {
        env.extend([
            ("MM_CLUSTERSETTINGS_ENABLE", "true".to_string()),
            ("MM_CLUSTERSETTINGS_CLUSTERNAME", cluster_name),
            ("MM_CACHESETTINGS_CACHETYPE", "redis".to_string()),
            ("MM_CACHESETTINGS_REDISADDRESS", args.redis.clone()),
        ]);
    }
    let mut nodes = Vec::with_capacity(setup.nodes);
    for i in 0..setup.nodes {
        nodes.push(
            target
                .start_logged(binary, &env, &format!("node{i}.log"))
                .await?,
        );
    }
    let nodes = Arc::new(nodes);
    let shared = Arc::new(Shared {
        received: AtomicUsize::new(0),
        warm: (0..WARM_ROUNDS).map(|_| AtomicUsize::new(0)).collect(),
        ready: AtomicUsize::new(0),
    });
    let stop = Arc::new(tokio::sync::Notify::new());
    let connecting = Arc::new(tokio::sync::Semaphore::new(32));
    let mut clients = Vec::with_capacity(fixture.tokens.len());
    for (i, token) in fixture.tokens.iter().enumerate() {
        let node = i % setup.nodes;
        let ws_url = format!("{}/websocket", nodes[node].url.replacen("http", "ws", 1));
        let task = tokio::spawn(client(
            ws_url,
            token.clone(),
            shared.clone(),
            stop.clone(),
            connecting.clone(),
        ));
        clients.push((node, task));
    }
    let deadline = Instant::now() + Duration::from_secs(120);
    while shared.ready.load(Ordering::Relaxed) < clients.len() {
        if Instant::now() > deadline || clients.iter().any(|(_, t)| t.is_finished()) {
            // A client still waiting for its hello would never hear `stop`: abort them all,
            // and report the first client that failed.
            let mut failure = None;
            for (_, task) in clients {
                if task.is_finished() {
                    if let Err(e) = task.await? {
                        failure.get_or_insert(e);
                    }
                } else {
                    task.abort();
                }
            }
            return Err(failure
                .unwrap_or_else(|| anyhow::anyhow!("a client had no hello within 120 s"))
                .context("not every client connected"));
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    // Warm-up: until one post from each node reaches every client (the nodes subscribe to
    // Redis a moment after they answer).
    let mut warmed = false;
    for (warm_round, count) in shared.warm.iter().enumerate() {
        for node in nodes.iter() {
            let message = format!("cwarm:{warm_round}: warming up");
            post(node, &fixture.poster_token, &fixture.channel_id, message).await?;
        }
        let expected = clients.len() * nodes.len();
        let until = Instant::now() + Duration::from_secs(3);
        while count.load(Ordering::Relaxed) < expected && Instant::now() < until {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        if count.load(Ordering::Relaxed) >= expected {
            warmed = true;
            break;
        }
    }
    if !warmed {
        bail!("the warm-up posts never reached every client");
    }

    // The timed posts: post n goes to node n % nodes.
    let sent: Arc<Mutex<Sent>> = Arc::new(Mutex::new(vec![None; args.posts]));
    let next = Arc::new(AtomicUsize::new(0));
    let cpu_before = nodes_cpu(&nodes)?;
    let started = Instant::now();
    let mut posters = Vec::with_capacity(args.posters);
    for _ in 0..args.posters {
        let (nodes, sent, next) = (nodes.clone(), sent.clone(), next.clone());
        let (token, channel) = (fixture.poster_token.clone(), fixture.channel_id.clone());
        let posts = args.posts;
        posters.push(tokio::spawn(async move {
            loop {
                let n = next.fetch_add(1, Ordering::Relaxed);
                if n >= posts {
                    return anyhow::Ok(());
                }
                let node = &nodes[n % nodes.len()];
                let message = format!(
                    "cbench:{n}: a message of about a hundred characters, as a chat line is, \
                     sent to node {}",
                    n % nodes.len()
                );
                let t = Instant::now();
                post(node, &token, &channel, message).await?;
                if let Ok(mut sent) = sent.lock() {
                    sent[n] = Some((t, t.elapsed()));
                }
            }
        }));
    }
    for task in posters {
        task.await??;
    }
    let expected = clients.len() * args.posts;
    // Until every delivery is in, or nothing has arrived for 5 s (a client was cut), or 60 s.
    let until = Instant::now() + Duration::from_secs(60);
    let (mut last_count, mut last_change) = (0, Instant::now());
    loop {
        let count = shared.received.load(Ordering::Relaxed);
        if count >= expected || Instant::now() > until {
            break;
        }
        if count != last_count {
            (last_count, last_change) = (count, Instant::now());
        } else if last_change.elapsed() > Duration::from_secs(5) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let cpu = nodes_cpu(&nodes)?.saturating_sub(cpu_before);
    stop.notify_waiters();
    let mut seen = Vec::with_capacity(clients.len());
    let mut cut = 0;
    for (node, task) in clients {
        let run = task.await??;
        cut += usize::from(run.cut);
        seen.push((node, run.seen));
    }
    let nodes = Arc::try_unwrap(nodes).map_err(|_| anyhow::anyhow!("a poster still runs"))?;
    for node in nodes {
        node.stop().await?;
    }

    let sent: Vec<(Instant, Duration)> = sent
        .lock()
        .map_err(|_| anyhow::anyhow!("a poster panicked"))?
        .iter()
        .map(|s| s.context("a post was not sent"))
        .collect::<anyhow::Result<_>>()?;
    let (mut all, mut same, mut other) = (Vec::new(), Vec::new(), Vec::new());
    let mut last = vec![Duration::ZERO; args.posts];
    let mut finished = started;
    for (node, deliveries) in &seen {
        for &(n, at) in deliveries {
            let Some((sent_at, _)) = sent.get(n) else {
                continue;
            };
            let latency = at.saturating_duration_since(*sent_at);
            all.push(latency);
            if *node == n % setup.nodes {
                same.push(latency);
            } else {
                other.push(latency);
            }
            last[n] = last[n].max(latency);
            finished = finished.max(at);
        }
    }
    let elapsed = finished.saturating_duration_since(started);
    let after_answer = last
        .iter()
        .zip(&sent)
        .map(|(last, (_, request))| last.saturating_sub(*request))
        .collect();
    let missing = expected.saturating_sub(all.len());
    Ok(Measured {
        setup,
        round,
        deliveries: Stats::new(all, elapsed),
        same_node: Stats::new(same, elapsed),
        other_node: Stats::new(other, elapsed),
        every_client: Stats::new(last, elapsed),
        after_answer: Stats::new(after_answer, elapsed),
        request: Stats::new(sent.iter().map(|(_, d)| *d).collect(), elapsed),
        elapsed,
        cpu,
        missing,
        cut,
    })
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn pair(s: &Stats) -> String {
    if s.count == 0 {
        return "–".into();
    }
    format!(
        "{:.1} / {:.1}",
        s.percentile_ms(50.0),
        s.percentile_ms(99.0)
    )
}

fn report(args: &ClusterArgs, load_before: &str, results: &[Measured]) {
    println!(
        "{} WebSocket clients in one channel, spread evenly over the nodes; {} posts per setup \
         and round, {} in flight, each to the nodes in turn; PostgreSQL, Redis {}; 1-minute \
         load average {load_before} before, {} after.\n",
        args.clients,
        args.posts,
        args.posters,
        args.redis,
        load_average()
    );
    println!(
        "Latencies in ms, p50 / p99, from sending the POST; \"every client\" is per post, to \
         its last delivery; \"after the answer\" from the POST's 201 to that last delivery.\n"
    );
    println!(
        "| round | setup | posts/s | deliveries/s | POST | delivery | every client | after the \
         answer | same node | other node | nodes' CPU per post | per delivery | missing |"
    );
    println!("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for m in results {
        let secs = m.elapsed.as_secs_f64().max(f64::EPSILON);
        println!(
            "| {} | {} | {:.0} | {:.0} | {} | {} | {} | {} | {} | {} | {:.2} ms | {:.1} µs | {}{} |",
            m.round,
            m.setup.label,
            args.posts as f64 / secs,
            m.deliveries.count as f64 / secs,
            pair(&m.request),
            pair(&m.deliveries),
            pair(&m.every_client),
            pair(&m.after_answer),
            pair(&m.same_node),
            pair(&m.other_node),
            ms(m.cpu) / args.posts as f64,
            ms(m.cpu) * 1000.0 / m.deliveries.count.max(1) as f64,
            m.missing,
            if m.cut > 0 {
                format!(" ({} clients cut)", m.cut)
            } else {
                String::new()
            },
        );
    }
    println!();
    // Per round: deliveries/s ratio, p50 ratio, p99 ratio, CPU per post ratio, bus p50 (ms).
    let mut summary: Vec<[f64; 5]> = Vec::new();
    for round in 1..=args.rounds {
        let find = |label: &str| {
            results
                .iter()
                .find(|m| m.round == round && m.setup.label == label)
        };
        let (Some(one), Some(bus), Some(three)) = (
            find("one node"),
            find("one node, bus on"),
            find("three nodes"),
        ) else {
            continue;
        };
        let rate = |m: &Measured| m.deliveries.count as f64 / m.elapsed.as_secs_f64().max(1e-9);
        let cpu_post = |m: &Measured| ms(m.cpu) / args.posts as f64;
        println!(
            "Round {round}: three nodes / one node: deliveries/s {:.2}, delivery p50 {:.2}, p99 \
             {:.2}, every client p50 {:.2}; nodes' CPU per post {:.2}.",
            rate(three) / rate(one),
            three.deliveries.percentile_ms(50.0) / one.deliveries.percentile_ms(50.0),
            three.deliveries.percentile_ms(99.0) / one.deliveries.percentile_ms(99.0),
            three.every_client.percentile_ms(50.0) / one.every_client.percentile_ms(50.0),
            cpu_post(three) / cpu_post(one),
        );
        println!(
            "  Redis bus per event: other node − same node p50 {:+.2} ms (p99 {:+.2} ms); \
             publishing alone (bus on − off, one node): CPU {:+.2} ms per post, delivery p50 \
             {:+.2} ms; three nodes' CPU − one node's: {:+.2} ms per post.",
            three.other_node.percentile_ms(50.0) - three.same_node.percentile_ms(50.0),
            three.other_node.percentile_ms(99.0) - three.same_node.percentile_ms(99.0),
            cpu_post(bus) - cpu_post(one),
            bus.deliveries.percentile_ms(50.0) - one.deliveries.percentile_ms(50.0),
            cpu_post(three) - cpu_post(one),
        );
        summary.push([
            rate(three) / rate(one),
            three.deliveries.percentile_ms(50.0) / one.deliveries.percentile_ms(50.0),
            three.deliveries.percentile_ms(99.0) / one.deliveries.percentile_ms(99.0),
            cpu_post(three) / cpu_post(one),
            three.other_node.percentile_ms(50.0) - three.same_node.percentile_ms(50.0),
        ]);
    }
    if summary.len() > 1 {
        let median = |i: usize| {
            let mut v: Vec<f64> = summary.iter().map(|r| r[i]).collect();
            v.sort_by(f64::total_cmp);
            v[v.len() / 2]
        };
        println!(
            "\nMedian over {} rounds, three nodes / one node: deliveries/s {:.2}, delivery p50 \
             {:.2}, p99 {:.2}, nodes' CPU per post {:.2}; other node − same node p50 {:+.2} ms.",
            summary.len(),
            median(0),
            median(1),
            median(2),
            median(3),
            median(4),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::marker;

    #[test]
    fn finds_the_post_number_in_a_posted_frame() {
        // The message sits JSON-escaped inside the event's `post` string.
        let frame = r#"{"event":"posted","data":{"post":"{\"id\":\"x\",\"message\":\"cbench:42: a message\"}"}}"#;
        assert_eq!(marker(frame, "cbench:"), Some(42));
        assert_eq!(marker(frame, "cwarm:"), None);
        assert_eq!(marker("cwarm:3: warming up", "cwarm:"), Some(3));
        assert_eq!(marker("cbench:x: no number", "cbench:"), None);
    }
}
