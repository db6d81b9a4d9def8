//! Channel members: reads, role and notify-prop updates, and marking channels viewed.

use super::rows::{
    placeholders, query_members, Bind, MemberWithTeamRow, SELECT_MEMBERS, SELECT_MEMBERS_WITH_TEAM,
};
use crate::db::{execute, read, transaction};
use crate::types::Json;
use crate::{Result, Store};
use std::collections::BTreeMap;
use utmost_model::channel::{ChannelMember, ChannelMemberWithTeamData};

pub async fn member(
    store: &Store,
    channel_id: &str,
    user_id: &str,
) -> Result<Option<ChannelMember>> {
    let sql = format!("{SELECT_MEMBERS} WHERE cm.channelid = $1 AND cm.userid = $2");
    let binds = [Bind::Str(channel_id), Bind::Str(user_id)];
    Ok(query_members(store, &sql, &binds).await?.pop())
}

/// A page of a channel's members, in a stable order.
pub async fn members_page(
    store: &Store,
    channel_id: &str,
    limit: i64,
    offset: i64,
) -> Result<Vec<ChannelMember>> {
    let sql =
        format!("{SELECT_MEMBERS} WHERE cm.channelid = $1 ORDER BY cm.userid LIMIT $2 OFFSET $3");
    let binds = [Bind::Str(channel_id), Bind::Int(limit), Bind::Int(offset)];
    query_members(store, &sql, &binds).await
}

/// The memberships of `user_ids` in a channel (users who are not members are left out).
pub async fn members_by_ids(
    store: &Store,
    channel_id: &str,
    user_ids: &[String],
) -> Result<Vec<ChannelMember>> {
    if user_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "{SELECT_MEMBERS} WHERE cm.channelid = $1 AND cm.userid IN ({}) ORDER BY cm.userid",
        placeholders(2, user_ids.len())
    );
    let mut binds = vec![Bind::Str(channel_id)];
    binds.extend(user_ids.iter().map(|id| Bind::Str(id)));
    query_members(store, &sql, &binds).await
}

/// A user's memberships in a team's channels and in their DMs and GMs.
pub async fn members_for_user_in_team(
    store: &Store,
    team_id: &str,
    user_id: &str,
) -> Result<Vec<ChannelMember>> {
    let sql = format!(
        "{SELECT_MEMBERS} JOIN channels c ON c.id = cm.channelid \
         WHERE cm.userid = $1 AND (c.teamid = $2 OR c.teamid = '') ORDER BY cm.channelid"
    );
    query_members(store, &sql, &[Bind::Str(user_id), Bind::Str(team_id)]).await
}

/// A page of all of a user's memberships across teams, each with its team's names.
pub async fn members_for_user(
    store: &Store,
    user_id: &str,
    limit: i64,
    offset: i64,
) -> Result<Vec<ChannelMemberWithTeamData>> {
    let sql = format!(
        "{SELECT_MEMBERS_WITH_TEAM} WHERE cm.userid = $1 ORDER BY cm.channelid \
         LIMIT $2 OFFSET $3"
    );
    let rows: Vec<MemberWithTeamRow> = read!(store, |p| sqlx::query_as(&sql)
        .bind(user_id)
        .bind(limit)
        .bind(offset)
        .fetch_all(p)
        .await)?;
    Ok(rows.into_iter().map(Into::into).collect())
}

/// Rewrites a member's explicit roles and scheme flags; false when there is no such member.
pub async fn update_member_roles(store: &Store, m: &ChannelMember, at: i64) -> Result<bool> {
    let n = execute!(
        store,
        "UPDATE channelmembers SET roles = $1, schemeguest = $2, schemeuser = $3, \
         schemeadmin = $4, lastupdateat = $5 WHERE channelid = $6 AND userid = $7",
        &m.explicit_roles,
        m.scheme_guest,
        m.scheme_user,
        m.scheme_admin,
        at,
        &m.channel_id,
        &m.user_id
    )?;
    Ok(n > 0)
}

/// Merges `props` into a member's notify props (keys not given keep their value);
/// false when there is no such member.
pub async fn merge_notify_props(
    store: &Store,
    channel_id: &str,
    user_id: &str,
    props: &BTreeMap<String, String>,
    at: i64,
) -> Result<bool> {
    let select = "SELECT notifyprops FROM channelmembers WHERE channelid = $1 AND userid = $2";
    let update = "UPDATE channelmembers SET notifyprops = $1, lastupdateat = $2 \
                  WHERE channelid = $3 AND userid = $4";
    transaction!(store, |tx| {
        let current: Option<Option<Json<BTreeMap<String, String>>>> = sqlx::query_scalar(select)
            .bind(channel_id)
            .bind(user_id)
            .fetch_optional(&mut *tx)
            .await?;
        match current {
            None => false,
            Some(current) => {
                let mut merged = current.map(|j| j.0).unwrap_or_default();
                merged.extend(props.iter().map(|(k, v)| (k.clone(), v.clone())));
                sqlx::query(update)
                    .bind(Json(&merged))
                    .bind(at)
                    .bind(channel_id)
                    .bind(user_id)
                    .execute(&mut *tx)
                    .await?;
                true
            }
        }
    })
}

/// Marks channels read for a user (`UpdateLastViewedAt`): the member's message counts catch
/// up with the channel's, mention counts drop to zero, and `lastviewedat`/`lastupdateat`
/// become the channel's `lastpostat` unless already later. Returns the `lastpostat` of each
/// listed channel the user is a member of; other channels are left out, so naming someone
/// else's private channel or DM tells nothing about its activity (Mattermost answers for
/// every existing channel).
pub async fn mark_viewed(
    store: &Store,
    user_id: &str,
    channel_ids: &[String],
) -> Result<Vec<(String, i64)>> {
    if channel_ids.is_empty() {
        return Ok(Vec::new());
    }
    let select = format!(
        "SELECT c.id, COALESCE(c.lastpostat, 0), COALESCE(c.totalmsgcount, 0), \
         COALESCE(c.totalmsgcountroot, 0) FROM channels c \
         JOIN channelmembers cm ON cm.channelid = c.id AND cm.userid = $1 \
         WHERE c.id IN ({})",
        placeholders(2, channel_ids.len())
    );
    let update = "UPDATE channelmembers SET mentioncount = 0, mentioncountroot = 0, \
        urgentmentioncount = 0, \
        msgcount = CASE WHEN COALESCE(msgcount, 0) > $1 THEN msgcount ELSE $1 END, \
        msgcountroot = CASE WHEN COALESCE(msgcountroot, 0) > $2 THEN msgcountroot ELSE $2 END, \
        lastviewedat = CASE WHEN COALESCE(lastviewedat, 0) > $3 THEN lastviewedat ELSE $3 END, \
        lastupdateat = CASE WHEN COALESCE(lastviewedat, 0) > $3 THEN lastviewedat ELSE $3 END \
        WHERE channelid = $4 AND userid = $5";
    transaction!(store, |tx| {
        let mut q = sqlx::query_as::<_, (String, i64, i64, i64)>(&select).bind(user_id);
        for id in channel_ids {
            q = q.bind(id);
        }
        let channels = q.fetch_all(&mut *tx).await?;
        for (id, last_post_at, total, total_root) in &channels {
            sqlx::query(update)
                .bind(total)
                .bind(total_root)
                .bind(last_post_at)
                .bind(id)
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
        }
        channels
            .into_iter()
            .map(|(id, last_post_at, _, _)| (id, last_post_at))
            .collect()
    })
}
