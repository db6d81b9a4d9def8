//! `store::channels`: names, archiving and restoring with the public mirror, members and
//! their history, read state, lists and searches (`channel_store_test.go`).

use crate::support::*;
use std::collections::BTreeMap;
use utmost_model::channel::{Channel, CHANNEL_DIRECT, CHANNEL_PRIVATE};
use utmost_store::channels::{self, AllChannelsSearch, Archived, Saved};
use utmost_store::{Deleted, Store, StoreError};

on_both_databases!(
    names_are_unique_within_a_team,
    the_channel_limit_counts_live_team_channels,
    archiving_and_restoring_move_the_public_mirror,
    a_privacy_change_leaves_the_public_mirror,
    members_are_added_once_and_removed_once,
    member_pages_and_lists,
    viewing_catches_the_member_up,
    notify_props_merge_and_roles_update,
    user_channel_lists_and_archived_filters,
    searches_match_word_beginnings,
    search_words_follow_the_channel,
    many_matches_are_walked_in_display_name_order,
    leaving_a_team_and_deleting_for_good,
    stats_count_members_guests_and_pins,
);

fn names(channels: &[Channel]) -> Vec<&str> {
    channels.iter().map(|c| c.name.as_str()).collect()
}

async fn archive(s: &Store, c: &Channel, at: i64) -> Channel {
    let archived = Channel {
        delete_at: at,
        update_at: at,
        ..c.clone()
    };
    assert!(channels::update(s, &archived).await.unwrap());
    archived
}

async fn names_are_unique_within_a_team(s: &Store) {
    let (red, blue) = (team(s, "red").await, team(s, "blue").await);
    let first = open_channel(s, &red, "town").await;
    let twin = Channel {
        id: utmost_model::new_id(),
        ..first.clone()
    };
    assert_eq!(
        channels::create(s, &twin, &[], None).await.unwrap(),
        Saved::NameTaken
    );
    assert!(channels::get(s, &twin.id).await.unwrap().is_none());
    open_channel(s, &blue, "town").await;
    let found = channels::get_by_name(s, &red.id, "town", Deleted::Exclude)
        .await
        .unwrap();
    assert_eq!(found.map(|c| c.id), Some(first.id.clone()));
    // Renaming onto a taken name is a conflict.
    let other = open_channel(s, &red, "other").await;
    let renamed = Channel {
        name: "town".into(),
        ..other
    };
    let taken = channels::update(s, &renamed).await;
    assert!(matches!(taken, Err(StoreError::Conflict(_))), "{taken:?}");
    assert!(!channels::update(
        s,
        &Channel {
            id: utmost_model::new_id(),
            ..first
        }
    )
    .await
    .unwrap());
}

async fn the_channel_limit_counts_live_team_channels(s: &Store) {
    let red = team(s, "red").await;
    let one = open_channel(s, &red, "one").await;
    channel(s, &red.id, "two", CHANNEL_PRIVATE).await;
    let new = |name: &str| Channel {
        id: utmost_model::new_id(),
        name: name.into(),
        ..one.clone()
    };
    let over = channels::create(s, &new("three"), &[], Some(2))
        .await
        .unwrap();
    assert_eq!(over, Saved::LimitExceeded);
    archive(s, &one, 2_000).await;
    let under = channels::create(s, &new("three"), &[], Some(2))
        .await
        .unwrap();
    assert_eq!(under, Saved::Created);
    // Archived channels still count against MaxChannelsPerTeam's total.
    assert_eq!(channels::count_team_channels(s, &red.id).await.unwrap(), 3);
}

async fn archiving_and_restoring_move_the_public_mirror(s: &Store) {
    let red = team(s, "red").await;
    let alice = user(s, "alice").await;
    let town = open_channel(s, &red, "town").await;
    let off = open_channel(s, &red, "off").await;
    assert_eq!(
        names(
            &channels::public_channels_for_team(s, &red.id, 10, 0)
                .await
                .unwrap()
        ),
        ["off", "town"]
    );

    archive(s, &off, 2_000).await;
    assert!(channels::get_by_name(s, &red.id, "off", Deleted::Exclude)
        .await
        .unwrap()
        .is_none());
    let archived = channels::get_by_name(s, &red.id, "off", Deleted::Include)
        .await
        .unwrap();
    assert_eq!(archived.map(|c| c.delete_at), Some(2_000));
    assert_eq!(
        names(
            &channels::public_channels_for_team(s, &red.id, 10, 0)
                .await
                .unwrap()
        ),
        ["town"]
    );
    let listed = channels::deleted_channels_for_team(s, &red.id, &alice.id, 10, 0)
        .await
        .unwrap();
    assert_eq!(names(&listed), ["off"]);
    let ids = vec![town.id.clone(), off.id.clone()];
    assert_eq!(
        names(
            &channels::public_channels_by_ids(s, &red.id, &ids)
                .await
                .unwrap()
        ),
        ["town"]
    );

    archive(s, &off, 0).await;
    assert_eq!(
        names(
            &channels::public_channels_for_team(s, &red.id, 10, 0)
                .await
                .unwrap()
        ),
        ["off", "town"]
    );
    assert!(
        channels::deleted_channels_for_team(s, &red.id, &alice.id, 10, 0)
            .await
            .unwrap()
            .is_empty()
    );
    // Pages end empty.
    assert_eq!(
        names(
            &channels::public_channels_for_team(s, &red.id, 1, 1)
                .await
                .unwrap()
        ),
        ["town"]
    );
    assert!(channels::public_channels_for_team(s, &red.id, 10, 2)
        .await
        .unwrap()
        .is_empty());
}

async fn a_privacy_change_leaves_the_public_mirror(s: &Store) {
    let red = team(s, "red").await;
    let (alice, bob) = (user(s, "alice").await, user(s, "bob").await);
    let town = open_channel(s, &red, "town").await;
    join(s, &town, &alice).await;
    let private = Channel {
        channel_type: CHANNEL_PRIVATE.into(),
        ..town.clone()
    };
    assert!(channels::update(s, &private).await.unwrap());
    assert!(channels::public_channels_for_team(s, &red.id, 10, 0)
        .await
        .unwrap()
        .is_empty());
    // An archived private channel is listed only to its members.
    archive(s, &private, 2_000).await;
    assert_eq!(
        names(
            &channels::deleted_channels_for_team(s, &red.id, &alice.id, 10, 0)
                .await
                .unwrap()
        ),
        ["town"]
    );
    assert!(
        channels::deleted_channels_for_team(s, &red.id, &bob.id, 10, 0)
            .await
            .unwrap()
            .is_empty()
    );
}

async fn members_are_added_once_and_removed_once(s: &Store) {
    let red = team(s, "red").await;
    let alice = user(s, "alice").await;
    let town = open_channel(s, &red, "town").await;
    let m = member_of(&town, &alice);
    assert!(channels::add_member(s, &m, 2_000).await.unwrap());
    assert!(!channels::add_member(s, &m, 3_000).await.unwrap());
    let stored = member(s, &town, &alice).await;
    assert_eq!(stored.last_update_at, 2_000);
    assert_eq!(stored.roles, "channel_user");
    assert!(channels::remove_member(s, &town.id, &alice.id, 4_000)
        .await
        .unwrap());
    assert!(!channels::remove_member(s, &town.id, &alice.id, 5_000)
        .await
        .unwrap());
    assert!(channels::member(s, &town.id, &alice.id)
        .await
        .unwrap()
        .is_none());
    // Rejoining works, and a channel created with members has them.
    assert!(channels::add_member(s, &m, 6_000).await.unwrap());
    let bob = user(s, "bob").await;
    let with_members = Channel {
        id: utmost_model::new_id(),
        name: "crew".into(),
        ..town.clone()
    };
    let first = [
        member_of(&with_members, &alice),
        member_of(&with_members, &bob),
    ];
    assert_eq!(
        channels::create(s, &with_members, &first, None)
            .await
            .unwrap(),
        Saved::Created
    );
    assert_eq!(
        channels::members_page(s, &with_members.id, 10, 0)
            .await
            .unwrap()
            .len(),
        2
    );
}

async fn member_pages_and_lists(s: &Store) {
    let red = team(s, "red").await;
    let town = open_channel(s, &red, "town").await;
    let mut users = Vec::new();
    for name in ["ann", "ben", "cat"] {
        let u = user(s, name).await;
        join(s, &town, &u).await;
        users.push(u);
    }
    let mut ids: Vec<String> = users.iter().map(|u| u.id.clone()).collect();
    ids.sort();
    let page = |limit, offset| channels::members_page(s, &town.id, limit, offset);
    let first: Vec<String> = page(2, 0)
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.user_id)
        .collect();
    assert_eq!(first, ids[..2]);
    assert_eq!(page(2, 2).await.unwrap().len(), 1);
    assert!(page(2, 4).await.unwrap().is_empty());
    let wanted = vec![users[0].id.clone(), "notamember0000000000000000".into()];
    let found = channels::members_by_ids(s, &town.id, &wanted)
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    assert!(channels::members_by_ids(s, &town.id, &[])
        .await
        .unwrap()
        .is_empty());

    let dm = channel(s, "", "dm_name", CHANNEL_DIRECT).await;
    join(s, &dm, &users[0]).await;
    let in_team = channels::members_for_user_in_team(s, &red.id, &users[0].id)
        .await
        .unwrap();
    assert_eq!(in_team.len(), 2);
    let everywhere = channels::members_for_user(s, &users[0].id, 10, 0)
        .await
        .unwrap();
    let teams: Vec<&str> = everywhere.iter().map(|m| m.team_name.as_str()).collect();
    let mut expected = [("", &dm.id), ("red", &town.id)];
    expected.sort_by_key(|e| e.1);
    assert_eq!(teams, expected.iter().map(|e| e.0).collect::<Vec<_>>());
    assert_eq!(
        channels::members_for_user(s, &users[0].id, 1, 1)
            .await
            .unwrap()
            .len(),
        1
    );
}

async fn viewing_catches_the_member_up(s: &Store) {
    let red = team(s, "red").await;
    let (alice, bob) = (user(s, "alice").await, user(s, "bob").await);
    let town = open_channel(s, &red, "town").await;
    let private = channel(s, &red.id, "hidden", CHANNEL_PRIVATE).await;
    join(s, &town, &alice).await;
    join(s, &town, &bob).await;
    join(s, &private, &alice).await;
    let root = post_at(&town, &alice, 2_000, None);
    save(s, &red.id, &root, &[&bob]).await;
    posted(s, &town, &alice, 3_000, Some(&root)).await;
    let unread = member(s, &town, &bob).await;
    assert_eq!((unread.msg_count, unread.mention_count), (0, 1));

    let asked = vec![town.id.clone(), private.id.clone()];
    let viewed = channels::mark_viewed(s, &bob.id, &asked).await.unwrap();
    // Bob is no member of the private channel: it is left out of the answer.
    assert_eq!(viewed, vec![(town.id.clone(), 3_000)]);
    let read = member(s, &town, &bob).await;
    assert_eq!((read.msg_count, read.msg_count_root), (2, 1));
    assert_eq!((read.mention_count, read.mention_count_root), (0, 0));
    assert_eq!((read.last_viewed_at, read.last_update_at), (3_000, 3_000));
    assert!(channels::mark_viewed(s, &bob.id, &[])
        .await
        .unwrap()
        .is_empty());
}

async fn notify_props_merge_and_roles_update(s: &Store) {
    let red = team(s, "red").await;
    let alice = user(s, "alice").await;
    let town = open_channel(s, &red, "town").await;
    join(s, &town, &alice).await;
    let change = BTreeMap::from([("push".to_string(), "mention".to_string())]);
    assert!(
        channels::merge_notify_props(s, &town.id, &alice.id, &change, 2_000)
            .await
            .unwrap()
    );
    let m = member(s, &town, &alice).await;
    assert_eq!(
        m.notify_props.get("push").map(String::as_str),
        Some("mention")
    );
    assert_eq!(
        m.notify_props.get("desktop").map(String::as_str),
        Some("default")
    );
    assert!(
        !channels::merge_notify_props(s, &town.id, "nobody", &change, 2_000)
            .await
            .unwrap()
    );

    let admin = utmost_model::channel::ChannelMember {
        scheme_admin: true,
        explicit_roles: "custom_role".into(),
        ..m
    };
    assert!(channels::update_member_roles(s, &admin, 3_000)
        .await
        .unwrap());
    let m = member(s, &town, &alice).await;
    assert_eq!(m.roles, "custom_role channel_user channel_admin");
    assert_eq!(m.last_update_at, 3_000);
}

async fn user_channel_lists_and_archived_filters(s: &Store) {
    let (red, blue) = (team(s, "red").await, team(s, "blue").await);
    let alice = user(s, "alice").await;
    let b = open_channel(s, &red, "b_town").await;
    let a = open_channel(s, &red, "a_old").await;
    let elsewhere = open_channel(s, &blue, "c_blue").await;
    let dm = channel(s, "", "d_dm", CHANNEL_DIRECT).await;
    for c in [&a, &b, &elsewhere, &dm] {
        join(s, c, &alice).await;
    }
    archive(s, &a, 5_000).await;
    let in_red = |archived| channels::team_channels_for_user(s, &red.id, &alice.id, archived);
    assert_eq!(
        names(&in_red(Archived::Exclude).await.unwrap()),
        ["b_town", "d_dm"]
    );
    assert_eq!(in_red(Archived::All).await.unwrap().len(), 3);
    assert_eq!(in_red(Archived::Since(5_000)).await.unwrap().len(), 3);
    assert_eq!(in_red(Archived::Since(5_001)).await.unwrap().len(), 2);
    let everywhere = channels::channels_for_user(s, &alice.id, Archived::Exclude)
        .await
        .unwrap();
    assert_eq!(everywhere.len(), 3);
}

async fn searches_match_word_beginnings(s: &Store) {
    let red = team(s, "red").await;
    let (alice, bob) = (user(s, "alice").await, user(s, "bob").await);
    open_channel(s, &red, "per_cent").await;
    open_channel(s, &red, "percent").await;
    let secret = channel(s, &red.id, "per_secret", CHANNEL_PRIVATE).await;
    join(s, &secret, &alice).await;
    let gone = open_channel(s, &red, "per_gone").await;
    archive(s, &gone, 2_000).await;

    let public = |term, deleted| channels::search_public_channels(s, &red.id, term, deleted);
    // ASCII punctuation starts a word; LIKE's wildcards are punctuation, not wildcards.
    assert_eq!(
        names(&public("cent", Deleted::Exclude).await.unwrap()),
        ["per_cent"]
    );
    assert!(public("r_c", Deleted::Exclude).await.unwrap().is_empty());
    assert!(public("erc", Deleted::Exclude).await.unwrap().is_empty());
    assert_eq!(public("per_", Deleted::Exclude).await.unwrap().len(), 2);
    assert_eq!(public("PER", Deleted::Exclude).await.unwrap().len(), 2);
    assert_eq!(public("per", Deleted::Include).await.unwrap().len(), 3);
    assert!(public("%", Deleted::Exclude).await.unwrap().is_empty());

    let complete =
        |user, deleted| channels::autocomplete_channels(s, &red.id, user, "per", deleted);
    assert_eq!(
        complete(&alice.id, Deleted::Exclude).await.unwrap().len(),
        3
    );
    assert_eq!(complete(&bob.id, Deleted::Exclude).await.unwrap().len(), 2);
    assert_eq!(complete(&bob.id, Deleted::Include).await.unwrap().len(), 3);
}

async fn search_words_follow_the_channel(s: &Store) {
    let red = team(s, "red").await;
    let alice = user(s, "alice").await;
    let crew = open_channel(s, &red, "launch-crew").await;
    let planned = Channel {
        display_name: "Release Planning".into(),
        purpose: "Weekly sync-up".into(),
        update_at: 2_000,
        ..crew.clone()
    };
    assert!(channels::update(s, &planned).await.unwrap());
    let secret = channel(s, &red.id, "crew-secrets", CHANNEL_PRIVATE).await;

    let public = |term| channels::search_public_channels(s, &red.id, term, Deleted::Exclude);
    for term in ["rel PLAN", "plan rel", "crew", "up", "sync"] {
        assert_eq!(
            names(&public(term).await.unwrap()),
            ["launch-crew"],
            "{term}"
        );
    }
    assert!(public("rel nothing").await.unwrap().is_empty());
    assert!(public("lease").await.unwrap().is_empty());
    // Autocomplete reads names and display names, not purposes.
    let complete =
        |term| channels::autocomplete_channels(s, &red.id, &alice.id, term, Deleted::Exclude);
    assert_eq!(names(&complete("plan").await.unwrap()), ["launch-crew"]);
    assert!(complete("sync").await.unwrap().is_empty());
    // The system console sees private channels too, and counts them.
    let console = |term: &'static str| async move {
        let search = AllChannelsSearch {
            term: term.into(),
            limit: 1,
            ..AllChannelsSearch::default()
        };
        channels::search_all(s, &search).await
    };
    let (page, total) = console("CREW").await.unwrap();
    assert_eq!((page[0].channel.name.as_str(), total), ("crew-secrets", 2));
    assert_eq!(console("%").await.unwrap().1, 0);

    // A renamed channel is found by its new words only, a deleted one no more.
    let renamed = Channel {
        name: "squad".into(),
        display_name: "Squad".into(),
        update_at: 3_000,
        ..planned
    };
    assert!(channels::update(s, &renamed).await.unwrap());
    assert!(public("rel").await.unwrap().is_empty());
    assert_eq!(names(&public("squ").await.unwrap()), ["squad"]);
    assert_eq!(names(&public("week").await.unwrap()), ["squad"]);
    channels::permanent_delete(s, &crew.id).await.unwrap();
    channels::permanent_delete(s, &secret.id).await.unwrap();
    assert!(public("squ").await.unwrap().is_empty());
    assert_eq!(console("crew").await.unwrap().1, 0);
}

/// More matches than SQLite reads and sorts (2,000): it walks the team's channels instead;
/// the page, its order and the capped total must not change.
async fn many_matches_are_walked_in_display_name_order(s: &Store) {
    let (red, blue) = (team(s, "red").await, team(s, "blue").await);
    let alice = user(s, "alice").await;
    for i in (0..2_050).rev() {
        open_channel(s, &red, &format!("bulk-{i:04}")).await;
    }
    open_channel(s, &red, "other").await;
    open_channel(s, &blue, "bulk-blue").await;
    let gone = open_channel(s, &red, "bulk-0000-gone").await;
    archive(s, &gone, 2_000).await;

    let public = channels::search_public_channels(s, &red.id, "BUL", Deleted::Exclude)
        .await
        .unwrap();
    assert_eq!(public.len(), 100);
    assert_eq!(
        (public[0].name.as_str(), public[99].name.as_str()),
        ("bulk-0000", "bulk-0099")
    );
    let complete =
        channels::autocomplete_channels(s, &red.id, &alice.id, "bulk 01", Deleted::Exclude)
            .await
            .unwrap();
    assert_eq!(complete.len(), 50);
    assert_eq!(complete[0].name, "bulk-0100");
    let console = |offset| async move {
        let search = AllChannelsSearch {
            term: "bulk".into(),
            limit: 10,
            offset,
            ..AllChannelsSearch::default()
        };
        channels::search_all(s, &search).await.unwrap()
    };
    let (first, total) = console(0).await;
    assert_eq!(
        (first[0].channel.name.as_str(), total),
        ("bulk-0000", 1_000)
    );
    let (deep, total) = console(1_500).await;
    assert_eq!((deep[0].channel.name.as_str(), total), ("bulk-1500", 1_511));
}

async fn leaving_a_team_and_deleting_for_good(s: &Store) {
    let (red, blue) = (team(s, "red").await, team(s, "blue").await);
    let alice = user(s, "alice").await;
    let town = open_channel(s, &red, "town").await;
    let other = open_channel(s, &red, "other").await;
    let kept = open_channel(s, &blue, "kept").await;
    for c in [&town, &other, &kept] {
        join(s, c, &alice).await;
    }
    channels::remove_user_from_team_channels(s, &red.id, &alice.id, 2_000)
        .await
        .unwrap();
    assert!(channels::member(s, &town.id, &alice.id)
        .await
        .unwrap()
        .is_none());
    assert!(channels::member(s, &other.id, &alice.id)
        .await
        .unwrap()
        .is_none());
    assert!(channels::member(s, &kept.id, &alice.id)
        .await
        .unwrap()
        .is_some());

    posted(s, &kept, &alice, 3_000, None).await;
    channels::permanent_delete(s, &kept.id).await.unwrap();
    assert!(channels::get(s, &kept.id).await.unwrap().is_none());
    assert!(channels::member(s, &kept.id, &alice.id)
        .await
        .unwrap()
        .is_none());
    assert!(channels::public_channels_for_team(s, &blue.id, 10, 0)
        .await
        .unwrap()
        .is_empty());
}

async fn stats_count_members_guests_and_pins(s: &Store) {
    let red = team(s, "red").await;
    let (alice, guest) = (user(s, "alice").await, user(s, "guest").await);
    let town = open_channel(s, &red, "town").await;
    join(s, &town, &alice).await;
    let as_guest = utmost_model::channel::ChannelMember {
        scheme_user: false,
        scheme_guest: true,
        ..member_of(&town, &guest)
    };
    channels::add_member(s, &as_guest, 1_000).await.unwrap();
    let p = posted(s, &town, &alice, 2_000, None).await;
    let pinned = utmost_model::post::Post {
        is_pinned: true,
        update_at: 3_000,
        ..p.clone()
    };
    utmost_store::posts::update(s, &pinned, &p, &utmost_model::new_id())
        .await
        .unwrap();
    assert_eq!(channels::stats(s, &town.id).await.unwrap(), (2, 1, 1, 0));
}
