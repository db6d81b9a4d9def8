//! Roles: the built-in set is seeded once; the permission engine reads what the table holds.

use crate::{App, AppResult};
use utmost_model::role::Role;
use utmost_model::roles::{builtin_roles, RolePermissions};
use utmost_model::{new_id, now_millis};
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
