use std::path::PathBuf;

/// Everything that can go wrong loading or checking the configuration. Each message names the
/// file, variable or key at fault so an operator can fix it without reading code.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {}: {source}", path.display())]
    ReadFile {
        path: PathBuf,
        source: std::io::Error,
    },

    #[error("config file {} is not valid JSON: {source}", path.display())]
    ParseFile {
        path: PathBuf,
        source: serde_json::Error,
    },

    #[error("config file {}: {key} must be {expected}", path.display())]
    FileValue {
        path: PathBuf,
        key: String,
        expected: &'static str,
    },

    #[error("environment variable {var}: {value:?} is not {expected} (setting {key})")]
    EnvValue {
        var: String,
        key: String,
        value: String,
        expected: &'static str,
    },

    #[error("override {key}={value:?}: value is not {expected}")]
    OverrideValue {
        key: String,
        value: String,
        expected: &'static str,
    },

    #[error("override {0:?} does not name a setting (expected Section.Key, e.g. ServiceSettings.SiteURL)")]
    UnknownOverride(String),

    #[error("invalid setting {key}: {reason}")]
    Invalid { key: &'static str, reason: String },

    /// The merged tree failed to turn back into `Config`; the layers type-check every value,
    /// so this means a bug in the loader rather than bad input.
    #[error("internal error building configuration: {0}")]
    Build(serde_json::Error),
}
