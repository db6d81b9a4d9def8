//! The engine for several nodes: PostgreSQL full text over the `posts` table itself
//! (`store::full_text`). Every node searches the same rows, a post is found as soon as its
//! transaction commits, and nothing feeds it (the indexer does not run).

use super::index::{IndexError, PostFilter, PostQuery, SearchIndex};
use super::query::Term;
use tokio::runtime::Handle;
use utmost_store::full_text::{self, Filter, Text};
use utmost_store::Store;

pub struct FullTextIndex {
    store: Store,
    /// The runtime the database pool lives on; `search` is called off it, on a blocking
    /// thread, and waits there for the query.
    runtime: Handle,
}

impl FullTextIndex {
    /// Must be called on the runtime that serves the store.
    pub fn new(store: Store) -> Self {
        Self {
            store,
            runtime: Handle::current(),
        }
    }
}

fn text(term: &Term) -> Text<'_> {
    match term {
        Term::Word(t) => Text::Word(t),
        Term::Phrase(t) => Text::Phrase(t),
    }
}

fn filter(f: &PostFilter) -> Filter<'_> {
    Filter {
        terms: f.terms.iter().map(text).collect(),
        excluded_terms: f.excluded_terms.iter().map(text).collect(),
        hashtags: f.is_hashtag,
        all_terms: f.all_terms,
        channels: &f.channels,
        excluded_channels: &f.excluded_channels,
        users: &f.users,
        excluded_users: &f.excluded_users,
        within: &f.within,
        outside: &f.outside,
    }
}

impl SearchIndex for FullTextIndex {
    fn search(&self, query: &PostQuery) -> Result<Vec<String>, IndexError> {
        let filters: Vec<Filter<'_>> = query.filters.iter().map(filter).collect();
        let offset = i64::try_from(query.offset).unwrap_or(i64::MAX);
        let limit = i64::try_from(query.limit).unwrap_or(0);
        self.runtime
            .block_on(full_text::search(
                &self.store,
                &query.scope,
                &filters,
                offset,
                limit,
            ))
            .map_err(|e| IndexError::Engine(e.to_string()))
    }
}
