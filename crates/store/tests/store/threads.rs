//! `store::threads` and the memberships a reply moves (`thread_store_test.go`).

use crate::support::*;
use utmost_model::channel::{Channel, CHANNEL_DIRECT};
use utmost_model::post::Post;
use utmost_model::user::User;
use utmost_store::posts::{self, Created, NewPostEffects};
use utmost_store::threads::{self, Membership, ReplyFollowing, ThreadFilter, ThreadPage};
use utmost_store::{channels, Store};

on_both_databases!(
    a_reply_moves_its_memberships,
    an_unfollow_holds_until_a_mention,
    without_auto_follow_only_the_replier_reads,
    thread_lists_filter_and_page,
    reading_following_and_reading_everything,
);

/// Saves reply `post` as `app::posts` does under auto-follow, mentioning `mentioned`.
async fn save_reply(
    s: &Store,
    c: &Channel,
    post: &Post,
    mentioned: &[&User],
    auto: bool,
) -> Created {
    let effects = NewPostEffects {
        team_id: c.team_id.clone(),
        mentioned: mentioned.iter().map(|u| u.id.clone()).collect(),
        mark_read_for_poster: false,
        thread: Some(ReplyFollowing {
            auto_follow: auto,
            participants: Vec::new(),
            mentioned: mentioned.iter().map(|u| u.id.clone()).collect(),
            read_followers: true,
        }),
    };
    posts::create(s, post, &effects).await.unwrap()
}

async fn replied(
    s: &Store,
    c: &Channel,
    u: &User,
    at: i64,
    root: &Post,
    mentioned: &[&User],
) -> Created {
    save_reply(s, c, &post_at(c, u, at, Some(root)), mentioned, true).await
}

async fn membership(s: &Store, u: &User, root: &Post) -> Option<Membership> {
    threads::membership(s, &u.id, &root.id).await.unwrap()
}

fn page(per_page: i64) -> ThreadPage<'static> {
    ThreadPage {
        per_page,
        ..ThreadPage::default()
    }
}

fn listed(list: &[threads::UserThread]) -> Vec<&str> {
    list.iter().map(|t| t.post.id.as_str()).collect()
}

async fn a_reply_moves_its_memberships(s: &Store) {
    let (alice, bob, carol, dave) = (
        user(s, "alice").await,
        user(s, "bob").await,
        user(s, "carol").await,
        user(s, "dave").await,
    );
    let t = team(s, "t").await;
    let c = open_channel(s, &t, "c").await;
    for u in [&alice, &bob, &carol] {
        join(s, &c, u).await;
    }
    let root = posted(s, &c, &alice, 1_000, None).await;
    // Bob replies mentioning carol and dave (who is not in the channel).
    let created = replied(s, &c, &bob, 2_000, &root, &[&carol, &dave]).await;
    assert_eq!(created.reply_count, 1);
    let thread = created.thread.unwrap();
    assert_eq!(thread.root.id, root.id);
    assert_eq!(thread.root.reply_count, 1);
    assert_eq!(
        (thread.last_reply_at, thread.participants),
        (2_000, vec![bob.id.clone()])
    );
    let follower = |f: &threads::Follower| {
        (
            f.user_id.clone(),
            f.last_viewed,
            f.unread_mentions,
            f.unread_replies,
        )
    };
    let mut expected = vec![
        (alice.id.clone(), 0, 0, 1),
        (bob.id.clone(), 2_000, 0, 0),
        (carol.id.clone(), 0, 1, 1),
    ];
    expected.sort();
    assert_eq!(
        created.followers.iter().map(follower).collect::<Vec<_>>(),
        expected
    );
    assert_eq!(membership(s, &dave, &root).await, None);

    // A second mention adds up; the replier's read point moves and their mentions clear.
    let created = replied(s, &c, &alice, 3_000, &root, &[&carol]).await;
    assert_eq!(
        created.thread.unwrap().participants,
        vec![bob.id.clone(), alice.id.clone()]
    );
    let carol_row = membership(s, &carol, &root).await.unwrap();
    assert_eq!((carol_row.following, carol_row.unread_mentions), (true, 2));
    let alice_row = membership(s, &alice, &root).await.unwrap();
    assert_eq!(
        (alice_row.last_viewed, alice_row.unread_mentions),
        (3_000, 0)
    );
    let bob_row = membership(s, &bob, &root).await.unwrap();
    assert_eq!(bob_row.last_viewed, 2_000);
}

async fn an_unfollow_holds_until_a_mention(s: &Store) {
    let (alice, bob) = (user(s, "alice").await, user(s, "bob").await);
    let t = team(s, "t").await;
    let c = open_channel(s, &t, "c").await;
    join(s, &c, &alice).await;
    join(s, &c, &bob).await;
    let root = posted(s, &c, &alice, 1_000, None).await;
    replied(s, &c, &bob, 2_000, &root, &[]).await;
    threads::set_following(s, &alice.id, &root.id, false, 2_500)
        .await
        .unwrap();
    // Neither a reply nor replying oneself brings the thread back.
    replied(s, &c, &bob, 3_000, &root, &[]).await;
    replied(s, &c, &alice, 3_500, &root, &[]).await;
    let row = membership(s, &alice, &root).await.unwrap();
    assert!(!row.following);
    assert_eq!(row.last_viewed, 0);
    // A mention does.
    let created = replied(s, &c, &bob, 4_000, &root, &[&alice]).await;
    let row = membership(s, &alice, &root).await.unwrap();
    assert_eq!((row.following, row.unread_mentions), (true, 1));
    assert!(created.followers.iter().any(|f| f.user_id == alice.id));
}

async fn without_auto_follow_only_the_replier_reads(s: &Store) {
    let (alice, bob) = (user(s, "alice").await, user(s, "bob").await);
    let t = team(s, "t").await;
    let c = open_channel(s, &t, "c").await;
    join(s, &c, &alice).await;
    join(s, &c, &bob).await;
    let root = posted(s, &c, &alice, 1_000, None).await;
    let created = save_reply(
        s,
        &c,
        &post_at(&c, &bob, 2_000, Some(&root)),
        &[&alice],
        false,
    )
    .await;
    assert!(created.followers.is_empty());
    assert_eq!(membership(s, &alice, &root).await, None);
    assert_eq!(membership(s, &bob, &root).await, None);
    threads::set_following(s, &bob.id, &root.id, true, 2_100)
        .await
        .unwrap();
    save_reply(s, &c, &post_at(&c, &bob, 3_000, Some(&root)), &[], false).await;
    assert_eq!(membership(s, &bob, &root).await.unwrap().last_viewed, 3_000);
}

async fn thread_lists_filter_and_page(s: &Store) {
    let (alice, bob) = (user(s, "alice").await, user(s, "bob").await);
    let t = team(s, "t").await;
    let c = open_channel(s, &t, "c").await;
    join(s, &c, &alice).await;
    join(s, &c, &bob).await;
    let dm = channel(s, "", &format!("{}__{}", alice.id, bob.id), CHANNEL_DIRECT).await;
    join(s, &dm, &alice).await;
    join(s, &dm, &bob).await;
    let mut roots = Vec::new();
    for n in 0..3 {
        let root = posted(s, &c, &alice, 1_000 + n, None).await;
        replied(s, &c, &bob, 2_000 + n * 10, &root, &[]).await;
        roots.push(root);
    }
    let dm_root = posted(s, &dm, &alice, 1_500, None).await;
    replied(s, &dm, &bob, 3_000, &dm_root, &[&alice]).await;
    let filter = ThreadFilter {
        user_id: &alice.id,
        team_id: &t.id,
        ..ThreadFilter::default()
    };
    let all = threads::for_user(s, &filter, &page(10)).await.unwrap();
    assert_eq!(
        listed(&all),
        [&dm_root.id, &roots[2].id, &roots[1].id, &roots[0].id]
    );
    assert_eq!(all[0].unread_mentions, 1);
    assert_eq!(
        (
            all[1].reply_count,
            all[1].unread_replies,
            all[1].last_reply_at
        ),
        (1, 1, 2_020)
    );
    let totals = threads::totals(s, &filter).await.unwrap();
    assert_eq!(
        (totals.total, totals.unread_threads, totals.unread_mentions),
        (4, 4, 1)
    );

    let first = threads::for_user(s, &filter, &page(2)).await.unwrap();
    assert_eq!(listed(&first), [&dm_root.id, &roots[2].id]);
    let before = ThreadPage {
        before: &roots[2].id,
        ..page(2)
    };
    assert_eq!(
        listed(&threads::for_user(s, &filter, &before).await.unwrap()),
        [&roots[1].id, &roots[0].id]
    );
    let after = ThreadPage {
        after: &roots[0].id,
        ..page(10)
    };
    assert_eq!(
        listed(&threads::for_user(s, &filter, &after).await.unwrap()),
        [&roots[1].id, &roots[2].id, &dm_root.id]
    );
    let since = ThreadPage {
        since: 2_015,
        ..page(10)
    };
    assert_eq!(
        listed(&threads::for_user(s, &filter, &since).await.unwrap()),
        [&dm_root.id, &roots[2].id]
    );
    assert!(threads::for_user(s, &filter, &page(0))
        .await
        .unwrap()
        .is_empty());

    let teams_only = ThreadFilter {
        exclude_direct: true,
        ..filter.clone()
    };
    assert_eq!(threads::totals(s, &teams_only).await.unwrap().total, 3);
    // Unread only; a deleted root's thread only when asked for.
    threads::mark_read(s, &alice.id, &roots[0].id, 5_000, 5_000, &|_| 0)
        .await
        .unwrap();
    let unread = ThreadPage {
        unread_only: true,
        ..page(10)
    };
    assert_eq!(
        listed(&threads::for_user(s, &filter, &unread).await.unwrap()).len(),
        3
    );
    posts::delete(s, &roots[1].id, 6_000, &alice.id)
        .await
        .unwrap();
    assert_eq!(threads::totals(s, &filter).await.unwrap().total, 3);
    let deleted = ThreadFilter {
        deleted: true,
        ..filter.clone()
    };
    let with_deleted = threads::for_user(s, &deleted, &page(10)).await.unwrap();
    assert_eq!(
        with_deleted
            .iter()
            .find(|t| t.post.id == roots[1].id)
            .unwrap()
            .delete_at,
        6_000
    );

    // Team unreads count team threads only.
    let unreads = threads::team_unreads(s, &alice.id).await.unwrap();
    assert_eq!(unreads.len(), 1);
    assert_eq!(
        (unreads[0].team_id.as_str(), unreads[0].thread_count),
        (t.id.as_str(), 1)
    );

    // Leaving the channel takes its threads out of every read.
    channels::remove_member(s, &c.id, &alice.id, 7_000)
        .await
        .unwrap();
    assert_eq!(
        listed(&threads::for_user(s, &filter, &page(10)).await.unwrap()),
        [&dm_root.id]
    );
    assert!(threads::for_user_one(s, &alice.id, &roots[0].id)
        .await
        .unwrap()
        .is_none());
    assert!(threads::team_unreads(s, &alice.id)
        .await
        .unwrap()
        .is_empty());
}

async fn reading_following_and_reading_everything(s: &Store) {
    let (alice, bob) = (user(s, "alice").await, user(s, "bob").await);
    let t = team(s, "t").await;
    let c = open_channel(s, &t, "c").await;
    join(s, &c, &alice).await;
    join(s, &c, &bob).await;
    let root = posted(s, &c, &alice, 1_000, None).await;
    replied(s, &c, &bob, 2_000, &root, &[&alice]).await;
    replied(s, &c, &bob, 3_000, &root, &[]).await;

    // The mentions are counted over the replies after the read point.
    let seen = std::sync::Mutex::new(Vec::new());
    let count = |replies: &[utmost_store::unreads::UnreadPost]| {
        seen.lock()
            .unwrap()
            .extend(replies.iter().map(|r| r.message.clone()));
        0
    };
    threads::mark_read(s, &alice.id, &root.id, 2_000, 9_000, &count)
        .await
        .unwrap();
    assert_eq!(*seen.lock().unwrap(), vec!["message at 3000".to_string()]);
    let one = threads::for_user_one(s, &alice.id, &root.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (
            one.last_viewed,
            one.unread_replies,
            one.unread_mentions,
            one.following
        ),
        (2_000, 1, 0, true)
    );

    // Unfollowing keeps the read point; following reads everything.
    assert_eq!(
        threads::set_following(s, &alice.id, &root.id, false, 9_100)
            .await
            .unwrap(),
        2
    );
    let row = membership(s, &alice, &root).await.unwrap();
    assert_eq!(
        (row.following, row.last_viewed, row.last_updated),
        (false, 2_000, 9_100)
    );
    threads::set_following(s, &alice.id, &root.id, true, 9_200)
        .await
        .unwrap();
    let row = membership(s, &alice, &root).await.unwrap();
    assert_eq!(
        (row.following, row.last_viewed, row.unread_mentions),
        (true, 9_200, 0)
    );
    // Following a thread one never had a row for.
    let carol = user(s, "carol").await;
    join(s, &c, &carol).await;
    threads::set_following(s, &carol.id, &root.id, false, 9_300)
        .await
        .unwrap();
    assert!(!membership(s, &carol, &root).await.unwrap().following);

    replied(s, &c, &bob, 9_500, &root, &[&alice]).await;
    threads::mark_all_read(s, &alice.id, &t.id, 10_000)
        .await
        .unwrap();
    let row = membership(s, &alice, &root).await.unwrap();
    assert_eq!((row.last_viewed, row.unread_mentions), (10_000, 0));
    let other = team(s, "other").await;
    replied(s, &c, &bob, 10_500, &root, &[&alice]).await;
    threads::mark_all_read(s, &alice.id, &other.id, 11_000)
        .await
        .unwrap();
    assert_eq!(
        membership(s, &alice, &root).await.unwrap().unread_mentions,
        1
    );
}
