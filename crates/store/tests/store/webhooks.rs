//! `store::webhooks` (`webhook_store_test.go`): incoming and outgoing hooks, their scopes,
//! updates, soft deletion, and the outgoing hooks' JSON lists.

use crate::support::*;
use utmost_model::webhook::{IncomingWebhook, OutgoingWebhook};
use utmost_store::webhooks::{self, Scope};
use utmost_store::Store;

on_both_databases!(
    incoming_hooks_are_saved_scoped_updated_and_deleted,
    outgoing_hooks_keep_their_lists_and_token,
);

fn incoming(team_id: &str, user_id: &str, at: i64) -> IncomingWebhook {
    IncomingWebhook {
        id: utmost_model::new_id(),
        create_at: at,
        update_at: at,
        user_id: user_id.into(),
        channel_id: utmost_model::new_id(),
        team_id: team_id.into(),
        display_name: "CI".into(),
        channel_locked: true,
        ..IncomingWebhook::default()
    }
}

async fn incoming_hooks_are_saved_scoped_updated_and_deleted(s: &Store) {
    let (team, other_team) = (utmost_model::new_id(), utmost_model::new_id());
    let (alice, bob) = (utmost_model::new_id(), utmost_model::new_id());
    let a = incoming(&team, &alice, 1_000);
    let b = incoming(&team, &bob, 2_000);
    let c = incoming(&other_team, &alice, 3_000);
    for hook in [&a, &b, &c] {
        webhooks::insert_incoming(s, hook).await.unwrap();
    }
    assert_eq!(
        webhooks::get_incoming(s, &a.id).await.unwrap(),
        Some(a.clone())
    );
    let ids = |list: Vec<IncomingWebhook>| list.into_iter().map(|h| h.id).collect::<Vec<_>>();
    let team_scope = Scope {
        team_id: Some(&team),
        ..Scope::default()
    };
    assert_eq!(
        ids(webhooks::list_incoming(s, &team_scope, 10, 0)
            .await
            .unwrap()),
        [a.id.clone(), b.id.clone()]
    );
    assert_eq!(
        ids(webhooks::list_incoming(s, &team_scope, 1, 1).await.unwrap()),
        vec![b.id.clone()]
    );
    let alices = Scope {
        user_id: Some(&alice),
        ..Scope::default()
    };
    assert_eq!(webhooks::count_incoming(s, &alices).await.unwrap(), 2);

    let mut changed = a.clone();
    changed.display_name = "renamed".into();
    changed.channel_locked = false;
    changed.update_at = 5_000;
    assert!(webhooks::update_incoming(s, &changed).await.unwrap());
    assert_eq!(
        webhooks::get_incoming(s, &a.id).await.unwrap(),
        Some(changed)
    );

    assert!(webhooks::delete_incoming(s, &a.id, 6_000).await.unwrap());
    assert!(!webhooks::delete_incoming(s, &a.id, 7_000).await.unwrap());
    assert_eq!(webhooks::get_incoming(s, &a.id).await.unwrap(), None);
    assert_eq!(webhooks::count_incoming(s, &team_scope).await.unwrap(), 1);
}

async fn outgoing_hooks_keep_their_lists_and_token(s: &Store) {
    let team = utmost_model::new_id();
    let hook = OutgoingWebhook {
        id: utmost_model::new_id(),
        token: utmost_model::new_id(),
        create_at: 1_000,
        update_at: 1_000,
        creator_id: utmost_model::new_id(),
        team_id: team.clone(),
        trigger_words: vec!["build".into(), "déploie".into()],
        trigger_when: 1,
        callback_urls: vec![
            "http://a.example/x".into(),
            "https://b.example/y?z=1".into(),
        ],
        content_type: "application/json".into(),
        ..OutgoingWebhook::default()
    };
    webhooks::insert_outgoing(s, &hook).await.unwrap();
    assert_eq!(
        webhooks::get_outgoing(s, &hook.id).await.unwrap(),
        Some(hook.clone())
    );
    let team_scope = Scope {
        team_id: Some(&team),
        ..Scope::default()
    };
    // Every hook of the team at once (a post's trigger check).
    assert_eq!(
        webhooks::list_outgoing(s, &team_scope, -1, 0)
            .await
            .unwrap(),
        vec![hook.clone()]
    );
    let mut regenerated = hook.clone();
    regenerated.token = utmost_model::new_id();
    regenerated.trigger_words = vec![];
    regenerated.update_at = 2_000;
    assert!(webhooks::update_outgoing(s, &regenerated).await.unwrap());
    assert_eq!(
        webhooks::get_outgoing(s, &hook.id).await.unwrap(),
        Some(regenerated)
    );
    assert!(webhooks::delete_outgoing(s, &hook.id, 3_000).await.unwrap());
    assert_eq!(
        webhooks::list_outgoing(s, &team_scope, -1, 0)
            .await
            .unwrap(),
        []
    );
}
