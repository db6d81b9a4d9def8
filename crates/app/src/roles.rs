//! Roles: the built-in set is seeded once; the permission engine reads what the table holds.

use crate::authorization::require_system;
use crate::bus::Event;
use crate::errors::RoleError;
use crate::{App, AppResult};
use utmost_model::permissions;
use utmost_model::role::{is_valid_role_name, Role, RolePatch};
use utmost_model::roles::{
    builtin_roles, RolePermissions, CHANNEL_ADMIN, CHANNEL_GUEST, CHANNEL_USER, PLAYBOOK_ADMIN,
    PLAYBOOK_MEMBER, RUN_ADMIN, RUN_MEMBER, SYSTEM_ADMIN, SYSTEM_GUEST, SYSTEM_MANAGER,
    SYSTEM_READ_ONLY_ADMIN, SYSTEM_USER, SYSTEM_USER_MANAGER, TEAM_ADMIN, TEAM_GUEST, TEAM_USER,
};
use utmost_model::session::Session;
use utmost_model::{new_id, now_millis, AppError};
use utmost_store::roles as store;

/// Inserts any missing built-in role, then loads the table into the permission engine.
pub async fn seed_and_load(app: &App) -> AppResult<()> {
    let now = now_millis();
    for b in builtin_roles() {
        let role = Role {
            id: new_id(),
            name: b.name.to_string(),
            display_name: b.display_name.to_string(),
            description: b.description.to_string(),
            create_at: now,
            update_at: now,
            delete_at: 0,
            permissions: b.permissions.iter().map(|p| p.to_string()).collect(),
            scheme_managed: b.scheme_managed,
            built_in: true,
        };
        store::insert_if_absent(&app.store, &role).await?;
    }
    reload(app).await
}

/// Rebuilds the permission engine from the roles table.
pub async fn reload(app: &App) -> AppResult<()> {
    let roles = store::list(&app.store).await?;
    let table = RolePermissions::from_roles(
        roles
            .iter()
            .map(|r| (r.name.as_str(), r.permissions.as_slice())),
    );
    app.set_role_permissions(table);
    Ok(())
}

/// Most names `POST /roles/names` accepts at once (Mattermost's `GetRolesByNamesMax`).
pub const MAX_NAMES_PER_REQUEST: usize = 100;

/// Permissions that `PUT /roles/{id}/patch` may neither grant nor take away: changing them
/// would let an admin of a lesser kind escalate or lock everyone out.
const UNPATCHABLE_PERMISSIONS: [&str; 4] = [
    permissions::SYSCONSOLE_WRITE_USER_MANAGEMENT_SYSTEM_ROLES,
    permissions::SYSCONSOLE_READ_USER_MANAGEMENT_SYSTEM_ROLES,
    permissions::MANAGE_ROLES,
    permissions::MANAGE_SYSTEM,
];

/// Roles whose permissions anyone with `sysconsole_write_user_management_permissions` may
/// edit (the System Console's permission schemes); other roles need
/// `sysconsole_write_user_management_system_roles`, and `system_admin` plus the delegated
/// admin roles need `manage_system`.
const SCHEME_ROLES: [&str; 12] = [
    TEAM_ADMIN,
    CHANNEL_ADMIN,
    SYSTEM_USER,
    TEAM_USER,
    CHANNEL_USER,
    SYSTEM_GUEST,
    TEAM_GUEST,
    CHANNEL_GUEST,
    PLAYBOOK_ADMIN,
    PLAYBOOK_MEMBER,
    RUN_ADMIN,
    RUN_MEMBER,
];
const PROTECTED_ROLES: [&str; 4] = [
    SYSTEM_ADMIN,
    SYSTEM_USER_MANAGER,
    SYSTEM_READ_ONLY_ADMIN,
    SYSTEM_MANAGER,
];

pub async fn list(app: &App) -> AppResult<Vec<Role>> {
    Ok(store::list(&app.store).await?)
}

pub async fn get(app: &App, id: &str) -> AppResult<Role> {
    store::get(&app.store, id)
        .await?
        .ok_or_else(|| RoleError::NotFound.into())
}

pub async fn get_by_name(app: &App, name: &str) -> AppResult<Role> {
    store::get_by_name(&app.store, name)
        .await?
        .ok_or_else(|| RoleError::NameNotFound.into())
}

/// `POST /roles/names`: blank names are skipped, an invalid one fails the request, unknown
/// ones are left out of the answer.
pub async fn get_by_names(app: &App, names: Vec<String>) -> AppResult<Vec<Role>> {
    if names.is_empty() {
        return Err(AppError::invalid_param("rolenames"));
    }
    if names.len() > MAX_NAMES_PER_REQUEST {
        return Err(RoleError::TooManyNames(MAX_NAMES_PER_REQUEST).into());
    }
    let mut wanted: Vec<String> = names.into_iter().filter(|n| !n.trim().is_empty()).collect();
    if !wanted.iter().all(|n| is_valid_role_name(n)) {
        return Err(AppError::invalid_param("rolename"));
    }
    wanted.sort();
    wanted.dedup();
    Ok(store::get_by_names(&app.store, &wanted).await?)
}

/// `PUT /roles/{id}/patch`, with Mattermost's permission checks, then reloads the engine so
/// the change applies to the next request.
pub async fn patch(app: &App, session: &Session, id: &str, patch: RolePatch) -> AppResult<Role> {
    let mut role = get(app, id).await?;
    let required = if PROTECTED_ROLES.contains(&role.name.as_str()) {
        permissions::MANAGE_SYSTEM
    } else {
        permissions::SYSCONSOLE_WRITE_USER_MANAGEMENT_PERMISSIONS
    };
    require_system(app, session, required)?;
    let Some(mut wanted) = patch.permissions else {
        return Ok(role);
    };
    if let Some(p) = changed_permissions(&role.permissions, &wanted)
        .into_iter()
        .find(|p| UNPATCHABLE_PERMISSIONS.contains(&p.as_str()))
    {
        return Err(RoleError::UnpatchablePermission(p).into());
    }
    let second = if SCHEME_ROLES.contains(&role.name.as_str()) {
        permissions::SYSCONSOLE_WRITE_USER_MANAGEMENT_PERMISSIONS
    } else {
        permissions::SYSCONSOLE_WRITE_USER_MANAGEMENT_SYSTEM_ROLES
    };
    require_system(app, session, second)?;
    dedup_in_order(&mut wanted);
    if wanted == role.permissions {
        return Ok(role);
    }
    if let Some(unknown) = wanted.iter().find(|p| !permissions::is_known(p)) {
        return Err(RoleError::UnknownPermission(unknown.clone()).into());
    }
    role.update_at = now_millis();
    store::update_permissions(&app.store, &role.id, &wanted, role.update_at).await?;
    role.permissions = wanted;
    reload(app).await?;
    app.publish(Event::RoleUpdated { role: role.clone() }).await;
    Ok(role)
}

/// Permissions present in exactly one of the two lists.
fn changed_permissions(old: &[String], new: &[String]) -> Vec<String> {
    old.iter()
        .filter(|p| !new.contains(p))
        .chain(new.iter().filter(|p| !old.contains(p)))
        .cloned()
        .collect()
}

fn dedup_in_order(list: &mut Vec<String>) {
    let mut seen = std::collections::HashSet::new();
    list.retain(|p| seen.insert(p.clone()));
}
