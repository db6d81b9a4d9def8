//! `store::users`: uniqueness, the first account, profile writes, deactivation, login
//! attempts and the filtered listings (`user_store_test.go`).

use crate::support::*;
use utmost_model::session::Session;
use utmost_model::user::User;
use utmost_store::users::{self, UserFilter, UserSort};
use utmost_store::{sessions, Store, StoreError};

on_both_databases!(
    usernames_emails_and_auth_data_are_unique,
    only_the_very_first_account_is_claimed,
    profile_and_password_writes,
    deactivation_ends_sessions_and_roles_reach_them,
    login_attempts_stop_at_the_limit,
    listings_filter_sort_and_page,
);

fn usernames(list: &[User]) -> Vec<&str> {
    list.iter().map(|u| u.username.as_str()).collect()
}

async fn usernames_emails_and_auth_data_are_unique(s: &Store) {
    let alice = user(s, "alice").await;
    let same_name = User {
        id: utmost_model::new_id(),
        email: "other@example.com".into(),
        ..alice.clone()
    };
    let refused = users::insert(s, &same_name).await;
    assert!(
        matches!(&refused, Err(StoreError::Conflict(c)) if c == "username"),
        "{refused:?}"
    );
    let same_email = User {
        id: utmost_model::new_id(),
        username: "other".into(),
        ..alice.clone()
    };
    let refused = users::insert(s, &same_email).await;
    assert!(
        matches!(&refused, Err(StoreError::Conflict(c)) if c == "email"),
        "{refused:?}"
    );
    // Lookups are case-insensitive: names and addresses are stored lower-case.
    let found = users::get_by_username(s, "ALICE").await.unwrap().unwrap();
    assert_eq!(found.id, alice.id);
    let found = users::get_by_email(s, "Alice@Example.com")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.id, alice.id);
    assert!(users::get(s, "nosuchuser0000000000000000")
        .await
        .unwrap()
        .is_none());

    let bob = user(s, "bob").await;
    let renamed = User {
        username: "alice".into(),
        ..bob
    };
    let refused = users::update_profile(s, &renamed).await;
    assert!(
        matches!(&refused, Err(StoreError::Conflict(c)) if c == "username"),
        "{refused:?}"
    );
}

async fn only_the_very_first_account_is_claimed(s: &Store) {
    let first = User {
        id: utmost_model::new_id(),
        username: "first".into(),
        email: "first@example.com".into(),
        ..User::default()
    };
    assert!(users::insert_if_first(s, &first).await.unwrap());
    let second = User {
        id: utmost_model::new_id(),
        username: "second".into(),
        email: "second@example.com".into(),
        ..User::default()
    };
    assert!(!users::insert_if_first(s, &second).await.unwrap());
    assert!(users::get(s, &second.id).await.unwrap().is_none());
    assert_eq!(users::count_all(s).await.unwrap(), 1);
}

async fn profile_and_password_writes(s: &Store) {
    let alice = user(s, "alice").await;
    let changed = User {
        nickname: "Al".into(),
        first_name: "Alice".into(),
        update_at: 2_000,
        ..alice.clone()
    };
    users::update_profile(s, &changed).await.unwrap();
    users::update_password(s, &alice.id, "hash", 3_000)
        .await
        .unwrap();
    let props = [("customStatus".to_string(), "{}".to_string())].into();
    users::update_props(s, &alice.id, &props, 4_000)
        .await
        .unwrap();
    let stored = users::get(s, &alice.id).await.unwrap().unwrap();
    assert_eq!(
        (stored.nickname.as_str(), stored.first_name.as_str()),
        ("Al", "Alice")
    );
    assert_eq!(
        (stored.password.as_str(), stored.last_password_update),
        ("hash", 3_000)
    );
    assert_eq!((stored.props, stored.update_at), (props, 4_000));
}

fn session_of(user: &User, token: &str) -> Session {
    Session {
        id: utmost_model::new_id(),
        token: token.into(),
        user_id: user.id.clone(),
        roles: user.roles.clone(),
        create_at: 1_000,
        expires_at: 100_000,
        ..Session::default()
    }
}

async fn deactivation_ends_sessions_and_roles_reach_them(s: &Store) {
    let alice = user(s, "alice").await;
    let session = session_of(&alice, "!token-a");
    sessions::insert(s, &session).await.unwrap();
    users::set_roles(s, &alice.id, "system_user system_admin", 2_000)
        .await
        .unwrap();
    let stored = sessions::get(s, &session.id).await.unwrap().unwrap();
    assert_eq!(stored.roles, "system_user system_admin");
    assert_eq!(
        users::get(s, &alice.id).await.unwrap().unwrap().update_at,
        2_000
    );

    users::set_delete_at(s, &alice.id, 3_000, 3_000)
        .await
        .unwrap();
    assert!(sessions::get(s, &session.id).await.unwrap().is_none());
    assert_eq!(users::count_active_users(s).await.unwrap(), 0);
    users::set_delete_at(s, &alice.id, 0, 4_000).await.unwrap();
    assert_eq!(users::count_active_users(s).await.unwrap(), 1);
}

async fn login_attempts_stop_at_the_limit(s: &Store) {
    let alice = user(s, "alice").await;
    assert!(users::reserve_login_attempt(s, &alice.id, 2).await.unwrap());
    assert!(users::reserve_login_attempt(s, &alice.id, 2).await.unwrap());
    assert!(!users::reserve_login_attempt(s, &alice.id, 2).await.unwrap());
    users::release_login_attempt(s, &alice.id).await.unwrap();
    assert_eq!(
        users::get(s, &alice.id)
            .await
            .unwrap()
            .unwrap()
            .failed_attempts,
        1
    );
    // No limit when `max` is not positive.
    assert!(users::reserve_login_attempt(s, &alice.id, 0).await.unwrap());
    users::record_login(s, &alice.id, 5_000).await.unwrap();
    let stored = users::get(s, &alice.id).await.unwrap().unwrap();
    assert_eq!((stored.failed_attempts, stored.last_login), (0, 5_000));
    // Releasing never goes below zero.
    users::release_login_attempt(s, &alice.id).await.unwrap();
    assert_eq!(
        users::get(s, &alice.id)
            .await
            .unwrap()
            .unwrap()
            .failed_attempts,
        0
    );
}

async fn listings_filter_sort_and_page(s: &Store) {
    let red = team(s, "red").await;
    let mut made = Vec::new();
    for (i, name) in ["dave", "carl", "bea", "al_a", "alex"]
        .into_iter()
        .enumerate()
    {
        let u = User {
            id: utmost_model::new_id(),
            create_at: 1_000 + i as i64,
            username: name.into(),
            email: format!("{name}@example.com"),
            first_name: format!("First{name}"),
            roles: if name == "dave" {
                "system_user system_admin"
            } else {
                "system_user"
            }
            .into(),
            ..User::default()
        };
        users::insert(s, &u).await.unwrap();
        made.push(u);
    }
    for u in &made[..3] {
        join_team(s, &red, u).await;
    }
    users::set_delete_at(s, &made[2].id, 2_000, 2_000)
        .await
        .unwrap();

    let list = |f: UserFilter| async move {
        users::list(s, &UserFilter { limit: 100, ..f })
            .await
            .unwrap()
    };
    assert_eq!(
        usernames(&list(UserFilter::default()).await),
        ["al_a", "alex", "bea", "carl", "dave"]
    );
    let page = |offset| async move {
        let filter = UserFilter {
            limit: 2,
            offset,
            ..UserFilter::default()
        };
        users::list(s, &filter).await.unwrap()
    };
    assert_eq!(usernames(&page(2).await), ["bea", "carl"]);
    assert!(page(10).await.is_empty());

    let in_red = UserFilter {
        in_team: Some(red.id.clone()),
        ..UserFilter::default()
    };
    assert_eq!(
        usernames(&list(in_red.clone()).await),
        ["bea", "carl", "dave"]
    );
    assert_eq!(users::count(s, &in_red).await.unwrap(), 3);
    let active_in_red = UserFilter {
        active: Some(true),
        ..in_red.clone()
    };
    assert_eq!(usernames(&list(active_in_red).await), ["carl", "dave"]);
    let deactivated = UserFilter {
        active: Some(false),
        ..UserFilter::default()
    };
    assert_eq!(usernames(&list(deactivated).await), ["bea"]);
    let not_in_red = UserFilter {
        not_in_team: Some(red.id.clone()),
        ..UserFilter::default()
    };
    assert_eq!(usernames(&list(not_in_red).await), ["al_a", "alex"]);
    let without_team = UserFilter {
        without_team: true,
        ..UserFilter::default()
    };
    assert_eq!(users::count(s, &without_team).await.unwrap(), 2);
    let admins = UserFilter {
        role: Some("system_admin".into()),
        ..UserFilter::default()
    };
    assert_eq!(usernames(&list(admins).await), ["dave"]);

    // Search terms are literal prefixes: `_` is no wildcard.
    let term = |t: &str| UserFilter {
        terms: vec![t.into()],
        ..UserFilter::default()
    };
    assert_eq!(usernames(&list(term("al_")).await), ["al_a"]);
    assert_eq!(usernames(&list(term("AL")).await), ["al_a", "alex"]);
    assert!(list(term("firstcarl")).await.is_empty());
    let by_name = UserFilter {
        match_full_names: true,
        ..term("firstcarl")
    };
    assert_eq!(usernames(&list(by_name).await), ["carl"]);
    let by_email = UserFilter {
        match_emails: true,
        ..term("dave@")
    };
    assert_eq!(usernames(&list(by_email).await), ["dave"]);

    let newest = UserFilter {
        sort: UserSort::CreateAt,
        ..UserFilter::default()
    };
    assert_eq!(usernames(&list(newest).await)[0], "alex");
    let ids = UserFilter {
        ids: Some(vec![made[0].id.clone()]),
        ..UserFilter::default()
    };
    assert_eq!(usernames(&list(ids).await), ["dave"]);
    let none = UserFilter {
        ids: Some(Vec::new()),
        ..UserFilter::default()
    };
    assert!(list(none).await.is_empty());
    let names = UserFilter {
        usernames: Some(vec!["CARL".into()]),
        ..UserFilter::default()
    };
    assert_eq!(usernames(&list(names).await), ["carl"]);
    // Only the viewer, the members of the teams named and those sharing a channel.
    let visible = UserFilter {
        visible_to: Some(users::Visibility {
            viewer: made[4].id.clone(),
            teams: Vec::new(),
        }),
        ..UserFilter::default()
    };
    assert_eq!(usernames(&list(visible).await), ["alex"]);
    // A team member sees the team only through a team named (where they hold view_members).
    let unnamed = UserFilter {
        visible_to: Some(users::Visibility {
            viewer: made[0].id.clone(),
            teams: Vec::new(),
        }),
        ..UserFilter::default()
    };
    assert_eq!(usernames(&list(unnamed).await), ["dave"]);
    let through_red = UserFilter {
        visible_to: Some(users::Visibility {
            viewer: made[0].id.clone(),
            teams: vec![red.id.clone()],
        }),
        ..UserFilter::default()
    };
    assert_eq!(usernames(&list(through_red).await), ["bea", "carl", "dave"]);
}
