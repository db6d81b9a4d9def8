//! Login sessions. The `token` column holds what the app hands in: Utmost's hash. A
//! taken-over Mattermost database holds raw tokens until the app rewrites them at start-up.

use crate::db::{execute, read, transaction};
use crate::types::Json;
use crate::{Result, Store};
use std::collections::BTreeMap;
use utmost_model::session::Session;

#[derive(sqlx::FromRow)]
struct SessionRow {
    id: String,
    token: Option<String>,
    createat: Option<i64>,
    expiresat: Option<i64>,
    lastactivityat: Option<i64>,
    userid: Option<String>,
    deviceid: Option<String>,
    roles: Option<String>,
    isoauth: Option<bool>,
    expirednotify: Option<bool>,
    props: Option<Json<BTreeMap<String, String>>>,
}

impl From<SessionRow> for Session {
    fn from(r: SessionRow) -> Self {
        Session {
            id: r.id,
            token: r.token.unwrap_or_default(),
            create_at: r.createat.unwrap_or(0),
            expires_at: r.expiresat.unwrap_or(0),
            last_activity_at: r.lastactivityat.unwrap_or(0),
            user_id: r.userid.unwrap_or_default(),
            device_id: r.deviceid.unwrap_or_default(),
            roles: r.roles.unwrap_or_default(),
            is_oauth: r.isoauth.unwrap_or(false),
            expired_notify: r.expirednotify.unwrap_or(false),
            props: r.props.map(|j| j.0).unwrap_or_default(),
            team_members: Vec::new(),
            local: false,
        }
    }
}

const COLUMNS: &str = "id, token, createat, expiresat, lastactivityat, userid, deviceid, roles, \
                       isoauth, expirednotify, props";

pub async fn insert(store: &Store, s: &Session) -> Result<()> {
    let sql = "INSERT INTO sessions (id, token, createat, expiresat, lastactivityat, userid, \
               deviceid, roles, isoauth, expirednotify, props) \
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";
    execute!(
        store,
        sql,
        &s.id,
        &s.token,
        s.create_at,
        s.expires_at,
        s.last_activity_at,
        &s.user_id,
        &s.device_id,
        &s.roles,
        s.is_oauth,
        s.expired_notify,
        Json(&s.props)
    )?;
    Ok(())
}

/// The session whose stored token is one of `stored_forms`.
pub async fn get_by_token(store: &Store, stored_forms: &[String; 2]) -> Result<Option<Session>> {
    let sql = format!("SELECT {COLUMNS} FROM sessions WHERE token = $1 OR token = $2 LIMIT 1");
    let row: Option<SessionRow> = read!(store, |p| sqlx::query_as(&sql)
        .bind(&stored_forms[0])
        .bind(&stored_forms[1])
        .fetch_optional(p)
        .await)?;
    Ok(row.map(Session::from))
}

/// Rewrites every session and personal-access-token token that does not start with `mark`
/// through `hash`, in one transaction; answers how many were rewritten. Both tables go
/// through the same function, so a token's sessions keep the token's stored form.
pub async fn hash_unmarked_tokens(
    store: &Store,
    mark: &str,
    hash: fn(&str) -> String,
) -> Result<u64> {
    transaction!(store, |tx| {
        let mut rewritten = 0;
        for table in ["sessions", "useraccesstokens"] {
            let unmarked: Vec<(String, String)> = sqlx::query_as(&format!(
                "SELECT id, token FROM {table} WHERE substr(token, 1, 1) <> $1"
            ))
            .bind(mark)
            .fetch_all(&mut *tx)
            .await?;
            let update = format!("UPDATE {table} SET token = $1 WHERE id = $2");
            for (id, token) in unmarked {
                sqlx::query(&update)
                    .bind(hash(&token))
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                rewritten += 1;
            }
        }
        rewritten
    })
}

pub async fn get(store: &Store, id: &str) -> Result<Option<Session>> {
    let sql = format!("SELECT {COLUMNS} FROM sessions WHERE id = $1");
    let row: Option<SessionRow> = read!(store, |p| sqlx::query_as(&sql)
        .bind(id)
        .fetch_optional(p)
        .await)?;
    Ok(row.map(Session::from))
}

/// A user's sessions, newest first.
pub async fn list_for_user(store: &Store, user_id: &str) -> Result<Vec<Session>> {
    let sql =
        format!("SELECT {COLUMNS} FROM sessions WHERE userid = $1 ORDER BY lastactivityat DESC");
    let rows: Vec<SessionRow> = read!(store, |p| sqlx::query_as(&sql)
        .bind(user_id)
        .fetch_all(p)
        .await)?;
    Ok(rows.into_iter().map(Session::from).collect())
}

/// A session a delete removed, so the caller can close what it kept open (its sockets).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct EndedSession {
    pub id: String,
    pub user_id: String,
}

#[derive(sqlx::FromRow)]
pub(crate) struct EndedRow {
    id: String,
    userid: Option<String>,
}

impl From<EndedRow> for EndedSession {
    fn from(r: EndedRow) -> Self {
        EndedSession {
            id: r.id,
            user_id: r.userid.unwrap_or_default(),
        }
    }
}

/// Runs a `DELETE FROM sessions … RETURNING id, userid` with its `$1..` binds and returns
/// what it removed.
async fn delete_returning(store: &Store, sql: &str, binds: &[&str]) -> Result<Vec<EndedSession>> {
    let rows: Vec<EndedRow> = transaction!(store, |tx| {
        let mut query = sqlx::query_as(sql);
        for b in binds {
            query = query.bind(*b);
        }
        query.fetch_all(&mut *tx).await?
    })?;
    Ok(rows.into_iter().map(EndedSession::from).collect())
}

pub async fn delete(store: &Store, id: &str) -> Result<Vec<EndedSession>> {
    delete_returning(
        store,
        "DELETE FROM sessions WHERE id = $1 RETURNING id, userid",
        &[id],
    )
    .await
}

pub async fn delete_for_user(store: &Store, user_id: &str) -> Result<()> {
    execute!(store, "DELETE FROM sessions WHERE userid = $1", user_id)?;
    Ok(())
}

/// Deletes a user's sessions except `keep` (the session that changed the password).
pub async fn delete_for_user_except(
    store: &Store,
    user_id: &str,
    keep: &str,
) -> Result<Vec<EndedSession>> {
    let sql = "DELETE FROM sessions WHERE userid = $1 AND id <> $2 RETURNING id, userid";
    delete_returning(store, sql, &[user_id, keep]).await
}

/// Deletes every session of every user.
pub async fn delete_all(store: &Store) -> Result<()> {
    execute!(store, "DELETE FROM sessions")?;
    Ok(())
}

/// Deletes the user's other sessions registered for `device_id`: a device holds one session.
pub async fn delete_for_device(
    store: &Store,
    user_id: &str,
    device_id: &str,
    keep: &str,
) -> Result<Vec<EndedSession>> {
    let sql = "DELETE FROM sessions WHERE userid = $1 AND deviceid = $2 AND id <> $3 \
               RETURNING id, userid";
    delete_returning(store, sql, &[user_id, device_id, keep]).await
}

pub async fn touch(store: &Store, id: &str, last_activity_at: i64, expires_at: i64) -> Result<()> {
    execute!(
        store,
        "UPDATE sessions SET lastactivityat = $1, expiresat = $2 WHERE id = $3",
        last_activity_at,
        expires_at,
        id
    )?;
    Ok(())
}

pub async fn update_props(store: &Store, id: &str, props: &BTreeMap<String, String>) -> Result<()> {
    execute!(
        store,
        "UPDATE sessions SET props = $1 WHERE id = $2",
        Json(props),
        id
    )?;
    Ok(())
}

pub async fn update_device_id(
    store: &Store,
    id: &str,
    device_id: &str,
    expires_at: i64,
) -> Result<()> {
    execute!(
        store,
        "UPDATE sessions SET deviceid = $1, expiresat = $2 WHERE id = $3",
        device_id,
        expires_at,
        id
    )?;
    Ok(())
}

/// Which of `ids` are sessions still (the others were revoked, or their user deactivated).
pub async fn existing(store: &Store, ids: &[String]) -> Result<std::collections::HashSet<String>> {
    if ids.is_empty() {
        return Ok(Default::default());
    }
    let sql = format!(
        "SELECT id FROM sessions WHERE id IN ({})",
        crate::db::placeholders(1, ids.len())
    );
    let found: Vec<String> = read!(store, |p| {
        let mut q = sqlx::query_scalar::<_, String>(&sql);
        for id in ids {
            q = q.bind(id);
        }
        q.fetch_all(p).await
    })?;
    Ok(found.into_iter().collect())
}
