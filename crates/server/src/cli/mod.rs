//! Command-line interface. Admin commands work on the configured database directly, like
//! mmctl's local mode, so they need no running server and no login.

mod audit;
mod auth;
mod backup;
mod bulk;
mod channel;
mod config;
mod delete;
mod doctor;
mod job;
mod ldap;
mod local;
mod logs;
mod output;
mod plugin;
mod post;
mod progress;
mod remote;
mod roles;
mod search;
mod system;
mod team;
mod user;
mod user_mfa;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;
use utmost_app::config_store::ConfigStore;
use utmost_config::{persist, Config, LoadOptions, Loaded};

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
    /// Run the admin command against a running server instead of the local database:
    /// `--remote` alone for the current profile of `utmost auth login`, `--remote=NAME` for
    /// another, `--remote=URL` with --token.
    #[arg(long, global = true, env = "UTMOST_REMOTE", num_args = 0..=1, require_equals = true, default_missing_value = "", value_name = "PROFILE|URL")]
    pub remote: Option<String>,
    /// The token for `--remote URL`: a personal access token or a session token.
    #[arg(long, global = true, env = "UTMOST_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// The subcommand words of this run (`user deactivate`), which the audit records.
    #[arg(skip)]
    pub action: String,
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
    /// The server's jobs (works locally or with --remote).
    #[command(subcommand)]
    Job(job::JobCommand),
    /// Roles and their permissions (works locally or with --remote).
    #[command(subcommand)]
    Roles(roles::RolesCommand),
    /// WebAssembly plugins: add, list, enable, disable, delete (works locally or with --remote).
    #[command(subcommand)]
    Plugin(plugin::PluginCommand),
    /// The last lines of the server's log file (its file locally, `GET /logs` with --remote).
    Logs(logs::LogsArgs),
    /// Post to a channel and read it (works locally or with --remote).
    #[command(subcommand)]
    Post(post::PostCommand),
    /// The server's health (works locally or with --remote).
    #[command(subcommand)]
    System(system::SystemCommand),
    /// The servers `--remote` reaches: sign in and save a profile, list, switch, forget.
    #[command(subcommand)]
    Auth(auth::AuthCommand),
    /// Print a shell completion script: `utmost completion bash > /etc/bash_completion.d/utmost`.
    Completion { shell: clap_complete::Shell },
    /// Run the rollout checklist against the configuration and the services it names: pass,
    /// warn or fail with the fix for each; exits non-zero when a check fails.
    Doctor(doctor::DoctorArgs),
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print the effective configuration (secrets hidden) and where each value came from.
    Show {
        /// Also list the source (default, file, env, cli) of every value.
        #[arg(long)]
        sources: bool,
    },
    /// Print one setting in force, e.g. `utmost config get ServiceSettings.SiteURL`.
    Get {
        /// Section.Key
        name: String,
    },
    /// Change one setting in the stored configuration (file or database); several values
    /// make a list.
    Set {
        /// Section.Key
        name: String,
        #[arg(required = true, num_args = 1..)]
        values: Vec<String>,
    },
    /// Change the settings a JSON file names (`{"Section": {"Key": value}}`).
    Patch {
        /// The JSON file of sections and keys.
        file: PathBuf,
    },
    /// Copy the stored configuration from a file to a database DSN, or back.
    Migrate {
        /// A config file or database DSN (postgres://…, sqlite://…).
        from: String,
        /// A config file or database DSN.
        to: String,
    },
}

impl GlobalArgs {
    /// Where the configuration is kept: `--config`, `UTMOST_CONFIG` or Mattermost's
    /// `MM_CONFIG` (a file path or a database DSN).
    pub fn config_location(&self) -> Option<String> {
        self.config
            .as_ref()
            .map(|p| p.to_string_lossy().into_owned())
            .or_else(|| std::env::var("MM_CONFIG").ok().filter(|v| !v.is_empty()))
    }

    /// The `--set` flags as (Section.Key, value).
    fn override_pairs(&self) -> anyhow::Result<Vec<(String, String)>> {
        self.overrides
            .iter()
            .map(|o| {
                o.split_once('=')
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .with_context(|| format!("--set {o:?}: expected SECTION.KEY=VALUE"))
            })
            .collect()
    }

    /// Opens the configuration's store (file, database or none) and loads it:
    /// defaults < stored document < MM_* environment < --set flags.
    pub async fn open_config(&self) -> anyhow::Result<(ConfigStore, Loaded)> {
        let location = self.config_location();
        let env = LoadOptions::from_process_env(None).env;
        let (store, loaded) =
            ConfigStore::open(location.as_deref(), env, self.override_pairs()?).await?;
        loaded.config.validate()?;
        Ok((store, loaded))
    }

    /// Loads the configuration: defaults < file < MM_* environment < --set flags.
    pub fn load_config(&self) -> anyhow::Result<Loaded> {
        if self
            .config_location()
            .is_some_and(|l| persist::Location::is_database(&l))
        {
            // A database configuration is read through the async store, from this sync call.
            return tokio::task::block_in_place(|| {
                tokio::runtime::Handle::current().block_on(async {
                    let (store, loaded) = self.open_config().await?;
                    store.close().await;
                    Ok(loaded)
                })
            });
        }
        let mut opts = LoadOptions::from_process_env(self.config_location().map(PathBuf::from));
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

/// The subcommand words of the process's command line, without any argument's value (a
/// password given as a flag never reaches the audit).
fn action_of_process() -> String {
    let Ok(matches) = <Cli as clap::CommandFactory>::command().try_get_matches() else {
        return String::new();
    };
    let mut words = Vec::new();
    let mut current = &matches;
    while let Some((name, sub)) = current.subcommand() {
        words.push(name.to_owned());
        current = sub;
    }
    words.join(" ")
}

pub async fn run(mut cli: Cli) -> anyhow::Result<()> {
    cli.global.action = action_of_process();
    if let Some(remote) = remote::Remote::from_args(&cli.global)? {
        return run_remote(&remote, cli).await;
    }
    match cli.command {
        Command::Version => {
            println!(
                "utmost {} (Mattermost API {})",
                utmost_model::UTMOST_VERSION,
                utmost_model::MATTERMOST_VERSION
            );
            Ok(())
        }
        Command::Serve => crate::serve::run(cli.global.open_config().await?).await,
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
        Command::Doctor(args) => doctor::run(&cli.global, args).await,
        Command::Auth(command) => auth::run(&cli.global, command).await,
        Command::Job(command) => job::run(&cli.global, command).await,
        Command::Post(command) => post::run(&cli.global, command).await,
        Command::System(command) => system::run(&cli.global, command).await,
        Command::Roles(command) => roles::run(&cli.global, command).await,
        Command::Plugin(command) => plugin::run(&cli.global, command).await,
        Command::Logs(args) => logs::run(&cli.global, &args),
        Command::Completion { shell } => {
            let mut command = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut command, "utmost", &mut std::io::stdout());
            Ok(())
        }
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
        Command::Config(ConfigCommand::Get { name }) => config::get(&cli.global, &name).await,
        Command::Config(ConfigCommand::Set { name, values }) => {
            config::set(&cli.global, &name, &values).await
        }
        Command::Config(ConfigCommand::Patch { file }) => config::patch(&cli.global, &file).await,
        Command::Config(ConfigCommand::Migrate { from, to }) => config::migrate(&from, &to).await,
    }
}

/// An admin command through the API of the server `--remote` names (mmctl's default mode).
async fn run_remote(r: &remote::Remote, cli: Cli) -> anyhow::Result<()> {
    let json = cli.global.json;
    match cli.command {
        Command::User(command) => user::remote(r, command, json).await,
        Command::Team(command) => team::remote(r, command, json).await,
        Command::Channel(command) => channel::remote(r, command, json).await,
        Command::Search(command) => search::remote(r, command, json).await,
        Command::Ldap(command) => ldap::remote(r, command, json).await,
        Command::Doctor(args) => doctor::remote(r, args, json).await,
        Command::Config(command) => config::remote(r, command).await,
        Command::Job(command) => job::remote(r, command, json).await,
        Command::Post(command) => post::remote(r, command, json).await,
        Command::System(command) => system::remote(r, command, json).await,
        Command::Roles(command) => roles::remote(r, command, json).await,
        Command::Plugin(command) => plugin::remote(r, command, json).await,
        Command::Logs(args) => logs::remote(r, &args).await,
        Command::Version => {
            let ping: serde_json::Value = r.get("/system/ping").await?;
            println!(
                "utmost {} (Mattermost API {}); the server: {}",
                utmost_model::UTMOST_VERSION,
                utmost_model::MATTERMOST_VERSION,
                ping["status"].as_str().unwrap_or("no status")
            );
            Ok(())
        }
        Command::Auth(command) => auth::run(&cli.global, command).await,
        Command::Completion { .. } => Err(remote::local_only("utmost completion")),
        Command::Serve => Err(remote::local_only("utmost serve")),
        Command::Backup(_) | Command::Restore(_) => Err(remote::local_only("a backup or restore")),
        Command::Import(command) => bulk::remote_import(r, command, json).await,
        Command::Export(args) => bulk::remote_export(r, args, json).await,
        Command::Audit(_) => Err(remote::local_only("utmost audit verify")),
    }
}
