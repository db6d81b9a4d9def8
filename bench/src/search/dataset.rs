//! The posts searched: generated once into a kept database (SQLite file or PostgreSQL
//! database named after the size) and reused by later runs, with a marker written last so a
//! run cut short starts over.
//!
//! Shape: `users` authors and `channels` open channels of one team; the reader (the first
//! user, an admin) is a member of every `channels / member_of`-th channel. Posts fall in
//! random channels at even intervals over 2025; 30% reply to the channel's latest root. A
//! message is 4–24 words drawn with Zipf-like frequencies, sometimes with a #hashtag, a host
//! name, an e-mail address or a file name.

use super::SearchArgs;
use crate::bulk::{self, Db, Post};
use crate::corpus::{id, Rng, Vocabulary};
use crate::server::{Kind, Server, Target};
use anyhow::Context;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// 2025-01-01T00:00:00Z and the year the posts span, in milliseconds.
pub const START: i64 = 1_735_689_600_000;
pub const SPAN: i64 = 365 * 86_400_000;
/// Vocabulary size: the long tail of rarely used words.
pub const VOCABULARY: usize = 50_000;
const SEED: u64 = 13;

/// What a run needs to know of a generated data set.
pub struct Dataset {
    pub target: Target,
    pub team_id: String,
    pub user_id: String,
    /// The reader's channels, by number.
    pub member_channels: Vec<usize>,
    /// How long loading the posts took, when this run generated them.
    pub loaded: Option<(usize, f64)>,
}

pub fn channel_name(n: usize) -> String {
    format!("channel-{n}")
}

pub fn username(n: usize) -> String {
    format!("user{n}")
}

fn dir(args: &SearchArgs, kind: Kind) -> PathBuf {
    let kind = match kind {
        Kind::Sqlite => "sqlite",
        Kind::Postgres => "postgres",
    };
    args.data.join(format!("{kind}-{}", args.posts))
}

/// Opens the kept data set, generating it first when no complete one is there.
pub async fn prepare(binary: &Path, args: &SearchArgs, kind: Kind) -> anyhow::Result<Dataset> {
    let dir = dir(args, kind);
    let marker = dir.join("dataset.json");
    let pg_name = format!("utmost_bench_search_{}", args.posts);
    let postgres = args.postgres.as_deref().map(|url| (url, pg_name.as_str()));
    if let Ok(text) = std::fs::read_to_string(&marker) {
        let saved: Value = serde_json::from_str(&text)?;
        eprintln!("{kind:?}: reusing the posts in {}", dir.display());
        return Ok(Dataset {
            target: Target::kept(kind, &dir, postgres).await?,
            team_id: field(&saved, "team_id")?,
            user_id: field(&saved, "user_id")?,
            member_channels: member_channels(args),
            loaded: None,
        });
    }
    // A partial data set from an interrupted run is thrown away.
    if dir.exists() {
        std::fs::remove_dir_all(&dir)?;
    }
    if let (Kind::Postgres, Some((url, name))) = (kind, postgres) {
        let pool = sqlx::PgPool::connect(url).await?;
        sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .execute(&pool)
            .await?;
        pool.close().await;
    }
    let target = Target::kept(kind, &dir, postgres).await?;
    // The server migrates the database and creates the reader, the team and a channel.
    let server = target.start(binary, &[]).await?;
    let fixture = server.fixture().await?;
    let (user_id, team_id) = ids(&server, &fixture.token, &fixture.channel_id).await?;
    server.stop().await?;

    let db = Db::connect(&target).await?;
    let loaded = generate(&db, args, kind, &team_id, &user_id).await?;
    db.close().await;
    let saved = json!({"team_id": team_id, "user_id": user_id, "posts": args.posts});
    std::fs::write(&marker, saved.to_string())?;
    Ok(Dataset {
        target,
        team_id,
        user_id,
        member_channels: member_channels(args),
        loaded: Some(loaded),
    })
}

fn member_channels(args: &SearchArgs) -> Vec<usize> {
    let step = (args.channels / args.member_of.max(1)).max(1);
    (0..args.channels).step_by(step).collect()
}

async fn ids(server: &Server, token: &str, channel_id: &str) -> anyhow::Result<(String, String)> {
    let me: Value = server.get(token, "/users/me").await?.json().await?;
    let channel: Value = server
        .get(token, &format!("/channels/{channel_id}"))
        .await?
        .json()
        .await?;
    Ok((field(&me, "id")?, field(&channel, "team_id")?))
}

fn field(v: &Value, name: &str) -> anyhow::Result<String> {
    v[name]
        .as_str()
        .map(str::to_string)
        .with_context(|| format!("no {name} in {v}"))
}

/// Writes users, channels, the reader's memberships and the posts: (posts, seconds).
async fn generate(
    db: &Db,
    args: &SearchArgs,
    kind: Kind,
    team_id: &str,
    reader_id: &str,
) -> anyhow::Result<(usize, f64)> {
    let at = START;
    let users: Vec<bulk::User> = (0..args.users)
        .map(|n| bulk::User {
            id: id('u', n),
            username: username(n),
            first_name: crate::corpus::name(n),
            last_name: crate::corpus::name(n + 7_919),
            nickname: String::new(),
        })
        .collect();
    bulk::insert_users(db, team_id, &users, at).await?;
    let channels: Vec<bulk::Channel> = (0..args.channels)
        .map(|n| bulk::Channel {
            id: id('c', n),
            name: channel_name(n),
            display_name: format!("Channel {}", crate::corpus::name(n)),
            purpose: String::new(),
        })
        .collect();
    bulk::insert_channels(db, team_id, reader_id, &channels, at).await?;
    let mine: Vec<String> = member_channels(args)
        .into_iter()
        .map(|n| id('c', n))
        .collect();
    bulk::insert_memberships(db, reader_id, &mine, at).await?;

    // PostgreSQL builds its full-text indexes (Mattermost's and Utmost's) once after the
    // load, not row by row. Utmost's words-only index (migration 0019), which only the
    // previous release searches through, is not built at all.
    if kind == Kind::Postgres {
        db.execute(
            "DROP INDEX IF EXISTS idx_posts_message_txt; DROP INDEX IF EXISTS idx_posts_hashtags_txt; \
             DROP INDEX IF EXISTS idx_posts_search_words; \
             DROP INDEX IF EXISTS idx_posts_search_words_by_channel",
        )
        .await?;
    }
    let started = Instant::now();
    let vocabulary = Vocabulary::new(VOCABULARY);
    let mut rng = Rng::new(SEED);
    let mut latest_root: Vec<Option<usize>> = vec![None; args.channels];
    let chunk = 20_000;
    for first in (0..args.posts).step_by(chunk) {
        let rows: Vec<String> = (first..(first + chunk).min(args.posts))
            .map(|n| {
                let post = post(n, args, &vocabulary, &mut rng, &mut latest_root);
                bulk::post_row(&post)
            })
            .collect();
        db.insert("posts", bulk::POST_COLUMNS, rows).await?;
        if (first / chunk) % 25 == 0 {
            eprintln!("{kind:?}: {first} posts written");
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    if kind == Kind::Postgres {
        db.execute("ANALYZE").await?;
    }
    Ok((args.posts, seconds))
}

fn post(
    n: usize,
    args: &SearchArgs,
    vocabulary: &Vocabulary,
    rng: &mut Rng,
    latest_root: &mut [Option<usize>],
) -> Post {
    let channel = rng.below(args.channels);
    let author = rng.below(args.users);
    let root = match latest_root[channel] {
        Some(root) if rng.chance(30) => id('p', root),
        _ => {
            latest_root[channel] = Some(n);
            String::new()
        }
    };
    let length = 4 + rng.below(21);
    let mut words: Vec<String> = (0..length)
        .map(|_| vocabulary.sample(rng).to_string())
        .collect();
    let mut hashtags = String::new();
    match rng.below(100) {
        0..=4 => {
            let tag = format!("#{}", vocabulary.words[40 + rng.below(200)]);
            hashtags = tag.clone();
            words.push(tag);
        }
        5..=7 => words.push(format!(
            "db-{}.{}.example.com",
            rng.below(20),
            vocabulary.sample(rng)
        )),
        8..=9 => words.push(format!("{}@example.com", username(rng.below(args.users)))),
        10..=11 => words.push(format!(
            "{}_{}.{}",
            vocabulary.sample(rng),
            rng.below(100),
            ["pdf", "log", "csv", "png"][rng.below(4)]
        )),
        _ => {}
    }
    Post {
        id: id('p', n),
        create_at: START + (n as i64 * SPAN) / args.posts.max(1) as i64,
        user_id: id('u', author),
        channel_id: id('c', channel),
        root_id: root,
        message: words.join(" "),
        hashtags,
    }
}
