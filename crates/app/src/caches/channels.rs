//! Channels by id: their identity and settings (team, type, names, header, purpose, deletion,
//! scheme), which permission checks and every post read.
//!
//! The counters (`last_post_at`, `last_root_post_at`, `total_msg_count`,
//! `total_msg_count_root`) move with every post; keeping them current would cost an
//! invalidation per post. A cached channel holds them as 0 instead, visibly not a value, and
//! whatever returns counters to clients (`GET /channels/{id}`, the listings) reads the store.
//! Settings change only through events that drop the channel (`ChannelUpdated`,
//! `ChannelConverted`, `ChannelDeleted`, `ChannelRestored`).

use super::bounded::Bounded;
use crate::{App, AppResult};
use std::sync::Arc;
use utmost_model::channel::Channel;

/// Channels kept at most.
pub(super) const CAPACITY: usize = 100_000;

pub(crate) type Channels = Bounded<String, Arc<Channel>>;

/// The channel as this cache holds it: without the counters every post moves.
pub(crate) fn without_counters(channel: Channel) -> Channel {
    Channel {
        last_post_at: 0,
        last_root_post_at: 0,
        total_msg_count: 0,
        total_msg_count_root: 0,
        ..channel
    }
}

/// The channel without its counters, or None when there is no such channel.
pub async fn get(app: &App, channel_id: &str) -> AppResult<Option<Arc<Channel>>> {
    let load = async {
        let channel = utmost_store::channels::get(&app.store, channel_id).await?;
        AppResult::Ok(channel.map(|c| Arc::new(without_counters(c))))
    };
    app.caches
        .channels
        .get_or_load_found(channel_id.to_string(), load)
        .await
}
