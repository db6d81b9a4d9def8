//! `store::emoji` (`emoji_store_test.go`).

use crate::support::*;
use utmost_model::emoji::Emoji;
use utmost_model::post::Post;
use utmost_model::reaction::Reaction;
use utmost_store::emoji::{self, Inserted, Match, Sort};
use utmost_store::reactions::{self, Saved};
use utmost_store::{posts, Deleted, Store};

on_both_databases!(
    emoji_insert_get_and_delete,
    emoji_names_are_unique_among_live_emoji,
    emoji_list_pages_and_sorts,
    emoji_search_by_prefix_or_anywhere,
    emoji_delete_removes_its_reactions,
);

fn custom(name: &str, creator_id: &str, at: i64) -> Emoji {
    Emoji {
        id: utmost_model::new_id(),
        create_at: at,
        update_at: at,
        delete_at: 0,
        creator_id: creator_id.into(),
        name: name.into(),
    }
}

async fn saved(s: &Store, name: &str, at: i64) -> Emoji {
    let e = custom(name, &utmost_model::new_id(), at);
    assert_eq!(emoji::insert(s, &e).await.unwrap(), Inserted::Saved);
    e
}

fn names(list: &[Emoji]) -> Vec<&str> {
    list.iter().map(|e| e.name.as_str()).collect()
}

async fn emoji_insert_get_and_delete(s: &Store) {
    let e = saved(s, "parrot", 1_000).await;
    assert_eq!(emoji::get(s, &e.id).await.unwrap(), Some(e.clone()));
    assert_eq!(
        emoji::get_by_name(s, "parrot").await.unwrap(),
        Some(e.clone())
    );
    assert_eq!(emoji::get_by_name(s, "Parrot").await.unwrap(), None);

    assert!(emoji::delete(s, &e.id, &e.name, 2_000).await.unwrap());
    assert_eq!(emoji::get(s, &e.id).await.unwrap(), None);
    assert_eq!(emoji::get_by_name(s, "parrot").await.unwrap(), None);
    // A deleted emoji cannot be deleted again.
    assert!(!emoji::delete(s, &e.id, &e.name, 3_000).await.unwrap());
    assert!(!emoji::delete(s, "nosuchemojiidnosuchemojiid", "x", 3_000)
        .await
        .unwrap());
}

async fn emoji_names_are_unique_among_live_emoji(s: &Store) {
    let first = saved(s, "dup", 1_000).await;
    let again = custom("dup", &utmost_model::new_id(), 1_001);
    assert_eq!(emoji::insert(s, &again).await.unwrap(), Inserted::NameTaken);
    assert_eq!(emoji::get(s, &again.id).await.unwrap(), None);

    // Once deleted, the name is free again.
    assert!(emoji::delete(s, &first.id, &first.name, 2_000)
        .await
        .unwrap());
    assert_eq!(emoji::insert(s, &again).await.unwrap(), Inserted::Saved);
    assert_eq!(
        emoji::get_by_name(s, "dup").await.unwrap().map(|e| e.id),
        Some(again.id)
    );
}

async fn emoji_list_pages_and_sorts(s: &Store) {
    let c = saved(s, "c", 1_000).await;
    saved(s, "a", 2_000).await;
    saved(s, "b", 3_000).await;
    let gone = saved(s, "0gone", 4_000).await;
    assert!(emoji::delete(s, &gone.id, &gone.name, 5_000).await.unwrap());

    let created = emoji::list(s, Sort::Created, 10, 0).await.unwrap();
    assert_eq!(names(&created), ["c", "a", "b"]);
    let by_name = emoji::list(s, Sort::Name, 10, 0).await.unwrap();
    assert_eq!(names(&by_name), ["a", "b", "c"]);
    assert_eq!(
        names(&emoji::list(s, Sort::Name, 2, 0).await.unwrap()),
        ["a", "b"]
    );
    assert_eq!(
        names(&emoji::list(s, Sort::Name, 2, 2).await.unwrap()),
        ["c"]
    );
    assert!(emoji::list(s, Sort::Name, 2, 4).await.unwrap().is_empty());
    assert!(emoji::list(s, Sort::Created, 0, 0)
        .await
        .unwrap()
        .is_empty());

    let wanted = ["b".to_string(), "c".into(), "0gone".into(), "none".into()];
    let found = emoji::get_by_names(s, &wanted).await.unwrap();
    assert_eq!(names(&found), ["b", "c"]);
    assert_eq!(found[1], c);
    assert!(emoji::get_by_names(s, &[]).await.unwrap().is_empty());
}

async fn emoji_search_by_prefix_or_anywhere(s: &Store) {
    for (name, at) in [
        ("party_parrot", 1),
        ("Parrot", 2),
        ("parrotx", 3),
        ("a%b", 4),
    ] {
        saved(s, name, at).await;
    }
    let gone = saved(s, "parrot_gone", 5).await;
    assert!(emoji::delete(s, &gone.id, &gone.name, 6).await.unwrap());

    let prefix = emoji::search(s, "parrot", Match::Prefix, 10).await.unwrap();
    assert_eq!(names(&prefix), ["Parrot", "parrotx"]);
    let anywhere = emoji::search(s, "PARROT", Match::Anywhere, 10)
        .await
        .unwrap();
    assert_eq!(names(&anywhere), ["Parrot", "parrotx", "party_parrot"]);
    assert_eq!(
        names(
            &emoji::search(s, "parrot", Match::Anywhere, 2)
                .await
                .unwrap()
        ),
        ["Parrot", "parrotx"]
    );
    // Wildcards match themselves only.
    assert_eq!(
        names(&emoji::search(s, "%", Match::Anywhere, 10).await.unwrap()),
        ["a%b"]
    );
    assert!(emoji::search(s, "r_o", Match::Anywhere, 10)
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        names(
            &emoji::search(s, "y_parrot", Match::Anywhere, 10)
                .await
                .unwrap()
        ),
        ["party_parrot"]
    );
}

fn reaction(post: &Post, user_id: &str, emoji: &str, at: i64) -> Reaction {
    Reaction {
        user_id: user_id.into(),
        post_id: post.id.clone(),
        emoji_name: emoji.into(),
        create_at: at,
        update_at: at,
        channel_id: post.channel_id.clone(),
        ..Reaction::default()
    }
}

async fn stored_post(s: &Store, post: &Post) -> Post {
    posts::get(s, &post.id, Deleted::Include)
        .await
        .unwrap()
        .unwrap()
}

async fn emoji_delete_removes_its_reactions(s: &Store) {
    let (alice, bob) = (user(s, "alice").await, user(s, "bob").await);
    let t = team(s, "t").await;
    let c = open_channel(s, &t, "c").await;
    let (only_custom, mixed, untouched) = (
        posted(s, &c, &alice, 1_000, None).await,
        posted(s, &c, &alice, 1_001, None).await,
        posted(s, &c, &alice, 1_002, None).await,
    );
    let parrot = saved(s, "parrot", 1_500).await;
    for r in [
        reaction(&only_custom, &alice.id, "parrot", 2_000),
        reaction(&only_custom, &bob.id, "parrot", 2_001),
        reaction(&mixed, &bob.id, "parrot", 2_002),
        reaction(&mixed, &alice.id, "smile", 2_003),
        reaction(&untouched, &alice.id, "smile", 2_004),
    ] {
        assert_eq!(reactions::save(s, &r, 50).await.unwrap(), Saved::Saved);
    }

    assert!(emoji::delete(s, &parrot.id, "parrot", 3_000).await.unwrap());
    let ids = [
        only_custom.id.clone(),
        mixed.id.clone(),
        untouched.id.clone(),
    ];
    let left: Vec<(String, String)> = reactions::for_posts(s, &ids)
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.post_id, r.emoji_name))
        .collect();
    assert_eq!(
        left,
        [
            (mixed.id.clone(), "smile".to_string()),
            (untouched.id.clone(), "smile".to_string())
        ]
    );
    let p = stored_post(s, &only_custom).await;
    assert_eq!((p.has_reactions, p.update_at), (false, 3_000));
    let p = stored_post(s, &mixed).await;
    assert_eq!((p.has_reactions, p.update_at), (true, 3_000));
    let p = stored_post(s, &untouched).await;
    assert_eq!((p.has_reactions, p.update_at), (true, 2_004));
}
