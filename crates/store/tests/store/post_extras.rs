//! The tables of issue 11's post extras: saved posts (over `preferences`), edit history,
//! `postspriority` and `persistentnotifications`, `postacknowledgements`, `postreminders`
//! and bot accounts.

use crate::support::*;
use utmost_model::new_id;
use utmost_model::post::{Post, PostMetadata, PostPriority};
use utmost_model::post_acknowledgement::PostAcknowledgement;
use utmost_model::preference::Preference;
use utmost_model::user::User;
use utmost_store::flagged_posts::{flagged_posts, FlaggedIn};
use utmost_store::post_reminders::{self, PostReminder};
use utmost_store::{bots, post_acknowledgements, post_history, post_priority, posts, preferences};
use utmost_store::{Deleted, Store, StoreError};

on_both_databases!(
    flagged_posts_follow_preferences_membership_and_scope,
    edit_history_lists_the_replaced_versions,
    priority_is_saved_with_the_post,
    acknowledgements_are_saved_taken_back_and_read_with_the_priority,
    reminders_are_set_moved_and_taken_when_due,
    bots_are_users_with_a_bots_row,
);

async fn flag(s: &Store, user: &User, post: &Post) {
    let pref = Preference {
        user_id: user.id.clone(),
        category: "flagged_post".into(),
        name: post.id.clone(),
        value: "true".into(),
    };
    preferences::save(s, &[pref]).await.unwrap();
}

fn ids(posts: &[Post]) -> Vec<&str> {
    posts.iter().map(|p| p.id.as_str()).collect()
}

async fn flagged_posts_follow_preferences_membership_and_scope(s: &Store) {
    let (alice, bob) = (user(s, "alice").await, user(s, "bob").await);
    let (t1, t2) = (team(s, "t1").await, team(s, "t2").await);
    let (c1, c2) = (
        open_channel(s, &t1, "c1").await,
        open_channel(s, &t2, "c2").await,
    );
    let left = open_channel(s, &t1, "left").await;
    for c in [&c1, &c2, &left] {
        join(s, c, &alice).await;
        join(s, c, &bob).await;
    }
    let dm = channel(s, "", &format!("{}__{}", alice.id, bob.id), "D").await;
    join(s, &dm, &alice).await;
    let p1 = posted(s, &c1, &bob, 1_000, None).await;
    let p2 = posted(s, &c2, &bob, 2_000, None).await;
    let p3 = posted(s, &dm, &bob, 3_000, None).await;
    let in_left = posted(s, &left, &bob, 4_000, None).await;
    let deleted = posted(s, &c1, &bob, 5_000, None).await;
    // Saved by nobody.
    posted(s, &c1, &bob, 6_000, None).await;
    for p in [&p1, &p2, &p3, &in_left, &deleted] {
        flag(s, &alice, p).await;
    }
    posts::delete(s, &deleted.id, 7_000, &bob.id).await.unwrap();
    utmost_store::channels::remove_member(s, &left.id, &alice.id, 8_000)
        .await
        .unwrap();

    let all = flagged_posts(s, &alice.id, FlaggedIn::Anywhere, 60, 0)
        .await
        .unwrap();
    assert_eq!(ids(&all), [p3.id.as_str(), p2.id.as_str(), p1.id.as_str()]);
    let team1 = flagged_posts(s, &alice.id, FlaggedIn::Team(&t1.id), 60, 0)
        .await
        .unwrap();
    assert_eq!(ids(&team1), [p3.id.as_str(), p1.id.as_str()]);
    let chan2 = flagged_posts(s, &alice.id, FlaggedIn::Channel(&c2.id), 60, 0)
        .await
        .unwrap();
    assert_eq!(ids(&chan2), [p2.id.as_str()]);
    // Pages, newest first.
    let second = flagged_posts(s, &alice.id, FlaggedIn::Anywhere, 2, 2)
        .await
        .unwrap();
    assert_eq!(ids(&second), [p1.id.as_str()]);
    // Another user's preferences are theirs.
    assert!(flagged_posts(s, &bob.id, FlaggedIn::Anywhere, 60, 0)
        .await
        .unwrap()
        .is_empty());
}

async fn edit_history_lists_the_replaced_versions(s: &Store) {
    let alice = user(s, "alice").await;
    let t = team(s, "t").await;
    let c = open_channel(s, &t, "c").await;
    let original = posted(s, &c, &alice, 1_000, None).await;
    let mut current = original.clone();
    for (n, at) in [(1, 2_000), (2, 3_000)] {
        let edited = Post {
            message: format!("edit {n}"),
            edit_at: at,
            update_at: at,
            ..current.clone()
        };
        posts::update(s, &edited, &current, &new_id())
            .await
            .unwrap();
        current = edited;
    }
    let history = post_history::edit_history(s, &original.id).await.unwrap();
    let messages: Vec<&str> = history.iter().map(|p| p.message.as_str()).collect();
    assert_eq!(messages, ["edit 1", original.message.as_str()]);
    assert!(history
        .iter()
        .all(|p| p.original_id == original.id && p.delete_at > 0));
    assert!(post_history::edit_history(s, &new_id())
        .await
        .unwrap()
        .is_empty());
}

fn with_priority(mut post: Post, priority: &str, ack: bool, persistent: bool) -> Post {
    post.metadata = Some(PostMetadata {
        priority: Some(PostPriority {
            priority: Some(priority.into()),
            requested_ack: Some(ack),
            persistent_notifications: Some(persistent),
        }),
        ..PostMetadata::default()
    });
    post
}

async fn priority_is_saved_with_the_post(s: &Store) {
    let alice = user(s, "alice").await;
    let t = team(s, "t").await;
    let c = open_channel(s, &t, "c").await;
    let urgent = with_priority(post_at(&c, &alice, 1_000, None), "urgent", true, true);
    let important = with_priority(post_at(&c, &alice, 2_000, None), "important", false, false);
    let plain = post_at(&c, &alice, 3_000, None);
    for p in [&urgent, &important, &plain] {
        save(s, &t.id, p, &[]).await;
    }
    let ids = vec![urgent.id.clone(), important.id.clone(), plain.id.clone()];
    let mut found = post_priority::metadata_for_posts(s, &ids).await.unwrap();
    found.priorities.sort_by_key(|(id, _)| id.clone());
    let mut expected = vec![
        (
            urgent.id.clone(),
            urgent.metadata.clone().unwrap().priority.unwrap(),
        ),
        (
            important.id.clone(),
            important.metadata.clone().unwrap().priority.unwrap(),
        ),
    ];
    expected.sort_by_key(|(id, _)| id.clone());
    assert_eq!(found.priorities, expected);
    assert!(found.acknowledgements.is_empty());
    assert!(post_priority::has_persistent_notification(s, &urgent.id)
        .await
        .unwrap());
    assert!(
        !post_priority::has_persistent_notification(s, &important.id)
            .await
            .unwrap()
    );
    let none = post_priority::metadata_for_posts(s, &[]).await.unwrap();
    assert!(none.priorities.is_empty());
}

async fn acknowledgements_are_saved_taken_back_and_read_with_the_priority(s: &Store) {
    let (alice, bob) = (user(s, "alice").await, user(s, "bob").await);
    let t = team(s, "t").await;
    let c = open_channel(s, &t, "c").await;
    let post = with_priority(post_at(&c, &alice, 1_000, None), "important", true, false);
    save(s, &t.id, &post, &[]).await;
    let ack = |user: &User, at: i64| PostAcknowledgement {
        user_id: user.id.clone(),
        post_id: post.id.clone(),
        acknowledged_at: at,
    };
    post_acknowledgements::save(s, &ack(&bob, 3_000))
        .await
        .unwrap();
    post_acknowledgements::save(s, &ack(&alice, 2_000))
        .await
        .unwrap();
    let stored = posts::get(s, &post.id, Deleted::Exclude)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.update_at, 2_000);
    let found = post_priority::metadata_for_posts(s, std::slice::from_ref(&post.id))
        .await
        .unwrap();
    assert_eq!(
        found.acknowledgements,
        [ack(&alice, 2_000), ack(&bob, 3_000)]
    );
    assert_eq!(found.priorities.len(), 1);
    assert_eq!(
        post_acknowledgements::get(s, &post.id, &bob.id)
            .await
            .unwrap(),
        Some(ack(&bob, 3_000))
    );

    post_acknowledgements::delete(s, &post.id, &bob.id, 4_000)
        .await
        .unwrap();
    assert_eq!(
        post_acknowledgements::get(s, &post.id, &bob.id)
            .await
            .unwrap(),
        None
    );
    let stored = posts::get(s, &post.id, Deleted::Exclude)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.update_at, 4_000);
    let found = post_priority::metadata_for_posts(s, std::slice::from_ref(&post.id))
        .await
        .unwrap();
    assert_eq!(found.acknowledgements, [ack(&alice, 2_000)]);
    // Acknowledging again revives the row.
    post_acknowledgements::save(s, &ack(&bob, 5_000))
        .await
        .unwrap();
    assert_eq!(
        post_acknowledgements::get(s, &post.id, &bob.id)
            .await
            .unwrap(),
        Some(ack(&bob, 5_000))
    );
}

async fn reminders_are_set_moved_and_taken_when_due(s: &Store) {
    let (alice, bob) = (user(s, "alice").await, user(s, "bob").await);
    let t = team(s, "t").await;
    let c = open_channel(s, &t, "c").await;
    let p1 = posted(s, &c, &bob, 1_000, None).await;
    let p2 = posted(s, &c, &bob, 2_000, None).await;
    let reminder = |post: &Post, user: &User, at: i64| PostReminder {
        post_id: post.id.clone(),
        user_id: user.id.clone(),
        target_time: at,
    };
    assert!(post_reminders::set(s, &reminder(&p1, &alice, 500))
        .await
        .unwrap());
    // Setting it again moves it.
    assert!(post_reminders::set(s, &reminder(&p1, &alice, 100))
        .await
        .unwrap());
    assert!(post_reminders::set(s, &reminder(&p2, &alice, 200))
        .await
        .unwrap());
    assert!(post_reminders::set(s, &reminder(&p1, &bob, 900))
        .await
        .unwrap());
    let missing = Post {
        id: new_id(),
        ..p1.clone()
    };
    assert!(!post_reminders::set(s, &reminder(&missing, &alice, 100))
        .await
        .unwrap());

    assert!(post_reminders::take_due(s, 50, 10)
        .await
        .unwrap()
        .is_empty());
    // A bounded batch, earliest first, and nothing is taken twice.
    let first = post_reminders::take_due(s, 1_000, 1).await.unwrap();
    assert_eq!(first, [reminder(&p1, &alice, 100)]);
    let rest = post_reminders::take_due(s, 300, 10).await.unwrap();
    assert_eq!(rest, [reminder(&p2, &alice, 200)]);
    let last = post_reminders::take_due(s, 1_000, 10).await.unwrap();
    assert_eq!(last, [reminder(&p1, &bob, 900)]);
    assert!(post_reminders::take_due(s, 1_000, 10)
        .await
        .unwrap()
        .is_empty());

    let meta = post_reminders::metadata(s, &p1.id).await.unwrap().unwrap();
    assert_eq!(meta.channel_id, c.id);
    assert_eq!(meta.team_name, t.name);
    assert_eq!(meta.username, "bob");
    assert_eq!(post_reminders::metadata(s, &new_id()).await.unwrap(), None);
}

async fn bots_are_users_with_a_bots_row(s: &Store) {
    let owner = user(s, "owner").await;
    let bot = User {
        id: new_id(),
        create_at: 1_000,
        update_at: 1_000,
        username: "system-bot".into(),
        email: "system-bot@localhost".into(),
        bot_description: "made here".into(),
        ..User::default()
    };
    bots::insert(s, &bot, &owner.id).await.unwrap();
    let stored = utmost_store::users::get_by_username(s, "system-bot")
        .await
        .unwrap()
        .unwrap();
    assert!(stored.is_bot);
    assert_eq!(stored.bot_description, "made here");
    let again = User {
        id: new_id(),
        ..bot
    };
    assert!(matches!(
        bots::insert(s, &again, &owner.id).await,
        Err(StoreError::Conflict(_))
    ));
}
