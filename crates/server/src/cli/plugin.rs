//! `utmost plugin add|list|enable|disable|delete` (mmctl's `plugin` commands): the
//! WebAssembly plugins (docs/plugins.md). Locally a change reaches a running server within
//! its minute's look at the file store (at once for enable and disable, which save the
//! configuration it follows); with --remote, at once.

use super::local::{app_error, Local};
use super::output::{emit, Table};
use super::remote::Remote;
use super::GlobalArgs;
use anyhow::Context;
use clap::Subcommand;
use serde_json::json;
use std::path::PathBuf;
use utmost_app::plugins::{self, PluginsResponse};

#[derive(Debug, Subcommand)]
pub enum PluginCommand {
    /// Install plugin bundles (`.tar.gz`), e.g. `utmost plugin add polls.tar.gz`.
    Add {
        #[arg(required = true)]
        bundles: Vec<PathBuf>,
        /// Replace an installed plugin of the same id.
        #[arg(long)]
        force: bool,
    },
    /// The installed plugins, enabled or not.
    List,
    /// Run plugins.
    Enable {
        #[arg(required = true)]
        ids: Vec<String>,
    },
    /// Stop plugins (they stay installed).
    Disable {
        #[arg(required = true)]
        ids: Vec<String>,
    },
    /// Stop and remove plugins (their key-value data stays).
    Delete {
        #[arg(required = true)]
        ids: Vec<String>,
    },
}

fn read(path: &PathBuf) -> anyhow::Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("reading {}", path.display()))
}

pub async fn run(global: &GlobalArgs, command: PluginCommand) -> anyhow::Result<()> {
    let json = global.json;
    Local::run(global, async |local: &Local| {
        let app = &local.app;
        match command {
            PluginCommand::Add { bundles, force } => {
                for path in &bundles {
                    let manifest = plugins::install(app, read(path)?, force)
                        .await
                        .map_err(app_error)?;
                    println!("installed {} {}", manifest.id, manifest.version);
                }
            }
            PluginCommand::List => {
                return show(json, &plugins::list(app).await.map_err(app_error)?)
            }
            PluginCommand::Enable { ids } => {
                for id in ids {
                    plugins::set_enabled(app, &id, true)
                        .await
                        .map_err(app_error)?;
                    println!("enabled {id}");
                }
            }
            PluginCommand::Disable { ids } => {
                for id in ids {
                    plugins::set_enabled(app, &id, false)
                        .await
                        .map_err(app_error)?;
                    println!("disabled {id}");
                }
            }
            PluginCommand::Delete { ids } => {
                for id in ids {
                    plugins::remove(app, &id).await.map_err(app_error)?;
                    println!("deleted {id}");
                }
            }
        }
        Ok(())
    })
    .await
}

pub async fn remote(r: &Remote, command: PluginCommand, json: bool) -> anyhow::Result<()> {
    match command {
        PluginCommand::Add { bundles, force } => {
            for path in &bundles {
                let fields = [("force", if force { "true" } else { "false" })];
                let manifest = r
                    .upload_form(
                        "/plugins",
                        &fields,
                        ("plugin", "plugin.tar.gz", read(path)?),
                    )
                    .await?;
                println!(
                    "installed {} {}",
                    manifest["id"].as_str().unwrap_or(""),
                    manifest["version"].as_str().unwrap_or("")
                );
            }
        }
        PluginCommand::List => return show(json, &r.get::<PluginsResponse>("/plugins").await?),
        PluginCommand::Enable { ids } => {
            for id in ids {
                r.post::<serde_json::Value>(&format!("/plugins/{id}/enable"), json!({}))
                    .await?;
                println!("enabled {id}");
            }
        }
        PluginCommand::Disable { ids } => {
            for id in ids {
                r.post::<serde_json::Value>(&format!("/plugins/{id}/disable"), json!({}))
                    .await?;
                println!("disabled {id}");
            }
        }
        PluginCommand::Delete { ids } => {
            for id in ids {
                r.delete(&format!("/plugins/{id}")).await?;
                println!("deleted {id}");
            }
        }
    }
    Ok(())
}

fn show(json: bool, plugins: &PluginsResponse) -> anyhow::Result<()> {
    emit(json, serde_json::to_value(plugins)?, || {
        let rows = plugins
            .active
            .iter()
            .map(|m| (m, "enabled"))
            .chain(plugins.inactive.iter().map(|m| (m, "disabled")));
        rows.fold(
            Table::new(&["id", "name", "version", "state"]),
            |t, (m, state)| {
                t.row(vec![
                    m.id.clone(),
                    m.name.clone(),
                    m.version.clone(),
                    state.into(),
                ])
            },
        )
    })
}
