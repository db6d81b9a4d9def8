//! Server-synced drafts: save, list and delete a user's own (Mattermost's `app/draft.go`).
//! Whether a client syncs at all (the `advanced_settings/sync_drafts` preference) is the
//! client's decision, as in Mattermost; the server only honours `AllowSyncedDrafts`.

use crate::bus::Event;
use crate::errors::DraftError;
use crate::{App, AppResult};
use std::collections::BTreeSet;
use utmost_model::draft::Draft;
use utmost_model::post::{
    Post, PostMetadata, POST_FILE_IDS_MAX_RUNES, POST_MESSAGE_MAX_RUNES, POST_PROPS_MAX_RUNES,
};
use utmost_model::session::Session;
use utmost_model::{is_valid_id, now_millis, AppError};
use utmost_store::drafts as store;

/// The most drafts one listing returns, the most recently updated first. Mattermost lists
/// every one; a client holds at most a few per channel it is writing in.
pub const MAX_LISTED_DRAFTS: i64 = 1000;

/// The `props` column of `drafts` and `scheduledposts` is `varchar(8000)`: Mattermost checks
/// the post limit (800,000) and then fails to store anything longer; this refuses it as input.
const DRAFT_PROPS_MAX_RUNES: usize = 8000;

/// 501 `api.drafts.disabled.app_error` unless `ServiceSettings.AllowSyncedDrafts`.
pub fn require_enabled(app: &App) -> AppResult<()> {
    if app.config().service_settings.allow_synced_drafts {
        Ok(())
    } else {
        Err(DraftError::Disabled.into())
    }
}

/// `upsertDraft`'s permission: the user could post the draft (`create_post` in the channel,
/// or `create_post_public` in the team of a public channel). A missing channel is refused too.
pub async fn check_save(app: &App, session: &Session, channel_id: &str) -> AppResult<()> {
    let post = Post {
        channel_id: channel_id.to_string(),
        ..Post::default()
    };
    crate::posts::check_create(app, session, &post).await
}

/// `Draft.IsValid` with the message limit of a post: the checks a client's draft (and a
/// scheduled post, which is one) can fail.
pub fn validate(draft: &Draft) -> AppResult<()> {
    let length = draft.message.chars().count();
    if length > POST_MESSAGE_MAX_RUNES {
        return Err(DraftError::MessageTooLong(length).into());
    }
    if !is_valid_id(&draft.channel_id) {
        return Err(DraftError::InvalidChannelId.into());
    }
    if !(draft.root_id.is_empty() || is_valid_id(&draft.root_id)) {
        return Err(DraftError::InvalidRootId.into());
    }
    if json_runes(&draft.file_ids) > POST_FILE_IDS_MAX_RUNES {
        return Err(DraftError::InvalidFileIds.into());
    }
    if json_runes(&draft.props) > DRAFT_PROPS_MAX_RUNES {
        return Err(DraftError::InvalidProps.into());
    }
    if json_runes(&draft.priority) > POST_PROPS_MAX_RUNES {
        return Err(DraftError::InvalidPriority.into());
    }
    Ok(())
}

/// Length in characters of a value's JSON text, as Mattermost measures stored JSON.
fn json_runes<T: serde::Serialize>(value: &T) -> usize {
    serde_json::to_string(value).map_or(0, |s| s.chars().count())
}

/// `Draft.PreSave`: a new draft is created now, a known one updated now; file ids once each.
pub(crate) fn stamp(draft: &mut Draft, now: i64) {
    if draft.create_at == 0 {
        draft.create_at = now;
    }
    draft.update_at = now;
    draft.delete_at = 0;
    let mut seen = BTreeSet::new();
    draft.file_ids.retain(|id| seen.insert(id.clone()));
}

/// `UpsertDraft`: saves the user's draft for its channel and thread and tells their other
/// connections (`draft_created`, as Mattermost names every save). An empty message deletes
/// the draft instead, silently, and returns nothing. The channel must exist and be live.
pub async fn upsert(app: &App, mut draft: Draft, connection_id: &str) -> AppResult<Option<Draft>> {
    let channel = crate::caches::channels::get(app, &draft.channel_id)
        .await?
        .ok_or_else(|| AppError::invalid_param("draft.channel_id"))?;
    if channel.delete_at != 0 {
        return Err(DraftError::InArchivedChannel.into());
    }
    if draft.message.is_empty() {
        store::delete(
            &app.store,
            &draft.user_id,
            &draft.channel_id,
            &draft.root_id,
        )
        .await?;
        return Ok(None);
    }
    stamp(&mut draft, now_millis());
    validate(&draft)?;
    store::upsert(&app.store, &draft).await?;
    draft.metadata = Some(PostMetadata::default());
    crate::files::posts::add_draft_files(app, std::iter::once(&mut draft)).await?;
    app.publish(Event::DraftSaved {
        draft: draft.clone(),
        connection_id: connection_id.to_string(),
    })
    .await;
    Ok(Some(draft))
}

/// `GetDraftsForUser`: the user's drafts in the team's channels and in their direct and
/// group messages, only where they are still a member, the most recently updated first.
pub async fn for_user(app: &App, user_id: &str, team_id: &str) -> AppResult<Vec<Draft>> {
    let mut drafts = store::for_user(&app.store, user_id, team_id, MAX_LISTED_DRAFTS).await?;
    for draft in &mut drafts {
        draft.metadata = Some(PostMetadata::default());
    }
    crate::files::posts::add_draft_files(app, drafts.iter_mut()).await?;
    Ok(drafts)
}

/// `deleteDraft`: deletes the user's draft for a channel and thread and tells their other
/// connections (`draft_deleted`). A draft that does not exist is no error.
pub async fn delete(
    app: &App,
    user_id: &str,
    channel_id: &str,
    root_id: &str,
    connection_id: &str,
) -> AppResult<()> {
    let Some(draft) = store::get(&app.store, user_id, channel_id, root_id).await? else {
        return Ok(());
    };
    if store::delete(&app.store, user_id, channel_id, root_id).await? {
        app.publish(Event::DraftDeleted {
            draft,
            connection_id: connection_id.to_string(),
        })
        .await;
    }
    Ok(())
}
