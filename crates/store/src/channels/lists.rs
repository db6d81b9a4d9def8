//! Lists of channels: a user's, a team's public and archived ones, searches.

use super::rows::{placeholders, query_channels, Bind, SELECT_CHANNELS};
use super::words::{word_filter, Fields, Listing};
use crate::{Deleted, Result, Store};
use utmost_model::channel::Channel;

/// Which archived channels a user's channel list includes (`include_deleted`,
/// `last_delete_at`): none; all; or those archived at or after the given time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Archived {
    Exclude,
    All,
    Since(i64),
}

impl Archived {
    pub fn from_params(include_deleted: bool, last_delete_at: i64) -> Self {
        match (include_deleted, last_delete_at) {
            (false, _) => Archived::Exclude,
            (true, 0) => Archived::All,
            (true, since) => Archived::Since(since),
        }
    }

    /// The WHERE condition (prefixed with AND) and its bind, numbered from `$n`.
    fn clause(self, n: usize) -> (String, Option<i64>) {
        match self {
            Archived::Exclude => (" AND c.deleteat = 0".into(), None),
            Archived::All => (String::new(), None),
            Archived::Since(t) => (
                format!(" AND (c.deleteat = 0 OR c.deleteat >= ${n})"),
                Some(t),
            ),
        }
    }
}

async fn member_channels(
    store: &Store,
    user_id: &str,
    team_id: Option<&str>,
    archived: Archived,
    order: &str,
) -> Result<Vec<Channel>> {
    let mut binds = vec![Bind::Str(user_id)];
    let mut sql = format!(
        "{SELECT_CHANNELS} JOIN channelmembers cm ON cm.channelid = c.id WHERE cm.userid = $1"
    );
    if let Some(team_id) = team_id {
        binds.push(Bind::Str(team_id));
        sql.push_str(" AND (c.teamid = $2 OR c.teamid = '')");
    }
    let (clause, since) = archived.clause(binds.len() + 1);
    sql.push_str(&clause);
    if let Some(t) = since {
        binds.push(Bind::Int(t));
    }
    sql.push_str(order);
    query_channels(store, &sql, &binds).await
}

/// The channels a user belongs to in a team, their DMs and GMs included, by display name.
pub async fn team_channels_for_user(
    store: &Store,
    team_id: &str,
    user_id: &str,
    archived: Archived,
) -> Result<Vec<Channel>> {
    member_channels(
        store,
        user_id,
        Some(team_id),
        archived,
        " ORDER BY c.displayname, c.id",
    )
    .await
}

/// Every channel a user belongs to, across teams.
pub async fn channels_for_user(
    store: &Store,
    user_id: &str,
    archived: Archived,
) -> Result<Vec<Channel>> {
    member_channels(store, user_id, None, archived, " ORDER BY c.id").await
}

/// A page of a team's live public channels, read through the `publicchannels` mirror.
pub async fn public_channels_for_team(
    store: &Store,
    team_id: &str,
    limit: i64,
    offset: i64,
) -> Result<Vec<Channel>> {
    let sql = format!(
        "{SELECT_CHANNELS} JOIN publicchannels pc ON pc.id = c.id \
         WHERE pc.teamid = $1 AND pc.deleteat = 0 ORDER BY pc.displayname, pc.id \
         LIMIT $2 OFFSET $3"
    );
    let binds = [Bind::Str(team_id), Bind::Int(limit), Bind::Int(offset)];
    query_channels(store, &sql, &binds).await
}

/// Live public channels of a team among `ids`.
pub async fn public_channels_by_ids(
    store: &Store,
    team_id: &str,
    ids: &[String],
) -> Result<Vec<Channel>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "{SELECT_CHANNELS} JOIN publicchannels pc ON pc.id = c.id \
         WHERE pc.teamid = $1 AND pc.deleteat = 0 AND pc.id IN ({}) ORDER BY pc.displayname",
        placeholders(2, ids.len())
    );
    let mut binds = vec![Bind::Str(team_id)];
    binds.extend(ids.iter().map(|id| Bind::Str(id)));
    query_channels(store, &sql, &binds).await
}

/// A page of a team's archived channels: every archived public channel, and the archived
/// private ones `user_id` belongs to.
pub async fn deleted_channels_for_team(
    store: &Store,
    team_id: &str,
    user_id: &str,
    limit: i64,
    offset: i64,
) -> Result<Vec<Channel>> {
    let sql = format!(
        "{SELECT_CHANNELS} WHERE (c.teamid = $1 OR c.teamid = '') AND c.deleteat <> 0 \
         AND (c.type <> 'P' OR c.id IN (SELECT channelid FROM channelmembers WHERE userid = $2)) \
         ORDER BY c.displayname, c.id LIMIT $3 OFFSET $4"
    );
    let binds = [
        Bind::Str(team_id),
        Bind::Str(user_id),
        Bind::Int(limit),
        Bind::Int(offset),
    ];
    query_channels(store, &sql, &binds).await
}

/// Live (or, as `deleted` says, also archived) public channels of a team in which each word
/// of `term` begins a word of the name, display name or purpose (at most 100, by display
/// name).
pub async fn search_public_channels(
    store: &Store,
    team_id: &str,
    term: &str,
    deleted: Deleted,
) -> Result<Vec<Channel>> {
    let (words, word_binds) =
        word_filter(store, Fields::NamesAndPurpose, Listing::Team, term, 2).await?;
    let sql = format!(
        "{SELECT_CHANNELS} WHERE c.teamid = $1 AND c.type = 'O'{}{words} \
         ORDER BY c.displayname, c.id LIMIT 100",
        deleted.filter("c")
    );
    let mut binds = vec![Bind::Str(team_id)];
    binds.extend(word_binds.into_iter().map(Bind::Text));
    query_channels(store, &sql, &binds).await
}

/// Channels of a team in which each word of `term` begins a word of the name or display
/// name: public ones, and the private ones `user_id` belongs to (at most 50, by display
/// name).
pub async fn autocomplete_channels(
    store: &Store,
    team_id: &str,
    user_id: &str,
    term: &str,
    deleted: Deleted,
) -> Result<Vec<Channel>> {
    let (words, word_binds) = word_filter(store, Fields::Names, Listing::Team, term, 3).await?;
    let sql = format!(
        "{SELECT_CHANNELS} WHERE c.teamid = $1{} \
         AND (c.type = 'O' OR (c.type = 'P' AND c.id IN \
            (SELECT channelid FROM channelmembers WHERE userid = $2))){words} \
         ORDER BY c.displayname, c.id LIMIT 50",
        deleted.filter("c")
    );
    let mut binds = vec![Bind::Str(team_id), Bind::Str(user_id)];
    binds.extend(word_binds.into_iter().map(Bind::Text));
    query_channels(store, &sql, &binds).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn archived_filters() {
        assert_eq!(Archived::from_params(false, 5), Archived::Exclude);
        assert_eq!(Archived::from_params(true, 0), Archived::All);
        assert_eq!(Archived::from_params(true, 7), Archived::Since(7));
        assert_eq!(
            Archived::Since(7).clause(3).0,
            " AND (c.deleteat = 0 OR c.deleteat >= $3)"
        );
    }
}
