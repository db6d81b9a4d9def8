//! Data retention (Mattermost's Enterprise `DataRetentionInterface`): the global policy from
//! `DataRetentionSettings`, custom policies that keep chosen teams' and channels' posts for
//! their own number of days, and the deletion job (`job`) with its daily schedule
//! (`schedule`). A channel's policy overrides its team's, which overrides the global one.

pub mod job;
pub mod schedule;

use crate::errors::RetentionError;
use crate::{App, AppResult};
use std::sync::atomic::{AtomicI64, Ordering};
use utmost_model::channel::ChannelWithTeamData;
use utmost_model::retention::{
    GlobalRetentionPolicy, PolicyForChannel, PolicyForTeam, RetentionPolicy, RetentionPolicyPatch,
    RetentionPolicyWithCounts,
};
use utmost_model::team::Team;
use utmost_model::{is_valid_id, new_id, now_millis};
pub use utmost_store::retention::Members;
use utmost_store::{channels::AllChannelsSearch, retention as store};

const HOUR_MS: i64 = 3_600_000;
/// Mattermost's cap on a policy's display name.
const DISPLAY_NAME_MAX: usize = 64;
/// Most team or channel ids one request may add or remove.
pub const MAX_IDS: usize = 1000;

/// Where the deletion job takes "now" from: the system clock, unless a test fixed it.
#[derive(Debug, Default)]
pub struct Clock(AtomicI64);

impl Clock {
    pub fn now(&self) -> i64 {
        match self.0.load(Ordering::Relaxed) {
            0 => now_millis(),
            fixed => fixed,
        }
    }

    /// Fixes "now" at `millis` (0: the system clock again). For tests.
    pub fn set(&self, millis: i64) {
        self.0.store(millis, Ordering::Relaxed);
    }
}

/// `GET /data_retention/policy` at `now`: cutoffs are 0 when deletion is off.
pub fn global_policy(app: &App, now: i64) -> GlobalRetentionPolicy {
    let config = app.config();
    let s = &config.data_retention_settings;
    let cutoff = |on: bool, hours: i64| {
        if on {
            now - hours.saturating_mul(HOUR_MS)
        } else {
            0
        }
    };
    GlobalRetentionPolicy {
        message_deletion_enabled: s.enable_message_deletion,
        file_deletion_enabled: s.enable_file_deletion,
        message_retention_cutoff: cutoff(s.enable_message_deletion, s.message_retention_hours()),
        file_retention_cutoff: cutoff(s.enable_file_deletion, s.file_retention_hours()),
        boards_deletion_enabled: s.enable_boards_deletion,
        boards_retention_cutoff: cutoff(
            s.enable_boards_deletion,
            s.boards_retention_days.saturating_mul(24),
        ),
    }
}

pub async fn count(app: &App) -> AppResult<i64> {
    Ok(store::count(&app.store).await?)
}

/// A page of the custom policies and how many there are.
pub async fn page(
    app: &App,
    offset: i64,
    limit: i64,
) -> AppResult<(Vec<RetentionPolicyWithCounts>, i64)> {
    let policies = store::page(&app.store, offset, limit).await?;
    Ok((policies, store::count(&app.store).await?))
}

pub async fn get(app: &App, id: &str) -> AppResult<RetentionPolicyWithCounts> {
    Ok(store::get(&app.store, id)
        .await?
        .ok_or(RetentionError::PolicyNotFound)?)
}

/// `POST /data_retention/policies`.
pub async fn create(app: &App, body: RetentionPolicyPatch) -> AppResult<RetentionPolicyWithCounts> {
    let policy = RetentionPolicy {
        id: new_id(),
        display_name: body.display_name.unwrap_or_default(),
        post_duration: body
            .post_duration
            .ok_or(RetentionError::InvalidPostDuration)?,
    };
    check(&policy)?;
    let team_ids = body.team_ids.unwrap_or_default();
    let channel_ids = body.channel_ids.unwrap_or_default();
    check_known(app, Members::Teams, &team_ids).await?;
    check_known(app, Members::Channels, &channel_ids).await?;
    store::insert(&app.store, &policy, &team_ids, &channel_ids).await?;
    get(app, &policy.id).await
}

/// `PATCH /data_retention/policies/{id}`: the fields given replace the policy's.
pub async fn patch(
    app: &App,
    id: &str,
    body: RetentionPolicyPatch,
) -> AppResult<RetentionPolicyWithCounts> {
    let current = get(app, id).await?.policy;
    let policy = RetentionPolicy {
        display_name: body.display_name.unwrap_or(current.display_name),
        post_duration: body.post_duration.unwrap_or(current.post_duration),
        ..current
    };
    check(&policy)?;
    for (members, ids) in [
        (Members::Teams, &body.team_ids),
        (Members::Channels, &body.channel_ids),
    ] {
        check_known(app, members, ids.as_deref().unwrap_or_default()).await?;
    }
    let updated = store::update(
        &app.store,
        &policy,
        body.team_ids.as_deref(),
        body.channel_ids.as_deref(),
    )
    .await?;
    if !updated {
        return Err(RetentionError::PolicyNotFound.into());
    }
    get(app, id).await
}

pub async fn delete(app: &App, id: &str) -> AppResult<()> {
    if !store::delete(&app.store, id).await? {
        return Err(RetentionError::PolicyNotFound.into());
    }
    Ok(())
}

/// Adds teams or channels to the policy (taking them from any other).
pub async fn add(app: &App, id: &str, members: Members, ids: &[String]) -> AppResult<()> {
    get(app, id).await?;
    check_known(app, members, ids).await?;
    Ok(store::add(&app.store, id, members, ids).await?)
}

pub async fn remove(app: &App, id: &str, members: Members, ids: &[String]) -> AppResult<()> {
    get(app, id).await?;
    Ok(store::remove(&app.store, id, members, ids).await?)
}

/// A page of the policy's teams whose names contain `term` (empty: all), and the total.
pub async fn teams(
    app: &App,
    id: &str,
    term: &str,
    offset: i64,
    limit: i64,
) -> AppResult<(Vec<Team>, i64)> {
    get(app, id).await?;
    Ok(store::teams(&app.store, id, term, offset, limit).await?)
}

/// A page of the policy's channels whose names or purpose contain `term`, with their
/// teams' names, and the total.
pub async fn channels(
    app: &App,
    id: &str,
    term: &str,
    offset: i64,
    limit: i64,
) -> AppResult<(Vec<ChannelWithTeamData>, i64)> {
    get(app, id).await?;
    let search = AllChannelsSearch {
        term: term.to_string(),
        include_deleted: true,
        policy_id: Some(id.to_string()),
        limit,
        offset,
        ..AllChannelsSearch::default()
    };
    let (mut channels, total) = utmost_store::channels::search_all(&app.store, &search).await?;
    for c in &mut channels {
        c.channel.policy_id = Some(id.to_string());
    }
    Ok((channels, total))
}

pub async fn user_team_policies(
    app: &App,
    user_id: &str,
    offset: i64,
    limit: i64,
) -> AppResult<(Vec<PolicyForTeam>, i64)> {
    Ok(store::for_user_teams(&app.store, user_id, offset, limit).await?)
}

pub async fn user_channel_policies(
    app: &App,
    user_id: &str,
    offset: i64,
    limit: i64,
) -> AppResult<(Vec<PolicyForChannel>, i64)> {
    Ok(store::for_user_channels(&app.store, user_id, offset, limit).await?)
}

fn check(policy: &RetentionPolicy) -> AppResult<()> {
    let name = policy.display_name.trim();
    if name.is_empty() || name.chars().count() > DISPLAY_NAME_MAX {
        return Err(RetentionError::InvalidDisplayName.into());
    }
    // Below 0 keeps posts for ever; 0 would delete every post at the next run.
    if policy.post_duration == 0 {
        return Err(RetentionError::InvalidPostDuration.into());
    }
    Ok(())
}

/// `Err` naming the first of `ids` that is no team (or channel).
async fn check_known(app: &App, members: Members, ids: &[String]) -> AppResult<()> {
    if let Some(bad) = ids.iter().find(|id| !is_valid_id(id)) {
        return Err(RetentionError::NoSuchTeamOrChannel(bad.clone()).into());
    }
    match store::unknown(&app.store, members, ids)
        .await?
        .into_iter()
        .next()
    {
        Some(id) => Err(RetentionError::NoSuchTeamOrChannel(id).into()),
        None => Ok(()),
    }
}
