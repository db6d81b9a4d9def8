//! The `drafts` table (`sqlstore/draft_store.go`): one row per (user, channel, thread root),
//! written by upsert and deleted outright. `props`, `fileids` and `priority` are JSON text.

use crate::db::{execute, read};
use crate::{Result, Store};
use std::collections::BTreeMap;
use utmost_model::draft::Draft;

/// The columns of a draft, also read by `scheduled_posts`, whose rows are drafts with more.
#[derive(sqlx::FromRow)]
pub(crate) struct DraftColumns {
    createat: Option<i64>,
    updateat: Option<i64>,
    userid: String,
    channelid: String,
    rootid: Option<String>,
    message: Option<String>,
    props: Option<String>,
    fileids: Option<String>,
    priority: Option<String>,
}

/// A JSON text column as a value; NULL or text that is not JSON read as `null`.
fn json_value(text: Option<String>) -> serde_json::Value {
    text.and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default()
}

/// A JSON object column (`props`, `priority`); anything else reads as empty, as Mattermost's
/// clients see a missing value.
pub(crate) fn json_object(text: Option<String>) -> BTreeMap<String, serde_json::Value> {
    match json_value(text) {
        serde_json::Value::Object(map) => map.into_iter().collect(),
        _ => BTreeMap::new(),
    }
}

/// A JSON array of strings column (`fileids`).
pub(crate) fn json_strings(text: Option<String>) -> Vec<String> {
    match json_value(text) {
        serde_json::Value::Array(items) => items
            .into_iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}

impl From<DraftColumns> for Draft {
    fn from(r: DraftColumns) -> Self {
        Draft {
            create_at: r.createat.unwrap_or(0),
            update_at: r.updateat.unwrap_or(0),
            delete_at: 0,
            user_id: r.userid,
            channel_id: r.channelid,
            root_id: r.rootid.unwrap_or_default(),
            message: r.message.unwrap_or_default(),
            props: json_object(r.props),
            file_ids: json_strings(r.fileids),
            metadata: None,
            priority: json_object(r.priority),
        }
    }
}

/// The JSON texts a draft's `props`, `fileids` and `priority` columns hold.
pub(crate) struct DraftJson {
    pub props: String,
    pub file_ids: String,
    pub priority: String,
}

impl DraftJson {
    pub(crate) fn of(draft: &Draft) -> Result<Self> {
        Ok(Self {
            props: serde_json::to_string(&draft.props)?,
            file_ids: serde_json::to_string(&draft.file_ids)?,
            priority: serde_json::to_string(&draft.priority)?,
        })
    }
}

const COLUMNS: &str = "d.createat, d.updateat, d.userid, d.channelid, d.rootid, d.message, \
                       d.props, d.fileids, d.priority";

/// Saves `draft` (its times already set) over the user's draft for the same channel and
/// thread; an existing row keeps its `createat`, as Mattermost's upsert does.
pub async fn upsert(store: &Store, draft: &Draft) -> Result<()> {
    let json = DraftJson::of(draft)?;
    execute!(
        store,
        "INSERT INTO drafts (createat, updateat, deleteat, userid, channelid, rootid, message, \
         props, fileids, priority) VALUES ($1, $2, 0, $3, $4, $5, $6, $7, $8, $9) \
         ON CONFLICT (userid, channelid, rootid) DO UPDATE SET updateat = excluded.updateat, \
         deleteat = 0, message = excluded.message, props = excluded.props, \
         fileids = excluded.fileids, priority = excluded.priority",
        draft.create_at,
        draft.update_at,
        &draft.user_id,
        &draft.channel_id,
        &draft.root_id,
        &draft.message,
        &json.props,
        &json.file_ids,
        &json.priority,
    )?;
    Ok(())
}

/// The user's draft for a channel and thread (`""` for the channel itself).
pub async fn get(
    store: &Store,
    user_id: &str,
    channel_id: &str,
    root_id: &str,
) -> Result<Option<Draft>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM drafts d WHERE d.userid = $1 AND d.channelid = $2 \
         AND d.rootid = $3 AND COALESCE(d.deleteat, 0) = 0"
    );
    let row: Option<DraftColumns> = read!(store, |p| sqlx::query_as(&sql)
        .bind(user_id)
        .bind(channel_id)
        .bind(root_id)
        .fetch_optional(p)
        .await)?;
    Ok(row.map(Draft::from))
}

/// Deletes the user's draft for a channel and thread; true when there was one.
pub async fn delete(store: &Store, user_id: &str, channel_id: &str, root_id: &str) -> Result<bool> {
    let deleted = execute!(
        store,
        "DELETE FROM drafts WHERE userid = $1 AND channelid = $2 AND rootid = $3",
        user_id,
        channel_id,
        root_id,
    )?;
    Ok(deleted > 0)
}

/// `GetDraftsForUser`: the user's drafts in channels they are still a member of, of the
/// team and of direct and group messages (no team), the most recently updated first, at most
/// `limit`.
pub async fn for_user(
    store: &Store,
    user_id: &str,
    team_id: &str,
    limit: i64,
) -> Result<Vec<Draft>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM drafts d \
         JOIN channelmembers cm ON cm.channelid = d.channelid AND cm.userid = d.userid \
         JOIN channels c ON c.id = d.channelid \
         WHERE d.userid = $1 AND COALESCE(d.deleteat, 0) = 0 AND (c.teamid = $2 OR COALESCE(c.teamid, '') = '') \
         ORDER BY d.updateat DESC, d.channelid, d.rootid LIMIT $3"
    );
    let rows: Vec<DraftColumns> = read!(store, |p| sqlx::query_as(&sql)
        .bind(user_id)
        .bind(team_id)
        .bind(limit)
        .fetch_all(p)
        .await)?;
    Ok(rows.into_iter().map(Draft::from).collect())
}
