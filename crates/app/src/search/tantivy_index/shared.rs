//! What the tantivy engines share: one index in one directory, its lazily taken writer,
//! commits that carry the watermark, newest-first id searches, and the pieces every
//! document and query is built from (the clauses of a `PostFilter`, a typed term).

use super::super::analyzer::{self, MAX_PREFIX};
use super::super::index::{Bulk, IndexError, PostFilter, Watermark};
use super::super::query::Term as QueryTerm;
use super::document::IndexDoc;
use super::tokenizer;
use std::ops::Bound;
use std::path::Path;
use std::sync::{Arc, Mutex};
use tantivy::collector::TopDocs;
use tantivy::directory::error::LockError;
use tantivy::directory::{Directory, MmapDirectory, INDEX_WRITER_LOCK};
use tantivy::indexer::{DefaultMergePolicy, NoMergePolicy};
use tantivy::query::{
    AllQuery, BooleanQuery, Occur, PhrasePrefixQuery, PhraseQuery, Query, RangeQuery, RegexQuery,
    TermQuery, TermSetQuery,
};
use tantivy::schema::{
    Field, IndexRecordOption, Schema, SchemaBuilder, TextFieldIndexing, TextOptions, Value,
};
use tantivy::{
    Index, IndexBuilder, IndexReader, IndexWriter, Order, ReloadPolicy, TantivyDocument,
    TantivyError, Term,
};

pub(super) struct Core {
    index: Index,
    reader: IndexReader,
    /// Taken on the first write: an admin command that only reads never locks the index
    /// away from the server.
    writer: Mutex<Option<IndexWriter<IndexDoc>>>,
    /// The writer's memory budget; tantivy flushes a segment when it is reached.
    heap_bytes: usize,
}

pub(super) fn engine(e: TantivyError) -> IndexError {
    match e {
        TantivyError::LockFailure(..) => IndexError::Locked,
        e => IndexError::Engine(e.to_string()),
    }
}

impl Core {
    /// Opens the index in `dir`, creating it (and the directory) when missing, or anew when
    /// it was written with another schema (an older version's tokens): empty and without a
    /// watermark, the indexer rebuilds it from the database as it does a missing one.
    pub(super) fn open(dir: &Path, schema: Schema, heap_bytes: usize) -> Result<Self, IndexError> {
        std::fs::create_dir_all(dir).map_err(io)?;
        let directory = MmapDirectory::open(dir).map_err(io)?;
        let open = || {
            IndexBuilder::new()
                .schema(schema.clone())
                .tokenizers(tokenizer::manager())
                .open_or_create(directory.clone())
        };
        let index = match open() {
            Err(TantivyError::SchemaError(_)) => {
                remove_index(dir, &directory)?;
                open()
            }
            opened => opened,
        }
        .map_err(engine)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::OnCommitWithDelay)
            .try_into()
            .map_err(engine)?;
        Ok(Self {
            index,
            reader,
            writer: Mutex::new(None),
            heap_bytes,
        })
    }

    #[cfg(test)]
    pub(super) fn schema(&self) -> Schema {
        self.index.schema()
    }

    /// Runs `work` on the writer, taken on first use.
    fn with_writer<T>(
        &self,
        work: impl FnOnce(&mut IndexWriter<IndexDoc>) -> Result<T, IndexError>,
    ) -> Result<T, IndexError> {
        let mut slot = self
            .writer
            .lock()
            .map_err(|_| IndexError::Engine("the index writer's lock is poisoned".into()))?;
        if slot.is_none() {
            *slot = Some(self.index.writer(self.heap_bytes).map_err(engine)?);
        }
        let Some(writer) = slot.as_mut() else {
            return Err(IndexError::Engine("no index writer".into()));
        };
        work(writer)
    }

    /// Runs `change` on the writer, then commits it with `watermark` (none: the watermark
    /// goes too, as after a clear) in one commit.
    pub(super) fn commit(
        &self,
        watermark: Option<&Watermark>,
        change: impl FnOnce(&mut IndexWriter<IndexDoc>) -> Result<(), IndexError>,
    ) -> Result<(), IndexError> {
        self.with_writer(|writer| {
            change(writer)?;
            let mut commit = writer.prepare_commit().map_err(engine)?;
            if let Some(mark) = watermark {
                let payload = serde_json::json!({
                    "update_at": mark.update_at,
                    "post_id": mark.post_id,
                });
                commit.set_payload(&payload.to_string());
            }
            commit.commit().map_err(engine)?;
            // This process's searches see the commit at once; others within the reload delay.
            self.reader.reload().map_err(engine)
        })
    }

    /// `Bulk::Start`: no merges while a rebuild commits segment after segment. `Bulk::End`:
    /// the segments merged into one (the watermark kept), merges as usual from then on.
    pub(super) fn bulk(&self, phase: Bulk) -> Result<(), IndexError> {
        self.with_writer(|writer| {
            if phase == Bulk::Start {
                writer.set_merge_policy(Box::new(NoMergePolicy));
                return Ok(());
            }
            writer.set_merge_policy(Box::new(DefaultMergePolicy::default()));
            let segments = self.index.searchable_segment_ids().map_err(engine)?;
            if segments.len() > 1 {
                writer.merge(&segments).wait().map_err(engine)?;
                writer.garbage_collect_files().wait().map_err(engine)?;
                self.reader.reload().map_err(engine)?;
            }
            Ok(())
        })
    }

    #[cfg(test)]
    pub(super) fn segments(&self) -> usize {
        self.index
            .searchable_segment_ids()
            .map_or(0, |ids| ids.len())
    }

    /// Empties the index and its watermark in one commit.
    pub(super) fn clear(&self) -> Result<(), IndexError> {
        self.commit(None, |writer| {
            writer.delete_all_documents().map(|_| ()).map_err(engine)
        })
    }

    pub(super) fn watermark(&self) -> Result<Option<Watermark>, IndexError> {
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

    /// The stored `id` of the documents matching `query` inside `scope` (channel ids),
    /// newest `create_at` first, `limit` from `offset`.
    pub(super) fn newest_ids(
        &self,
        common: &Common,
        scope: &[String],
        query: Box<dyn Query>,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<String>, IndexError> {
        let q = BooleanQuery::new(vec![
            (Occur::Must, id_set(common.channel_id, scope)),
            (Occur::Must, query),
        ]);
        let searcher = self.reader.searcher();
        let collector = TopDocs::with_limit(limit)
            .and_offset(offset)
            .order_by_fast_field::<i64>("create_at", Order::Desc);
        let hits = searcher.search(&q, &collector).map_err(engine)?;
        let mut ids = Vec::with_capacity(hits.len());
        for (_, address) in hits {
            let doc: TantivyDocument = searcher.doc(address).map_err(engine)?;
            if let Some(id) = doc.get_first(common.id).and_then(|v| v.as_str()) {
                ids.push(id.to_string());
            }
        }
        Ok(ids)
    }
}

/// The fields every document kind has: its id, channel, author and creation time (a fast
/// field, so results come newest first without scoring).
pub(super) struct Common {
    pub id: Field,
    pub channel_id: Field,
    pub user_id: Field,
    pub create_at: Field,
}

/// A text's words with positions (phrases) and the words' prefixes (partial words).
#[derive(Clone, Copy)]
pub(super) struct Text {
    pub words: Field,
    pub prefixes: Field,
}

/// Options of a field cut by `tokenizer` (no field norms: results are ordered by time).
pub(super) fn tokenized_options(tokenizer: &str, record: IndexRecordOption) -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(tokenizer)
            .set_index_option(record)
            .set_fieldnorms(false),
    )
}

impl Text {
    /// Adds the two fields to `schema`, named `words` and `prefixes`.
    pub(super) fn add(schema: &mut SchemaBuilder, words: &str, prefixes: &str) -> Self {
        Self {
            words: schema.add_text_field(
                words,
                tokenized_options(tokenizer::WORDS, IndexRecordOption::WithFreqsAndPositions),
            ),
            prefixes: schema.add_text_field(
                prefixes,
                tokenized_options(tokenizer::PREFIXES, IndexRecordOption::Basic),
            ),
        }
    }

    /// Adds `text` to `doc`, for its words and their prefixes (cut by the fields' tokenizers).
    pub(super) fn index(&self, doc: &mut IndexDoc, text: &str) {
        let text: Arc<str> = Arc::from(text);
        doc.add_shared_text(self.words, Arc::clone(&text));
        doc.add_shared_text(self.prefixes, text);
    }

    /// A typed term: a word matches whole words or their beginnings; several words (a
    /// dotted host name, an e-mail address) match in order, the last as a beginning; a
    /// quoted phrase matches whole words in order.
    pub(super) fn query(&self, term: &QueryTerm) -> Option<Box<dyn Query>> {
        let (text, phrase) = match term {
            QueryTerm::Word(t) => (t, false),
            QueryTerm::Phrase(t) => (t, true),
        };
        let words: Vec<String> = analyzer::words(text).into_iter().map(|t| t.text).collect();
        let word_terms = || {
            words
                .iter()
                .map(|w| Term::from_field_text(self.words, w))
                .collect()
        };
        Some(match (words.as_slice(), phrase) {
            ([], _) => return None,
            ([word], true) => Box::new(TermQuery::new(
                Term::from_field_text(self.words, word),
                IndexRecordOption::Basic,
            )),
            // The word itself, or a longer word it begins (the prefixes hold no whole word).
            ([word], false) if word.chars().count() <= MAX_PREFIX => {
                let term = |field| -> Box<dyn Query> {
                    let term = Term::from_field_text(field, word);
                    Box::new(TermQuery::new(term, IndexRecordOption::Basic))
                };
                Box::new(BooleanQuery::new(vec![
                    (Occur::Should, term(self.words)),
                    (Occur::Should, term(self.prefixes)),
                ]))
            }
            // Words hold letters and digits only, so the pattern needs no escaping.
            ([word], false) => {
                Box::new(RegexQuery::from_pattern(&format!("{word}.*"), self.words).ok()?)
            }
            (_, true) => Box::new(PhraseQuery::new(word_terms())),
            (_, false) => Box::new(PhrasePrefixQuery::new(word_terms())),
        })
    }
}

/// The clauses of `filter`: its terms (each through `term`), the excluded ones, the
/// channels, authors and dates. `finish` makes them a query.
pub(super) fn filter_clauses(
    common: &Common,
    filter: &PostFilter,
    term: impl Fn(&QueryTerm) -> Option<Box<dyn Query>>,
) -> Vec<(Occur, Box<dyn Query>)> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let terms: Vec<Box<dyn Query>> = filter.terms.iter().filter_map(&term).collect();
    if filter.all_terms {
        clauses.extend(terms.into_iter().map(|q| (Occur::Must, q)));
    } else if !terms.is_empty() {
        let any = terms.into_iter().map(|q| (Occur::Should, q)).collect();
        clauses.push((Occur::Must, Box::new(BooleanQuery::new(any))));
    }
    for excluded in &filter.excluded_terms {
        if let Some(q) = term(excluded) {
            clauses.push((Occur::MustNot, q));
        }
    }
    for (field, ids, occur) in [
        (common.channel_id, &filter.channels, Occur::Must),
        (common.channel_id, &filter.excluded_channels, Occur::MustNot),
        (common.user_id, &filter.users, Occur::Must),
        (common.user_id, &filter.excluded_users, Occur::MustNot),
    ] {
        if !ids.is_empty() {
            clauses.push((occur, id_set(field, ids)));
        }
    }
    for (from, to) in &filter.within {
        clauses.push((Occur::Must, created_between(common, *from, *to)));
    }
    for (from, to) in &filter.outside {
        clauses.push((Occur::MustNot, created_between(common, *from, *to)));
    }
    clauses
}

/// The query of a filter's clauses.
pub(super) fn finish(mut clauses: Vec<(Occur, Box<dyn Query>)>) -> Box<dyn Query> {
    if !clauses.iter().any(|(occur, _)| *occur == Occur::Must) {
        // Exclusions alone match nothing in a boolean query: exclude from everything.
        clauses.push((Occur::Must, Box::new(AllQuery)));
    }
    Box::new(BooleanQuery::new(clauses))
}

/// Any of `queries` (each filter of a search).
pub(super) fn any_of(queries: impl Iterator<Item = Box<dyn Query>>) -> Box<dyn Query> {
    Box::new(BooleanQuery::new(
        queries.map(|q| (Occur::Should, q)).collect(),
    ))
}

fn created_between(common: &Common, from: i64, to: i64) -> Box<dyn Query> {
    Box::new(RangeQuery::new(
        Bound::Included(Term::from_field_i64(common.create_at, from)),
        Bound::Included(Term::from_field_i64(common.create_at, to)),
    ))
}

pub(super) fn id_set(field: Field, ids: &[String]) -> Box<dyn Query> {
    Box::new(TermSetQuery::new(
        ids.iter().map(|id| Term::from_field_text(field, id)),
    ))
}

fn io(e: impl std::fmt::Display) -> IndexError {
    IndexError::Engine(e.to_string())
}

/// Removes the index in `dir` (its files; the file index's directory inside the post
/// index's is kept), unless a writer holds it.
fn remove_index(dir: &Path, directory: &MmapDirectory) -> Result<(), IndexError> {
    let _lock = directory
        .acquire_lock(&INDEX_WRITER_LOCK)
        .map_err(|e| match e {
            LockError::LockBusy => IndexError::Locked,
            e => io(e),
        })?;
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let entry = entry.map_err(io)?;
        let is_lock = entry.file_name().to_string_lossy().ends_with(".lock");
        if entry.file_type().map_err(io)?.is_file() && !is_lock {
            std::fs::remove_file(entry.path()).map_err(io)?;
        }
    }
    Ok(())
}
