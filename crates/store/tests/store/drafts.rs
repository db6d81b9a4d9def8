//! `store::drafts` (`draft_store_test.go`).

use crate::support::*;
use serde_json::json;
use utmost_model::channel::Channel;
use utmost_model::draft::Draft;
use utmost_model::user::User;
use utmost_store::{drafts, Store};

on_both_databases!(
    drafts_upsert_get_and_delete,
    drafts_list_the_teams_and_direct_channels_of_a_member,
);

fn draft(channel: &Channel, user: &User, root_id: &str, message: &str, at: i64) -> Draft {
    Draft {
        create_at: at,
        update_at: at,
        user_id: user.id.clone(),
        channel_id: channel.id.clone(),
        root_id: root_id.into(),
        message: message.into(),
        ..Draft::default()
    }
}

async fn drafts_upsert_get_and_delete(s: &Store) {
    let alice = user(s, "alice").await;
    let t = team(s, "t").await;
    let c = open_channel(s, &t, "c").await;
    let mut first = draft(&c, &alice, "", "hello", 1_000);
    first.props = [("a".to_string(), json!("b"))].into();
    first.file_ids = vec!["f1".into(), "f2".into()];
    first.priority = [("priority".to_string(), json!("urgent"))].into();
    drafts::upsert(s, &first).await.unwrap();
    assert_eq!(
        drafts::get(s, &alice.id, &c.id, "").await.unwrap(),
        Some(first.clone())
    );
    // A thread's draft is another row.
    let root = "r".repeat(26);
    let reply = draft(&c, &alice, &root, "in thread", 1_500);
    drafts::upsert(s, &reply).await.unwrap();

    // Saving again replaces the content and keeps the creation time.
    let again = Draft {
        create_at: 9_999,
        update_at: 2_000,
        message: "hello again".into(),
        ..draft(&c, &alice, "", "", 0)
    };
    drafts::upsert(s, &again).await.unwrap();
    let stored = drafts::get(s, &alice.id, &c.id, "").await.unwrap().unwrap();
    assert_eq!(
        (stored.create_at, stored.update_at, stored.message.as_str()),
        (1_000, 2_000, "hello again")
    );
    assert!(stored.props.is_empty() && stored.file_ids.is_empty() && stored.priority.is_empty());

    assert!(drafts::delete(s, &alice.id, &c.id, "").await.unwrap());
    assert!(!drafts::delete(s, &alice.id, &c.id, "").await.unwrap());
    assert_eq!(drafts::get(s, &alice.id, &c.id, "").await.unwrap(), None);
    assert_eq!(
        drafts::get(s, &alice.id, &c.id, &root).await.unwrap(),
        Some(reply)
    );
}

async fn drafts_list_the_teams_and_direct_channels_of_a_member(s: &Store) {
    let (alice, bob) = (user(s, "alice").await, user(s, "bob").await);
    let (t, other_team) = (team(s, "t").await, team(s, "other").await);
    let (c, left, elsewhere) = (
        open_channel(s, &t, "c").await,
        open_channel(s, &t, "left").await,
        open_channel(s, &other_team, "elsewhere").await,
    );
    let dm = channel(s, "", "dm", "D").await;
    for channel in [&c, &elsewhere, &dm] {
        join(s, channel, &alice).await;
    }
    join(s, &c, &bob).await;
    for d in [
        draft(&c, &alice, "", "in c", 1_000),
        draft(&dm, &alice, "", "in the dm", 3_000),
        draft(&c, &alice, &"r".repeat(26), "in a thread", 2_000),
        // Not a member (any more): not listed.
        draft(&left, &alice, "", "in left", 4_000),
        draft(&elsewhere, &alice, "", "other team", 5_000),
        draft(&c, &bob, "", "bob's", 6_000),
    ] {
        drafts::upsert(s, &d).await.unwrap();
    }
    let messages = |list: Vec<Draft>| list.into_iter().map(|d| d.message).collect::<Vec<_>>();
    assert_eq!(
        messages(drafts::for_user(s, &alice.id, &t.id, 100).await.unwrap()),
        ["in the dm", "in a thread", "in c"]
    );
    assert_eq!(
        messages(drafts::for_user(s, &alice.id, &t.id, 2).await.unwrap()),
        ["in the dm", "in a thread"]
    );
    assert_eq!(
        messages(
            drafts::for_user(s, &alice.id, &other_team.id, 100)
                .await
                .unwrap()
        ),
        ["other team", "in the dm"]
    );
    assert_eq!(
        messages(drafts::for_user(s, &bob.id, &t.id, 100).await.unwrap()),
        ["bob's"]
    );
}
