//! A plugin's `plugin.json` (Mattermost's `Manifest`, the fields Utmost uses; the rest is kept
//! as read) and its checks.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utmost_model::AppError;

/// Mattermost's `MinIdLength`, `MaxIdLength`.
const MIN_ID: usize = 3;
const MAX_ID: usize = 190;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub version: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub min_server_version: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server: Option<ServerPart>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webapp: Option<WebappPart>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settings_schema: Option<Value>,
    #[serde(flatten)]
    pub rest: Map<String, Value>,
}

/// The server part: one WebAssembly module (Mattermost's `executable`, here a `.wasm`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ServerPart {
    #[serde(default)]
    pub executable: String,
    #[serde(flatten)]
    pub rest: Map<String, Value>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct WebappPart {
    #[serde(default)]
    pub bundle_path: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub bundle_hash: String,
    #[serde(flatten)]
    pub rest: Map<String, Value>,
}

fn invalid(id: &str, message: &str) -> AppError {
    AppError::bad_request(id, message)
}

/// `IsValidPluginId`: 3 to 190 letters, digits, `-`, `_` and `.`.
pub fn is_valid_id(id: &str) -> bool {
    (MIN_ID..=MAX_ID).contains(&id.len())
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

impl Manifest {
    /// The checks of an install: id, version, the server this runs on, a `.wasm` server part.
    pub fn check(&self) -> Result<(), AppError> {
        if !is_valid_id(&self.id) {
            return Err(invalid(
                "app.plugin.invalid_id.app_error",
                "Plugin Id must be at least 3 characters, at most 190 characters and match ^[a-zA-Z0-9-_\\.]+$.",
            ));
        }
        if semver::Version::parse(&self.version).is_err() {
            return Err(invalid(
                "app.plugin.invalid_version.app_error",
                "The plugin's version is not a semantic version.",
            ));
        }
        if !self.min_server_version.is_empty() {
            let required = semver::Version::parse(&self.min_server_version).map_err(|_| {
                invalid(
                    "model.manifest.is_valid.min_server_version.app_error",
                    "The plugin's min_server_version is not a semantic version.",
                )
            })?;
            let ours = semver::Version::parse(utmost_model::MATTERMOST_VERSION)
                .unwrap_or_else(|_| semver::Version::new(0, 0, 0));
            if required > ours {
                return Err(invalid(
                    "app.plugin.blocked_version.app_error",
                    &format!("This plugin needs server version {required} or later; this server is {ours}."),
                ));
            }
        }
        if let Some(server) = &self.server {
            if !server.executable.ends_with(".wasm") {
                return Err(invalid(
                    "app.plugin.wasm_only.app_error",
                    "Utmost runs server plugins compiled to WebAssembly: server.executable must name a .wasm file.",
                ));
            }
        }
        Ok(())
    }

    /// The plugin's settings: the saved ones over the defaults its settings schema declares.
    pub fn settings_with_defaults(&self, saved: Option<&Map<String, Value>>) -> Map<String, Value> {
        let mut settings = Map::new();
        let declared = self
            .settings_schema
            .as_ref()
            .and_then(|s| s.get("settings"))
            .and_then(Value::as_array);
        for setting in declared.into_iter().flatten() {
            if let (Some(key), Some(default)) = (setting["key"].as_str(), setting.get("default")) {
                settings.insert(key.to_owned(), default.clone());
            }
        }
        // Mattermost keeps saved keys in lower case; a schema names them in any case.
        for (key, value) in saved.into_iter().flatten() {
            let declared_key = settings
                .keys()
                .find(|k| k.eq_ignore_ascii_case(key))
                .cloned()
                .unwrap_or_else(|| key.clone());
            settings.insert(declared_key, value.clone());
        }
        settings
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(json: Value) -> Manifest {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn ids_versions_and_executables_are_checked() {
        let good = json_manifest("a.b-c_d", "1.2.3", "server/p.wasm");
        assert!(good.check().is_ok());
        let short = json_manifest("ab", "1.0.0", "p.wasm");
        assert_eq!(
            short.check().unwrap_err().id,
            "app.plugin.invalid_id.app_error"
        );
        let slash = json_manifest("a/b", "1.0.0", "p.wasm");
        assert_eq!(
            slash.check().unwrap_err().id,
            "app.plugin.invalid_id.app_error"
        );
        let version = json_manifest("abc", "one", "p.wasm");
        assert_eq!(
            version.check().unwrap_err().id,
            "app.plugin.invalid_version.app_error"
        );
        let go = json_manifest("abc", "1.0.0", "server/dist/plugin-linux-amd64");
        assert_eq!(go.check().unwrap_err().id, "app.plugin.wasm_only.app_error");
        let future = manifest(
            serde_json::json!({"id": "abc", "version": "1.0.0", "min_server_version": "99.0.0"}),
        );
        assert_eq!(
            future.check().unwrap_err().id,
            "app.plugin.blocked_version.app_error"
        );
    }

    fn json_manifest(id: &str, version: &str, executable: &str) -> Manifest {
        manifest(
            serde_json::json!({"id": id, "version": version, "server": {"executable": executable}}),
        )
    }

    #[test]
    fn saved_settings_override_the_schema_defaults_whatever_their_case() {
        let m = manifest(
            serde_json::json!({"id": "abc", "version": "1.0.0", "settings_schema": {"settings": [
                {"key": "BlockedWord", "type": "text", "default": "forbidden"},
                {"key": "Loud", "type": "bool", "default": false}
            ]}}),
        );
        let saved = serde_json::json!({"blockedword": "banana"});
        let settings = m.settings_with_defaults(saved.as_object());
        assert_eq!(settings["BlockedWord"], "banana");
        assert_eq!(settings["Loud"], false);
    }
}
