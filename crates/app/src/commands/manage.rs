//! Managing custom commands (`api4/command.go`, `CreateCommand`, `UpdateCommand`, …): the
//! command's team's `manage_slash_commands`, and `manage_others_slash_commands` for someone
//! else's. A caller who may not manage the team's commands is told the command does not
//! exist, so ids do not leak.

use super::{autocomplete, builtins, CommandError};
use crate::authorization::{has_team_permission, require};
use crate::errors::UserError;
use crate::{App, AppResult};
use utmost_model::channel_bookmark::is_valid_http_url;
use utmost_model::command::{Command, METHOD_GET, METHOD_POST};
use utmost_model::permissions::{MANAGE_OTHERS_SLASH_COMMANDS, MANAGE_SLASH_COMMANDS, VIEW_TEAM};
use utmost_model::session::Session;
use utmost_model::{is_valid_id, new_id, now_millis, AppError};
use utmost_store::commands as store;

/// `MaxTriggerLength`.
const MAX_TRIGGER: usize = 128;

fn require_enabled(app: &App) -> AppResult<()> {
    if app.config().service_settings.enable_commands {
        Ok(())
    } else {
        Err(CommandError::Disabled.into())
    }
}

/// `Command.IsValid` over what a client can set.
fn validate(c: &Command) -> AppResult<()> {
    let invalid = if c.token.len() != 26 {
        Some("model.command.is_valid.token.app_error")
    } else if !is_valid_id(&c.creator_id) {
        Some("model.command.is_valid.user_id.app_error")
    } else if !is_valid_id(&c.team_id) {
        Some("model.command.is_valid.team_id.app_error")
    } else if c.trigger.is_empty()
        || c.trigger.len() > MAX_TRIGGER
        || c.trigger.starts_with('/')
        || c.trigger.contains(' ')
    {
        Some("model.command.is_valid.trigger.app_error")
    } else if c.url.is_empty() || c.url.len() > 1024 {
        Some("model.command.is_valid.url.app_error")
    } else if !is_valid_http_url(&c.url) {
        Some("model.command.is_valid.url_http.app_error")
    } else if c.method != METHOD_GET && c.method != METHOD_POST {
        Some("model.command.is_valid.method.app_error")
    } else if c.display_name.len() > 64 {
        Some("model.command.is_valid.display_name.app_error")
    } else if c.description.len() > 128 {
        Some("model.command.is_valid.description.app_error")
    } else {
        None
    };
    match invalid {
        Some(id) => Err(CommandError::Invalid(id).into()),
        None => Ok(()),
    }
}

/// `validateCommandTriggerUniqueness`: no built-in and no other command of the team has
/// the trigger.
async fn require_unique_trigger(app: &App, team_id: &str, c: &Command) -> AppResult<()> {
    let trigger = c.trigger.to_lowercase();
    let taken = builtins::triggers().any(|t| t == trigger)
        || store::list_by_team(&app.store, team_id)
            .await?
            .iter()
            .any(|other| other.id != c.id && other.trigger.to_lowercase() == trigger);
    if taken {
        return Err(CommandError::DuplicateTrigger.into());
    }
    Ok(())
}

/// `GetCommand`, with every failure the API's "not found".
async fn get_command(app: &App, command_id: &str) -> AppResult<Command> {
    if !app.config().service_settings.enable_commands {
        return Err(CommandError::NotFound.into());
    }
    Ok(store::get(&app.store, command_id)
        .await?
        .ok_or(CommandError::NotFound)?)
}

/// The checks of get, update, delete and regenerate: the team's `manage_slash_commands`
/// (else "not found"), and `manage_others_slash_commands` for someone else's command.
async fn require_manage(app: &App, session: &Session, c: &Command) -> AppResult<()> {
    if !has_team_permission(app, session, &c.team_id, MANAGE_SLASH_COMMANDS).await? {
        return Err(CommandError::NotFound.into());
    }
    if session.user_id != c.creator_id {
        require(
            has_team_permission(app, session, &c.team_id, MANAGE_OTHERS_SLASH_COMMANDS).await?,
            MANAGE_OTHERS_SLASH_COMMANDS,
        )?;
    }
    Ok(())
}

/// `POST /commands`.
pub async fn create(app: &App, session: &Session, mut c: Command) -> AppResult<Command> {
    require(
        has_team_permission(app, session, &c.team_id, MANAGE_SLASH_COMMANDS).await?,
        MANAGE_SLASH_COMMANDS,
    )?;
    if !c.creator_id.is_empty() && c.creator_id != session.user_id {
        require(
            has_team_permission(app, session, &c.team_id, MANAGE_OTHERS_SLASH_COMMANDS).await?,
            MANAGE_OTHERS_SLASH_COMMANDS,
        )?;
        crate::caches::users::get(app, &c.creator_id)
            .await?
            .ok_or(UserError::NotFound)?;
    } else {
        c.creator_id = session.user_id.clone();
    }
    require_enabled(app)?;
    c.trigger = c.trigger.to_lowercase();
    c.id = new_id();
    require_unique_trigger(app, &c.team_id, &c).await?;
    if c.token.is_empty() {
        c.token = new_id();
    }
    c.create_at = now_millis();
    c.update_at = c.create_at;
    c.delete_at = 0;
    c.plugin_id.clear();
    validate(&c)?;
    store::insert(&app.store, &c).await?;
    Ok(c)
}

/// `GET /commands?team_id=&custom_only=`: with `custom_only`, the team's custom commands
/// the caller manages; else the built-in and provided commands and those custom ones, or
/// only the autocomplete list for a caller who manages none.
pub async fn list(
    app: &App,
    session: &Session,
    team_id: &str,
    custom_only: bool,
) -> AppResult<Vec<Command>> {
    if team_id.is_empty() {
        return Err(AppError::invalid_param("team_id"));
    }
    require(
        has_team_permission(app, session, team_id, VIEW_TEAM).await?,
        VIEW_TEAM,
    )?;
    let manages = has_team_permission(app, session, team_id, MANAGE_SLASH_COMMANDS).await?;
    if custom_only {
        require(manages, MANAGE_SLASH_COMMANDS)?;
    } else if !manages {
        return autocomplete::list(app, team_id).await;
    }
    let others = has_team_permission(app, session, team_id, MANAGE_OTHERS_SLASH_COMMANDS).await?;
    let mine = |c: &Command| others || c.creator_id == session.user_id;
    if custom_only {
        require_enabled(app)?;
        let mut commands = store::list_by_team(&app.store, team_id).await?;
        commands.retain(mine);
        return Ok(commands);
    }
    let mut commands = autocomplete::provided(app, team_id, false);
    if app.config().service_settings.enable_commands {
        for mut c in store::list_by_team(&app.store, team_id).await? {
            if mine(&c) && !commands.iter().any(|o| o.trigger == c.trigger) {
                c.sanitize();
                commands.push(c);
            }
        }
    }
    Ok(commands)
}

/// `GET /commands/{command_id}`: a caller who may not see the team or manage its commands
/// is told there is none.
pub async fn get(app: &App, session: &Session, command_id: &str) -> AppResult<Command> {
    let c = get_command(app, command_id).await?;
    if !has_team_permission(app, session, &c.team_id, VIEW_TEAM).await?
        || !has_team_permission(app, session, &c.team_id, MANAGE_SLASH_COMMANDS).await?
        || (session.user_id != c.creator_id
            && !has_team_permission(app, session, &c.team_id, MANAGE_OTHERS_SLASH_COMMANDS).await?)
    {
        return Err(CommandError::NotFound.into());
    }
    Ok(c)
}

/// `PUT /commands/{command_id}`: `updated.id` must be the path's, and its team the
/// command's. The id, token, times, creator and team stay the command's.
pub async fn update(
    app: &App,
    session: &Session,
    command_id: &str,
    mut updated: Command,
) -> AppResult<Command> {
    if updated.id != command_id {
        return Err(AppError::invalid_param("command"));
    }
    let old = get_command(app, command_id).await?;
    if updated.team_id != old.team_id {
        return Err(CommandError::TeamMismatch.into());
    }
    require_manage(app, session, &old).await?;
    require_enabled(app)?;
    updated.trigger = updated.trigger.to_lowercase();
    updated.token = old.token;
    updated.create_at = old.create_at;
    updated.update_at = now_millis();
    updated.delete_at = old.delete_at;
    updated.creator_id = old.creator_id;
    updated.plugin_id = old.plugin_id;
    require_unique_trigger(app, &old.team_id, &updated).await?;
    validate(&updated)?;
    if !store::update(&app.store, &updated).await? {
        return Err(CommandError::NotFound.into());
    }
    Ok(updated)
}

/// `PUT /commands/{command_id}/move`: to a team where both the caller and the command's
/// creator manage commands.
pub async fn move_to_team(
    app: &App,
    session: &Session,
    command_id: &str,
    team_id: &str,
) -> AppResult<()> {
    let team = crate::teams::get(app, team_id).await?;
    require(
        has_team_permission(app, session, &team.id, MANAGE_SLASH_COMMANDS).await?,
        MANAGE_SLASH_COMMANDS,
    )?;
    let mut c = get_command(app, command_id).await?;
    require_manage(app, session, &c).await?;
    let creator = crate::users::get(app, &c.creator_id)
        .await
        .map_err(|_| CommandError::CreatorNoPermission)?;
    let as_creator = crate::posts::acting_as(&creator);
    if !has_team_permission(app, &as_creator, &team.id, MANAGE_SLASH_COMMANDS).await? {
        return Err(CommandError::CreatorNoPermission.into());
    }
    require_unique_trigger(app, &team.id, &c).await?;
    c.team_id = team.id;
    c.update_at = now_millis();
    if !store::update(&app.store, &c).await? {
        return Err(CommandError::NotFound.into());
    }
    Ok(())
}

/// `PUT /commands/{command_id}/regen_token`: the new token.
pub async fn regen_token(app: &App, session: &Session, command_id: &str) -> AppResult<String> {
    let mut c = get_command(app, command_id).await?;
    require_manage(app, session, &c).await?;
    require_enabled(app)?;
    c.token = new_id();
    c.update_at = now_millis();
    if !store::update(&app.store, &c).await? {
        return Err(CommandError::NotFound.into());
    }
    Ok(c.token)
}

/// `DELETE /commands/{command_id}`.
pub async fn delete(app: &App, session: &Session, command_id: &str) -> AppResult<()> {
    let c = get_command(app, command_id).await?;
    require_manage(app, session, &c).await?;
    require_enabled(app)?;
    store::delete(&app.store, &c.id, now_millis()).await?;
    Ok(())
}
