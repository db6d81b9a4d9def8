//! The configuration's own files (Mattermost's "config files": the SAML and AD/LDAP
//! certificates and keys), kept where the configuration is: a row of `configurationfiles`
//! when it is in a database (every node reads the same ones), else a file in the config
//! file's directory (`Config::files_dir`). Errors are the cause, naming the file, for the
//! caller's own error.

use crate::App;
use std::path::PathBuf;
use utmost_config::Config;
use utmost_model::time::now_millis;
use utmost_store::configurations;

/// Where `name` lives when the configuration is a file.
pub fn path(config: &Config, name: &str) -> PathBuf {
    config.files_dir().join(name)
}

/// The bytes of `name`.
pub(crate) async fn read(app: &App, config: &Config, name: &str) -> Result<Vec<u8>, String> {
    if let Some(db) = app.config_store().database() {
        return match configurations::get_file(db, name).await {
            Ok(Some(text)) => Ok(text.into_bytes()),
            Ok(None) => Err(format!("{name}: not in the config database")),
            Err(e) => Err(format!("{name}: {e}")),
        };
    }
    let path = path(config, name);
    tokio::fs::read(&path)
        .await
        .map_err(|e| format!("{}: {e}", path.display()))
}

/// Saves `text` (PEM, checked by the caller) as `name`. A `secret` file is written readable by
/// the server's user only; either is written beside and renamed, so a reader never sees half.
pub(crate) async fn save(
    app: &App,
    config: &Config,
    name: &str,
    text: &[u8],
    secret: bool,
) -> Result<(), String> {
    if let Some(db) = app.config_store().database() {
        let text = String::from_utf8_lossy(text);
        return configurations::set_file(db, name, &text, now_millis())
            .await
            .map_err(|e| format!("{name}: {e}"));
    }
    let path = path(config, name);
    let saving = |e: std::io::Error| format!("{}: {e}", path.display());
    if let Some(dir) = path.parent() {
        tokio::fs::create_dir_all(dir).await.map_err(saving)?;
    }
    let partial = path.with_extension("partial");
    let mut options = tokio::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    if secret {
        options.mode(0o600);
    }
    let mut file = options.open(&partial).await.map_err(saving)?;
    tokio::io::AsyncWriteExt::write_all(&mut file, text)
        .await
        .map_err(saving)?;
    file.sync_all().await.map_err(saving)?;
    tokio::fs::rename(&partial, &path).await.map_err(saving)
}

/// Removes `name`; one already gone is no error.
pub(crate) async fn remove(app: &App, config: &Config, name: &str) -> Result<(), String> {
    if let Some(db) = app.config_store().database() {
        return configurations::delete_file(db, name)
            .await
            .map_err(|e| format!("{name}: {e}"));
    }
    let path = path(config, name);
    match tokio::fs::remove_file(&path).await {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(format!("{}: {e}", path.display())),
    }
}
