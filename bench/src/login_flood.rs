//! The login-flood benchmark: the server's resident memory while many connections at once
//! send `POST /api/v4/users/login` with a wrong password for an existing user (each answer
//! costs an argon2 check, which holds ~19 MiB while it runs), next to the same flood with a
//! blank password, which the server refuses before looking the user up or hashing anything.
//! Each flood gets a fresh server so their peaks do not mix.

use crate::load::{self, Stats};
use crate::load_average;
use crate::memory::{self, mib, Memory, Sampled, Sampler};
use crate::server::{Server, Target, USERNAME};
use anyhow::{anyhow, Context};
use clap::Args;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Args)]
pub struct FloodArgs {
    /// Concurrent connections, each sending its share of the requests one after another.
    #[arg(long, default_value_t = 500)]
    connections: usize,
    /// Login requests per flood, in all.
    #[arg(long, default_value_t = 2000)]
    requests: usize,
    /// Kill the server if its RSS passes this many MiB (default: half the memory available
    /// when the run starts): a server without a bound on hashing takes GiBs.
    #[arg(long)]
    rss_limit_mib: Option<u64>,
}

/// The bound: the login flood may take the server this far above its idle RSS.
const BOUND_MIB: f64 = 100.0;
/// How often the sampler reads VmRSS.
const SAMPLE_EVERY: Duration = Duration::from_millis(20);
/// Time for the server to settle before idle and after-flood readings.
const SETTLE: Duration = Duration::from_secs(1);
/// Every answer must arrive; a request still unanswered after this counts as "no answer". It
/// is long because 500 queued argon2 checks on two busy cores take minutes.
const ANSWER_TIMEOUT: Duration = Duration::from_secs(600);

struct Flood {
    name: &'static str,
    password: &'static str,
}

const FLOODS: [Flood; 2] = [
    Flood {
        name: "wrong password (argon2 check)",
        password: "wrong",
    },
    Flood {
        name: "blank password (no hashing)",
        password: "",
    },
];

struct Report {
    flood: &'static Flood,
    idle: Memory,
    /// VmHWM after the flood, the peak having been reset to the idle RSS just before it.
    peak_kib: u64,
    sampled: Sampled,
    /// None when the server passed the limit and was killed.
    after: Option<Memory>,
    stats: Stats,
    /// Answers by "status error-id", and requests that got none.
    outcomes: BTreeMap<String, usize>,
}

impl Report {
    fn growth_mib(&self) -> f64 {
        mib(self.peak_kib) - mib(self.idle.rss_kib)
    }

    fn unanswered(&self) -> usize {
        self.outcomes
            .iter()
            .filter(|(outcome, _)| outcome.starts_with(NO_ANSWER))
            .map(|(_, n)| n)
            .sum()
    }
}

const NO_ANSWER: &str = "no answer";

pub async fn run(binary: &Path, args: &FloodArgs) -> anyhow::Result<()> {
    let load_before = load_average();
    let limit_kib = match args.rss_limit_mib {
        Some(mib) => mib.saturating_mul(1024),
        None => memory::available_kib()? / 2,
    };
    let mut reports = Vec::new();
    for flood in &FLOODS {
        let target = Target::sqlite().await?;
        let report = measure(binary, args, &target, flood, limit_kib).await;
        target.remove().await;
        reports.push(report?);
    }
    print_report(args, &reports, &load_before, limit_kib);
    Ok(())
}

async fn measure(
    binary: &Path,
    args: &FloodArgs,
    target: &Target,
    flood: &'static Flood,
    limit_kib: u64,
) -> anyhow::Result<Report> {
    eprintln!("{}: starting {}", flood.name, binary.display());
    // The lockout would refuse later attempts before hashing: keep it out of reach.
    let lockout = (args.requests + 1).to_string();
    let env = [("MM_SERVICESETTINGS_MAXIMUMLOGINATTEMPTS", lockout)];
    let server = target.start(binary, &env).await?;
    server.fixture().await?;
    tokio::time::sleep(SETTLE).await;
    let pid = server.pid();
    let idle = memory::read(pid)?;
    reset_peak(pid)?;

    eprintln!(
        "{}: {} requests over {} connections",
        flood.name, args.requests, args.connections
    );
    let sampler = Sampler::start(pid, SAMPLE_EVERY, limit_kib);
    let flooded = send_flood(&server, args, flood).await;
    let sampled = sampler.finish()?;
    let (stats, outcomes) = flooded?;
    let (peak_kib, after) = if sampled.killed {
        (sampled.max_rss_kib, None)
    } else {
        let peak_kib = memory::read(pid)?.peak_kib;
        tokio::time::sleep(SETTLE).await;
        (peak_kib, Some(memory::read(pid)?))
    };
    server.stop().await?;
    Ok(Report {
        flood,
        idle,
        peak_kib,
        sampled,
        after,
        stats,
        outcomes,
    })
}

/// Makes VmHWM start again from the current RSS (`echo 5 > /proc/<pid>/clear_refs`, Linux
/// 4.0+), so that the peak read after the flood is the flood's and not start-up's.
fn reset_peak(pid: u32) -> anyhow::Result<()> {
    std::fs::write(format!("/proc/{pid}/clear_refs"), "5")
        .with_context(|| format!("resetting the peak RSS of {pid}"))
}

async fn send_flood(
    server: &Server,
    args: &FloodArgs,
    flood: &Flood,
) -> anyhow::Result<(Stats, BTreeMap<String, usize>)> {
    // One client: its pool holds one connection per request in flight, so `connections`
    // concurrent workers keep that many connections open and reuse them.
    let client = reqwest::Client::builder().timeout(ANSWER_TIMEOUT).build()?;
    let url = format!("{}/users/login", server.url);
    let body = json!({"login_id": USERNAME, "password": flood.password});
    let outcomes = Arc::new(Mutex::new(BTreeMap::new()));
    let tally = outcomes.clone();
    let stats = load::run(args.connections, args.requests, move |_| {
        let (client, url, body, tally) = (client.clone(), url.clone(), body.clone(), tally.clone());
        async move {
            let outcome = send(&client, &url, &body).await;
            let mut tally = tally
                .lock()
                .map_err(|_| anyhow!("a flood worker panicked"))?;
            *tally.entry(outcome).or_insert(0) += 1;
            Ok(())
        }
    })
    .await?;
    let outcomes = Arc::into_inner(outcomes)
        .context("a flood worker outlived the run")?
        .into_inner()
        .map_err(|_| anyhow!("a flood worker panicked"))?;
    Ok((stats, outcomes))
}

/// Sends one login and names its outcome: "status error-id", or why no answer came.
async fn send(client: &reqwest::Client, url: &str, body: &Value) -> String {
    let response = match client.post(url).json(body).send().await {
        Ok(response) => response,
        Err(e) => return no_answer(&e),
    };
    let status = response.status().as_u16();
    match response.bytes().await {
        Ok(body) => match serde_json::from_slice::<Value>(&body) {
            Ok(body) => format!("{status} {}", body["id"].as_str().unwrap_or("")),
            Err(_) => format!("{status} (not JSON)"),
        },
        Err(e) => no_answer(&e),
    }
}

fn no_answer(e: &reqwest::Error) -> String {
    let why = if e.is_timeout() {
        "timeout"
    } else if e.is_connect() {
        "connect"
    } else {
        "connection closed"
    };
    format!("{NO_ANSWER} ({why})")
}

fn print_report(args: &FloodArgs, reports: &[Report], load_before: &str, limit_kib: u64) {
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!(
        "{} connections, {} POST /api/v4/users/login per flood for one existing user, SQLite, \
         {cpus} CPUs, loopback; 1-minute load average {load_before} before the run, {} after; \
         the server is killed if its RSS passes {:.0} MiB.\n",
        args.connections,
        args.requests,
        load_average(),
        mib(limit_kib)
    );
    println!(
        "| flood | idle RSS MiB | peak RSS MiB | peak − idle MiB | highest sample MiB \
         (samples) | RSS 1 s after MiB | requests/s | p50 / p99 ms | answers |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---|");
    for r in reports {
        let answers: Vec<String> = r
            .outcomes
            .iter()
            .map(|(outcome, n)| format!("{outcome} ×{n}"))
            .collect();
        let (at_least, after) = match r.after {
            Some(after) => ("", format!("{:.1}", mib(after.rss_kib))),
            None => ("≥ ", "killed at the limit".to_string()),
        };
        println!(
            "| {} | {:.1} | {at_least}{:.1} | {at_least}{:.1} | {:.1} ({}) | {after} | {:.0} | \
             {:.0} / {:.0} | {} |",
            r.flood.name,
            mib(r.idle.rss_kib),
            mib(r.peak_kib),
            r.growth_mib(),
            mib(r.sampled.max_rss_kib),
            r.sampled.samples,
            r.stats.per_second(),
            r.stats.percentile_ms(50.0),
            r.stats.percentile_ms(99.0),
            answers.join(", ")
        );
    }
    println!();
    // FLOODS puts the flood that hashes first.
    if let Some(login) = reports.first() {
        println!("{}", verdict(login));
    }
}

fn verdict(login: &Report) -> String {
    if login.after.is_none() && login.growth_mib() <= BOUND_MIB {
        return "Verdict: undecided, the server was killed at --rss-limit-mib before it had \
                grown by the bound; raise the limit."
            .to_string();
    }
    if login.after.is_none() {
        return format!(
            "Verdict: the wrong-password flood took the server at least {:.1} MiB above idle, \
             past the benchmark's limit (it was killed): NOT within the {BOUND_MIB:.0} MiB bound.",
            login.growth_mib()
        );
    }
    let unanswered = login.unanswered();
    if unanswered > 0 {
        return format!(
            "Verdict: INCOMPLETE, {unanswered} of {} logins got no answer.",
            login.stats.count
        );
    }
    let growth = login.growth_mib();
    let within = if growth <= BOUND_MIB {
        "within"
    } else {
        "NOT within"
    };
    format!(
        "Verdict: the wrong-password flood took the server {growth:.1} MiB above idle: \
         {within} the {BOUND_MIB:.0} MiB bound."
    )
}
