//! Custom emoji: create with its image, read, list, search, delete (Mattermost's
//! `app/emoji.go`, and the permission rules of `api4/emoji.go`).

pub mod images;
pub mod prepare;

use crate::authorization::{has_system_permission, has_team_permission};
use crate::bus::Event;
use crate::errors::EmojiError;
use crate::{App, AppResult};
use utmost_model::emoji::{check_custom_name, is_system_emoji_name, Emoji, NameProblem};
use utmost_model::session::Session;
use utmost_model::{new_id, now_millis, permissions, AppError};
use utmost_store::emoji::{self as store, Inserted};

pub use utmost_store::emoji::{Match, Sort};

/// `web.PerPageMaximum`: the most emoji `POST /emoji/search` returns.
pub const SEARCH_LIMIT: i64 = 200;
/// `EmojiMaxAutocompleteItems`.
pub const AUTOCOMPLETE_LIMIT: i64 = 100;
/// `GetEmojisByNamesMax`.
pub const MAX_NAMES: usize = 200;
/// The length of an id: a longer `creator_id` is refused (`Emoji.IsValid`).
const ID_LENGTH: usize = 26;

/// `EnableCustomEmoji`, as the api4 handlers check it first (501).
pub fn require_enabled(app: &App) -> AppResult<()> {
    if app.config().service_settings.enable_custom_emoji {
        Ok(())
    } else {
        Err(EmojiError::Disabled.into())
    }
}

/// `EnableCustomEmoji` and a file store, as Mattermost's app functions check them (403).
fn require_usable(app: &App) -> AppResult<()> {
    let config = app.config();
    if !config.service_settings.enable_custom_emoji {
        Err(EmojiError::DisabledInApp.into())
    } else if config.file_settings.driver_name.is_empty() {
        Err(EmojiError::NoStorage.into())
    } else {
        Ok(())
    }
}

/// `permission` system-wide or in any team the user belongs to: Mattermost lets a team role
/// grant the emoji permissions, which act system-wide.
async fn has_anywhere(app: &App, session: &Session, permission: &str) -> AppResult<bool> {
    if has_system_permission(app, session, permission) {
        return Ok(true);
    }
    let memberships = crate::teams::memberships_for_user(app, &session.user_id).await?;
    for member in memberships.iter().filter(|m| m.delete_at == 0) {
        if has_team_permission(app, session, &member.team_id, permission).await? {
            return Ok(true);
        }
    }
    Ok(false)
}

async fn require_anywhere(app: &App, session: &Session, permission: &str) -> AppResult<()> {
    if has_anywhere(app, session, permission).await? {
        Ok(())
    } else {
        Err(AppError::permission_denied(permission))
    }
}

/// `create_emojis`, system-wide or in one of the user's teams.
pub async fn require_create(app: &App, session: &Session) -> AppResult<()> {
    require_anywhere(app, session, permissions::CREATE_EMOJIS).await
}

/// `delete_emojis` (the part of deleting that needs no emoji read), system-wide or in one of
/// the user's teams.
pub async fn require_delete(app: &App, session: &Session) -> AppResult<()> {
    require_anywhere(app, session, permissions::DELETE_EMOJIS).await
}

/// `delete_others_emojis` too when `emoji` is someone else's.
pub async fn require_delete_this(app: &App, session: &Session, emoji: &Emoji) -> AppResult<()> {
    if emoji.creator_id == session.user_id {
        Ok(())
    } else {
        require_anywhere(app, session, permissions::DELETE_OTHERS_EMOJIS).await
    }
}

/// `CreateEmoji`: checks the emoji (a new id, the name, its creator, a free name), then the
/// image, which is written before the row commits and removed if the row is not. Publishes
/// `EmojiAdded`.
pub async fn create(
    app: &App,
    session: &Session,
    emoji: Emoji,
    image: Option<Vec<u8>>,
) -> AppResult<Emoji> {
    require_usable(app)?;
    let now = now_millis();
    let emoji = Emoji {
        id: new_id(),
        create_at: now,
        update_at: now,
        delete_at: 0,
        ..emoji
    };
    check_custom_name(&emoji.name).map_err(|problem| match problem {
        NameProblem::Invalid => EmojiError::InvalidName,
        NameProblem::SystemEmoji => EmojiError::SystemEmojiName,
    })?;
    if emoji.creator_id.len() > ID_LENGTH {
        return Err(EmojiError::InvalidCreator.into());
    }
    if emoji.creator_id != session.user_id {
        return Err(EmojiError::ForOtherUser.into());
    }
    if store::get_by_name(&app.store, &emoji.name).await?.is_some() {
        return Err(EmojiError::NameTaken.into());
    }
    let image = image.ok_or_else(|| AppError::invalid_param("createEmoji"))?;
    let image = tokio::task::spawn_blocking(move || prepare::prepare(image))
        .await
        .map_err(|e| AppError::internal("api.emoji.upload.app_error", e))??;
    images::write(app, &emoji.id, &image)
        .await
        .map_err(|e| AppError::internal("api.file.write_file.app_error", e))?;
    match store::insert(&app.store, &emoji).await {
        Ok(Inserted::Saved) => {}
        Ok(Inserted::NameTaken) => {
            images::remove(app, &emoji.id).await;
            return Err(EmojiError::NameTaken.into());
        }
        Err(e) => {
            images::remove(app, &emoji.id).await;
            return Err(AppError::internal("app.emoji.create.internal_error", e));
        }
    }
    app.publish(Event::EmojiAdded {
        emoji: emoji.clone(),
    })
    .await;
    Ok(emoji)
}

/// `GetEmoji`: the live emoji with this id.
pub async fn get(app: &App, id: &str) -> AppResult<Emoji> {
    require_usable(app)?;
    store::get(&app.store, id)
        .await?
        .ok_or_else(|| EmojiError::NotFound.into())
}

/// `GetEmojiByName`: the live custom emoji with this name.
pub async fn get_by_name(app: &App, name: &str) -> AppResult<Emoji> {
    require_usable(app)?;
    store::get_by_name(&app.store, name)
        .await?
        .ok_or_else(|| EmojiError::NameNotFound.into())
}

/// `GetMultipleEmojiByName`: the live custom emoji among `names` (system emoji names are left
/// out before the store is asked), by name.
pub async fn get_by_names(app: &App, names: Vec<String>) -> AppResult<Vec<Emoji>> {
    if !app.config().service_settings.enable_custom_emoji {
        return Err(EmojiError::DisabledInApp.into());
    }
    let custom: Vec<String> = names
        .into_iter()
        .filter(|n| !is_system_emoji_name(n))
        .collect();
    Ok(store::get_by_names(&app.store, &custom).await?)
}

/// `GetEmojiList`: one page of the live emoji.
pub async fn list(app: &App, sort: Sort, limit: i64, offset: i64) -> AppResult<Vec<Emoji>> {
    Ok(store::list(&app.store, sort, limit, offset).await?)
}

/// `SearchEmoji`: the live emoji whose name has `term`, by name.
pub async fn search(app: &App, term: &str, at: Match, limit: i64) -> AppResult<Vec<Emoji>> {
    if !app.config().service_settings.enable_custom_emoji {
        return Err(EmojiError::DisabledInApp.into());
    }
    Ok(store::search(&app.store, term, at, limit).await?)
}

/// `GetEmojiImage`: the stored image of a live emoji and its content type.
pub async fn image(app: &App, id: &str) -> AppResult<(Vec<u8>, &'static str)> {
    if store::get(&app.store, id).await?.is_none() {
        return Err(EmojiError::NotFound.into());
    }
    let image = images::read(app, id)
        .await
        .map_err(|e| AppError::internal("api.emoji.get_image.read.app_error", e))?
        .ok_or(EmojiError::ImageMissing)?;
    let content_type = prepare::content_type(&image).ok_or_else(|| {
        AppError::internal(
            "api.emoji.get_image.decode.app_error",
            "not a GIF, PNG or JPEG",
        )
    })?;
    Ok((image, content_type))
}

/// `DeleteEmoji`: the emoji and every reaction of its name go in one transaction, then its
/// image is set aside. Publishes `EmojiDeleted`.
pub async fn delete(app: &App, emoji: Emoji) -> AppResult<()> {
    let now = now_millis();
    if !store::delete(&app.store, &emoji.id, &emoji.name, now).await? {
        return Err(AppError::not_found(
            "app.emoji.delete.no_results",
            "We couldn’t find the emoji to delete.",
        ));
    }
    images::retire(app, &emoji.id).await;
    let emoji = Emoji {
        update_at: now,
        delete_at: now,
        ..emoji
    };
    app.publish(Event::EmojiDeleted { emoji }).await;
    Ok(())
}

/// What a reaction's emoji must be (`SaveReactionForPost`): a system emoji, or else a live
/// custom emoji (so custom emoji must be enabled).
pub async fn require_for_reaction(app: &App, name: &str) -> AppResult<()> {
    if is_system_emoji_name(name) {
        return Ok(());
    }
    get_by_name(app, name).await.map(|_| ())
}
