//! A post's edit history and restoring an earlier version (`GetEditHistoryForPost`,
//! `RestorePostVersion`). Editing keeps each replaced version as a deleted post whose
//! `original_id` names the live post (see `store::posts::update`).

use crate::errors::PostError;
use crate::{App, AppResult};
use utmost_model::post::{Post, PostPatch};

/// The earlier versions of a post, the latest edit first; 404 when it was never edited.
pub async fn edit_history(app: &App, post_id: &str) -> AppResult<Vec<Post>> {
    let versions = utmost_store::post_history::edit_history(&app.store, post_id).await?;
    if versions.is_empty() {
        return Err(PostError::NotFound.into());
    }
    Ok(versions)
}

/// Puts `version`'s message and files back on post `post_id`, as an edit: the current
/// content becomes a version in its turn, and `post_edited` goes out. The version must be
/// an earlier version of this very post, written by `user_id`.
pub async fn restore(app: &App, user_id: &str, post_id: &str, version: Post) -> AppResult<Post> {
    if version.original_id != post_id {
        return Err(PostError::NotAHistoryItem.into());
    }
    if version.user_id != user_id {
        return Err(PostError::RestoreNotAllowed.into());
    }
    if version.delete_at == 0 {
        return Err(PostError::NotAValidHistoryItem.into());
    }
    let patch = PostPatch {
        message: Some(version.message),
        file_ids: Some(version.file_ids),
        ..PostPatch::default()
    };
    crate::posts::patch(app, post_id, patch).await
}
