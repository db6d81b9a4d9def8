//! Incoming and outgoing webhooks (Mattermost's `app/webhook.go`, `app/slack.go`).
//!
//! - `incoming`: managing incoming hooks (`/hooks/incoming`), with Mattermost's checks in its
//!   order;
//! - `receive`: `POST /hooks/{id}`: the request (JSON, `payload=` form), the hook, the
//!   channel it may post to, and the post;
//! - `post`: `CreateWebhookPost`, the post both kinds of hook make (overrides, props, Slack
//!   attachments, long text split in several posts);
//! - `slack`: Slack's markup as Mattermost converts it (`<url|text>`, `<!channel>`, `<@id>`);
//! - `outgoing`: managing outgoing hooks (`/hooks/outgoing`, `regen_token`);
//! - `trigger`: the bus subscriber that picks the posts that trigger outgoing hooks, and the
//!   `outgoing webhooks` service that calls the callbacks and posts their answers.
//!
//! Failures are `WebhookError`, whose one table below gives each Mattermost's wire form.

pub mod incoming;
pub mod outgoing;
pub mod post;
pub mod receive;
pub mod slack;
pub mod trigger;

use utmost_model::AppError;

/// What webhooks refuse, each with its Mattermost status and id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WebhookError {
    /// `EnableIncomingWebhooks` is off (management).
    IncomingDisabled,
    /// `EnableOutgoingWebhooks` is off (management).
    OutgoingDisabled,
    IncomingNotFound,
    OutgoingNotFound,
    InvalidUsername,
    /// An update names another team than the hook's.
    TeamMismatch,
    /// An outgoing hook's channel is not public, on create (Mattermost answers with its
    /// "disabled" id there).
    CreateNotOpen,
    /// An outgoing hook's channel is not public, on update.
    UpdateNotOpen,
    /// An outgoing hook's channel is in another team.
    OtherTeamChannel,
    /// Neither a channel nor trigger words; on update Mattermost answers 500.
    NoTriggers {
        on_update: bool,
    },
    /// Another hook of the channel has a trigger word and a callback in common.
    Intersect {
        on_update: bool,
    },
    /// A field `IsValid` refuses: its Mattermost id.
    Invalid(&'static str),
    /// `POST /hooks/{id}` while `EnableIncomingWebhooks` is off.
    ReceiveDisabled,
    /// The body is not a request Mattermost can decode.
    ParseData,
    NoText,
    /// No live hook has the id.
    InvalidHook,
    /// `channel: "@name"` names no one.
    UnknownUser,
    /// The hook's creator is gone.
    CreatorGone,
    ChannelNotFound,
    ChannelLocked,
    /// The creator may not read the (private) channel.
    ChannelPermission,
    /// Props alone are larger than a post's props may be.
    SplitPropsLength,
    /// The post could not be created: the reason.
    Creating(String),
}

impl From<WebhookError> for AppError {
    fn from(e: WebhookError) -> Self {
        use WebhookError as W;
        let disabled = "Incoming webhooks have been disabled by the system admin.";
        match e {
            W::IncomingDisabled => AppError::new(501, "api.incoming_webhook.disabled.app_error", disabled),
            W::OutgoingDisabled => AppError::new(
                501,
                "api.outgoing_webhook.disabled.app_error",
                "Outgoing webhooks have been disabled by the system admin.",
            ),
            W::IncomingNotFound => {
                AppError::not_found("app.webhooks.get_incoming.app_error", "Unable to get the webhook.")
            }
            W::OutgoingNotFound => {
                AppError::not_found("app.webhooks.get_outgoing.app_error", "Unable to get the webhook.")
            }
            W::InvalidUsername => AppError::bad_request(
                "api.incoming_webhook.invalid_username.app_error",
                "Invalid username.",
            ),
            W::TeamMismatch => AppError::bad_request(
                "api.webhook.team_mismatch.app_error",
                "Unable to update webhook across teams.",
            ),
            W::CreateNotOpen => AppError::new(
                403,
                "api.outgoing_webhook.disabled.app_error",
                "Outgoing webhooks have been disabled by the system admin.",
            ),
            W::UpdateNotOpen => AppError::new(
                403,
                "api.webhook.create_outgoing.not_open.app_error",
                "Outgoing webhooks can only be created for public channels.",
            ),
            W::OtherTeamChannel => AppError::new(
                403,
                "api.webhook.create_outgoing.permissions.app_error",
                "Invalid permissions to create outgoing webhook.",
            ),
            W::NoTriggers { on_update } => AppError::new(
                if on_update { 500 } else { 400 },
                "api.webhook.create_outgoing.triggers.app_error",
                "Either trigger_words or channel_id must be set.",
            ),
            W::Intersect { on_update: false } => AppError::new(
                500,
                "api.webhook.create_outgoing.intersect.app_error",
                "Outgoing webhooks from the same channel cannot have the same trigger words/callback URLs.",
            ),
            W::Intersect { on_update: true } => AppError::bad_request(
                "api.webhook.update_outgoing.intersect.app_error",
                "Outgoing webhooks from the same channel cannot have the same trigger words/callback URLs.",
            ),
            W::Invalid(id) => AppError::bad_request(id, "Invalid webhook."),
            W::ReceiveDisabled => {
                AppError::new(501, "web.incoming_webhook.disabled.app_error", disabled)
            }
            W::ParseData => AppError::bad_request(
                "model.incoming_hook.parse_data.app_error",
                "Unable to parse incoming data.",
            ),
            W::NoText => AppError::bad_request("web.incoming_webhook.text.app_error", "No text specified."),
            W::InvalidHook => {
                AppError::bad_request("web.incoming_webhook.invalid.app_error", "Invalid webhook.")
            }
            W::UnknownUser => {
                AppError::bad_request("web.incoming_webhook.user.app_error", "Couldn't find the user.")
            }
            W::CreatorGone => AppError::new(403, "web.incoming_webhook.user.app_error", "Couldn't find the user."),
            W::ChannelNotFound => {
                AppError::not_found("web.incoming_webhook.channel.app_error", "Couldn't find the channel.")
            }
            W::ChannelLocked => AppError::new(
                403,
                "web.incoming_webhook.channel_locked.app_error",
                "This webhook is not permitted to post to the requested channel.",
            ),
            W::ChannelPermission => AppError::new(
                403,
                "web.incoming_webhook.permissions.app_error",
                "Inappropriate channel permissions.",
            ),
            W::SplitPropsLength => AppError::bad_request(
                "web.incoming_webhook.split_props_length.app_error",
                "Unable to split webhook props into 800000 character parts.",
            ),
            W::Creating(reason) => AppError::new(
                500,
                "api.post.create_webhook_post.creating.app_error",
                "Error creating post.",
            )
            .with_detail(format!("err={reason}")),
        }
    }
}

/// `len(s) > max` in bytes, as Mattermost's `IsValid` measures.
fn too_long(s: &str, max: usize) -> bool {
    s.len() > max
}
