//! The single-node engine: tantivy indexes under the search directory, one for posts
//! (this module) and one for files (`files`), sharing `core`.
//!
//! Each post is one document: its id, channel, author and creation time (a fast field, so
//! results come newest first without scoring), its words with positions (phrases), its
//! words' prefixes (partial words) and its hashtags. tantivy cuts the words with the
//! tokenizers of `tokenizer`, which cut by `analyzer` as the queries do.

mod document;
pub mod files;
mod shared;
mod tokenizer;

use self::document::IndexDoc;
use self::shared::{any_of, filter_clauses, finish, Common, Core, Text};
use super::index::{
    Bulk, IndexError, IndexedPost, PostFilter, PostQuery, SearchIndex, Watermark, WrittenIndex,
};
use super::query::Term as QueryTerm;
use std::path::Path;
use tantivy::query::{Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, Schema, FAST, INDEXED, STORED, STRING};
use tantivy::Term;

/// The writer's memory budget; tantivy flushes a segment when it is reached.
const WRITER_HEAP_BYTES: usize = 64 * 1024 * 1024;

struct Fields {
    common: Common,
    message: Text,
    hashtags: Field,
}

pub struct TantivyIndex {
    core: Core,
    fields: Fields,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let common = Common {
        id: b.add_text_field("id", STRING | STORED),
        channel_id: b.add_text_field("channel_id", STRING),
        user_id: b.add_text_field("user_id", STRING),
        create_at: b.add_i64_field("create_at", INDEXED | FAST),
    };
    let message = Text::add(&mut b, "words", "prefixes");
    let hashtags = b.add_text_field(
        "hashtags",
        shared::tokenized_options(tokenizer::HASHTAGS, IndexRecordOption::Basic),
    );
    let fields = Fields {
        common,
        message,
        hashtags,
    };
    (b.build(), fields)
}

impl TantivyIndex {
    /// Opens the index in `dir`, creating it (and the directory) when missing.
    pub fn open(dir: &Path) -> Result<Self, IndexError> {
        let (schema, fields) = schema();
        Ok(Self {
            core: Core::open(dir, schema, WRITER_HEAP_BYTES)?,
            fields,
        })
    }

    fn document(&self, post: &IndexedPost) -> IndexDoc {
        let f = &self.fields;
        let mut doc = IndexDoc::default();
        doc.add_text(f.common.id, &post.id);
        doc.add_text(f.common.channel_id, &post.channel_id);
        doc.add_text(f.common.user_id, &post.user_id);
        doc.add_i64(f.common.create_at, post.create_at);
        f.message.index(&mut doc, &post.message);
        doc.add_text(f.hashtags, &post.hashtags);
        doc
    }

    fn filter_query(&self, filter: &PostFilter) -> Box<dyn Query> {
        let clauses = filter_clauses(&self.fields.common, filter, |t| {
            self.term_query(t, filter.is_hashtag)
        });
        finish(clauses)
    }

    /// A typed term against the message, or a hashtag against the post's tags (whole).
    fn term_query(&self, term: &QueryTerm, hashtag: bool) -> Option<Box<dyn Query>> {
        if !hashtag {
            return self.fields.message.query(term);
        }
        let (QueryTerm::Word(text) | QueryTerm::Phrase(text)) = term;
        let term = Term::from_field_text(self.fields.hashtags, &text.to_lowercase());
        Some(Box::new(TermQuery::new(term, IndexRecordOption::Basic)))
    }
}

impl SearchIndex for TantivyIndex {
    fn search(&self, query: &PostQuery) -> Result<Vec<String>, IndexError> {
        if query.scope.is_empty() || query.filters.is_empty() || query.limit == 0 {
            return Ok(Vec::new());
        }
        let matches = any_of(query.filters.iter().map(|f| self.filter_query(f)));
        let common = &self.fields.common;
        self.core
            .newest_ids(common, &query.scope, matches, query.offset, query.limit)
    }
}

impl WrittenIndex for TantivyIndex {
    fn apply(
        &self,
        posts: &[IndexedPost],
        new_before: i64,
        watermark: &Watermark,
    ) -> Result<(), IndexError> {
        self.core.commit(Some(watermark), |writer| {
            for post in posts {
                // Each delete is looked up in every segment at the commit: a rebuild,
                // which writes many segments, skips the posts it knows are new.
                if post.update_at >= new_before {
                    writer.delete_term(Term::from_field_text(self.fields.common.id, &post.id));
                }
                if post.searchable() {
                    writer
                        .add_document(self.document(post))
                        .map_err(shared::engine)?;
                }
            }
            Ok(())
        })
    }

    fn clear(&self) -> Result<(), IndexError> {
        self.core.clear()
    }

    fn bulk(&self, phase: Bulk) -> Result<(), IndexError> {
        self.core.bulk(phase)
    }

    fn watermark(&self) -> Result<Option<Watermark>, IndexError> {
        self.core.watermark()
    }
}

#[cfg(test)]
mod tests;
