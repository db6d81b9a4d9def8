//! Per-channel unread counts of one user, the raw material of team unreads
//! (Mattermost's `GetChannelUnreadsForTeam` / `GetChannelUnreadsForAllTeams`).

use crate::db::read;
use crate::types::Json;
use crate::{Result, Store};

/// One channel membership's unread counts.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ChannelUnread {
    pub team_id: String,
    pub msg_count: i64,
    pub msg_count_root: i64,
    pub mention_count: i64,
    pub mention_count_root: i64,
    notify_props: Option<Json<serde_json::Value>>,
}

impl ChannelUnread {
    /// True when the member muted the channel down to mentions (`mark_unread = "mention"`),
    /// whose plain messages do not count as unread.
    pub fn marks_mentions_only(&self) -> bool {
        self.notify_props
            .as_ref()
            .and_then(|p| p.0.get("mark_unread"))
            .and_then(serde_json::Value::as_str)
            == Some("mention")
    }
}

/// Which channels of the user to read.
#[derive(Debug, Clone, Copy)]
pub enum UnreadScope<'a> {
    /// The channels of one team.
    Team(&'a str),
    /// Every channel whose team is not this one; `""` leaves out direct and group messages,
    /// as Mattermost's query does.
    AllTeamsExcept(&'a str),
}

/// The unread counts of every live channel `user_id` belongs to within `scope`.
pub async fn channel_unreads(
    store: &Store,
    user_id: &str,
    scope: UnreadScope<'_>,
) -> Result<Vec<ChannelUnread>> {
    let (team_filter, team_id) = match scope {
        UnreadScope::Team(id) => ("c.teamid = $2", id),
        UnreadScope::AllTeamsExcept(id) => ("c.teamid <> $2", id),
    };
    let sql = format!(
        "SELECT COALESCE(c.teamid, '') AS team_id, \
         COALESCE(c.totalmsgcount, 0) - COALESCE(cm.msgcount, 0) AS msg_count, \
         COALESCE(c.totalmsgcountroot, 0) - COALESCE(cm.msgcountroot, 0) AS msg_count_root, \
         COALESCE(cm.mentioncount, 0) AS mention_count, \
         COALESCE(cm.mentioncountroot, 0) AS mention_count_root, \
         cm.notifyprops AS notify_props \
         FROM channels c JOIN channelmembers cm ON cm.channelid = c.id \
         WHERE cm.userid = $1 AND c.deleteat = 0 AND {team_filter} ORDER BY c.teamid, c.id"
    );
    Ok(read!(store, |p| sqlx::query_as(&sql)
        .bind(user_id)
        .bind(team_id)
        .fetch_all(p)
        .await)?)
}
