//! `store::oauth_provider` (`oauth_store_test.go`): apps by creator, codes and refresh tokens
//! taken once, one grant per app and user whose session ends with it, deauthorising and
//! deleting an app.

use crate::support::*;
use utmost_model::oauth::OAuthApp;
use utmost_model::session::Session;
use utmost_store::oauth_provider::{self as oauth, AuthCode, Grant};
use utmost_store::{sessions, Store};

on_both_databases!(
    apps_are_listed_by_creator_and_updated,
    codes_and_refresh_tokens_work_once_and_grants_end_their_sessions,
);

fn app(creator: &str, at: i64) -> OAuthApp {
    OAuthApp {
        id: utmost_model::new_id(),
        creator_id: creator.into(),
        create_at: at,
        update_at: at,
        name: "Planner".into(),
        homepage: "https://a.example".into(),
        callback_urls: vec!["https://a.example/cb".into()],
        ..OAuthApp::default()
    }
}

async fn apps_are_listed_by_creator_and_updated(s: &Store) {
    let (alice, bob) = (utmost_model::new_id(), utmost_model::new_id());
    let (a, b) = (app(&alice, 1_000), app(&bob, 2_000));
    oauth::insert_app(s, &a, "Usecret-a").await.unwrap();
    oauth::insert_app(s, &b, "Usecret-b").await.unwrap();
    assert_eq!(oauth::get_app(s, &a.id).await.unwrap(), Some(a.clone()));
    assert_eq!(
        oauth::get_secret(s, &b.id).await.unwrap().as_deref(),
        Some("Usecret-b")
    );
    assert_eq!(
        oauth::list_apps(s, None, 10, 0).await.unwrap(),
        vec![a.clone(), b.clone()]
    );
    assert_eq!(
        oauth::list_apps(s, Some(&bob), 10, 0).await.unwrap(),
        vec![b.clone()]
    );
    assert_eq!(
        oauth::list_apps(s, None, 1, 1).await.unwrap(),
        vec![b.clone()]
    );
    let changed = OAuthApp {
        name: "Planner 2".into(),
        is_trusted: true,
        update_at: 3_000,
        ..a.clone()
    };
    assert!(oauth::update_app(s, &changed).await.unwrap());
    assert_eq!(oauth::get_app(s, &a.id).await.unwrap(), Some(changed));
    assert!(oauth::set_secret(s, &a.id, "Unew", 4_000).await.unwrap());
    assert_eq!(
        oauth::get_secret(s, &a.id).await.unwrap().as_deref(),
        Some("Unew")
    );
    assert!(!oauth::set_secret(s, &utmost_model::new_id(), "Ux", 4_000)
        .await
        .unwrap());
}

async fn session_with_token(s: &Store, user_id: &str, token: &str) -> Session {
    let session = Session {
        id: utmost_model::new_id(),
        token: token.into(),
        user_id: user_id.into(),
        is_oauth: true,
        ..Session::default()
    };
    sessions::insert(s, &session).await.unwrap();
    session
}

fn grant(client: &str, user: &str, token: &str, refresh: &str) -> Grant {
    Grant {
        token: token.into(),
        refreshtoken: refresh.into(),
        redirecturi: "https://a.example/cb".into(),
        clientid: client.into(),
        userid: user.into(),
        expiresat: 9_000,
        scope: "user".into(),
    }
}

async fn codes_and_refresh_tokens_work_once_and_grants_end_their_sessions(s: &Store) {
    let user = utmost_model::new_id();
    let a = app(&utmost_model::new_id(), 1_000);
    oauth::insert_app(s, &a, "Usecret").await.unwrap();

    let code = AuthCode {
        clientid: a.id.clone(),
        userid: user.clone(),
        code: "Ucode".into(),
        expiresin: 600,
        createat: 1_000,
        ..AuthCode::default()
    };
    oauth::insert_code(s, &code).await.unwrap();
    assert_eq!(oauth::take_code(s, "Ucode").await.unwrap(), Some(code));
    assert_eq!(oauth::take_code(s, "Ucode").await.unwrap(), None);

    // A second grant of the same app and user ends the first one's session.
    let first = session_with_token(s, &user, "Utoken1").await;
    assert_eq!(
        oauth::replace_grant(s, &grant(&a.id, &user, "Utoken1", "Urefresh1"))
            .await
            .unwrap(),
        vec![]
    );
    let second = session_with_token(s, &user, "Utoken2").await;
    let ended = oauth::replace_grant(s, &grant(&a.id, &user, "Utoken2", "Urefresh2"))
        .await
        .unwrap();
    assert_eq!(
        ended.iter().map(|e| e.id.clone()).collect::<Vec<_>>(),
        vec![first.id.clone()]
    );
    assert!(sessions::get(s, &first.id).await.unwrap().is_none());

    // A refresh token works once, for its own app, and takes its session along.
    assert_eq!(
        oauth::take_grant_by_refresh(s, &utmost_model::new_id(), "Urefresh2")
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        oauth::take_grant_by_refresh(s, &a.id, "Urefresh1")
            .await
            .unwrap(),
        None
    );
    let (taken, ended) = oauth::take_grant_by_refresh(s, &a.id, "Urefresh2")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(taken, grant(&a.id, &user, "Utoken2", "Urefresh2"));
    assert_eq!(
        ended.iter().map(|e| e.id.clone()).collect::<Vec<_>>(),
        vec![second.id.clone()]
    );
    assert!(oauth::take_grant_by_refresh(s, &a.id, "Urefresh2")
        .await
        .unwrap()
        .is_none());

    // Deauthorising and deleting the app end the grant's session too.
    let third = session_with_token(s, &user, "Utoken3").await;
    oauth::replace_grant(s, &grant(&a.id, &user, "Utoken3", "Urefresh3"))
        .await
        .unwrap();
    let ended = oauth::deauthorize(s, &user, &a.id).await.unwrap();
    assert_eq!(
        ended.iter().map(|e| e.id.clone()).collect::<Vec<_>>(),
        vec![third.id.clone()]
    );
    let fourth = session_with_token(s, &user, "Utoken4").await;
    oauth::replace_grant(s, &grant(&a.id, &user, "Utoken4", "Urefresh4"))
        .await
        .unwrap();
    let ended = oauth::delete_app(s, &a.id).await.unwrap();
    assert_eq!(
        ended.iter().map(|e| e.id.clone()).collect::<Vec<_>>(),
        vec![fourth.id.clone()]
    );
    assert_eq!(oauth::get_app(s, &a.id).await.unwrap(), None);
    assert!(oauth::take_grant_by_refresh(s, &a.id, "Urefresh4")
        .await
        .unwrap()
        .is_none());
}
