//! Mattermost's built-in commands (`app/slashcommands/command_*.go`), one small file per
//! kind. Each answers as Mattermost does: most with an ephemeral text, some with a post,
//! some with only a `goto_location`. What a built-in refuses (a missing argument, a
//! permission) is an ephemeral text too, never an HTTP error.

mod channel_edit;
mod client_only;
mod members;
mod messages;
mod mute;
mod posts;
mod preview;
mod session;
mod status;

use super::registry::{CommandCall, ProvidedCommand};
use crate::{App, AppResult};
use std::sync::Arc;
use utmost_model::channel::Channel;
use utmost_model::command::CommandResponse;

/// (trigger, hint, description), in Mattermost's words.
const BUILTINS: &[(&str, &str, &str)] = &[
    ("away", "", "Set your status away"),
    ("code", "[text]", "Display text as a code block"),
    ("collapse", "", "Turn on auto-collapsing of image previews"),
    ("dnd", "", "Do not disturb disables desktop and mobile push notifications."),
    ("echo", "'message' [delay in seconds]", "Echo back text from your account"),
    ("expand", "", "Turn off auto-collapsing of image previews"),
    ("groupmsg", "@[usernames] 'message'", "Sends a Group Message to the specified users"),
    ("header", "[text]", "Edit the channel header"),
    ("help", "", "Open the Mattermost help page"),
    ("invite", "@[username] ~[channel]", "Invite a user to a channel"),
    ("join", "~[channel]", "Join the open channel"),
    ("kick", "@[username]", "Remove a member from the channel"),
    ("leave", "", "Leave the current channel"),
    ("logout", "", "Logout of Mattermost"),
    ("me", "[message]", "Do an action"),
    ("msg", "@[username] 'message'", "Send Direct Message to a user"),
    ("mute", "~[channel]", "Turns off desktop, email and push notifications for the current channel or the [channel] specified."),
    ("offline", "", "Set your status offline"),
    ("online", "", "Set your status online"),
    ("purpose", "[text]", "Edit the channel purpose"),
    ("remove", "@[username]", "Remove a member from the channel"),
    ("rename", "[text]", "Rename the channel"),
    ("search", "[text]", "Search text in messages"),
    ("settings", "", "Open the Settings dialog"),
    ("shortcuts", "", "Displays a list of keyboard shortcuts"),
    ("shrug", "[message]", "Adds ¯\\_(ツ)_/¯ to your message"),
    ("status", "[:emoji:] [status message] or clear", "Set or clear your status"),
];

/// Every built-in trigger.
pub fn triggers() -> impl Iterator<Item = &'static str> {
    BUILTINS.iter().map(|(trigger, _, _)| *trigger)
}

/// The built-ins as commands.
pub fn commands() -> Vec<ProvidedCommand> {
    BUILTINS
        .iter()
        .map(|(trigger, hint, desc)| ProvidedCommand {
            trigger: (*trigger).into(),
            display_name: (*trigger).into(),
            auto_complete: true,
            auto_complete_desc: (*desc).into(),
            auto_complete_hint: (*hint).into(),
            ..ProvidedCommand::default()
        })
        .collect()
}

/// Runs built-in `trigger`; `None` when there is no such built-in.
pub async fn run(
    app: &Arc<App>,
    call: &CommandCall,
    channel: &Channel,
    trigger: &str,
    message: &str,
) -> Option<AppResult<CommandResponse>> {
    let message = message.trim();
    Some(match trigger {
        "away" | "online" | "dnd" | "offline" => status::set(app, call, trigger).await,
        "status" => status::custom(app, call, message).await,
        "me" => Ok(posts::me(message)),
        "shrug" => Ok(posts::shrug(message)),
        "code" => Ok(posts::code(message)),
        "echo" => posts::echo(app, call, message),
        "expand" | "collapse" => preview::set(app, call, trigger == "collapse").await,
        "header" | "purpose" | "rename" => {
            channel_edit::run(app, call, channel, trigger, message).await
        }
        "invite" => members::invite(app, call, channel, message).await,
        "kick" | "remove" => members::remove(app, call, channel, message).await,
        "join" => members::join(app, call, message).await,
        "leave" => members::leave(app, call, channel).await,
        "msg" => messages::direct(app, call, message).await,
        "groupmsg" => messages::group(app, call, message).await,
        "mute" => mute::toggle(app, call, channel, message).await,
        "logout" => session::logout(app, call).await,
        "help" | "search" | "settings" | "shortcuts" => Ok(client_only::answer(app, trigger)),
        _ => return None,
    })
}

/// The team's URL: `{site}/{team name}`.
async fn team_url(app: &App, call: &CommandCall) -> AppResult<String> {
    let team = crate::teams::get(app, &call.team_id).await?;
    Ok(format!("{}/{}", call.site_url, team.name))
}

/// `@name` or `name` → the user, if any.
async fn user_named(app: &App, name: &str) -> AppResult<Option<utmost_model::user::User>> {
    let name = name.trim().trim_start_matches('@').to_lowercase();
    if name.is_empty() {
        return Ok(None);
    }
    Ok(utmost_store::users::get_by_username(&app.store, &name).await?)
}
