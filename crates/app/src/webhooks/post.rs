//! `CreateWebhookPost`: the post an incoming hook's request or an outgoing hook's answer
//! makes, as the hook's creator, marked `from_webhook`.

use super::{slack, WebhookError};
use crate::{App, AppResult};
use serde_json::{Map, Value};
use utmost_model::channel::Channel;
use utmost_model::post::{
    Post, PostMetadata, PostPriority, POST_MESSAGE_MAX_RUNES, POST_SYSTEM_MESSAGE_PREFIX,
};
use utmost_model::webhook::{
    SlackAttachment, DEFAULT_WEBHOOK_USERNAME, POST_TYPE_SLACK_ATTACHMENT,
};
use utmost_model::AppError;

/// `PostPropsMaxUserRunes`: what a client's props may take of a post's props.
const PROPS_MAX_USER_RUNES: usize = 400_000;

/// Everything a webhook post is made of.
pub struct WebhookPost {
    pub user_id: String,
    pub text: String,
    pub override_username: String,
    pub override_icon_url: String,
    pub override_icon_emoji: String,
    pub props: Map<String, Value>,
    /// Already through `slack::process_attachments`.
    pub attachments: Vec<SlackAttachment>,
    pub post_type: String,
    pub root_id: String,
    pub priority: Option<PostPriority>,
}

/// Creates the post (several when the text is longer than a post may be) in `channel` and
/// returns the first.
pub async fn create(app: &App, channel: &Channel, hook_post: WebhookPost) -> AppResult<Post> {
    let config = app.config();
    let settings = &config.service_settings;
    let mut post = Post {
        user_id: hook_post.user_id.clone(),
        channel_id: channel.id.clone(),
        message: slack::text_links(&hook_post.text),
        post_type: hook_post.post_type,
        root_id: hook_post.root_id,
        ..Post::default()
    };
    post.props
        .insert("from_webhook".into(), Value::String("true".into()));
    if let Some(priority) = hook_post.priority {
        if priority.priority.is_none() {
            return Err(AppError::invalid_param("webhook.priority.priority")
                .with_detail("Setting the priority of a post is required to use priority."));
        }
        post.metadata = Some(PostMetadata {
            priority: Some(priority),
            ..PostMetadata::default()
        });
    }
    if post.post_type.starts_with(POST_SYSTEM_MESSAGE_PREFIX) {
        return Err(AppError::invalid_param("post.type"));
    }
    if settings.enable_post_username_override {
        let name = if hook_post.override_username.is_empty() {
            DEFAULT_WEBHOOK_USERNAME.to_string()
        } else {
            hook_post.override_username
        };
        post.props
            .insert("override_username".into(), Value::String(name));
    }
    if settings.enable_post_icon_override {
        if !hook_post.override_icon_url.is_empty() {
            post.props.insert(
                "override_icon_url".into(),
                Value::String(hook_post.override_icon_url),
            );
        }
        if !hook_post.override_icon_emoji.is_empty() {
            post.props.insert(
                "override_icon_emoji".into(),
                Value::String(hook_post.override_icon_emoji),
            );
        }
    }
    for (key, value) in hook_post.props {
        // A client's own `attachments` prop is not Slack attachments: Mattermost drops it.
        if !matches!(
            key.as_str(),
            "attachments" | "override_icon_url" | "override_username" | "from_webhook"
        ) {
            post.props.insert(key, value);
        }
    }
    create_with_attachments(app, post, hook_post.attachments).await
}

/// Posts `post` as its `user_id` with Slack `attachments` (already through
/// `slack::process_attachments`): their links converted, the post typed
/// `slack_attachment` unless it has a type, the text split when too long (see `split`).
/// Returns the first post. Slash command responses post through here too.
pub async fn create_with_attachments(
    app: &App,
    mut post: Post,
    mut attachments: Vec<SlackAttachment>,
) -> AppResult<Post> {
    mark_attachments(&mut post, &mut attachments);
    let splits = split(post, attachments)?;
    let Some(user_id) = splits.first().map(|p| p.user_id.clone()) else {
        return Err(WebhookError::Creating("nothing to post".into()).into());
    };
    let session = crate::posts::acting_as(&webhook_user(app, &user_id).await?);
    let mut first = None;
    for split in splits {
        let created = crate::posts::create_as_user(app, &session, split)
            .await
            .map_err(|e| WebhookError::Creating(e.message.clone()))?;
        first.get_or_insert(created);
    }
    first.ok_or_else(|| WebhookError::Creating("nothing to post".into()).into())
}

/// `post` with its Slack `attachments` in the `attachments` prop, unsplit: for a post
/// that is never stored (an ephemeral one).
pub fn with_attachments(mut post: Post, mut attachments: Vec<SlackAttachment>) -> Post {
    mark_attachments(&mut post, &mut attachments);
    if !attachments.is_empty() {
        attach(Some(&mut post), &attachments);
    }
    post
}

/// `ParseSlackAttachment`: the attachments' links converted and the post's type.
fn mark_attachments(post: &mut Post, attachments: &mut [SlackAttachment]) {
    if !attachments.is_empty() {
        slack::links_in_attachments(attachments);
        if post.post_type.is_empty() {
            post.post_type = POST_TYPE_SLACK_ATTACHMENT.into();
        }
    }
}

async fn webhook_user(app: &App, user_id: &str) -> AppResult<utmost_model::user::User> {
    crate::caches::users::get(app, user_id)
        .await?
        .map(|u| utmost_model::user::User::clone(&u))
        .ok_or_else(|| WebhookError::CreatorGone.into())
}

fn runes_of(props: &utmost_model::post::PostProps) -> usize {
    serde_json::to_string(props).map_or(0, |s| s.chars().count())
}

/// `SplitWebhookPost`: the message cut every `POST_MESSAGE_MAX_RUNES` characters; the
/// attachments go on the last part while its props stay within `PROPS_MAX_USER_RUNES`, on
/// a further part when they do not.
fn split(base: Post, attachments: Vec<SlackAttachment>) -> AppResult<Vec<Post>> {
    if runes_of(&base.props) > PROPS_MAX_USER_RUNES {
        return Err(WebhookError::SplitPropsLength.into());
    }
    let chars: Vec<char> = base.message.chars().collect();
    let mut parts: Vec<Post> = chars
        .chunks(POST_MESSAGE_MAX_RUNES)
        .map(|chunk| Post {
            message: chunk.iter().collect(),
            ..base.clone()
        })
        .collect();
    if parts.is_empty() {
        parts.push(base.clone());
    }
    let mut on_last: Vec<SlackAttachment> = Vec::new();
    for attachment in attachments {
        let mut candidate = on_last.clone();
        candidate.push(attachment.clone());
        let mut props = base.props.clone();
        props.insert(
            "attachments".into(),
            serde_json::to_value(&candidate).unwrap_or_default(),
        );
        if runes_of(&props) <= PROPS_MAX_USER_RUNES {
            on_last = candidate;
            continue;
        }
        if on_last.is_empty() {
            return Err(WebhookError::SplitPropsLength.into());
        }
        attach(parts.last_mut(), &on_last);
        parts.push(Post {
            message: String::new(),
            ..base.clone()
        });
        on_last = vec![attachment];
    }
    if !on_last.is_empty() {
        attach(parts.last_mut(), &on_last);
    }
    Ok(parts)
}

fn attach(post: Option<&mut Post>, attachments: &[SlackAttachment]) {
    if let Some(post) = post {
        post.props.insert(
            "attachments".into(),
            serde_json::to_value(attachments).unwrap_or_default(),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_is_split_and_attachments_ride_on_the_last_part() {
        let base = Post {
            message: "x".repeat(POST_MESSAGE_MAX_RUNES * 2 + 5),
            ..Post::default()
        };
        let parts = split(base, vec![SlackAttachment::default()]).unwrap();
        assert_eq!(parts.len(), 3);
        assert_eq!(parts[2].message.len(), 5);
        assert!(parts[2].props.contains_key("attachments"));
        assert!(!parts[0].props.contains_key("attachments"));
    }
}
