//! `store::link_metadata` (`link_metadata_store_test.go`).

use crate::support::*;
use serde_json::json;
use utmost_store::link_metadata::{self, LinkMetadata, TYPE_NONE, TYPE_OPENGRAPH};
use utmost_store::Store;

on_both_databases!(link_metadata_is_kept_per_link_and_hour);

const HOUR: i64 = 3_600_000;

async fn link_metadata_is_kept_per_link_and_hour(s: &Store) {
    let page = LinkMetadata {
        url: "https://example.com/a".into(),
        timestamp: 1_700_000 * HOUR,
        kind: TYPE_OPENGRAPH.into(),
        data: json!({"type": "article", "title": "A", "images": [{"url": "https://example.com/a.png"}]}),
    };
    let missing = LinkMetadata {
        url: "https://example.com/nothing".into(),
        kind: TYPE_NONE.into(),
        data: serde_json::Value::Null,
        ..page.clone()
    };
    link_metadata::save(s, &page).await.unwrap();
    link_metadata::save(s, &missing).await.unwrap();
    let asked = |links: &[&LinkMetadata]| -> Vec<(String, i64)> {
        links.iter().map(|m| (m.url.clone(), m.timestamp)).collect()
    };
    let mut got = link_metadata::get_many(s, &asked(&[&page, &missing]))
        .await
        .unwrap();
    got.sort_by(|a, b| a.url.cmp(&b.url));
    assert_eq!(got, [page.clone(), missing.clone()]);

    // Another hour of the same link is another row; nothing was fetched for it yet.
    let next_hour = LinkMetadata {
        timestamp: page.timestamp + HOUR,
        ..page.clone()
    };
    assert!(link_metadata::get_many(s, &asked(&[&next_hour]))
        .await
        .unwrap()
        .is_empty());

    // Fetching again replaces the row.
    let refetched = LinkMetadata {
        data: json!({"type": "article", "title": "A, edited"}),
        ..page.clone()
    };
    link_metadata::save(s, &refetched).await.unwrap();
    assert_eq!(
        link_metadata::get_many(s, &asked(&[&page])).await.unwrap(),
        [refetched]
    );
    assert!(link_metadata::get_many(s, &[]).await.unwrap().is_empty());
}
