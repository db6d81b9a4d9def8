//! `incomingwebhooks` and `outgoingwebhooks` (Mattermost's `SqlWebhookStore`). A deleted
//! hook keeps its row with `deleteat` set; every read here sees live hooks only. Outgoing
//! hooks keep their trigger words and callback URLs as JSON arrays in text columns, and their
//! token in clear (it is sent to the callbacks), as Mattermost does.

use crate::db::{count_rows, execute, query_rows, Bind};
use crate::{Result, Store};
use utmost_model::webhook::{IncomingWebhook, OutgoingWebhook};

#[derive(sqlx::FromRow)]
struct IncomingRow {
    id: String,
    createat: Option<i64>,
    updateat: Option<i64>,
    deleteat: Option<i64>,
    userid: Option<String>,
    channelid: Option<String>,
    teamid: Option<String>,
    displayname: Option<String>,
    description: Option<String>,
    username: Option<String>,
    iconurl: Option<String>,
    channellocked: Option<bool>,
}

impl From<IncomingRow> for IncomingWebhook {
    fn from(r: IncomingRow) -> Self {
        IncomingWebhook {
            id: r.id,
            create_at: r.createat.unwrap_or(0),
            update_at: r.updateat.unwrap_or(0),
            delete_at: r.deleteat.unwrap_or(0),
            user_id: r.userid.unwrap_or_default(),
            channel_id: r.channelid.unwrap_or_default(),
            team_id: r.teamid.unwrap_or_default(),
            display_name: r.displayname.unwrap_or_default(),
            description: r.description.unwrap_or_default(),
            username: r.username.unwrap_or_default(),
            icon_url: r.iconurl.unwrap_or_default(),
            channel_locked: r.channellocked.unwrap_or(false),
        }
    }
}

const INCOMING: &str = "SELECT id, createat, updateat, deleteat, userid, channelid, teamid, \
     displayname, description, username, iconurl, channellocked FROM incomingwebhooks";

#[derive(sqlx::FromRow)]
struct OutgoingRow {
    id: String,
    token: Option<String>,
    createat: Option<i64>,
    updateat: Option<i64>,
    deleteat: Option<i64>,
    creatorid: Option<String>,
    channelid: Option<String>,
    teamid: Option<String>,
    triggerwords: Option<String>,
    callbackurls: Option<String>,
    displayname: Option<String>,
    contenttype: Option<String>,
    triggerwhen: Option<i32>,
    username: Option<String>,
    iconurl: Option<String>,
    description: Option<String>,
}

/// A JSON array of strings; Mattermost's older rows may hold a space-separated list.
fn string_array(text: Option<String>) -> Vec<String> {
    let text = text.unwrap_or_default();
    serde_json::from_str(&text)
        .unwrap_or_else(|_| text.split_whitespace().map(str::to_owned).collect())
}

impl From<OutgoingRow> for OutgoingWebhook {
    fn from(r: OutgoingRow) -> Self {
        OutgoingWebhook {
            id: r.id,
            token: r.token.unwrap_or_default(),
            create_at: r.createat.unwrap_or(0),
            update_at: r.updateat.unwrap_or(0),
            delete_at: r.deleteat.unwrap_or(0),
            creator_id: r.creatorid.unwrap_or_default(),
            channel_id: r.channelid.unwrap_or_default(),
            team_id: r.teamid.unwrap_or_default(),
            trigger_words: string_array(r.triggerwords),
            trigger_when: i64::from(r.triggerwhen.unwrap_or(0)),
            callback_urls: string_array(r.callbackurls),
            display_name: r.displayname.unwrap_or_default(),
            description: r.description.unwrap_or_default(),
            content_type: r.contenttype.unwrap_or_default(),
            username: r.username.unwrap_or_default(),
            icon_url: r.iconurl.unwrap_or_default(),
        }
    }
}

const OUTGOING: &str = "SELECT id, token, createat, updateat, deleteat, creatorid, channelid, \
     teamid, triggerwords, callbackurls, displayname, contenttype, triggerwhen, username, \
     iconurl, description FROM outgoingwebhooks";

fn json_list(list: &[String]) -> String {
    serde_json::to_string(list).unwrap_or_else(|_| "[]".into())
}

/// Which hooks a listing covers: one team's or every team's, everyone's or one creator's.
#[derive(Debug, Clone, Default)]
pub struct Scope<'a> {
    pub team_id: Option<&'a str>,
    pub channel_id: Option<&'a str>,
    /// Only the hooks this user made.
    pub user_id: Option<&'a str>,
}

impl Scope<'_> {
    /// The WHERE clause (after `deleteat = 0`) and its binds; `user_column` names the creator.
    fn clause(&self, user_column: &str) -> (String, Vec<Bind<'_>>) {
        let mut sql = String::from(" WHERE deleteat = 0");
        let mut binds = Vec::new();
        for (column, value) in [
            ("teamid", self.team_id),
            ("channelid", self.channel_id),
            (user_column, self.user_id),
        ] {
            if let Some(value) = value {
                binds.push(Bind::Str(value));
                sql.push_str(&format!(" AND {column} = ${}", binds.len()));
            }
        }
        (sql, binds)
    }
}

pub async fn insert_incoming(store: &Store, hook: &IncomingWebhook) -> Result<()> {
    execute!(
        store,
        "INSERT INTO incomingwebhooks (id, createat, updateat, deleteat, userid, channelid, \
         teamid, displayname, description, username, iconurl, channellocked) \
         VALUES ($1, $2, $3, 0, $4, $5, $6, $7, $8, $9, $10, $11)",
        &hook.id,
        hook.create_at,
        hook.update_at,
        &hook.user_id,
        &hook.channel_id,
        &hook.team_id,
        &hook.display_name,
        &hook.description,
        &hook.username,
        &hook.icon_url,
        hook.channel_locked,
    )?;
    Ok(())
}

/// The live incoming hook `id`.
pub async fn get_incoming(store: &Store, id: &str) -> Result<Option<IncomingWebhook>> {
    let sql = format!("{INCOMING} WHERE id = $1 AND deleteat = 0");
    Ok(
        query_rows::<IncomingRow, IncomingWebhook>(store, &sql, &[Bind::Str(id)])
            .await?
            .pop(),
    )
}

/// One page of the live incoming hooks in `scope`, oldest first.
pub async fn list_incoming(
    store: &Store,
    scope: &Scope<'_>,
    limit: i64,
    offset: i64,
) -> Result<Vec<IncomingWebhook>> {
    let (clause, mut binds) = scope.clause("userid");
    let n = binds.len();
    let sql = format!(
        "{INCOMING}{clause} ORDER BY createat, id LIMIT ${} OFFSET ${}",
        n + 1,
        n + 2
    );
    binds.push(Bind::Int(limit));
    binds.push(Bind::Int(offset));
    query_rows::<IncomingRow, IncomingWebhook>(store, &sql, &binds).await
}

/// How many live incoming hooks `scope` covers.
pub async fn count_incoming(store: &Store, scope: &Scope<'_>) -> Result<i64> {
    let (clause, binds) = scope.clause("userid");
    let sql = format!("SELECT CAST(COUNT(*) AS BIGINT) FROM incomingwebhooks{clause}");
    count_rows(store, &sql, &binds).await
}

/// Writes the editable fields of live hook `hook.id`; false when there is none.
pub async fn update_incoming(store: &Store, hook: &IncomingWebhook) -> Result<bool> {
    let changed = execute!(
        store,
        "UPDATE incomingwebhooks SET updateat = $2, channelid = $3, displayname = $4, \
         description = $5, username = $6, iconurl = $7, channellocked = $8, userid = $9 \
         WHERE id = $1 AND deleteat = 0",
        &hook.id,
        hook.update_at,
        &hook.channel_id,
        &hook.display_name,
        &hook.description,
        &hook.username,
        &hook.icon_url,
        hook.channel_locked,
        &hook.user_id,
    )?;
    Ok(changed > 0)
}

/// Soft-deletes live incoming hook `id` at `at`.
pub async fn delete_incoming(store: &Store, id: &str, at: i64) -> Result<bool> {
    let changed = execute!(
        store,
        "UPDATE incomingwebhooks SET deleteat = $2, updateat = $2 WHERE id = $1 AND deleteat = 0",
        id,
        at,
    )?;
    Ok(changed > 0)
}

pub async fn insert_outgoing(store: &Store, hook: &OutgoingWebhook) -> Result<()> {
    execute!(
        store,
        "INSERT INTO outgoingwebhooks (id, token, createat, updateat, deleteat, creatorid, \
         channelid, teamid, triggerwords, callbackurls, displayname, contenttype, triggerwhen, \
         username, iconurl, description) \
         VALUES ($1, $2, $3, $4, 0, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
        &hook.id,
        &hook.token,
        hook.create_at,
        hook.update_at,
        &hook.creator_id,
        &hook.channel_id,
        &hook.team_id,
        json_list(&hook.trigger_words),
        json_list(&hook.callback_urls),
        &hook.display_name,
        &hook.content_type,
        i32::try_from(hook.trigger_when).unwrap_or(0),
        &hook.username,
        &hook.icon_url,
        &hook.description,
    )?;
    Ok(())
}

/// The live outgoing hook `id`.
pub async fn get_outgoing(store: &Store, id: &str) -> Result<Option<OutgoingWebhook>> {
    let sql = format!("{OUTGOING} WHERE id = $1 AND deleteat = 0");
    Ok(
        query_rows::<OutgoingRow, OutgoingWebhook>(store, &sql, &[Bind::Str(id)])
            .await?
            .pop(),
    )
}

/// One page of the live outgoing hooks in `scope`, oldest first; `limit` < 0 is all of them
/// (`GetOutgoingByTeam(team, -1, -1)`, which a post's trigger check reads).
pub async fn list_outgoing(
    store: &Store,
    scope: &Scope<'_>,
    limit: i64,
    offset: i64,
) -> Result<Vec<OutgoingWebhook>> {
    let (clause, mut binds) = scope.clause("creatorid");
    let n = binds.len();
    let sql = if limit < 0 {
        format!("{OUTGOING}{clause} ORDER BY createat, id")
    } else {
        binds.push(Bind::Int(limit));
        binds.push(Bind::Int(offset));
        format!(
            "{OUTGOING}{clause} ORDER BY createat, id LIMIT ${} OFFSET ${}",
            n + 1,
            n + 2
        )
    };
    query_rows::<OutgoingRow, OutgoingWebhook>(store, &sql, &binds).await
}

/// Writes the editable fields (and the token) of live hook `hook.id`; false when there is
/// none.
pub async fn update_outgoing(store: &Store, hook: &OutgoingWebhook) -> Result<bool> {
    let changed = execute!(
        store,
        "UPDATE outgoingwebhooks SET token = $2, updateat = $3, creatorid = $4, channelid = $5, \
         triggerwords = $6, callbackurls = $7, displayname = $8, contenttype = $9, \
         triggerwhen = $10, username = $11, iconurl = $12, description = $13 \
         WHERE id = $1 AND deleteat = 0",
        &hook.id,
        &hook.token,
        hook.update_at,
        &hook.creator_id,
        &hook.channel_id,
        json_list(&hook.trigger_words),
        json_list(&hook.callback_urls),
        &hook.display_name,
        &hook.content_type,
        i32::try_from(hook.trigger_when).unwrap_or(0),
        &hook.username,
        &hook.icon_url,
        &hook.description,
    )?;
    Ok(changed > 0)
}

/// Soft-deletes live outgoing hook `id` at `at`.
pub async fn delete_outgoing(store: &Store, id: &str, at: i64) -> Result<bool> {
    let changed = execute!(
        store,
        "UPDATE outgoingwebhooks SET deleteat = $2, updateat = $2 WHERE id = $1 AND deleteat = 0",
        id,
        at,
    )?;
    Ok(changed > 0)
}
