//! The engines, each set up once and then asked the same queries one at a time:
//! Utmost's tantivy index through the release server's HTTP API, on PostgreSQL also Utmost's
//! PostgreSQL full-text engine through the same API (a server started with indexing off),
//! and the database's own full-text index queried straight with sqlx (PostgreSQL's GIN, or
//! an FTS5 table the benchmark builds over SQLite's `posts`).

use super::queries::Query;
use crate::bulk::Db;
use crate::load::Stats;
use crate::memory::{self, Memory};
use crate::server::{Kind, Server, Target};
use anyhow::{bail, Context};
use serde_json::{json, Value};
use std::path::Path;
use std::time::{Duration, Instant};

/// A page of results, as the clients ask for it.
pub const PER_PAGE: usize = 60;

/// What building an index cost: its time when this run built it, and its size.
pub struct Built {
    pub seconds: Option<f64>,
    pub bytes: u64,
}

/// What `utmost search reindex` used: its peak memory and its CPU time (user and system,
/// last read at most 200 ms before it ended), which a busy machine does not inflate.
pub struct ReindexCost {
    pub memory: Memory,
    pub cpu_seconds: f64,
}

/// User plus system CPU seconds of a process so far, from /proc/<pid>/stat.
fn cpu_seconds(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name (which may hold spaces): state is the first, utime 12th.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

/// Latencies of a query mix, overall and per shape, and the hits returned.
pub struct Measured {
    pub all: Stats,
    pub by_shape: Vec<(String, Stats)>,
    pub hits: usize,
    /// The queries that failed (a timeout, an error status), each with why; their time
    /// counts in the latencies.
    pub failed: Vec<String>,
}

/// Builds the database's own full-text index unless it is there already.
pub async fn build_native(db: &Db, kind: Kind) -> anyhow::Result<Built> {
    let started = Instant::now();
    let seconds = match kind {
        Kind::Postgres => {
            let exists = db
                .count("SELECT COUNT(*) FROM pg_indexes WHERE indexname = 'idx_posts_message_txt'")
                .await?;
            if exists == 0 {
                eprintln!("PostgreSQL: building the GIN indexes");
                // Mattermost's two indexes (migrations/postgres/0007_posts.sql).
                db.execute(
                    "SET maintenance_work_mem = '256MB'; \
                     CREATE INDEX idx_posts_message_txt ON posts USING gin (to_tsvector('english', message)); \
                     CREATE INDEX idx_posts_hashtags_txt ON posts USING gin (to_tsvector('english', hashtags))",
                )
                .await?;
                Some(started.elapsed().as_secs_f64())
            } else {
                None
            }
        }
        Kind::Sqlite => {
            let exists = db
                .count("SELECT COUNT(*) FROM sqlite_master WHERE name = 'posts_fts'")
                .await?;
            if exists == 0 {
                eprintln!("SQLite: building the FTS5 table");
                db.execute(
                    "CREATE VIRTUAL TABLE posts_fts USING fts5(message, content='posts', \
                     content_rowid='rowid', tokenize='porter unicode61'); \
                     INSERT INTO posts_fts(posts_fts) VALUES ('rebuild')",
                )
                .await?;
                Some(started.elapsed().as_secs_f64())
            } else {
                None
            }
        }
    };
    let bytes = match kind {
        Kind::Postgres => db.count(
            "SELECT CAST(pg_relation_size('idx_posts_message_txt') \
             + pg_relation_size('idx_posts_hashtags_txt') AS BIGINT)",
        ),
        Kind::Sqlite => {
            db.count("SELECT CAST(SUM(pgsize) AS INTEGER) FROM dbstat WHERE name LIKE 'posts_fts%'")
        }
    }
    .await?;
    Ok(Built {
        seconds,
        bytes: u64::try_from(bytes).unwrap_or(0),
    })
}

/// Builds the GIN index of Utmost's own PostgreSQL full-text engine (`store::full_text`,
/// migration 0034's `idx_posts_search_words_by_channel`) unless it is there already; its hashtags go
/// through Mattermost's `idx_posts_hashtags_txt`, counted with `build_native`'s.
pub async fn build_full_text(db: &Db) -> anyhow::Result<Built> {
    let started = Instant::now();
    let exists = db
        .count(
            "SELECT COUNT(*) FROM pg_indexes WHERE indexname = 'idx_posts_search_words_by_channel'",
        )
        .await?;
    let seconds = if exists == 0 {
        eprintln!("PostgreSQL: building Utmost's full-text GIN index");
        db.execute(
            "SET maintenance_work_mem = '256MB'; \
             CREATE INDEX idx_posts_search_words_by_channel ON posts \
             USING gin (utmost_post_search_words(channelid, message))",
        )
        .await?;
        Some(started.elapsed().as_secs_f64())
    } else {
        None
    };
    let bytes = db
        .count("SELECT CAST(pg_relation_size('idx_posts_search_words_by_channel') AS BIGINT)")
        .await?;
    Ok(Built {
        seconds,
        bytes: u64::try_from(bytes).unwrap_or(0),
    })
}

/// `utmost search reindex` (the server stopped): its time unless `keep` and an index
/// exists, the index's size, and the command's memory (VmHWM its peak).
pub fn reindex(
    binary: &Path,
    target: &Target,
    keep: bool,
) -> anyhow::Result<(Built, Option<ReindexCost>)> {
    let dir = target.dir.join("data").join("search");
    if keep && dir.exists() {
        return Ok((
            Built {
                seconds: None,
                bytes: dir_size(&dir)?,
            },
            None,
        ));
    }
    eprintln!("{:?}: utmost search reindex", target.kind);
    let started = Instant::now();
    let mut child = target
        .command(binary)
        .args(["search", "reindex"])
        .stdout(std::process::Stdio::null())
        .spawn()
        .context("starting utmost search reindex")?;
    // VmHWM, read until the process ends, is its peak resident memory.
    let mut cost = None;
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if let (Ok(memory), Some(cpu_seconds)) = (memory::read(child.id()), cpu_seconds(child.id()))
        {
            cost = Some(ReindexCost {
                memory,
                cpu_seconds,
            });
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    let seconds = started.elapsed().as_secs_f64();
    if !status.success() {
        bail!("utmost search reindex exited with {status}");
    }
    Ok((
        Built {
            seconds: Some(seconds),
            bytes: dir_size(&dir)?,
        },
        cost,
    ))
}

pub fn dir_size(dir: &Path) -> anyhow::Result<u64> {
    let mut total = 0;
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let meta = entry.metadata()?;
        total += if meta.is_dir() {
            dir_size(&entry.path())?
        } else {
            meta.len()
        };
    }
    Ok(total)
}

/// The mix through `POST /teams/{team}/posts/search`, one request at a time (whichever
/// engine the server was started with).
pub async fn through_http(
    server: &Server,
    token: &str,
    team_id: &str,
    queries: &[Query],
) -> anyhow::Result<Measured> {
    let url = format!("{}/teams/{team_id}/posts/search", server.url);
    measure(queries, |q| {
        let request = server.http.post(&url).bearer_auth(token).json(&json!({
            "terms": q.terms(),
            "is_or_search": false,
            "time_zone_offset": 0,
            "include_deleted_channels": false,
            "page": 0,
            "per_page": PER_PAGE,
        }));
        async move {
            let resp = request.send().await?;
            if resp.status() != 200 {
                bail!("search answered {}", resp.status());
            }
            let body: Value = resp.json().await?;
            Ok(body["order"].as_array().map_or(0, Vec::len))
        }
    })
    .await
}

/// The mix as SQL on the database's own full-text index.
pub async fn native(
    db: &Db,
    kind: Kind,
    reader: &str,
    team_id: &str,
    queries: &[Query],
) -> anyhow::Result<Measured> {
    measure(queries, |q| {
        let sql = match kind {
            Kind::Postgres => q.postgres(reader, team_id, PER_PAGE),
            Kind::Sqlite => q.sqlite(reader, team_id, PER_PAGE),
        };
        async move { Ok(db.strings(&sql).await?.len()) }
    })
    .await
}

/// Queries the first tenth unmeasured (caches warm), then every query once, in order. A
/// query that fails is counted as failed, with the time it took, and the mix goes on.
async fn measure<'a, F, Fut>(queries: &'a [Query], run: F) -> anyhow::Result<Measured>
where
    F: Fn(&'a Query) -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<usize>>,
{
    for q in &queries[..queries.len() / 10] {
        if let Err(e) = run(q).await {
            eprintln!("warming up, query {:?} failed: {e:#}", q.terms());
        }
    }
    let mut latencies = Vec::with_capacity(queries.len());
    let mut by_shape: Vec<(String, Vec<Duration>)> = Vec::new();
    let mut hits = 0;
    let mut failed = Vec::new();
    let started = Instant::now();
    for q in queries {
        let t = Instant::now();
        match run(q).await {
            Ok(n) => hits += n,
            Err(e) => failed.push(format!("{:?}: {e:#}", q.terms())),
        }
        let took = t.elapsed();
        latencies.push(took);
        let shape = format!("{:?}", q.shape);
        match by_shape.iter_mut().find(|(s, _)| *s == shape) {
            Some((_, list)) => list.push(took),
            None => by_shape.push((shape, vec![took])),
        }
    }
    let elapsed = started.elapsed();
    Ok(Measured {
        all: Stats::new(latencies, elapsed),
        by_shape: by_shape
            .into_iter()
            .map(|(s, l)| (s, Stats::new(l, elapsed)))
            .collect(),
        hits,
        failed,
    })
}
