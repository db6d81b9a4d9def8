use super::*;
use crate::search::query::Term as Q;

struct Fixture {
    index: TantivyIndex,
    dir: std::path::PathBuf,
}

impl Drop for Fixture {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

const CHANNEL: &str = "c1";

fn fixture(messages: &[&str]) -> Fixture {
    let dir = std::env::temp_dir().join(format!("utmost-index-{}", utmost_model::new_id()));
    let index = TantivyIndex::open(&dir).unwrap();
    let posts: Vec<IndexedPost> = messages
        .iter()
        .enumerate()
        .map(|(i, m)| post(&format!("p{i}"), m, i as i64 + 1))
        .collect();
    index
        .apply(&posts, i64::MIN, &Watermark::default())
        .unwrap();
    Fixture { index, dir }
}

fn post(id: &str, message: &str, create_at: i64) -> IndexedPost {
    IndexedPost {
        id: id.into(),
        channel_id: CHANNEL.into(),
        user_id: "u1".into(),
        create_at,
        update_at: create_at,
        message: message.into(),
        ..IndexedPost::default()
    }
}

fn query(terms: Vec<Q>) -> PostQuery {
    PostQuery {
        filters: vec![PostFilter {
            terms,
            all_terms: true,
            ..PostFilter::default()
        }],
        scope: vec![CHANNEL.into()],
        offset: 0,
        limit: 100,
    }
}

fn find(f: &Fixture, typed: &str) -> Vec<String> {
    f.index.search(&query(vec![Q::Word(typed.into())])).unwrap()
}

#[test]
fn the_terms_users_report_as_broken_are_found() {
    let f = fixture(&[
        "ssh to hostname.example.com now",  // p0
        "write to alice.smith@example.org", // p1
        "attached quarterly_report-v2.pdf", // p2
        "the e-mail bounced",               // p3
        "set MAX_RETRY_COUNT to 5",         // p4
        "plain words only",                 // p5
    ]);
    let cases: [(&str, &[&str]); 12] = [
        ("hostna", &["p0"]),
        ("hostname.example.com", &["p0"]),
        ("example.com", &["p0"]),
        ("hostname.exa", &["p0"]),
        ("alice.smith@example.org", &["p1"]),
        ("alice.smith@exam", &["p1"]),
        ("quarterly_report-v2.pdf", &["p2"]),
        ("report", &["p2"]),
        ("e-mail", &["p3"]),
        ("max_retry", &["p4"]),
        ("RETRY_COUNT", &["p4"]),
        ("example", &["p1", "p0"]),
    ];
    for (typed, expected) in cases {
        assert_eq!(find(&f, typed), expected, "{typed}");
    }
    assert!(find(&f, "hostnames").is_empty());
}

#[test]
fn partial_words_phrases_and_long_words() {
    let f = fixture(&[
        "internationalization matters", // p0
        "release notes are out",        // p1
        "notes on the release",         // p2
    ]);
    assert_eq!(find(&f, "internationalizat"), ["p0"]); // longer than the indexed prefixes
    assert_eq!(find(&f, "internationalization"), ["p0"]);
    assert_eq!(find(&f, "rel"), ["p2", "p1"]);
    let phrase = query(vec![Q::Phrase("release notes".into())]);
    assert_eq!(f.index.search(&phrase).unwrap(), ["p1"]);
    // A phrase matches whole words only.
    let partial = query(vec![Q::Phrase("releas notes".into())]);
    assert!(f.index.search(&partial).unwrap().is_empty());
}

/// The prefixes hold no whole word: a typed word is found as a whole word too, at every
/// length up to and past the longest prefix.
#[test]
fn whole_words_of_every_length_are_found() {
    let f = fixture(&["a x", "abcdefghijklmnop", "abcdefghijklmnopq", "日 本"]);
    assert_eq!(find(&f, "a"), ["p2", "p1", "p0"]);
    assert_eq!(find(&f, "x"), ["p0"]);
    assert_eq!(find(&f, "abcdefghijklmno"), ["p2", "p1"]);
    assert_eq!(find(&f, "abcdefghijklmnop"), ["p2", "p1"]);
    assert_eq!(find(&f, "abcdefghijklmnopq"), ["p2"]);
    assert_eq!(find(&f, "日"), ["p3"]);
    assert_eq!(find(&f, "本"), ["p3"]);
}

#[test]
fn chinese_and_japanese_text_is_found_by_any_part() {
    let f = fixture(&["我们明天在东京开会", "会議は明日です", "nothing here"]);
    assert_eq!(find(&f, "东京"), ["p0"]);
    assert_eq!(find(&f, "东京开会"), ["p0"]);
    assert_eq!(find(&f, "京"), ["p0"]);
    assert_eq!(find(&f, "会議"), ["p1"]);
    assert_eq!(find(&f, "明日"), ["p1"]);
    assert!(find(&f, "东会").is_empty());
}

#[test]
fn filters_exclusions_dates_and_or_search() {
    let f = fixture(&["alpha beta", "alpha gamma", "beta gamma"]);
    let mut q = query(vec![Q::Word("alpha".into())]);
    q.filters[0].excluded_terms = vec![Q::Word("gamma".into())];
    assert_eq!(f.index.search(&q).unwrap(), ["p0"]);

    let mut q = query(vec![Q::Word("alpha".into()), Q::Word("beta".into())]);
    assert_eq!(f.index.search(&q).unwrap(), ["p0"]);
    q.filters[0].all_terms = false;
    assert_eq!(f.index.search(&q).unwrap(), ["p2", "p1", "p0"]);

    // create_at is 1, 2, 3.
    let mut q = query(vec![]);
    q.filters[0].within = vec![(2, 3)];
    q.filters[0].outside = vec![(3, 3)];
    assert_eq!(f.index.search(&q).unwrap(), ["p1"]);

    // Newest first, paged.
    let mut q = query(vec![Q::Word("gamma".into())]);
    q.limit = 1;
    q.offset = 1;
    assert_eq!(f.index.search(&q).unwrap(), ["p1"]);
}

#[test]
fn the_scope_is_never_left() {
    let f = fixture(&["secret plans"]);
    let mut q = query(vec![Q::Word("secret".into())]);
    q.scope = vec!["other".into()];
    assert!(f.index.search(&q).unwrap().is_empty());
    q.scope.clear();
    assert!(f.index.search(&q).unwrap().is_empty());
    // An `in:` channel outside the scope does not widen it.
    q.scope = vec!["other".into()];
    q.filters[0].channels = vec![CHANNEL.into()];
    assert!(f.index.search(&q).unwrap().is_empty());
}

#[test]
fn edits_and_deletes_replace_documents_and_the_watermark_is_committed_with_them() {
    let f = fixture(&["first draft"]);
    let mut edited = post("p0", "final text", 1);
    edited.update_at = 10;
    let mark = Watermark {
        update_at: 10,
        post_id: "p0".into(),
    };
    f.index.apply(&[edited.clone()], i64::MIN, &mark).unwrap();
    assert!(find(&f, "draft").is_empty());
    assert_eq!(find(&f, "final"), ["p0"]);
    edited.delete_at = 11;
    f.index.apply(&[edited], i64::MIN, &mark).unwrap();
    assert!(find(&f, "final").is_empty());
    // Reopened, as after a restart: the watermark came with the last commit.
    let reopened = TantivyIndex::open(&f.dir).unwrap();
    assert_eq!(reopened.watermark().unwrap(), Some(mark));
    drop(reopened);
    f.index
        .apply(&[post("p1", "again", 2)], i64::MIN, &Watermark::default())
        .unwrap();
    f.index.clear().unwrap();
    assert!(find(&f, "again").is_empty());
    assert_eq!(f.index.watermark().unwrap(), None);
}

#[test]
fn hashtags_match_whole_tags_and_system_messages_are_not_indexed() {
    let dir = std::env::temp_dir().join(format!("utmost-index-{}", utmost_model::new_id()));
    let index = TantivyIndex::open(&dir).unwrap();
    let mut tagged = post("p0", "see #Incident-42", 1);
    tagged.hashtags = "#Incident-42".into();
    let mut system = post("p1", "alice joined the channel", 2);
    system.post_type = "system_join_channel".into();
    index
        .apply(&[tagged, system], i64::MIN, &Watermark::default())
        .unwrap();
    let hashtag = |t: &str| PostQuery {
        filters: vec![PostFilter {
            terms: vec![Q::Word(t.into())],
            is_hashtag: true,
            all_terms: true,
            ..PostFilter::default()
        }],
        ..query(vec![])
    };
    assert_eq!(index.search(&hashtag("#incident-42")).unwrap(), ["p0"]);
    assert!(index.search(&hashtag("#incident")).unwrap().is_empty());
    assert!(index
        .search(&query(vec![Q::Word("joined".into())]))
        .unwrap()
        .is_empty());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn newest_first_across_commits() {
    let f = fixture(&["word new"]);
    let mut newer = post("p9", "word newer", 1_000_000_000_000);
    newer.update_at = 5;
    f.index
        .apply(
            &[
                post("a", "word a", 1_704_888_000_000),
                post("b", "word b", 1_704_934_800_000),
            ],
            i64::MIN,
            &Watermark::default(),
        )
        .unwrap();
    f.index
        .apply(&[newer], i64::MIN, &Watermark::default())
        .unwrap();
    assert_eq!(find(&f, "word"), ["b", "a", "p9", "p0"]);
}

#[test]
fn one_writer_at_a_time_and_readers_see_its_commits() {
    let f = fixture(&["written by the first"]);
    let second = TantivyIndex::open(&f.dir).unwrap();
    assert!(matches!(
        second.apply(&[post("x", "x", 1)], i64::MIN, &Watermark::default()),
        Err(IndexError::Locked)
    ));
    // The second one reads what the first committed.
    let found = second
        .search(&query(vec![Q::Word("first".into())]))
        .unwrap();
    assert_eq!(found, ["p0"]);
}

#[test]
fn a_rebuild_replaces_only_what_changed_since_it_began_and_merges_at_the_end() {
    let f = fixture(&[]);
    f.index.bulk(Bulk::Start).unwrap();
    let mark = |update_at: i64| Watermark {
        update_at,
        post_id: String::new(),
    };
    // Commit after commit, as a rebuild's walk reads them; nothing is merged meanwhile.
    for n in 0..3 {
        let posts: Vec<IndexedPost> = (0..4)
            .map(|i| post(&format!("p{n}-{i}"), "rebuilt words", n * 10 + i + 1))
            .collect();
        f.index.apply(&posts, 100, &mark(n * 10 + 4)).unwrap();
    }
    assert!(f.index.core.segments() >= 3);
    // Edited after the rebuild began: read a second time, and it replaces the first.
    let mut edited = post("p0-0", "edited words", 1);
    edited.update_at = 150;
    f.index.apply(&[edited], 100, &mark(150)).unwrap();
    f.index.bulk(Bulk::End).unwrap();
    assert_eq!(f.index.core.segments(), 1);
    assert_eq!(find(&f, "rebuilt").len(), 11);
    assert_eq!(find(&f, "edited"), ["p0-0"]);
    assert_eq!(f.index.watermark().unwrap(), Some(mark(150)));
    // Merges as usual afterwards: later commits still find and replace.
    f.index
        .apply(&[post("p1-1", "later words", 12)], i64::MIN, &mark(160))
        .unwrap();
    assert_eq!(find(&f, "later"), ["p1-1"]);
    assert_eq!(find(&f, "rebuilt").len(), 10);
}

/// An index written before the tokenizers (pre-tokenized text, the default tokenizer's
/// name in the schema) is found at start and rebuilt: empty, without a watermark (so the
/// indexer catches up from the start), the file index's directory inside it kept.
#[test]
fn an_index_of_the_older_schema_is_rebuilt() {
    use tantivy::schema::{TextFieldIndexing, TextOptions};
    let dir = std::env::temp_dir().join(format!("utmost-index-{}", utmost_model::new_id()));
    std::fs::create_dir_all(dir.join("files")).unwrap();
    std::fs::write(dir.join("files").join("kept"), "x").unwrap();
    let old_text = || {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default().set_index_option(IndexRecordOption::Basic),
        )
    };
    let mut b = Schema::builder();
    let id = b.add_text_field("id", STRING | STORED);
    for name in ["channel_id", "user_id"] {
        b.add_text_field(name, STRING);
    }
    b.add_i64_field("create_at", INDEXED | FAST);
    for name in ["words", "prefixes", "hashtags"] {
        b.add_text_field(name, old_text());
    }
    let old = tantivy::Index::create_in_dir(&dir, b.build()).unwrap();
    let mut writer = old.writer::<tantivy::TantivyDocument>(15_000_000).unwrap();
    writer.add_document(tantivy::doc!(id => "p0")).unwrap();
    let mut commit = writer.prepare_commit().unwrap();
    commit.set_payload(r#"{"update_at": 5, "post_id": "p0"}"#);
    commit.commit().unwrap();
    drop(writer);
    drop(old);

    let index = TantivyIndex::open(&dir).unwrap();
    assert_eq!(index.core.schema(), schema().0);
    assert_eq!(index.watermark().unwrap(), None);
    assert_eq!(index.core.segments(), 0);
    assert!(dir.join("files").join("kept").exists());
    index
        .apply(
            &[post("p1", "hostname.example.com", 1)],
            i64::MIN,
            &Watermark::default(),
        )
        .unwrap();
    let f = Fixture { index, dir };
    assert_eq!(find(&f, "hostna"), ["p1"]);
}
