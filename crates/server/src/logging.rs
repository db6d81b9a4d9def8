//! Logging: the console and the log file (`utmost_app::logs`), both following a saved
//! `LogSettings` change without a restart.

use utmost_app::logs::{self, Logging};
use utmost_config::Config;

/// Installs the console and file logging; `None` when already installed.
pub fn init(config: &Config) -> Option<Logging> {
    logs::init(config)
}
