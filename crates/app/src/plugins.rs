//! WebAssembly plugins (docs/plugins.md): Mattermost's plugin bundles and management API,
//! with the server part a WebAssembly module run in a sandbox instead of a native process.
//!
//! - `bundle` and `manifest`: the `.tar.gz` and its `plugin.json`, read in memory, bounded.
//! - `runtime`: wasmtime, one instance per plugin, memory and time limits per call.
//! - `host_api` and `kv`: the API plugins call; `commands`: the slash commands they answer.
//! - `hooks`: where the server calls them (a post about to be saved, saved, a user joining
//!   a channel, a command, an HTTP request to `/plugins/{id}/…`).
//! - `supervisor`: the service that runs what the configuration says should run.
//! - `prepackaged`: the plugins inside the binary (polls), installed on start.
//!
//! Installed bundles live in the file store (`plugins/{id}.tar.gz`), shared by every node;
//! `PluginSettings.PluginStates` says which run. Every node runs the enabled ones itself and
//! follows an install, a removal or a configuration change another node made.

pub mod bundle;
pub mod commands;
pub mod hooks;
mod host_api;
mod kv;
pub mod manifest;
pub mod prepackaged;
mod runtime;
pub mod supervisor;

use crate::bus::Event;
use crate::{App, AppResult};
use arc_swap::ArcSwap;
use manifest::Manifest;
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, OnceLock, Weak};
use utmost_model::AppError;

/// Mattermost's `PluginState*`.
pub const STATE_NOT_RUNNING: i32 = 0;
pub const STATE_RUNNING: i32 = 2;
pub const STATE_FAILED_TO_START: i32 = 3;
pub const STATE_FAILED_TO_STAY_RUNNING: i32 = 4;

/// Where a bundle is kept in the file store.
fn bundle_path(plugin_id: &str) -> String {
    format!("plugins/{plugin_id}.tar.gz")
}

/// Mattermost's `PluginStatus`, as this node sees it.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Status {
    pub plugin_id: String,
    pub cluster_id: String,
    pub plugin_path: String,
    pub state: i32,
    pub error: String,
    pub name: String,
    pub description: String,
    pub version: String,
}

/// `GET /plugins`.
#[derive(Clone, Debug, Default, Serialize, serde::Deserialize)]
pub struct PluginsResponse {
    pub active: Vec<Manifest>,
    pub inactive: Vec<Manifest>,
}

/// A plugin this node runs.
pub struct Running {
    /// As served (`webapp.bundle_hash` filled in).
    pub manifest: Manifest,
    /// As read from the bundle: a different one installed means this one is replaced.
    manifest_as_installed: Manifest,
    pub module: Option<runtime::Plugin>,
    pub webapp: Option<Arc<[u8]>>,
    /// The settings it was last told of (`OnConfigurationChange`).
    settings: Mutex<serde_json::Map<String, serde_json::Value>>,
    crashes: Mutex<Vec<std::time::Instant>>,
}

/// What `App` keeps of plugins.
#[derive(Default)]
pub struct Plugins {
    runtime: OnceLock<Result<runtime::Runtime, String>>,
    running: ArcSwap<BTreeMap<String, Arc<Running>>>,
    /// The installed bundles, as of the last look at the file store, kept while their file
    /// is unchanged.
    bundles: Mutex<BTreeMap<String, Arc<supervisor::Installed>>>,
    statuses: Mutex<BTreeMap<String, Status>>,
    /// The slash commands the running plugins registered, with their plugin's id.
    commands: Mutex<BTreeMap<String, Arc<commands::PluginCommands>>>,
    /// Wakes the supervisor: something it follows changed.
    wake: Arc<tokio::sync::Notify>,
    /// The app these belong to, for the work plugins start outside a request.
    me: OnceLock<Weak<App>>,
    /// One look at the file store and the configuration at a time.
    reconciling: tokio::sync::Mutex<()>,
}

impl Plugins {
    fn runtime(&self) -> Result<&runtime::Runtime, String> {
        self.runtime
            .get_or_init(|| runtime::Runtime::new().map_err(|e| format!("{e:#}")))
            .as_ref()
            .map_err(Clone::clone)
    }

    pub fn running(&self) -> Arc<BTreeMap<String, Arc<Running>>> {
        self.running.load_full()
    }

    /// The manifest of an installed plugin.
    pub fn manifest(&self, plugin_id: &str) -> Option<Manifest> {
        let bundles = self.bundles.lock().ok()?;
        Some(bundles.get(plugin_id)?.bundle.manifest.clone())
    }

    /// Asks the supervisor to look again.
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// Called once by `App::start`.
    pub(crate) fn belong_to(&self, app: Weak<App>) {
        let _ = self.me.set(app);
    }

    fn app(&self) -> Option<Arc<App>> {
        self.me.get()?.upgrade()
    }
}

/// Mattermost's `bundle_hash`: names the web app script's URL, so a new one is fetched.
fn webapp_hash(script: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(&sha2::Sha256::digest(script)[..16])
}

pub fn not_installed() -> AppError {
    AppError::not_found(
        "app.plugin.not_installed.app_error",
        "Plugin is not installed.",
    )
}

fn require_enabled(app: &App) -> AppResult<()> {
    if !app.config().plugin_settings.enable {
        return Err(AppError::new(
            501,
            "app.plugin.disabled.app_error",
            "Plugins have been disabled. Please check your logs for details.",
        ));
    }
    Ok(())
}

/// `POST /plugins`: installs a bundle (replacing one of the same id with `force`). A new
/// plugin is installed disabled; a replaced one keeps its state.
pub async fn install(app: &App, bytes: Vec<u8>, force: bool) -> AppResult<Manifest> {
    require_enabled(app)?;
    let runtime = app
        .plugins
        .runtime()
        .map_err(|e| AppError::internal("app.plugin.install.app_error", e))?
        .clone();
    let checked = tokio::task::spawn_blocking({
        let bytes = bytes.clone();
        move || {
            let read = bundle::read(&bytes)?;
            // Refused now rather than at enable: a module that does not compile is no plugin.
            if let Some(wasm) = &read.wasm {
                runtime.compile(wasm).map_err(|e| {
                    AppError::bad_request(
                        "app.plugin.extract.app_error",
                        "The plugin's WebAssembly module is not valid.",
                    )
                    .with_detail(format!("{e:#}"))
                })?;
            }
            Ok::<_, AppError>(read)
        }
    })
    .await
    .map_err(|e| AppError::internal("app.plugin.install.app_error", e))?;
    let read = checked?;
    let id = read.manifest.id.clone();
    supervisor::refresh_installed(app).await?;
    if !force && app.plugins.manifest(&id).is_some() {
        return Err(AppError::bad_request(
            "app.plugin.install_id.app_error",
            "Unable to install plugin. A plugin with the same ID is already installed.",
        ));
    }
    app.files
        .store
        .write(&bundle_path(&id), bytes)
        .await
        .map_err(|e| AppError::internal("app.plugin.store_bundle.app_error", e))?;
    changed(app).await;
    Ok(read.manifest)
}

/// `DELETE /plugins/{id}`: stops and removes a plugin everywhere; its key-value store stays.
pub async fn remove(app: &App, plugin_id: &str) -> AppResult<()> {
    require_enabled(app)?;
    supervisor::refresh_installed(app).await?;
    if app.plugins.manifest(plugin_id).is_none() {
        return Err(not_installed());
    }
    app.files
        .store
        .remove(&bundle_path(plugin_id))
        .await
        .map_err(|e| AppError::internal("app.plugin.remove.app_error", e))?;
    let mut config = (*app.config()).clone();
    if config
        .plugin_settings
        .plugin_states
        .remove(plugin_id)
        .is_some()
    {
        crate::config_store::save_as_is(app, config).await?;
    }
    changed(app).await;
    Ok(())
}

/// `POST /plugins/{id}/enable` and `…/disable`.
pub async fn set_enabled(app: &App, plugin_id: &str, enable: bool) -> AppResult<()> {
    require_enabled(app)?;
    supervisor::refresh_installed(app).await?;
    if app.plugins.manifest(plugin_id).is_none() {
        return Err(not_installed());
    }
    let mut config = (*app.config()).clone();
    config
        .plugin_settings
        .plugin_states
        .entry(plugin_id.to_owned())
        .or_default()
        .enable = enable;
    crate::config_store::save_as_is(app, config).await?;
    supervisor::reconcile(app).await;
    Ok(())
}

/// Tells every node (this one first) that the installed bundles changed.
async fn changed(app: &App) {
    supervisor::reconcile(app).await;
    app.publish(Event::PluginsChanged {}).await;
}

/// `GET /plugins`: the installed plugins, running or not.
pub async fn list(app: &App) -> AppResult<PluginsResponse> {
    require_enabled(app)?;
    supervisor::refresh_installed(app).await?;
    let running = app.plugins.running();
    let installed: Vec<Manifest> = app
        .plugins
        .bundles
        .lock()
        .map(|b| b.values().map(|i| i.bundle.manifest.clone()).collect())
        .unwrap_or_default();
    let mut response = PluginsResponse::default();
    for manifest in installed {
        if running.contains_key(&manifest.id) {
            response.active.push(manifest);
        } else {
            response.inactive.push(manifest);
        }
    }
    Ok(response)
}

/// `GET /plugins/statuses`: this node's view of every installed plugin.
pub fn statuses(app: &App) -> Vec<Status> {
    app.plugins
        .statuses
        .lock()
        .map(|s| s.values().cloned().collect())
        .unwrap_or_default()
}

/// `GET /plugins/webapp`: the running plugins that have a web app part.
pub fn webapp(app: &App) -> Vec<Manifest> {
    app.plugins
        .running()
        .values()
        .filter(|r| r.webapp.is_some())
        .map(|r| r.manifest.clone())
        .collect()
}

/// The web app script of a running plugin.
pub fn webapp_bundle(app: &App, plugin_id: &str) -> Option<Arc<[u8]>> {
    app.plugins.running().get(plugin_id)?.webapp.clone()
}
