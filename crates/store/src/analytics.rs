//! The System Console's statistics (Mattermost's `Analytics*` store queries) and Utmost's
//! daily post aggregates of migration 0029, which serve the post statistics without a scan of
//! `posts`:
//! - `utmost_analytics_posts`: per completed UTC day, team (`''` for direct and group
//!   messages) and poster, the day's posts, those with files, those with hashtags, whether
//!   the poster is a bot and their last post's time;
//! - `utmost_analytics_days`: per completed day, its totals, its distinct posters and the
//!   checksum (post count, newest `updateat`) that shows the day changed since;
//! - `utmost_analytics_team_days`: the same totals per (day, team), which a team's
//!   statistics read (one row per day rather than one per poster).
//!
//! A day is (re)computed whole in one transaction (`aggregate_day`), so the two tables always
//! agree. What lies after the last computed day (today, and any day the service has not
//! reached yet) is counted live over `idx_posts_create_at`. Every count includes deleted
//! posts and system messages, as Mattermost's do (a soft delete keeps the row).

use crate::db::{read, transaction, Bind};
use crate::replicas::{query_rows_replica, ReplicaUse};
use crate::{Result, Store};

/// Milliseconds in a day.
pub const DAY: i64 = 24 * 60 * 60 * 1000;

/// The UTC day (its first millisecond) that holds `ms`.
pub fn day_of(ms: i64) -> i64 {
    ms.div_euclid(DAY) * DAY
}

/// Which posts a count takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PostKind {
    /// Every post.
    All,
    /// Posts with files (`fileids` or the legacy `filenames` not empty).
    WithFiles,
    /// Posts with hashtags.
    WithHashtags,
}

impl PostKind {
    fn aggregate_column(self) -> &'static str {
        match self {
            PostKind::All => "posts",
            PostKind::WithFiles => "fileposts",
            PostKind::WithHashtags => "hashtagposts",
        }
    }

    fn live_condition(self) -> &'static str {
        match self {
            PostKind::All => "",
            PostKind::WithFiles => {
                " AND (COALESCE(p.fileids, '[]') NOT IN ('[]', '') \
                 OR COALESCE(p.filenames, '[]') NOT IN ('[]', ''))"
            }
            PostKind::WithHashtags => " AND COALESCE(p.hashtags, '') <> ''",
        }
    }
}

/// What a per-day series counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DailySeries {
    /// `post_counts_day`: posts.
    Posts,
    /// `bot_post_counts_day`: posts by bots.
    BotPosts,
    /// `user_counts_with_posts_day`: distinct posters.
    Posters,
}

/// The SQL of a post's file and hashtag flags, shared by the aggregation and the live counts.
const HAS_FILES: &str = "(COALESCE(p.fileids, '[]') NOT IN ('[]', '') \
     OR COALESCE(p.filenames, '[]') NOT IN ('[]', ''))";

/// One computed day's checksum and totals.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct DayRow {
    pub day: i64,
    pub posts: i64,
    pub maxupdateat: i64,
}

/// The first and last computed days, if any.
pub async fn computed_range(store: &Store) -> Result<Option<(i64, i64)>> {
    let row: (Option<i64>, Option<i64>) = read!(store, |p| sqlx::query_as(
        "SELECT MIN(day), MAX(day) FROM utmost_analytics_days"
    )
    .fetch_one(p)
    .await)?;
    Ok(match row {
        (Some(first), Some(last)) => Some((first, last)),
        _ => None,
    })
}

/// The creation time of the oldest post, if any (read from `idx_posts_create_at`).
pub async fn oldest_post_at(store: &Store) -> Result<Option<i64>> {
    let row: (Option<i64>,) = read!(store, |p| sqlx::query_as("SELECT MIN(createat) FROM posts")
        .fetch_one(p)
        .await)?;
    Ok(row.0)
}

/// The newest `updateat` of a day is read as `MAX(updateat + 0)`: a plain `MAX(updateat)`
/// lets PostgreSQL's generic plan walk `idx_posts_update_at` backwards until it meets a post
/// of the day, which for an old day is most of the index.
///
/// (Re)computes the day starting at `day` from `posts`, in one transaction: its rows per team
/// and poster, its totals per team, then its totals and checksum, marked verified at `now`.
pub async fn aggregate_day(store: &Store, day: i64, now: i64) -> Result<()> {
    let insert_posts = format!(
        "INSERT INTO utmost_analytics_posts \
         (day, teamid, userid, isbot, posts, fileposts, hashtagposts, lastpostat) \
         SELECT $1, COALESCE(c.teamid, ''), COALESCE(p.userid, ''), \
                MAX(CASE WHEN b.userid IS NULL THEN 0 ELSE 1 END), COUNT(*), \
                CAST(SUM(CASE WHEN {HAS_FILES} THEN 1 ELSE 0 END) AS BIGINT), \
                CAST(SUM(CASE WHEN COALESCE(p.hashtags, '') <> '' THEN 1 ELSE 0 END) AS BIGINT), \
                MAX(p.createat) \
         FROM posts p \
         LEFT JOIN channels c ON c.id = p.channelid \
         LEFT JOIN bots b ON b.userid = p.userid \
         WHERE p.createat >= $1 AND p.createat < $2 \
         GROUP BY COALESCE(c.teamid, ''), COALESCE(p.userid, '')"
    );
    let upsert_day = "INSERT INTO utmost_analytics_days \
         (day, posts, botposts, fileposts, hashtagposts, posters, maxupdateat, verifiedat) \
         SELECT $1, \
                CAST(COALESCE(SUM(a.posts), 0) AS BIGINT), \
                CAST(COALESCE(SUM(CASE WHEN a.isbot = 1 THEN a.posts ELSE 0 END), 0) AS BIGINT), \
                CAST(COALESCE(SUM(a.fileposts), 0) AS BIGINT), \
                CAST(COALESCE(SUM(a.hashtagposts), 0) AS BIGINT), \
                COUNT(DISTINCT a.userid), \
                (SELECT COALESCE(MAX(p.updateat + 0), 0) FROM posts p \
                 WHERE p.createat >= $1 AND p.createat < $2), \
                $3 \
         FROM utmost_analytics_posts a WHERE a.day = $1 \
         ON CONFLICT (day) DO UPDATE SET posts = excluded.posts, botposts = excluded.botposts, \
             fileposts = excluded.fileposts, hashtagposts = excluded.hashtagposts, \
             posters = excluded.posters, maxupdateat = excluded.maxupdateat, \
             verifiedat = excluded.verifiedat";
    let insert_team_days = "INSERT INTO utmost_analytics_team_days \
         (teamid, day, posts, botposts, fileposts, hashtagposts, posters) \
         SELECT a.teamid, $1, CAST(SUM(a.posts) AS BIGINT), \
                CAST(SUM(CASE WHEN a.isbot = 1 THEN a.posts ELSE 0 END) AS BIGINT), \
                CAST(SUM(a.fileposts) AS BIGINT), CAST(SUM(a.hashtagposts) AS BIGINT), \
                COUNT(DISTINCT a.userid) \
         FROM utmost_analytics_posts a WHERE a.day = $1 GROUP BY a.teamid";
    transaction!(store, |tx| {
        sqlx::query("DELETE FROM utmost_analytics_posts WHERE day = $1")
            .bind(day)
            .execute(&mut *tx)
            .await?;
        sqlx::query(&insert_posts)
            .bind(day)
            .bind(day + DAY)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM utmost_analytics_team_days WHERE day = $1")
            .bind(day)
            .execute(&mut *tx)
            .await?;
        sqlx::query(insert_team_days)
            .bind(day)
            .execute(&mut *tx)
            .await?;
        sqlx::query(upsert_day)
            .bind(day)
            .bind(day + DAY)
            .bind(now)
            .execute(&mut *tx)
            .await?;
    })
}

/// The computed days verified longest ago, `limit` of them, with their stored checksums.
pub async fn least_recently_verified(store: &Store, limit: i64) -> Result<Vec<DayRow>> {
    Ok(read!(store, |p| sqlx::query_as(
        "SELECT day, posts, maxupdateat FROM utmost_analytics_days \
         ORDER BY verifiedat, day LIMIT $1"
    )
    .bind(limit)
    .fetch_all(p)
    .await)?)
}

/// The computed days from `from` on, with their stored checksums.
pub async fn computed_since(store: &Store, from: i64) -> Result<Vec<DayRow>> {
    Ok(read!(store, |p| sqlx::query_as(
        "SELECT day, posts, maxupdateat FROM utmost_analytics_days WHERE day >= $1 ORDER BY day"
    )
    .bind(from)
    .fetch_all(p)
    .await)?)
}

/// The live checksum of the day at `day`: its post count and newest `updateat`.
pub async fn live_checksum(store: &Store, day: i64) -> Result<(i64, i64)> {
    Ok(read!(store, |p| sqlx::query_as(
        "SELECT COUNT(*), COALESCE(MAX(updateat + 0), 0) FROM posts \
         WHERE createat >= $1 AND createat < $2"
    )
    .bind(day)
    .bind(day + DAY)
    .fetch_one(p)
    .await)?)
}

/// Records that the day at `day` was found unchanged at `now`.
pub async fn mark_verified(store: &Store, day: i64, now: i64) -> Result<()> {
    crate::db::execute!(
        store,
        "UPDATE utmost_analytics_days SET verifiedat = $2 WHERE day = $1",
        day,
        now,
    )?;
    Ok(())
}

/// The posts counted site-wide, or in `team`'s channels (`$1`): the source and the condition
/// the query's WHERE starts with.
fn posts_of(team: Option<&str>) -> (&'static str, &'static str) {
    match team {
        None => ("posts p", ""),
        Some(_) => (
            "posts p JOIN channels c ON c.id = p.channelid",
            "c.teamid = $1 AND ",
        ),
    }
}

/// The daily aggregates of the site, or of `team` (`$1`): the table and the condition.
fn aggregates_of(team: Option<&str>) -> (&'static str, &'static str) {
    match team {
        None => ("utmost_analytics_days", ""),
        Some(_) => ("utmost_analytics_team_days", "teamid = $1 AND "),
    }
}

/// A team-scoped query's binds: the team's id first when named, then `values`.
fn binds<'a>(team: Option<&'a str>, values: &[i64]) -> Vec<Bind<'a>> {
    let mut binds: Vec<Bind<'a>> = team.map(Bind::Str).into_iter().collect();
    binds.extend(values.iter().copied().map(Bind::Int));
    binds
}

async fn one_count(store: &Store, sql: &str, binds: &[Bind<'_>]) -> Result<i64> {
    // The statistics tolerate a replica's lag (see `replicas`).
    let rows = query_rows_replica::<(i64,), (i64,)>(store, ReplicaUse::General, sql, binds).await?;
    Ok(rows.first().map_or(0, |(n,)| *n))
}

/// Posts of `kind` (in `team`'s channels, when named): the computed days before `live_from`,
/// then a live count from `live_from` on.
pub async fn post_count(
    store: &Store,
    team: Option<&str>,
    kind: PostKind,
    live_from: i64,
) -> Result<i64> {
    let column = kind.aggregate_column();
    let ((table, from), binds) = (aggregates_of(team), binds(team, &[live_from]));
    let sql = format!(
        "SELECT CAST(COALESCE(SUM({column}), 0) AS BIGINT) FROM {table} WHERE {from}day < ${}",
        binds.len()
    );
    let aggregated = one_count(store, &sql, &binds).await?;
    let live = live_post_count(store, team, kind, live_from, None).await?;
    Ok(aggregated + live)
}

/// Posts of `kind` created in `[from, to)` (no end: `None`), counted over `posts` itself:
/// the baseline the aggregates stand in for.
pub async fn live_post_count(
    store: &Store,
    team: Option<&str>,
    kind: PostKind,
    from: i64,
    to: Option<i64>,
) -> Result<i64> {
    let condition = kind.live_condition();
    let to = to.unwrap_or(i64::MAX);
    let ((posts, team_filter), binds) = (posts_of(team), binds(team, &[from, to]));
    let n = binds.len();
    let sql = format!(
        "SELECT COUNT(*) FROM {posts} WHERE {team_filter}p.createat >= ${} AND p.createat < ${n}{condition}",
        n - 1
    );
    let count = one_count(store, &sql, &binds).await?;
    Ok(count)
}

/// The per-day values of `series` for the computed days in `[from, to)`, newest first, the
/// days without any left out (as Mattermost's `GROUP BY` leaves them out).
pub async fn daily_from_aggregates(
    store: &Store,
    team: Option<&str>,
    series: DailySeries,
    from: i64,
    to: i64,
) -> Result<Vec<(i64, i64)>> {
    let column = match series {
        DailySeries::Posts => "posts",
        DailySeries::BotPosts => "botposts",
        DailySeries::Posters => "posters",
    };
    let ((table, team_filter), binds) = (aggregates_of(team), binds(team, &[from, to]));
    let n = binds.len();
    let sql = format!(
        "SELECT day, {column} FROM {table} \
         WHERE {team_filter}day >= ${} AND day < ${n} AND {column} > 0 ORDER BY day DESC",
        n - 1
    );
    let rows =
        query_rows_replica::<(i64, i64), (i64, i64)>(store, ReplicaUse::General, &sql, &binds)
            .await?;
    Ok(rows.into_iter().filter(|(_, v)| *v > 0).collect())
}

/// The per-day values of `series` for `[from, to)` counted over `posts` itself, newest first:
/// the days the service has not computed yet, and the benchmark's baseline.
pub async fn daily_live(
    store: &Store,
    team: Option<&str>,
    series: DailySeries,
    from: i64,
    to: i64,
) -> Result<Vec<(i64, i64)>> {
    let (join, value) = match series {
        DailySeries::Posts => ("", "COUNT(*)"),
        DailySeries::BotPosts => ("JOIN bots b ON b.userid = p.userid ", "COUNT(*)"),
        DailySeries::Posters => ("", "COUNT(DISTINCT p.userid)"),
    };
    let ((posts, team_filter), binds) = (posts_of(team), binds(team, &[from, to]));
    let n = binds.len();
    let sql = format!(
        "SELECT (p.createat / {DAY}) * {DAY} AS d, {value} FROM {posts} {join}\
         WHERE {team_filter}p.createat >= ${} AND p.createat < ${n} GROUP BY d ORDER BY d DESC",
        n - 1
    );
    let rows =
        query_rows_replica::<(i64, i64), (i64, i64)>(store, ReplicaUse::General, &sql, &binds)
            .await?;
    Ok(rows)
}

/// Live channels by type (`O`, `P`, …), in `team` when named (Mattermost's
/// `AnalyticsCountAll`).
pub async fn channel_counts(store: &Store, team: Option<&str>) -> Result<Vec<(String, i64)>> {
    Ok(match team {
        None => read!(store, |p| {
            sqlx::query_as(
            "SELECT CAST(type AS TEXT), COUNT(*) FROM channels WHERE deleteat = 0 GROUP BY type"
        )
        .fetch_all(p)
        .await
        })?,
        Some(team) => read!(store, |p| sqlx::query_as(
            "SELECT CAST(type AS TEXT), COUNT(*) FROM channels \
             WHERE deleteat = 0 AND teamid = $1 GROUP BY type"
        )
        .bind(team)
        .fetch_all(p)
        .await)?,
    })
}

/// Live teams (`AnalyticsTeamCount`).
pub async fn team_count(store: &Store) -> Result<i64> {
    one_count(store, "SELECT COUNT(*) FROM teams WHERE deleteat = 0", &[]).await
}

/// Active accounts that are not bots, members of `team` when named (Mattermost's
/// `User().Count` with default options).
pub async fn active_user_count(store: &Store, team: Option<&str>) -> Result<i64> {
    let member = match team {
        None => "",
        Some(_) => {
            "JOIN teammembers tm ON tm.userid = u.id AND tm.teamid = $1 AND tm.deleteat = 0 "
        }
    };
    let sql = format!(
        "SELECT COUNT(*) FROM users u {member}WHERE u.deleteat = 0 \
         AND NOT EXISTS (SELECT 1 FROM bots b WHERE b.userid = u.id)"
    );
    one_count(store, &sql, &binds(team, &[])).await
}

/// Deactivated accounts (`AnalyticsGetInactiveUsersCount`).
pub async fn inactive_user_count(store: &Store) -> Result<i64> {
    one_count(store, "SELECT COUNT(*) FROM users WHERE deleteat > 0", &[]).await
}

/// Active accounts, not bots, whose status shows activity after `since`
/// (`AnalyticsActiveCount`: the `status` table's `lastactivityat`).
pub async fn active_since(store: &Store, since: i64) -> Result<i64> {
    let sql = "SELECT COUNT(*) FROM status s JOIN users u ON u.id = s.userid \
         WHERE s.lastactivityat > $1 AND u.deleteat = 0 \
         AND NOT EXISTS (SELECT 1 FROM bots b WHERE b.userid = s.userid)";
    one_count(store, sql, &[Bind::Int(since)]).await
}

/// Unexpired sessions (`AnalyticsSessionCount`).
pub async fn session_count(store: &Store, now: i64) -> Result<i64> {
    let sql = "SELECT COUNT(*) FROM sessions WHERE expiresat > $1";
    one_count(store, sql, &[Bind::Int(now)]).await
}

/// Open connections of the writer's pool and of the readers' pool (`TotalMasterDbConnections`,
/// `TotalReadDbConnections`; PostgreSQL has no separate readers, so 0).
pub fn connection_counts(store: &Store) -> (i64, i64) {
    match &store.db {
        crate::db::Db::Sqlite { read, write } => (i64::from(write.size()), i64::from(read.size())),
        crate::db::Db::Postgres(pool) => (i64::from(pool.size()), 0),
    }
}

/// One user's posts over a report's date range (Mattermost's `UserPostStats`, from its
/// `poststats` view): their last post's time, the days they posted, their posts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserPostStats {
    pub user_id: String,
    pub last_post_at: i64,
    pub days_active: i64,
    pub total_posts: i64,
}

/// The post statistics of `user_ids` over the computed days in `[from, to)` (no end: `None`).
pub async fn user_post_stats(
    store: &Store,
    user_ids: &[String],
    from: i64,
    to: Option<i64>,
) -> Result<Vec<UserPostStats>> {
    if user_ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut binds = vec![
        crate::db::Bind::Int(from),
        crate::db::Bind::Int(to.unwrap_or(i64::MAX)),
    ];
    let mut placeholders = Vec::with_capacity(user_ids.len());
    for id in user_ids {
        binds.push(crate::db::Bind::Text(id.clone()));
        placeholders.push(format!("${}", binds.len()));
    }
    let sql = format!(
        "SELECT userid, MAX(lastpostat), COUNT(DISTINCT day), CAST(SUM(posts) AS BIGINT) \
         FROM utmost_analytics_posts WHERE day >= $1 AND day < $2 AND userid IN ({}) \
         GROUP BY userid",
        placeholders.join(", ")
    );
    let rows = crate::db::query_rows::<(String, i64, i64, i64), (String, i64, i64, i64)>(
        store, &sql, &binds,
    )
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(user_id, last_post_at, days_active, total_posts)| UserPostStats {
                user_id,
                last_post_at,
                days_active,
                total_posts,
            },
        )
        .collect())
}
