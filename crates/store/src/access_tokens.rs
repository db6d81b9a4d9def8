//! Personal access tokens (`useraccesstokens`). The `token` column holds what the app hands in
//! (Utmost's hash; see `sessions::hash_unmarked_tokens` for Mattermost's raw tokens), and the
//! sessions created for a token carry the same stored form, so they are found and deleted by it.

use crate::db::{execute, read, transaction};
use crate::sessions::{EndedRow, EndedSession};
use crate::{Result, Store};
use utmost_model::access_token::UserAccessToken;

#[derive(sqlx::FromRow)]
struct TokenRow {
    id: String,
    token: Option<String>,
    userid: Option<String>,
    description: Option<String>,
    isactive: Option<bool>,
}

impl From<TokenRow> for UserAccessToken {
    fn from(r: TokenRow) -> Self {
        UserAccessToken {
            id: r.id,
            token: r.token.unwrap_or_default(),
            user_id: r.userid.unwrap_or_default(),
            description: r.description.unwrap_or_default(),
            is_active: r.isactive.unwrap_or(false),
        }
    }
}

const SELECT: &str =
    "SELECT t.id, t.token, t.userid, t.description, t.isactive FROM useraccesstokens t";

/// Deletes the sessions opened with token `id` (run inside a write transaction) and reports
/// them, so their sockets can be closed.
const DELETE_SESSIONS: &str = "DELETE FROM sessions WHERE token IN \
                               (SELECT token FROM useraccesstokens WHERE id = $1) \
                               RETURNING id, userid";

async fn fetch(store: &Store, sql: &str, binds: &[&str]) -> Result<Vec<UserAccessToken>> {
    let rows: Vec<TokenRow> = read!(store, |p| {
        let mut q = sqlx::query_as(sql);
        for b in binds {
            q = q.bind(*b);
        }
        q.fetch_all(p).await
    })?;
    Ok(rows.into_iter().map(UserAccessToken::from).collect())
}

pub async fn insert(store: &Store, t: &UserAccessToken) -> Result<()> {
    execute!(
        store,
        "INSERT INTO useraccesstokens (id, token, userid, description, isactive) \
         VALUES ($1, $2, $3, $4, $5)",
        &t.id,
        &t.token,
        &t.user_id,
        &t.description,
        t.is_active
    )?;
    Ok(())
}

pub async fn get(store: &Store, id: &str) -> Result<Option<UserAccessToken>> {
    let sql = format!("{SELECT} WHERE t.id = $1");
    Ok(fetch(store, &sql, &[id]).await?.into_iter().next())
}

/// The token stored as one of `stored_forms`.
pub async fn get_by_token(
    store: &Store,
    stored_forms: &[String; 2],
) -> Result<Option<UserAccessToken>> {
    let sql = format!("{SELECT} WHERE t.token = $1 OR t.token = $2");
    let [current, legacy] = stored_forms;
    Ok(fetch(store, &sql, &[current, legacy])
        .await?
        .into_iter()
        .next())
}

/// One page of a user's tokens (`user_id` Some) or of everyone's.
pub async fn list(
    store: &Store,
    user_id: Option<&str>,
    limit: i64,
    offset: i64,
) -> Result<Vec<UserAccessToken>> {
    let sql = format!("{SELECT} WHERE ($1 = '' OR t.userid = $1) ORDER BY t.id LIMIT $2 OFFSET $3");
    let rows: Vec<TokenRow> = read!(store, |p| sqlx::query_as(&sql)
        .bind(user_id.unwrap_or(""))
        .bind(limit.max(0))
        .bind(offset.max(0))
        .fetch_all(p)
        .await)?;
    Ok(rows.into_iter().map(UserAccessToken::from).collect())
}

/// Tokens whose id, user id or owner's username starts with `term`.
pub async fn search(store: &Store, term: &str) -> Result<Vec<UserAccessToken>> {
    let escaped: String = term
        .chars()
        .flat_map(|c| match c {
            '\\' | '%' | '_' => vec!['\\', c],
            _ => vec![c],
        })
        .collect();
    let pattern = format!("{escaped}%");
    let sql = format!(
        "{SELECT} JOIN users u ON u.id = t.userid WHERE t.id LIKE $1 ESCAPE '\\' \
         OR t.userid LIKE $1 ESCAPE '\\' OR u.username LIKE $1 ESCAPE '\\' ORDER BY t.id"
    );
    fetch(store, &sql, &[&pattern]).await
}

/// Enables a token again.
pub async fn enable(store: &Store, id: &str) -> Result<()> {
    execute!(
        store,
        "UPDATE useraccesstokens SET isactive = $1 WHERE id = $2",
        true,
        id
    )?;
    Ok(())
}

/// Disables a token and ends the sessions opened with it, which are returned.
pub async fn disable(store: &Store, id: &str) -> Result<Vec<EndedSession>> {
    let ended: Vec<EndedRow> = transaction!(store, |tx| {
        let ended = sqlx::query_as(DELETE_SESSIONS)
            .bind(id)
            .fetch_all(&mut *tx)
            .await?;
        sqlx::query("UPDATE useraccesstokens SET isactive = $1 WHERE id = $2")
            .bind(false)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        ended
    })?;
    Ok(ended.into_iter().map(EndedSession::from).collect())
}

/// Deletes a token and the sessions opened with it, which are returned.
pub async fn delete(store: &Store, id: &str) -> Result<Vec<EndedSession>> {
    let ended: Vec<EndedRow> = transaction!(store, |tx| {
        let ended = sqlx::query_as(DELETE_SESSIONS)
            .bind(id)
            .fetch_all(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM useraccesstokens WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        ended
    })?;
    Ok(ended.into_iter().map(EndedSession::from).collect())
}
