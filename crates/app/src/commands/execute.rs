//! `POST /commands/execute` (`executeCommand`, `ExecuteCommand`): the text's trigger is
//! looked up among the registered providers' commands first, then the team's custom
//! commands (while `EnableCommands` is on), then the built-ins, and the response handled
//! (`respond`). The caller must be able to post in the channel; in a DM or group message the
//! team is the one the client names, which the caller must belong to.

use super::registry::CommandCall;
use super::respond::{self, Source};
use super::{builtins, custom, CommandError};
use crate::authorization::{has_channel_permission, has_system_permission, require};
use crate::{App, AppResult};
use std::sync::Arc;
use utmost_model::command::{CommandArgs, CommandResponse};
use utmost_model::is_valid_id;
use utmost_model::permissions::CREATE_POST;
use utmost_model::session::Session;

/// `maxTriggerLen`: how much of an unknown trigger the error repeats.
const MAX_TRIGGER_SHOWN: usize = 512;

/// The trigger (lowercase, without its slash) and the text after the first space.
pub fn split_command(command: &str) -> (String, &str) {
    let (trigger, message) = match command.char_indices().find(|(_, c)| c.is_whitespace()) {
        Some((at, c)) => (&command[..at], &command[at + c.len_utf8()..]),
        None => (command, ""),
    };
    let trigger = trigger.to_lowercase();
    (
        trigger.strip_prefix('/').unwrap_or(&trigger).to_string(),
        message,
    )
}

/// Runs `args.command` for `session`; `site_url` starts the links of the responses.
pub async fn execute(
    app: &Arc<App>,
    session: &Session,
    args: CommandArgs,
    site_url: &str,
) -> AppResult<CommandResponse> {
    if args.command.len() <= 1 || !args.command.starts_with('/') || !is_valid_id(&args.channel_id) {
        return Err(CommandError::Start.into());
    }
    require(
        has_channel_permission(app, session, &args.channel_id, CREATE_POST).await?,
        CREATE_POST,
    )?;
    let channel = crate::channels::get_channel(app, &args.channel_id).await?;
    if channel.is_deleted() {
        return Err(CommandError::ArchivedChannel.into());
    }
    let team_id = if channel.is_group_or_direct() {
        let member = utmost_store::teams::get_member(&app.store, &args.team_id, &session.user_id)
            .await?
            .is_some_and(|m| m.delete_at == 0);
        if !member {
            require(
                has_system_permission(app, session, CREATE_POST),
                CREATE_POST,
            )?;
        }
        args.team_id.clone()
    } else {
        channel.team_id.clone()
    };
    let (trigger, message) = split_command(&args.command);
    let (client_trigger_id, trigger_id) =
        match crate::trigger_id::generate(app, &session.user_id).await {
            Ok(ids) => ids,
            Err(e) => {
                tracing::warn!(error = %e.message, "no trigger id for a command");
                (String::new(), String::new())
            }
        };
    let call = CommandCall {
        session: session.clone(),
        channel_id: channel.id.clone(),
        team_id,
        root_id: args.root_id.clone(),
        command: args.command.clone(),
        site_url: site_url.trim_end_matches('/').to_string(),
        trigger_id,
    };
    if let Some((provider, _)) = app.commands.find(&call.team_id, &trigger) {
        let mut response = provider.execute(app, &call, &trigger, message).await?;
        response.trigger_id = client_trigger_id;
        return respond::handle(app, &Source::Provided, &call, response).await;
    }
    if !app.config().service_settings.enable_commands {
        return Err(CommandError::Disabled.into());
    }
    let team_commands = utmost_store::commands::list_by_team(&app.store, &call.team_id).await?;
    if let Some(command) = team_commands.iter().rev().find(|c| c.trigger == trigger) {
        let mut response = custom::call(app, command, &call, &channel, message).await?;
        response.trigger_id = client_trigger_id;
        return respond::handle(app, &Source::Custom(command), &call, response).await;
    }
    if let Some(response) = builtins::run(app, &call, &channel, &trigger, message).await {
        return respond::handle(app, &Source::Provided, &call, response?).await;
    }
    let mut shown = trigger;
    if shown.len() > MAX_TRIGGER_SHOWN {
        let mut cut = MAX_TRIGGER_SHOWN;
        while !shown.is_char_boundary(cut) {
            cut -= 1;
        }
        shown.truncate(cut);
        shown.push_str("...");
    }
    Err(CommandError::TriggerNotFound(shown).into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_trigger_is_lowercased_and_the_message_is_what_follows_one_space() {
        assert_eq!(
            split_command("/ECHO  hi there"),
            ("echo".into(), " hi there")
        );
        assert_eq!(split_command("/away"), ("away".into(), ""));
        assert_eq!(split_command("/me\u{3000}x"), ("me".into(), "x"));
    }
}
