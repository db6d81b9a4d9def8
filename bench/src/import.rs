//! The import benchmark: `utmost import apply` of a generated Mattermost bulk JSONL (one
//! team, its open channels, users who belong to all of them, root posts spread over channels
//! and authors), timed end to end (reading, validating, then writing every post through the
//! store with its counters), next to raw multi-row INSERTs of as many posts into the same
//! database in the same run (`bulk.rs`, the search benchmark's inserter): the ceiling of
//! writing those rows at all.

use crate::bulk::{self, Db, Post};
use crate::corpus::{Rng, Vocabulary};
use crate::load_average;
use crate::server::{Kind, Target};
use anyhow::{bail, Context};
use clap::Args;
use serde_json::json;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::time::Instant;

#[derive(Args)]
pub struct ImportArgs {
    /// PostgreSQL server to create a throw-away database on; PostgreSQL is skipped without it.
    #[arg(long, env = "TEST_DATABASE_URL")]
    postgres: Option<String>,
    /// Posts in the generated file.
    #[arg(long, default_value_t = 1_000_000)]
    posts: usize,
    /// Open channels of the team.
    #[arg(long, default_value_t = 100)]
    channels: usize,
    /// Users, each a member of every channel.
    #[arg(long, default_value_t = 100)]
    users: usize,
}

/// 2025-01-01T00:00:00Z: the first post's time; one post per second after it.
const START: i64 = 1_735_689_600_000;
const SEED: u64 = 20;

struct Report {
    kind: Kind,
    file_mb: f64,
    validate_s: f64,
    apply_s: f64,
    raw_s: f64,
}

pub async fn run(binary: &Path, args: &ImportArgs) -> anyhow::Result<()> {
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

async fn bench(binary: &Path, args: &ImportArgs, target: Target) -> anyhow::Result<Report> {
    let result = measure(binary, args, &target).await;
    target.remove().await;
    result
}

async fn measure(binary: &Path, args: &ImportArgs, target: &Target) -> anyhow::Result<Report> {
    let file = target.dir.join("import.jsonl");
    eprintln!(
        "{:?}: writing {} posts to {}",
        target.kind,
        args.posts,
        file.display()
    );
    write_file(&file, args)?;
    let file_mb = std::fs::metadata(&file)?.len() as f64 / 1e6;

    eprintln!("{:?}: utmost import validate", target.kind);
    let validate_s = timed(target, binary, "validate", &file)?;
    eprintln!("{:?}: utmost import apply", target.kind);
    let apply_s = timed(target, binary, "apply", &file)?;

    let db = Db::connect(target).await?;
    let imported = db
        .count("SELECT CAST(COUNT(*) AS BIGINT) FROM posts")
        .await?;
    if imported != args.posts as i64 {
        bail!("the import wrote {imported} posts, not {}", args.posts);
    }
    eprintln!(
        "{:?}: baseline, {} posts by raw INSERTs",
        target.kind, args.posts
    );
    let raw_s = raw_inserts(&db, args).await?;
    db.close().await;
    Ok(Report {
        kind: target.kind,
        file_mb,
        validate_s,
        apply_s,
        raw_s,
    })
}

/// Runs `utmost import <command> FILE`; its wall time in seconds.
fn timed(target: &Target, binary: &Path, command: &str, file: &Path) -> anyhow::Result<f64> {
    let started = Instant::now();
    let out = target
        .command(binary)
        .args(["import", command])
        .arg(file)
        .output()
        .with_context(|| format!("running {}", binary.display()))?;
    if !out.status.success() {
        bail!(
            "utmost import {command} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(started.elapsed().as_secs_f64())
}

fn channel(n: usize) -> String {
    format!("channel-{n}")
}

fn user(n: usize) -> String {
    format!("user{n}")
}

/// The posts, in file order: (channel number, user number, time, message).
fn posts(args: &ImportArgs) -> impl Iterator<Item = (usize, usize, i64, String)> + '_ {
    let words = Vocabulary::new(20_000);
    let mut rng = Rng::new(SEED);
    (0..args.posts).map(move |i| {
        let length = 4 + rng.below(20);
        let message: Vec<&str> = (0..length).map(|_| words.sample(&mut rng)).collect();
        (
            rng.below(args.channels),
            rng.below(args.users),
            START + i as i64 * 1000,
            message.join(" "),
        )
    })
}

fn write_file(path: &Path, args: &ImportArgs) -> anyhow::Result<()> {
    let mut out = BufWriter::new(std::fs::File::create(path)?);
    let mut line = |value: serde_json::Value| writeln!(out, "{value}");
    line(json!({"type": "version", "version": 1}))?;
    line(json!({"type": "team", "team": {"name": "bench", "display_name": "Bench", "type": "O"}}))?;
    for c in 0..args.channels {
        line(
            json!({"type": "channel", "channel": {"team": "bench", "name": channel(c),
            "display_name": format!("Channel {c}"), "type": "O"}}),
        )?;
    }
    let memberships: Vec<_> = (0..args.channels)
        .map(|c| json!({"name": channel(c), "roles": "channel_user"}))
        .collect();
    for u in 0..args.users {
        line(json!({"type": "user", "user": {"username": user(u),
            "email": format!("{}@example.com", user(u)), "password": "Bench-Password-1",
            "teams": [{"name": "bench", "roles": "team_user", "channels": memberships}]}}))?;
    }
    for (c, u, at, message) in posts(args) {
        line(
            json!({"type": "post", "post": {"team": "bench", "channel": channel(c),
            "user": user(u), "message": message, "create_at": at}}),
        )?;
    }
    out.flush()?;
    Ok(())
}

/// Inserts the same posts again (new ids) with multi-row INSERTs; the seconds it took.
async fn raw_inserts(db: &Db, args: &ImportArgs) -> anyhow::Result<f64> {
    let channel_ids = ids_by_name(db, "channels", "name", channel, args.channels).await?;
    let user_ids = ids_by_name(db, "users", "username", user, args.users).await?;
    let started = Instant::now();
    let rows = posts(args).enumerate().map(|(i, (c, u, at, message))| {
        bulk::post_row(&Post {
            id: format!("raw{i:023}"),
            create_at: at,
            user_id: user_ids[u].clone(),
            channel_id: channel_ids[c].clone(),
            root_id: String::new(),
            message,
            hashtags: String::new(),
        })
    });
    db.insert("posts", bulk::POST_COLUMNS, rows).await?;
    Ok(started.elapsed().as_secs_f64())
}

/// The ids of the rows named `name(0)`, `name(1)`, … in that order.
async fn ids_by_name(
    db: &Db,
    table: &str,
    column: &str,
    name: fn(usize) -> String,
    count: usize,
) -> anyhow::Result<Vec<String>> {
    let rows = db
        .strings(&format!("SELECT {column} || ' ' || id FROM {table}"))
        .await?;
    let by_name: std::collections::HashMap<&str, &str> =
        rows.iter().filter_map(|r| r.split_once(' ')).collect();
    (0..count)
        .map(|n| {
            by_name
                .get(name(n).as_str())
                .map(|id| id.to_string())
                .with_context(|| format!("{table} {} was not imported", name(n)))
        })
        .collect()
}

fn print_report(args: &ImportArgs, reports: &[Report], load_before: &str) {
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!(
        "{} posts in {} channels by {} users, {cpus} CPUs; 1-minute load average \
         {load_before} before the run, {} after.\n",
        args.posts,
        args.channels,
        args.users,
        load_average()
    );
    println!(
        "| database | JSONL MB | validate s | apply s (validate included) | import posts/s | \
         raw INSERT posts/s | import / raw |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for r in reports {
        let import_rate = args.posts as f64 / r.apply_s;
        let raw_rate = args.posts as f64 / r.raw_s;
        println!(
            "| {:?} | {:.0} | {:.1} | {:.1} | {:.0} | {:.0} | {:.3} |",
            r.kind,
            r.file_mb,
            r.validate_s,
            r.apply_s,
            import_rate,
            raw_rate,
            import_rate / raw_rate
        );
    }
}
