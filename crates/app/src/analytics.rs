//! The System Console's statistics (Mattermost's `app/analytics.go`): `GET /analytics/old`'s
//! rows for each `name`, and the `analytics` service that keeps the daily post aggregates
//! (`store::analytics`, migration 0029) those rows are read from.
//!
//! Post counts are the sum of the computed days (before the watermark, the day after the last
//! computed one) and a live count over `idx_posts_create_at` from the watermark on, so a
//! statistic costs a read of one row per day whatever the number of posts. The per-day series
//! cover the completed days before today, as Mattermost's do; days are UTC days (Mattermost
//! uses the database server's time zone).
//!
//! A computed day can change afterwards: a post deleted for good (data retention, permanent
//! deletion), an edit (which moves `updateat`), a back-dated import. The service checks each
//! tick the last `RECENT_DAYS` days and the `VERIFY_PER_TICK` days verified longest ago
//! against their live checksum (post count, newest `updateat`) and computes again a day that
//! differs, so an older day's drift lasts at most one verification cycle (days ÷
//! `VERIFY_PER_TICK` ticks).

use crate::services::{Run, Service, Stop, Ticks};
use crate::{App, AppResult};
use serde::Serialize;
use std::sync::Weak;
use std::time::Duration;
use utmost_store::analytics::{self as store, day_of, DailySeries, PostKind, DAY};

pub mod reports;

/// Mattermost's `DayMilliseconds`.
pub const DAY_MILLISECONDS: i64 = DAY;
/// Mattermost's `MonthMilliseconds` (31 days).
pub const MONTH_MILLISECONDS: i64 = 31 * DAY;

/// How often the service looks for days to compute and verify.
pub const INTERVAL: Duration = Duration::from_secs(10 * 60);
/// While days remain to be computed, the service comes back after this instead.
const CATCH_UP_INTERVAL: Duration = Duration::from_secs(1);
/// Days computed per tick at most.
const DAYS_PER_TICK: usize = 64;
/// The days verified every tick, counted back from yesterday.
const RECENT_DAYS: i64 = 7;
/// Older days verified per tick, the longest unverified first.
pub const VERIFY_PER_TICK: i64 = 32;
/// Rows of a per-day series (Mattermost's `LIMIT 30`).
const DAILY_ROWS: usize = 30;

/// One row of `/analytics/old` (`model.AnalyticsRow`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AnalyticsRow {
    pub name: String,
    pub value: i64,
}

fn row(name: &str, value: i64) -> AnalyticsRow {
    AnalyticsRow {
        name: name.to_string(),
        value,
    }
}

/// The rows of `name` (`standard`, `post_counts_day`, `bot_post_counts_day`,
/// `user_counts_with_posts_day`, `extra_counts`) for the whole site or `team_id`'s team;
/// `None` for a name Mattermost does not serve. The caller checked `get_analytics`.
pub async fn get(
    app: &App,
    name: &str,
    team_id: Option<&str>,
) -> AppResult<Option<Vec<AnalyticsRow>>> {
    let now = utmost_model::now_millis();
    let watermark = watermark(app).await?;
    // Mattermost answers -1 for the statistics it calls intensive (posts with files or
    // hashtags, posters per day) above `AnalyticsSettings.MaxUsersForStatistics` accounts,
    // since it counts them over every post; from the daily aggregates they cost no more than
    // the others, so Utmost always answers them.
    let rows = match name {
        "standard" => standard(app, team_id, watermark, now).await?,
        "post_counts_day" => daily(app, team_id, DailySeries::Posts, watermark, now).await?,
        "bot_post_counts_day" => daily(app, team_id, DailySeries::BotPosts, watermark, now).await?,
        "user_counts_with_posts_day" => {
            daily(app, team_id, DailySeries::Posters, watermark, now).await?
        }
        "extra_counts" => extra(app, team_id, watermark, now).await?,
        _ => return Ok(None),
    };
    Ok(Some(rows))
}

/// The first millisecond not covered by the computed days: the day after the last one, or
/// 0 when none is computed yet (everything is counted live).
async fn watermark(app: &App) -> AppResult<i64> {
    Ok(store::computed_range(&app.store)
        .await?
        .map_or(0, |(_, last)| last + DAY))
}

async fn standard(
    app: &App,
    team_id: Option<&str>,
    watermark: i64,
    now: i64,
) -> AppResult<Vec<AnalyticsRow>> {
    let channels = store::channel_counts(&app.store, team_id).await?;
    let of_type = |t: &str| {
        channels
            .iter()
            .find(|(ty, _)| ty == t)
            .map_or(0, |(_, n)| *n)
    };
    let posts = store::post_count(&app.store, team_id, PostKind::All, watermark).await?;
    let (unique_users, inactive) = match team_id {
        None => (
            store::active_user_count(&app.store, None).await?,
            store::inactive_user_count(&app.store).await?,
        ),
        Some(team) => (store::active_user_count(&app.store, Some(team)).await?, -1),
    };
    let teams = store::team_count(&app.store).await?;
    let sockets = app.hub.stats().await.live_connections as i64;
    let (master, read) = store::connection_counts(&app.store);
    let daily_active = store::active_since(&app.store, now - DAY_MILLISECONDS).await?;
    let monthly_active = store::active_since(&app.store, now - MONTH_MILLISECONDS).await?;
    Ok(vec![
        row("channel_open_count", of_type("O")),
        row("channel_private_count", of_type("P")),
        row("post_count", posts),
        row("unique_user_count", unique_users),
        row("team_count", teams),
        row("total_websocket_connections", sockets),
        row("total_master_db_connections", master),
        row("total_read_db_connections", read),
        row("daily_active_users", daily_active),
        row("monthly_active_users", monthly_active),
        row("inactive_user_count", inactive),
    ])
}

/// A per-day series over the 32 completed days before today (Mattermost's window: from the
/// start of the day 31 days before yesterday to the end of yesterday), newest first, at most
/// 30 rows, the days without posts left out. Computed days come from the aggregates, the
/// others (the service has not reached them yet) are counted live.
async fn daily(
    app: &App,
    team_id: Option<&str>,
    series: DailySeries,
    watermark: i64,
    now: i64,
) -> AppResult<Vec<AnalyticsRow>> {
    let today = day_of(now);
    let from = today - 32 * DAY;
    let mut days =
        store::daily_from_aggregates(&app.store, team_id, series, from, watermark.min(today))
            .await?;
    if watermark < today {
        let live_from = watermark.max(from);
        days.extend(store::daily_live(&app.store, team_id, series, live_from, today).await?);
    }
    days.retain(|(_, value)| *value > 0);
    days.sort_by_key(|(day, _)| std::cmp::Reverse(*day));
    days.truncate(DAILY_ROWS);
    Ok(days
        .into_iter()
        .map(|(day, value)| AnalyticsRow {
            name: date_name(day),
            value,
        })
        .collect())
}

async fn extra(
    app: &App,
    team_id: Option<&str>,
    watermark: i64,
    now: i64,
) -> AppResult<Vec<AnalyticsRow>> {
    let files = store::post_count(&app.store, team_id, PostKind::WithFiles, watermark).await?;
    let hashtags =
        store::post_count(&app.store, team_id, PostKind::WithHashtags, watermark).await?;
    let sessions = store::session_count(&app.store, now).await?;
    // Utmost has no incoming or outgoing webhooks and no custom slash commands yet.
    Ok(vec![
        row("file_post_count", files),
        row("hashtag_post_count", hashtags),
        row("incoming_webhook_count", 0),
        row("outgoing_webhook_count", 0),
        row("command_count", 0),
        row("session_count", sessions),
    ])
}

/// `YYYY-MM-DD` of the UTC day starting at `day`.
pub fn date_name(day: i64) -> String {
    let (year, month, date, _) = utmost_model::time::utc_date(day.div_euclid(1000));
    format!("{year:04}-{month:02}-{date:02}")
}

/// What one pass of the service did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Pass {
    /// Days computed for the first time.
    pub computed: usize,
    /// Computed days found changed and computed again.
    pub recomputed: usize,
    /// Days found unchanged.
    pub verified: usize,
    /// Days still to compute (the next pass comes sooner).
    pub remaining: usize,
}

/// One pass of the `analytics` service at `now`: computes up to `DAYS_PER_TICK` completed
/// days not computed yet (after the last computed day, then before the first, when older
/// posts were imported), then verifies the recent days and the longest unverified ones.
pub async fn run_once(app: &App, now: i64) -> AppResult<Pass> {
    let mut pass = Pass::default();
    let today = day_of(now);
    let Some(oldest) = store::oldest_post_at(&app.store).await? else {
        return Ok(pass);
    };
    let oldest_day = day_of(oldest).min(today);
    let missing: Vec<i64> = match store::computed_range(&app.store).await? {
        None => (0..)
            .map(|i| oldest_day + i * DAY)
            .take_while(|d| *d < today)
            .collect(),
        Some((first, last)) => {
            let after = (1..).map(|i| last + i * DAY).take_while(|d| *d < today);
            let before = (1..)
                .map(|i| first - i * DAY)
                .take_while(|d| *d >= oldest_day);
            after.chain(before).collect()
        }
    };
    for day in missing.iter().take(DAYS_PER_TICK) {
        store::aggregate_day(&app.store, *day, now).await?;
        pass.computed += 1;
    }
    pass.remaining = missing.len().saturating_sub(DAYS_PER_TICK);

    let mut to_verify = store::computed_since(&app.store, today - RECENT_DAYS * DAY).await?;
    for day in store::least_recently_verified(&app.store, VERIFY_PER_TICK).await? {
        if !to_verify.iter().any(|d| d.day == day.day) {
            to_verify.push(day);
        }
    }
    for day in to_verify {
        let (posts, max_update_at) = store::live_checksum(&app.store, day.day).await?;
        if posts == day.posts && max_update_at == day.maxupdateat {
            store::mark_verified(&app.store, day.day, now).await?;
            pass.verified += 1;
        } else {
            store::aggregate_day(&app.store, day.day, now).await?;
            pass.recomputed += 1;
        }
    }
    Ok(pass)
}

/// The `analytics` service: every `INTERVAL` (every second while days remain to compute),
/// one `run_once`. Each day is computed in one transaction, so two nodes running it compute
/// the same rows; it needs no lease.
pub(crate) struct Analytics {
    pub app: Weak<App>,
}

impl Service for Analytics {
    fn name(&self) -> &'static str {
        "analytics"
    }

    fn run(self: Box<Self>, mut stop: Stop) -> Run {
        Box::pin(async move {
            let mut ticks = Ticks::every(INTERVAL);
            let mut behind = false;
            loop {
                let app = if behind {
                    tokio::select! {
                        () = stop.requested() => return,
                        () = tokio::time::sleep(CATCH_UP_INTERVAL) => self.app.upgrade(),
                    }
                } else {
                    ticks.next_led(&mut stop, &self.app).await
                };
                let Some(app) = app else { return };
                // Leader-only (see `leader`): a node that stopped leading while catching up
                // leaves the rest to the new leader.
                if !app.is_leader() {
                    behind = false;
                    continue;
                }
                match run_once(&app, utmost_model::now_millis()).await {
                    Ok(pass) => {
                        behind = pass.remaining > 0;
                        if pass.computed + pass.recomputed > 0 {
                            tracing::debug!(?pass, "analytics days computed");
                        }
                    }
                    Err(e) => {
                        behind = false;
                        tracing::error!(error = %e.id, "computing the analytics days failed");
                    }
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_utc_days() {
        assert_eq!(date_name(0), "1970-01-01");
        assert_eq!(date_name(day_of(1_700_000_000_000)), "2023-11-14");
        assert_eq!(date_name(19_000 * DAY), "2022-01-08");
    }
}
