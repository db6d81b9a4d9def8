//! The seam between search and its engines: `SearchIndex`, what an engine is asked, and
//! `WrittenIndex`, what an engine with an index of its own is fed. The tantivy engine
//! (`tantivy_index`) serves one node and is fed by the indexer; the PostgreSQL full-text
//! engine (`full_text_index`, several nodes) searches the `posts` table itself and is fed
//! by nothing.

use super::query::Term;

/// Where indexing has reached: the last post (by update time, then id) whose state is in
/// the index. It is committed with the documents, so the index and its watermark never
/// disagree, whatever moment the process dies at.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Watermark {
    pub update_at: i64,
    pub post_id: String,
}

/// A post as the index needs it; a deleted one (or a system message, which search never
/// shows) is removed from the index.
#[derive(Debug, Clone, Default)]
pub struct IndexedPost {
    pub id: String,
    pub channel_id: String,
    pub user_id: String,
    pub create_at: i64,
    pub update_at: i64,
    pub delete_at: i64,
    pub post_type: String,
    pub message: String,
    /// Space-separated `#tags`, as Mattermost stores them.
    pub hashtags: String,
}

impl IndexedPost {
    pub fn searchable(&self) -> bool {
        self.delete_at == 0 && !self.post_type.starts_with("system_")
    }
}

/// One parameter set with names resolved to ids and dates to millisecond ranges.
#[derive(Debug, Clone, Default)]
pub struct PostFilter {
    pub terms: Vec<Term>,
    pub excluded_terms: Vec<Term>,
    pub is_hashtag: bool,
    /// Every term must match (false: `is_or_search`, any one is enough).
    pub all_terms: bool,
    /// `in:` channels (empty: any channel of the scope).
    pub channels: Vec<String>,
    pub excluded_channels: Vec<String>,
    pub users: Vec<String>,
    pub excluded_users: Vec<String>,
    /// Inclusive `create_at` ranges a post must fall in.
    pub within: Vec<(i64, i64)>,
    /// Inclusive `create_at` ranges a post must not fall in.
    pub outside: Vec<(i64, i64)>,
}

/// A search: the union of its filters' matches, inside the channels the reader may see.
#[derive(Debug, Clone, Default)]
pub struct PostQuery {
    pub filters: Vec<PostFilter>,
    /// The reader's searchable channels; nothing outside them is ever returned.
    pub scope: Vec<String>,
    pub offset: usize,
    pub limit: usize,
}

#[derive(Debug)]
pub enum IndexError {
    Engine(String),
    /// Another process holds the index for writing (an admin command beside the server).
    Locked,
}

impl std::fmt::Display for IndexError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            IndexError::Engine(cause) => write!(f, "search index: {cause}"),
            IndexError::Locked => f.write_str("the search index is locked by another process"),
        }
    }
}

impl std::error::Error for IndexError {}

/// A search engine for posts.
pub trait SearchIndex: Send + Sync + 'static {
    /// Ids of the posts matching `query`, newest first, `query.limit` at most from
    /// `query.offset`. Blocking: call it off the async workers.
    fn search(&self, query: &PostQuery) -> Result<Vec<String>, IndexError>;
}

/// An engine with an index of its own, which the indexer keeps in step with the database.
pub trait WrittenIndex: SearchIndex {
    /// Writes `posts` (each replacing what the index held for its id, or removing it when
    /// it is no longer searchable) and `watermark` in one commit. Posts last updated before
    /// `new_before` are known not to be in the index (a rebuild's walk), so nothing is
    /// looked for to replace; `i64::MIN` for none. Blocking.
    fn apply(
        &self,
        posts: &[IndexedPost],
        new_before: i64,
        watermark: &Watermark,
    ) -> Result<(), IndexError>;

    /// The watermark of the last commit; `None` for an empty index. Blocking.
    fn watermark(&self) -> Result<Option<Watermark>, IndexError>;

    /// Empties the index and its watermark in one commit (a rebuild follows). Blocking.
    fn clear(&self) -> Result<(), IndexError>;

    /// `Bulk::Start` holds merges back while a rebuild writes; `Bulk::End` merges what it
    /// wrote and lets merges run again. Blocking.
    fn bulk(&self, phase: Bulk) -> Result<(), IndexError>;
}

/// The two ends of a rebuild, for an engine that writes its index in segments: merging
/// them as they come would merge most documents several times over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bulk {
    Start,
    End,
}

/// A file as the file index needs it (a `fileinfo` row); one not attached to a live post
/// is removed from the index. Its watermark's `post_id` holds the file's id.
#[derive(Debug, Clone, Default)]
pub struct IndexedFile {
    pub id: String,
    pub channel_id: String,
    pub creator_id: String,
    pub post_id: String,
    pub create_at: i64,
    pub update_at: i64,
    pub delete_at: i64,
    pub name: String,
    pub extension: String,
    /// The text extracted from the file.
    pub content: String,
}

impl IndexedFile {
    /// Unattached uploads are not searchable: they are not in any conversation yet.
    pub fn searchable(&self) -> bool {
        self.delete_at == 0 && !self.post_id.is_empty()
    }
}

/// One parameter set of a file search: a post filter (its terms match the file's name or
/// content, `users` its uploader) and the `ext:` extensions, lower-case without a dot.
#[derive(Debug, Clone, Default)]
pub struct FileFilter {
    pub filter: PostFilter,
    pub extensions: Vec<String>,
    pub excluded_extensions: Vec<String>,
}

/// A file search: the union of its filters' matches, inside the reader's channels.
#[derive(Debug, Clone, Default)]
pub struct FileQuery {
    pub filters: Vec<FileFilter>,
    pub scope: Vec<String>,
    pub offset: usize,
    pub limit: usize,
}

/// A search engine for files: the same contract as `SearchIndex`, over files, with a
/// watermark of its own (`fileinfo` rows by update time, then id).
pub trait FileIndex: Send + Sync + 'static {
    /// Ids of the files matching `query`, newest first. Blocking.
    fn search_files(&self, query: &FileQuery) -> Result<Vec<String>, IndexError>;

    /// Writes `files` and `watermark` in one commit, as `WrittenIndex::apply`. Blocking.
    fn apply_files(
        &self,
        files: &[IndexedFile],
        new_before: i64,
        watermark: &Watermark,
    ) -> Result<(), IndexError>;

    /// The watermark of the last commit; `None` for an empty index. Blocking.
    fn files_watermark(&self) -> Result<Option<Watermark>, IndexError>;

    /// Empties the index and its watermark in one commit. Blocking.
    fn clear_files(&self) -> Result<(), IndexError>;

    /// As `WrittenIndex::bulk`. Blocking.
    fn bulk_files(&self, phase: Bulk) -> Result<(), IndexError>;
}
