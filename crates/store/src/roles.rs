//! The `roles` table: role name → space-separated permissions.

use crate::db::{execute, placeholders, query_rows, read, Bind};
use crate::{Result, Store};
use utmost_model::role::Role;

#[derive(sqlx::FromRow)]
struct RoleRow {
    id: String,
    name: Option<String>,
    displayname: Option<String>,
    description: Option<String>,
    createat: Option<i64>,
    updateat: Option<i64>,
    deleteat: Option<i64>,
    permissions: Option<String>,
    schememanaged: Option<bool>,
    builtin: Option<bool>,
}

impl From<RoleRow> for Role {
    fn from(r: RoleRow) -> Self {
        Role {
            id: r.id,
            name: r.name.unwrap_or_default(),
            display_name: r.displayname.unwrap_or_default(),
            description: r.description.unwrap_or_default(),
            create_at: r.createat.unwrap_or(0),
            update_at: r.updateat.unwrap_or(0),
            delete_at: r.deleteat.unwrap_or(0),
            permissions: r
                .permissions
                .unwrap_or_default()
                .split_whitespace()
                .map(str::to_string)
                .collect(),
            scheme_managed: r.schememanaged.unwrap_or(false),
            built_in: r.builtin.unwrap_or(false),
        }
    }
}

const COLUMNS: &str = "id, name, displayname, description, createat, updateat, deleteat, \
                       permissions, schememanaged, builtin";

pub async fn list(store: &Store) -> Result<Vec<Role>> {
    let sql = format!("SELECT {COLUMNS} FROM roles WHERE deleteat = 0 ORDER BY name");
    let rows: Vec<RoleRow> = read!(store, |p| sqlx::query_as(&sql).fetch_all(p).await)?;
    Ok(rows.into_iter().map(Role::from).collect())
}

pub async fn get(store: &Store, id: &str) -> Result<Option<Role>> {
    let sql = format!("SELECT {COLUMNS} FROM roles WHERE id = $1");
    let row: Option<RoleRow> = read!(store, |p| sqlx::query_as(&sql)
        .bind(id)
        .fetch_optional(p)
        .await)?;
    Ok(row.map(Role::from))
}

pub async fn get_by_name(store: &Store, name: &str) -> Result<Option<Role>> {
    let sql = format!("SELECT {COLUMNS} FROM roles WHERE name = $1");
    let row: Option<RoleRow> = read!(store, |p| sqlx::query_as(&sql)
        .bind(name)
        .fetch_optional(p)
        .await)?;
    Ok(row.map(Role::from))
}

/// The live roles among `names` (unknown names are left out).
pub async fn get_by_names(store: &Store, names: &[String]) -> Result<Vec<Role>> {
    if names.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT {COLUMNS} FROM roles WHERE deleteat = 0 AND name IN ({}) ORDER BY name",
        placeholders(1, names.len())
    );
    let binds: Vec<Bind> = names.iter().map(|n| Bind::Str(n)).collect();
    query_rows::<RoleRow, _>(store, &sql, &binds).await
}

/// The insert of a role row; each caller ends it with its `ON CONFLICT (name) DO …`.
macro_rules! insert_role {
    ($on_conflict:literal) => {
        concat!(
            "INSERT INTO roles (id, name, displayname, description, createat, updateat, \
             deleteat, permissions, schememanaged, builtin) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (name) DO ",
            $on_conflict
        )
    };
}

/// Inserts `role` unless a role of that name exists (an adopted Mattermost database keeps its own).
pub async fn insert_if_absent(store: &Store, role: &Role) -> Result<()> {
    write_role(store, role, insert_role!("NOTHING")).await
}

/// Writes `role` by name: created when no role has its name, otherwise its display name,
/// description, permissions and `schememanaged` replaced (a bulk import's role line).
pub async fn save_by_name(store: &Store, role: &Role) -> Result<()> {
    let sql = insert_role!(
        "UPDATE SET displayname = excluded.displayname, description = excluded.description, \
         permissions = excluded.permissions, schememanaged = excluded.schememanaged, \
         updateat = excluded.updateat"
    );
    write_role(store, role, sql).await
}

async fn write_role(store: &Store, role: &Role, sql: &'static str) -> Result<()> {
    execute!(
        store,
        sql,
        &role.id,
        &role.name,
        &role.display_name,
        &role.description,
        role.create_at,
        role.update_at,
        role.delete_at,
        role.permissions.join(" "),
        role.scheme_managed,
        role.built_in
    )?;
    Ok(())
}

pub async fn update_permissions(
    store: &Store,
    id: &str,
    permissions: &[String],
    update_at: i64,
) -> Result<()> {
    execute!(
        store,
        "UPDATE roles SET permissions = $1, updateat = $2 WHERE id = $3",
        permissions.join(" "),
        update_at,
        id
    )?;
    Ok(())
}
