//! `store::reactions` (`reaction_store_test.go`).

use crate::support::*;
use utmost_model::post::Post;
use utmost_model::reaction::Reaction;
use utmost_store::reactions::{self, Saved};
use utmost_store::{posts, Deleted, Store};

on_both_databases!(
    reactions_save_list_and_delete,
    reactions_move_the_post,
    reactions_limit_new_emoji_per_post,
    concurrent_reactions_keep_the_limit,
);

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

fn names(list: &[Reaction]) -> Vec<(&str, &str, &str)> {
    list.iter()
        .map(|r| {
            (
                r.post_id.as_str(),
                r.user_id.as_str(),
                r.emoji_name.as_str(),
            )
        })
        .collect()
}

async fn reactions_save_list_and_delete(s: &Store) {
    let (alice, bob) = (user(s, "alice").await, user(s, "bob").await);
    let t = team(s, "t").await;
    let c = open_channel(s, &t, "c").await;
    let (p1, p2) = (
        posted(s, &c, &alice, 1_000, None).await,
        posted(s, &c, &alice, 2_000, None).await,
    );
    for r in [
        reaction(&p1, &alice.id, "smile", 3_000),
        reaction(&p1, &bob.id, "smile", 3_001),
        reaction(&p2, &bob.id, "+1", 3_002),
    ] {
        assert_eq!(reactions::save(s, &r, 50).await.unwrap(), Saved::Saved);
    }
    let both = reactions::for_posts(s, &[p1.id.clone(), p2.id.clone()])
        .await
        .unwrap();
    assert_eq!(
        names(&both),
        [
            (p1.id.as_str(), alice.id.as_str(), "smile"),
            (p1.id.as_str(), bob.id.as_str(), "smile"),
            (p2.id.as_str(), bob.id.as_str(), "+1"),
        ]
    );
    assert_eq!(both[0], reaction(&p1, &alice.id, "smile", 3_000));
    assert!(reactions::for_posts(s, &[]).await.unwrap().is_empty());

    reactions::delete(s, &alice.id, &p1.id, "smile", 4_000)
        .await
        .unwrap();
    let left = reactions::for_posts(s, std::slice::from_ref(&p1.id))
        .await
        .unwrap();
    assert_eq!(names(&left), [(p1.id.as_str(), bob.id.as_str(), "smile")]);

    // Saved again, the reaction is live with its first create_at, as an upsert keeps it.
    let again = reaction(&p1, &alice.id, "smile", 5_000);
    reactions::save(s, &again, 50).await.unwrap();
    let revived = reactions::for_posts(s, std::slice::from_ref(&p1.id))
        .await
        .unwrap();
    let alice_smile = revived.iter().find(|r| r.user_id == alice.id).unwrap();
    assert_eq!(
        (
            alice_smile.create_at,
            alice_smile.update_at,
            alice_smile.delete_at
        ),
        (3_000, 5_000, 0)
    );
}

async fn reactions_move_the_post(s: &Store) {
    let (alice, bob) = (user(s, "alice").await, user(s, "bob").await);
    let t = team(s, "t").await;
    let c = open_channel(s, &t, "c").await;
    let p = posted(s, &c, &alice, 1_000, None).await;
    reactions::save(s, &reaction(&p, &alice.id, "smile", 2_000), 50)
        .await
        .unwrap();
    reactions::save(s, &reaction(&p, &bob.id, "smile", 3_000), 50)
        .await
        .unwrap();
    let post = stored_post(s, &p).await;
    assert_eq!((post.has_reactions, post.update_at), (true, 3_000));

    reactions::delete(s, &alice.id, &p.id, "smile", 4_000)
        .await
        .unwrap();
    let post = stored_post(s, &p).await;
    assert_eq!((post.has_reactions, post.update_at), (true, 4_000));

    reactions::delete(s, &bob.id, &p.id, "smile", 5_000)
        .await
        .unwrap();
    let post = stored_post(s, &p).await;
    assert_eq!((post.has_reactions, post.update_at), (false, 5_000));
}

async fn reactions_limit_new_emoji_per_post(s: &Store) {
    let (alice, bob) = (user(s, "alice").await, user(s, "bob").await);
    let t = team(s, "t").await;
    let c = open_channel(s, &t, "c").await;
    let p = posted(s, &c, &alice, 1_000, None).await;
    let save = |r: Reaction| async move { reactions::save(s, &r, 2).await.unwrap() };
    assert_eq!(
        save(reaction(&p, &alice.id, "a", 2_000)).await,
        Saved::Saved
    );
    assert_eq!(
        save(reaction(&p, &alice.id, "b", 2_001)).await,
        Saved::Saved
    );
    assert_eq!(
        save(reaction(&p, &bob.id, "c", 2_002)).await,
        Saved::LimitReached
    );
    // A refused reaction leaves the post as it was.
    assert_eq!(stored_post(s, &p).await.update_at, 2_001);
    // Another user's reaction with an emoji already there is no new emoji.
    assert_eq!(save(reaction(&p, &bob.id, "b", 2_003)).await, Saved::Saved);
    // A removed emoji no longer counts.
    reactions::delete(s, &alice.id, &p.id, "a", 2_004)
        .await
        .unwrap();
    assert_eq!(save(reaction(&p, &bob.id, "c", 2_005)).await, Saved::Saved);
    let live = reactions::for_posts(s, std::slice::from_ref(&p.id))
        .await
        .unwrap();
    assert_eq!(live.len(), 3);
}

async fn concurrent_reactions_keep_the_limit(s: &Store) {
    let alice = user(s, "alice").await;
    let t = team(s, "t").await;
    let c = open_channel(s, &t, "c").await;
    let p = posted(s, &c, &alice, 1_000, None).await;
    let saving: Vec<_> = (0..12)
        .map(|i| {
            let (store, r) = (
                s.clone(),
                reaction(&p, &alice.id, &format!("e{i}"), 2_000 + i),
            );
            tokio::spawn(async move { reactions::save(&store, &r, 5).await.unwrap() })
        })
        .collect();
    let mut saved = 0;
    for task in saving {
        if task.await.unwrap() == Saved::Saved {
            saved += 1;
        }
    }
    assert_eq!(saved, 5);
    let live = reactions::for_posts(s, std::slice::from_ref(&p.id))
        .await
        .unwrap();
    assert_eq!(live.len(), 5);
}
