//! The system console's search of every team's public and private channels (Mattermost's
//! `SearchAllChannels`), one page at a time with the total.

use super::rows::{placeholders, query_channels, Bind, SELECT_CHANNELS};
use super::words::{word_filter, Fields, Listing};
use crate::db::query_rows;
use crate::{Result, Store};
use utmost_model::channel::{
    Channel, ChannelWithTeamData, DEFAULT_CHANNEL_NAME, OFF_TOPIC_CHANNEL_NAME,
};

/// What the search keeps.
#[derive(Debug, Clone, Default)]
pub struct AllChannelsSearch {
    /// Each word begins a word of the name, display name or purpose (case-insensitive);
    /// empty keeps all.
    pub term: String,
    /// Only channels of these teams (none: every team).
    pub team_ids: Vec<String>,
    /// Only public (`Some(true)`) or only private (`Some(false)`) channels.
    pub public: Option<bool>,
    pub exclude_default_channels: bool,
    pub include_deleted: bool,
    /// Only archived channels.
    pub deleted_only: bool,
    /// Only channels of this data retention policy.
    pub policy_id: Option<String>,
    /// Only channels no data retention policy names.
    pub exclude_policy_constrained: bool,
    pub limit: i64,
    pub offset: i64,
}

#[derive(sqlx::FromRow)]
struct TeamNames {
    id: String,
    displayname: Option<String>,
    name: Option<String>,
    updateat: Option<i64>,
}

/// The WHERE clause for `s` and its binds.
async fn conditions<'a>(
    store: &Store,
    s: &'a AllChannelsSearch,
) -> Result<(String, Vec<Bind<'a>>)> {
    let mut sql = String::from(" WHERE c.type IN ('O', 'P') AND c.teamid <> ''");
    let mut binds = Vec::new();
    if s.deleted_only {
        sql.push_str(" AND c.deleteat > 0");
    } else if !s.include_deleted {
        sql.push_str(" AND c.deleteat = 0");
    }
    match s.public {
        Some(true) => sql.push_str(" AND c.type = 'O'"),
        Some(false) => sql.push_str(" AND c.type = 'P'"),
        None => {}
    }
    if s.exclude_default_channels {
        sql.push_str(&format!(
            " AND c.name NOT IN ('{DEFAULT_CHANNEL_NAME}', '{OFF_TOPIC_CHANNEL_NAME}')"
        ));
    }
    if !s.team_ids.is_empty() {
        sql.push_str(&format!(
            " AND c.teamid IN ({})",
            placeholders(binds.len() + 1, s.team_ids.len())
        ));
        binds.extend(s.team_ids.iter().map(|id| Bind::Str(id)));
    }
    if let Some(policy_id) = &s.policy_id {
        sql.push_str(&format!(
            " AND c.id IN (SELECT channelid FROM retentionpolicieschannels WHERE policyid = ${})",
            binds.len() + 1
        ));
        binds.push(Bind::Str(policy_id));
    }
    if s.exclude_policy_constrained {
        sql.push_str(" AND c.id NOT IN (SELECT channelid FROM retentionpolicieschannels)");
    }
    let (words, word_binds) = word_filter(
        store,
        Fields::NamesAndPurpose,
        Listing::AllTeams,
        &s.term,
        binds.len() + 1,
    )
    .await?;
    sql.push_str(&words);
    binds.extend(word_binds.into_iter().map(Bind::Text));
    Ok((sql, binds))
}

/// The total a search reports counts at most this many channels (or one past the page asked
/// for, if further), so a term matching most of 100,000 channels costs no more than a page:
/// the system console still offers the next page, and "more than" is what it tells.
const COUNTED_AT_MOST: i64 = 1_000;

/// One page of the channels `s` keeps, by display name, each with its team's names, and how
/// many it keeps (up to `COUNTED_AT_MOST`).
pub async fn search_all(
    store: &Store,
    s: &AllChannelsSearch,
) -> Result<(Vec<ChannelWithTeamData>, i64)> {
    let (filter, mut binds) = conditions(store, s).await?;
    let n = binds.len();
    let count_sql = format!(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM (SELECT 1 FROM channels c{filter} LIMIT ${}) AS found",
        n + 1
    );
    let counted_at_most = COUNTED_AT_MOST.max(s.offset.max(0) + s.limit.max(0) + 1);
    binds.push(Bind::Int(counted_at_most));
    let total = query_rows::<(i64,), (i64,)>(store, &count_sql, &binds)
        .await?
        .first()
        .map_or(0, |(n,)| *n);
    binds.pop();
    let page_sql = format!(
        "{SELECT_CHANNELS}{filter} ORDER BY c.displayname, c.id LIMIT ${} OFFSET ${}",
        n + 1,
        n + 2
    );
    binds.push(Bind::Int(s.limit.max(0)));
    binds.push(Bind::Int(s.offset.max(0)));
    let channels: Vec<Channel> = query_channels(store, &page_sql, &binds).await?;
    let mut team_ids: Vec<&str> = channels.iter().map(|c| c.team_id.as_str()).collect();
    team_ids.sort_unstable();
    team_ids.dedup();
    let teams: Vec<TeamNames> = if team_ids.is_empty() {
        Vec::new()
    } else {
        let sql = format!(
            "SELECT id, displayname, name, updateat FROM teams WHERE id IN ({})",
            placeholders(1, team_ids.len())
        );
        let binds: Vec<Bind> = team_ids.iter().map(|id| Bind::Str(id)).collect();
        query_rows::<TeamNames, TeamNames>(store, &sql, &binds).await?
    };
    let with_teams = channels
        .into_iter()
        .map(|channel| {
            let team = teams.iter().find(|t| t.id == channel.team_id);
            ChannelWithTeamData {
                team_display_name: team.and_then(|t| t.displayname.clone()).unwrap_or_default(),
                team_name: team.and_then(|t| t.name.clone()).unwrap_or_default(),
                team_update_at: team.and_then(|t| t.updateat).unwrap_or(0),
                channel,
            }
        })
        .collect();
    Ok((with_teams, total))
}
