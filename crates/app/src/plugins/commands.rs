//! The slash commands plugins register (`RegisterCommand`): each running plugin with
//! commands is one `CommandProvider` in `App::commands` (see `commands::registry`), which
//! runs them through the plugin's `execute_command` hook. A trigger belongs to one plugin;
//! a plugin's commands go when it stops.

use super::hooks;
use crate::commands::registry::{CommandCall, CommandProvider, ProvidedCommand};
use crate::{App, AppResult};
use futures_util::future::BoxFuture;
use serde::Deserialize;
use serde_json::json;
use std::sync::{Arc, RwLock};
use utmost_model::command::CommandResponse;
use utmost_model::AppError;

/// `RegisterCommand`'s command, as the SDK sends it.
#[derive(Clone, Debug, Default, Deserialize)]
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
}

/// One plugin's commands.
pub struct PluginCommands {
    plugin_id: String,
    commands: RwLock<Vec<ProvidedCommand>>,
}

impl CommandProvider for PluginCommands {
    fn owner_id(&self) -> &str {
        &self.plugin_id
    }

    fn commands(&self, _team_id: &str) -> Vec<ProvidedCommand> {
        self.commands.read().map(|c| c.clone()).unwrap_or_default()
    }

    fn execute<'a>(
        &'a self,
        app: &'a App,
        call: &'a CommandCall,
        _trigger: &'a str,
        _message: &'a str,
    ) -> BoxFuture<'a, AppResult<CommandResponse>> {
        Box::pin(async move {
            let args = json!({
                "user_id": call.user_id(),
                "channel_id": call.channel_id,
                "team_id": call.team_id,
                "root_id": call.root_id,
                "command": call.command,
                "trigger_id": call.trigger_id,
                "site_url": call.site_url,
            });
            let answer = hooks::execute_command(app, &self.plugin_id, &args).await?;
            serde_json::from_value(answer)
                .map_err(|e| AppError::internal("model.plugin_command_error.error.app_error", e))
        })
    }
}

pub fn register(app: &App, plugin_id: &str, command: PluginCommand) -> AppResult<()> {
    let trigger = command.trigger.trim_start_matches('/').to_lowercase();
    if trigger.is_empty() || trigger.chars().count() > 128 || trigger.contains(char::is_whitespace)
    {
        return Err(AppError::bad_request(
            "model.command.is_valid.trigger.app_error",
            "Invalid trigger.",
        ));
    }
    let mut providers = app
        .plugins
        .commands
        .lock()
        .unwrap_or_else(|p| p.into_inner());
    let taken = providers.iter().any(|(owner, p)| {
        owner != plugin_id && p.commands("").iter().any(|c| c.trigger == trigger)
    });
    if taken {
        return Err(AppError::bad_request(
            "plugin.api.register_command.trigger_taken",
            "Another plugin registered this trigger.",
        ));
    }
    let provider = providers
        .entry(plugin_id.to_owned())
        .or_insert_with(|| {
            Arc::new(PluginCommands {
                plugin_id: plugin_id.to_owned(),
                commands: RwLock::new(Vec::new()),
            })
        })
        .clone();
    if let Ok(mut commands) = provider.commands.write() {
        commands.retain(|c| c.trigger != trigger);
        commands.push(ProvidedCommand {
            trigger,
            display_name: command.display_name,
            auto_complete: command.auto_complete,
            auto_complete_desc: command.auto_complete_desc,
            auto_complete_hint: command.auto_complete_hint,
            ..ProvidedCommand::default()
        });
    }
    app.commands.register(provider);
    Ok(())
}

pub fn unregister_all(app: &App, plugin_id: &str) {
    let mut providers = app
        .plugins
        .commands
        .lock()
        .unwrap_or_else(|p| p.into_inner());
    if providers.remove(plugin_id).is_some() {
        app.commands.unregister(plugin_id);
    }
}
