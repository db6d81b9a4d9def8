//! File search (Mattermost's `SearchFilesInTeamForUser` and `SearchFilesForUser`): the
//! post search language over files' names, extensions (`ext:`) and extracted content,
//! confined to the same channels as post search. Only files of live posts are found.

use super::index::{FileFilter, FileQuery};
use super::{PostSearch, Prepared};
use crate::errors::FileError;
use crate::{App, AppResult};
use std::collections::HashSet;
use utmost_model::file_info::FileInfoList;
use utmost_model::session::Session;
use utmost_model::AppError;

/// The files matching `search` in the channels `session`'s user may search, in `team_id`
/// (with their direct and group messages) or in every team, newest first.
pub async fn search_files(
    app: &App,
    session: &Session,
    team_id: Option<&str>,
    search: &PostSearch,
) -> AppResult<FileInfoList> {
    if !app.config().service_settings.enable_file_search {
        return Err(FileError::SearchDisabled.into());
    }
    let Some(prepared) = Prepared::new(app, session, team_id, search).await? else {
        return Ok(FileInfoList::default());
    };
    let filters = prepared
        .sets
        .iter()
        .zip(prepared.filters)
        .map(|(set, mut filter)| {
            // A file has no hashtags: `#word` is searched as a word of its name or text.
            filter.is_hashtag = false;
            FileFilter {
                filter,
                extensions: set.extensions.clone(),
                excluded_extensions: set.excluded_extensions.clone(),
            }
        })
        .collect();
    let scope: HashSet<String> = prepared.scope.iter().cloned().collect();
    let query = FileQuery {
        filters,
        scope: prepared.scope,
        offset: prepared.offset,
        limit: prepared.limit,
    };
    let index = app.search.files.clone();
    let ids = tokio::task::spawn_blocking(move || index.search_files(&query))
        .await
        .map_err(|e| AppError::internal("app.post.search.app_error", e))?
        .map_err(|e| AppError::internal("app.post.search.app_error", e))?;
    // The rows as they are now: the index can be a moment behind a deletion.
    let mut files = utmost_store::fileinfo::get_many(&app.store, &ids).await?;
    files.retain(|f| !f.post_id.is_empty() && scope.contains(&f.channel_id));
    let mut list = FileInfoList::default();
    for id in &ids {
        if let Some(at) = files.iter().position(|f| &f.id == id) {
            list.push(files.swap_remove(at));
        }
    }
    Ok(list)
}
