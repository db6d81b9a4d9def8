//! `store::channel_bookmarks` (`channel_bookmark_store_test.go`).

use crate::support::*;
use utmost_model::channel::Channel;
use utmost_model::channel_bookmark::ChannelBookmark;
use utmost_model::new_id;
use utmost_model::user::User;
use utmost_store::channel_bookmarks::{self as bookmarks, Saved};
use utmost_store::{Deleted, Store};

on_both_databases!(
    bookmarks_are_saved_in_order_within_the_limit,
    bookmarks_are_edited_replaced_and_deleted,
    bookmarks_are_sorted,
);

fn bookmark(channel: &Channel, owner: &User, name: &str, at: i64) -> ChannelBookmark {
    ChannelBookmark {
        id: new_id(),
        create_at: at,
        update_at: at,
        channel_id: channel.id.clone(),
        owner_id: owner.id.clone(),
        display_name: name.into(),
        link_url: format!("https://example.com/{name}"),
        bookmark_type: "link".into(),
        ..ChannelBookmark::default()
    }
}

fn names(list: &[ChannelBookmark]) -> Vec<(&str, i64)> {
    list.iter()
        .map(|b| (b.display_name.as_str(), b.sort_order))
        .collect()
}

async fn bookmarks_are_saved_in_order_within_the_limit(s: &Store) {
    let alice = user(s, "alice").await;
    let t = team(s, "t").await;
    let (c, other) = (
        open_channel(s, &t, "c").await,
        open_channel(s, &t, "o").await,
    );
    let first = bookmark(&c, &alice, "first", 1_000);
    assert_eq!(
        bookmarks::create(s, &first, 3).await.unwrap(),
        Saved::Saved(0)
    );
    let mut stored = bookmarks::get(s, &first.id, Deleted::Exclude)
        .await
        .unwrap()
        .unwrap();
    stored.sort_order = 0;
    assert_eq!(stored, first);
    assert_eq!(
        bookmarks::create(s, &bookmark(&c, &alice, "second", 1_001), 3)
            .await
            .unwrap(),
        Saved::Saved(1)
    );
    assert_eq!(
        bookmarks::create(s, &bookmark(&c, &alice, "third", 1_002), 3)
            .await
            .unwrap(),
        Saved::Saved(2)
    );
    assert_eq!(
        bookmarks::create(s, &bookmark(&c, &alice, "fourth", 1_003), 3)
            .await
            .unwrap(),
        Saved::LimitReached
    );
    // Another channel has a limit of its own.
    assert_eq!(
        bookmarks::create(s, &bookmark(&other, &alice, "x", 1_004), 3)
            .await
            .unwrap(),
        Saved::Saved(0)
    );
    let listed = bookmarks::for_channel(s, &c.id, 0, 100).await.unwrap();
    assert_eq!(names(&listed), [("first", 0), ("second", 1), ("third", 2)]);
    assert_eq!(
        bookmarks::for_channel(s, &c.id, 0, 2).await.unwrap().len(),
        2
    );

    // A deleted one frees its place.
    assert!(bookmarks::delete(s, &first.id, 2_000).await.unwrap());
    assert!(!bookmarks::delete(s, &first.id, 2_001).await.unwrap());
    assert_eq!(
        bookmarks::create(s, &bookmark(&c, &alice, "fourth", 2_100), 3)
            .await
            .unwrap(),
        Saved::Saved(3)
    );
}

async fn bookmarks_are_edited_replaced_and_deleted(s: &Store) {
    let (alice, bob) = (user(s, "alice").await, user(s, "bob").await);
    let t = team(s, "t").await;
    let c = open_channel(s, &t, "c").await;
    let original = bookmark(&c, &alice, "mine", 1_000);
    bookmarks::create(s, &original, 50).await.unwrap();
    let edited = ChannelBookmark {
        display_name: "renamed".into(),
        emoji: ":smile:".into(),
        update_at: 2_000,
        ..original.clone()
    };
    assert!(bookmarks::update(s, &edited).await.unwrap());
    assert_eq!(
        bookmarks::get(s, &original.id, Deleted::Exclude)
            .await
            .unwrap(),
        Some(edited.clone())
    );

    // Bob's edit: Alice's row is deleted and Bob's copy takes its place.
    let copy = ChannelBookmark {
        id: new_id(),
        owner_id: bob.id.clone(),
        original_id: original.id.clone(),
        display_name: "bob's".into(),
        create_at: 3_000,
        update_at: 3_000,
        ..edited.clone()
    };
    assert!(bookmarks::replace(s, &original.id, &copy, 3_000)
        .await
        .unwrap());
    assert!(!bookmarks::replace(s, &original.id, &copy, 3_001)
        .await
        .unwrap());
    assert_eq!(
        bookmarks::get(s, &original.id, Deleted::Exclude)
            .await
            .unwrap(),
        None
    );
    let gone = bookmarks::get(s, &original.id, Deleted::Include)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((gone.delete_at, gone.update_at), (3_000, 3_000));
    assert_eq!(
        bookmarks::get(s, &copy.id, Deleted::Exclude).await.unwrap(),
        Some(copy.clone())
    );
    assert!(!bookmarks::update(s, &edited).await.unwrap());

    // Since a time: what changed, deleted ones too; without one, the live ones.
    let live = bookmarks::for_channel(s, &c.id, 0, 100).await.unwrap();
    assert_eq!(live, std::slice::from_ref(&copy));
    let since = bookmarks::for_channel(s, &c.id, 2_500, 100).await.unwrap();
    assert_eq!(since.len(), 2);
    assert!(bookmarks::for_channel(s, &c.id, 3_500, 100)
        .await
        .unwrap()
        .is_empty());
}

async fn bookmarks_are_sorted(s: &Store) {
    let alice = user(s, "alice").await;
    let t = team(s, "t").await;
    let c = open_channel(s, &t, "c").await;
    let list: Vec<ChannelBookmark> = ["a", "b", "c", "d"]
        .iter()
        .enumerate()
        .map(|(i, n)| bookmark(&c, &alice, n, 1_000 + i64::try_from(i).unwrap()))
        .collect();
    for b in &list {
        bookmarks::create(s, b, 50).await.unwrap();
    }
    let sorted = bookmarks::sort(s, &c.id, &list[3].id, 0, 5_000)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(names(&sorted), [("d", 0), ("a", 1), ("b", 2), ("c", 3)]);
    assert!(sorted.iter().all(|b| b.update_at == 5_000));
    let sorted = bookmarks::sort(s, &c.id, &list[0].id, 3, 6_000)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(names(&sorted), [("d", 0), ("b", 1), ("c", 2), ("a", 3)]);
    assert_eq!(
        names(&bookmarks::for_channel(s, &c.id, 0, 100).await.unwrap()),
        [("d", 0), ("b", 1), ("c", 2), ("a", 3)]
    );
    // Past the end, or a bookmark of no such channel: nothing moves.
    assert_eq!(
        bookmarks::sort(s, &c.id, &list[0].id, 4, 7_000)
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        bookmarks::sort(s, &c.id, &new_id(), 0, 7_000)
            .await
            .unwrap(),
        None
    );
}
