//! `store::file_search`: the indexer's walk over `fileinfo`, and the PostgreSQL full-text
//! search of files (names by any part, content, and every filter).

use crate::support::*;
use utmost_model::file_info::FileInfo;
use utmost_store::file_search::{
    files_changed_after, search_files_full_text, FullTextFileFilter, FullTextTerm,
};
use utmost_store::{fileinfo, DbKind, Store, StoreError};

on_both_databases!(
    files_are_walked_by_update_time_then_id,
    full_text_search_finds_names_content_and_honours_every_filter,
);

const CHANNEL: &str = "c1";

/// Saves a file of `creator` named `name` with `content`, created and updated at `at`, on a
/// post unless `post` is empty.
async fn save(s: &Store, creator: &str, name: &str, content: &str, at: i64, post: &str) -> String {
    let info = FileInfo {
        id: utmost_model::new_id(),
        creator_id: creator.into(),
        channel_id: CHANNEL.into(),
        post_id: post.into(),
        create_at: at,
        update_at: at,
        name: name.into(),
        extension: name.rsplit('.').next().unwrap_or_default().to_lowercase(),
        content: content.into(),
        ..FileInfo::default()
    };
    fileinfo::insert(s, &info).await.unwrap();
    info.id
}

async fn files_are_walked_by_update_time_then_id(s: &Store) {
    let mut ids = Vec::new();
    for at in [10, 20, 20, 30] {
        ids.push(save(s, "u", "a.txt", "text", at, "").await);
    }
    let mut expected = ids.clone();
    expected[1..3].sort();
    let first = files_changed_after(s, 0, "", 3).await.unwrap();
    let walked: Vec<String> = first.iter().map(|f| f.id.clone()).collect();
    assert_eq!(walked, expected[..3]);
    assert_eq!(first[0].content.as_deref(), Some("text"));
    let last = &first[2];
    let rest = files_changed_after(s, last.updateat.unwrap(), &last.id, 3)
        .await
        .unwrap();
    assert_eq!(rest.len(), 1);
    assert_eq!(rest[0].id, expected[3]);
    // Deleting a post's files moves them past the walk's end.
    fileinfo::attach_to_post(s, &ids[0], "p1", CHANNEL, "u", 40)
        .await
        .unwrap();
    fileinfo::delete_for_post(s, "p1", 50).await.unwrap();
    let moved = files_changed_after(s, 30, &expected[3], 10).await.unwrap();
    assert_eq!(moved.len(), 1);
    assert_eq!(
        (moved[0].postid.as_deref(), moved[0].deleteat),
        (Some("p1"), Some(50))
    );
}

fn word(text: &str) -> FullTextTerm {
    FullTextTerm {
        words: text
            .split(['-', '.', '_', ' '])
            .map(str::to_string)
            .collect(),
        phrase: false,
    }
}

fn terms(words: &[&str]) -> FullTextFileFilter {
    FullTextFileFilter {
        terms: words.iter().map(|w| word(w)).collect(),
        ..FullTextFileFilter::default()
    }
}

async fn full_text_search_finds_names_content_and_honours_every_filter(s: &Store) {
    let scope = [CHANNEL.to_string()];
    if s.kind() == DbKind::Sqlite {
        let refused = search_files_full_text(s, &scope, &[terms(&["a"])], 0, 10).await;
        assert!(matches!(refused, Err(StoreError::Unsupported(_))));
        return;
    }
    let hosts = save(s, "alice", "hostname-list.txt", "", 1, "p1").await;
    let report = save(
        s,
        "alice",
        "Report.PDF",
        "quarterly revenue figures",
        2,
        "p2",
    )
    .await;
    let notes = save(
        s,
        "bob",
        "notes.md",
        "the hostname of the build box",
        3,
        "p3",
    )
    .await;
    save(s, "alice", "hostname-draft.txt", "", 4, "").await;
    let deleted = save(s, "alice", "hostname-old.txt", "", 5, "p5").await;
    fileinfo::delete_for_post(s, "p5", 6).await.unwrap();
    let elsewhere = FileInfo {
        id: utmost_model::new_id(),
        channel_id: "c2".into(),
        post_id: "p6".into(),
        name: "hostname-other.txt".into(),
        ..FileInfo::default()
    };
    fileinfo::insert(s, &elsewhere).await.unwrap();

    let search = |filters: Vec<FullTextFileFilter>| {
        let scope = scope.clone();
        async move {
            search_files_full_text(s, &scope, &filters, 0, 10)
                .await
                .unwrap()
        }
    };
    assert_eq!(
        search(vec![terms(&["hostna"])]).await,
        [notes.clone(), hosts.clone()]
    );
    assert_eq!(
        search(vec![terms(&["hostname-list.txt"])]).await,
        vec![hosts.clone()]
    );
    assert_eq!(
        search(vec![terms(&["revenue", "quarter"])]).await,
        vec![report.clone()]
    );
    assert!(!search(vec![terms(&["hostna"])]).await.contains(&deleted));
    let with = |change: fn(&mut FullTextFileFilter)| {
        let mut filter = terms(&["hostna"]);
        change(&mut filter);
        vec![filter]
    };
    assert_eq!(
        search(with(|f| f.extensions = vec!["txt".into()])).await,
        vec![hosts.clone()]
    );
    assert_eq!(
        search(with(|f| f.excluded_extensions = vec!["txt".into()])).await,
        vec![notes.clone()]
    );
    assert_eq!(
        search(with(|f| f.excluded_terms = vec![word("build")])).await,
        vec![hosts.clone()]
    );
    assert_eq!(
        search(with(|f| f.creators = vec!["bob".into()])).await,
        vec![notes.clone()]
    );
    assert_eq!(
        search(with(|f| f.excluded_creators = vec!["bob".into()])).await,
        vec![hosts.clone()]
    );
    assert_eq!(
        search(with(|f| f.within = vec![(2, 3)])).await,
        vec![notes.clone()]
    );
    assert_eq!(
        search(with(|f| f.outside = vec![(2, 3)])).await,
        vec![hosts.clone()]
    );
    assert!(search(with(|f| f.channels = vec!["c2".into()]))
        .await
        .is_empty());
    assert_eq!(
        search(with(|f| f.excluded_channels = vec!["c2".into()]))
            .await
            .len(),
        2
    );
    // Every term, or any; filters alone; paging.
    assert!(search(vec![terms(&["hostna", "revenue"])]).await.is_empty());
    let mut any = terms(&["hostna", "revenue"]);
    any.any_term = true;
    assert_eq!(
        search(vec![any]).await,
        [notes.clone(), report.clone(), hosts.clone()]
    );
    let pdf = FullTextFileFilter {
        extensions: vec!["pdf".into()],
        ..FullTextFileFilter::default()
    };
    assert_eq!(search(vec![pdf]).await, vec![report.clone()]);
    let page = search_files_full_text(s, &scope, &[terms(&["hostna"])], 1, 1)
        .await
        .unwrap();
    assert_eq!(page, [hosts]);
}
