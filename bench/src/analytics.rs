//! `analytics`: the System Console's statistics (`GET /analytics/old`) over a million posts.
//! Users, channels and posts spread over the past year are written straight into the
//! database (`bulk`); the release server is started, its `analytics` service computes the
//! daily aggregates (timed), then `standard` and `post_counts_day` (site and team) are
//! measured over HTTP next to the queries they replace, run straight on the database in the
//! same run: Mattermost's full-scan `COUNT(*)` of posts and its per-day `GROUP BY` over the
//! last 32 days. The aim: each statistic answers within 100 ms.

use crate::bulk::{self, Db};
use crate::corpus::{id, name, Rng};
use crate::load::{self, Stats};
use crate::load_average;
use crate::server::{on_each_target, Kind, Server, Target};
use crate::threads::text;
use anyhow::bail;
use clap::Args;
use serde_json::Value;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Args)]
pub struct AnalyticsArgs {
    /// PostgreSQL server to create a throw-away database on; PostgreSQL is skipped without it.
    #[arg(long, env = "TEST_DATABASE_URL")]
    postgres: Option<String>,
    #[arg(long, default_value_t = 1_000_000)]
    posts: usize,
    /// The posts spread over this many days before today.
    #[arg(long, default_value_t = 365)]
    days: usize,
    #[arg(long, default_value_t = 1_000)]
    users: usize,
    #[arg(long, default_value_t = 100)]
    channels: usize,
    /// Requests per statistic (and runs of each baseline query).
    #[arg(long, default_value_t = 50)]
    requests: usize,
}

const DAY: i64 = 86_400_000;

pub async fn run(binary: &Path, args: &AnalyticsArgs) -> anyhow::Result<()> {
    let load_before = load_average();
    let reports = on_each_target(args.postgres.as_deref(), async |target| {
        measure(binary, args, target).await
    })
    .await?;
    println!(
        "{} posts over {} days by {} users in {} open channels of one team; one client, \
         {} requests per statistic; loopback; 1-minute load average {load_before} before, {} \
         after.\n",
        args.posts,
        args.days,
        args.users,
        args.channels,
        args.requests,
        load_average()
    );
    for (kind, report) in &reports {
        report.print(kind);
    }
    Ok(())
}

struct Report {
    catch_up: Duration,
    rows: Vec<(&'static str, Stats)>,
}

impl Report {
    fn print(&self, kind: &str) {
        println!(
            "{kind}: the analytics service computed the daily aggregates in {:.1} s.\n",
            self.catch_up.as_secs_f64()
        );
        let baseline = self
            .rows
            .iter()
            .find(|(name, _)| name.starts_with("baseline: SELECT COUNT(*)"))
            .map_or(1.0, |(_, s)| s.percentile_ms(50.0));
        println!("| statistic | count | p50 ms | p99 ms | p50 vs full-scan count |");
        println!("|---|---:|---:|---:|---:|");
        for (name, s) in &self.rows {
            println!(
                "| {name} | {} | {:.2} | {:.2} | {:.3} |",
                s.count,
                s.percentile_ms(50.0),
                s.percentile_ms(99.0),
                s.percentile_ms(50.0) / baseline,
            );
        }
        println!();
    }
}

async fn measure(binary: &Path, args: &AnalyticsArgs, target: &Target) -> anyhow::Result<Report> {
    eprintln!("{:?}: starting {}", target.kind, binary.display());
    let server = target.start(binary, &[]).await?;
    let fixture = server.fixture().await?;
    let me: Value = server
        .get(&fixture.token, "/users/me")
        .await?
        .json()
        .await?;
    let channel: Value = server
        .get(&fixture.token, &format!("/channels/{}", fixture.channel_id))
        .await?
        .json()
        .await?;
    let (admin_id, team_id) = (text(&me, "id")?, text(&channel, "team_id")?);
    server.stop().await?;

    eprintln!(
        "{:?}: writing {} users, {} channels and {} posts",
        target.kind, args.users, args.channels, args.posts
    );
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_millis() as i64;
    let today = now - now.rem_euclid(DAY);
    let first_day = today - args.days as i64 * DAY;
    let db = Db::connect(target).await?;
    let users: Vec<bulk::User> = (0..args.users)
        .map(|n| bulk::User {
            id: id('u', n),
            username: format!("stat.user{n}"),
            first_name: name(n),
            last_name: name(n + 1),
            nickname: String::new(),
        })
        .collect();
    bulk::insert_users(&db, &team_id, &users, first_day).await?;
    let channels: Vec<bulk::Channel> = (0..args.channels)
        .map(|n| bulk::Channel {
            id: id('c', n),
            name: format!("stats-{n}"),
            display_name: format!("Stats {n}"),
            purpose: String::new(),
        })
        .collect();
    bulk::insert_channels(&db, &team_id, &admin_id, &channels, first_day).await?;
    let (posts, users_n, channels_n, days) = (args.posts, args.users, args.channels, args.days);
    let mut rng = Rng::new(17);
    let rows = (0..posts).map(move |n| {
        // Busier recent days: the day is the larger of two draws.
        let day = rng.below(days).max(rng.below(days)) as i64;
        let at = first_day + day * DAY + rng.below(DAY as usize) as i64;
        let tagged = rng.chance(5);
        bulk::post_row(&bulk::Post {
            id: id('p', n),
            create_at: at,
            user_id: id('u', rng.below(users_n)),
            channel_id: id('c', rng.below(channels_n)),
            root_id: String::new(),
            message: if tagged {
                format!("statistics #tag{}", n % 50)
            } else {
                format!("statistics post {n}")
            },
            hashtags: if tagged {
                format!("#tag{}", n % 50)
            } else {
                String::new()
            },
        })
    });
    db.insert("posts", bulk::POST_COLUMNS, rows).await?;
    if target.kind == Kind::Postgres {
        db.execute("ANALYZE").await?;
    }

    eprintln!("{:?}: waiting for the analytics service", target.kind);
    let started = Instant::now();
    let server = Arc::new(target.start(binary, &[]).await?);
    let expected_days = {
        let oldest = db.count("SELECT MIN(createat) FROM posts").await?;
        (today - (oldest - oldest.rem_euclid(DAY))) / DAY
    };
    loop {
        let computed = db
            .count("SELECT COUNT(*) FROM utmost_analytics_days")
            .await
            .unwrap_or(0);
        if computed >= expected_days {
            break;
        }
        if started.elapsed() > Duration::from_secs(1_800) {
            bail!(
                "the analytics service computed {computed} of {expected_days} days in 30 minutes"
            );
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let catch_up = started.elapsed();

    let token = fixture.token.clone();
    let mut rows = Vec::new();
    for (label, query) in [
        (
            "GET /analytics/old?name=standard",
            "?name=standard".to_string(),
        ),
        (
            "GET /analytics/old?name=post_counts_day",
            "?name=post_counts_day".to_string(),
        ),
        (
            "GET /analytics/old?name=standard&team_id=…",
            format!("?name=standard&team_id={team_id}"),
        ),
        (
            "GET /analytics/old?name=post_counts_day&team_id=…",
            format!("?name=post_counts_day&team_id={team_id}"),
        ),
        (
            "GET /analytics/old?name=extra_counts",
            "?name=extra_counts".to_string(),
        ),
    ] {
        rows.push((label, http(&server, &token, &query, args.requests).await?));
    }
    let window = today - 32 * DAY;
    let by_day = match target.kind {
        Kind::Sqlite => format!(
            "SELECT COUNT(*) FROM (SELECT DATE(createat / 1000, 'unixepoch') AS d, COUNT(*) \
             FROM posts WHERE createat >= {window} AND createat < {today} GROUP BY d \
             ORDER BY d DESC LIMIT 30)"
        ),
        Kind::Postgres => format!(
            "SELECT COUNT(*) FROM (SELECT TO_CHAR(DATE(TO_TIMESTAMP(createat / 1000)), \
             'YYYY-MM-DD') AS d, COUNT(*) FROM posts WHERE createat >= {window} \
             AND createat < {today} GROUP BY d ORDER BY d DESC LIMIT 30) AS days"
        ),
    };
    let team_count = format!(
        "SELECT COUNT(*) FROM posts p JOIN channels c ON c.id = p.channelid \
         WHERE c.teamid = '{team_id}'"
    );
    for (label, sql) in [
        (
            "baseline: SELECT COUNT(*) FROM posts",
            "SELECT COUNT(*) FROM posts".to_string(),
        ),
        ("baseline: per-day GROUP BY over 32 days", by_day),
        ("baseline: team COUNT(*) (posts JOIN channels)", team_count),
    ] {
        rows.push((label, raw(&db, &sql, args.requests.min(20)).await?));
    }
    db.close().await;
    match Arc::try_unwrap(server) {
        Ok(server) => server.stop().await?,
        Err(_) => bail!("the server is still in use"),
    }
    Ok(Report { catch_up, rows })
}

/// `count` requests of `/analytics/old{query}` one after another; each must answer 200.
async fn http(
    server: &Arc<Server>,
    token: &str,
    query: &str,
    count: usize,
) -> anyhow::Result<Stats> {
    let url = format!("{}/analytics/old{query}", server.url);
    let (http, token) = (server.http.clone(), token.to_string());
    // Warm-up.
    http.get(&url)
        .bearer_auth(&token)
        .send()
        .await?
        .bytes()
        .await?;
    load::run(1, count, move |_| {
        let request = http.get(&url).bearer_auth(&token);
        async move {
            let resp = request.send().await?;
            if resp.status() != 200 {
                bail!("expected 200, got {}", resp.status());
            }
            resp.bytes().await?;
            Ok(())
        }
    })
    .await
}

/// `count` runs of `sql` straight on the database, one after another.
async fn raw(db: &Db, sql: &str, count: usize) -> anyhow::Result<Stats> {
    db.count(sql).await?;
    let mut latencies = Vec::with_capacity(count);
    let started = Instant::now();
    for _ in 0..count {
        let t = Instant::now();
        db.count(sql).await?;
        latencies.push(t.elapsed());
    }
    Ok(Stats::new(latencies, started.elapsed()))
}
