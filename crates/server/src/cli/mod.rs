//! Command-line interface. Admin commands work on the configured database directly, like
//! mmctl's local mode, so they need no running server and no login.

mod audit;
mod backup;
mod bulk;
mod channel;
mod delete;
mod ldap;
mod local;
mod output;
mod progress;
mod search;
mod team;
mod user;
mod user_mfa;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;
use utmost_config::{Config, LoadOptions, Loaded};

#[derive(Debug, Parser)]
#[command(
    name = "utmost",
    version,
    about = "Utmost: a Mattermost-compatible team chat server"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Path to a Mattermost-style config.json (optional; defaults apply without it).
    #[arg(long, global = true, env = "UTMOST_CONFIG")]
    pub config: Option<PathBuf>,
    /// Override one setting, e.g. `--set ServiceSettings.ListenAddress=:9000` (repeatable).
    #[arg(long = "set", global = true, value_name = "SECTION.KEY=VALUE")]
    pub overrides: Vec<String>,
    /// Print JSON instead of tables (admin commands).
    #[arg(long, global = true)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the server.
    Serve,
    /// Print the version.
    Version,
    /// Inspect the configuration.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Manage user accounts (works on the database directly; no server needed).
    #[command(subcommand)]
    User(user::UserCommand),
    /// Manage teams (works on the database directly; no server needed).
    #[command(subcommand)]
    Team(team::TeamCommand),
    /// Manage channels (works on the database directly; no server needed).
    #[command(subcommand)]
    Channel(channel::ChannelCommand),
    /// Manage the post search index (works on the database and index directly).
    #[command(subcommand)]
    Search(search::SearchCommand),
    /// Back up the database and the file store while the server runs, or verify a backup.
    Backup(backup::BackupArgs),
    /// Restore a backup into an empty installation (empty database and file store).
    Restore(backup::RestoreArgs),
    /// Mattermost's bulk import of a .jsonl or .zip (works on the database directly).
    #[command(subcommand)]
    Import(bulk::ImportCommand),
    /// Mattermost's bulk export to a .jsonl, or a .zip with the files (works on the database
    /// directly).
    Export(bulk::ExportArgs),
    /// AD/LDAP: synchronise the accounts from the directory now (works on the database
    /// directly).
    #[command(subcommand)]
    Ldap(ldap::LdapCommand),
    /// The audit file: check its hash chain (reads the files only).
    #[command(subcommand)]
    Audit(audit::AuditCommand),
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print the effective configuration (secrets hidden) and where each value came from.
    Show {
        /// Also list the source (default, file, env, cli) of every value.
        #[arg(long)]
        sources: bool,
    },
}

impl GlobalArgs {
    /// Loads the configuration: defaults < file < MM_* environment < --set flags.
    pub fn load_config(&self) -> anyhow::Result<Loaded> {
        let mut opts = LoadOptions::from_process_env(self.config.clone());
        for o in &self.overrides {
            let (key, value) = o
                .split_once('=')
                .with_context(|| format!("--set {o:?}: expected SECTION.KEY=VALUE"))?;
            opts.overrides.push((key.to_string(), value.to_string()));
        }
        let loaded = Config::load(opts)?;
        loaded.config.validate()?;
        Ok(loaded)
    }
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Version => {
            println!(
                "utmost {} (Mattermost API {})",
                utmost_model::UTMOST_VERSION,
                utmost_model::MATTERMOST_VERSION
            );
            Ok(())
        }
        Command::Serve => crate::serve::run(cli.global.load_config()?).await,
        Command::User(command) => user::run(&cli.global, command).await,
        Command::Team(command) => team::run(&cli.global, command).await,
        Command::Channel(command) => channel::run(&cli.global, command).await,
        Command::Search(command) => search::run(&cli.global, command).await,
        Command::Backup(args) => backup::run_backup(&cli.global, args).await,
        Command::Restore(args) => backup::run_restore(&cli.global, args).await,
        Command::Import(command) => bulk::run_import(&cli.global, command).await,
        Command::Export(args) => bulk::run_export(&cli.global, args).await,
        Command::Ldap(command) => ldap::run(&cli.global, command).await,
        Command::Audit(command) => audit::run(&cli.global, command).await,
        Command::Config(ConfigCommand::Show { sources }) => {
            let loaded = cli.global.load_config()?;
            println!(
                "{}",
                serde_json::to_string_pretty(&loaded.config.to_sanitized_json())?
            );
            if sources {
                for (key, source) in &loaded.sources {
                    println!("{key}\t{source}");
                }
            }
            Ok(())
        }
    }
}
