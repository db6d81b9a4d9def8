//! Slash commands (Mattermost's `app/command.go`, `app/command_*.go`, `api4/command.go`).
//!
//! - `manage`: custom commands (`/commands`), with Mattermost's checks in its order;
//! - `execute`: `POST /commands/execute`: a provider's command (plugins), then the team's
//!   custom command, then a built-in;
//! - `custom`: the custom command's HTTP call, through `outgoing::exchange`;
//! - `respond`: what a response becomes (an ephemeral post, a post in the channel, extra
//!   responses), shared with the delayed responses of `hooks`;
//! - `hooks`: the response URLs (`POST /hooks/commands/{id}`);
//! - `autocomplete`: the team's command list and the suggestions for what the user typed;
//! - `registry`: the seam where plugins register the commands they provide;
//! - `builtins`: Mattermost's built-in commands, one small file each.

pub mod autocomplete;
pub mod builtins;
pub mod custom;
pub mod execute;
pub mod hooks;
pub mod manage;
pub mod registry;
mod respond;

use utmost_model::AppError;

/// What slash commands refuse, each with its Mattermost status and id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommandError {
    /// `EnableCommands` is off.
    Disabled,
    /// `SetCommandNotFoundError`: no live command, or one the caller may not see.
    NotFound,
    /// No built-in, custom or provided command has the trigger.
    TriggerNotFound(String),
    /// The text is not `/trigger …`, or the channel id is not an id.
    Start,
    ArchivedChannel,
    TeamMismatch,
    DuplicateTrigger,
    /// A move to a team where the command's creator may not manage commands.
    CreatorNoPermission,
    /// A field `IsValid` refuses: its Mattermost id.
    Invalid(&'static str),
    /// The integration could not be called or answered something unreadable.
    Failed(String),
    /// The integration answered another status than 200.
    FailedResponse {
        trigger: String,
        status: u16,
    },
    SiteUrlRequired,
    /// A response could not be posted.
    CreatePostFailed(String),
    /// A response names a channel the user is not a member of.
    ResponseChannelForbidden,
    /// A delayed response that is not a response.
    HookParse,
    /// No response URL with the id, or it expired.
    HookMissing,
    /// The response URL was used as often as it may be.
    HookUsedUp,
}

impl From<CommandError> for AppError {
    fn from(e: CommandError) -> Self {
        use CommandError as C;
        match e {
            C::Disabled => AppError::new(
                501,
                "api.command.disabled.app_error",
                "Commands have been disabled by the system admin.",
            ),
            C::NotFound => {
                AppError::not_found("store.sql_command.save.get.app_error", "Unable to get the command.")
            }
            C::TriggerNotFound(trigger) => AppError::not_found(
                "api.command.execute_command.not_found.app_error",
                format!("Command with a trigger of '{trigger}' not found. To send a message beginning with \"/\", try adding an empty space at the beginning of the message."),
            ),
            C::Start => AppError::bad_request(
                "api.command.execute_command.start.app_error",
                "No command trigger found.",
            ),
            C::ArchivedChannel => AppError::bad_request(
                "api.command.execute_command.deleted.error",
                "Can not run a command in an archived channel.",
            ),
            C::TeamMismatch => AppError::bad_request(
                "api.command.team_mismatch.app_error",
                "Unable to update commands across teams.",
            ),
            C::DuplicateTrigger => AppError::bad_request(
                "api.command.duplicate_trigger.app_error",
                "This trigger word is already in use. Please choose another word.",
            ),
            C::CreatorNoPermission => AppError::bad_request(
                "api.command.move_command.creator_no_permission.app_error",
                "The command's creator cannot manage slash commands in the destination team.",
            ),
            C::Invalid(id) => AppError::bad_request(id, "Invalid command."),
            C::Failed(trigger) => AppError::new(
                500,
                "api.command.execute_command.failed.app_error",
                format!("Command with a trigger of '{trigger}' failed."),
            ),
            C::FailedResponse { trigger, status } => AppError::new(
                500,
                "api.command.execute_command.failed_resp.app_error",
                format!("Command with a trigger of '{trigger}' returned response {status}."),
            ),
            C::SiteUrlRequired => AppError::bad_request(
                "api.command.execute_command.site_url_required.app_error",
                "The Site URL must be set to run custom slash commands.",
            ),
            C::CreatePostFailed(trigger) => AppError::new(
                500,
                "api.command.execute_command.create_post_failed.app_error",
                format!("Command '{trigger}' failed to post response. Please contact your System Administrator."),
            ),
            C::ResponseChannelForbidden => AppError::forbidden(
                "api.command.command_post.forbidden.app_error",
                "Specified user is not a member of specified channel.",
            ),
            C::HookParse => AppError::bad_request(
                "web.command_webhook.parse.app_error",
                "Unable to parse incoming data.",
            ),
            C::HookMissing => AppError::not_found(
                "app.command_webhook.get.missing",
                "Unable to find the webhook.",
            ),
            C::HookUsedUp => AppError::bad_request(
                "app.command_webhook.try_use.invalid",
                "Invalid webhook.",
            ),
        }
    }
}
