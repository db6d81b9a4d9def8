//! Channels, channel members, the `publicchannels` mirror and `channelmemberhistory`.
//!
//! Reads share one column list and row mapping per table; writes that touch several tables
//! (a channel with its mirror row, its first members and their join history) run in one
//! transaction so nothing is half-written.

mod lists;
mod members;
mod rows;
mod search;
mod words;
mod writes;

pub use lists::*;
pub use members::*;
pub use search::*;
pub use words::words_begin;
pub use writes::*;

use crate::db::read;
use crate::{Deleted, Result, Store};
use rows::{query_channels, Bind, SELECT_CHANNELS};
use utmost_model::channel::Channel;

pub async fn get(store: &Store, id: &str) -> Result<Option<Channel>> {
    let sql = format!("{SELECT_CHANNELS} WHERE c.id = $1");
    Ok(query_channels(store, &sql, &[Bind::Str(id)]).await?.pop())
}

/// By name within a team; DM and GM names are found from any team, as Mattermost does.
pub async fn get_by_name(
    store: &Store,
    team_id: &str,
    name: &str,
    deleted: Deleted,
) -> Result<Option<Channel>> {
    let sql = format!(
        "{SELECT_CHANNELS} WHERE (c.teamid = $1 OR c.teamid = '') AND c.name = $2{}",
        deleted.filter("c")
    );
    Ok(
        query_channels(store, &sql, &[Bind::Str(team_id), Bind::Str(name)])
            .await?
            .pop(),
    )
}

/// How many channels a team has, archived ones included (DMs never belong to a team);
/// the count Mattermost holds against `MaxChannelsPerTeam` before creating one.
pub async fn count_team_channels(store: &Store, team_id: &str) -> Result<i64> {
    let sql = "SELECT CAST(COUNT(*) AS BIGINT) FROM channels WHERE teamid = $1 AND type <> 'D'";
    Ok(read!(store, |p| sqlx::query_scalar::<_, i64>(sql)
        .bind(team_id)
        .fetch_one(p)
        .await)?)
}

/// A user's `timezone` column.
type Timezone = std::collections::BTreeMap<String, String>;

/// The timezone settings of a channel's active members (`GetChannelMembersTimezones`).
pub async fn member_timezones(store: &Store, channel_id: &str) -> Result<Vec<Timezone>> {
    let sql = "SELECT u.timezone FROM channelmembers cm JOIN users u ON u.id = cm.userid \
        WHERE cm.channelid = $1 AND u.deleteat = 0";
    let rows: Vec<(Option<sqlx::types::Json<Timezone>>,)> = read!(store, |p| sqlx::query_as(sql)
        .bind(channel_id)
        .fetch_all(p)
        .await)?;
    Ok(rows
        .into_iter()
        .map(|(tz,)| tz.map(|j| j.0).unwrap_or_default())
        .collect())
}

/// Member, guest, pinned-post and file counts of one channel, in one round trip.
pub async fn stats(store: &Store, channel_id: &str) -> Result<(i64, i64, i64, i64)> {
    let sql = "SELECT \
        (SELECT CAST(COUNT(*) AS BIGINT) FROM channelmembers cm JOIN users u ON u.id = cm.userid \
            WHERE cm.channelid = $1 AND u.deleteat = 0), \
        (SELECT CAST(COUNT(*) AS BIGINT) FROM channelmembers cm JOIN users u ON u.id = cm.userid \
            WHERE cm.channelid = $1 AND u.deleteat = 0 AND cm.schemeguest = $2), \
        (SELECT CAST(COUNT(*) AS BIGINT) FROM posts \
            WHERE channelid = $1 AND ispinned = $2 AND deleteat = 0), \
        (SELECT CAST(COUNT(*) AS BIGINT) FROM fileinfo WHERE channelid = $1 AND deleteat = 0)";
    Ok(read!(store, |p| sqlx::query_as(sql)
        .bind(channel_id)
        .bind(true)
        .fetch_one(p)
        .await)?)
}

/// A page of the live channels using scheme `scheme_id`, by display name.
pub async fn for_scheme_page(
    store: &Store,
    scheme_id: &str,
    limit: i64,
    offset: i64,
) -> Result<Vec<Channel>> {
    let sql = format!(
        "{SELECT_CHANNELS} WHERE c.schemeid = $1 AND c.deleteat = 0 \
         ORDER BY c.displayname, c.id LIMIT $2 OFFSET $3"
    );
    query_channels(
        store,
        &sql,
        &[Bind::Str(scheme_id), Bind::Int(limit), Bind::Int(offset)],
    )
    .await
}
