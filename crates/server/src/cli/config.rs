//! `utmost config get|set|patch|migrate` (mmctl's `config` commands in local mode): they work
//! on the configuration the server uses (`--config`, `UTMOST_CONFIG` or `MM_CONFIG`: a file
//! or a database DSN). A running server takes a change made here at `POST
//! /api/v4/config/reload` or its next start.

use super::remote::{local_only, Remote};
use super::{ConfigCommand, GlobalArgs};
use anyhow::Context;
use reqwest::Method;
use serde_json::{Map, Value};
use std::path::Path;
use utmost_app::config_store::{self, ConfigStore};
use utmost_config::{persist, Source};

/// Prints one setting's value in force (JSON), e.g. `ServiceSettings.SiteURL`.
pub async fn get(global: &GlobalArgs, name: &str) -> anyhow::Result<()> {
    let (store, loaded) = global.open_config().await?;
    store.close().await;
    let value = persist::setting(&loaded.config, name)
        .with_context(|| format!("{name:?} does not name a setting (Section.Key)"))?;
    match value {
        Value::String(s) => println!("{s}"),
        other => println!("{other}"),
    }
    Ok(())
}

/// Sets one setting in the stored configuration (several values make a list).
pub async fn set(global: &GlobalArgs, name: &str, values: &[String]) -> anyhow::Result<()> {
    let (section, key, value) = persist::setting_value(name, &values.join(" "))?;
    let (store, loaded) = global.open_config().await?;
    let locked = loaded.sources.get(&format!("{section}.{key}")).cloned();
    if let Some(source @ (Source::Env(_) | Source::Cli)) = locked {
        store.close().await;
        anyhow::bail!(
            "{section}.{key} is set by {source}, which wins over the stored configuration; \
             change it there"
        );
    }
    let mut keys = Map::new();
    keys.insert(key, value);
    let mut patch = Map::new();
    patch.insert(section, Value::Object(keys));
    let result = save_patch_to(&store, &loaded.config, &Value::Object(patch)).await;
    store.close().await;
    result
}

/// Applies a JSON file of sections and keys to the stored configuration.
pub async fn patch(global: &GlobalArgs, file: &Path) -> anyhow::Result<()> {
    let patch = persist::read_file(file)?;
    save_patch(global, &patch).await
}

async fn save_patch(global: &GlobalArgs, patch: &Value) -> anyhow::Result<()> {
    let (store, loaded) = global.open_config().await?;
    let result = save_patch_to(&store, &loaded.config, patch).await;
    store.close().await;
    result
}

async fn save_patch_to(
    store: &ConfigStore,
    current: &utmost_config::Config,
    patch: &Value,
) -> anyhow::Result<()> {
    let mut new = persist::patched(current, patch)?;
    persist::restore_secrets(&mut new, current);
    new.is_valid()
        .map_err(|invalid| anyhow::anyhow!("{invalid} ({})", invalid.id))?;
    store.save(&new).await?;
    Ok(())
}

/// Copies the stored configuration from one place to another (file → database and back).
pub async fn migrate(from: &str, to: &str) -> anyhow::Result<()> {
    config_store::migrate(from, to)
        .await
        .with_context(|| format!("migrating the configuration from {from} to {to}"))?;
    eprintln!("the configuration is now also in {to}");
    Ok(())
}

/// `config show|get|set|patch` through the API of a running server (`--remote`): the
/// server's configuration in force (secrets masked), changed with `PUT /config/patch`, which
/// validates and saves it and applies it at once.
pub async fn remote(r: &Remote, command: ConfigCommand) -> anyhow::Result<()> {
    match command {
        ConfigCommand::Show { sources } => {
            if sources {
                return Err(local_only("utmost config show --sources"));
            }
            let config: Value = r.get("/config").await?;
            println!("{}", serde_json::to_string_pretty(&config)?);
            Ok(())
        }
        ConfigCommand::Get { name } => {
            let (section, key) = name
                .split_once('.')
                .with_context(|| format!("{name:?} does not name a setting (Section.Key)"))?;
            let config: Value = r.get("/config").await?;
            match &config[section][key] {
                Value::Null => anyhow::bail!("{name:?} does not name a setting (Section.Key)"),
                Value::String(s) => println!("{s}"),
                other => println!("{other}"),
            }
            Ok(())
        }
        ConfigCommand::Set { name, values } => {
            let (section, key, value) = persist::setting_value(&name, &values.join(" "))?;
            let mut keys = Map::new();
            keys.insert(key, value);
            let mut patch = Map::new();
            patch.insert(section, Value::Object(keys));
            r.call(Method::PUT, "/config/patch", Some(&Value::Object(patch)))
                .await?;
            Ok(())
        }
        ConfigCommand::Patch { file } => {
            let patch = persist::read_file(&file)?;
            r.call(Method::PUT, "/config/patch", Some(&patch)).await?;
            Ok(())
        }
        ConfigCommand::Migrate { .. } => Err(local_only("utmost config migrate")),
    }
}
