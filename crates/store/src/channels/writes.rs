//! Writes that keep `channels`, the `publicchannels` mirror of open channels, the members
//! and their join/leave history consistent, each in one transaction.

use crate::db::{for_each_connection, transaction};
use crate::types::{ChannelType, Json};
use crate::{Result, Store};
use utmost_model::channel::{Channel, ChannelMember, CHANNEL_OPEN};

const INSERT_CHANNEL: &str = "INSERT INTO channels (id, createat, updateat, deleteat, teamid, \
    type, displayname, name, header, purpose, lastpostat, totalmsgcount, extraupdateat, \
    creatorid, schemeid, groupconstrained, shared, totalmsgcountroot, lastrootpostat) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, \
    $19) ON CONFLICT (name, teamid) DO NOTHING";

const UPDATE_CHANNEL: &str = "UPDATE channels SET updateat = $1, deleteat = $2, teamid = $3, \
    type = $4, displayname = $5, name = $6, header = $7, purpose = $8, schemeid = $9, \
    groupconstrained = $10, shared = $11 WHERE id = $12";

const UPSERT_PUBLIC: &str = "INSERT INTO publicchannels (id, deleteat, teamid, displayname, \
    name, header, purpose) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO UPDATE SET \
    deleteat = excluded.deleteat, teamid = excluded.teamid, displayname = excluded.displayname, \
    name = excluded.name, header = excluded.header, purpose = excluded.purpose";

const DELETE_PUBLIC: &str = "DELETE FROM publicchannels WHERE id = $1";

const INSERT_MEMBER: &str = "INSERT INTO channelmembers (channelid, userid, roles, \
    lastviewedat, msgcount, mentioncount, notifyprops, lastupdateat, schemeuser, schemeadmin, \
    schemeguest, mentioncountroot, msgcountroot, urgentmentioncount) VALUES ($1, $2, $3, $4, \
    $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) ON CONFLICT (channelid, userid) DO NOTHING";

const LOG_JOIN: &str = "INSERT INTO channelmemberhistory (channelid, userid, jointime) \
    VALUES ($1, $2, $3) ON CONFLICT (channelid, userid, jointime) DO NOTHING";

/// The steps channel writes share inside their transaction.
trait ChannelSteps {
    /// Brings the `publicchannels` mirror in line with `c`: upserted for an open channel,
    /// removed otherwise.
    async fn sync_public_mirror(&mut self, c: &Channel) -> Result<()>;

    /// Inserts `m` unless it exists, logging the join at `at`; true when a row was added.
    async fn insert_member(&mut self, m: &ChannelMember, at: i64) -> Result<bool>;
}

for_each_connection!(impl ChannelSteps {
    async fn sync_public_mirror(&mut self, c: &Channel) -> Result<()> {
        if c.channel_type == CHANNEL_OPEN {
            sqlx::query(UPSERT_PUBLIC)
                .bind(&c.id)
                .bind(c.delete_at)
                .bind(&c.team_id)
                .bind(&c.display_name)
                .bind(&c.name)
                .bind(&c.header)
                .bind(&c.purpose)
                .execute(&mut *self)
                .await?;
        } else {
            sqlx::query(DELETE_PUBLIC)
                .bind(&c.id)
                .execute(&mut *self)
                .await?;
        }
        Ok(())
    }

    async fn insert_member(&mut self, m: &ChannelMember, at: i64) -> Result<bool> {
        let added = sqlx::query(INSERT_MEMBER)
            .bind(&m.channel_id)
            .bind(&m.user_id)
            .bind(&m.explicit_roles)
            .bind(m.last_viewed_at)
            .bind(m.msg_count)
            .bind(m.mention_count)
            .bind(Json(&m.notify_props))
            .bind(at)
            .bind(m.scheme_user)
            .bind(m.scheme_admin)
            .bind(m.scheme_guest)
            .bind(m.mention_count_root)
            .bind(m.msg_count_root)
            .bind(m.urgent_mention_count)
            .execute(&mut *self)
            .await?
            .rows_affected()
            > 0;
        if added {
            sqlx::query(LOG_JOIN)
                .bind(&m.channel_id)
                .bind(&m.user_id)
                .bind(at)
                .execute(&mut *self)
                .await?;
        }
        Ok(added)
    }
});

/// What saving a new channel came to.
#[derive(Debug, Clone, PartialEq)]
pub enum Saved {
    Created,
    /// A channel of that name already exists in the team (for DMs and GMs: between those
    /// users); nothing was written.
    NameTaken,
    /// The team already has `max` live public and private channels; nothing was written.
    LimitExceeded,
}

/// Saves a new channel with its first members. `max_per_team` caps the team's live public
/// and private channels (Mattermost's `Save` check), for team channels only.
pub async fn create(
    store: &Store,
    channel: &Channel,
    members: &[ChannelMember],
    max_per_team: Option<i64>,
) -> Result<Saved> {
    let at = channel.create_at;
    transaction!(store, |tx| {
        if let Some(max) = max_per_team {
            let live: i64 = sqlx::query_scalar(
                "SELECT CAST(COUNT(*) AS BIGINT) FROM channels \
                 WHERE teamid = $1 AND deleteat = 0 AND type IN ('O', 'P')",
            )
            .bind(&channel.team_id)
            .fetch_one(&mut *tx)
            .await?;
            if live >= max {
                return Ok(Saved::LimitExceeded);
            }
        }
        let inserted = sqlx::query(INSERT_CHANNEL)
            .bind(&channel.id)
            .bind(channel.create_at)
            .bind(channel.update_at)
            .bind(channel.delete_at)
            .bind(&channel.team_id)
            .bind(ChannelType::from(channel.channel_type.as_str()))
            .bind(&channel.display_name)
            .bind(&channel.name)
            .bind(&channel.header)
            .bind(&channel.purpose)
            .bind(channel.last_post_at)
            .bind(channel.total_msg_count)
            .bind(channel.extra_update_at)
            .bind(&channel.creator_id)
            .bind(channel.scheme_id.as_deref())
            .bind(channel.group_constrained)
            .bind(channel.shared)
            .bind(channel.total_msg_count_root)
            .bind(channel.last_root_post_at)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if inserted == 0 {
            return Ok(Saved::NameTaken);
        }
        if channel.channel_type == CHANNEL_OPEN {
            tx.sync_public_mirror(channel).await?;
        }
        for m in members {
            tx.insert_member(m, at).await?;
        }
        Saved::Created
    })
}

/// Rewrites a channel's own fields (not its counters) and brings the public mirror in line:
/// an open channel is upserted there, any other type removed (privacy conversion).
/// Returns false when there is no such channel; a taken name is `Conflict`.
pub async fn update(store: &Store, c: &Channel) -> Result<bool> {
    transaction!(store, |tx| {
        let n = sqlx::query(UPDATE_CHANNEL)
            .bind(c.update_at)
            .bind(c.delete_at)
            .bind(&c.team_id)
            .bind(ChannelType::from(c.channel_type.as_str()))
            .bind(&c.display_name)
            .bind(&c.name)
            .bind(&c.header)
            .bind(&c.purpose)
            .bind(c.scheme_id.as_deref())
            .bind(c.group_constrained)
            .bind(c.shared)
            .bind(&c.id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if n > 0 {
            tx.sync_public_mirror(c).await?;
        }
        n > 0
    })
}

/// Adds a member unless they already are one; true when a row was added.
pub async fn add_member(store: &Store, member: &ChannelMember, at: i64) -> Result<bool> {
    transaction!(store, |tx| tx.insert_member(member, at).await?)
}

const LOG_LEAVE: &str = "UPDATE channelmemberhistory SET leavetime = $1 \
    WHERE userid = $2 AND leavetime IS NULL AND channelid";

/// Deletes `$1` user's thread memberships in the threads of the channels `$2`… names
/// (Mattermost's `DeleteMembershipsForChannel`): who rejoins starts with no followed threads.
const FORGET_THREADS: &str = "DELETE FROM threadmemberships WHERE userid = $1 \
    AND postid IN (SELECT t.postid FROM threads t WHERE t.channelid";

/// Removes a member and closes their join-history row; false when they were not a member.
/// The channel leaves the member's sidebar categories and their thread memberships in it go.
pub async fn remove_member(
    store: &Store,
    channel_id: &str,
    user_id: &str,
    at: i64,
) -> Result<bool> {
    transaction!(store, |tx| {
        let n = sqlx::query("DELETE FROM channelmembers WHERE channelid = $1 AND userid = $2")
            .bind(channel_id)
            .bind(user_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        sqlx::query(&format!("{LOG_LEAVE} = $3"))
            .bind(at)
            .bind(user_id)
            .bind(channel_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM sidebarchannels WHERE channelid = $1 AND userid = $2")
            .bind(channel_id)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(&format!("{FORGET_THREADS} = $2)"))
            .bind(user_id)
            .bind(channel_id)
            .execute(&mut *tx)
            .await?;
        n > 0
    })
}

/// Removes a user from every channel of a team (a team's channels never include DMs/GMs).
pub async fn remove_user_from_team_channels(
    store: &Store,
    team_id: &str,
    user_id: &str,
    at: i64,
) -> Result<()> {
    let team_channels = "IN (SELECT id FROM channels WHERE teamid = $3)";
    transaction!(store, |tx| {
        sqlx::query(&format!("{LOG_LEAVE} {team_channels}"))
            .bind(at)
            .bind(user_id)
            .bind(team_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "DELETE FROM channelmembers WHERE userid = $1 \
             AND channelid IN (SELECT id FROM channels WHERE teamid = $2)",
        )
        .bind(user_id)
        .bind(team_id)
        .execute(&mut *tx)
        .await?;
        sqlx::query(&format!(
            "{FORGET_THREADS} IN (SELECT id FROM channels WHERE teamid = $2))"
        ))
        .bind(user_id)
        .bind(team_id)
        .execute(&mut *tx)
        .await?;
    })
}

/// Deletes a channel for good, with its posts, members, sidebar entries and mirror row
/// (the join/leave history stays, for compliance exports).
pub async fn permanent_delete(store: &Store, channel_id: &str) -> Result<()> {
    // The channel row first: the lock order of `transaction!`.
    const STATEMENTS: [&str; 5] = [
        "DELETE FROM channels WHERE id = $1",
        "DELETE FROM publicchannels WHERE id = $1",
        "DELETE FROM posts WHERE channelid = $1",
        "DELETE FROM channelmembers WHERE channelid = $1",
        "DELETE FROM sidebarchannels WHERE channelid = $1",
    ];
    transaction!(store, |tx| {
        for sql in STATEMENTS {
            sqlx::query(sql).bind(channel_id).execute(&mut *tx).await?;
        }
    })
}
