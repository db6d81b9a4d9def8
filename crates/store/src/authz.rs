//! The membership facts permission checks need, in one round trip each.

use crate::db::read;
use crate::{Result, Store};

/// A user's membership in a team: explicit roles and scheme flags.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MemberRoles {
    pub roles: Option<String>,
    pub schemeguest: Option<bool>,
    pub schemeuser: Option<bool>,
    pub schemeadmin: Option<bool>,
}

/// The live team membership of `user_id` in `team_id`.
pub async fn team_member_roles(
    store: &Store,
    team_id: &str,
    user_id: &str,
) -> Result<Option<MemberRoles>> {
    let sql = "SELECT roles, schemeguest, schemeuser, schemeadmin FROM teammembers \
               WHERE teamid = $1 AND userid = $2 AND deleteat = 0";
    Ok(read!(store, |p| sqlx::query_as(sql)
        .bind(team_id)
        .bind(user_id)
        .fetch_optional(p)
        .await)?)
}

/// The channel membership of `user_id` in `channel_id`, with the channel's team id.
pub async fn channel_member_roles(
    store: &Store,
    channel_id: &str,
    user_id: &str,
) -> Result<Option<MemberRoles>> {
    let sql = "SELECT roles, schemeguest, schemeuser, schemeadmin FROM channelmembers \
               WHERE channelid = $1 AND userid = $2";
    Ok(read!(store, |p| sqlx::query_as(sql)
        .bind(channel_id)
        .bind(user_id)
        .fetch_optional(p)
        .await)?)
}

/// The team a channel belongs to ("" for DMs and GMs), or None when there is no such channel.
pub async fn channel_team_id(store: &Store, channel_id: &str) -> Result<Option<String>> {
    let sql = "SELECT teamid FROM channels WHERE id = $1";
    let v: Option<Option<String>> = read!(store, |p| sqlx::query_scalar(sql)
        .bind(channel_id)
        .fetch_optional(p)
        .await)?;
    Ok(v.map(Option::unwrap_or_default))
}

/// The channels and teams a user belongs to, for routing real-time events.
pub async fn memberships(store: &Store, user_id: &str) -> Result<(Vec<String>, Vec<String>)> {
    let channels: Vec<String> = read!(store, |p| sqlx::query_scalar(
        "SELECT channelid FROM channelmembers WHERE userid = $1"
    )
    .bind(user_id)
    .fetch_all(p)
    .await)?;
    let teams: Vec<String> = read!(store, |p| sqlx::query_scalar(
        "SELECT teamid FROM teammembers WHERE userid = $1 AND deleteat = 0"
    )
    .bind(user_id)
    .fetch_all(p)
    .await)?;
    Ok((channels, teams))
}
