//! The slash commands plugins register (`RegisterCommand`): a trigger belongs to one plugin;
//! they are forgotten when the plugin stops.

use crate::{App, AppResult};
use serde::{Deserialize, Serialize};
use utmost_model::AppError;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PluginCommand {
    pub trigger: String,
    #[serde(default)]
    pub auto_complete: bool,
    #[serde(default)]
    pub auto_complete_desc: String,
    #[serde(default)]
    pub auto_complete_hint: String,
    #[serde(default)]
    pub display_name: String,
    #[serde(default)]
    pub description: String,
}

pub fn register(app: &App, plugin_id: &str, mut command: PluginCommand) -> AppResult<()> {
    command.trigger = command.trigger.trim_start_matches('/').to_lowercase();
    let trigger = &command.trigger;
    if trigger.is_empty() || trigger.chars().count() > 128 || trigger.contains(char::is_whitespace)
    {
        return Err(AppError::bad_request(
            "model.command.is_valid.trigger.app_error",
            "Invalid trigger.",
        ));
    }
    let mut registered = app
        .plugins
        .commands
        .lock()
        .unwrap_or_else(|p| p.into_inner());
    if registered
        .iter()
        .any(|(owner, c)| owner != plugin_id && c.trigger == *trigger)
    {
        return Err(AppError::bad_request(
            "plugin.api.register_command.trigger_taken",
            "Another plugin registered this trigger.",
        ));
    }
    registered.retain(|(owner, c)| !(owner == plugin_id && c.trigger == *trigger));
    registered.push((plugin_id.to_owned(), command));
    Ok(())
}

pub fn unregister_all(app: &App, plugin_id: &str) {
    let mut registered = app
        .plugins
        .commands
        .lock()
        .unwrap_or_else(|p| p.into_inner());
    registered.retain(|(owner, _)| owner != plugin_id);
}

/// Every registered command with its plugin.
pub fn list(app: &App) -> Vec<(String, PluginCommand)> {
    app.plugins
        .commands
        .lock()
        .map(|r| r.clone())
        .unwrap_or_default()
}

/// The plugin that answers `/trigger`.
pub fn find(app: &App, trigger: &str) -> Option<(String, PluginCommand)> {
    list(app).into_iter().find(|(_, c)| c.trigger == trigger)
}
