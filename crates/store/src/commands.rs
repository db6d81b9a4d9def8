//! `commands` and `commandwebhooks` (Mattermost's `SqlCommandStore` and
//! `SqlCommandWebhookStore`). A deleted command keeps its row with `deleteat` set; every
//! read here sees live commands only. A command's token is stored in clear, as Mattermost
//! stores it, since it is sent to the command's URL. A command webhook is a response URL:
//! live for `COMMAND_WEBHOOK_LIFETIME_MILLIS`, used a bounded number of times.

use crate::db::{execute, query_rows, Bind};
use crate::{Result, Store};
use utmost_model::command::Command;

#[derive(sqlx::FromRow)]
struct CommandRow {
    id: String,
    token: Option<String>,
    createat: Option<i64>,
    updateat: Option<i64>,
    deleteat: Option<i64>,
    creatorid: Option<String>,
    teamid: Option<String>,
    trigger: Option<String>,
    method: Option<String>,
    username: Option<String>,
    iconurl: Option<String>,
    autocomplete: Option<bool>,
    autocompletedesc: Option<String>,
    autocompletehint: Option<String>,
    displayname: Option<String>,
    description: Option<String>,
    url: Option<String>,
    pluginid: Option<String>,
}

impl From<CommandRow> for Command {
    fn from(r: CommandRow) -> Self {
        Command {
            id: r.id,
            token: r.token.unwrap_or_default(),
            create_at: r.createat.unwrap_or(0),
            update_at: r.updateat.unwrap_or(0),
            delete_at: r.deleteat.unwrap_or(0),
            creator_id: r.creatorid.unwrap_or_default(),
            team_id: r.teamid.unwrap_or_default(),
            trigger: r.trigger.unwrap_or_default(),
            method: r.method.unwrap_or_default(),
            username: r.username.unwrap_or_default(),
            icon_url: r.iconurl.unwrap_or_default(),
            auto_complete: r.autocomplete.unwrap_or(false),
            auto_complete_desc: r.autocompletedesc.unwrap_or_default(),
            auto_complete_hint: r.autocompletehint.unwrap_or_default(),
            display_name: r.displayname.unwrap_or_default(),
            description: r.description.unwrap_or_default(),
            url: r.url.unwrap_or_default(),
            plugin_id: r.pluginid.unwrap_or_default(),
            ..Command::default()
        }
    }
}

const COMMANDS: &str = "SELECT id, token, createat, updateat, deleteat, creatorid, teamid, \
     \"trigger\", method, username, iconurl, autocomplete, autocompletedesc, autocompletehint, \
     displayname, description, url, pluginid FROM commands";

/// Adds a command; its update time is its creation time.
pub async fn insert(store: &Store, c: &Command) -> Result<()> {
    write(
        store,
        "INSERT INTO commands (id, createat, updateat, deleteat, token, creatorid, teamid, \
         \"trigger\", method, username, iconurl, autocomplete, autocompletedesc, \
         autocompletehint, displayname, description, url, pluginid) \
         VALUES ($1, $2, $2, 0, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
        c,
        c.create_at,
    )
    .await?;
    Ok(())
}

/// Runs `sql` with `$1` the command's id, `$2` the time `at`, and its other fields, in the
/// order of the table, as `$3` to `$16`.
async fn write(store: &Store, sql: &str, c: &Command, at: i64) -> Result<u64> {
    Ok(execute!(
        store,
        sql,
        &c.id,
        at,
        &c.token,
        &c.creator_id,
        &c.team_id,
        &c.trigger,
        &c.method,
        &c.username,
        &c.icon_url,
        c.auto_complete,
        &c.auto_complete_desc,
        &c.auto_complete_hint,
        &c.display_name,
        &c.description,
        &c.url,
        &c.plugin_id,
    )?)
}

/// The live command `id`.
pub async fn get(store: &Store, id: &str) -> Result<Option<Command>> {
    let sql = format!("{COMMANDS} WHERE id = $1 AND deleteat = 0");
    Ok(
        query_rows::<CommandRow, Command>(store, &sql, &[Bind::Str(id)])
            .await?
            .pop(),
    )
}

/// The team's live commands, oldest first (`GetByTeam`).
pub async fn list_by_team(store: &Store, team_id: &str) -> Result<Vec<Command>> {
    let sql = format!("{COMMANDS} WHERE teamid = $1 AND deleteat = 0 ORDER BY createat, id");
    query_rows::<CommandRow, Command>(store, &sql, &[Bind::Str(team_id)]).await
}

/// Writes every field but the id and times of creation and deletion to live command
/// `c.id`; false when there is none.
pub async fn update(store: &Store, c: &Command) -> Result<bool> {
    let changed = write(
        store,
        "UPDATE commands SET updateat = $2, token = $3, creatorid = $4, teamid = $5, \
         \"trigger\" = $6, method = $7, username = $8, iconurl = $9, autocomplete = $10, \
         autocompletedesc = $11, autocompletehint = $12, displayname = $13, description = $14, \
         url = $15, pluginid = $16 WHERE id = $1 AND deleteat = 0",
        c,
        c.update_at,
    )
    .await?;
    Ok(changed > 0)
}

/// Soft-deletes live command `id` at `at`.
pub async fn delete(store: &Store, id: &str, at: i64) -> Result<bool> {
    let changed = execute!(
        store,
        "UPDATE commands SET deleteat = $2, updateat = $2 WHERE id = $1 AND deleteat = 0",
        id,
        at,
    )?;
    Ok(changed > 0)
}

/// A response URL: who ran which command where.
#[derive(Debug, Clone, PartialEq, Default, sqlx::FromRow)]
pub struct CommandWebhook {
    pub id: String,
    pub createat: i64,
    pub commandid: String,
    pub userid: String,
    pub channelid: String,
    pub rootid: String,
}

pub async fn insert_webhook(store: &Store, hook: &CommandWebhook) -> Result<()> {
    execute!(
        store,
        "INSERT INTO commandwebhooks (id, createat, commandid, userid, channelid, rootid, \
         usecount) VALUES ($1, $2, $3, $4, $5, $6, 0)",
        &hook.id,
        hook.createat,
        &hook.commandid,
        &hook.userid,
        &hook.channelid,
        &hook.rootid,
    )?;
    Ok(())
}

/// Response URL `id` if it was made after `since` (Mattermost's `Get`, which ignores
/// expired ones).
pub async fn get_webhook(store: &Store, id: &str, since: i64) -> Result<Option<CommandWebhook>> {
    Ok(query_rows::<CommandWebhook, CommandWebhook>(
        store,
        "SELECT id, COALESCE(createat, 0) AS createat, COALESCE(commandid, '') AS commandid, \
         COALESCE(userid, '') AS userid, COALESCE(channelid, '') AS channelid, \
         COALESCE(rootid, '') AS rootid FROM commandwebhooks WHERE id = $1 AND createat > $2",
        &[Bind::Str(id), Bind::Int(since)],
    )
    .await?
    .pop())
}

/// Counts one use of response URL `id` unless it was used `limit` times already
/// (`TryUse`); false when it was.
pub async fn try_use_webhook(store: &Store, id: &str, limit: i64) -> Result<bool> {
    let changed = execute!(
        store,
        "UPDATE commandwebhooks SET usecount = usecount + 1 WHERE id = $1 AND usecount < $2",
        id,
        limit,
    )?;
    Ok(changed > 0)
}

/// Removes the response URLs made before `before` (Mattermost's `Cleanup`).
pub async fn delete_webhooks_before(store: &Store, before: i64) -> Result<u64> {
    Ok(execute!(
        store,
        "DELETE FROM commandwebhooks WHERE createat < $1",
        before
    )?)
}
