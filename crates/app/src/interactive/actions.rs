//! A click on a button or a choice in a menu (`DoPostActionWithCookie`). The caller has
//! checked that the session may read the post's channel (or the cookie's, for an ephemeral
//! post).

use super::{call, find_action, integration_error};
use crate::posts::{self, PostUpdate};
use crate::{App, AppResult};
use serde_json::{Map, Value};
use utmost_model::integration_action::{
    PostActionApiResponse, PostActionCookie, PostActionIntegrationRequest,
    PostActionIntegrationResponse,
};
use utmost_model::post::Post;
use utmost_model::session::Session;
use utmost_model::AppError;
use utmost_store::Deleted;

/// `SessionHasPermissionToReadPost`: false for a post that is not stored, so a click on a
/// missing post is refused like one on a post of an unreadable channel.
pub async fn may_read_post(app: &App, session: &Session, post_id: &str) -> AppResult<bool> {
    let Some(post) = utmost_store::posts::get(&app.store, post_id, Deleted::Exclude).await? else {
        return Ok(false);
    };
    let Some(channel) = crate::caches::channels::get(app, &post.channel_id).await? else {
        return Ok(false);
    };
    posts::can_read_channel(app, session, &channel).await
}

/// Who clicked what.
pub struct Click<'a> {
    pub post_id: &'a str,
    pub action_id: &'a str,
    pub user_id: &'a str,
    pub selected_option: &'a str,
    /// The opened cookie of an ephemeral post's action.
    pub cookie: Option<PostActionCookie>,
}

/// What the click calls and how the answer is applied, from the stored post or the cookie.
struct Target {
    url: String,
    request: PostActionIntegrationRequest,
    data_source: String,
    root_post_id: String,
    /// The stored post, which an `update` answer replaces.
    original: Option<Post>,
    retain: Map<String, Value>,
    remove: Vec<String>,
}

/// Calls the action's integration and applies its answer; returns Mattermost's answer with
/// the client's half of the trigger id.
pub async fn do_post_action(app: &App, click: Click<'_>) -> AppResult<PostActionApiResponse> {
    let mut target = target(app, &click).await?;
    let user = crate::caches::users::get(app, click.user_id)
        .await?
        .ok_or_else(|| AppError::not_found("app.user.missing_account.const", "User not found."))?;
    target.request.user_name = user.username.clone();
    let channel = posts::get_channel(app, &target.request.channel_id).await?;
    target.request.channel_name = channel.name.clone();
    target.request.team_id = channel.team_id.clone();
    if !channel.team_id.is_empty() {
        let team = utmost_store::teams::get(&app.store, &channel.team_id)
            .await?
            .ok_or_else(|| AppError::not_found("app.team.get.find.app_error", "Team not found."))?;
        target.request.team_domain = team.name;
    }
    if !click.selected_option.is_empty() {
        target
            .request
            .context
            .get_or_insert_with(Map::new)
            .insert("selected_option".into(), click.selected_option.into());
        target.request.data_source = std::mem::take(&mut target.data_source);
    }
    let (client_trigger_id, trigger_id) = crate::trigger_id::generate(app, click.user_id).await?;
    target.request.trigger_id = trigger_id;

    let body = serde_json::to_vec(&target.request)
        .map_err(|e| AppError::internal("api.marshal_error", e))?;
    let answer = call(app, &target.url, body, click.user_id).await?;
    let response: PostActionIntegrationResponse = if answer.is_empty() {
        PostActionIntegrationResponse::default()
    } else {
        serde_json::from_slice(&answer).map_err(integration_error)?
    };

    if let Some(update) = response.update {
        apply_update(app, &target, click.post_id, update).await?;
    }
    if !response.ephemeral_text.is_empty() {
        let message = if response.skip_slack_parsing {
            response.ephemeral_text
        } else {
            crate::webhooks::slack::text_links(&response.ephemeral_text)
        };
        let mut reply = Post {
            message,
            channel_id: target.request.channel_id.clone(),
            root_id: target.root_post_id.clone(),
            user_id: click.user_id.to_string(),
            ..Post::default()
        };
        reply.props.extend(target.retain.clone());
        crate::ephemeral::send(app, click.user_id, reply).await;
    }
    Ok(PostActionApiResponse {
        status: "OK",
        trigger_id: client_trigger_id,
        goto_location: response.goto_location,
    })
}

/// The stored post's action, else the cookie's (Mattermost ignores a cookie when the post is
/// stored).
async fn target(app: &App, click: &Click<'_>) -> AppResult<Target> {
    let stored = utmost_store::posts::get(&app.store, click.post_id, Deleted::Exclude).await?;
    let mut request = PostActionIntegrationRequest {
        user_id: click.user_id.to_string(),
        post_id: click.post_id.to_string(),
        ..Default::default()
    };
    if let Some(post) = stored {
        let action = find_action(&post.props, click.action_id);
        let Some((action, integration)) =
            action.and_then(|a| a.integration.clone().map(|i| (a, i)))
        else {
            return Err(AppError::not_found(
                "api.post.do_action.action_id.app_error",
                "Unable to find action.",
            ));
        };
        let (retain, remove) = super::retained_props(&post);
        request.channel_id = post.channel_id.clone();
        request.action_type = action.action_type;
        request.context = integration.context;
        return Ok(Target {
            url: integration.url,
            request,
            data_source: action.data_source,
            root_post_id: super::thread_root(&post),
            original: Some(post),
            retain,
            remove,
        });
    }
    let Some(cookie) = click.cookie.clone() else {
        return Err(crate::errors::PostError::NotFound.into());
    };
    let Some(integration) = cookie.integration else {
        return Err(integration_error("no Integration in action cookie"));
    };
    if cookie.post_id != click.post_id {
        return Err(integration_error("postId doesn't match"));
    }
    request.channel_id = cookie.channel_id;
    request.action_type = cookie.action_type;
    request.context = integration.context;
    Ok(Target {
        url: integration.url,
        request,
        data_source: cookie.data_source,
        root_post_id: cookie.root_post_id,
        original: None,
        retain: cookie.retain_props,
        remove: cookie.remove_props,
    })
}

/// Replaces the post with the integration's `update` as Mattermost does: its message, props
/// (the original ones when it sends none; else its own, with the retained keys as they were)
/// and files, keeping the pin and reactions flag. Fires `post_edited`.
async fn apply_update(app: &App, target: &Target, post_id: &str, update: Post) -> AppResult<()> {
    let Some(original) = &target.original else {
        // An ephemeral post has nothing stored to update.
        return Err(crate::errors::PostError::NotFound.into());
    };
    let mut props = if update.props.is_empty() {
        original.props.clone()
    } else {
        let mut props = update.props;
        props.extend(target.retain.clone());
        for key in &target.remove {
            props.remove(key);
        }
        props
    };
    super::generate_action_ids(&mut props);
    let input = PostUpdate {
        message: update.message,
        is_pinned: original.is_pinned,
        has_reactions: original.has_reactions,
        file_ids: Some(update.file_ids),
        props: Some(props),
    };
    posts::update(app, post_id, input).await?;
    Ok(())
}
