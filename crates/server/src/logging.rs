//! Structured logs with tracing: JSON when LogSettings.ConsoleJson, text otherwise.

use tracing_subscriber::EnvFilter;
use utmost_config::Config;

/// Changes the console's level while the server runs (a saved `LogSettings.ConsoleLevel`).
pub type SetLevel = Box<dyn Fn(&str) + Send + Sync>;

/// Starts console logging; returns how to change its level later, unless `RUST_LOG` decides
/// the level (it wins, so an operator can turn up one module without a config change).
pub fn init(config: &Config) -> Option<SetLevel> {
    let log = &config.log_settings;
    if !log.enable_console {
        return None;
    }
    let from_env = EnvFilter::try_from_default_env().ok();
    let fixed = from_env.is_some();
    let filter = from_env.unwrap_or_else(|| EnvFilter::new(log.console_level.to_ascii_lowercase()));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    // A second init (tests, repeated commands) is harmless, so its error is ignored.
    let set_level: SetLevel = if log.console_json {
        let builder = builder.json().with_filter_reloading();
        let handle = builder.reload_handle();
        if builder.try_init().is_err() {
            return None;
        }
        Box::new(move |level| {
            let _ = handle.reload(EnvFilter::new(level.to_ascii_lowercase()));
        })
    } else {
        let builder = builder.with_filter_reloading();
        let handle = builder.reload_handle();
        if builder.try_init().is_err() {
            return None;
        }
        Box::new(move |level| {
            let _ = handle.reload(EnvFilter::new(level.to_ascii_lowercase()));
        })
    };
    (!fixed).then_some(set_level)
}
