//! Marking a channel unread from a post (`MarkChannelAsUnreadFromPost`).

use crate::bus::Event;
use crate::errors::ChannelError;
use crate::mentions::{explicit_mentions, MentionKeywords};
use crate::{App, AppResult};
use serde::Serialize;
use utmost_model::channel::CHANNEL_DIRECT;
use utmost_model::{now_millis, AppError};
use utmost_store::unreads::{self as store, Mentions};
use utmost_store::StoreError;

/// Posts looked at when recounting mentions; beyond this the count stops growing, which
/// only matters for someone marking a very old post unread.
const MAX_POSTS_SCANNED: i64 = 10_000;

/// Mattermost's `ChannelUnreadAt`.
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq)]
pub struct ChannelUnreadAt {
    pub team_id: String,
    pub channel_id: String,
    pub msg_count: i64,
    pub mention_count: i64,
    pub mention_count_root: i64,
    pub urgent_mention_count: i64,
    pub msg_count_root: i64,
    pub last_viewed_at: i64,
}

/// Makes `post_id` and everything after it unread for `user_id`, recounting their mentions
/// from there, and tells the user's other sessions (`post_unread`).
pub async fn set_unread_from_post(
    app: &App,
    user_id: &str,
    post_id: &str,
) -> AppResult<ChannelUnreadAt> {
    let post = crate::posts::get_single(app, post_id, false).await?;
    let channel = crate::posts::get_channel(app, &post.channel_id).await?;
    let members = crate::caches::member_profiles::member_profiles(app, &channel.id).await?;
    let me = members
        .iter()
        .find(|m| m.user_id == user_id)
        .ok_or_else(|| AppError::permission_denied(utmost_model::permissions::READ_CHANNEL))?;
    let mut keywords = MentionKeywords::default();
    keywords.add_user(me, crate::status::is_online(app, user_id), true);
    let later = store::posts_after(
        &app.store,
        &channel.id,
        post.create_at - 1,
        MAX_POSTS_SCANNED,
    )
    .await?;
    let mut mentions = Mentions {
        all: 0,
        root: 0,
        urgent: 0,
    };
    for p in later.iter().filter(|p| p.userid != user_id) {
        let mentioned = channel.channel_type == CHANNEL_DIRECT
            || explicit_mentions(&p.message, &keywords)
                .user_ids
                .contains(user_id);
        if mentioned {
            mentions.all += 1;
            if p.rootid.is_empty() {
                mentions.root += 1;
            }
        }
    }
    let at = store::set_unread_from(
        &app.store,
        &channel.id,
        user_id,
        post.create_at,
        &mentions,
        now_millis(),
    )
    .await
    .map_err(|e| match e {
        // The member left between the check above and the write.
        StoreError::NotFound(_) => AppError::from(ChannelError::MemberNotFound),
        other => other.into(),
    })?;
    let unread = ChannelUnreadAt {
        team_id: at.teamid,
        channel_id: channel.id,
        msg_count: at.msgcount,
        mention_count: at.mentioncount,
        mention_count_root: at.mentioncountroot,
        urgent_mention_count: at.urgentmentioncount,
        msg_count_root: at.msgcountroot,
        last_viewed_at: at.lastviewedat,
    };
    app.publish(Event::PostMarkedUnread {
        user_id: user_id.to_string(),
        post_id: post_id.to_string(),
        unread: unread.clone(),
    })
    .await;
    Ok(unread)
}
