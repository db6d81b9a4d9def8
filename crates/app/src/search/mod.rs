//! Post search (Mattermost's `SearchPostsForUser`): the query language (`query`), the
//! engine seam (`index::SearchIndex`), the single-node engine (`tantivy_index`) and the
//! indexer service that keeps it current (`indexer`), the PostgreSQL full-text engine for
//! several nodes (`full_text_index`), and the reindexing job (`reindex_job`).
//! File search (`files`) shares the parsing, the names and the channel scope (`Prepared`).
//!
//! What a reader may see is decided at query time: the search is confined to the channels
//! the reader is a member of (archived ones only when asked and allowed, public ones not
//! joined only when configured), so a membership change needs no reindexing.

mod analyzer;
pub mod files;
mod full_text_index;
pub mod index;
pub mod indexer;
pub mod query;
pub mod reindex_job;
mod results;
mod tantivy_index;

use crate::errors::PostError;
use crate::{App, AppResult};
use index::{FileIndex, PostFilter, PostQuery, SearchIndex, WrittenIndex};
use query::SearchParams;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use tokio::sync::Notify;
use utmost_config::Config;
use utmost_model::id::{direct_channel_name, group_channel_name};
use utmost_model::session::Session;
use utmost_model::AppError;
use utmost_store::search::{self as store, ChannelScope, SearchableChannel};
use utmost_store::{DbKind, Deleted, Store};

pub use results::PostSearchResults;

/// Mattermost's default page size for search.
pub const DEFAULT_PER_PAGE: i64 = 60;
/// The largest page a search returns.
pub const MAX_PER_PAGE: i64 = 200;
/// How deep paging may go: a search never collects more hits than this.
pub const MAX_DEPTH: i64 = 10_000;

/// The search engines; which one a process uses is chosen at start (`Engine::chosen`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// The tantivy index in a directory of this node, fed by the indexer.
    Tantivy,
    /// PostgreSQL full text over the `posts` table, shared by every node.
    PostgresFullText,
}

impl Engine {
    /// On PostgreSQL, full text when several nodes share the database
    /// (`ClusterSettings.Enable`: a tantivy index belongs to one node) or when
    /// `BleveSettings.EnableIndexing` is off (Mattermost's database search); tantivy
    /// otherwise, and always on SQLite.
    pub fn chosen(config: &Config, database: DbKind) -> Self {
        let shared = config.cluster_settings.enable || !config.bleve_settings.enable_indexing;
        if database == DbKind::Postgres && shared {
            Engine::PostgresFullText
        } else {
            Engine::Tantivy
        }
    }
}

/// The search engine of this process and, for an engine with an index of its own, what
/// keeps it current.
pub struct Search {
    pub(crate) engine: Engine,
    pub(crate) index: Arc<dyn SearchIndex>,
    /// The index the indexer feeds; `None` for PostgreSQL full text.
    pub(crate) written: Option<Arc<dyn WrittenIndex>>,
    /// Files (`files/` under the index directory), with a watermark of their own; `None`
    /// for PostgreSQL full text, which searches the `fileinfo` table itself.
    pub(crate) files: Option<Arc<dyn FileIndex>>,
    pub(crate) wake: Arc<Notify>,
    /// Posts created with a time older than the indexer looks back (a client may set
    /// `create_at`), which it indexes by id.
    pub(crate) backdated: Arc<indexer::Backdated>,
    /// Posts and files deleted for good, whose documents the indexer removes by id.
    pub(crate) purged: Arc<indexer::Purged>,
    /// The indexer's progress, held by whoever writes the index (the indexer or a rebuild).
    pub(crate) state: Arc<tokio::sync::Mutex<indexer::States>>,
}

impl Search {
    /// Opens the engine the configuration chooses; the tantivy indexes are opened (or
    /// created) where the configuration puts them.
    pub fn open(config: &Config, store: &Store) -> AppResult<Self> {
        let engine = Engine::chosen(config, store.kind());
        let failed = |e| AppError::internal("app.search.open_index.app_error", e);
        type Engines = (
            Arc<dyn SearchIndex>,
            Option<Arc<dyn WrittenIndex>>,
            Option<Arc<dyn FileIndex>>,
        );
        let (index, written, files): Engines = match engine {
            Engine::Tantivy => {
                let dir = index_dir(config);
                let index = Arc::new(tantivy_index::TantivyIndex::open(&dir).map_err(failed)?);
                let files = tantivy_index::files::TantivyFileIndex::open(&dir.join("files"))
                    .map_err(failed)?;
                (index.clone(), Some(index), Some(Arc::new(files)))
            }
            Engine::PostgresFullText => (
                Arc::new(full_text_index::FullTextIndex::new(store.clone())),
                None,
                None,
            ),
        };
        Ok(Self {
            engine,
            index,
            written,
            files,
            wake: Arc::new(Notify::new()),
            backdated: Arc::default(),
            purged: Arc::default(),
            state: Arc::default(),
        })
    }
}

impl App {
    /// The engine this process searches with.
    pub fn search_engine(&self) -> Engine {
        self.search.engine
    }

    /// How far (ms of post update time) this node's index is behind the `posts` table;
    /// `None` for an engine that searches the table itself.
    pub async fn search_index_lag(&self) -> AppResult<Option<i64>> {
        let Some(written) = self.search.written.clone() else {
            return Ok(None);
        };
        let failed = |e: String| AppError::internal("app.search.index_lag.app_error", e);
        let watermark = tokio::task::spawn_blocking(move || written.watermark())
            .await
            .map_err(|e| failed(e.to_string()))?
            .map_err(|e| failed(e.to_string()))?;
        let newest = store::newest_post_update(&self.store).await?;
        let indexed = watermark.map_or(0, |w| w.update_at);
        Ok(Some((newest - indexed).max(0)))
    }
}

/// `POST /bleve/purge_indexes`: empties the tantivy index (searches find nothing until a
/// reindexing job or a restart's catch-up fills it again, as after Mattermost's purge).
pub async fn purge_index(app: &App) -> AppResult<()> {
    let (Some(index), Some(files)) = (app.search.written.clone(), app.search.files.clone()) else {
        return Err(crate::errors::SearchError::BleveDisabled.into());
    };
    let _writer = app.search.state.lock().await;
    tokio::task::spawn_blocking(move || index.clear().and_then(|()| files.clear_files()))
        .await
        .map_err(|e| AppError::internal("app.search.purge.app_error", e))?
        .map_err(|e| AppError::internal("app.search.purge.app_error", e))
}

/// `BleveSettings.IndexDir`, or `<FileSettings.Directory>/search`.
pub fn index_dir(config: &Config) -> PathBuf {
    if config.bleve_settings.index_dir.is_empty() {
        PathBuf::from(&config.file_settings.directory).join("search")
    } else {
        PathBuf::from(&config.bleve_settings.index_dir)
    }
}

/// A search as the clients send it (`model.SearchParameter`).
#[derive(Debug, Clone)]
pub struct PostSearch {
    pub terms: String,
    pub is_or_search: bool,
    /// Seconds east of UTC of the reader's time zone, for `on:`, `before:` and `after:`.
    pub time_zone_offset: i64,
    pub include_deleted_channels: bool,
    pub page: i64,
    pub per_page: i64,
}

/// `SearchPostsForUser`: the posts matching `search` in the channels `session`'s user may
/// search, in `team_id` (with their direct and group messages) or in every team, newest
/// first, with the words each matched.
pub async fn search_posts(
    app: &App,
    session: &Session,
    team_id: Option<&str>,
    search: &PostSearch,
) -> AppResult<PostSearchResults> {
    if !app.config().service_settings.enable_post_search {
        return Err(PostError::SearchDisabled.into());
    }
    let Some(prepared) = Prepared::new(app, session, team_id, search).await? else {
        return Ok(PostSearchResults::default());
    };
    let query = PostQuery {
        filters: prepared.filters,
        scope: prepared.scope,
        offset: prepared.offset,
        limit: prepared.limit,
    };
    let index = app.search.index.clone();
    let ids = tokio::task::spawn_blocking(move || index.search(&query))
        .await
        .map_err(|e| AppError::internal("app.post.search.app_error", e))?
        .map_err(|e| AppError::internal("app.post.search.app_error", e))?;
    results::load(app, session, &ids, &prepared.sets).await
}

/// What post and file search share: the parsed query, each parameter set as a filter with
/// names resolved, the reader's searchable channels and the page.
pub(crate) struct Prepared {
    pub sets: Vec<SearchParams>,
    /// The filter of each set, in the same order.
    pub filters: Vec<PostFilter>,
    pub scope: Vec<String>,
    pub offset: usize,
    pub limit: usize,
}

impl Prepared {
    /// `None` when the search can find nothing (no terms, or a page past `MAX_DEPTH`).
    pub(crate) async fn new(
        app: &App,
        session: &Session,
        team_id: Option<&str>,
        search: &PostSearch,
    ) -> AppResult<Option<Self>> {
        let config = app.config();
        let sets = query::parse(&search.terms);
        let per_page = match search.per_page {
            n if n <= 0 => DEFAULT_PER_PAGE,
            n => n.min(MAX_PER_PAGE),
        };
        let offset = search.page.max(0).saturating_mul(per_page);
        if sets.is_empty() || offset >= MAX_DEPTH {
            return Ok(None);
        }
        let scope = ChannelScope {
            user_id: &session.user_id,
            team_id,
            // Archived channels are searched only where the clients may show them.
            archived: Deleted::included_if(
                search.include_deleted_channels
                    && config.team_settings.experimental_view_archived_channels,
            ),
            // Guests search only their own channels.
            public_unjoined: config
                .elasticsearch_settings
                .enable_search_public_channels_without_membership
                && !crate::guests::is_guest_session(session),
        };
        let channels = store::searchable_channels(&app.store, &scope).await?;
        let names = Names::resolve(app, &session.user_id, &sets).await?;
        let filters = sets
            .iter()
            .map(|set| filter(set, &channels, &names, search))
            .collect();
        Ok(Some(Self {
            sets,
            filters,
            scope: channels.into_iter().map(|c| c.id).collect(),
            offset: usize::try_from(offset).unwrap_or(0),
            limit: usize::try_from(per_page).unwrap_or(0),
        }))
    }
}

/// The users and direct-message channels the query names, by lower-case username.
struct Names {
    user_ids: HashMap<String, String>,
    me: String,
}

impl Names {
    async fn resolve(app: &App, me: &str, sets: &[SearchParams]) -> AppResult<Self> {
        let mut usernames: Vec<String> = Vec::new();
        for set in sets {
            let in_names = set.in_channels.iter().chain(&set.excluded_channels);
            let member_names = in_names
                .filter_map(|n| n.trim_start_matches('~').strip_prefix('@'))
                .flat_map(|members| members.split(','));
            let from_names = set.from_users.iter().chain(&set.excluded_users);
            for name in from_names.map(String::as_str).chain(member_names) {
                usernames.push(username(name));
            }
        }
        usernames.sort();
        usernames.dedup();
        let found = store::user_ids_by_usernames(&app.store, &usernames).await?;
        Ok(Self {
            user_ids: found.into_iter().map(|(id, name)| (name, id)).collect(),
            me: me.to_string(),
        })
    }

    /// `from:` values as user ids; a name that resolves to nobody stays as typed and so
    /// matches nothing, as in Mattermost.
    fn users(&self, names: &[String]) -> Vec<String> {
        names
            .iter()
            .map(|n| {
                let name = username(n);
                self.user_ids.get(&name).cloned().unwrap_or(name)
            })
            .collect()
    }

    /// `in:` values as channel ids, resolved among the searchable channels only: a channel
    /// name (a leading `~` aside), `@user` for the direct messages with that user, and
    /// `@alice,bob,…` (what the clients send for a group message: its members' usernames)
    /// for the group message of those users and the reader, as in Mattermost's
    /// `parseAndFetchChannelIdByNameFromInFilter`. An unresolved name matches nothing.
    fn channels(&self, names: &[String], searchable: &[SearchableChannel]) -> Vec<String> {
        let mut ids = Vec::new();
        for name in names {
            let typed = name.trim_start_matches('~');
            let wanted = match typed.strip_prefix('@') {
                Some(members) if members.contains(',') => {
                    self.group_name(members).unwrap_or_else(|| name.clone())
                }
                Some(user) => match self.user_ids.get(&username(user)) {
                    Some(id) => direct_channel_name(&self.me, id),
                    None => name.clone(),
                },
                None => typed.to_lowercase(),
            };
            let before = ids.len();
            ids.extend(
                searchable
                    .iter()
                    .filter(|c| c.name == wanted)
                    .map(|c| c.id.clone()),
            );
            if ids.len() == before {
                ids.push(name.clone());
            }
        }
        ids
    }

    /// The name of the group message of the users `members` lists and the reader (the
    /// clients list the reader too; older ones leave them out); `None` when a name is
    /// nobody's.
    fn group_name(&self, members: &str) -> Option<String> {
        let mut ids = members
            .split(',')
            .map(|u| self.user_ids.get(&username(u)).cloned())
            .collect::<Option<Vec<String>>>()?;
        ids.push(self.me.clone());
        ids.sort();
        ids.dedup();
        Some(group_channel_name(&ids))
    }
}

fn username(typed: &str) -> String {
    typed.trim_start_matches('@').to_lowercase()
}

fn filter(
    set: &SearchParams,
    searchable: &[SearchableChannel],
    names: &Names,
    search: &PostSearch,
) -> PostFilter {
    let (within, outside) = date_ranges(set, search.time_zone_offset);
    PostFilter {
        terms: set.terms.clone(),
        excluded_terms: set.excluded_terms.clone(),
        is_hashtag: set.is_hashtag,
        all_terms: !search.is_or_search,
        channels: names.channels(&set.in_channels, searchable),
        excluded_channels: names.channels(&set.excluded_channels, searchable),
        users: names.users(&set.from_users),
        excluded_users: names.users(&set.excluded_users),
        within,
        outside,
    }
}

/// Inclusive `create_at` bounds.
type Range = (i64, i64);

/// A range no post falls in: what an unreadable date asks for, as in Mattermost.
const NOTHING: Range = (1, 0);

/// The `create_at` ranges of `on:`, `after:`, `before:` and their exclusions. `on:` wins
/// over `after:`/`before:`; a date that does not parse keeps every post out, and an
/// excluded one that does not parse excludes nothing (Mattermost's SQL does the same).
fn date_ranges(set: &SearchParams, offset: i64) -> (Vec<Range>, Vec<Range>) {
    let day = |date: &str| query::day_millis(date, offset);
    let mut within = Vec::new();
    if !set.on_date.is_empty() {
        within.push(day(&set.on_date).unwrap_or(NOTHING));
    } else {
        if !set.after_date.is_empty() {
            within.push(day(&set.after_date).map_or(NOTHING, |(_, end)| (end + 1, i64::MAX)));
        }
        if !set.before_date.is_empty() {
            within.push(day(&set.before_date).map_or(NOTHING, |(start, _)| (i64::MIN, start - 1)));
        }
    }
    let mut outside = Vec::new();
    if let Some(range) = day(&set.excluded_date) {
        outside.push(range);
    }
    if let Some((_, end)) = day(&set.excluded_after_date) {
        outside.push((end + 1, i64::MAX));
    }
    if let Some((start, _)) = day(&set.excluded_before_date) {
        outside.push((i64::MIN, start - 1));
    }
    (within, outside)
}

/// Wakes the indexer when a post changes; the indexer reads the changes from the database.
pub struct IndexerWake;

impl crate::bus::Subscriber for IndexerWake {
    fn name(&self) -> &'static str {
        "search indexer wake-up"
    }

    fn on_event<'a>(
        &'a self,
        app: &'a App,
        event: &'a crate::bus::Event,
    ) -> crate::bus::BoxFuture<'a, ()> {
        use crate::bus::Event;
        match event {
            Event::PostCreated { post, .. } => {
                app.search.backdated.note(post);
                app.search.wake.notify_one();
            }
            Event::PostEdited { .. } | Event::PostDeleted { .. } => app.search.wake.notify_one(),
            Event::PostsPurged { post_ids, file_ids } => {
                app.search.purged.note(post_ids, file_ids);
                app.search.wake.notify_one();
            }
            _ => {}
        }
        Box::pin(async {})
    }
}
