//! Message priority (`app/post_priority.go`, api4's `postPriorityCheck`): a root post may be
//! marked important or urgent, ask for acknowledgements, and (urgent only) ask for persistent
//! notifications. The priority is saved with the post (`store::post_priority`); reads attach
//! it and the acknowledgements as `metadata.priority` and `metadata.acknowledgements`.
//!
//! Mattermost also asks for a Professional licence before it accepts acknowledgements or
//! persistent notifications; Utmost has no licences and accepts them when the settings
//! allow. Persistent notifications are recorded (`persistentnotifications`) but not yet
//! sent: that waits for the notifications work.

use crate::errors::PostError;
use crate::{App, AppResult};
use std::collections::BTreeMap;
use utmost_model::post::{Post, POST_PRIORITY_URGENT};
use utmost_model::roles::SYSTEM_GUEST;
use utmost_model::session::Session;

/// `IsPostPriorityEnabled`.
pub fn enabled(app: &App) -> bool {
    app.config().service_settings.post_priority
}

/// `postPriorityCheck`, for a post that carries `metadata.priority`: priority must be
/// enabled, the post a root post, and persistent notifications allowed, urgent, and not from
/// a guest (`AllowPersistentNotificationsForGuests` is false, a setting Utmost does not have).
pub fn check(app: &App, session: &Session, post: &Post) -> AppResult<()> {
    let Some(priority) = post.metadata.as_ref().and_then(|m| m.priority.as_ref()) else {
        return Ok(());
    };
    if !enabled(app) {
        return Err(PostError::PriorityDisabled.into());
    }
    if !post.root_id.is_empty() {
        return Err(PostError::PriorityOnReply.into());
    }
    if priority.persistent_notifications == Some(true) {
        if !app.config().service_settings.allow_persistent_notifications {
            return Err(PostError::PriorityDisabled.into());
        }
        if priority.priority.as_deref() != Some(POST_PRIORITY_URGENT) {
            return Err(PostError::PersistentNotUrgent.into());
        }
        if session.roles.split_whitespace().any(|r| r == SYSTEM_GUEST) {
            return Err(PostError::PriorityDisabled.into());
        }
    }
    Ok(())
}

/// `metadata.priority` and `metadata.acknowledgements` for the live root posts among
/// `posts` (`PreparePostListForClient`), read in one query; nothing when priority is off.
/// Each post must already have its `metadata` object.
pub async fn add_priority_metadata<'a>(
    app: &App,
    posts: impl Iterator<Item = &'a mut Post>,
) -> AppResult<()> {
    if !enabled(app) {
        return Ok(());
    }
    let mut roots: Vec<&mut Post> = posts
        .filter(|p| p.root_id.is_empty() && p.delete_at == 0)
        .collect();
    if roots.is_empty() {
        return Ok(());
    }
    let ids: Vec<String> = roots.iter().map(|p| p.id.clone()).collect();
    let found = utmost_store::post_priority::metadata_for_posts(&app.store, &ids).await?;
    let mut priorities: BTreeMap<String, _> = found.priorities.into_iter().collect();
    let mut acknowledgements: BTreeMap<String, Vec<_>> = BTreeMap::new();
    for ack in found.acknowledgements {
        acknowledgements
            .entry(ack.post_id.clone())
            .or_default()
            .push(ack);
    }
    for post in &mut roots {
        let Some(metadata) = post.metadata.as_mut() else {
            continue;
        };
        if let Some(priority) = priorities.remove(&post.id) {
            metadata.priority = Some(priority);
        }
        metadata.acknowledgements = acknowledgements.remove(&post.id);
    }
    Ok(())
}
