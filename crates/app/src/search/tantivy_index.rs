//! The single-node engine: a tantivy index in a directory of its own.
//!
//! Each post is one document: its id, channel, author and creation time (a fast field, so
//! results come newest first without scoring), its words with positions (phrases), its
//! words' prefixes (partial words) and its hashtags. The words are cut by `analyzer`
//! before they reach tantivy, so the queries cut them the same way.

use super::analyzer::{self, MAX_PREFIX};
use super::index::{
    IndexError, IndexedPost, PostFilter, PostQuery, SearchIndex, Watermark, WrittenIndex,
};
use super::query::Term as QueryTerm;
use std::ops::Bound;
use std::path::Path;
use std::sync::Mutex;
use tantivy::collector::TopDocs;
use tantivy::query::{
    AllQuery, BooleanQuery, Occur, PhrasePrefixQuery, PhraseQuery, Query, RangeQuery, RegexQuery,
    TermQuery, TermSetQuery,
};
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value, FAST, INDEXED, STORED,
    STRING,
};
use tantivy::tokenizer::{PreTokenizedString, Token};
use tantivy::{
    Index, IndexReader, IndexWriter, Order, ReloadPolicy, TantivyDocument, TantivyError, Term,
};

/// The writer's memory budget; tantivy flushes a segment when it is reached.
const WRITER_HEAP_BYTES: usize = 64 * 1024 * 1024;

struct Fields {
    id: Field,
    channel_id: Field,
    user_id: Field,
    create_at: Field,
    words: Field,
    prefixes: Field,
    hashtags: Field,
}

pub struct TantivyIndex {
    index: Index,
    reader: IndexReader,
    /// Taken on the first write: an admin command that only reads never locks the index
    /// away from the server.
    writer: Mutex<Option<IndexWriter>>,
    fields: Fields,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let pre_tokenized = |record| {
        TextOptions::default()
            .set_indexing_options(TextFieldIndexing::default().set_index_option(record))
    };
    let fields = Fields {
        id: b.add_text_field("id", STRING | STORED),
        channel_id: b.add_text_field("channel_id", STRING),
        user_id: b.add_text_field("user_id", STRING),
        create_at: b.add_i64_field("create_at", INDEXED | FAST),
        words: b.add_text_field(
            "words",
            pre_tokenized(IndexRecordOption::WithFreqsAndPositions),
        ),
        prefixes: b.add_text_field("prefixes", pre_tokenized(IndexRecordOption::Basic)),
        hashtags: b.add_text_field("hashtags", pre_tokenized(IndexRecordOption::Basic)),
    };
    (b.build(), fields)
}

fn engine(e: TantivyError) -> IndexError {
    match e {
        TantivyError::LockFailure(..) => IndexError::Locked,
        e => IndexError::Engine(e.to_string()),
    }
}

impl TantivyIndex {
    /// Opens the index in `dir`, creating it (and the directory) when missing.
    pub fn open(dir: &Path) -> Result<Self, IndexError> {
        std::fs::create_dir_all(dir).map_err(|e| IndexError::Engine(e.to_string()))?;
        let (schema, fields) = schema();
        let directory = tantivy::directory::MmapDirectory::open(dir)
            .map_err(|e| IndexError::Engine(e.to_string()))?;
        let index = Index::open_or_create(directory, schema).map_err(engine)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::OnCommitWithDelay)
            .try_into()
            .map_err(engine)?;
        Ok(Self {
            index,
            reader,
            writer: Mutex::new(None),
            fields,
        })
    }

    /// The writer, taken on first use.
    fn writer(&self) -> Result<std::sync::MutexGuard<'_, Option<IndexWriter>>, IndexError> {
        let mut slot = self
            .writer
            .lock()
            .map_err(|_| IndexError::Engine("the index writer's lock is poisoned".into()))?;
        if slot.is_none() {
            *slot = Some(self.index.writer(WRITER_HEAP_BYTES).map_err(engine)?);
        }
        Ok(slot)
    }

    fn document(&self, post: &IndexedPost) -> TantivyDocument {
        let f = &self.fields;
        let mut doc = TantivyDocument::default();
        doc.add_text(f.id, &post.id);
        doc.add_text(f.channel_id, &post.channel_id);
        doc.add_text(f.user_id, &post.user_id);
        doc.add_i64(f.create_at, post.create_at);
        let words = analyzer::words(&post.message);
        let prefixes = analyzer::prefixes(&words);
        let tokens = words
            .iter()
            .map(|w| token(&w.text, w.position, w.from, w.to))
            .collect();
        doc.add_pre_tokenized_text(f.words, pre_tokenized(&post.message, tokens));
        doc.add_pre_tokenized_text(f.prefixes, plain_tokens(prefixes));
        let hashtags = post
            .hashtags
            .split_whitespace()
            .map(str::to_lowercase)
            .collect();
        doc.add_pre_tokenized_text(f.hashtags, plain_tokens(hashtags));
        doc
    }

    fn filter_query(&self, filter: &PostFilter) -> Box<dyn Query> {
        let f = &self.fields;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let terms: Vec<Box<dyn Query>> = filter
            .terms
            .iter()
            .filter_map(|t| self.term_query(t, filter.is_hashtag))
            .collect();
        if filter.all_terms {
            clauses.extend(terms.into_iter().map(|q| (Occur::Must, q)));
        } else if !terms.is_empty() {
            let any = terms.into_iter().map(|q| (Occur::Should, q)).collect();
            clauses.push((Occur::Must, Box::new(BooleanQuery::new(any))));
        }
        for term in &filter.excluded_terms {
            if let Some(q) = self.term_query(term, filter.is_hashtag) {
                clauses.push((Occur::MustNot, q));
            }
        }
        for (field, ids, occur) in [
            (f.channel_id, &filter.channels, Occur::Must),
            (f.channel_id, &filter.excluded_channels, Occur::MustNot),
            (f.user_id, &filter.users, Occur::Must),
            (f.user_id, &filter.excluded_users, Occur::MustNot),
        ] {
            if !ids.is_empty() {
                clauses.push((occur, id_set(field, ids)));
            }
        }
        for (from, to) in &filter.within {
            clauses.push((Occur::Must, self.created_between(*from, *to)));
        }
        for (from, to) in &filter.outside {
            clauses.push((Occur::MustNot, self.created_between(*from, *to)));
        }
        if !clauses.iter().any(|(occur, _)| *occur == Occur::Must) {
            // Exclusions alone match nothing in a boolean query: exclude from everything.
            clauses.push((Occur::Must, Box::new(AllQuery)));
        }
        Box::new(BooleanQuery::new(clauses))
    }

    /// A typed term: a word matches whole words or their beginnings; several words (a
    /// dotted host name, an e-mail address) match in order, the last as a beginning; a
    /// quoted phrase matches whole words in order.
    fn term_query(&self, term: &QueryTerm, hashtag: bool) -> Option<Box<dyn Query>> {
        let f = &self.fields;
        let (text, phrase) = match term {
            QueryTerm::Word(t) => (t, false),
            QueryTerm::Phrase(t) => (t, true),
        };
        if hashtag {
            let term = Term::from_field_text(f.hashtags, &text.to_lowercase());
            return Some(Box::new(TermQuery::new(term, IndexRecordOption::Basic)));
        }
        let words: Vec<String> = analyzer::words(text).into_iter().map(|t| t.text).collect();
        let word_terms = || {
            words
                .iter()
                .map(|w| Term::from_field_text(f.words, w))
                .collect()
        };
        Some(match (words.as_slice(), phrase) {
            ([], _) => return None,
            ([word], true) => Box::new(TermQuery::new(
                Term::from_field_text(f.words, word),
                IndexRecordOption::Basic,
            )),
            ([word], false) if word.chars().count() <= MAX_PREFIX => Box::new(TermQuery::new(
                Term::from_field_text(f.prefixes, word),
                IndexRecordOption::Basic,
            )),
            // Words hold letters and digits only, so the pattern needs no escaping.
            ([word], false) => {
                Box::new(RegexQuery::from_pattern(&format!("{word}.*"), f.words).ok()?)
            }
            (_, true) => Box::new(PhraseQuery::new(word_terms())),
            (_, false) => Box::new(PhrasePrefixQuery::new(word_terms())),
        })
    }

    fn created_between(&self, from: i64, to: i64) -> Box<dyn Query> {
        let f = self.fields.create_at;
        Box::new(RangeQuery::new(
            Bound::Included(Term::from_field_i64(f, from)),
            Bound::Included(Term::from_field_i64(f, to)),
        ))
    }
}

fn id_set(field: Field, ids: &[String]) -> Box<dyn Query> {
    Box::new(TermSetQuery::new(
        ids.iter().map(|id| Term::from_field_text(field, id)),
    ))
}

fn token(text: &str, position: usize, from: usize, to: usize) -> Token {
    Token {
        offset_from: from,
        offset_to: to,
        position,
        text: text.to_string(),
        position_length: 1,
    }
}

fn pre_tokenized(text: &str, tokens: Vec<Token>) -> PreTokenizedString {
    PreTokenizedString {
        text: text.to_string(),
        tokens,
    }
}

/// Tokens with no text behind them (prefixes, hashtags): positions only count.
fn plain_tokens(texts: Vec<String>) -> PreTokenizedString {
    let tokens = texts
        .into_iter()
        .enumerate()
        .map(|(i, t)| token(&t, i, 0, 0))
        .collect();
    pre_tokenized("", tokens)
}

impl SearchIndex for TantivyIndex {
    fn search(&self, query: &PostQuery) -> Result<Vec<String>, IndexError> {
        if query.scope.is_empty() || query.filters.is_empty() || query.limit == 0 {
            return Ok(Vec::new());
        }
        let matches: Vec<(Occur, Box<dyn Query>)> = query
            .filters
            .iter()
            .map(|filter| (Occur::Should, self.filter_query(filter)))
            .collect();
        let q = BooleanQuery::new(vec![
            (Occur::Must, id_set(self.fields.channel_id, &query.scope)),
            (Occur::Must, Box::new(BooleanQuery::new(matches))),
        ]);
        let searcher = self.reader.searcher();
        let collector = TopDocs::with_limit(query.limit)
            .and_offset(query.offset)
            .order_by_fast_field::<i64>("create_at", Order::Desc);
        let hits = searcher.search(&q, &collector).map_err(engine)?;
        let mut ids = Vec::with_capacity(hits.len());
        for (_, address) in hits {
            let doc: TantivyDocument = searcher.doc(address).map_err(engine)?;
            if let Some(id) = doc.get_first(self.fields.id).and_then(|v| v.as_str()) {
                ids.push(id.to_string());
            }
        }
        Ok(ids)
    }
}

impl WrittenIndex for TantivyIndex {
    fn apply(&self, posts: &[IndexedPost], watermark: &Watermark) -> Result<(), IndexError> {
        let mut slot = self.writer()?;
        let Some(writer) = slot.as_mut() else {
            return Err(IndexError::Engine("no index writer".into()));
        };
        for post in posts {
            writer.delete_term(Term::from_field_text(self.fields.id, &post.id));
            if post.searchable() {
                writer.add_document(self.document(post)).map_err(engine)?;
            }
        }
        let payload = serde_json::json!({
            "update_at": watermark.update_at,
            "post_id": watermark.post_id,
        });
        let mut commit = writer.prepare_commit().map_err(engine)?;
        commit.set_payload(&payload.to_string());
        commit.commit().map_err(engine)?;
        // This process's searches see the commit at once; others within the reload delay.
        self.reader.reload().map_err(engine)
    }

    fn clear(&self) -> Result<(), IndexError> {
        let mut slot = self.writer()?;
        let Some(writer) = slot.as_mut() else {
            return Err(IndexError::Engine("no index writer".into()));
        };
        writer.delete_all_documents().map_err(engine)?;
        // No payload: the watermark goes with the documents.
        writer
            .prepare_commit()
            .map_err(engine)?
            .commit()
            .map_err(engine)?;
        self.reader.reload().map_err(engine)
    }

    fn watermark(&self) -> Result<Option<Watermark>, IndexError> {
        let metas = self.index.load_metas().map_err(engine)?;
        let Some(payload) = metas.payload else {
            return Ok(None);
        };
        let value: serde_json::Value =
            serde_json::from_str(&payload).map_err(|e| IndexError::Engine(e.to_string()))?;
        Ok(Some(Watermark {
            update_at: value["update_at"].as_i64().unwrap_or(0),
            post_id: value["post_id"].as_str().unwrap_or_default().to_string(),
        }))
    }
}

#[cfg(test)]
mod tests;
