//! The file index: a second tantivy index in `files/` under the search directory, with a
//! watermark of its own. A file is one document: id, channel, uploader, creation time,
//! its name's and its extracted content's words and prefixes, and its extension.

use super::document::IndexDoc;
use super::shared::{self, any_of, filter_clauses, finish, Common, Core, Text};
use crate::search::index::{
    Bulk, FileFilter, FileIndex, FileQuery, IndexError, IndexedFile, Watermark,
};
use std::path::Path;
use tantivy::query::{BooleanQuery, Occur, Query};
use tantivy::schema::{Field, Schema, FAST, INDEXED, STORED, STRING};
use tantivy::Term;

/// Files change far less often than posts: a smaller writer budget.
const WRITER_HEAP_BYTES: usize = 32 * 1024 * 1024;

struct Fields {
    common: Common,
    name: Text,
    content: Text,
    extension: Field,
}

pub struct TantivyFileIndex {
    core: Core,
    fields: Fields,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let common = Common {
        id: b.add_text_field("id", STRING | STORED),
        channel_id: b.add_text_field("channel_id", STRING),
        user_id: b.add_text_field("creator_id", STRING),
        create_at: b.add_i64_field("create_at", INDEXED | FAST),
    };
    let name = Text::add(&mut b, "name", "name_prefixes");
    let content = Text::add(&mut b, "content", "content_prefixes");
    let extension = b.add_text_field("extension", STRING);
    let fields = Fields {
        common,
        name,
        content,
        extension,
    };
    (b.build(), fields)
}

/// An `ext:` value as the index keeps extensions: lower-case, no leading dot.
fn extension(ext: &str) -> String {
    ext.trim_start_matches('.').to_lowercase()
}

impl TantivyFileIndex {
    /// Opens the index in `dir`, creating it when missing.
    pub fn open(dir: &Path) -> Result<Self, IndexError> {
        let (schema, fields) = schema();
        Ok(Self {
            core: Core::open(dir, schema, WRITER_HEAP_BYTES)?,
            fields,
        })
    }

    fn document(&self, file: &IndexedFile) -> IndexDoc {
        let f = &self.fields;
        let mut doc = IndexDoc::default();
        doc.add_text(f.common.id, &file.id);
        doc.add_text(f.common.channel_id, &file.channel_id);
        doc.add_text(f.common.user_id, &file.creator_id);
        doc.add_i64(f.common.create_at, file.create_at);
        f.name.index(&mut doc, &file.name);
        f.content.index(&mut doc, &file.content);
        doc.add_text(f.extension, extension(&file.extension));
        doc
    }

    /// A term matches the name or the content.
    fn filter_query(&self, file_filter: &FileFilter) -> Box<dyn Query> {
        let f = &self.fields;
        let mut clauses = filter_clauses(&f.common, &file_filter.filter, |term| {
            let either: Vec<(Occur, Box<dyn Query>)> = [f.name.query(term), f.content.query(term)]
                .into_iter()
                .flatten()
                .map(|q| (Occur::Should, q))
                .collect();
            (!either.is_empty()).then(|| Box::new(BooleanQuery::new(either)) as Box<dyn Query>)
        });
        for (extensions, occur) in [
            (&file_filter.extensions, Occur::Must),
            (&file_filter.excluded_extensions, Occur::MustNot),
        ] {
            if !extensions.is_empty() {
                let wanted: Vec<String> = extensions.iter().map(|e| extension(e)).collect();
                clauses.push((occur, shared::id_set(f.extension, &wanted)));
            }
        }
        finish(clauses)
    }
}

impl FileIndex for TantivyFileIndex {
    fn search_files(&self, query: &FileQuery) -> Result<Vec<String>, IndexError> {
        if query.scope.is_empty() || query.filters.is_empty() || query.limit == 0 {
            return Ok(Vec::new());
        }
        let matches = any_of(query.filters.iter().map(|f| self.filter_query(f)));
        let common = &self.fields.common;
        self.core
            .newest_ids(common, &query.scope, matches, query.offset, query.limit)
    }

    fn apply_files(
        &self,
        files: &[IndexedFile],
        new_before: i64,
        watermark: &Watermark,
    ) -> Result<(), IndexError> {
        self.core.commit(Some(watermark), |writer| {
            for file in files {
                if file.update_at >= new_before {
                    writer.delete_term(Term::from_field_text(self.fields.common.id, &file.id));
                }
                if file.searchable() {
                    writer
                        .add_document(self.document(file))
                        .map_err(shared::engine)?;
                }
            }
            Ok(())
        })
    }

    fn files_watermark(&self) -> Result<Option<Watermark>, IndexError> {
        self.core.watermark()
    }

    fn clear_files(&self) -> Result<(), IndexError> {
        self.core.clear()
    }

    fn bulk_files(&self, phase: Bulk) -> Result<(), IndexError> {
        self.core.bulk(phase)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::index::PostFilter;
    use crate::search::query::Term as Q;

    fn file(id: &str, name: &str, content: &str, create_at: i64) -> IndexedFile {
        IndexedFile {
            id: id.into(),
            channel_id: "c1".into(),
            creator_id: "u1".into(),
            post_id: "p1".into(),
            create_at,
            update_at: create_at,
            name: name.into(),
            extension: name.rsplit('.').next().unwrap_or_default().into(),
            content: content.into(),
            ..IndexedFile::default()
        }
    }

    fn query(terms: &[&str], extensions: &[&str], excluded: &[&str]) -> FileQuery {
        FileQuery {
            filters: vec![FileFilter {
                filter: PostFilter {
                    terms: terms.iter().map(|t| Q::Word(t.to_string())).collect(),
                    all_terms: true,
                    ..PostFilter::default()
                },
                extensions: extensions.iter().map(|e| e.to_string()).collect(),
                excluded_extensions: excluded.iter().map(|e| e.to_string()).collect(),
            }],
            scope: vec!["c1".into()],
            offset: 0,
            limit: 10,
        }
    }

    #[test]
    fn names_extensions_and_content_are_found_and_unattached_files_are_not() {
        let dir = std::env::temp_dir().join(format!("utmost-files-{}", utmost_model::new_id()));
        let index = TantivyFileIndex::open(&dir).unwrap();
        let mut unattached = file("f3", "hostname-draft.txt", "", 4);
        unattached.post_id.clear();
        let mut deleted = file("f4", "hostname-old.txt", "", 5);
        deleted.delete_at = 6;
        let files = [
            file("f0", "hostname-list.txt", "", 1),
            file("f1", "Report.PDF", "quarterly revenue figures", 2),
            file("f2", "notes.md", "the hostname of the build box", 3),
            unattached,
            deleted,
        ];
        let mark = Watermark {
            update_at: 5,
            post_id: "f4".into(),
        };
        index.apply_files(&files, i64::MIN, &mark).unwrap();
        let found = |q: FileQuery| index.search_files(&q).unwrap();
        assert_eq!(found(query(&["hostna"], &[], &[])), ["f2", "f0"]);
        assert_eq!(found(query(&["hostna"], &["txt"], &[])), ["f0"]);
        assert_eq!(found(query(&["hostna"], &[], &["txt"])), ["f2"]);
        assert_eq!(found(query(&[], &["pdf"], &[])), ["f1"]);
        assert_eq!(found(query(&["revenue", "quarter"], &[], &[])), ["f1"]);
        assert_eq!(found(query(&["hostname-list.txt"], &[], &[])), ["f0"]);
        assert_eq!(index.files_watermark().unwrap(), Some(mark));
        index.clear_files().unwrap();
        assert!(found(query(&["hostna"], &[], &[])).is_empty());
        assert_eq!(index.files_watermark().unwrap(), None);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
