//! The OAuth 2.0 provider's tables (Mattermost's `SqlOAuthStore`): `oauthapps`,
//! `oauthauthdata` (authorization codes) and `oauthaccessdata` (one grant per app and user).
//! The client secret, the code, the access token (the session's stored token) and the
//! refresh token are what the app hands in: their hashes, never the values themselves.
//! Codes and refresh tokens are taken by a DELETE, so each works once even under races.

use crate::db::{execute, for_each_connection, query_rows, read, transaction, Bind};
use crate::sessions::{EndedRow, EndedSession};
use crate::{Result, Store};
use utmost_model::oauth::{OAuthApp, CATEGORY_AUTHORIZED_OAUTH_APP};

#[derive(sqlx::FromRow)]
struct AppRow {
    id: String,
    creatorid: Option<String>,
    createat: Option<i64>,
    updateat: Option<i64>,
    name: Option<String>,
    description: Option<String>,
    callbackurls: Option<String>,
    homepage: Option<String>,
    istrusted: Option<bool>,
    iconurl: Option<String>,
    mattermostappid: Option<String>,
}

impl From<AppRow> for OAuthApp {
    fn from(r: AppRow) -> Self {
        OAuthApp {
            id: r.id,
            creator_id: r.creatorid.unwrap_or_default(),
            create_at: r.createat.unwrap_or(0),
            update_at: r.updateat.unwrap_or(0),
            client_secret: String::new(),
            name: r.name.unwrap_or_default(),
            description: r.description.unwrap_or_default(),
            callback_urls: serde_json::from_str(&r.callbackurls.unwrap_or_default())
                .unwrap_or_default(),
            homepage: r.homepage.unwrap_or_default(),
            is_trusted: r.istrusted.unwrap_or(false),
            icon_url: r.iconurl.unwrap_or_default(),
            mattermost_app_id: r.mattermostappid.unwrap_or_default(),
        }
    }
}

const APPS: &str = "SELECT o.id, o.creatorid, o.createat, o.updateat, o.name, o.description, \
     o.callbackurls, o.homepage, o.istrusted, o.iconurl, o.mattermostappid FROM oauthapps o";

fn callbacks(app: &OAuthApp) -> String {
    serde_json::to_string(&app.callback_urls).unwrap_or_else(|_| "[]".into())
}

/// Inserts `app` with `secret`, the stored form of its client secret.
pub async fn insert_app(store: &Store, app: &OAuthApp, secret: &str) -> Result<()> {
    execute!(
        store,
        "INSERT INTO oauthapps (id, creatorid, createat, updateat, clientsecret, name, \
         description, callbackurls, homepage, istrusted, iconurl, mattermostappid) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        &app.id,
        &app.creator_id,
        app.create_at,
        app.update_at,
        secret,
        &app.name,
        &app.description,
        callbacks(app),
        &app.homepage,
        app.is_trusted,
        &app.icon_url,
        &app.mattermost_app_id,
    )?;
    Ok(())
}

pub async fn get_app(store: &Store, id: &str) -> Result<Option<OAuthApp>> {
    let sql = format!("{APPS} WHERE o.id = $1");
    Ok(
        query_rows::<AppRow, OAuthApp>(store, &sql, &[Bind::Str(id)])
            .await?
            .pop(),
    )
}

/// The stored form of app `id`'s client secret.
pub async fn get_secret(store: &Store, id: &str) -> Result<Option<String>> {
    let row: Option<(Option<String>,)> = read!(store, |p| sqlx::query_as(
        "SELECT clientsecret FROM oauthapps WHERE id = $1"
    )
    .bind(id)
    .fetch_optional(p)
    .await)?;
    Ok(row.and_then(|(secret,)| secret))
}

/// One page of the apps, by creation; only `creator_id`'s when given.
pub async fn list_apps(
    store: &Store,
    creator_id: Option<&str>,
    limit: i64,
    offset: i64,
) -> Result<Vec<OAuthApp>> {
    let mut binds = Vec::new();
    let mut sql = String::from(APPS);
    if let Some(creator) = creator_id {
        binds.push(Bind::Str(creator));
        sql.push_str(" WHERE o.creatorid = $1");
    }
    let n = binds.len();
    sql.push_str(&format!(
        " ORDER BY o.createat, o.id LIMIT ${} OFFSET ${}",
        n + 1,
        n + 2
    ));
    binds.push(Bind::Int(limit));
    binds.push(Bind::Int(offset));
    query_rows::<AppRow, OAuthApp>(store, &sql, &binds).await
}

/// The apps `user_id` authorised (Mattermost's `GetAuthorizedApps`: by preference).
pub async fn authorized_apps(
    store: &Store,
    user_id: &str,
    limit: i64,
    offset: i64,
) -> Result<Vec<OAuthApp>> {
    let sql = format!(
        "{APPS} JOIN preferences p ON p.name = o.id AND p.userid = $1 AND p.category = $2 \
         ORDER BY o.createat, o.id LIMIT $3 OFFSET $4"
    );
    let binds = [
        Bind::Str(user_id),
        Bind::Str(CATEGORY_AUTHORIZED_OAUTH_APP),
        Bind::Int(limit),
        Bind::Int(offset),
    ];
    query_rows::<AppRow, OAuthApp>(store, &sql, &binds).await
}

/// Writes what an update may change; false when there is no such app.
pub async fn update_app(store: &Store, app: &OAuthApp) -> Result<bool> {
    let changed = execute!(
        store,
        "UPDATE oauthapps SET updateat = $2, name = $3, description = $4, callbackurls = $5, \
         homepage = $6, istrusted = $7, iconurl = $8 WHERE id = $1",
        &app.id,
        app.update_at,
        &app.name,
        &app.description,
        callbacks(app),
        &app.homepage,
        app.is_trusted,
        &app.icon_url,
    )?;
    Ok(changed == 1)
}

pub async fn set_secret(store: &Store, id: &str, secret: &str, update_at: i64) -> Result<bool> {
    let changed = execute!(
        store,
        "UPDATE oauthapps SET clientsecret = $2, updateat = $3 WHERE id = $1",
        id,
        secret,
        update_at,
    )?;
    Ok(changed == 1)
}

/// Deletes app `id` with everything it was granted: its sessions, grants, codes and the
/// users' authorisations, in one transaction. Answers the sessions that ended.
pub async fn delete_app(store: &Store, id: &str) -> Result<Vec<EndedSession>> {
    let ended: Vec<EndedRow> = transaction!(store, |tx| {
        let ended = sqlx::query_as(
            "DELETE FROM sessions WHERE token IN \
             (SELECT token FROM oauthaccessdata WHERE clientid = $1) RETURNING id, userid",
        )
        .bind(id)
        .fetch_all(&mut *tx)
        .await?;
        for sql in [
            "DELETE FROM oauthaccessdata WHERE clientid = $1",
            "DELETE FROM oauthauthdata WHERE clientid = $1",
            "DELETE FROM oauthapps WHERE id = $1",
        ] {
            sqlx::query(sql).bind(id).execute(&mut *tx).await?;
        }
        sqlx::query("DELETE FROM preferences WHERE category = $1 AND name = $2")
            .bind(CATEGORY_AUTHORIZED_OAUTH_APP)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        ended
    })?;
    Ok(ended.into_iter().map(EndedSession::from).collect())
}

/// An authorization code (`oauthauthdata`); `code` is its stored form.
#[derive(Debug, Clone, PartialEq, Eq, Default, sqlx::FromRow)]
pub struct AuthCode {
    pub clientid: String,
    pub userid: String,
    pub code: String,
    /// Seconds.
    pub expiresin: i32,
    pub createat: i64,
    pub redirecturi: String,
    pub state: String,
    pub scope: String,
    pub codechallenge: String,
    pub codechallengemethod: String,
}

pub async fn insert_code(store: &Store, c: &AuthCode) -> Result<()> {
    execute!(
        store,
        "INSERT INTO oauthauthdata (clientid, userid, code, expiresin, createat, redirecturi, \
         state, scope, codechallenge, codechallengemethod) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        &c.clientid,
        &c.userid,
        &c.code,
        c.expiresin,
        c.createat,
        &c.redirecturi,
        &c.state,
        &c.scope,
        &c.codechallenge,
        &c.codechallengemethod,
    )?;
    Ok(())
}

/// Deletes the code and answers it: only one caller ever gets a given code.
pub async fn take_code(store: &Store, code: &str) -> Result<Option<AuthCode>> {
    Ok(transaction!(store, |tx| {
        sqlx::query_as(
            "DELETE FROM oauthauthdata WHERE code = $1 RETURNING \
             COALESCE(clientid, '') AS clientid, COALESCE(userid, '') AS userid, code, \
             COALESCE(expiresin, 0) AS expiresin, COALESCE(createat, 0) AS createat, \
             COALESCE(redirecturi, '') AS redirecturi, COALESCE(state, '') AS state, \
             COALESCE(scope, '') AS scope, COALESCE(codechallenge, '') AS codechallenge, \
             COALESCE(codechallengemethod, '') AS codechallengemethod",
        )
        .bind(code)
        .fetch_optional(&mut *tx)
        .await?
    })?)
}

/// A grant (`oauthaccessdata`): `token` is the stored token of the grant's session,
/// `refreshtoken` the stored form of its refresh token.
#[derive(Debug, Clone, PartialEq, Eq, Default, sqlx::FromRow)]
pub struct Grant {
    pub token: String,
    pub refreshtoken: String,
    pub redirecturi: String,
    pub clientid: String,
    pub userid: String,
    pub expiresat: i64,
    pub scope: String,
}

/// Records `grant` as the one grant of its app and user: an earlier one is deleted with its
/// session, in the same transaction. Answers the sessions that ended.
pub async fn replace_grant(store: &Store, grant: &Grant) -> Result<Vec<EndedSession>> {
    let ended: Vec<EndedRow> = transaction!(store, |tx| {
        let ended = tx.end_grants(&grant.clientid, &grant.userid).await?;
        sqlx::query(
            "INSERT INTO oauthaccessdata (token, refreshtoken, redirecturi, clientid, userid, \
             expiresat, scope) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&grant.token)
        .bind(&grant.refreshtoken)
        .bind(&grant.redirecturi)
        .bind(&grant.clientid)
        .bind(&grant.userid)
        .bind(grant.expiresat)
        .bind(&grant.scope)
        .execute(&mut *tx)
        .await?;
        ended
    })?;
    Ok(ended.into_iter().map(EndedSession::from).collect())
}

/// Deletes app `client_id`'s grant whose stored refresh token is `refresh` with its session,
/// and answers both: the refresh token works once.
pub async fn take_grant_by_refresh(
    store: &Store,
    client_id: &str,
    refresh: &str,
) -> Result<Option<(Grant, Vec<EndedSession>)>> {
    let taken: Option<(Grant, Vec<EndedRow>)> = transaction!(store, |tx| {
        let grant: Option<Grant> = sqlx::query_as(
            "DELETE FROM oauthaccessdata WHERE refreshtoken = $1 AND clientid = $2 \
             RETURNING token, \
             COALESCE(refreshtoken, '') AS refreshtoken, \
             COALESCE(redirecturi, '') AS redirecturi, COALESCE(clientid, '') AS clientid, \
             COALESCE(userid, '') AS userid, COALESCE(expiresat, 0) AS expiresat, \
             COALESCE(scope, '') AS scope",
        )
        .bind(refresh)
        .bind(client_id)
        .fetch_optional(&mut *tx)
        .await?;
        match grant {
            Some(grant) => {
                let ended =
                    sqlx::query_as("DELETE FROM sessions WHERE token = $1 RETURNING id, userid")
                        .bind(&grant.token)
                        .fetch_all(&mut *tx)
                        .await?;
                Some((grant, ended))
            }
            None => None,
        }
    })?;
    Ok(taken.map(|(grant, ended)| (grant, ended.into_iter().map(EndedSession::from).collect())))
}

/// Mattermost's `DeauthorizeOAuthAppForUser`: the user's grant and session for the app, its
/// codes and the authorisation, in one transaction. Answers the sessions that ended.
pub async fn deauthorize(
    store: &Store,
    user_id: &str,
    client_id: &str,
) -> Result<Vec<EndedSession>> {
    let ended: Vec<EndedRow> = transaction!(store, |tx| {
        let ended = tx.end_grants(client_id, user_id).await?;
        sqlx::query("DELETE FROM oauthauthdata WHERE clientid = $1 AND userid = $2")
            .bind(client_id)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM preferences WHERE userid = $1 AND category = $2 AND name = $3")
            .bind(user_id)
            .bind(CATEGORY_AUTHORIZED_OAUTH_APP)
            .bind(client_id)
            .execute(&mut *tx)
            .await?;
        ended
    })?;
    Ok(ended.into_iter().map(EndedSession::from).collect())
}

/// The step the transactions that end a grant share.
trait GrantSteps {
    /// Deletes the grant of (`client_id`, `user_id`) and its session; answers the session.
    async fn end_grants(&mut self, client_id: &str, user_id: &str) -> Result<Vec<EndedRow>>;
}

for_each_connection!(impl GrantSteps {
    async fn end_grants(&mut self, client_id: &str, user_id: &str) -> Result<Vec<EndedRow>> {
        let ended = sqlx::query_as(
            "DELETE FROM sessions WHERE token IN (SELECT token FROM oauthaccessdata \
             WHERE clientid = $1 AND userid = $2) RETURNING id, userid",
        )
        .bind(client_id)
        .bind(user_id)
        .fetch_all(&mut *self)
        .await?;
        sqlx::query("DELETE FROM oauthaccessdata WHERE clientid = $1 AND userid = $2")
            .bind(client_id)
            .bind(user_id)
            .execute(&mut *self)
            .await?;
        Ok(ended)
    }
});
