//! The `plugins` service: makes this node run what the file store and the configuration say
//! (`reconcile`), on start, when woken (a saved configuration, another node's install or
//! removal) and every minute (a missed wake-up). Plugins that crash three times within an
//! hour stay stopped (`FailedToStayRunning`) until they are enabled again or replaced.

use super::bundle::{self, Bundle};
use super::manifest::Manifest;
use super::runtime::{Limits, Plugin};
use super::{host_api, Running, Status, STATE_FAILED_TO_START, STATE_NOT_RUNNING, STATE_RUNNING};
use crate::services::{Run, Service, Stop};
use crate::{App, AppResult};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;
use utmost_model::AppError;

const LOOK_AGAIN: Duration = Duration::from_secs(60);

pub struct Supervisor {
    pub app: Weak<App>,
}

impl Service for Supervisor {
    fn name(&self) -> &'static str {
        "plugins"
    }

    fn run(self: Box<Self>, mut stop: Stop) -> Run {
        Box::pin(async move {
            if let Some(app) = self.app.upgrade() {
                // Compiling a module takes a while: a stop does not wait for it.
                tokio::select! {
                    () = stop.requested() => return,
                    () = super::prepackaged::install(&app) => {}
                }
                let waker = Arc::downgrade(&app);
                app.add_config_listener(move |old, new| {
                    if old.plugin_settings != new.plugin_settings {
                        if let Some(app) = waker.upgrade() {
                            app.plugins.wake();
                        }
                    }
                });
            }
            loop {
                let Some(app) = self.app.upgrade() else {
                    break;
                };
                tokio::select! {
                    () = stop.requested() => break,
                    () = reconcile(&app) => {}
                }
                let wake = app.plugins.wake.clone();
                drop(app);
                tokio::select! {
                    () = stop.requested() => break,
                    () = wake.notified() => {}
                    () = tokio::time::sleep(LOOK_AGAIN) => {}
                }
            }
            if let Some(app) = self.app.upgrade() {
                for id in app.plugins.running().keys().cloned().collect::<Vec<_>>() {
                    deactivate(&app, &id).await;
                }
            }
        })
    }
}

/// The installed bundles, read again from the file store where they changed.
pub async fn refresh_installed(app: &App) -> AppResult<()> {
    let listed = app
        .files
        .store
        .list_files("plugins")
        .await
        .map_err(|e| AppError::internal("app.plugin.sync.list_filestore.app_error", e))?;
    let mut found = BTreeMap::new();
    for (file, size, modified) in listed {
        let Some(id) = file.strip_suffix(".tar.gz") else {
            continue;
        };
        let known = app
            .plugins
            .bundles
            .lock()
            .ok()
            .and_then(|b| b.get(id).cloned());
        let bundle = match known {
            Some(known) if known.size == size && known.modified == modified => known,
            _ => match read_bundle(app, &super::bundle_path(id)).await {
                Ok(bundle) => Arc::new(Installed {
                    size,
                    modified,
                    bundle,
                }),
                Err(e) => {
                    tracing::error!(plugin_id = id, error = %e, "an installed plugin bundle cannot be read");
                    continue;
                }
            },
        };
        found.insert(id.to_owned(), bundle);
    }
    if let Ok(mut bundles) = app.plugins.bundles.lock() {
        *bundles = found;
    }
    Ok(())
}

async fn read_bundle(app: &App, path: &str) -> AppResult<Bundle> {
    let bytes = app
        .files
        .store
        .read(path)
        .await
        .map_err(|e| AppError::internal("app.plugin.sync.read_local_folder.app_error", e))?;
    tokio::task::spawn_blocking(move || bundle::read(&bytes))
        .await
        .map_err(|e| AppError::internal("app.plugin.extract.app_error", e))?
}

/// A bundle in the file store, with what tells it changed.
pub struct Installed {
    size: u64,
    modified: i64,
    pub bundle: Bundle,
}

/// Brings the running plugins in line with the installed bundles and the configuration.
pub async fn reconcile(app: &App) {
    let _one = app.plugins.reconciling.lock().await;
    if let Err(e) = refresh_installed(app).await {
        tracing::error!(error = %e, "plugins: the installed bundles could not be listed");
        return;
    }
    let config = app.config();
    let settings = &config.plugin_settings;
    let bundles = app
        .plugins
        .bundles
        .lock()
        .map(|b| b.clone())
        .unwrap_or_default();
    let wanted = |id: &str| {
        settings.enable
            && match settings.plugin_states.get(id) {
                Some(state) => state.enable,
                None => {
                    settings.automatic_prepackaged_plugins && super::prepackaged::is_shipped(id)
                }
            }
    };
    for (id, running) in app.plugins.running().iter() {
        let same = bundles
            .get(id)
            .is_some_and(|i| i.bundle.manifest == running.manifest_as_installed);
        if !wanted(id) || !same {
            deactivate(app, id).await;
        }
    }
    let mut statuses = BTreeMap::new();
    for (id, installed) in &bundles {
        let manifest = &installed.bundle.manifest;
        let status = if !wanted(id) {
            status(manifest, STATE_NOT_RUNNING, "")
        } else if let Some(running) = app.plugins.running().get(id) {
            super::hooks::configuration_changed(app, running).await;
            previous_status(app, id).unwrap_or_else(|| status(manifest, STATE_RUNNING, ""))
        } else if previous_status(app, id).is_some_and(|s| {
            s.state == super::STATE_FAILED_TO_STAY_RUNNING && s.version == manifest.version
        }) {
            previous_status(app, id).unwrap_or_else(|| status(manifest, STATE_NOT_RUNNING, ""))
        } else {
            match activate(app, installed).await {
                Ok(()) => status(manifest, STATE_RUNNING, ""),
                Err(e) => {
                    tracing::error!(plugin_id = %id, error = %e, "plugin failed to start");
                    status(manifest, STATE_FAILED_TO_START, &e)
                }
            }
        };
        statuses.insert(id.clone(), status);
    }
    if let Ok(mut s) = app.plugins.statuses.lock() {
        *s = statuses;
    }
}

fn previous_status(app: &App, id: &str) -> Option<Status> {
    app.plugins.statuses.lock().ok()?.get(id).cloned()
}

pub(super) fn status(manifest: &Manifest, state: i32, error: &str) -> Status {
    Status {
        plugin_id: manifest.id.clone(),
        cluster_id: String::new(),
        plugin_path: String::new(),
        state,
        error: error.to_owned(),
        name: manifest.name.clone(),
        description: manifest.description.clone(),
        version: manifest.version.clone(),
    }
}

/// Compiles and starts a plugin, then calls its `on_activate`.
async fn activate(app: &App, installed: &Installed) -> Result<(), String> {
    let bundle = &installed.bundle;
    let id = bundle.manifest.id.clone();
    let config = app.config();
    let limits = Limits {
        memory_bytes: usize::try_from(config.plugin_settings.max_memory_mb.max(1)).unwrap_or(64)
            * 1024
            * 1024,
        call_time: Duration::from_millis(
            u64::try_from(config.plugin_settings.max_call_milliseconds.max(1)).unwrap_or(2000),
        ),
    };
    let module = match &bundle.wasm {
        Some(wasm) => {
            let runtime = app.plugins.runtime()?;
            let host = Arc::new(host_api::ApiHost {
                app: app.plugins.me.get().cloned().unwrap_or_default(),
                handle: tokio::runtime::Handle::current(),
            });
            let (compiler, wasm) = (runtime.clone(), wasm.clone());
            let compiled = tokio::task::spawn_blocking(move || compiler.compile(&wasm))
                .await
                .map_err(|e| e.to_string())?
                .map_err(|e| format!("{e:#}"))?;
            Some(Plugin::new(runtime, &id, compiled, host, limits).map_err(|e| format!("{e:#}"))?)
        }
        None => None,
    };
    let mut manifest = bundle.manifest.clone();
    let webapp = bundle.webapp.as_ref().map(|script| {
        if let Some(part) = manifest.webapp.as_mut() {
            part.bundle_hash = super::webapp_hash(script);
        }
        Arc::<[u8]>::from(script.as_slice())
    });
    let running = Arc::new(Running {
        manifest,
        manifest_as_installed: bundle.manifest.clone(),
        module,
        webapp,
        settings: Mutex::new(
            bundle
                .manifest
                .settings_with_defaults(config.plugin_settings.plugins.get(&id)),
        ),
        crashes: Mutex::new(Vec::new()),
    });
    super::hooks::activate(app, &running).await?;
    app.plugins.running.rcu(|map| {
        let mut map = BTreeMap::clone(map);
        map.insert(id.clone(), running.clone());
        map
    });
    Ok(())
}

/// Stops a plugin: out of the running set first (no new calls), then its `on_deactivate`.
pub async fn deactivate(app: &App, plugin_id: &str) {
    let mut removed = None;
    app.plugins.running.rcu(|map| {
        let mut map = BTreeMap::clone(map);
        removed = map.remove(plugin_id);
        map
    });
    super::commands::unregister_all(app, plugin_id);
    if let Some(running) = removed {
        super::hooks::deactivate_hook(app, &running).await;
    }
}
