//! Marking channels read (`ViewChannel` / `MarkChannelsAsViewed`).

use crate::bus::Event;
use crate::errors::ChannelError;
use crate::{App, AppResult};
use std::collections::BTreeMap;
use utmost_model::channel::ChannelView;
use utmost_store::channels as store;

/// Marks the channel being opened and the one being left as read for `user_id`, answering
/// each one's new `last_viewed_at` (its last post time). Blank ids mean "none".
pub async fn view_channel(
    app: &App,
    user_id: &str,
    view: &ChannelView,
) -> AppResult<BTreeMap<String, i64>> {
    let ids: Vec<String> = [&view.channel_id, &view.prev_channel_id]
        .into_iter()
        .filter(|id| !id.is_empty())
        .cloned()
        .collect();
    if ids.is_empty() {
        return Ok(BTreeMap::new());
    }
    mark_read(app, user_id, &ids).await
}

/// Marks several channels read at once (`MarkChannelsAsViewed`, the `mark_read` route).
/// Only the user's own channels count: others are left out of the answer, and a list with
/// none of them is refused like a list of unknown channels, so it reveals nothing.
pub async fn mark_read(
    app: &App,
    user_id: &str,
    channel_ids: &[String],
) -> AppResult<BTreeMap<String, i64>> {
    let times = store::mark_viewed(&app.store, user_id, channel_ids).await?;
    if times.is_empty() {
        return Err(ChannelError::NoneMarkedRead.into());
    }
    let answer = times.iter().cloned().collect();
    app.publish(Event::ChannelsViewed {
        user_id: user_id.to_string(),
        times,
    })
    .await;
    Ok(answer)
}
