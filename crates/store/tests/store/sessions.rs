//! `store::sessions`: lookup by either stored form, expiry updates, revocation, and
//! rewriting raw tokens (with those of personal access tokens) into their hashed form
//! (`session_store_test.go`).

use crate::support::*;
use utmost_model::access_token::UserAccessToken;
use utmost_model::session::Session;
use utmost_model::user::User;
use utmost_store::sessions::EndedSession;
use utmost_store::{access_tokens, sessions, Store};

on_both_databases!(
    sessions_are_found_by_either_stored_form,
    touching_moves_activity_and_expiry,
    revoking_reports_the_ended_sessions,
    raw_tokens_are_rewritten_once,
);

pub(crate) fn session(user: &User, token: &str, device: &str) -> Session {
    Session {
        id: utmost_model::new_id(),
        token: token.into(),
        user_id: user.id.clone(),
        device_id: device.into(),
        create_at: 1_000,
        last_activity_at: 1_000,
        expires_at: 10_000,
        props: [("os".to_string(), "Linux".to_string())].into(),
        ..Session::default()
    }
}

pub(crate) fn forms(current: &str, legacy: &str) -> [String; 2] {
    [current.to_string(), legacy.to_string()]
}

pub(crate) fn ended(sessions: &[&Session]) -> Vec<EndedSession> {
    let mut ended: Vec<EndedSession> = sessions
        .iter()
        .map(|s| EndedSession {
            id: s.id.clone(),
            user_id: s.user_id.clone(),
        })
        .collect();
    ended.sort_by(|a, b| a.id.cmp(&b.id));
    ended
}

pub(crate) fn sorted(mut ended: Vec<EndedSession>) -> Vec<EndedSession> {
    ended.sort_by(|a, b| a.id.cmp(&b.id));
    ended
}

async fn sessions_are_found_by_either_stored_form(s: &Store) {
    let alice = user(s, "alice").await;
    let stored = session(&alice, "!hashed", "");
    sessions::insert(s, &stored).await.unwrap();
    let found = sessions::get_by_token(s, &forms("!hashed", "legacy"))
        .await
        .unwrap();
    assert_eq!(found.as_ref().map(|f| &f.props), Some(&stored.props));
    let found = sessions::get_by_token(s, &forms("!other", "!hashed"))
        .await
        .unwrap();
    assert_eq!(found.map(|f| f.id), Some(stored.id.clone()));
    assert!(sessions::get_by_token(s, &forms("!a", "!b"))
        .await
        .unwrap()
        .is_none());
}

async fn touching_moves_activity_and_expiry(s: &Store) {
    let alice = user(s, "alice").await;
    let stored = session(&alice, "!t", "");
    sessions::insert(s, &stored).await.unwrap();
    sessions::touch(s, &stored.id, 5_000, 50_000).await.unwrap();
    sessions::update_device_id(s, &stored.id, "phone", 60_000)
        .await
        .unwrap();
    let props = [("csrf".to_string(), "x".to_string())].into();
    sessions::update_props(s, &stored.id, &props).await.unwrap();
    let got = sessions::get(s, &stored.id).await.unwrap().unwrap();
    assert_eq!((got.last_activity_at, got.expires_at), (5_000, 60_000));
    assert_eq!((got.device_id.as_str(), got.props), ("phone", props));

    let newer = Session {
        last_activity_at: 7_000,
        ..session(&alice, "!u", "")
    };
    sessions::insert(s, &newer).await.unwrap();
    let listed: Vec<String> = sessions::list_for_user(s, &alice.id)
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.id)
        .collect();
    assert_eq!(listed, [newer.id.clone(), stored.id.clone()]);
}

async fn revoking_reports_the_ended_sessions(s: &Store) {
    let (alice, bob) = (user(s, "alice").await, user(s, "bob").await);
    let a1 = session(&alice, "!a1", "phone");
    let a2 = session(&alice, "!a2", "phone");
    let a3 = session(&alice, "!a3", "laptop");
    let b1 = session(&bob, "!b1", "phone");
    for x in [&a1, &a2, &a3, &b1] {
        sessions::insert(s, x).await.unwrap();
    }
    // One session per device: a new one on the phone ends the other phone session.
    let on_phone = sessions::delete_for_device(s, &alice.id, "phone", &a2.id)
        .await
        .unwrap();
    assert_eq!(on_phone, ended(&[&a1]));
    let others = sessions::delete_for_user_except(s, &alice.id, &a3.id)
        .await
        .unwrap();
    assert_eq!(others, ended(&[&a2]));
    assert_eq!(sessions::delete(s, &a3.id).await.unwrap(), ended(&[&a3]));
    assert!(sessions::delete(s, &a3.id).await.unwrap().is_empty());
    assert!(sessions::get(s, &b1.id).await.unwrap().is_some());
    sessions::delete_for_user(s, &bob.id).await.unwrap();
    assert!(sessions::get(s, &b1.id).await.unwrap().is_none());
    sessions::insert(s, &a1).await.unwrap();
    sessions::delete_all(s).await.unwrap();
    assert!(sessions::list_for_user(s, &alice.id)
        .await
        .unwrap()
        .is_empty());
}

fn hash(raw: &str) -> String {
    format!("!{}", raw.len())
}

async fn raw_tokens_are_rewritten_once(s: &Store) {
    let alice = user(s, "alice").await;
    let raw = session(&alice, "rawtoken", "");
    let marked = session(&alice, "!kept", "");
    sessions::insert(s, &raw).await.unwrap();
    sessions::insert(s, &marked).await.unwrap();
    let token = UserAccessToken {
        id: utmost_model::new_id(),
        token: "rawpat".into(),
        user_id: alice.id.clone(),
        description: "ci".into(),
        is_active: true,
    };
    access_tokens::insert(s, &token).await.unwrap();

    assert_eq!(
        sessions::hash_unmarked_tokens(s, "!", hash).await.unwrap(),
        2
    );
    assert_eq!(
        sessions::get(s, &raw.id).await.unwrap().unwrap().token,
        "!8"
    );
    assert_eq!(
        sessions::get(s, &marked.id).await.unwrap().unwrap().token,
        "!kept"
    );
    assert_eq!(
        access_tokens::get(s, &token.id)
            .await
            .unwrap()
            .unwrap()
            .token,
        "!6"
    );
    assert_eq!(
        sessions::hash_unmarked_tokens(s, "!", hash).await.unwrap(),
        0
    );
}
