//! The plugins inside the binary (built by crates/app/build.rs from plugins/), installed on
//! start while `AutomaticPrepackagedPlugins` is on: a missing or older installed version is
//! replaced. A shipped plugin with no `PluginStates` entry runs while that setting is on: it
//! is what a new server offers out of the box; an admin who disables it keeps it disabled.

use super::bundle;
use crate::App;

pub struct Shipped {
    pub manifest: &'static str,
    pub wasm: &'static [u8],
}

/// The polls plugin (`/poll`).
pub const POLLS: Shipped = Shipped {
    manifest: include_str!("../../../../plugins/polls/plugin.json"),
    wasm: include_bytes!(concat!(env!("OUT_DIR"), "/polls.wasm")),
};

pub const SHIPPED: &[Shipped] = &[POLLS];

/// Where the build put the plugin modules it built (`{name}.wasm`; an empty file for one it
/// could not build), the example plugins among them: for tests, on the machine that built.
pub const BUILT_MODULES_DIR: &str = env!("OUT_DIR");

/// The ids of the shipped plugins.
pub fn is_shipped(plugin_id: &str) -> bool {
    SHIPPED.iter().any(|s| {
        serde_json::from_str::<super::manifest::Manifest>(s.manifest)
            .is_ok_and(|m| m.id == plugin_id)
    })
}

/// Installs the shipped plugins that are missing or older than the binary's.
pub async fn install(app: &App) {
    let settings = &app.config().plugin_settings;
    if !settings.enable || !settings.automatic_prepackaged_plugins {
        return;
    }
    if let Err(e) = super::supervisor::refresh_installed(app).await {
        tracing::error!(error = %e, "shipped plugins: the installed ones could not be listed");
        return;
    }
    for shipped in SHIPPED {
        let Ok(manifest) = serde_json::from_str::<super::manifest::Manifest>(shipped.manifest)
        else {
            continue;
        };
        if shipped.wasm.is_empty() {
            tracing::warn!(plugin_id = %manifest.id, "this binary was built without its shipped plugin (no wasm32-unknown-unknown target)");
            continue;
        }
        let newer = |installed: &super::manifest::Manifest| match (
            semver::Version::parse(&manifest.version),
            semver::Version::parse(&installed.version),
        ) {
            (Ok(ours), Ok(theirs)) => ours > theirs,
            _ => false,
        };
        if app
            .plugins
            .manifest(&manifest.id)
            .is_some_and(|m| !newer(&m))
        {
            continue;
        }
        let packed = bundle::pack(shipped.manifest, &[("server/plugin.wasm", shipped.wasm)]);
        let installed = match packed {
            Ok(bytes) => super::install(app, bytes, true).await.map(|_| ()),
            Err(e) => Err(utmost_model::AppError::internal(
                "app.plugin.install.app_error",
                e,
            )),
        };
        match installed {
            Ok(()) => {
                tracing::info!(plugin_id = %manifest.id, version = %manifest.version, "shipped plugin installed")
            }
            Err(e) => {
                tracing::error!(plugin_id = %manifest.id, error = %e, "shipped plugin not installed")
            }
        }
    }
}
