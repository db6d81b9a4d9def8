//! The posts benchmark: create-post and get-channel-posts throughput and p99 latency against
//! the release server, on SQLite and on PostgreSQL, each next to the raw single-row INSERT rate
//! of the same database measured in the same run.

use crate::load::{self, Stats};
use crate::server::{Kind, Target};
use crate::{baseline, load_average};
use clap::Args;
use serde_json::json;
use std::path::Path;
use std::sync::Arc;

#[derive(Args)]
pub struct PostsArgs {
    /// PostgreSQL server to create a throw-away database on; PostgreSQL is skipped without it.
    #[arg(long, env = "TEST_DATABASE_URL")]
    postgres: Option<String>,
    /// Concurrent clients.
    #[arg(long, default_value_t = 16)]
    clients: usize,
    /// Posts to create (and raw rows to insert for the baseline).
    #[arg(long, default_value_t = 5000)]
    posts: usize,
    /// GET /channels/{id}/posts?per_page=60 requests.
    #[arg(long, default_value_t = 5000)]
    reads: usize,
}

const MESSAGE: &str = "The quick brown fox jumps over the lazy dog, benchmark message.";

struct Report {
    kind: Kind,
    create: Stats,
    read: Stats,
    insert: Stats,
}

pub async fn run(binary: &Path, args: &PostsArgs) -> anyhow::Result<()> {
    let load_before = load_average();
    let mut reports = Vec::new();
    reports.push(bench(binary, args, Target::sqlite().await?).await?);
    match &args.postgres {
        Some(url) => reports.push(bench(binary, args, Target::postgres(url).await?).await?),
        None => eprintln!("PostgreSQL skipped: pass --postgres or set TEST_DATABASE_URL"),
    }
    print_report(args, &reports, &load_before);
    Ok(())
}

async fn bench(binary: &Path, args: &PostsArgs, target: Target) -> anyhow::Result<Report> {
    let result = measure(binary, args, &target).await;
    target.remove().await;
    result
}

async fn measure(binary: &Path, args: &PostsArgs, target: &Target) -> anyhow::Result<Report> {
    eprintln!("{:?}: starting {}", target.kind, binary.display());
    let server = Arc::new(target.start(binary, &[]).await?);
    let fixture = Arc::new(server.fixture().await?);

    eprintln!("{:?}: creating {} posts", target.kind, args.posts);
    let (s, f) = (server.clone(), fixture.clone());
    let create = load::run(args.clients, args.posts, move |_| {
        let (s, f) = (s.clone(), f.clone());
        async move {
            let body = json!({"channel_id": f.channel_id, "message": MESSAGE});
            s.post(Some(&f.token), "/posts", &body, 201).await?;
            Ok(())
        }
    })
    .await?;

    eprintln!(
        "{:?}: reading the channel {} times",
        target.kind, args.reads
    );
    let (s, f) = (server.clone(), fixture.clone());
    let read = load::run(args.clients, args.reads, move |_| {
        let (s, f) = (s.clone(), f.clone());
        async move {
            let path = format!("/channels/{}/posts?page=0&per_page=60", f.channel_id);
            s.get(&f.token, &path).await?.bytes().await?;
            Ok(())
        }
    })
    .await?;

    drop(fixture);
    match Arc::into_inner(server) {
        Some(server) => server.stop().await?,
        None => anyhow::bail!("a request task outlived the run"),
    }
    eprintln!("{:?}: baseline, {} raw INSERTs", target.kind, args.posts);
    let insert = baseline::inserts(target, args.clients, args.posts, MESSAGE).await?;
    Ok(Report {
        kind: target.kind,
        create,
        read,
        insert,
    })
}

fn print_report(args: &PostsArgs, reports: &[Report], load_before: &str) {
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!(
        "{} concurrent clients, {} posts, {} reads, {cpus} CPUs, loopback; \
         1-minute load average {load_before} before the run, {} after.\n",
        args.clients,
        args.posts,
        args.reads,
        load_average()
    );
    println!("| database | operation | count | per second | p50 ms | p99 ms | vs raw INSERT |");
    println!("|---|---|---:|---:|---:|---:|---:|");
    for r in reports {
        let base = r.insert.per_second();
        let rows = [
            ("create post (POST /posts)", &r.create),
            ("get channel posts (per_page=60)", &r.read),
            ("raw single-row INSERT (baseline)", &r.insert),
        ];
        for (name, s) in rows {
            println!(
                "| {:?} | {name} | {} | {:.0} | {:.2} | {:.2} | {:.2} |",
                r.kind,
                s.count,
                s.per_second(),
                s.percentile_ms(50.0),
                s.percentile_ms(99.0),
                s.per_second() / base
            );
        }
    }
}
