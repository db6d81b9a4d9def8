//! Per-user preferences (`app/preference.go`): read, save and delete, only for oneself unless
//! the session may edit other users.

use crate::authorization::has_channel_permission;
use crate::bus::Event;
use crate::errors::PreferenceError;
use crate::{App, AppResult};
use utmost_model::permissions;
use utmost_model::preference::{Preference, CATEGORY_FLAGGED_POST};
use utmost_model::session::Session;
use utmost_model::AppError;
use utmost_store::preferences as store;

/// Mattermost's limit on preferences per save or delete request.
pub const MAX_PER_REQUEST: usize = 100;

pub async fn get_all(app: &App, user_id: &str) -> AppResult<Vec<Preference>> {
    Ok(store::get_all(&app.store, user_id).await?)
}

/// A category with no preferences is a 404, as in Mattermost.
pub async fn get_category(app: &App, user_id: &str, category: &str) -> AppResult<Vec<Preference>> {
    let found = store::get_category(&app.store, user_id, category).await?;
    if found.is_empty() {
        return Err(PreferenceError::CategoryEmpty.into());
    }
    Ok(found)
}

/// A missing preference is Mattermost's 400 `app.preference.get.app_error` (its store reports
/// "no rows" as a plain error, which the app layer maps to Bad Request).
pub async fn get(app: &App, user_id: &str, category: &str, name: &str) -> AppResult<Preference> {
    store::get(&app.store, user_id, category, name)
        .await?
        .ok_or_else(|| PreferenceError::NotFound.into())
}

/// Checks the request size Mattermost allows for save and delete.
pub fn check_batch(preferences: &[Preference]) -> AppResult<()> {
    if preferences.is_empty() || preferences.len() > MAX_PER_REQUEST {
        return Err(AppError::invalid_param("preferences"));
    }
    Ok(())
}

/// `PUT /users/{user_id}/preferences`: every preference must belong to `user_id`; saved posts
/// must be posts the session can read. Saves all or nothing.
pub async fn update(
    app: &App,
    session: &Session,
    user_id: &str,
    mut preferences: Vec<Preference>,
) -> AppResult<()> {
    check_batch(&preferences)?;
    for p in &preferences {
        if p.category == CATEGORY_FLAGGED_POST {
            require_readable_post(app, session, &p.name).await?;
        }
    }
    require_owner(user_id, &preferences, PreferenceError::SetForOther)?;
    for p in &mut preferences {
        p.sanitize();
        p.validate()?;
    }
    store::save(&app.store, &preferences)
        .await
        .map_err(|e| AppError::internal("app.preference.save.updating.app_error", e))?;
    app.publish(Event::PreferencesChanged {
        user_id: user_id.to_string(),
        preferences,
    })
    .await;
    Ok(())
}

/// `POST /users/{user_id}/preferences/delete`.
pub async fn delete(app: &App, user_id: &str, preferences: Vec<Preference>) -> AppResult<()> {
    check_batch(&preferences)?;
    require_owner(user_id, &preferences, PreferenceError::DeleteForOther)?;
    store::delete(&app.store, user_id, &preferences)
        .await
        .map_err(|e| AppError::internal("app.preference.delete.app_error", e))?;
    app.publish(Event::PreferencesDeleted {
        user_id: user_id.to_string(),
        preferences,
    })
    .await;
    Ok(())
}

/// `refused(user, owner)` when a preference belongs to someone other than `user_id`.
fn require_owner(
    user_id: &str,
    preferences: &[Preference],
    refused: fn(String, String) -> PreferenceError,
) -> AppResult<()> {
    match preferences.iter().find(|p| p.user_id != user_id) {
        Some(p) => Err(refused(user_id.to_string(), p.user_id.clone()).into()),
        None => Ok(()),
    }
}

async fn require_readable_post(app: &App, session: &Session, post_id: &str) -> AppResult<()> {
    let channel_id = utmost_store::posts::flaggable_post_channel(&app.store, post_id)
        .await?
        .ok_or_else(|| AppError::invalid_param("preference.name"))?;
    if has_channel_permission(app, session, &channel_id, permissions::READ_CHANNEL_CONTENT).await? {
        Ok(())
    } else {
        Err(AppError::permission_denied(
            permissions::READ_CHANNEL_CONTENT,
        ))
    }
}
