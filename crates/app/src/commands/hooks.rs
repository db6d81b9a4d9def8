//! Response URLs (`CreateCommandWebhook`, `HandleCommandWebhook`): each custom command run
//! gets `{SiteURL}/hooks/commands/{id}`, where the integration may post up to
//! `COMMAND_WEBHOOK_MAX_USES` delayed responses within `COMMAND_WEBHOOK_LIFETIME_MILLIS`;
//! each is handled as the command's own response, as the user who ran it, in the channel
//! and thread they ran it in. The id is the secret.

use super::registry::CommandCall;
use super::{respond, CommandError};
use crate::{App, AppResult};
use utmost_model::command::{
    CommandResponse, COMMAND_WEBHOOK_LIFETIME_MILLIS, COMMAND_WEBHOOK_MAX_USES,
};
use utmost_model::{new_id, now_millis};
use utmost_store::commands::{self as store, CommandWebhook};

/// A new response URL's id for a run of `command_id`; expired ones are removed on the way.
pub async fn create(app: &App, command_id: &str, call: &CommandCall) -> AppResult<String> {
    let now = now_millis();
    store::delete_webhooks_before(&app.store, now - COMMAND_WEBHOOK_LIFETIME_MILLIS).await?;
    let hook = CommandWebhook {
        id: new_id(),
        createat: now,
        commandid: command_id.to_string(),
        userid: call.user_id().to_string(),
        channelid: call.channel_id.clone(),
        rootid: call.root_id.clone(),
    };
    store::insert_webhook(&app.store, &hook).await?;
    Ok(hook.id)
}

/// `POST /hooks/commands/{id}`: `response` (None when the body did not decode) as a
/// response of the command the URL was made for.
pub async fn handle(app: &App, hook_id: &str, response: Option<CommandResponse>) -> AppResult<()> {
    let response = response.ok_or(CommandError::HookParse)?;
    let since = now_millis() - COMMAND_WEBHOOK_LIFETIME_MILLIS;
    let hook = store::get_webhook(&app.store, hook_id, since)
        .await?
        .ok_or(CommandError::HookMissing)?;
    let command = store::get(&app.store, &hook.commandid)
        .await?
        .ok_or(CommandError::NotFound)?;
    if !store::try_use_webhook(&app.store, &hook.id, COMMAND_WEBHOOK_MAX_USES).await? {
        return Err(CommandError::HookUsedUp.into());
    }
    let user = crate::users::get(app, &hook.userid).await?;
    let call = CommandCall {
        session: crate::posts::acting_as(&user),
        channel_id: hook.channelid,
        team_id: command.team_id.clone(),
        root_id: hook.rootid,
        command: format!("/{}", command.trigger),
        ..CommandCall::default()
    };
    respond::handle(app, &respond::Source::Custom(&command), &call, response).await?;
    Ok(())
}
