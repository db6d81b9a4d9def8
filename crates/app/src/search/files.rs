//! File search (Mattermost's `SearchFilesInTeamForUser` and `SearchFilesForUser`): the
//! post search language over files' names, extensions (`ext:`) and extracted content,
//! confined to the same channels as post search. Only files of live posts are found.

use super::index::{FileFilter, FileQuery};
use super::query::Term;
use super::{PostSearch, Prepared};
use crate::errors::FileError;
use crate::{App, AppResult};
use std::collections::HashSet;
use utmost_model::file_info::FileInfoList;
use utmost_model::session::Session;
use utmost_model::AppError;
use utmost_store::file_search::{search_files_full_text, FullTextFileFilter, FullTextTerm};

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
    let ids = match app.search.files.clone() {
        Some(index) => tokio::task::spawn_blocking(move || index.search_files(&query))
            .await
            .map_err(|e| AppError::internal("app.post.search.app_error", e))?
            .map_err(|e| AppError::internal("app.post.search.app_error", e))?,
        None => full_text(app, &query).await?,
    };
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

/// PostgreSQL full text over `fileinfo` (the engine of several nodes has no file index).
async fn full_text(app: &App, query: &FileQuery) -> AppResult<Vec<String>> {
    let filters: Vec<FullTextFileFilter> = query.filters.iter().map(full_text_filter).collect();
    let offset = i64::try_from(query.offset).unwrap_or(i64::MAX);
    let limit = i64::try_from(query.limit).unwrap_or(0);
    Ok(search_files_full_text(&app.store, &query.scope, &filters, offset, limit).await?)
}

fn full_text_filter(f: &FileFilter) -> FullTextFileFilter {
    let f_terms = |terms: &[Term]| terms.iter().map(full_text_term).collect();
    FullTextFileFilter {
        terms: f_terms(&f.filter.terms),
        excluded_terms: f_terms(&f.filter.excluded_terms),
        any_term: !f.filter.all_terms,
        extensions: lowercase(&f.extensions),
        excluded_extensions: lowercase(&f.excluded_extensions),
        channels: f.filter.channels.clone(),
        excluded_channels: f.filter.excluded_channels.clone(),
        creators: f.filter.users.clone(),
        excluded_creators: f.filter.excluded_users.clone(),
        within: f.filter.within.clone(),
        outside: f.filter.outside.clone(),
    }
}

/// Extensions as `fileinfo` keeps them (`ext:CSV` finds `report.csv`).
fn lowercase(extensions: &[String]) -> Vec<String> {
    extensions.iter().map(|e| e.to_lowercase()).collect()
}

/// A term's words, letters and digits only, as the store's full-text file search wants them.
fn full_text_term(term: &Term) -> FullTextTerm {
    let (text, phrase) = match term {
        Term::Word(t) => (t, false),
        Term::Phrase(t) => (t, true),
    };
    FullTextTerm {
        words: text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect(),
        phrase,
    }
}
