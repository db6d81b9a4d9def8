//! The fixed cost of a request, measured three ways in one run with the same HTTP/1.1
//! keep-alive client load: a bare axum handler served by the benchmark itself, the server's
//! unauthenticated `GET /system/ping` (what the accept loop and middleware cost over the bare
//! handler) and the authenticated `GET /users/me` (what resolving the session and the user
//! adds over ping).

use crate::load::{self, Stats};
use crate::load_average;
use crate::server::Target;
use anyhow::{bail, Context};
use clap::Args;
use std::path::Path;
use std::sync::Arc;

#[derive(Args)]
pub struct RequestsArgs {
    /// Concurrent clients, each with its own keep-alive connection.
    #[arg(long, default_value_t = 16)]
    clients: usize,
    /// Requests per endpoint, split over the rounds.
    #[arg(long, default_value_t = 30000)]
    requests: usize,
    /// The endpoints take turns this many times, so a change in the machine's load during the
    /// run weighs on all three alike.
    #[arg(long, default_value_t = 3)]
    rounds: usize,
}

/// What each client sends before anything is measured (connections opened, caches warm).
const WARM_UP: usize = 200;

pub struct Endpoint {
    pub name: &'static str,
    pub url: String,
    pub token: Option<String>,
}

pub async fn run(binary: &Path, args: &RequestsArgs) -> anyhow::Result<()> {
    let load_before = load_average();
    let target = Target::sqlite().await?;
    let result = measure(binary, args, &target).await;
    target.remove().await;
    let stats = result?;
    print_report(args, &stats, &load_before);
    Ok(())
}

async fn measure(
    binary: &Path,
    args: &RequestsArgs,
    target: &Target,
) -> anyhow::Result<Vec<(Arc<Endpoint>, Stats)>> {
    eprintln!("starting {}", binary.display());
    let server = target.start(binary, &[]).await?;
    let fixture = server.fixture().await?;
    let ping = format!("{}/system/ping", server.url);
    // The bare handler answers ping's own bytes, so the three differ only in what the
    // server does, not in what crosses the wire.
    let ping_body = server.http.get(&ping).send().await?.bytes().await?;
    let bare = serve_bare(ping_body.to_vec())?;
    let endpoints = [
        Endpoint {
            name: "bare axum handler (in the benchmark)",
            url: format!("http://{bare}/ping"),
            token: None,
        },
        Endpoint {
            name: "GET /api/v4/system/ping (no session)",
            url: ping,
            token: None,
        },
        Endpoint {
            name: "GET /api/v4/users/me (token header)",
            url: format!("{}/users/me", server.url),
            token: Some(fixture.token),
        },
    ]
    .map(Arc::new);
    let http = reqwest::Client::builder()
        .http1_only()
        .pool_max_idle_per_host(args.clients)
        .build()?;
    let measured = take_turns(&http, &endpoints, args.clients, args.requests, args.rounds).await?;
    server.stop().await?;
    Ok(measured)
}

/// Warms every endpoint up, then measures `requests` to each, the endpoints taking turns over
/// `rounds` rounds, so a change in the machine's load during the run weighs on all alike.
pub async fn take_turns<const N: usize>(
    http: &reqwest::Client,
    endpoints: &[Arc<Endpoint>; N],
    clients: usize,
    requests: usize,
    rounds: usize,
) -> anyhow::Result<Vec<(Arc<Endpoint>, Stats)>> {
    for e in endpoints {
        hammer(http, e, clients, WARM_UP * clients).await?;
    }
    let rounds = rounds.max(1);
    let per_round = requests / rounds;
    let mut measured: Vec<Vec<Stats>> = endpoints.iter().map(|_| Vec::new()).collect();
    for round in 1..=rounds {
        eprintln!("round {round} of {rounds}: {per_round} requests per endpoint");
        for (e, stats) in endpoints.iter().zip(&mut measured) {
            stats.push(hammer(http, e, clients, per_round).await?);
        }
    }
    Ok(endpoints
        .iter()
        .cloned()
        .zip(measured.into_iter().map(Stats::combine))
        .collect())
}

impl Endpoint {
    /// One request, which must answer 200; the body is read so the connection is reused.
    async fn get(&self, http: &reqwest::Client) -> anyhow::Result<()> {
        let mut req = http.get(&self.url);
        if let Some(t) = &self.token {
            req = req.bearer_auth(t);
        }
        let resp = req.send().await?;
        if resp.status() != 200 {
            bail!("{}: expected 200, got {}", self.url, resp.status());
        }
        resp.bytes().await?;
        Ok(())
    }
}

/// `count` requests to `endpoint` from `clients` concurrent clients.
async fn hammer(
    http: &reqwest::Client,
    endpoint: &Arc<Endpoint>,
    clients: usize,
    count: usize,
) -> anyhow::Result<Stats> {
    let (http, endpoint) = (http.clone(), endpoint.clone());
    load::run(clients, count, move |_| {
        let (http, endpoint) = (http.clone(), endpoint.clone());
        async move { endpoint.get(&http).await }
    })
    .await
}

/// Serves `body` as JSON at `/ping` on a loopback port, from a runtime of its own with as many
/// worker threads as the server's (one per CPU), as a separate process would.
fn serve_bare(body: Vec<u8>) -> anyhow::Result<std::net::SocketAddr> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    listener.set_nonblocking(true)?;
    let addr = listener.local_addr()?;
    let body = Arc::new(body);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the bare handler's runtime")?;
    std::thread::spawn(move || {
        runtime.block_on(async move {
            let handler = move || {
                let body = body.clone();
                async move { ([("content-type", "application/json")], body.to_vec()) }
            };
            let router = axum::Router::new().route("/ping", axum::routing::get(handler));
            let served = match tokio::net::TcpListener::from_std(listener) {
                Ok(listener) => axum::serve(listener, router).await,
                Err(e) => Err(e),
            };
            if let Err(e) = served {
                eprintln!("the bare handler stopped: {e}");
            }
        })
    });
    Ok(addr)
}

fn print_report(args: &RequestsArgs, results: &[(Arc<Endpoint>, Stats)], load_before: &str) {
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!(
        "{} concurrent HTTP/1.1 keep-alive clients, {} requests per endpoint in {} rounds, \
         SQLite, {cpus} CPUs, loopback; 1-minute load average {load_before} before the run, {} after.\n",
        args.clients,
        results.first().map_or(0, |(_, s)| s.count),
        args.rounds,
        load_average()
    );
    // The order `measure` returns: the bare handler, then ping.
    let [(_, bare), (_, ping), ..] = results else {
        return;
    };
    println!("| request | count | per second | p50 ms | p99 ms | vs ping | vs bare handler |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for (e, s) in results {
        println!(
            "| {} | {} | {:.0} | {:.2} | {:.2} | {:.2} | {:.2} |",
            e.name,
            s.count,
            s.per_second(),
            s.percentile_ms(50.0),
            s.percentile_ms(99.0),
            s.per_second() / ping.per_second(),
            s.per_second() / bare.per_second(),
        );
    }
}
