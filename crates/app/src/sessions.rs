//! Login sessions: creation, token lookup, revocation.
//! Tokens are handed to clients raw and stored hashed, so a leaked database holds no usable
//! token. Mattermost stores tokens raw: at start-up those rows are rewritten into the hashed
//! form, and the raw token its client holds then matches like any other.
//! Lookups go through `caches::sessions`; every write to a session publishes the event that
//! drops its cached copy.

use crate::bus::Event;
use crate::errors::SessionError;
use crate::{App, AppResult};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::sync::Arc;
use utmost_model::id::encode_id;
use utmost_model::session::Session;
use utmost_model::user::User;
use utmost_model::{new_id, now_millis, AppError};
use utmost_store::sessions as store;

/// How often `last_activity_at` is written back, as Mattermost's `SessionActivityTimeout`.
const ACTIVITY_WRITE_INTERVAL_MS: i64 = 5 * 60 * 1000;
const HOUR_MS: i64 = 60 * 60 * 1000;

/// What kind of client a session is for; decides its length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionKind {
    Web,
    Mobile,
    Sso,
}

/// First character of every stored token. Upper-case, so outside the alphabet of
/// Mattermost's ids, which is what Mattermost stores raw: the start-up rewrite tells the rows
/// it has done by it.
const STORED_MARK: &str = "U";

/// The stored form of a token: the mark, then SHA-256 of it in the id encoding, upper-case,
/// to 26 characters in all, the width of Mattermost's `varchar(26)` token column.
pub fn hash_token(raw: &str) -> String {
    let digest = digest_id(raw).to_uppercase();
    format!("{STORED_MARK}{}", digest.get(..25).unwrap_or(&digest))
}

/// Whether a stored value is in the stored form (hashed), not a raw token Mattermost wrote.
pub(crate) fn is_stored_form(value: &str) -> bool {
    value.starts_with(STORED_MARK)
}

/// SHA-256, first 16 bytes, in the 26-char id encoding: how Utmost stored tokens before
/// the mark. It looks like a Mattermost token, so start-up rewrote it the same way.
fn digest_id(raw: &str) -> String {
    let digest = Sha256::digest(raw.as_bytes());
    let mut first = [0u8; 16];
    first.copy_from_slice(&digest[..16]);
    encode_id(&first)
}

/// What the database may hold for token `raw`: its stored form, or the rewritten form of a
/// row Utmost stored before the mark.
pub(crate) fn stored_forms(raw: &str) -> [String; 2] {
    [hash_token(raw), hash_token(&digest_id(raw))]
}

/// Rewrites the tokens stored without the mark (raw, as Mattermost writes them, or in
/// Utmost's earlier form) into the stored form, so no value in the database works as a
/// token. Run at start-up; rows already rewritten are left as they are.
pub async fn hash_unmarked_tokens(store: &utmost_store::Store) -> AppResult<()> {
    let rewritten = store::hash_unmarked_tokens(store, STORED_MARK, hash_token).await?;
    if rewritten > 0 {
        tracing::info!(rewritten, "stored tokens rewritten into the hashed form");
    }
    Ok(())
}

/// Mattermost's `IsMobileApp`: a device id or the mobile prop.
fn kind_of(session: &Session) -> SessionKind {
    if !session.device_id.is_empty()
        || session.props.get("isMobile").map(String::as_str) == Some("true")
    {
        SessionKind::Mobile
    } else {
        SessionKind::Web
    }
}

fn session_length_ms(app: &App, kind: SessionKind) -> i64 {
    let s = &app.config().service_settings;
    let hours = match kind {
        SessionKind::Web => s.session_length_web_in_hours,
        SessionKind::Mobile => s.session_length_mobile_in_hours,
        SessionKind::Sso => s.session_length_sso_in_hours,
    };
    hours.max(1) * HOUR_MS
}

/// Creates a session for `user`; the returned session carries the raw token.
pub async fn create(
    app: &App,
    user: &User,
    kind: SessionKind,
    device_id: &str,
    props: BTreeMap<String, String>,
) -> AppResult<Session> {
    insert_new(app, user, kind, device_id, props, false).await
}

/// Creates the session of an OAuth app's access token (Mattermost's `IsOAuth`, the SSO
/// length); the returned session carries the raw token.
pub async fn create_oauth(
    app: &App,
    user: &User,
    props: BTreeMap<String, String>,
) -> AppResult<Session> {
    insert_new(app, user, SessionKind::Sso, "", props, true).await
}

async fn insert_new(
    app: &App,
    user: &User,
    kind: SessionKind,
    device_id: &str,
    mut props: BTreeMap<String, String>,
    is_oauth: bool,
) -> AppResult<Session> {
    let now = now_millis();
    let raw = new_id();
    props.insert("csrf".into(), new_id());
    props.insert("is_guest".into(), user.is_guest().to_string());
    if kind == SessionKind::Mobile {
        props.insert("isMobile".into(), "true".into());
    }
    let mut session = Session {
        id: new_id(),
        token: hash_token(&raw),
        create_at: now,
        expires_at: now + session_length_ms(app, kind),
        last_activity_at: now,
        user_id: user.id.clone(),
        device_id: device_id.to_string(),
        roles: user.roles.clone(),
        is_oauth,
        props,
        ..Session::default()
    };
    store::insert(&app.store, &session).await?;
    session.token = raw;
    Ok(session)
}

/// The live session for a raw token, or None when the token is unknown or expired.
/// Personal access tokens get a session on first use.
pub async fn from_token(app: &App, raw: &str) -> AppResult<Option<Session>> {
    if raw.is_empty() || raw.len() > 64 {
        return Ok(None);
    }
    let forms = stored_forms(raw);
    let load = async {
        let found = match store::get_by_token(&app.store, &forms).await? {
            Some(s) => Some(s),
            None => crate::access_tokens::session_for_token(app, &forms).await?,
        };
        AppResult::Ok(found.map(Arc::new))
    };
    let cached = app
        .caches
        .sessions
        .get_or_load_found(forms[0].clone(), load);
    let Some(cached) = cached.await? else {
        return Ok(None);
    };
    let mut session = Session::clone(&cached);
    let now = now_millis();
    if session.is_expired(now) {
        revoke(app, &session.id).await?;
        return Ok(None);
    }
    if now - session.last_activity_at > ACTIVITY_WRITE_INTERVAL_MS {
        let expires_at = if app
            .config()
            .service_settings
            .extend_session_length_with_activity
            && !session.is_user_access_token()
            && session.expires_at > 0
        {
            now + session_length_ms(app, kind_of(&session))
        } else {
            session.expires_at
        };
        store::touch(&app.store, &session.id, now, expires_at).await?;
        updated(app, &session.id).await;
        session.last_activity_at = now;
        session.expires_at = expires_at;
    }
    session.token = raw.to_string();
    Ok(Some(session))
}

/// Tells the bus a session row changed (its cached copies are stale).
async fn updated(app: &App, session_id: &str) {
    app.publish(Event::SessionUpdated {
        session_id: session_id.to_string(),
    })
    .await;
}

pub async fn revoke(app: &App, session_id: &str) -> AppResult<()> {
    let ended = store::delete(&app.store, session_id).await?;
    app.publish(Event::SessionsEnded { sessions: ended }).await;
    Ok(())
}

/// `POST /users/{id}/sessions/revoke`: the session must exist and belong to `user_id`.
pub async fn revoke_of_user(app: &App, user_id: &str, session_id: &str) -> AppResult<()> {
    let session = store::get(&app.store, session_id)
        .await?
        .ok_or(SessionError::NotFound)?;
    if session.user_id != user_id {
        return Err(AppError::invalid_url_param("user_id"));
    }
    revoke(app, &session.id).await
}

pub async fn revoke_all_for_user(app: &App, user_id: &str) -> AppResult<()> {
    store::delete_for_user(&app.store, user_id).await?;
    app.publish(Event::UserSessionsEnded {
        user_id: user_id.to_string(),
    })
    .await;
    Ok(())
}

/// `POST /users/sessions/revoke/all`: everyone is logged out.
pub async fn revoke_everyone(app: &App) -> AppResult<()> {
    store::delete_all(&app.store).await?;
    app.publish(Event::AllSessionsEnded).await;
    Ok(())
}

/// Ends `user_id`'s sessions on `device_id` other than `keep`.
pub async fn revoke_for_device(
    app: &App,
    user_id: &str,
    device_id: &str,
    keep: &str,
) -> AppResult<()> {
    let ended = store::delete_for_device(&app.store, user_id, device_id, keep).await?;
    app.publish(Event::SessionsEnded { sessions: ended }).await;
    Ok(())
}

/// `PUT /users/sessions/device`: binds the session to a mobile device (for push
/// notifications), ends the user's other sessions on it, and gives the session the mobile
/// length.
pub async fn attach_device(
    app: &App,
    session: &Session,
    device_id: &str,
    extra_props: BTreeMap<String, String>,
) -> AppResult<()> {
    revoke_for_device(app, &session.user_id, device_id, &session.id).await?;
    let hours = app
        .config()
        .service_settings
        .session_length_mobile_in_hours
        .max(1);
    let start = if app
        .config()
        .service_settings
        .extend_session_length_with_activity
    {
        now_millis()
    } else {
        session.create_at
    };
    store::update_device_id(&app.store, &session.id, device_id, start + hours * HOUR_MS).await?;
    if !extra_props.is_empty() {
        let mut props = session.props.clone();
        props.extend(extra_props);
        store::update_props(&app.store, &session.id, &props).await?;
    }
    updated(app, &session.id).await;
    Ok(())
}

pub async fn list_for_user(app: &App, user_id: &str) -> AppResult<Vec<Session>> {
    Ok(store::list_for_user(&app.store, user_id)
        .await?
        .into_iter()
        .map(Session::sanitized)
        .collect())
}

pub async fn get(app: &App, session_id: &str) -> AppResult<Option<Session>> {
    Ok(store::get(&app.store, session_id).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_tokens_fit_the_token_column_and_never_look_like_mattermost_tokens() {
        for _ in 0..100 {
            let raw = new_id();
            let h = hash_token(&raw);
            assert_eq!(h.len(), 26);
            assert_eq!(h, hash_token(&raw));
            assert!(h.starts_with(STORED_MARK));
            // Mattermost's ids, its raw tokens, are lower-case.
            assert_ne!(h.to_lowercase(), h);
            assert_eq!(stored_forms(&raw)[0], h);
            assert!(!stored_forms(&raw).contains(&raw));
        }
    }
}
