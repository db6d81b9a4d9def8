//! Personal access tokens. The raw token is shown once, at creation; the database keeps its
//! hash (tokens Mattermost wrote raw are hashed at start-up, see `sessions`). A token gets its session on first
//! use, as in Mattermost, and revoking or disabling it ends that session.

use crate::bus::Event;
use crate::errors::AccessTokenError;
use crate::sessions::hash_token;
use crate::{App, AppResult};
use std::collections::BTreeMap;
use utmost_model::access_token::{
    UserAccessToken, SESSION_PROP_TYPE, SESSION_PROP_USER_ACCESS_TOKEN_ID,
    SESSION_TYPE_USER_ACCESS_TOKEN,
};
use utmost_model::session::Session;
use utmost_model::{new_id, now_millis};
use utmost_store::access_tokens as store;

/// Mattermost's `SessionUserAccessTokenExpiryHours`: a token session lasts 100 years.
const TOKEN_SESSION_LENGTH_MS: i64 = 100 * 365 * 24 * 60 * 60 * 1000;

/// Longest description Mattermost accepts.
const MAX_DESCRIPTION_LEN: usize = 255;

fn sanitized(mut t: UserAccessToken) -> UserAccessToken {
    t.token.clear();
    t
}

/// Creates a token for `user_id`; the answer carries the raw token, the only time it is seen.
pub async fn create(app: &App, user_id: &str, description: &str) -> AppResult<UserAccessToken> {
    let user = crate::users::get(app, user_id).await?;
    if !app.config().service_settings.enable_user_access_tokens && !user.is_bot {
        return Err(AccessTokenError::Disabled.into());
    }
    if description.len() > MAX_DESCRIPTION_LEN {
        return Err(AccessTokenError::DescriptionTooLong.into());
    }
    let raw = new_id();
    let token = UserAccessToken {
        id: new_id(),
        token: hash_token(&raw),
        user_id: user.id,
        description: description.to_string(),
        is_active: true,
    };
    store::insert(&app.store, &token).await?;
    Ok(UserAccessToken {
        token: raw,
        ..token
    })
}

/// One token, without its secret; 404 when there is none.
pub async fn get(app: &App, token_id: &str) -> AppResult<UserAccessToken> {
    store::get(&app.store, token_id)
        .await?
        .map(sanitized)
        .ok_or_else(|| AccessTokenError::NotFound.into())
}

/// A page of one user's tokens (`user_id` Some) or of all tokens, without secrets.
pub async fn list(
    app: &App,
    user_id: Option<&str>,
    limit: i64,
    offset: i64,
) -> AppResult<Vec<UserAccessToken>> {
    let tokens = store::list(&app.store, user_id, limit, offset).await?;
    Ok(tokens.into_iter().map(sanitized).collect())
}

/// Tokens whose id, user id or owner's username starts with `term`.
pub async fn search(app: &App, term: &str) -> AppResult<Vec<UserAccessToken>> {
    let tokens = store::search(&app.store, term).await?;
    Ok(tokens.into_iter().map(sanitized).collect())
}

/// Deletes the token and ends its session.
pub async fn revoke(app: &App, token_id: &str) -> AppResult<()> {
    let ended = store::delete(&app.store, token_id).await?;
    app.publish(Event::SessionsEnded { sessions: ended }).await;
    Ok(())
}

/// Disables (ending its session) or re-enables the token.
pub async fn set_active(app: &App, token_id: &str, active: bool) -> AppResult<()> {
    let ended = if active {
        store::enable(&app.store, token_id).await?;
        Vec::new()
    } else {
        store::disable(&app.store, token_id).await?
    };
    app.publish(Event::SessionsEnded { sessions: ended }).await;
    Ok(())
}

/// The session for a personal access token that has none yet; None when no active token of
/// an active user is stored in one of `stored_forms` (or tokens are off for non-bots), as
/// Mattermost's `createSessionForUserAccessToken`.
pub async fn session_for_token(
    app: &App,
    stored_forms: &[String; 2],
) -> AppResult<Option<Session>> {
    let Some(token) = store::get_by_token(&app.store, stored_forms).await? else {
        return Ok(None);
    };
    if !token.is_active {
        return Ok(None);
    }
    let Some(user) = utmost_store::users::get(&app.store, &token.user_id).await? else {
        return Ok(None);
    };
    if user.delete_at != 0
        || (!app.config().service_settings.enable_user_access_tokens && !user.is_bot)
    {
        return Ok(None);
    }
    let mut props = BTreeMap::new();
    props.insert(
        SESSION_PROP_USER_ACCESS_TOKEN_ID.to_string(),
        token.id.clone(),
    );
    props.insert(
        SESSION_PROP_TYPE.to_string(),
        SESSION_TYPE_USER_ACCESS_TOKEN.to_string(),
    );
    props.insert("is_guest".into(), user.is_guest().to_string());
    if user.is_bot {
        props.insert("is_bot".into(), "true".into());
    }
    let now = now_millis();
    let session = Session {
        id: new_id(),
        // The form the token table holds, so revoking the token finds this session.
        token: token.token,
        create_at: now,
        expires_at: now + TOKEN_SESSION_LENGTH_MS,
        last_activity_at: now,
        user_id: user.id,
        roles: user.roles,
        props,
        ..Session::default()
    };
    utmost_store::sessions::insert(&app.store, &session).await?;
    Ok(Some(session))
}
