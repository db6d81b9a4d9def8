//! `store::posts`: the counters a post moves, thread rows, soft delete, edits, and every
//! listing's edges (`post_store_test.go`, `thread_store_test.go`).

use crate::support::*;
use sqlx::Connection;
use utmost_model::channel::{Channel, ChannelMember};
use utmost_model::post::{Post, PostMetadata, PostPriority, PROP_DELETE_BY};
use utmost_model::team::Team;
use utmost_model::user::User;
use utmost_store::posts::{
    self, ChannelPosts, Direction, NewPostEffects, Replies, Side, ThreadPage,
};
use utmost_store::{Deleted, Store, StoreError};

on_both_databases!(
    posts_move_channel_totals_and_the_posters_read_state,
    join_leave_messages_move_no_totals,
    mentions_count_for_the_mentioned_members,
    a_self_mention_yields_to_the_posters_read_state,
    replies_keep_the_thread_row,
    a_reply_returns_its_thread_count_and_needs_a_live_root,
    a_batch_writes_threads_whole_or_not_at_all,
    deleting_a_reply_recounts_its_thread,
    deleting_a_root_deletes_its_thread_and_keeps_totals,
    an_edit_keeps_the_old_version_as_history,
    pages_newest_first_and_end_empty,
    cursors_read_either_side_of_a_post,
    since_returns_changes_deleted_ones_included,
    neighbours_and_etags_honour_collapsed_threads,
    thread_context_with_and_without_replies,
    thread_pages_in_both_directions,
    pinned_and_by_ids,
);

fn live_posts(channel_id: &str) -> ChannelPosts<'_> {
    ChannelPosts {
        channel_id,
        deleted: Deleted::Exclude,
        collapsed_for: None,
    }
}

fn ids(posts: &[Post]) -> Vec<&str> {
    posts.iter().map(|p| p.id.as_str()).collect()
}

async fn posts_move_channel_totals_and_the_posters_read_state(s: &Store) {
    let (alice, bob) = (user(s, "alice").await, user(s, "bob").await);
    let team = team(s, "t").await;
    let town = open_channel(s, &team, "town").await;
    join(s, &town, &alice).await;
    join(s, &town, &bob).await;

    let root = posted(s, &town, &alice, 2_000, None).await;
    let c = reload(s, &town).await;
    assert_eq!((c.total_msg_count, c.total_msg_count_root), (1, 1));
    assert_eq!((c.last_post_at, c.last_root_post_at), (2_000, 2_000));
    let a = member(s, &town, &alice).await;
    assert_eq!(
        (a.msg_count, a.msg_count_root, a.last_viewed_at),
        (1, 1, 2_000)
    );
    let b = member(s, &town, &bob).await;
    assert_eq!((b.msg_count, b.msg_count_root, b.mention_count), (0, 0, 0));

    posted(s, &town, &bob, 3_000, Some(&root)).await;
    let c = reload(s, &town).await;
    assert_eq!((c.total_msg_count, c.total_msg_count_root), (2, 1));
    assert_eq!((c.last_post_at, c.last_root_post_at), (3_000, 2_000));
    let b = member(s, &town, &bob).await;
    assert_eq!(
        (b.msg_count, b.msg_count_root, b.last_viewed_at),
        (2, 1, 3_000)
    );
    // A reply bumps its root, so clients refetch the thread.
    let root = posts::get(s, &root.id, Deleted::Exclude)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(root.update_at, 3_000);
    // A root older than the channel's last post moves only the last root-post time.
    posted(s, &town, &bob, 2_500, None).await;
    let c = reload(s, &town).await;
    assert_eq!((c.last_post_at, c.last_root_post_at), (3_000, 2_500));
    assert_eq!(c.total_msg_count, 3);
}

async fn join_leave_messages_move_no_totals(s: &Store) {
    let alice = user(s, "alice").await;
    let team = team(s, "t").await;
    let town = open_channel(s, &team, "town").await;
    join(s, &town, &alice).await;
    let joined = Post {
        post_type: "system_join_channel".into(),
        ..post_at(&town, &alice, 2_000, None)
    };
    save(s, &team.id, &joined, &[]).await;
    let c = reload(s, &town).await;
    assert_eq!((c.total_msg_count, c.total_msg_count_root), (0, 0));
    assert_eq!(c.last_post_at, 2_000);
    assert_eq!(member(s, &town, &alice).await.msg_count, 0);
}

/// Team "t" and its channel "town", with Alice, Bob and Carol in it.
async fn town_of_three(s: &Store) -> (Team, Channel, [User; 3]) {
    let people = [
        user(s, "alice").await,
        user(s, "bob").await,
        user(s, "carol").await,
    ];
    let team = team(s, "t").await;
    let town = open_channel(s, &team, "town").await;
    for u in &people {
        join(s, &town, u).await;
    }
    (team, town, people)
}

async fn mentions_count_for_the_mentioned_members(s: &Store) {
    let (team, town, [alice, bob, carol]) = town_of_three(s).await;
    let root = post_at(&town, &alice, 2_000, None);
    save(s, &team.id, &root, &[&bob]).await;
    let reply = post_at(&town, &alice, 3_000, Some(&root));
    save(s, &team.id, &reply, &[&bob, &carol]).await;
    let urgent = Post {
        metadata: Some(PostMetadata {
            priority: Some(PostPriority {
                priority: Some("urgent".into()),
                ..PostPriority::default()
            }),
            ..PostMetadata::default()
        }),
        ..post_at(&town, &alice, 4_000, None)
    };
    save(s, &team.id, &urgent, &[&carol]).await;

    let b = member(s, &town, &bob).await;
    assert_eq!(
        (
            b.mention_count,
            b.mention_count_root,
            b.urgent_mention_count
        ),
        (2, 1, 0)
    );
    let c = member(s, &town, &carol).await;
    assert_eq!(
        (
            c.mention_count,
            c.mention_count_root,
            c.urgent_mention_count
        ),
        (2, 1, 1)
    );
    assert_eq!(c.last_update_at, 4_000);
}

fn effects(team_id: &str, mentioned: &[&User], mark_read_for_poster: bool) -> NewPostEffects {
    NewPostEffects {
        team_id: team_id.into(),
        mentioned: mentioned.iter().map(|u| u.id.clone()).collect(),
        mark_read_for_poster,
        thread: None,
    }
}

/// A member's counters and read times, in the order of the comment where they are used.
fn counters(m: &ChannelMember) -> (i64, i64, i64, i64, i64, i64, i64) {
    (
        m.msg_count,
        m.msg_count_root,
        m.mention_count,
        m.mention_count_root,
        m.urgent_mention_count,
        m.last_viewed_at,
        m.last_update_at,
    )
}

async fn a_self_mention_yields_to_the_posters_read_state(s: &Store) {
    let (team, town, [alice, bob, carol]) = town_of_three(s).await;
    let root = posted(s, &town, &carol, 1_000, None).await;

    // Alice mentions Bob and herself and reads up to her post: her mention does not count.
    let post = post_at(&town, &alice, 2_000, None);
    let created = posts::create(s, &post, &effects(&team.id, &[&bob, &alice], true))
        .await
        .unwrap();
    assert_eq!(created.reply_count, 0);
    // (messages, root messages, mentions, root mentions, urgent mentions, viewed, updated)
    assert_eq!(
        counters(&member(s, &town, &alice).await),
        (2, 2, 0, 0, 0, 2_000, 2_000)
    );
    assert_eq!(
        counters(&member(s, &town, &bob).await),
        (0, 0, 1, 1, 0, 0, 2_000)
    );
    assert_eq!(
        counters(&member(s, &town, &carol).await),
        (1, 1, 0, 0, 0, 1_000, 1_000)
    );

    // Not marked read (as a webhook's post), a self-mention counts as anyone's; a reply's
    // mention is no root mention.
    let reply = post_at(&town, &alice, 3_000, Some(&root));
    posts::create(s, &reply, &effects(&team.id, &[&alice], false))
        .await
        .unwrap();
    assert_eq!(
        counters(&member(s, &town, &alice).await),
        (2, 2, 1, 0, 0, 2_000, 3_000)
    );
    // Marked read with nobody mentioned, a poster who viewed the channel later keeps that.
    let old = post_at(&town, &carol, 500, None);
    posts::create(s, &old, &effects(&team.id, &[], true))
        .await
        .unwrap();
    assert_eq!(
        counters(&member(s, &town, &carol).await),
        (4, 3, 0, 0, 0, 1_000, 1_000)
    );
}

async fn a_reply_returns_its_thread_count_and_needs_a_live_root(s: &Store) {
    let alice = user(s, "alice").await;
    let team = team(s, "t").await;
    let town = open_channel(s, &team, "town").await;
    let elsewhere = open_channel(s, &team, "elsewhere").await;
    join(s, &town, &alice).await;
    join(s, &elsewhere, &alice).await;
    let root = posted(s, &town, &alice, 2_000, None).await;
    for (at, count) in [(3_000, 1), (4_000, 2)] {
        let reply = post_at(&town, &alice, at, Some(&root));
        let created = posts::create(s, &reply, &effects(&team.id, &[], true))
            .await
            .unwrap();
        assert_eq!(created.reply_count, count);
        let stored = posts::get(s, &reply.id, Deleted::Exclude).await.unwrap();
        assert_eq!(stored.map(|p| p.reply_count), Some(count));
    }

    let reply = posted(s, &town, &alice, 5_000, Some(&root)).await;
    let other_channel = posted(s, &elsewhere, &alice, 5_000, None).await;
    let deleted = posted(s, &town, &alice, 5_000, None).await;
    posts::delete(s, &deleted.id, 6_000, &alice.id)
        .await
        .unwrap();
    let before = reload(s, &town).await;
    let missing = utmost_model::new_id();
    for bad_root in [&reply.id, &other_channel.id, &deleted.id, &missing] {
        let post = Post {
            root_id: bad_root.clone(),
            ..post_at(&town, &alice, 7_000, None)
        };
        let refused = posts::create(s, &post, &effects(&team.id, &[], true)).await;
        assert!(
            matches!(refused, Err(StoreError::NotFound("root post"))),
            "{refused:?}"
        );
        assert!(posts::get(s, &post.id, Deleted::Include)
            .await
            .unwrap()
            .is_none());
    }
    // Nothing the refused replies would have moved has moved.
    let after = reload(s, &town).await;
    assert_eq!(
        (after.total_msg_count, after.last_post_at),
        (before.total_msg_count, before.last_post_at)
    );
    let roots = [&reply.id, &other_channel.id, &deleted.id];
    for id in roots {
        let post = posts::get(s, id, Deleted::Include).await.unwrap().unwrap();
        assert!(post.update_at < 7_000, "{id} was not bumped");
    }
    let a = member(s, &town, &alice).await;
    assert_eq!(a.last_viewed_at, 5_000);
}

/// `create_many` (a bulk import's batch): a reply may follow its root in the same batch, the
/// totals and thread rows come out as post-by-post writes leave them, and a batch with one
/// bad post writes nothing.
async fn a_batch_writes_threads_whole_or_not_at_all(s: &Store) {
    let alice = user(s, "alice").await;
    let team = team(s, "t").await;
    let town = open_channel(s, &team, "town").await;
    join(s, &town, &alice).await;
    let root = post_at(&town, &alice, 2_000, None);
    let replies = [3_000, 4_000].map(|at| post_at(&town, &alice, at, Some(&root)));
    let other = post_at(&town, &alice, 5_000, None);
    let batch: Vec<(Post, NewPostEffects)> = [&root, &replies[0], &replies[1], &other]
        .into_iter()
        .map(|p| (p.clone(), effects(&team.id, &[], false)))
        .collect();
    posts::create_many(s, &batch).await.unwrap();
    let c = reload(s, &town).await;
    assert_eq!((c.total_msg_count, c.total_msg_count_root), (4, 2));
    assert_eq!((c.last_post_at, c.last_root_post_at), (5_000, 5_000));
    let stored = thread_root(s, &town.id, &alice.id, &root.id).await;
    assert_eq!(stored.reply_count, 2);

    let good = post_at(&town, &alice, 6_000, None);
    let orphan = Post {
        root_id: utmost_model::new_id(),
        ..post_at(&town, &alice, 7_000, None)
    };
    let batch = [good.clone(), orphan].map(|p| (p, effects(&team.id, &[], false)));
    let refused = posts::create_many(s, &batch).await;
    assert!(
        matches!(refused, Err(StoreError::NotFound("root post"))),
        "{refused:?}"
    );
    assert!(posts::get(s, &good.id, Deleted::Include)
        .await
        .unwrap()
        .is_none());
    assert_eq!(reload(s, &town).await.total_msg_count, 4);
}

/// The root as a collapsed-threads listing shows it, with its `threads` row.
async fn thread_root(s: &Store, channel_id: &str, viewer: &str, root_id: &str) -> Post {
    let q = ChannelPosts {
        collapsed_for: Some(viewer),
        ..live_posts(channel_id)
    };
    let roots = posts::page(s, &q, 100, 0).await.unwrap();
    roots
        .into_iter()
        .find(|p| p.id == root_id)
        .expect("the root is listed")
}

fn participant_ids(p: &Post) -> Vec<String> {
    p.participants
        .iter()
        .flatten()
        .map(|v| v["id"].as_str().unwrap_or_default().to_string())
        .collect()
}

async fn replies_keep_the_thread_row(s: &Store) {
    let (alice, bob) = (user(s, "alice").await, user(s, "bob").await);
    let team = team(s, "t").await;
    let town = open_channel(s, &team, "town").await;
    join(s, &town, &alice).await;
    join(s, &town, &bob).await;
    let root = posted(s, &town, &alice, 2_000, None).await;
    let reply = posted(s, &town, &bob, 3_000, Some(&root)).await;

    let listed = thread_root(s, &town.id, &alice.id, &root.id).await;
    assert_eq!((listed.reply_count, listed.last_reply_at), (1, 3_000));
    assert_eq!(participant_ids(&listed), vec![bob.id.clone()]);

    // The latest poster moves to the end of the participants, without duplicates.
    posted(s, &town, &alice, 4_000, Some(&root)).await;
    posted(s, &town, &bob, 5_000, Some(&root)).await;
    let listed = thread_root(s, &town.id, &alice.id, &root.id).await;
    assert_eq!((listed.reply_count, listed.last_reply_at), (3, 5_000));
    assert_eq!(
        participant_ids(&listed),
        vec![alice.id.clone(), bob.id.clone()]
    );
    // Collapsed listings hold roots only; replies carry their thread's count elsewhere too.
    let q = ChannelPosts {
        collapsed_for: Some(&alice.id),
        ..live_posts(&town.id)
    };
    assert_eq!(
        ids(&posts::page(s, &q, 100, 0).await.unwrap()),
        vec![root.id.as_str()]
    );
    let reply = posts::get(s, &reply.id, Deleted::Exclude)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(reply.reply_count, 3);
}

/// On PostgreSQL a reply's root statement can wait for the root's lock held by a reply's
/// delete, and read the thread row as it was before that delete recounted it: the row is
/// written only if still as read, and read again otherwise. (SQLite's single writer cannot
/// interleave the two.)
#[tokio::test]
async fn a_reply_that_waited_for_its_root_counts_the_thread_as_committed() {
    let Some(db) = TestDb::postgres().await else {
        eprintln!("skipping: TEST_DATABASE_URL is unset");
        return;
    };
    let s = &db.store;
    let (team, town, [alice, bob, _]) = town_of_three(s).await;
    let root = posted(s, &town, &alice, 2_000, None).await;
    posted(s, &town, &alice, 3_000, Some(&root)).await;
    let bobs = posted(s, &town, &bob, 4_000, Some(&root)).await;

    // Bob's reply is deleted as `posts::delete` does it: the root's lock first.
    let url = db.postgres_url().expect("a PostgreSQL database");
    let mut other = sqlx::PgConnection::connect(&url).await.unwrap();
    let mut delete = other.begin().await.unwrap();
    sqlx::query("UPDATE posts SET updateat = 4500 WHERE id = $1")
        .bind(&root.id)
        .execute(&mut *delete)
        .await
        .unwrap();
    sqlx::query("UPDATE posts SET deleteat = 4500, updateat = 4500 WHERE id = $1")
        .bind(&bobs.id)
        .execute(&mut *delete)
        .await
        .unwrap();
    sqlx::query(
        "UPDATE threads SET replycount = 1, lastreplyat = 3000, participants = $1 \
         WHERE postid = $2",
    )
    .bind(sqlx::types::Json(vec![alice.id.clone()]))
    .bind(&root.id)
    .execute(&mut *delete)
    .await
    .unwrap();

    let reply = post_at(&town, &alice, 5_000, Some(&root));
    let writer = s.clone();
    let effects = effects(&team.id, &[], true);
    let writing = tokio::spawn(async move { posts::create(&writer, &reply, &effects).await });
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(
        !writing.is_finished(),
        "the reply waits for the root's lock"
    );
    delete.commit().await.unwrap();
    let created = writing.await.unwrap().unwrap();

    assert_eq!(created.reply_count, 2);
    let listed = thread_root(s, &town.id, &alice.id, &root.id).await;
    assert_eq!((listed.reply_count, listed.last_reply_at), (2, 5_000));
    assert_eq!(participant_ids(&listed), vec![alice.id.clone()]);
}

async fn deleting_a_reply_recounts_its_thread(s: &Store) {
    let (alice, bob) = (user(s, "alice").await, user(s, "bob").await);
    let team = team(s, "t").await;
    let town = open_channel(s, &team, "town").await;
    join(s, &town, &alice).await;
    join(s, &town, &bob).await;
    let root = posted(s, &town, &alice, 2_000, None).await;
    let first = posted(s, &town, &bob, 3_000, Some(&root)).await;
    let second = posted(s, &town, &bob, 4_000, Some(&root)).await;
    let third = posted(s, &town, &alice, 5_000, Some(&root)).await;

    posts::delete(s, &third.id, 6_000, &alice.id).await.unwrap();
    let listed = thread_root(s, &town.id, &alice.id, &root.id).await;
    assert_eq!((listed.reply_count, listed.last_reply_at), (2, 4_000));
    // Alice has no live reply left; Bob still has one after the next delete.
    assert_eq!(participant_ids(&listed), vec![bob.id.clone()]);
    posts::delete(s, &second.id, 7_000, &bob.id).await.unwrap();
    let listed = thread_root(s, &town.id, &alice.id, &root.id).await;
    assert_eq!((listed.reply_count, listed.last_reply_at), (1, 3_000));
    assert_eq!(participant_ids(&listed), vec![bob.id.clone()]);
    assert_eq!(listed.update_at, 7_000);
    posts::delete(s, &first.id, 8_000, &bob.id).await.unwrap();
    let listed = thread_root(s, &town.id, &alice.id, &root.id).await;
    assert_eq!((listed.reply_count, participant_ids(&listed).len()), (0, 0));
}

async fn deleting_a_root_deletes_its_thread_and_keeps_totals(s: &Store) {
    let (alice, admin) = (user(s, "alice").await, user(s, "admin").await);
    let team = team(s, "t").await;
    let town = open_channel(s, &team, "town").await;
    join(s, &town, &alice).await;
    let root = posted(s, &town, &alice, 2_000, None).await;
    let reply = posted(s, &town, &alice, 3_000, Some(&root)).await;
    let other = posted(s, &town, &alice, 4_000, None).await;

    posts::delete(s, &root.id, 5_000, &admin.id).await.unwrap();
    for id in [&root.id, &reply.id] {
        assert!(posts::get(s, id, Deleted::Exclude).await.unwrap().is_none());
        let deleted = posts::get(s, id, Deleted::Include).await.unwrap().unwrap();
        assert_eq!((deleted.delete_at, deleted.update_at), (5_000, 5_000));
        assert_eq!(deleted.prop_str(PROP_DELETE_BY), Some(admin.id.as_str()));
    }
    let live = posts::page(s, &live_posts(&town.id), 10, 0).await.unwrap();
    assert_eq!(ids(&live), vec![other.id.as_str()]);
    let all = ChannelPosts {
        deleted: Deleted::Include,
        ..live_posts(&town.id)
    };
    assert_eq!(posts::page(s, &all, 10, 0).await.unwrap().len(), 3);
    // As in Mattermost, deleting leaves the channel's totals (and so unread counts) alone.
    let c = reload(s, &town).await;
    assert_eq!((c.total_msg_count, c.total_msg_count_root), (3, 2));

    let missing = posts::delete(s, "nonexistentpostid000000000", 6_000, &admin.id).await;
    assert!(
        matches!(missing, Err(StoreError::NotFound("post"))),
        "{missing:?}"
    );
}

async fn an_edit_keeps_the_old_version_as_history(s: &Store) {
    let alice = user(s, "alice").await;
    let team = team(s, "t").await;
    let town = open_channel(s, &team, "town").await;
    join(s, &town, &alice).await;
    let old = posted(s, &town, &alice, 2_000, None).await;
    let new = Post {
        message: "edited".into(),
        edit_at: 3_000,
        update_at: 3_000,
        ..old.clone()
    };
    let history_id = utmost_model::new_id();
    posts::update(s, &new, &old, &history_id).await.unwrap();

    let live = posts::get(s, &old.id, Deleted::Exclude)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((live.message.as_str(), live.edit_at), ("edited", 3_000));
    let history = posts::get(s, &history_id, Deleted::Include)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(history.original_id, old.id);
    assert_eq!(history.message, old.message);
    assert_eq!(history.delete_at, 3_000);
    assert_eq!(reload(s, &town).await.last_post_at, 3_000);
    // Listings of live posts never show the history.
    let listed = posts::page(s, &live_posts(&town.id), 10, 0).await.unwrap();
    assert_eq!(ids(&listed), vec![old.id.as_str()]);
}

/// Five root posts at 1s…5s, oldest first.
async fn five_posts(s: &Store) -> (utmost_model::channel::Channel, Vec<Post>) {
    let alice = user(s, "alice").await;
    let team = team(s, "t").await;
    let town = open_channel(s, &team, "town").await;
    join(s, &town, &alice).await;
    let mut made = Vec::new();
    for i in 1..=5 {
        made.push(posted(s, &town, &alice, i * 1_000, None).await);
    }
    (town, made)
}

async fn pages_newest_first_and_end_empty(s: &Store) {
    let (town, p) = five_posts(s).await;
    let q = live_posts(&town.id);
    let first = posts::page(s, &q, 2, 0).await.unwrap();
    assert_eq!(ids(&first), vec![p[4].id.as_str(), p[3].id.as_str()]);
    let last = posts::page(s, &q, 2, 4).await.unwrap();
    assert_eq!(ids(&last), vec![p[0].id.as_str()]);
    assert!(posts::page(s, &q, 2, 6).await.unwrap().is_empty());
    assert!(posts::page(s, &q, 0, 0).await.unwrap().is_empty());
    assert_eq!(posts::page(s, &q, 1_000, 0).await.unwrap().len(), 5);
}

async fn cursors_read_either_side_of_a_post(s: &Store) {
    let (town, p) = five_posts(s).await;
    let q = live_posts(&town.id);
    let before = posts::around(s, &q, &p[2].id, Side::Before, 10, 0)
        .await
        .unwrap();
    assert_eq!(ids(&before), vec![p[1].id.as_str(), p[0].id.as_str()]);
    // Newest first on both sides, the nearest `limit` posts.
    let after = posts::around(s, &q, &p[2].id, Side::After, 1, 0)
        .await
        .unwrap();
    assert_eq!(ids(&after), vec![p[3].id.as_str()]);
    let after = posts::around(s, &q, &p[2].id, Side::After, 10, 0)
        .await
        .unwrap();
    assert_eq!(ids(&after), vec![p[4].id.as_str(), p[3].id.as_str()]);
    let paged = posts::around(s, &q, &p[4].id, Side::Before, 2, 2)
        .await
        .unwrap();
    assert_eq!(ids(&paged), vec![p[1].id.as_str(), p[0].id.as_str()]);
    assert!(posts::around(s, &q, &p[0].id, Side::Before, 10, 0)
        .await
        .unwrap()
        .is_empty());
    assert!(posts::around(s, &q, &p[4].id, Side::After, 10, 0)
        .await
        .unwrap()
        .is_empty());
}

async fn since_returns_changes_deleted_ones_included(s: &Store) {
    let (town, p) = five_posts(s).await;
    posts::delete(s, &p[0].id, 9_000, "someone").await.unwrap();
    let q = live_posts(&town.id);
    let changed = posts::since(s, &q, 3_000).await.unwrap();
    assert_eq!(
        ids(&changed),
        vec![p[4].id.as_str(), p[3].id.as_str(), p[0].id.as_str()]
    );
    assert!(posts::since(s, &q, 9_000).await.unwrap().is_empty());
}

async fn neighbours_and_etags_honour_collapsed_threads(s: &Store) {
    let alice = user(s, "alice").await;
    let team = team(s, "t").await;
    let town = open_channel(s, &team, "town").await;
    join(s, &town, &alice).await;
    let root = posted(s, &town, &alice, 1_000, None).await;
    let reply = posted(s, &town, &alice, 2_000, Some(&root)).await;
    let later = posted(s, &town, &alice, 3_000, None).await;

    let next = |time, side, replies| posts::id_around_time(s, &town.id, time, side, replies);
    assert_eq!(
        next(1_000, Side::After, Replies::Include).await.unwrap(),
        Some(reply.id.clone())
    );
    assert_eq!(
        next(1_000, Side::After, Replies::Exclude).await.unwrap(),
        Some(later.id.clone())
    );
    assert_eq!(
        next(3_000, Side::Before, Replies::Include).await.unwrap(),
        Some(reply.id.clone())
    );
    assert_eq!(
        next(3_000, Side::Before, Replies::Exclude).await.unwrap(),
        Some(root.id.clone())
    );
    assert_eq!(
        next(3_000, Side::After, Replies::Include).await.unwrap(),
        None
    );
    assert_eq!(
        next(1_000, Side::Before, Replies::Include).await.unwrap(),
        None
    );

    // The root's update time moved to its reply's; the later root is newer still.
    let etag = |replies| posts::last_update_at(s, &town.id, replies);
    assert_eq!(etag(Replies::Include).await.unwrap(), Some(3_000));
    posts::delete(s, &reply.id, 4_000, &alice.id).await.unwrap();
    assert_eq!(etag(Replies::Include).await.unwrap(), Some(4_000));
    // Deleting the reply touched its root, a root, so the collapsed ETag moves too.
    assert_eq!(etag(Replies::Exclude).await.unwrap(), Some(4_000));
    let empty = open_channel(s, &team, "empty").await;
    assert_eq!(
        posts::last_update_at(s, &empty.id, Replies::Include)
            .await
            .unwrap(),
        None
    );
}

async fn thread_context_with_and_without_replies(s: &Store) {
    let alice = user(s, "alice").await;
    let team = team(s, "t").await;
    let town = open_channel(s, &team, "town").await;
    join(s, &town, &alice).await;
    let root = posted(s, &town, &alice, 1_000, None).await;
    let reply = posted(s, &town, &alice, 2_000, Some(&root)).await;
    let gone = posted(s, &town, &alice, 3_000, Some(&root)).await;
    posts::delete(s, &gone.id, 4_000, &alice.id).await.unwrap();
    let roots = vec![root.id.clone()];

    let of = |replies, deleted| posts::threads_of(s, &town.id, &roots, replies, deleted);
    let whole = of(Replies::Include, Deleted::Exclude).await.unwrap();
    assert_eq!(ids(&whole), vec![reply.id.as_str(), root.id.as_str()]);
    let with_deleted = of(Replies::Include, Deleted::Include).await.unwrap();
    assert_eq!(with_deleted.len(), 3);
    let just_roots = of(Replies::Exclude, Deleted::Include).await.unwrap();
    assert_eq!(ids(&just_roots), vec![root.id.as_str()]);
    let none = posts::threads_of(s, &town.id, &[], Replies::Include, Deleted::Include).await;
    assert!(none.unwrap().is_empty());
}

async fn thread_pages_in_both_directions(s: &Store) {
    let alice = user(s, "alice").await;
    let team = team(s, "t").await;
    let town = open_channel(s, &team, "town").await;
    join(s, &town, &alice).await;
    let root = posted(s, &town, &alice, 1_000, None).await;
    let mut replies = Vec::new();
    for i in 2..=5 {
        replies.push(posted(s, &town, &alice, i * 1_000, Some(&root)).await);
    }
    let (all, more) = posts::thread(s, &root.id, &ThreadPage::default())
        .await
        .unwrap();
    assert_eq!((all.len(), more), (5, false));
    assert_eq!(all[0].id, root.id);

    let down = ThreadPage {
        per_page: 2,
        direction: Some(Direction::Down),
        from_create_at: 2_000,
        from_post: replies[0].id.clone(),
    };
    let (page, more) = posts::thread(s, &root.id, &down).await.unwrap();
    assert_eq!(
        ids(&page),
        vec![replies[1].id.as_str(), replies[2].id.as_str()]
    );
    assert!(more);
    let last = ThreadPage {
        from_create_at: 4_000,
        from_post: replies[2].id.clone(),
        ..down.clone()
    };
    let (page, more) = posts::thread(s, &root.id, &last).await.unwrap();
    assert_eq!((ids(&page), more), (vec![replies[3].id.as_str()], false));
    let up = ThreadPage {
        per_page: 10,
        direction: Some(Direction::Up),
        from_create_at: 3_000,
        from_post: String::new(),
    };
    let (page, more) = posts::thread(s, &root.id, &up).await.unwrap();
    assert_eq!(ids(&page), vec![replies[0].id.as_str(), root.id.as_str()]);
    assert!(!more);
}

async fn pinned_and_by_ids(s: &Store) {
    let (town, p) = five_posts(s).await;
    let pinned = Post {
        is_pinned: true,
        update_at: 6_000,
        ..p[1].clone()
    };
    posts::update(s, &pinned, &p[1], &utmost_model::new_id())
        .await
        .unwrap();
    assert_eq!(
        ids(&posts::pinned(s, &town.id).await.unwrap()),
        vec![p[1].id.as_str()]
    );
    let wanted = vec![
        p[0].id.clone(),
        p[3].id.clone(),
        "unknownpostid0000000000000".into(),
    ];
    let found = posts::get_by_ids(s, &wanted).await.unwrap();
    assert_eq!(ids(&found), vec![p[3].id.as_str(), p[0].id.as_str()]);
    assert!(posts::get_by_ids(s, &[]).await.unwrap().is_empty());
    assert_eq!(
        posts::flaggable_post_channel(s, &p[0].id).await.unwrap(),
        Some(town.id.clone())
    );
}
