//! Users. A user row joins `bots` (is_bot, description, icon) and `status` (last activity),
//! as Mattermost's user store does.

use crate::db::{execute, for_each_connection, query_rows, read, transaction, Bind};
use crate::types::Json;
use crate::{Result, Store, StoreError};
use std::collections::BTreeMap;
use utmost_model::roles::SYSTEM_ADMIN;
use utmost_model::user::User;

mod auth;
mod listing;
pub use auth::{get_by_auth, list_by_auth_service, set_auth};
pub use listing::{count, list, UserFilter, UserSort, Visibility};
pub use listing::{report_count, report_page, ReportColumn};

type StringMap = BTreeMap<String, String>;

#[derive(sqlx::FromRow)]
pub(crate) struct UserRow {
    id: String,
    createat: Option<i64>,
    updateat: Option<i64>,
    deleteat: Option<i64>,
    username: Option<String>,
    password: Option<String>,
    authdata: Option<String>,
    authservice: Option<String>,
    email: Option<String>,
    emailverified: Option<bool>,
    nickname: Option<String>,
    firstname: Option<String>,
    lastname: Option<String>,
    position: Option<String>,
    roles: Option<String>,
    allowmarketing: Option<bool>,
    props: Option<Json<StringMap>>,
    notifyprops: Option<Json<StringMap>>,
    lastpasswordupdate: Option<i64>,
    lastpictureupdate: Option<i64>,
    failedattempts: Option<i64>,
    locale: Option<String>,
    timezone: Option<Json<StringMap>>,
    mfaactive: Option<bool>,
    mfasecret: Option<String>,
    remoteid: Option<String>,
    lastlogin: Option<i64>,
    isbot: Option<bool>,
    botdescription: Option<String>,
    botlasticonupdate: Option<i64>,
    lastactivityat: Option<i64>,
}

impl From<UserRow> for User {
    fn from(r: UserRow) -> Self {
        User {
            id: r.id,
            create_at: r.createat.unwrap_or(0),
            update_at: r.updateat.unwrap_or(0),
            delete_at: r.deleteat.unwrap_or(0),
            username: r.username.unwrap_or_default(),
            password: r.password.unwrap_or_default(),
            auth_data: r.authdata.unwrap_or_default(),
            auth_service: r.authservice.unwrap_or_default(),
            email: r.email.unwrap_or_default(),
            email_verified: r.emailverified.unwrap_or(false),
            nickname: r.nickname.unwrap_or_default(),
            first_name: r.firstname.unwrap_or_default(),
            last_name: r.lastname.unwrap_or_default(),
            position: r.position.unwrap_or_default(),
            roles: r.roles.unwrap_or_default(),
            allow_marketing: r.allowmarketing.unwrap_or(false),
            props: r.props.map(|j| j.0).unwrap_or_default(),
            notify_props: r.notifyprops.map(|j| j.0).unwrap_or_default(),
            last_password_update: r.lastpasswordupdate.unwrap_or(0),
            last_picture_update: r.lastpictureupdate.unwrap_or(0),
            failed_attempts: r.failedattempts.unwrap_or(0),
            locale: r.locale.unwrap_or_default(),
            timezone: r.timezone.map(|j| j.0).unwrap_or_default(),
            mfa_active: r.mfaactive.unwrap_or(false),
            mfa_secret: r.mfasecret.unwrap_or_default(),
            remote_id: r.remoteid.filter(|s| !s.is_empty()),
            last_login: r.lastlogin.unwrap_or(0),
            is_bot: r.isbot.unwrap_or(false),
            bot_description: r.botdescription.unwrap_or_default(),
            bot_last_icon_update: r.botlasticonupdate.unwrap_or(0),
            last_activity_at: r.lastactivityat.unwrap_or(0),
            ..User::default()
        }
    }
}

/// The SELECT list and FROM clause every user query shares; append WHERE / ORDER BY.
pub(crate) const SELECT_USERS: &str = "SELECT u.id, u.createat, u.updateat, u.deleteat, \
    u.username, u.password, u.authdata, u.authservice, u.email, u.emailverified, u.nickname, \
    u.firstname, u.lastname, u.position, u.roles, u.allowmarketing, u.props, u.notifyprops, \
    u.lastpasswordupdate, u.lastpictureupdate, CAST(u.failedattempts AS BIGINT) AS failedattempts, \
    u.locale, u.timezone, u.mfaactive, u.mfasecret, u.remoteid, u.lastlogin, \
    (b.userid IS NOT NULL) AS isbot, b.description AS botdescription, \
    b.lasticonupdate AS botlasticonupdate, s.lastactivityat AS lastactivityat \
    FROM users u LEFT JOIN bots b ON b.userid = u.id LEFT JOIN status s ON s.userid = u.id";

/// Runs a query built on `SELECT_USERS`.
pub(crate) async fn query_users(store: &Store, sql: &str, binds: &[Bind<'_>]) -> Result<Vec<User>> {
    query_rows::<UserRow, _>(store, sql, binds).await
}

async fn one(store: &Store, filter: &str, value: &str) -> Result<Option<User>> {
    let sql = format!("{SELECT_USERS} WHERE {filter}");
    let binds = [Bind::Str(value)];
    Ok(query_users(store, &sql, &binds).await?.into_iter().next())
}

pub async fn get(store: &Store, id: &str) -> Result<Option<User>> {
    one(store, "u.id = $1", id).await
}

/// By username; usernames are stored lower-case.
pub async fn get_by_username(store: &Store, username: &str) -> Result<Option<User>> {
    one(store, "u.username = $1", &username.to_lowercase()).await
}

/// By e-mail; addresses are stored lower-case.
pub async fn get_by_email(store: &Store, email: &str) -> Result<Option<User>> {
    one(store, "u.email = $1", &email.to_lowercase()).await
}

/// How many accounts exist (live or not); zero means the next sign-up is the first admin.
pub async fn count_all(store: &Store) -> Result<i64> {
    Ok(read!(store, |p| sqlx::query_scalar::<_, i64>(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM users"
    )
    .fetch_one(p)
    .await)?)
}

/// Human accounts, deactivated ones too: whether there is any decides who is the first
/// account (Mattermost's `IsFirstUserAccount`: bots that plugins or the server made before
/// anyone signed up do not count).
pub async fn count_humans(store: &Store) -> Result<i64> {
    let sql =
        "SELECT CAST(COUNT(*) AS BIGINT) FROM users WHERE id NOT IN (SELECT userid FROM bots)";
    Ok(read!(store, |p| sqlx::query_scalar::<_, i64>(sql)
        .fetch_one(p)
        .await)?)
}

/// Active human accounts (not deactivated, not bots), as `GET /limits/server` reports them.
pub async fn count_active_users(store: &Store) -> Result<i64> {
    let sql = "SELECT CAST(COUNT(*) AS BIGINT) FROM users \
               WHERE deleteat = 0 AND id NOT IN (SELECT userid FROM bots)";
    Ok(read!(store, |p| sqlx::query_scalar::<_, i64>(sql)
        .fetch_one(p)
        .await)?)
}

const INSERT: &str = "INSERT INTO users (id, createat, updateat, deleteat, username, password, \
    authdata, authservice, email, emailverified, nickname, firstname, lastname, position, roles, \
    allowmarketing, props, notifyprops, lastpasswordupdate, lastpictureupdate, failedattempts, \
    locale, timezone, mfaactive, mfasecret, remoteid, lastlogin, mfausedtimestamps) VALUES ($1, \
    $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, \
    $22, $23, $24, $25, $26, $27, $28)";

/// The one step user writes share inside their transaction.
pub(crate) trait UserSteps {
    /// Inserts every stored column of `u`.
    async fn insert_user(&mut self, u: &User) -> Result<()>;
}

for_each_connection!(impl UserSteps {
    async fn insert_user(&mut self, u: &User) -> Result<()> {
        sqlx::query(INSERT)
            .bind(&u.id)
            .bind(u.create_at)
            .bind(u.update_at)
            .bind(u.delete_at)
            .bind(&u.username)
            .bind(&u.password)
            .bind(none_if_empty(&u.auth_data))
            .bind(&u.auth_service)
            .bind(&u.email)
            .bind(u.email_verified)
            .bind(&u.nickname)
            .bind(&u.first_name)
            .bind(&u.last_name)
            .bind(&u.position)
            .bind(&u.roles)
            .bind(u.allow_marketing)
            .bind(Json(&u.props))
            .bind(Json(&u.notify_props))
            .bind(u.last_password_update)
            .bind(u.last_picture_update)
            .bind(i32::try_from(u.failed_attempts).unwrap_or(i32::MAX))
            .bind(&u.locale)
            .bind(Json(&u.timezone))
            .bind(u.mfa_active)
            .bind(&u.mfa_secret)
            .bind(u.remote_id.as_deref())
            .bind(u.last_login)
            .bind(Json(Vec::<String>::new()))
            .execute(&mut *self)
            .await?;
        Ok(())
    }
});

/// Inserts a new user. A taken username or e-mail is `Conflict("username"|"email")`.
pub async fn insert(store: &Store, u: &User) -> Result<()> {
    transaction!(store, |tx| tx.insert_user(u).await?).map_err(unique_field)
}

/// Claims the first account for `$1` when there is no human account yet. The claim row's unique
/// name makes the decision atomic: of concurrent sign-ups (PostgreSQL lets each see no users
/// before the others commit) exactly one inserts it, the others find it taken.
const CLAIM_FIRST_ACCOUNT: &str = "INSERT INTO systems (name, value) SELECT 'FirstAccountUserId', \
    $1 WHERE NOT EXISTS (SELECT 1 FROM users WHERE id NOT IN (SELECT userid FROM bots)) \
    ON CONFLICT (name) DO NOTHING";

/// Inserts `u` if, and only if, it is the very first human account; false (nothing written)
/// when one exists or a concurrent sign-up came first.
pub async fn insert_if_first(store: &Store, u: &User) -> Result<bool> {
    transaction!(store, |tx| {
        let claimed = sqlx::query(CLAIM_FIRST_ACCOUNT)
            .bind(&u.id)
            .execute(&mut *tx)
            .await?
            .rows_affected()
            == 1;
        if claimed {
            tx.insert_user(u).await?;
        }
        claimed
    })
    .map_err(unique_field)
}

/// Rewrites the profile fields of a user (not the password, not the counters).
pub async fn update_profile(store: &Store, u: &User) -> Result<()> {
    let sql = "UPDATE users SET updateat = $1, deleteat = $2, username = $3, authdata = $4, \
        authservice = $5, email = $6, emailverified = $7, nickname = $8, firstname = $9, \
        lastname = $10, position = $11, roles = $12, allowmarketing = $13, props = $14, \
        notifyprops = $15, locale = $16, timezone = $17, lastpictureupdate = $18, remoteid = $19 \
        WHERE id = $20";
    let result = execute!(
        store,
        sql,
        u.update_at,
        u.delete_at,
        &u.username,
        none_if_empty(&u.auth_data),
        &u.auth_service,
        &u.email,
        u.email_verified,
        &u.nickname,
        &u.first_name,
        &u.last_name,
        &u.position,
        &u.roles,
        u.allow_marketing,
        Json(&u.props),
        Json(&u.notify_props),
        &u.locale,
        Json(&u.timezone),
        u.last_picture_update,
        u.remote_id.as_deref(),
        &u.id
    );
    result.map(|_| ()).map_err(|e| unique_field(e.into()))
}

/// Rewrites a user's `props` (custom status and the like), which mention parsing never reads.
pub async fn update_props(
    store: &Store,
    id: &str,
    props: &BTreeMap<String, String>,
    at: i64,
) -> Result<()> {
    execute!(
        store,
        "UPDATE users SET props = $1, updateat = $2 WHERE id = $3",
        Json(props),
        at,
        id
    )?;
    Ok(())
}

/// When the user's picture last changed; a negative time (minus the moment) marks a reset
/// to the generated picture, as Mattermost's `ResetLastPictureUpdate` does, so clients that
/// key their cache on it still see a change.
pub async fn set_last_picture_update(
    store: &Store,
    id: &str,
    picture_at: i64,
    at: i64,
) -> Result<()> {
    execute!(
        store,
        "UPDATE users SET lastpictureupdate = $1, updateat = $2 WHERE id = $3",
        picture_at,
        at,
        id
    )?;
    Ok(())
}

pub async fn update_password(store: &Store, id: &str, hash: &str, at: i64) -> Result<()> {
    execute!(
        store,
        "UPDATE users SET password = $1, lastpasswordupdate = $2, updateat = $2, \
         failedattempts = 0 WHERE id = $3",
        hash,
        at,
        id
    )?;
    Ok(())
}

/// Deactivates (`delete_at` > 0) or reactivates (0) a user; deactivation also ends every
/// session of the user, in the same transaction.
pub async fn set_delete_at(store: &Store, id: &str, delete_at: i64, at: i64) -> Result<()> {
    transaction!(store, |tx| {
        sqlx::query("UPDATE users SET deleteat = $1, updateat = $2 WHERE id = $3")
            .bind(delete_at)
            .bind(at)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if delete_at > 0 {
            sqlx::query("DELETE FROM sessions WHERE userid = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
    })
}

/// Sets a user's system roles and copies them into the user's sessions, as Mattermost does,
/// so the change takes effect without a new login.
/// Sets a user's roles (and their sessions'), unless that takes `system_admin` from the last
/// active system admin: false then, and nothing changed. The admins' rows are locked first
/// (a no-op update), so two admins demoting each other at once leave one of them admin.
pub async fn set_roles(store: &Store, id: &str, roles: &str, at: i64) -> Result<bool> {
    const ADMINS: &str = "deleteat = 0 AND (' ' || roles || ' ') LIKE '% system_admin %'";
    transaction!(store, |tx| {
        sqlx::query(&format!("UPDATE users SET roles = roles WHERE {ADMINS}"))
            .execute(&mut *tx)
            .await?;
        let before: Option<String> = sqlx::query_scalar("SELECT roles FROM users WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
        sqlx::query("UPDATE users SET roles = $1, updateat = $2 WHERE id = $3")
            .bind(roles)
            .bind(at)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE sessions SET roles = $1 WHERE userid = $2")
            .bind(roles)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let is_admin = |roles: &str| roles.split_whitespace().any(|r| r == SYSTEM_ADMIN);
        if before.as_deref().is_some_and(is_admin) && !is_admin(roles) {
            let count = format!("SELECT CAST(COUNT(*) AS BIGINT) FROM users WHERE {ADMINS}");
            let admins: i64 = sqlx::query_scalar(&count).fetch_one(&mut *tx).await?;
            if admins == 0 {
                return Ok(false);
            }
        }
        true
    })
}

/// Counts one more login attempt unless `max` (when positive) are already counted; false
/// when the account is locked. One conditional update, so concurrent attempts cannot all
/// read the same count and slip past the limit.
pub async fn reserve_login_attempt(store: &Store, id: &str, max: i64) -> Result<bool> {
    let counted = execute!(
        store,
        "UPDATE users SET failedattempts = failedattempts + 1 \
         WHERE id = $1 AND ($2 <= 0 OR failedattempts < $2)",
        id,
        max
    )?;
    Ok(counted == 1)
}

/// Takes back an attempt [`reserve_login_attempt`] counted (the password was right).
pub async fn release_login_attempt(store: &Store, id: &str) -> Result<()> {
    execute!(
        store,
        "UPDATE users SET failedattempts = failedattempts - 1 WHERE id = $1 AND failedattempts > 0",
        id
    )?;
    Ok(())
}

/// Records a successful login: resets the failed-attempt counter.
pub async fn record_login(store: &Store, id: &str, at: i64) -> Result<()> {
    execute!(
        store,
        "UPDATE users SET lastlogin = $1, failedattempts = 0 WHERE id = $2",
        at,
        id
    )?;
    Ok(())
}

fn none_if_empty(s: &str) -> Option<&str> {
    (!s.is_empty()).then_some(s)
}

/// Names the unique column a conflicting insert hit, so the app can pick Mattermost's error.
pub(crate) fn unique_field(e: StoreError) -> StoreError {
    match e {
        StoreError::Conflict(c) if c.contains("username") => {
            StoreError::Conflict("username".into())
        }
        StoreError::Conflict(c) if c.contains("email") => StoreError::Conflict("email".into()),
        StoreError::Conflict(c) if c.contains("authdata") => {
            StoreError::Conflict("authdata".into())
        }
        other => other,
    }
}

/// Marks `email` verified as the user's address (Mattermost's `VerifyEmail`).
pub async fn verify_email(store: &Store, id: &str, email: &str, at: i64) -> Result<()> {
    execute!(
        store,
        "UPDATE users SET email = $1, emailverified = $2, updateat = $3 WHERE id = $4",
        email,
        true,
        at,
        id
    )?;
    Ok(())
}
