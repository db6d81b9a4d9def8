//! What a command's response becomes (`HandleCommandResponse`, `HandleCommandResponsePost`,
//! `CreateCommandPost`): a post in the channel as the user who ran it (`in_channel`), or an
//! ephemeral post to them alone; then each of `extra_responses` the same way. A custom
//! command's post is marked `from_webhook`, and its name and icon overrides, the command's
//! before the response's, apply only while `EnablePostUsernameOverride` /
//! `EnablePostIconOverride` allow them. The Slack markup is converted unless the response
//! says `skip_slack_parsing`; the posting itself is the webhooks' (`webhooks::post`).

use super::registry::CommandCall;
use super::CommandError;
use crate::webhooks::{post as hook_post, slack};
use crate::{App, AppResult};
use serde_json::Value;
use utmost_model::command::{Command, CommandResponse, RESPONSE_EPHEMERAL, RESPONSE_IN_CHANNEL};
use utmost_model::post::{Post, POST_SYSTEM_MESSAGE_PREFIX};
use utmost_model::AppError;

/// Where a response came from.
pub enum Source<'a> {
    /// A built-in or a provider's command.
    Provided,
    /// A custom command: its overrides apply and its posts are the integration's.
    Custom(&'a Command),
}

/// Handles `response` and its extra responses; a failed post fails the whole, after the
/// others were tried.
pub async fn handle(
    app: &App,
    source: &Source<'_>,
    call: &CommandCall,
    mut response: CommandResponse,
) -> AppResult<CommandResponse> {
    let extra = response.extra_responses.take();
    let mut failed = post(app, source, call, response.clone()).await.err();
    for extra in extra.iter().flatten() {
        if let Err(e) = post(app, source, call, extra.clone()).await {
            failed = Some(e);
        }
    }
    response.extra_responses = extra;
    if let Some(e) = failed {
        tracing::debug!(error = %e.message, "a command response was not posted");
        let trigger = call
            .command
            .split(' ')
            .next()
            .unwrap_or("")
            .trim_start_matches('/');
        return Err(CommandError::CreatePostFailed(trigger.to_lowercase()).into());
    }
    Ok(response)
}

/// One response's post, if it makes one.
async fn post(
    app: &App,
    source: &Source<'_>,
    call: &CommandCall,
    response: CommandResponse,
) -> AppResult<()> {
    let config = app.config();
    let settings = &config.service_settings;
    let mut post = Post {
        channel_id: call.channel_id.clone(),
        root_id: call.root_id.clone(),
        user_id: call.user_id().to_string(),
        post_type: response.post_type.clone(),
        ..Post::default()
    };
    for (key, value) in response.props.clone().unwrap_or_default() {
        post.props.insert(key, value);
    }
    if !response.channel_id.is_empty() {
        crate::channels::get_member(app, &response.channel_id, call.user_id())
            .await
            .map_err(|_| CommandError::ResponseChannelForbidden)?;
        post.channel_id = response.channel_id.clone();
    }
    let mut is_bot_post = matches!(source, Source::Custom(_));
    let (command_username, command_icon) = match source {
        Source::Custom(c) => (c.username.as_str(), c.icon_url.as_str()),
        Source::Provided => ("", ""),
    };
    // What the props say of overrides holds only where the settings allow it.
    if !settings.enable_post_username_override {
        post.props.remove("override_username");
    }
    if !settings.enable_post_icon_override {
        post.props.remove("override_icon_url");
        post.props.remove("override_icon_emoji");
    }
    let username = first_of(command_username, &response.username);
    if settings.enable_post_username_override && !username.is_empty() {
        post.props
            .insert("override_username".into(), Value::String(username.into()));
        is_bot_post = true;
    }
    let icon_url = first_of(command_icon, &response.icon_url);
    if settings.enable_post_icon_override && !icon_url.is_empty() {
        post.props
            .insert("override_icon_url".into(), Value::String(icon_url.into()));
        is_bot_post = true;
    }
    if is_bot_post {
        post.props
            .insert("from_webhook".into(), Value::String("true".into()));
    }
    let attachments = if response.skip_slack_parsing {
        post.message = response.text.clone();
        response
            .attachments
            .clone()
            .unwrap_or_default()
            .into_iter()
            .flatten()
            .collect()
    } else {
        post.message = slack::text_links(&slack::process_text(app, &response.text).await?);
        slack::process_attachments(app, response.attachments.clone()).await?
    };
    if post.post_type.starts_with(POST_SYSTEM_MESSAGE_PREFIX) {
        return Err(AppError::invalid_param("post.type"));
    }
    if response.response_type == RESPONSE_IN_CHANNEL {
        hook_post::create_with_attachments(app, post, attachments).await?;
    } else if (response.response_type.is_empty() || response.response_type == RESPONSE_EPHEMERAL)
        && (!response.text.is_empty() || response.attachments.is_some())
    {
        let post = hook_post::with_attachments(post, attachments);
        crate::ephemeral::send(app, call.user_id(), post).await;
    }
    Ok(())
}

fn first_of<'a>(first: &'a str, second: &'a str) -> &'a str {
    if first.is_empty() {
        second
    } else {
        first
    }
}
