//! The `schemes` table (permission schemes) with the roles each owns, and the teams' and
//! channels' `schemeid`. A scheme and its roles are written and deleted in one transaction.

use crate::db::{execute, query_rows, read, transaction, Bind};
use crate::teams::{query_teams, SELECT_TEAMS};
use crate::{Result, Store};
use utmost_model::role::Role;
use utmost_model::scheme::Scheme;
use utmost_model::team::Team;

#[derive(sqlx::FromRow)]
struct SchemeRow {
    id: String,
    name: Option<String>,
    displayname: Option<String>,
    description: Option<String>,
    createat: Option<i64>,
    updateat: Option<i64>,
    deleteat: Option<i64>,
    scope: Option<String>,
    defaultteamadminrole: Option<String>,
    defaultteamuserrole: Option<String>,
    defaultchanneladminrole: Option<String>,
    defaultchanneluserrole: Option<String>,
    defaultteamguestrole: Option<String>,
    defaultchannelguestrole: Option<String>,
    defaultplaybookadminrole: Option<String>,
    defaultplaybookmemberrole: Option<String>,
    defaultrunadminrole: Option<String>,
    defaultrunmemberrole: Option<String>,
}

impl From<SchemeRow> for Scheme {
    fn from(r: SchemeRow) -> Self {
        Scheme {
            id: r.id,
            name: r.name.unwrap_or_default(),
            display_name: r.displayname.unwrap_or_default(),
            description: r.description.unwrap_or_default(),
            create_at: r.createat.unwrap_or(0),
            update_at: r.updateat.unwrap_or(0),
            delete_at: r.deleteat.unwrap_or(0),
            scope: r.scope.unwrap_or_default(),
            default_team_admin_role: r.defaultteamadminrole.unwrap_or_default(),
            default_team_user_role: r.defaultteamuserrole.unwrap_or_default(),
            default_channel_admin_role: r.defaultchanneladminrole.unwrap_or_default(),
            default_channel_user_role: r.defaultchanneluserrole.unwrap_or_default(),
            default_team_guest_role: r.defaultteamguestrole.unwrap_or_default(),
            default_channel_guest_role: r.defaultchannelguestrole.unwrap_or_default(),
            default_playbook_admin_role: r.defaultplaybookadminrole.unwrap_or_default(),
            default_playbook_member_role: r.defaultplaybookmemberrole.unwrap_or_default(),
            default_run_admin_role: r.defaultrunadminrole.unwrap_or_default(),
            default_run_member_role: r.defaultrunmemberrole.unwrap_or_default(),
        }
    }
}

const SELECT_SCHEMES: &str = "SELECT id, name, displayname, description, createat, updateat, \
    deleteat, scope, defaultteamadminrole, defaultteamuserrole, defaultchanneladminrole, \
    defaultchanneluserrole, defaultteamguestrole, defaultchannelguestrole, \
    defaultplaybookadminrole, defaultplaybookmemberrole, defaultrunadminrole, \
    defaultrunmemberrole FROM schemes";

/// Inserts `scheme` and its `roles` in one transaction. A taken scheme name is
/// `Conflict(…)`.
pub async fn insert(store: &Store, scheme: &Scheme, roles: &[Role]) -> Result<()> {
    transaction!(store, |tx| {
        for role in roles {
            sqlx::query(
                "INSERT INTO roles (id, name, displayname, description, createat, updateat, \
                 deleteat, permissions, schememanaged, builtin) \
                 VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $8, $9)",
            )
            .bind(&role.id)
            .bind(&role.name)
            .bind(&role.display_name)
            .bind(&role.description)
            .bind(role.create_at)
            .bind(role.update_at)
            .bind(role.permissions.join(" "))
            .bind(role.scheme_managed)
            .bind(role.built_in)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query(
            "INSERT INTO schemes (id, name, displayname, description, createat, updateat, \
             deleteat, scope, defaultteamadminrole, defaultteamuserrole, defaultchanneladminrole, \
             defaultchanneluserrole, defaultteamguestrole, defaultchannelguestrole, \
             defaultplaybookadminrole, defaultplaybookmemberrole, defaultrunadminrole, \
             defaultrunmemberrole) \
             VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)",
        )
        .bind(&scheme.id)
        .bind(&scheme.name)
        .bind(&scheme.display_name)
        .bind(&scheme.description)
        .bind(scheme.create_at)
        .bind(scheme.update_at)
        .bind(&scheme.scope)
        .bind(&scheme.default_team_admin_role)
        .bind(&scheme.default_team_user_role)
        .bind(&scheme.default_channel_admin_role)
        .bind(&scheme.default_channel_user_role)
        .bind(&scheme.default_team_guest_role)
        .bind(&scheme.default_channel_guest_role)
        .bind(&scheme.default_playbook_admin_role)
        .bind(&scheme.default_playbook_member_role)
        .bind(&scheme.default_run_admin_role)
        .bind(&scheme.default_run_member_role)
        .execute(&mut *tx)
        .await?;
    })
}

/// The scheme of that id, deleted or not.
pub async fn get(store: &Store, id: &str) -> Result<Option<Scheme>> {
    let sql = format!("{SELECT_SCHEMES} WHERE id = $1");
    Ok(
        query_rows::<SchemeRow, Scheme>(store, &sql, &[Bind::Str(id)])
            .await?
            .pop(),
    )
}

/// A page of the live schemes, newest first; `scope` narrows to one scope ("" for all).
pub async fn list_page(store: &Store, scope: &str, limit: i64, offset: i64) -> Result<Vec<Scheme>> {
    let sql = format!(
        "{SELECT_SCHEMES} WHERE deleteat = 0 AND ($1 = '' OR scope = $1) \
         ORDER BY createat DESC, id LIMIT $2 OFFSET $3"
    );
    query_rows::<SchemeRow, Scheme>(
        store,
        &sql,
        &[Bind::Str(scope), Bind::Int(limit), Bind::Int(offset)],
    )
    .await
}

/// Every live scheme (the permission engine holds them all).
pub async fn list_live(store: &Store) -> Result<Vec<Scheme>> {
    let sql = format!("{SELECT_SCHEMES} WHERE deleteat = 0");
    query_rows::<SchemeRow, Scheme>(store, &sql, &[]).await
}

/// (team id, scheme id) of every team that has a scheme.
pub async fn team_schemes(store: &Store) -> Result<Vec<(String, String)>> {
    Ok(read!(store, |p| sqlx::query_as::<_, (String, String)>(
        "SELECT id, schemeid FROM teams WHERE schemeid IS NOT NULL AND schemeid <> ''"
    )
    .fetch_all(p)
    .await)?)
}

/// Writes a scheme's name, display name, description and update time.
pub async fn update(store: &Store, scheme: &Scheme) -> Result<bool> {
    let done = execute!(
        store,
        "UPDATE schemes SET name = $2, displayname = $3, description = $4, updateat = $5 \
         WHERE id = $1 AND deleteat = 0",
        &scheme.id,
        &scheme.name,
        &scheme.display_name,
        &scheme.description,
        scheme.update_at
    )?;
    Ok(done > 0)
}

/// Soft-deletes `scheme` and its roles, and puts the teams or channels that used it back on
/// the defaults, in one transaction. Returns the ids of the channels that used it.
pub async fn delete(store: &Store, scheme: &Scheme, at: i64) -> Result<Vec<String>> {
    let roles = scheme.role_names();
    transaction!(store, |tx| {
        let channels: Vec<String> = if scheme.scope == utmost_model::scheme::SCOPE_CHANNEL {
            sqlx::query_scalar(
                "UPDATE channels SET schemeid = '', updateat = $2 WHERE schemeid = $1 RETURNING id",
            )
            .bind(&scheme.id)
            .bind(at)
            .fetch_all(&mut *tx)
            .await?
        } else {
            sqlx::query("UPDATE teams SET schemeid = '' WHERE schemeid = $1")
                .bind(&scheme.id)
                .execute(&mut *tx)
                .await?;
            Vec::new()
        };
        for role in &roles {
            sqlx::query("UPDATE roles SET deleteat = $2, updateat = $2 WHERE name = $1")
                .bind(role)
                .bind(at)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query("UPDATE schemes SET deleteat = $2, updateat = $2 WHERE id = $1")
            .bind(&scheme.id)
            .bind(at)
            .execute(&mut *tx)
            .await?;
        channels
    })
}

/// A page of the teams using scheme `id`, by display name.
pub async fn teams_page(store: &Store, id: &str, limit: i64, offset: i64) -> Result<Vec<Team>> {
    let sql = format!(
        "{SELECT_TEAMS} WHERE t.schemeid = $1 AND t.deleteat = 0 ORDER BY t.displayname, t.id LIMIT $2 OFFSET $3"
    );
    query_teams(
        store,
        &sql,
        &[Bind::Str(id), Bind::Int(limit), Bind::Int(offset)],
    )
    .await
}

/// Sets team `team_id`'s scheme ("" for none); false when there is no such team.
pub async fn set_team_scheme(
    store: &Store,
    team_id: &str,
    scheme_id: &str,
    at: i64,
) -> Result<bool> {
    let done = execute!(
        store,
        "UPDATE teams SET schemeid = $2, updateat = $3 WHERE id = $1",
        team_id,
        scheme_id,
        at
    )?;
    Ok(done > 0)
}

/// Sets channel `channel_id`'s scheme ("" for none); false when there is no such channel.
pub async fn set_channel_scheme(
    store: &Store,
    channel_id: &str,
    scheme_id: &str,
    at: i64,
) -> Result<bool> {
    let done = execute!(
        store,
        "UPDATE channels SET schemeid = $2, updateat = $3 WHERE id = $1",
        channel_id,
        scheme_id,
        at
    )?;
    Ok(done > 0)
}
