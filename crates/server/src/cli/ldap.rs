//! `utmost ldap sync`: one AD/LDAP sync now, in this process (as the `ldap_sync` job runs it),
//! on the configured database. A running server hears of what it changed (`outside writes`):
//! the deactivated users' sessions are gone and their sockets close within seconds.

use super::local::{app_error, Local};
use super::output::{emit, Table};
use super::remote::Remote;
use super::GlobalArgs;
use clap::Subcommand;

#[derive(Debug, Subcommand)]
pub enum LdapCommand {
    /// Synchronise the accounts from AD/LDAP now: attributes, roles, deactivations.
    Sync,
}

pub async fn run(global: &GlobalArgs, command: LdapCommand) -> anyhow::Result<()> {
    let json = global.json;
    Local::run(global, async |local: &Local| match command {
        LdapCommand::Sync => {
            let report = utmost_app::ldap::sync::run(&local.app, &|_| true)
                .await
                .map_err(app_error)?;
            emit(json, serde_json::to_value(&report)?, || {
                Table::new(&[
                    "entries",
                    "accounts",
                    "updated",
                    "deactivated",
                    "reactivated",
                ])
                .row(
                    [
                        report.entries,
                        report.accounts,
                        report.updated,
                        report.deactivated,
                        report.reactivated,
                    ]
                    .iter()
                    .map(u64::to_string)
                    .collect(),
                )
            })
        }
    })
    .await
}

/// Through a running server (`--remote`): an `ldap_sync` job, waited for.
pub async fn remote(r: &Remote, command: LdapCommand, json: bool) -> anyhow::Result<()> {
    match command {
        LdapCommand::Sync => {
            let job = r.run_job("ldap_sync", serde_json::json!({})).await?;
            super::output::show_job(json, &job)
        }
    }
}
