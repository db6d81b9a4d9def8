//! Groups (Mattermost's `app/group.go`): the groups linked from AD/LDAP (`ldap::groups` links
//! them, `ldap::group_sync` brings their members over), their mention names, members and
//! links to teams and channels (`syncables`, which also keeps those teams' and channels'
//! members in step), `@group` mentions (`mentions`) and their WebSocket events
//! (`websocket`). Handlers check permissions; everything here assumes they did.

pub mod custom;
pub mod mentions;
pub mod syncables;
pub(crate) mod websocket;

use crate::bus::Event;
use crate::errors::GroupError;
use crate::{App, AppResult};
use utmost_model::group::{
    Group, GroupMember, GroupPatch, GroupStats, DISPLAY_NAME_MAX_LENGTH, SOURCE_CUSTOM, SOURCE_LDAP,
};
use utmost_model::user::User;
use utmost_model::{new_id, now_millis};
use utmost_store::groups as store;
use utmost_store::StoreError;

pub use store::{Archived, GroupSearch};

/// Mention names that are Mattermost's channel-wide mentions.
const RESERVED_NAMES: [&str; 3] = ["all", "channel", "here"];

/// A group, deleted or not, with its member count when asked.
pub async fn get(app: &App, group_id: &str, member_count: bool) -> AppResult<Group> {
    store::get(&app.store, group_id, member_count)
        .await?
        .ok_or_else(|| GroupError::NotFound.into())
}

/// A page of the groups `search` selects, and how many it selects in all.
pub async fn search(app: &App, search: &GroupSearch) -> AppResult<(Vec<Group>, i64)> {
    Ok(store::search(&app.store, search).await?)
}

/// `PUT /groups/{id}/patch` (Mattermost's `patchGroup`): a group made mentionable without a
/// name is named after its display name; a name given must not be a channel-wide mention,
/// a username or another mentionable group's name.
pub async fn patch(app: &App, group: Group, patch: &GroupPatch) -> AppResult<Group> {
    let mut patch = patch.clone();
    if patch.allow_reference == Some(true) {
        match &patch.name {
            None => patch.name = Some(group.display_name.to_lowercase().replace(' ', "-")),
            Some(name) => check_new_name(app, &group, name).await?,
        }
    } else if let (Some(name), SOURCE_CUSTOM) = (&patch.name, group.source.as_str()) {
        check_new_name(app, &group, name).await?;
    }
    let mut patched = group;
    patched.patch(&patch);
    if patched.allow_reference && !patched.name.as_deref().is_some_and(Group::is_valid_name) {
        return Err(GroupError::InvalidName.into());
    }
    patched.update_at = now_millis();
    write(app, patched).await
}

async fn check_new_name(app: &App, group: &Group, name: &str) -> AppResult<()> {
    if RESERVED_NAMES.contains(&name) {
        return Err(GroupError::ReservedName.into());
    }
    if utmost_store::users::get_by_username(&app.store, name)
        .await?
        .is_some()
    {
        return Err(GroupError::NameOfUser.into());
    }
    let named = store::referenceable_by_names(&app.store, &[name.to_string()]).await?;
    if named.iter().any(|g| g.id != group.id) {
        return Err(GroupError::NameTaken.into());
    }
    Ok(())
}

/// Saves a changed group and tells everyone (`received_group`).
async fn write(app: &App, group: Group) -> AppResult<Group> {
    store::update(&app.store, &group)
        .await
        .map_err(|e| match e {
            StoreError::Conflict(_) => GroupError::NameTaken.into(),
            StoreError::NotFound(_) => GroupError::NotFound.into(),
            other => utmost_model::AppError::from(other),
        })?;
    let group = get(app, &group.id, false).await?;
    app.publish(Event::GroupUpdated {
        group: group.clone(),
    })
    .await;
    Ok(group)
}

/// `POST /ldap/groups/{remote_id}/link`: the Mattermost group of a directory group, created
/// on the first link (without a mention name) or brought back; true when it was created.
pub async fn link_ldap(app: &App, remote_id: &str, display_name: &str) -> AppResult<(Group, bool)> {
    let display_name: String = display_name.chars().take(DISPLAY_NAME_MAX_LENGTH).collect();
    let now = now_millis();
    match store::get_by_remote_id(&app.store, SOURCE_LDAP, remote_id).await? {
        Some(group) if group.delete_at == 0 => Ok((group, false)),
        Some(group) => {
            let revived = Group {
                delete_at: 0,
                display_name,
                update_at: now,
                ..group
            };
            Ok((write(app, revived).await?, false))
        }
        None => {
            let group = Group {
                id: new_id(),
                display_name,
                source: SOURCE_LDAP.to_string(),
                remote_id: Some(remote_id.to_string()),
                create_at: now,
                update_at: now,
                ..Group::default()
            };
            store::insert(&app.store, &group).await?;
            app.publish(Event::GroupUpdated {
                group: group.clone(),
            })
            .await;
            Ok((group, true))
        }
    }
}

/// `DELETE /ldap/groups/{remote_id}/link`: the group is marked deleted (its members and
/// links stay, for a later link).
pub async fn unlink_ldap(app: &App, remote_id: &str) -> AppResult<()> {
    let group = store::get_by_remote_id(&app.store, SOURCE_LDAP, remote_id)
        .await?
        .ok_or(GroupError::NotFound)?;
    if group.delete_at == 0 {
        let now = now_millis();
        write(
            app,
            Group {
                delete_at: now,
                update_at: now,
                ..group
            },
        )
        .await?;
    }
    Ok(())
}

/// A page of the group's members with active accounts, and how many there are.
pub async fn members_page(
    app: &App,
    group_id: &str,
    offset: i64,
    limit: i64,
) -> AppResult<(Vec<User>, i64)> {
    Ok(store::members::users_page(&app.store, group_id, offset, limit).await?)
}

/// `GET /groups/{id}/stats`.
pub async fn stats(app: &App, group_id: &str) -> AppResult<GroupStats> {
    let group = get(app, group_id, true).await?;
    Ok(GroupStats {
        group_id: group.id,
        total_member_count: group.member_count.unwrap_or(0),
    })
}

/// Makes `user_id` a member of the group, telling them (`group_member_add`); false when
/// they were one already.
pub(crate) async fn add_member(app: &App, group_id: &str, user_id: &str) -> AppResult<bool> {
    let added = store::members::upsert(&app.store, group_id, user_id, now_millis()).await?;
    Ok(published(app, added, |member| Event::GroupMemberAdded { member }).await)
}

/// Takes `user_id` out of the group, telling them (`group_member_deleted`); false when they
/// were not in it.
pub(crate) async fn remove_member(app: &App, group_id: &str, user_id: &str) -> AppResult<bool> {
    let removed = store::members::delete(&app.store, group_id, user_id, now_millis()).await?;
    Ok(published(app, removed, |member| Event::GroupMemberDeleted { member }).await)
}

async fn published(
    app: &App,
    member: Option<GroupMember>,
    event: impl FnOnce(GroupMember) -> Event,
) -> bool {
    match member {
        Some(member) => {
            app.publish(event(member)).await;
            true
        }
        None => false,
    }
}

/// `/teams/{id}/groups_by_channels`: the groups linked to the team's channels, by channel.
pub async fn by_team_channels(
    app: &App,
    team_id: &str,
    only_referenceable: bool,
    offset: i64,
    limit: i64,
) -> AppResult<std::collections::BTreeMap<String, Vec<Group>>> {
    let linked =
        store::linked_to_team_channels(&app.store, team_id, only_referenceable, offset, limit)
            .await?;
    let mut by_channel = std::collections::BTreeMap::<String, Vec<Group>>::new();
    for (channel_id, group) in linked {
        by_channel.entry(channel_id).or_default().push(group);
    }
    Ok(by_channel)
}

/// A member of a team or channel with the groups they are in and their scheme flags
/// (`model.UserWithGroups`).
pub struct UserWithGroups {
    pub user: User,
    pub groups: Vec<Group>,
    pub scheme_guest: bool,
    pub scheme_user: bool,
    pub scheme_admin: bool,
}

/// `/teams/{id}/members_minus_group_members` and the channel's: a page of the members in
/// none of `group_ids`, each with their groups, and how many there are.
pub async fn members_minus_groups(
    app: &App,
    kind: utmost_model::group::SyncableType,
    syncable_id: &str,
    group_ids: &[String],
    offset: i64,
    limit: i64,
) -> AppResult<(Vec<UserWithGroups>, i64)> {
    use utmost_model::group::SyncableType;
    let (users, count) =
        store::members::outside_groups(&app.store, kind, syncable_id, group_ids, offset, limit)
            .await?;
    let mut listed = Vec::with_capacity(users.len());
    for user in users {
        let flags = match kind {
            SyncableType::Team => {
                utmost_store::teams::get_member(&app.store, syncable_id, &user.id)
                    .await?
                    .map(|m| (m.scheme_guest, m.scheme_user, m.scheme_admin))
            }
            SyncableType::Channel => {
                utmost_store::channels::member(&app.store, syncable_id, &user.id)
                    .await?
                    .map(|m| (m.scheme_guest, m.scheme_user, m.scheme_admin))
            }
        };
        let (scheme_guest, scheme_user, scheme_admin) = flags.unwrap_or_default();
        let of_user = GroupSearch {
            has_member: Some(user.id.clone()),
            limit: 100,
            ..GroupSearch::default()
        };
        let (groups, _) = store::search(&app.store, &of_user).await?;
        listed.push(UserWithGroups {
            user,
            groups,
            scheme_guest,
            scheme_user,
            scheme_admin,
        });
    }
    Ok((listed, count))
}
