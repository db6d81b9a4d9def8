//! `store::scheduled_posts` (`scheduled_post_store_test.go`).

use crate::support::*;
use serde_json::json;
use utmost_model::channel::Channel;
use utmost_model::draft::{Draft, ScheduledPost};
use utmost_model::new_id;
use utmost_model::user::User;
use utmost_store::{scheduled_posts, Store};

on_both_databases!(
    scheduled_posts_create_get_update_and_delete,
    scheduled_posts_list_by_team_and_direct_channels,
    scheduled_posts_are_claimed_failed_and_expired,
);

fn scheduled(channel: &Channel, user: &User, message: &str, at: i64) -> ScheduledPost {
    ScheduledPost {
        draft: Draft {
            create_at: 1_000,
            update_at: 1_000,
            user_id: user.id.clone(),
            channel_id: channel.id.clone(),
            message: message.into(),
            ..Draft::default()
        },
        id: new_id(),
        scheduled_at: at,
        ..ScheduledPost::default()
    }
}

async fn scheduled_posts_create_get_update_and_delete(s: &Store) {
    let alice = user(s, "alice").await;
    let t = team(s, "t").await;
    let c = open_channel(s, &t, "c").await;
    let mut post = scheduled(&c, &alice, "later", 5_000);
    post.draft.props = [("a".to_string(), json!(1))].into();
    post.draft.file_ids = vec!["f".into()];
    post.draft.priority = [("priority".to_string(), json!("urgent"))].into();
    scheduled_posts::create(s, &post).await.unwrap();
    assert_eq!(
        scheduled_posts::get(s, &post.id).await.unwrap(),
        Some(post.clone())
    );

    let changed = ScheduledPost {
        scheduled_at: 6_000,
        error_code: "unknown".into(),
        processed_at: 5_500,
        draft: Draft {
            update_at: 2_000,
            message: "even later".into(),
            ..post.draft.clone()
        },
        ..post.clone()
    };
    assert!(scheduled_posts::update(s, &changed).await.unwrap());
    assert_eq!(
        scheduled_posts::get(s, &post.id).await.unwrap(),
        Some(changed)
    );

    assert!(scheduled_posts::delete(s, &post.id).await.unwrap());
    assert!(!scheduled_posts::delete(s, &post.id).await.unwrap());
    assert_eq!(scheduled_posts::get(s, &post.id).await.unwrap(), None);
    assert!(!scheduled_posts::update(s, &post).await.unwrap());
}

async fn scheduled_posts_list_by_team_and_direct_channels(s: &Store) {
    let (alice, bob) = (user(s, "alice").await, user(s, "bob").await);
    let (t, other) = (team(s, "t").await, team(s, "other").await);
    let (c, elsewhere) = (
        open_channel(s, &t, "c").await,
        open_channel(s, &other, "e").await,
    );
    let dm = channel(s, "", "dm", "D").await;
    for p in [
        scheduled(&c, &alice, "second", 3_000),
        scheduled(&c, &alice, "first", 2_000),
        scheduled(&dm, &alice, "direct", 1_000),
        scheduled(&elsewhere, &alice, "other team", 1_000),
        scheduled(&c, &bob, "bob's", 1_000),
    ] {
        scheduled_posts::create(s, &p).await.unwrap();
    }
    let messages = |list: Vec<ScheduledPost>| {
        list.into_iter()
            .map(|p| p.draft.message)
            .collect::<Vec<_>>()
    };
    // Membership is not required: a user who left still sees why the post was not sent.
    assert_eq!(
        messages(
            scheduled_posts::for_user(s, &alice.id, &t.id, 10)
                .await
                .unwrap()
        ),
        ["first", "second"]
    );
    assert_eq!(
        messages(
            scheduled_posts::for_user(s, &alice.id, &t.id, 1)
                .await
                .unwrap()
        ),
        ["first"]
    );
    assert_eq!(
        messages(
            scheduled_posts::for_user(s, &alice.id, "", 10)
                .await
                .unwrap()
        ),
        ["direct"]
    );
    assert_eq!(
        messages(
            scheduled_posts::for_user(s, &bob.id, &t.id, 10)
                .await
                .unwrap()
        ),
        ["bob's"]
    );
}

async fn scheduled_posts_are_claimed_failed_and_expired(s: &Store) {
    let alice = user(s, "alice").await;
    let t = team(s, "t").await;
    let c = open_channel(s, &t, "c").await;
    // Mattermost sets `processedat` on every edit: a row it edited is still pending.
    let due2 = ScheduledPost {
        processed_at: 1_100,
        ..scheduled(&c, &alice, "due 2", 1_500)
    };
    let (old, due1, later) = (
        scheduled(&c, &alice, "old", 100),
        scheduled(&c, &alice, "due 1", 1_000),
        scheduled(&c, &alice, "later", 9_000),
    );
    for p in [&old, &due1, &due2, &later] {
        scheduled_posts::create(s, p).await.unwrap();
    }
    let ids = |list: Vec<ScheduledPost>| list.into_iter().map(|p| p.id).collect::<Vec<_>>();
    let due = ids(scheduled_posts::due(s, 500, 2_000, 10).await.unwrap());
    assert_eq!(due, [due1.id.as_str(), due2.id.as_str()]);
    assert_eq!(
        ids(scheduled_posts::due(s, 500, 2_000, 1).await.unwrap()),
        [due1.id.as_str()]
    );

    // A claimed post is no longer due, and can be claimed once.
    assert!(scheduled_posts::claim(s, &due1.id, 2_000).await.unwrap());
    assert!(!scheduled_posts::claim(s, &due1.id, 2_001).await.unwrap());
    assert_eq!(
        ids(scheduled_posts::due(s, 500, 2_000, 10).await.unwrap()),
        [due2.id.as_str()]
    );
    // Claimed and not deleted: unfinished, until it is failed.
    assert_eq!(
        ids(scheduled_posts::unfinished(s, 10).await.unwrap()),
        [due1.id.as_str()]
    );
    scheduled_posts::fail(s, &due1.id, "unknown", 2_100)
        .await
        .unwrap();
    assert!(scheduled_posts::unfinished(s, 10).await.unwrap().is_empty());
    let failed = scheduled_posts::get(s, &due1.id).await.unwrap().unwrap();
    assert_eq!(
        (failed.error_code.as_str(), failed.processed_at),
        ("unknown", 2_100)
    );
    // While claimed it said so.
    assert!(scheduled_posts::claim(s, &due2.id, 2_150).await.unwrap());
    let sending = scheduled_posts::get(s, &due2.id).await.unwrap().unwrap();
    assert_eq!(
        (sending.error_code.as_str(), sending.processed_at),
        ("sending", 2_150)
    );
    // A failed post is not claimed either.
    assert!(!scheduled_posts::claim(s, &due1.id, 2_200).await.unwrap());

    // Pending posts due before the window are given up; the others stay.
    assert_eq!(
        scheduled_posts::expire(s, 500, "unable_to_send", 3_000)
            .await
            .unwrap(),
        1
    );
    let expired = scheduled_posts::get(s, &old.id).await.unwrap().unwrap();
    assert_eq!(
        (expired.error_code.as_str(), expired.processed_at),
        ("unable_to_send", 3_000)
    );
    let kept = scheduled_posts::get(s, &later.id).await.unwrap().unwrap();
    assert_eq!((kept.error_code.as_str(), kept.processed_at), ("", 0));
}
