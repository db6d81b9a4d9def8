//! Structured logs with tracing: JSON when LogSettings.ConsoleJson, text otherwise.

use tracing_subscriber::EnvFilter;
use utmost_config::Config;

pub fn init(config: &Config) {
    let log = &config.log_settings;
    if !log.enable_console {
        return;
    }
    // RUST_LOG wins when set, so an operator can turn up one module without a config change.
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new(log.console_level.to_ascii_lowercase()));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    // A second init (tests, repeated commands) is harmless, so its error is ignored.
    let _ = if log.console_json {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}
