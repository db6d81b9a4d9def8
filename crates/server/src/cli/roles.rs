//! `utmost roles show NAME…` (mmctl's `permissions role show`) and `utmost roles add|remove
//! ROLE PERMISSION…` (mmctl's `permissions add|remove`): a role's permissions.

use super::local::{app_error, Local};
use super::output::{emit, Table};
use super::remote::Remote;
use super::GlobalArgs;
use clap::Subcommand;
use serde_json::json;
use utmost_model::role::{Role, RolePatch};

#[derive(Debug, Subcommand)]
pub enum RolesCommand {
    /// Show roles and their permissions, e.g. `utmost roles show system_user team_admin`.
    Show {
        #[arg(required = true)]
        names: Vec<String>,
    },
    /// Grant permissions to a role, e.g. `utmost roles add system_user create_team`.
    Add {
        role: String,
        #[arg(required = true)]
        permissions: Vec<String>,
    },
    /// Withdraw permissions from a role.
    Remove {
        role: String,
        #[arg(required = true)]
        permissions: Vec<String>,
    },
}

/// `role`'s permissions with `changes` added (or removed), in the role's order then theirs.
fn changed(role: &Role, changes: &[String], add: bool) -> Vec<String> {
    let mut permissions: Vec<String> = role
        .permissions
        .iter()
        .filter(|p| add || !changes.contains(p))
        .cloned()
        .collect();
    if add {
        permissions.extend(
            changes
                .iter()
                .filter(|p| !role.permissions.contains(p))
                .cloned(),
        );
    }
    permissions
}

pub async fn run(global: &GlobalArgs, command: RolesCommand) -> anyhow::Result<()> {
    let json = global.json;
    Local::run(global, async |local: &Local| match command {
        RolesCommand::Show { names } => {
            let roles = utmost_app::roles::get_by_names(&local.app, names)
                .await
                .map_err(app_error)?;
            show(json, &roles)
        }
        RolesCommand::Add { role, permissions } => {
            local_change(local, &role, &permissions, true, json).await
        }
        RolesCommand::Remove { role, permissions } => {
            local_change(local, &role, &permissions, false, json).await
        }
    })
    .await
}

async fn local_change(
    local: &Local,
    name: &str,
    changes: &[String],
    add: bool,
    json: bool,
) -> anyhow::Result<()> {
    let role = utmost_app::roles::get_by_name(&local.app, name)
        .await
        .map_err(app_error)?;
    let patch = RolePatch {
        permissions: Some(changed(&role, changes, add)),
    };
    let role = utmost_app::roles::patch(&local.app, &local.session, &role.id, patch)
        .await
        .map_err(app_error)?;
    show(json, &[role])
}

pub async fn remote(r: &Remote, command: RolesCommand, json: bool) -> anyhow::Result<()> {
    match command {
        RolesCommand::Show { names } => {
            let roles: Vec<Role> = r.post("/roles/names", json!(names)).await?;
            show(json, &roles)
        }
        RolesCommand::Add { role, permissions } => {
            remote_change(r, &role, &permissions, true, json).await
        }
        RolesCommand::Remove { role, permissions } => {
            remote_change(r, &role, &permissions, false, json).await
        }
    }
}

async fn remote_change(
    r: &Remote,
    name: &str,
    changes: &[String],
    add: bool,
    json: bool,
) -> anyhow::Result<()> {
    let role: Role = r.get(&format!("/roles/name/{name}")).await?;
    let body = json!({"permissions": changed(&role, changes, add)});
    let role: Role = serde_json::from_value(
        r.call(
            reqwest::Method::PUT,
            &format!("/roles/{}/patch", role.id),
            Some(&body),
        )
        .await?,
    )?;
    show(json, &[role])
}

fn show(json: bool, roles: &[Role]) -> anyhow::Result<()> {
    emit(json, serde_json::to_value(roles)?, || {
        roles
            .iter()
            .fold(Table::new(&["role", "permissions"]), |t, r| {
                t.row(vec![r.name.clone(), r.permissions.join(" ")])
            })
    })
}
