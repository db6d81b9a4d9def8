//! Custom groups (Mattermost's `CreateGroupWithUserIds`, `DeleteGroup`, `RestoreGroup`,
//! `UpsertGroupMembers`, `DeleteGroupMembers`): groups people make by hand, always
//! mentionable, archived by deleting and brought back by restoring. Their permissions are
//! system permissions (every user has them by default) or, for a member, those of the
//! `custom_group_user` role (`has_permission`). Handlers check them; nothing here does.

use super::{add_member, get, remove_member, write, RESERVED_NAMES};
use crate::bus::Event;
use crate::errors::GroupError;
use crate::{App, AppResult};
use utmost_model::group::{Group, GroupMember, NewGroup, DISPLAY_NAME_MAX_LENGTH, SOURCE_CUSTOM};
use utmost_model::roles::CUSTOM_GROUP_USER;
use utmost_model::session::Session;
use utmost_model::{is_valid_id, new_id, now_millis, AppError};
use utmost_store::groups as store;
use utmost_store::users::{self, UserFilter};
use utmost_store::StoreError;

/// Users one request may add to or take out of a group, at most.
pub const MAX_USERS_PER_REQUEST: usize = 1000;

/// `ServiceSettings.EnableCustomGroups` off: every custom group call is refused.
pub fn require_enabled(app: &App) -> AppResult<()> {
    if app.config().service_settings.enable_custom_groups {
        Ok(())
    } else {
        Err(GroupError::CustomGroupsDisabled.into())
    }
}

/// Only custom groups are made, archived or changed by hand; `restore` answers 501 as
/// Mattermost's `restoreGroup` does.
pub fn require_custom(source: &str, restore: bool) -> AppResult<()> {
    if source == SOURCE_CUSTOM {
        Ok(())
    } else {
        Err(GroupError::NotCustom { restore }.into())
    }
}

/// Mattermost's `SessionHasPermissionToGroup`: the permission system-wide, or as a member of
/// the group through the `custom_group_user` role.
pub async fn has_permission(
    app: &App,
    session: &Session,
    group_id: &str,
    permission: &str,
) -> AppResult<bool> {
    let roles = app.role_permissions();
    if roles.has_system(&session.roles, permission) {
        return Ok(true);
    }
    if !roles.has_system(CUSTOM_GROUP_USER, permission) {
        return Ok(false);
    }
    let member =
        store::members::of_users(&app.store, group_id, std::slice::from_ref(&session.user_id))
            .await?;
    Ok(member.iter().any(|m| m.delete_at == 0))
}

/// `POST /groups`: a mentionable custom group with `user_ids` as its first members.
pub async fn create(app: &App, new: NewGroup) -> AppResult<Group> {
    if !new.allow_reference {
        return Err(GroupError::MustBeReferenceable.into());
    }
    if new.remote_id.as_deref().is_some_and(|id| !id.is_empty()) {
        return Err(GroupError::NoRemoteId.into());
    }
    let name = new.name.unwrap_or_default();
    if !Group::is_valid_name(&name) {
        return Err(GroupError::InvalidName.into());
    }
    let display_name = new.display_name.trim().to_string();
    if display_name.is_empty() || display_name.chars().count() > DISPLAY_NAME_MAX_LENGTH {
        return Err(GroupError::InvalidDisplayName.into());
    }
    let now = now_millis();
    let group = Group {
        id: new_id(),
        name: Some(name),
        display_name,
        description: new.description,
        source: SOURCE_CUSTOM.to_string(),
        create_at: now,
        update_at: now,
        allow_reference: true,
        ..Group::default()
    };
    let name = group.name.as_deref().unwrap_or_default();
    if RESERVED_NAMES.contains(&name) {
        return Err(GroupError::ReservedName.into());
    }
    if users::get_by_username(&app.store, name).await?.is_some() {
        return Err(GroupError::UsernameConflict.into());
    }
    let user_ids = existing_users(app, new.user_ids).await?;
    store::insert_with_members(&app.store, &group, &user_ids)
        .await
        .map_err(|e| match e {
            StoreError::Conflict(_) => GroupError::UniqueName.into(),
            other => AppError::from(other),
        })?;
    let group = get(app, &group.id, true).await?;
    app.publish(Event::GroupUpdated {
        group: group.clone(),
    })
    .await;
    Ok(group)
}

/// `DELETE /groups/{id}`: archives a live group.
pub async fn archive(app: &App, group: Group) -> AppResult<Group> {
    if group.delete_at != 0 {
        return Err(GroupError::NotFound.into());
    }
    let now = now_millis();
    write(
        app,
        Group {
            delete_at: now,
            update_at: now,
            ..group
        },
    )
    .await
}

/// `POST /groups/{id}/restore`: brings an archived group back, with its members.
pub async fn restore(app: &App, group: Group) -> AppResult<Group> {
    if group.delete_at == 0 {
        return Err(GroupError::NotFound.into());
    }
    write(
        app,
        Group {
            delete_at: 0,
            update_at: now_millis(),
            ..group
        },
    )
    .await
}

/// `POST /groups/{id}/members`: the memberships of `user_ids`, each new one told to its user.
pub async fn add_members(
    app: &App,
    group_id: &str,
    user_ids: Vec<String>,
) -> AppResult<Vec<GroupMember>> {
    let user_ids = existing_users(app, user_ids).await?;
    for user_id in &user_ids {
        add_member(app, group_id, user_id).await?;
    }
    Ok(store::members::of_users(&app.store, group_id, &user_ids).await?)
}

/// `DELETE /groups/{id}/members`: the memberships ended, each told to its user.
pub async fn remove_members(
    app: &App,
    group_id: &str,
    mut user_ids: Vec<String>,
) -> AppResult<Vec<GroupMember>> {
    user_ids.sort();
    user_ids.dedup();
    let mut removed = Vec::new();
    for user_id in &user_ids {
        if remove_member(app, group_id, user_id).await? {
            removed.push(user_id.clone());
        }
    }
    Ok(store::members::of_users(&app.store, group_id, &removed).await?)
}

/// `user_ids` without repeats, all of them existing users' ids; `Err` naming `user_ids`
/// otherwise.
async fn existing_users(app: &App, mut user_ids: Vec<String>) -> AppResult<Vec<String>> {
    user_ids.sort();
    user_ids.dedup();
    if user_ids.len() > MAX_USERS_PER_REQUEST || !user_ids.iter().all(|id| is_valid_id(id)) {
        return Err(AppError::invalid_param("user_ids"));
    }
    if user_ids.is_empty() {
        return Ok(user_ids);
    }
    let filter = UserFilter {
        ids: Some(user_ids.clone()),
        limit: i64::try_from(user_ids.len()).unwrap_or(i64::MAX),
        ..UserFilter::default()
    };
    let found = users::count(&app.store, &filter).await?;
    if usize::try_from(found).ok() != Some(user_ids.len()) {
        return Err(AppError::invalid_param("user_ids"));
    }
    Ok(user_ids)
}
