//! `search`: post search over millions of generated posts, for Utmost's tantivy engine (the
//! release server's HTTP API), PostgreSQL full text (Mattermost's GIN index and
//! `to_tsquery`) and SQLite FTS5, with one query mix confined to one reader's channels, in
//! the same run; with indexing rate, index sizes and the searching server's memory. The
//! issue's targets on 2 cores: p99 ≤ 200 ms at 2M posts, ≤ 300 ms at 10M, indexing
//! ≥ 20,000 posts/s.

mod dataset;
mod engines;
mod queries;

pub use dataset::START;

use crate::bulk::Db;
use crate::load_average;
use crate::memory::{self, mib, Memory};
use crate::server::Kind;
use clap::Args;
use engines::{Built, Measured, ReindexCost};
use std::path::{Path, PathBuf};

#[derive(Args)]
pub struct SearchArgs {
    /// PostgreSQL server to keep the generated database on; PostgreSQL is skipped without it.
    #[arg(long, env = "TEST_DATABASE_URL")]
    postgres: Option<String>,
    /// Skip SQLite (e.g. to run PostgreSQL alone).
    #[arg(long)]
    no_sqlite: bool,
    /// Posts generated.
    #[arg(long, default_value_t = 2_000_000)]
    posts: usize,
    /// Open channels the posts fall in.
    #[arg(long, default_value_t = 10_000)]
    channels: usize,
    /// Post authors.
    #[arg(long, default_value_t = 5_000)]
    users: usize,
    /// Channels the reader is a member of.
    #[arg(long, default_value_t = 100)]
    member_of: usize,
    /// Queries measured per engine (a tenth more are sent first to warm up).
    #[arg(long, default_value_t = 400)]
    queries: usize,
    /// Where generated data sets are kept between runs (one per database and size).
    #[arg(long, default_value = "target/bench-search")]
    data: PathBuf,
    /// Reuse the tantivy index of an earlier run instead of rebuilding it.
    #[arg(long)]
    keep_index: bool,
}

struct Report {
    kind: Kind,
    loaded: Option<(usize, f64)>,
    native: Built,
    tantivy: Built,
    reindex: Option<ReindexCost>,
    server_memory: Memory,
    results: Vec<(&'static str, Measured)>,
}

pub async fn run(binary: &Path, args: &SearchArgs) -> anyhow::Result<()> {
    let load_before = load_average();
    let mut kinds = Vec::new();
    if !args.no_sqlite {
        kinds.push(Kind::Sqlite);
    }
    match &args.postgres {
        Some(_) => kinds.push(Kind::Postgres),
        None => eprintln!("PostgreSQL skipped: pass --postgres or set TEST_DATABASE_URL"),
    }
    let mut reports = Vec::new();
    for kind in kinds {
        reports.push(measure(binary, args, kind).await?);
    }
    println!(
        "{} posts over {} channels by {} users; the reader is in {} channels; {} queries per \
         engine, one at a time, {} results a page; 1-minute load average {load_before} before, \
         {} after.\n",
        args.posts,
        args.channels,
        args.users,
        args.member_of,
        args.queries,
        engines::PER_PAGE,
        load_average()
    );
    for report in &reports {
        print_report(args, report);
    }
    Ok(())
}

async fn measure(binary: &Path, args: &SearchArgs, kind: Kind) -> anyhow::Result<Report> {
    let data = dataset::prepare(binary, args, kind).await?;
    let db = Db::connect(&data.target).await?;
    let native = engines::build_native(&db, kind).await?;
    let (tantivy, reindex) = engines::reindex(binary, &data.target, args.keep_index)?;

    eprintln!("{kind:?}: starting {}", binary.display());
    let server = data.target.start(binary, &[]).await?;
    let token = server.login().await?;
    let queries = queries::mix(args.queries, args.users, &data.member_channels);
    eprintln!("{kind:?}: tantivy through HTTP");
    let through_http = engines::tantivy(&server, &token, &data.team_id, &queries).await?;
    let server_memory = memory::read(server.pid())?;
    eprintln!("{kind:?}: the database's full-text index");
    let in_database = engines::native(&db, kind, &data.user_id, &data.team_id, &queries).await?;
    server.stop().await?;
    db.close().await;
    let native_name = match kind {
        Kind::Sqlite => "SQLite FTS5 (sqlx, in the benchmark)",
        Kind::Postgres => "PostgreSQL GIN to_tsquery (sqlx, in the benchmark)",
    };
    Ok(Report {
        kind,
        loaded: data.loaded,
        native,
        tantivy,
        reindex,
        server_memory,
        results: vec![
            ("Utmost tantivy (HTTP)", through_http),
            (native_name, in_database),
        ],
    })
}

fn seconds(built: &Built) -> String {
    built
        .seconds
        .map_or("(kept from an earlier run)".into(), |s| format!("{s:.1} s"))
}

fn print_report(args: &SearchArgs, r: &Report) {
    println!("{:?}:\n", r.kind);
    if let Some((posts, s)) = r.loaded {
        println!(
            "- generated and written {posts} posts in {s:.1} s ({:.0} posts/s)",
            posts as f64 / s
        );
    }
    let rate = |b: &Built| {
        b.seconds.map_or(String::new(), |s| {
            format!(", {:.0} posts/s", args.posts as f64 / s)
        })
    };
    println!(
        "- tantivy index (`utmost search reindex`): {}{}; {:.0} MiB on disk",
        seconds(&r.tantivy),
        rate(&r.tantivy),
        r.tantivy.bytes as f64 / 1048576.0
    );
    if let Some(cost) = &r.reindex {
        println!(
            "- `utmost search reindex`: {:.1} CPU seconds ({:.0} posts per CPU second), peak RSS \
             {:.0} MiB",
            cost.cpu_seconds,
            args.posts as f64 / cost.cpu_seconds,
            mib(cost.memory.peak_kib)
        );
    }
    let native = match r.kind {
        Kind::Sqlite => "FTS5 table posts_fts (porter unicode61)",
        Kind::Postgres => "GIN indexes idx_posts_message_txt + idx_posts_hashtags_txt",
    };
    println!(
        "- {native}: built {}{}; {:.0} MiB on disk",
        seconds(&r.native),
        rate(&r.native),
        r.native.bytes as f64 / 1048576.0
    );
    println!(
        "- searching server after the mix: RSS {:.0} MiB, peak {:.0} MiB\n",
        mib(r.server_memory.rss_kib),
        mib(r.server_memory.peak_kib)
    );
    println!("| engine | queries | p50 ms | p99 ms | max ms | mean hits |");
    println!("|---|---:|---:|---:|---:|---:|");
    for (name, m) in &r.results {
        println!(
            "| {name} | {} | {:.1} | {:.1} | {:.1} | {:.1} |",
            m.all.count,
            m.all.percentile_ms(50.0),
            m.all.percentile_ms(99.0),
            m.all.percentile_ms(100.0),
            m.hits as f64 / m.all.count.max(1) as f64
        );
    }
    println!("\np99 ms by query shape:\n");
    let names: Vec<&str> = r.results.iter().map(|(n, _)| *n).collect();
    println!("| shape | {} |", names.join(" | "));
    println!("|---|{}", "---:|".repeat(names.len()));
    if let Some((_, first)) = r.results.first() {
        for (i, (shape, _)) in first.by_shape.iter().enumerate() {
            let cells: Vec<String> = r
                .results
                .iter()
                .map(|(_, m)| {
                    m.by_shape.get(i).map_or(String::new(), |(_, s)| {
                        format!("{:.1}", s.percentile_ms(99.0))
                    })
                })
                .collect();
            println!("| {shape} | {} |", cells.join(" | "));
        }
    }
    println!();
}
