//! Layered loading: compiled defaults < JSON file < `MM_<SECTION>_<KEY>` env < CLI overrides.
//!
//! The layers are applied to a `serde_json::Value` tree made from `Config::default()`. That tree
//! is the schema: a key exists only if the default has it, and a value's type is the default's
//! JSON type. Working on the tree instead of on the structs lets one small function per layer
//! handle every key, and lets us record the source of each leaf as it is written.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::{Config, ConfigError};

/// Which layer supplied a setting's effective value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    Default,
    File,
    /// The environment variable, as spelled in the environment.
    Env(String),
    Cli,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Default => f.write_str("default"),
            Source::File => f.write_str("file"),
            Source::Env(var) => write!(f, "env {var}"),
            Source::Cli => f.write_str("command line"),
        }
    }
}

/// The effective configuration and where each value came from.
#[derive(Clone, Debug)]
pub struct Loaded {
    pub config: Config,
    /// Every leaf setting, keyed `"Section.Key"` in Mattermost's spelling.
    pub sources: BTreeMap<String, Source>,
}

/// Inputs to [`Config::load`]. Passing the environment in (rather than reading it inside)
/// keeps loading a pure function that tests can drive.
#[derive(Clone, Debug, Default)]
pub struct LoadOptions {
    pub file: Option<PathBuf>,
    pub env: Vec<(String, String)>,
    /// `("Section.Key", raw value)`, applied last.
    pub overrides: Vec<(String, String)>,
}

impl LoadOptions {
    /// Options with the process's `MM_*` variables. Variables that are not valid UTF-8 cannot
    /// name a setting, so they are skipped rather than aborting (`std::env::vars` would panic).
    pub fn from_process_env(file: Option<PathBuf>) -> Self {
        let env = std::env::vars_os()
            .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
            .filter(|(k, _)| k.to_ascii_uppercase().starts_with("MM_"))
            .collect();
        LoadOptions {
            file,
            env,
            overrides: Vec::new(),
        }
    }
}

impl Config {
    /// Builds the effective configuration from the layers in `opts`.
    pub fn load(opts: LoadOptions) -> Result<Loaded, ConfigError> {
        let document = match &opts.file {
            Some(path) => Some((read_file(path)?, path.clone())),
            None => None,
        };
        let mut loaded = Self::load_document(
            document.as_ref().map(|(doc, path)| (doc, path.as_path())),
            &opts.env,
            &opts.overrides,
        )?;
        loaded.config.loaded_from_dir = opts.file.as_deref().map(|file| match file.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
            _ => PathBuf::from("."),
        });
        Ok(loaded)
    }

    /// Builds the effective configuration from a stored document (a config file's or a
    /// `Configurations` row's JSON; `origin` names it in errors) and the env and command-line
    /// layers. `loaded_from_dir` is left unset.
    pub fn load_document(
        document: Option<(&Value, &Path)>,
        env: &[(String, String)],
        overrides: &[(String, String)],
    ) -> Result<Loaded, ConfigError> {
        let mut layers = Layers::new()?;
        if let Some((document, origin)) = document {
            layers.apply_document(document.clone(), origin)?;
        }
        for (var, value) in env {
            layers.apply_env(var, value)?;
        }
        for (key, value) in overrides {
            layers.apply_override(key, value)?;
        }
        let config: Config =
            serde_json::from_value(Value::Object(layers.tree)).map_err(ConfigError::Build)?;
        Ok(Loaded {
            config,
            sources: layers.sources,
        })
    }
}

/// Reads and parses a config file.
pub(crate) fn read_file(path: &Path) -> Result<Value, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::ReadFile {
        path: path.to_owned(),
        source,
    })?;
    serde_json::from_str(&text).map_err(|source| ConfigError::ParseFile {
        path: path.to_owned(),
        source,
    })
}

struct Layers {
    /// Section name -> key name -> value, starting as the defaults.
    tree: Map<String, Value>,
    sources: BTreeMap<String, Source>,
}

impl Layers {
    fn new() -> Result<Self, ConfigError> {
        let tree: Map<String, Value> = serde_json::to_value(Config::default())
            .and_then(serde_json::from_value)
            .map_err(ConfigError::Build)?;
        let mut sources = BTreeMap::new();
        for (section, keys) in &tree {
            for key in keys.as_object().into_iter().flat_map(|keys| keys.keys()) {
                sources.insert(format!("{section}.{key}"), Source::Default);
            }
        }
        Ok(Layers { tree, sources })
    }

    /// Finds a setting case-insensitively (Go's JSON decoder and Mattermost's env lookup both
    /// ignore case) and returns its canonical section and key names.
    fn find(&self, section: &str, key: &str) -> Option<(String, String)> {
        let (section, keys) = self
            .tree
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(section))?;
        let key = keys
            .as_object()?
            .keys()
            .find(|name| name.eq_ignore_ascii_case(key))?;
        Some((section.clone(), key.clone()))
    }

    fn default_of(&self, section: &str, key: &str) -> &Value {
        self.tree
            .get(section)
            .and_then(|keys| keys.get(key))
            .unwrap_or(&Value::Null)
    }

    fn set(&mut self, section: &str, key: &str, value: Value, source: Source) {
        if let Some(Value::Object(keys)) = self.tree.get_mut(section) {
            keys.insert(key.to_owned(), value);
            self.sources.insert(format!("{section}.{key}"), source);
        }
    }

    /// Merges a Mattermost-style config.json. Sections and keys Utmost does not know are
    /// ignored, since a real Mattermost file has many; `null` keeps the default, as in
    /// Mattermost where every setting is a pointer filled by `SetDefaults`.
    fn apply_document(&mut self, file: Value, path: &Path) -> Result<(), ConfigError> {
        let bad = |key: String, expected| ConfigError::FileValue {
            path: path.to_owned(),
            key,
            expected,
        };
        let Value::Object(sections) = file else {
            return Err(bad("the top level".into(), "a JSON object"));
        };
        for (section_name, keys) in sections {
            let keys = match keys {
                Value::Object(keys) => keys,
                Value::Null => continue,
                // An unknown section may hold anything; a known one must be an object.
                _ if self.has_section(&section_name) => return Err(bad(section_name, "an object")),
                _ => continue,
            };
            for (key_name, value) in keys {
                let Some((section, key)) = self.find(&section_name, &key_name) else {
                    continue;
                };
                if value.is_null() {
                    continue;
                }
                let default = self.default_of(&section, &key);
                if !same_type(default, &value) {
                    return Err(bad(format!("{section}.{key}"), expected(default)));
                }
                self.set(&section, &key, value, Source::File);
            }
        }
        Ok(())
    }

    fn has_section(&self, name: &str) -> bool {
        self.tree.keys().any(|s| s.eq_ignore_ascii_case(name))
    }

    /// Applies one `MM_<SECTION>_<KEY>` variable. Variables that name no setting (`MM_CONFIG`,
    /// settings Utmost lacks) are ignored, as Mattermost does.
    fn apply_env(&mut self, var: &str, raw: &str) -> Result<(), ConfigError> {
        let upper = var.to_ascii_uppercase();
        let Some((section, key)) = upper
            .strip_prefix("MM_")
            .and_then(|rest| rest.split_once('_'))
        else {
            return Ok(());
        };
        let Some((section, key)) = self.find(section, key) else {
            return Ok(());
        };
        let default = self.default_of(&section, &key);
        let value = parse_raw(default, raw).ok_or_else(|| ConfigError::EnvValue {
            var: var.to_owned(),
            key: format!("{section}.{key}"),
            value: raw.to_owned(),
            expected: expected(default),
        })?;
        self.set(&section, &key, value, Source::Env(var.to_owned()));
        Ok(())
    }

    /// Applies one command-line `Section.Key=value`. Unlike env vars, an unknown name is an
    /// error: it was typed for this run, so it is most likely a typo.
    fn apply_override(&mut self, name: &str, raw: &str) -> Result<(), ConfigError> {
        let (section, key) = name
            .split_once('.')
            .and_then(|(section, key)| self.find(section, key))
            .ok_or_else(|| ConfigError::UnknownOverride(name.to_owned()))?;
        let default = self.default_of(&section, &key);
        let value = parse_raw(default, raw).ok_or_else(|| ConfigError::OverrideValue {
            key: format!("{section}.{key}"),
            value: raw.to_owned(),
            expected: expected(default),
        })?;
        self.set(&section, &key, value, Source::Cli);
        Ok(())
    }
}

/// Whether a JSON value from a file can stand in for `default`.
fn same_type(default: &Value, value: &Value) -> bool {
    match default {
        Value::Bool(_) => value.is_boolean(),
        Value::Number(_) => value.is_i64(),
        Value::String(_) => value.is_string(),
        Value::Array(_) => value
            .as_array()
            .is_some_and(|items| items.iter().all(Value::is_string)),
        // Maps (`PluginSettings.Plugins`, `PluginStates`): their entries are checked when
        // the section is read.
        Value::Object(_) => value.is_object(),
        _ => false,
    }
}

/// Parses a raw env/CLI string into the JSON type of `default`: booleans as Go's `ParseBool`
/// accepts them, integers in decimal, lists space-separated, strings as they are.
fn parse_raw(default: &Value, raw: &str) -> Option<Value> {
    match default {
        Value::Bool(_) => match raw.trim().to_ascii_lowercase().as_str() {
            "1" | "t" | "true" => Some(Value::Bool(true)),
            "0" | "f" | "false" => Some(Value::Bool(false)),
            _ => None,
        },
        Value::Number(_) => raw.trim().parse::<i64>().ok().map(Value::from),
        Value::String(_) => Some(Value::String(raw.to_owned())),
        Value::Array(_) => Some(Value::Array(
            raw.split_whitespace().map(Value::from).collect(),
        )),
        Value::Object(_) => serde_json::from_str(raw).ok().filter(Value::is_object),
        _ => None,
    }
}

fn expected(default: &Value) -> &'static str {
    match default {
        Value::Bool(_) => "a boolean (true/false)",
        Value::Number(_) => "an integer",
        Value::String(_) => "a string",
        Value::Array(_) => "a list of strings",
        Value::Object(_) => "a JSON object",
        _ => "a supported value",
    }
}
