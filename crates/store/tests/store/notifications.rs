//! `store::notifications`: the device sessions pushes go to, and the badge count.

use crate::sessions::session;
use crate::support::*;
use utmost_model::session::Session;
use utmost_store::{notifications, sessions, Store};

on_both_databases!(
    pushes_go_to_unexpired_sessions_with_a_device,
    the_badge_counts_mentions_and_unread_direct_messages,
);

async fn pushes_go_to_unexpired_sessions_with_a_device(s: &Store) {
    let alice = user(s, "alice").await;
    let bob = user(s, "bob").await;
    let phone = session(&alice, "!phone", "android_rn:a");
    let expired = Session {
        expires_at: 500,
        ..session(&alice, "!old", "apple_rn:b")
    };
    for stored in [
        &phone,
        &expired,
        &session(&alice, "!web", ""),
        &session(&bob, "!bob", "android_rn:c"),
    ] {
        sessions::insert(s, stored).await.unwrap();
    }
    let found = notifications::device_sessions(s, std::slice::from_ref(&alice.id), 1_000)
        .await
        .unwrap();
    let found: Vec<(&str, &str)> = found
        .iter()
        .map(|d| (d.id.as_str(), d.device_id.as_str()))
        .collect();
    assert_eq!(found, [(phone.id.as_str(), "android_rn:a")]);

    notifications::forget_device(s, &phone.id).await.unwrap();
    let found = notifications::device_sessions(s, std::slice::from_ref(&alice.id), 1_000)
        .await
        .unwrap();
    assert!(found.is_empty());
}

async fn the_badge_counts_mentions_and_unread_direct_messages(s: &Store) {
    let team = team(s, "team").await;
    let alice = user(s, "alice").await;
    let bob = user(s, "bob").await;
    let town = open_channel(s, &team, "town").await;
    let dm = channel(s, "", "alice__bob", "D").await;
    for c in [&town, &dm] {
        join(s, c, &alice).await;
        join(s, c, &bob).await;
    }
    save(s, &team.id, &post_at(&town, &bob, 2_000, None), &[&alice]).await;
    posted(s, &town, &bob, 2_100, None).await;
    for at in [3_000, 3_100] {
        posted(s, &dm, &bob, at, None).await;
    }
    for collapsed_threads in [false, true] {
        let badge = notifications::badge_count(s, &alice.id, collapsed_threads)
            .await
            .unwrap();
        assert_eq!(badge, 3, "one mention and two unread direct messages");
    }
    assert_eq!(
        notifications::badge_count(s, &bob.id, false).await.unwrap(),
        0
    );
}
