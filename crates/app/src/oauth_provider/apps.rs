//! Registering and managing OAuth apps (`api4/oauth.go`), with Mattermost's checks in its
//! order: `manage_oauth` for everything, `manage_system_wide_oauth` for another user's app,
//! `manage_system` to mark an app trusted (it then skips the consent page).

use super::{require_enabled, stored, OAuthProviderError as E};
use crate::authorization::{has_system_permission, require, require_act_on_user, require_system};
use crate::bus::Event;
use crate::sessions::is_stored_form;
use crate::{App, AppResult};
use utmost_model::channel_bookmark::is_valid_http_url;
use utmost_model::oauth::{OAuthApp, CATEGORY_AUTHORIZED_OAUTH_APP};
use utmost_model::permissions::{MANAGE_OAUTH, MANAGE_SYSTEM, MANAGE_SYSTEM_WIDE_OAUTH};
use utmost_model::preference::Preference;
use utmost_model::session::Session;
use utmost_model::{is_valid_id, new_id, now_millis, AppError};
use utmost_store::oauth_provider as store;

/// Go's `fmt.Sprintf("%s", list)`: `[a b c]`, which Mattermost bounds to 1024 bytes.
fn go_list_len(list: &[String]) -> usize {
    2 + list.iter().map(String::len).sum::<usize>() + list.len().saturating_sub(1)
}

/// `OAuthApp.IsValid` over what a client can set, in its order.
fn validate(a: &OAuthApp) -> AppResult<()> {
    let invalid = if a.name.is_empty() || a.name.len() > 64 {
        Some("model.oauth.is_valid.name.app_error")
    } else if a.callback_urls.is_empty()
        || go_list_len(&a.callback_urls) > 1024
        || !a.callback_urls.iter().all(|u| is_valid_http_url(u))
    {
        Some("model.oauth.is_valid.callback.app_error")
    } else if a.homepage.is_empty() || a.homepage.len() > 256 || !is_valid_http_url(&a.homepage) {
        Some("model.oauth.is_valid.homepage.app_error")
    } else if a.description.chars().count() > 512 {
        Some("model.oauth.is_valid.description.app_error")
    } else if !a.icon_url.is_empty() && (a.icon_url.len() > 512 || !is_valid_http_url(&a.icon_url))
    {
        Some("model.oauth.is_valid.icon_url.app_error")
    } else if a.mattermost_app_id.len() > 32 {
        Some("model.oauth.is_valid.mattermost_app_id.app_error")
    } else {
        None
    };
    match invalid {
        Some(id) => Err(E::Invalid(id).into()),
        None => Ok(()),
    }
}

/// `GetOAuthApp`: 501 when the provider is off, 404 when there is no such app.
pub async fn find(app: &App, id: &str) -> AppResult<OAuthApp> {
    require_enabled(app, E::Disabled)?;
    Ok(store::get_app(&app.store, id)
        .await?
        .ok_or(E::AppNotFound)?)
}

/// The app `id`, which the session may manage: its own, or any with
/// `manage_system_wide_oauth`.
async fn managed(app: &App, session: &Session, id: &str) -> AppResult<OAuthApp> {
    require_system(app, session, MANAGE_OAUTH)?;
    let found = find(app, id).await?;
    require(
        found.creator_id == session.user_id
            || has_system_permission(app, session, MANAGE_SYSTEM_WIDE_OAUTH),
        MANAGE_SYSTEM_WIDE_OAUTH,
    )?;
    Ok(found)
}

/// `POST /oauth/apps`: the answer carries the client secret, the only time but a
/// regeneration it is shown.
pub async fn register(app: &App, session: &Session, input: OAuthApp) -> AppResult<OAuthApp> {
    require_system(app, session, MANAGE_OAUTH)?;
    require_enabled(app, E::RegisterDisabled)?;
    let now = now_millis();
    let mut created = OAuthApp {
        id: new_id(),
        creator_id: session.user_id.clone(),
        create_at: now,
        update_at: now,
        client_secret: String::new(),
        is_trusted: input.is_trusted && has_system_permission(app, session, MANAGE_SYSTEM),
        ..input
    };
    validate(&created)?;
    let secret = new_id();
    store::insert_app(&app.store, &created, &stored(&secret)).await?;
    created.client_secret = secret;
    Ok(created)
}

/// `GET /oauth/apps`: every app with `manage_system_wide_oauth`, else the session's own.
pub async fn list(
    app: &App,
    session: &Session,
    limit: i64,
    offset: i64,
) -> AppResult<Vec<OAuthApp>> {
    if !has_system_permission(app, session, MANAGE_OAUTH) {
        return Err(E::AdminOnly.into());
    }
    require_enabled(app, E::Disabled)?;
    let creator = (!has_system_permission(app, session, MANAGE_SYSTEM_WIDE_OAUTH))
        .then_some(session.user_id.as_str());
    Ok(store::list_apps(&app.store, creator, limit, offset).await?)
}

/// `GET /oauth/apps/{app_id}`.
pub async fn get(app: &App, session: &Session, id: &str) -> AppResult<OAuthApp> {
    managed(app, session, id).await
}

/// `GET /oauth/apps/{app_id}/info`: what the consent page shows, for any signed-in user.
pub async fn info(app: &App, id: &str) -> AppResult<OAuthApp> {
    find(app, id).await
}

/// `PUT /oauth/apps/{app_id}`: the body must name the app of the URL; id, creator, creation
/// time and secret stay, and only `manage_system` changes whether the app is trusted.
pub async fn update(
    app: &App,
    session: &Session,
    id: &str,
    input: OAuthApp,
) -> AppResult<OAuthApp> {
    require_system(app, session, MANAGE_OAUTH)?;
    if input.id != id {
        return Err(AppError::invalid_param("app_id"));
    }
    let old = managed(app, session, id).await?;
    let updated = OAuthApp {
        id: old.id,
        creator_id: old.creator_id,
        create_at: old.create_at,
        update_at: now_millis(),
        client_secret: String::new(),
        is_trusted: if has_system_permission(app, session, MANAGE_SYSTEM) {
            input.is_trusted
        } else {
            old.is_trusted
        },
        mattermost_app_id: old.mattermost_app_id,
        ..input
    };
    validate(&updated)?;
    if !store::update_app(&app.store, &updated).await? {
        return Err(E::AppNotFound.into());
    }
    Ok(updated)
}

/// `DELETE /oauth/apps/{app_id}`: the app's tokens stop working at once.
pub async fn delete(app: &App, session: &Session, id: &str) -> AppResult<()> {
    let found = managed(app, session, id).await?;
    let ended = store::delete_app(&app.store, &found.id).await?;
    app.publish(Event::SessionsEnded { sessions: ended }).await;
    Ok(())
}

/// `POST /oauth/apps/{app_id}/regen_secret`: the answer carries the new secret.
pub async fn regenerate_secret(app: &App, session: &Session, id: &str) -> AppResult<OAuthApp> {
    let mut found = managed(app, session, id).await?;
    let secret = new_id();
    found.update_at = now_millis();
    if !store::set_secret(&app.store, id, &stored(&secret), found.update_at).await? {
        return Err(E::AppNotFound.into());
    }
    found.client_secret = secret;
    Ok(found)
}

/// Whether `secret` is app `id`'s client secret. A secret a Mattermost database holds in
/// clear is accepted once and stored hashed from then on.
pub(super) async fn secret_matches(app: &App, id: &str, secret: &str) -> AppResult<bool> {
    let Some(stored_secret) = store::get_secret(&app.store, id).await? else {
        return Ok(false);
    };
    let given = stored(secret);
    if stored_secret == given {
        return Ok(true);
    }
    // Compared through the hash, so the comparison's time says nothing about the secret; a
    // hashed value is never compared as a secret, or a dump's value would work.
    let legacy = !stored_secret.is_empty()
        && !is_stored_form(&stored_secret)
        && stored(&stored_secret) == given;
    if legacy {
        store::set_secret(&app.store, id, &given, now_millis()).await?;
    }
    Ok(legacy)
}

/// `GET /users/{user_id}/oauth/apps/authorized`.
pub async fn authorized(
    app: &App,
    session: &Session,
    user_id: &str,
    limit: i64,
    offset: i64,
) -> AppResult<Vec<OAuthApp>> {
    require_act_on_user(app, session, user_id).await?;
    require_enabled(app, E::Disabled)?;
    Ok(store::authorized_apps(&app.store, user_id, limit, offset).await?)
}

/// `POST /oauth/deauthorize`: the session's user withdraws app `client_id`'s access; its
/// token stops working at once.
pub async fn deauthorize(app: &App, session: &Session, client_id: &str) -> AppResult<()> {
    if !is_valid_id(client_id) {
        return Err(AppError::invalid_param("client_id"));
    }
    require_enabled(app, E::Disabled)?;
    let ended = store::deauthorize(&app.store, &session.user_id, client_id).await?;
    app.publish(Event::SessionsEnded { sessions: ended }).await;
    app.publish(Event::PreferencesDeleted {
        user_id: session.user_id.clone(),
        preferences: vec![Preference {
            user_id: session.user_id.clone(),
            category: CATEGORY_AUTHORIZED_OAUTH_APP.into(),
            name: client_id.into(),
            value: String::new(),
        }],
    })
    .await;
    Ok(())
}
