//! `store::unreads` and `teams::channel_unreads`: marking a channel unread from a post, and
//! the unread counts team unreads are summed from.

use crate::support::*;
use utmost_model::post::Post;
use utmost_store::teams::{self, UnreadScope};
use utmost_store::unreads::{self, Mentions};
use utmost_store::{Store, StoreError};

on_both_databases!(
    marking_unread_moves_the_read_point_back,
    posts_after_skip_join_leave_and_deleted_posts,
    channel_unreads_by_team,
);

async fn marking_unread_moves_the_read_point_back(s: &Store) {
    let red = team(s, "red").await;
    let (alice, bob) = (user(s, "alice").await, user(s, "bob").await);
    let town = open_channel(s, &red, "town").await;
    join(s, &town, &alice).await;
    join(s, &town, &bob).await;
    let first = posted(s, &town, &alice, 2_000, None).await;
    let second = posted(s, &town, &alice, 3_000, None).await;
    posted(s, &town, &alice, 4_000, Some(&second)).await;
    let joined = Post {
        post_type: "system_join_channel".into(),
        ..post_at(&town, &alice, 5_000, None)
    };
    save(s, &red.id, &joined, &[]).await;
    utmost_store::channels::mark_viewed(s, &bob.id, std::slice::from_ref(&town.id))
        .await
        .unwrap();

    let mentions = Mentions {
        all: 2,
        root: 1,
        urgent: 0,
    };
    let at = unreads::set_unread_from(s, &town.id, &bob.id, second.create_at, &mentions, 9_000)
        .await
        .unwrap();
    // The second post and its reply are unread again; the join message never counts.
    assert_eq!(at.teamid, red.id);
    assert_eq!((at.msgcount, at.msgcountroot), (1, 1));
    assert_eq!((at.mentioncount, at.mentioncountroot), (2, 1));
    assert_eq!(at.lastviewedat, 2_999);
    let m = member(s, &town, &bob).await;
    assert_eq!((m.msg_count, m.last_update_at), (1, 9_000));

    let from_start =
        unreads::set_unread_from(s, &town.id, &bob.id, first.create_at, &mentions, 9_500);
    let at = from_start.await.unwrap();
    assert_eq!((at.msgcount, at.msgcountroot), (0, 0));

    let stranger = user(s, "stranger").await;
    let refused =
        unreads::set_unread_from(s, &town.id, &stranger.id, first.create_at, &mentions, 9_000)
            .await;
    assert!(
        matches!(refused, Err(StoreError::NotFound(_))),
        "{refused:?}"
    );
}

async fn posts_after_skip_join_leave_and_deleted_posts(s: &Store) {
    let red = team(s, "red").await;
    let alice = user(s, "alice").await;
    let town = open_channel(s, &red, "town").await;
    join(s, &town, &alice).await;
    let kept = posted(s, &town, &alice, 2_000, None).await;
    let gone = posted(s, &town, &alice, 3_000, None).await;
    utmost_store::posts::delete(s, &gone.id, 3_500, &alice.id)
        .await
        .unwrap();
    let joined = Post {
        post_type: "system_leave_channel".into(),
        ..post_at(&town, &alice, 4_000, None)
    };
    save(s, &red.id, &joined, &[]).await;
    let reply = posted(s, &town, &alice, 5_000, Some(&kept)).await;

    let after = unreads::posts_after(s, &town.id, 1_000, 10).await.unwrap();
    let messages: Vec<&str> = after.iter().map(|p| p.message.as_str()).collect();
    assert_eq!(messages, [kept.message.as_str(), reply.message.as_str()]);
    assert_eq!(after[1].rootid, kept.id);
    assert_eq!(
        unreads::posts_after(s, &town.id, 1_000, 1)
            .await
            .unwrap()
            .len(),
        1
    );
    assert!(unreads::posts_after(s, &town.id, 5_000, 10)
        .await
        .unwrap()
        .is_empty());
}

async fn channel_unreads_by_team(s: &Store) {
    let (red, blue) = (team(s, "red").await, team(s, "blue").await);
    let (alice, bob) = (user(s, "alice").await, user(s, "bob").await);
    let town = open_channel(s, &red, "town").await;
    let muted = open_channel(s, &red, "muted").await;
    let away = open_channel(s, &blue, "away").await;
    for c in [&town, &muted, &away] {
        join(s, c, &alice).await;
        join(s, c, &bob).await;
    }
    let gone = open_channel(s, &red, "gone").await;
    join(s, &gone, &bob).await;
    posted(s, &gone, &alice, 1_500, None).await;
    let archived = utmost_model::channel::Channel {
        delete_at: 1_600,
        ..gone
    };
    utmost_store::channels::update(s, &archived).await.unwrap();
    let root = post_at(&town, &alice, 2_000, None);
    save(s, &red.id, &root, &[&bob]).await;
    posted(s, &town, &alice, 3_000, Some(&root)).await;
    posted(s, &away, &alice, 4_000, None).await;
    let mute = [("mark_unread".to_string(), "mention".to_string())].into();
    utmost_store::channels::merge_notify_props(s, &muted.id, &bob.id, &mute, 1_000)
        .await
        .unwrap();

    let red_unreads = teams::channel_unreads(s, &bob.id, UnreadScope::Team(&red.id))
        .await
        .unwrap();
    // Archived channels are left out; the rest come in channel order within the team.
    assert_eq!(red_unreads.len(), 2);
    let town_unread = red_unreads
        .iter()
        .find(|u| !u.marks_mentions_only())
        .unwrap();
    assert_eq!((town_unread.msg_count, town_unread.msg_count_root), (2, 1));
    assert_eq!(
        (town_unread.mention_count, town_unread.mention_count_root),
        (1, 1)
    );
    assert_eq!(
        red_unreads
            .iter()
            .filter(|u| u.marks_mentions_only())
            .count(),
        1
    );

    let others = teams::channel_unreads(s, &bob.id, UnreadScope::AllTeamsExcept(&red.id))
        .await
        .unwrap();
    assert_eq!(others.len(), 1);
    assert_eq!(
        (others[0].team_id.as_str(), others[0].msg_count),
        (blue.id.as_str(), 1)
    );
}
