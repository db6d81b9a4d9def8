//! `utmost roles show NAME…`: mmctl's `permissions role show`, a role's permissions.

use super::local::{app_error, Local};
use super::output::{emit, Table};
use super::remote::Remote;
use super::GlobalArgs;
use clap::Subcommand;
use serde_json::json;
use utmost_model::role::Role;

#[derive(Debug, Subcommand)]
pub enum RolesCommand {
    /// Show roles and their permissions, e.g. `utmost roles show system_user team_admin`.
    Show {
        #[arg(required = true)]
        names: Vec<String>,
    },
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
    })
    .await
}

pub async fn remote(r: &Remote, command: RolesCommand, json: bool) -> anyhow::Result<()> {
    match command {
        RolesCommand::Show { names } => {
            let roles: Vec<Role> = r.post("/roles/names", json!(names)).await?;
            show(json, &roles)
        }
    }
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
