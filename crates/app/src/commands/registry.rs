//! The seam where commands are provided at run time: a `CommandProvider` (a WebAssembly
//! plugin, or the built-ins) names its owner, lists the commands it offers and runs them.
//! `App::commands` holds the registered providers; `execute` asks them first (a plugin's
//! command overrides a custom or built-in one, as in Mattermost), and the autocomplete
//! lists and suggestions include their commands. Registering again under the same owner
//! replaces that owner's provider; `unregister` takes its commands away.

use crate::{App, AppResult};
use futures_util::future::BoxFuture;
use std::sync::{Arc, RwLock};
use utmost_model::command::{
    AutocompleteArg, AutocompleteData, AutocompleteListItem, Command, CommandResponse,
};
use utmost_model::session::Session;

/// One command a provider offers.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProvidedCommand {
    /// Without the slash, lowercase.
    pub trigger: String,
    pub display_name: String,
    /// Listed in autocomplete.
    pub auto_complete: bool,
    pub auto_complete_desc: String,
    pub auto_complete_hint: String,
    /// Arguments and subcommands for the suggestions; without it the trigger alone is
    /// suggested, with the hint and description.
    pub autocomplete_data: Option<AutocompleteData>,
    /// A base64 SVG shown beside the suggestions.
    pub icon_data: String,
}

impl ProvidedCommand {
    /// The command as the API lists it, owned by `owner_id` (Mattermost's `plugin_id`).
    pub fn to_command(&self, owner_id: &str) -> Command {
        Command {
            trigger: self.trigger.clone(),
            display_name: self.display_name.clone(),
            auto_complete: self.auto_complete,
            auto_complete_desc: self.auto_complete_desc.clone(),
            auto_complete_hint: self.auto_complete_hint.clone(),
            autocomplete_data: self.autocomplete_data.clone(),
            autocomplete_icon_data: self.icon_data.clone(),
            plugin_id: owner_id.to_string(),
            ..Command::default()
        }
    }
}

/// One run of a command: who, where, and what they typed (Mattermost's `CommandArgs`).
#[derive(Debug, Clone, Default)]
pub struct CommandCall {
    /// The session that ran the command (its user, roles and id).
    pub session: Session,
    pub channel_id: String,
    /// The channel's team, or for a DM or group message the team the client named.
    pub team_id: String,
    pub root_id: String,
    /// The whole text, `/trigger message`.
    pub command: String,
    /// The site URL the links of a response start with.
    pub site_url: String,
    /// Hands a dialog to the user (see `trigger_id`); empty where none was made.
    pub trigger_id: String,
}

impl CommandCall {
    pub fn user_id(&self) -> &str {
        &self.session.user_id
    }
}

/// What provides commands. Implementations must be cheap to ask for `commands` (it is
/// called on every execute and autocomplete).
pub trait CommandProvider: Send + Sync {
    /// Who registered it (a plugin id); a command listed from it carries it as `plugin_id`.
    fn owner_id(&self) -> &str;

    /// The commands it offers in `team_id`.
    fn commands(&self, team_id: &str) -> Vec<ProvidedCommand>;

    /// Runs `trigger` (one of its commands) with `message`, the text after the trigger.
    /// The response is handled like any command's: posted, ephemeral, or a location.
    fn execute<'a>(
        &'a self,
        app: &'a App,
        call: &'a CommandCall,
        trigger: &'a str,
        message: &'a str,
    ) -> BoxFuture<'a, AppResult<CommandResponse>>;

    /// The items of a dynamic list argument whose `FetchURL` is not an http(s) URL (a
    /// plugin's own path): `parsed` is the input up to the argument, `to_be_parsed` the
    /// rest. None by default.
    fn dynamic_list<'a>(
        &'a self,
        _app: &'a App,
        _call: &'a CommandCall,
        _arg: &'a AutocompleteArg,
        _parsed: &'a str,
        _to_be_parsed: &'a str,
    ) -> BoxFuture<'a, AppResult<Vec<AutocompleteListItem>>> {
        Box::pin(async { Ok(Vec::new()) })
    }
}

/// The registered providers, in registration order.
#[derive(Default)]
pub struct Registry {
    providers: RwLock<Vec<Arc<dyn CommandProvider>>>,
}

impl Registry {
    /// Adds `provider`, replacing one registered under the same owner.
    pub fn register(&self, provider: Arc<dyn CommandProvider>) {
        let mut providers = self.providers.write().unwrap_or_else(|e| e.into_inner());
        providers.retain(|p| p.owner_id() != provider.owner_id());
        providers.push(provider);
    }

    /// Removes the provider of `owner_id`; false when there was none.
    pub fn unregister(&self, owner_id: &str) -> bool {
        let mut providers = self.providers.write().unwrap_or_else(|e| e.into_inner());
        let before = providers.len();
        providers.retain(|p| p.owner_id() != owner_id);
        providers.len() != before
    }

    /// Every provider, for listing.
    pub fn providers(&self) -> Vec<Arc<dyn CommandProvider>> {
        self.providers
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// The provider offering `trigger` in `team_id`, and the command (the first registered
    /// wins).
    pub fn find(
        &self,
        team_id: &str,
        trigger: &str,
    ) -> Option<(Arc<dyn CommandProvider>, ProvidedCommand)> {
        self.providers().into_iter().find_map(|p| {
            let command = p
                .commands(team_id)
                .into_iter()
                .find(|c| c.trigger == trigger)?;
            Some((p, command))
        })
    }

    /// The provider registered under `owner_id`.
    pub fn owner(&self, owner_id: &str) -> Option<Arc<dyn CommandProvider>> {
        self.providers()
            .into_iter()
            .find(|p| p.owner_id() == owner_id)
    }
}
