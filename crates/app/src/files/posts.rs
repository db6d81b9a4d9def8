//! Files on posts: attached when the post is created (only the poster's own files that no
//! post has yet, as Mattermost's `attachFilesToPost`), shown in `metadata.files`, listed by
//! `/posts/{id}/files/info`, and soft-deleted with their post. Drafts and scheduled posts
//! show the files they name in their `metadata.files` too.

use crate::authorization::require_channel;
use crate::{App, AppResult};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use utmost_model::draft::Draft;
use utmost_model::file_info::FileInfo;
use utmost_model::permissions;
use utmost_model::post::Post;
use utmost_model::session::Session;
use utmost_model::AppError;
use utmost_store::Deleted;

/// Keeps the ids of `post.file_ids` that can be attached to it: live files of its author
/// that are on no post yet. Mattermost drops the others silently.
pub async fn keep_attachable(app: &App, post: &mut Post) -> AppResult<()> {
    if post.file_ids.is_empty() {
        return Ok(());
    }
    let found = utmost_store::fileinfo::get_many(&app.store, &post.file_ids).await?;
    post.file_ids.retain(|id| {
        found
            .iter()
            .any(|f| &f.id == id && f.creator_id == post.user_id && f.post_id.is_empty())
    });
    Ok(())
}

/// Attaches the files of a just-saved post and returns them for `metadata.files`. A file
/// another post took in the meantime stays with that post.
pub async fn attach(app: &App, post: &Post) -> AppResult<Vec<FileInfo>> {
    if post.file_ids.is_empty() {
        return Ok(Vec::new());
    }
    for id in &post.file_ids {
        let attached = utmost_store::fileinfo::attach_to_post(
            &app.store,
            id,
            &post.id,
            &post.channel_id,
            &post.user_id,
            utmost_model::time::now_millis(),
        )
        .await?;
        if !attached {
            tracing::warn!(file_id = %id, post_id = %post.id, "a file was attached to another post first");
        }
    }
    Ok(utmost_store::fileinfo::for_post(&app.store, &post.id, Deleted::Exclude).await?)
}

/// `metadata.files` for the live posts among `posts` that have files, read in one query.
/// Each post must already have its `metadata` object.
pub async fn add_file_metadata<'a>(
    app: &App,
    posts: impl Iterator<Item = &'a mut Post>,
) -> AppResult<()> {
    let mut with_files: Vec<&mut Post> = posts
        .filter(|p| !p.file_ids.is_empty() && p.delete_at == 0)
        .collect();
    if with_files.is_empty() {
        return Ok(());
    }
    let ids: Vec<String> = with_files.iter().map(|p| p.id.clone()).collect();
    let mut by_post: BTreeMap<String, Vec<FileInfo>> = BTreeMap::new();
    for info in utmost_store::fileinfo::for_posts(&app.store, &ids).await? {
        by_post.entry(info.post_id.clone()).or_default().push(info);
    }
    for post in &mut with_files {
        let files = by_post.remove(&post.id).unwrap_or_default();
        if let (Some(metadata), false) = (post.metadata.as_mut(), files.is_empty()) {
            metadata.files = Some(files.iter().map(to_json).collect());
        }
    }
    Ok(())
}

/// The most file ids one lookup binds (a listing of drafts names up to ten per draft).
const LOOKUP_CHUNK: usize = 500;

/// `metadata.files` of drafts and scheduled posts (`getFileInfosForDraft`): the files each
/// names that are still its author's and on no post, in the order it names them. A draft
/// without such files keeps its metadata as it is.
pub async fn add_draft_files<'a>(
    app: &App,
    drafts: impl Iterator<Item = &'a mut Draft>,
) -> AppResult<()> {
    let drafts: Vec<&mut Draft> = drafts.filter(|d| !d.file_ids.is_empty()).collect();
    let ids: BTreeSet<&String> = drafts.iter().flat_map(|d| d.file_ids.iter()).collect();
    let ids: Vec<String> = ids.into_iter().cloned().collect();
    let mut found = HashMap::new();
    for chunk in ids.chunks(LOOKUP_CHUNK) {
        for info in utmost_store::fileinfo::get_many(&app.store, chunk).await? {
            found.insert(info.id.clone(), info);
        }
    }
    for draft in drafts {
        let files: Vec<serde_json::Value> = draft
            .file_ids
            .iter()
            .filter_map(|id| found.get(id))
            .filter(|f| f.post_id.is_empty() && f.creator_id == draft.user_id)
            .map(to_json)
            .collect();
        if !files.is_empty() {
            draft.metadata.get_or_insert_with(Default::default).files = Some(files);
        }
    }
    Ok(())
}

/// A file as `metadata.files` carries it.
pub fn to_json(info: &FileInfo) -> serde_json::Value {
    serde_json::to_value(info).unwrap_or_default()
}

/// `GET /posts/{id}/files/info`: the files of a post whose channel the session may read;
/// a post that does not exist is the same 403 as one the session cannot read.
pub async fn for_post(
    app: &App,
    session: &Session,
    post_id: &str,
    include_deleted: bool,
) -> AppResult<Vec<FileInfo>> {
    let Some(post) = utmost_store::posts::get(&app.store, post_id, Deleted::Include).await? else {
        return Err(AppError::permission_denied(
            permissions::READ_CHANNEL_CONTENT,
        ));
    };
    require_channel(
        app,
        session,
        &post.channel_id,
        permissions::READ_CHANNEL_CONTENT,
    )
    .await?;
    let deleted = Deleted::included_if(include_deleted);
    Ok(utmost_store::fileinfo::for_post(&app.store, post_id, deleted).await?)
}

/// Soft-deletes the files of a deleted post (`deletePostFiles`); a failure is logged, as
/// the post is already gone.
pub async fn delete_with_post(app: &App, post_id: &str, at: i64) {
    if let Err(e) = utmost_store::fileinfo::delete_for_post(&app.store, post_id, at).await {
        tracing::error!(post_id, error = %e, "could not delete the files of a deleted post");
    }
}
