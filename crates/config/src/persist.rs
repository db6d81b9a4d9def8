//! Where the configuration is kept and how a change is written back, as Mattermost's config
//! store does (`config/store.go`, `file.go`, `database.go`): the stored document keeps the keys
//! Utmost does not know, a setting an `MM_*` variable or `--set` supplies is never written
//! (the stored value stays), and a masked secret sent back means "keep the stored one".

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::load::Source;
use crate::{Config, ConfigError, FAKE_SETTING};

/// Where `--config` / `MM_CONFIG` says the configuration lives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Location {
    /// A `config.json` file.
    File(PathBuf),
    /// A database holding Mattermost's `Configurations` and `ConfigurationFiles` tables.
    Database(DatabaseDsn),
}

/// A config database's connection string, split as the store connects to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DatabaseDsn {
    /// `postgres` or `sqlite`.
    pub driver: String,
    /// The PostgreSQL URL as given, or the SQLite file's path.
    pub data_source: String,
    /// The DSN as given (`postgres://…`, `sqlite://…`).
    pub dsn: String,
}

impl Location {
    /// Mattermost's `IsDatabaseDSN` (`postgres://`, `postgresql://`), plus `sqlite://` and
    /// `sqlite:` for Utmost's SQLite; anything else is a file path.
    pub fn parse(value: &str) -> Location {
        let lower = value.to_ascii_lowercase();
        if lower.starts_with("postgres://") || lower.starts_with("postgresql://") {
            return Location::Database(DatabaseDsn {
                driver: "postgres".into(),
                data_source: value.to_owned(),
                dsn: value.to_owned(),
            });
        }
        let sqlite = ["sqlite://", "sqlite:"]
            .iter()
            .find_map(|prefix| lower.starts_with(prefix).then(|| &value[prefix.len()..]));
        if let Some(path) = sqlite {
            return Location::Database(DatabaseDsn {
                driver: "sqlite".into(),
                data_source: path.to_owned(),
                dsn: value.to_owned(),
            });
        }
        Location::File(PathBuf::from(value))
    }

    /// Whether `value` names a config database rather than a file.
    pub fn is_database(value: &str) -> bool {
        matches!(Location::parse(value), Location::Database(_))
    }
}

/// The document a database holds before its first save (Mattermost's `DatabaseStore.Load`):
/// the data lives in the same database.
pub fn initial_database_document(dsn: &DatabaseDsn) -> Value {
    serde_json::json!({
        "SqlSettings": { "DriverName": dsn.driver, "DataSource": dsn.data_source }
    })
}

/// What to store for `config`: `base` (the stored document as read, keys Utmost does not
/// know included) with every setting of `config` written over it, except the settings
/// `sources` says an environment variable or the command line supplied: those keep what
/// `base` had (Mattermost's `removeEnvOverrides`).
pub fn document(base: &Value, config: &Config, sources: &BTreeMap<String, Source>) -> Value {
    let mut out = match base {
        Value::Object(sections) => sections.clone(),
        _ => Map::new(),
    };
    let Ok(Value::Object(known)) = serde_json::to_value(config) else {
        return Value::Object(out);
    };
    for (section, keys) in known {
        let Value::Object(keys) = keys else { continue };
        let name = existing_name(&out, &section).unwrap_or_else(|| section.clone());
        let entry = out.entry(name).or_insert_with(|| Value::Object(Map::new()));
        if !entry.is_object() {
            *entry = Value::Object(Map::new());
        }
        let Value::Object(stored) = entry else {
            continue;
        };
        for (key, value) in keys {
            let locked = matches!(
                sources.get(&format!("{section}.{key}")),
                Some(Source::Env(_) | Source::Cli)
            );
            if locked {
                continue;
            }
            // One spelling per key: Go's decoder accepted any case, this writes Mattermost's.
            stored.retain(|name, _| !name.eq_ignore_ascii_case(&key) || *name == key);
            stored.insert(key, value);
        }
    }
    Value::Object(out)
}

fn existing_name(map: &Map<String, Value>, name: &str) -> Option<String> {
    map.keys().find(|k| k.eq_ignore_ascii_case(name)).cloned()
}

/// `current` with the sections and keys of `patch` written over it (Mattermost's
/// `config.Merge` of a partial config): names match whatever their case, `null` and unknown
/// keys change nothing. A value of the wrong type is an error (the request's 400).
pub fn patched(current: &Config, patch: &Value) -> Result<Config, PatchError> {
    let Value::Object(patch) = patch else {
        return Err(PatchError("the configuration must be a JSON object".into()));
    };
    let Ok(Value::Object(mut tree)) = serde_json::to_value(current) else {
        return Err(PatchError(
            "the current configuration does not serialise".into(),
        ));
    };
    for (section, keys) in patch {
        let Some(section_name) = existing_name(&tree, section) else {
            continue;
        };
        let keys = match keys {
            Value::Null => continue,
            Value::Object(keys) => keys,
            _ => return Err(PatchError(format!("{section_name} must be an object"))),
        };
        let Some(Value::Object(stored)) = tree.get_mut(&section_name) else {
            continue;
        };
        for (key, value) in keys {
            let Some(key_name) = existing_name(stored, key) else {
                continue;
            };
            if value.is_null() {
                continue;
            }
            stored.insert(key_name, value.clone());
        }
    }
    let mut config: Config =
        serde_json::from_value(Value::Object(tree)).map_err(|e| PatchError(e.to_string()))?;
    config.loaded_from_dir.clone_from(&current.loaded_from_dir);
    Ok(config)
}

/// A patch or whole configuration that does not fit the settings' types.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct PatchError(pub String);

/// Puts `old`'s secret back wherever `new` holds the mask (Mattermost's `desanitize`).
pub fn restore_secrets(new: &mut Config, old: &Config) {
    let mut old = old.clone();
    for (new, old) in crate::secret_fields(new)
        .into_iter()
        .zip(crate::secret_fields(&mut old))
    {
        if *new == FAKE_SETTING {
            new.clone_from(old);
        }
    }
    let old_search = &old.sql_settings.data_source_search_replicas;
    for (i, replica) in new
        .sql_settings
        .data_source_search_replicas
        .iter_mut()
        .enumerate()
    {
        if *replica == FAKE_SETTING {
            if let Some(old) = old_search.get(i) {
                replica.clone_from(old);
            }
        }
    }
    let old_lags = &old.sql_settings.replica_lag_settings;
    for (i, lag) in new.sql_settings.replica_lag_settings.iter_mut().enumerate() {
        if lag.data_source == FAKE_SETTING {
            if let Some(old) = old_lags.get(i) {
                lag.data_source.clone_from(&old.data_source);
            }
        }
    }
    let old_replicas = &old.sql_settings.data_source_replicas;
    for (i, replica) in new.sql_settings.data_source_replicas.iter_mut().enumerate() {
        if *replica == FAKE_SETTING {
            if let Some(old) = old_replicas.get(i) {
                replica.clone_from(old);
            }
        }
    }
}

/// The JSON value of one setting given as text (`utmost config set`): `Section.Key` found
/// whatever its case, the text read as the setting's type (booleans, integers, lists
/// space-separated). Returns the canonical section and key.
pub fn setting_value(name: &str, raw: &str) -> Result<(String, String, Value), ConfigError> {
    let loaded = Config::load_document(None, &[], &[(name.to_owned(), raw.to_owned())])?;
    let (section, key) = loaded
        .sources
        .iter()
        .find(|(_, source)| **source == Source::Cli)
        .and_then(|(name, _)| name.split_once('.'))
        .map(|(s, k)| (s.to_owned(), k.to_owned()))
        .ok_or_else(|| ConfigError::UnknownOverride(name.to_owned()))?;
    let value = setting(&loaded.config, &format!("{section}.{key}"))
        .ok_or_else(|| ConfigError::UnknownOverride(name.to_owned()))?;
    Ok((section, key, value))
}

/// One setting's value, `Section.Key` matched whatever its case.
pub fn setting(config: &Config, name: &str) -> Option<Value> {
    let (section, key) = name.split_once('.')?;
    let Ok(Value::Object(tree)) = serde_json::to_value(config) else {
        return None;
    };
    let section = tree
        .iter()
        .find(|(s, _)| s.eq_ignore_ascii_case(section))?
        .1
        .as_object()?;
    section
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v.clone())
}

/// Writes a document as Mattermost writes `config.json` (four-space indent), atomically: a
/// temporary file beside it, flushed, then renamed over it, so a crash leaves the old file or
/// the new one, never half of one.
pub fn write_file_atomically(path: &Path, document: &Value) -> std::io::Result<()> {
    use std::io::Write;
    let text = to_pretty_json(document);
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "config.json".into());
    let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let written = (|| -> std::io::Result<()> {
        let mut file = std::fs::File::create(&temp)?;
        if let Ok(meta) = std::fs::metadata(path) {
            // Keep the file's permissions: it may hold secrets only its owner should read.
            file.set_permissions(meta.permissions())?;
        }
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        std::fs::rename(&temp, path)?;
        // The rename itself survives a crash once the directory is synced.
        if let Ok(dir) = std::fs::File::open(&dir) {
            let _ = dir.sync_all();
        }
        Ok(())
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    written
}

/// JSON with Mattermost's four-space indent.
pub fn to_pretty_json(document: &Value) -> String {
    use serde::Serialize;
    let mut out = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut out, formatter);
    if document.serialize(&mut ser).is_err() {
        return document.to_string();
    }
    String::from_utf8(out).unwrap_or_else(|_| document.to_string())
}

/// Reads and parses a config file.
pub fn read_file(path: &Path) -> Result<Value, ConfigError> {
    crate::load::read_file(path)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    #[test]
    fn locations() {
        assert_eq!(
            Location::parse("config/config.json"),
            Location::File(PathBuf::from("config/config.json"))
        );
        let Location::Database(pg) = Location::parse("postgres://u:p@db/mm?sslmode=disable") else {
            panic!("not a database");
        };
        assert_eq!(pg.driver, "postgres");
        assert_eq!(pg.data_source, "postgres://u:p@db/mm?sslmode=disable");
        assert!(Location::is_database("postgresql://db/mm"));
        let Location::Database(lite) = Location::parse("sqlite:///var/lib/utmost.db") else {
            panic!("not a database");
        };
        assert_eq!(
            (lite.driver.as_str(), lite.data_source.as_str()),
            ("sqlite", "/var/lib/utmost.db")
        );
    }

    #[test]
    fn the_document_keeps_unknown_keys_and_locked_values() {
        let base = json!({
            "PluginSettings": {"Enable": true},
            "teamsettings": {"sitename": "Stored", "Unknown": 1},
        });
        let mut config = Config::default();
        config.team_settings.site_name = "New".into();
        config.service_settings.site_url = "https://from.env".into();
        let mut sources = BTreeMap::new();
        sources.insert(
            "ServiceSettings.SiteURL".to_string(),
            Source::Env("MM_SERVICESETTINGS_SITEURL".into()),
        );
        let doc = document(&base, &config, &sources);
        assert_eq!(doc["PluginSettings"]["Enable"], true);
        // One spelling per key: Mattermost's.
        assert_eq!(doc["teamsettings"]["SiteName"], "New");
        assert!(doc["teamsettings"].get("sitename").is_none());
        assert_eq!(doc["teamsettings"]["Unknown"], 1);
        assert!(doc["ServiceSettings"].get("SiteURL").is_none());
        assert_eq!(doc["ServiceSettings"]["ListenAddress"], ":8065");
    }

    #[test]
    fn a_patch_changes_only_its_keys() {
        let current = Config::default();
        let new = patched(
            &current,
            &json!({"teamsettings": {"SITENAME": "P", "Nope": 1}, "Nope": {}, "PrivacySettings": null}),
        )
        .unwrap();
        assert_eq!(new.team_settings.site_name, "P");
        assert_eq!(new.service_settings, current.service_settings);
        assert!(patched(&current, &json!({"TeamSettings": {"SiteName": 1}})).is_err());
        assert!(patched(&current, &json!([1])).is_err());
    }

    #[test]
    fn masked_secrets_are_restored() {
        let mut old = Config::default();
        old.email_settings.smtp_password = "smtp".into();
        old.sql_settings.data_source_replicas = vec!["r1".into()];
        let sanitized: Config = serde_json::from_value(old.to_sanitized_json()).unwrap();
        let mut new = sanitized.clone();
        restore_secrets(&mut new, &old);
        assert_eq!(new, old);
        // Every secret the sanitized JSON masks is one `restore_secrets` knows.
        let mut masked = sanitized;
        assert!(crate::secret_fields(&mut masked)
            .iter()
            .all(|s| s.is_empty() || **s == FAKE_SETTING));
    }

    #[test]
    fn setting_values_take_the_settings_type() {
        let (s, k, v) = setting_value("teamsettings.maxuserspERTEAM", "7").unwrap();
        assert_eq!(
            (s.as_str(), k.as_str(), v),
            ("TeamSettings", "MaxUsersPerTeam", json!(7))
        );
        assert!(setting_value("TeamSettings.MaxUsersPerTeam", "x").is_err());
        assert!(setting_value("No.Such", "x").is_err());
        assert_eq!(
            setting(&Config::default(), "servicesettings.listenaddress"),
            Some(json!(":8065"))
        );
    }

    #[test]
    fn the_file_is_replaced_whole() {
        let dir = std::env::temp_dir().join(format!("utmost-persist-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("config.json");
        std::fs::write(&path, "{}").unwrap();
        write_file_atomically(&path, &json!({"A": {"B": 1}})).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text, "{\n    \"A\": {\n        \"B\": 1\n    }\n}");
        let left: Vec<_> = std::fs::read_dir(&dir).unwrap().collect();
        assert_eq!(left.len(), 1);
        let _ = std::fs::remove_dir_all(dir);
    }
}
