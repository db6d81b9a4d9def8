//! `/msg @user [message]` and `/groupmsg @a,@b [message]` (`command_msg.go`,
//! `command_groupmsg.go`): the DM or group message, made if needed, the message posted
//! there, and the client sent to it.

use super::super::registry::CommandCall;
use super::{team_url, user_named};
use crate::{App, AppResult};
use utmost_model::command::CommandResponse;
use utmost_model::post::Post;
use utmost_model::user::User;

fn says(text: impl Into<String>) -> AppResult<CommandResponse> {
    Ok(CommandResponse::ephemeral(text))
}

async fn post_and_go(
    app: &App,
    call: &CommandCall,
    channel_id: &str,
    message: &str,
    location: String,
) -> AppResult<CommandResponse> {
    if !message.is_empty() {
        let post = Post {
            channel_id: channel_id.to_string(),
            user_id: call.user_id().to_string(),
            message: message.to_string(),
            ..Post::default()
        };
        if let Err(e) = crate::posts::create_as_user(app, &call.session, post).await {
            return says(format!(
                "An error occurred while messaging the user. {}",
                e.message
            ));
        }
    }
    Ok(CommandResponse::goto(format!(
        "{}/messages/{location}",
        team_url(app, call).await?
    )))
}

async fn live_user(app: &App, name: &str) -> AppResult<Option<User>> {
    Ok(user_named(app, name).await?.filter(|u| u.delete_at == 0))
}

pub async fn direct(app: &App, call: &CommandCall, message: &str) -> AppResult<CommandResponse> {
    let (name, text) = message
        .split_once(char::is_whitespace)
        .unwrap_or((message, ""));
    if name.is_empty() {
        return says("You must use a valid user: /msg @username message.");
    }
    let Some(user) = live_user(app, name).await? else {
        return says("We couldn't find the user.");
    };
    let channel =
        match crate::channels::get_or_create_direct(app, &call.session, call.user_id(), &user.id)
            .await
        {
            Ok(channel) => channel,
            Err(e) => return says(e.message),
        };
    post_and_go(
        app,
        call,
        &channel.id,
        text.trim(),
        format!("@{}", user.username),
    )
    .await
}

pub async fn group(app: &App, call: &CommandCall, message: &str) -> AppResult<CommandResponse> {
    let (names, text) = message
        .split_once(char::is_whitespace)
        .unwrap_or((message, ""));
    let mut ids = vec![call.user_id().to_string()];
    let mut unknown = Vec::new();
    for name in names.split(',').filter(|n| !n.trim().is_empty()) {
        match live_user(app, name).await? {
            Some(user) if !ids.contains(&user.id) => ids.push(user.id),
            Some(_) => {}
            None => unknown.push(name.trim().to_string()),
        }
    }
    if !unknown.is_empty() {
        return says(format!("Unable to find the users: {}", unknown.join(", ")));
    }
    if ids.len() < 3 {
        return says("Minimum 2 users required to create a group message. Use /msg to send a direct message.");
    }
    if ids.len() > 8 {
        return says("Group messages are limited to a maximum of 7 users.");
    }
    let channel = match crate::channels::get_or_create_group(app, &ids).await {
        Ok(channel) => channel,
        Err(e) => return says(e.message),
    };
    post_and_go(app, call, &channel.id, text.trim(), channel.name.clone()).await
}
