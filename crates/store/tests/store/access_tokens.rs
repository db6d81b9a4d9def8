//! `store::access_tokens`: disabling ends the token's sessions, listing and search
//! (`user_access_token_store_test.go`).

use crate::sessions::{ended, forms, session, sorted};
use crate::support::*;
use utmost_model::access_token::UserAccessToken;
use utmost_store::{access_tokens, sessions, Store};

on_both_databases!(
    access_tokens_disable_enable_and_delete,
    access_tokens_list_and_search,
);

async fn access_tokens_disable_enable_and_delete(s: &Store) {
    let alice = user(s, "alice").await;
    let token = UserAccessToken {
        id: utmost_model::new_id(),
        token: "!pat".into(),
        user_id: alice.id.clone(),
        description: "ci".into(),
        is_active: true,
    };
    access_tokens::insert(s, &token).await.unwrap();
    let opened = session(&alice, "!pat", "");
    let unrelated = session(&alice, "!login", "");
    sessions::insert(s, &opened).await.unwrap();
    sessions::insert(s, &unrelated).await.unwrap();
    let found = access_tokens::get_by_token(s, &forms("raw", "!pat"))
        .await
        .unwrap();
    assert_eq!(found.map(|t| t.id), Some(token.id.clone()));

    assert_eq!(
        access_tokens::disable(s, &token.id).await.unwrap(),
        ended(&[&opened])
    );
    assert!(
        !access_tokens::get(s, &token.id)
            .await
            .unwrap()
            .unwrap()
            .is_active
    );
    assert!(sessions::get(s, &unrelated.id).await.unwrap().is_some());
    access_tokens::enable(s, &token.id).await.unwrap();
    assert!(
        access_tokens::get(s, &token.id)
            .await
            .unwrap()
            .unwrap()
            .is_active
    );

    sessions::insert(s, &opened).await.unwrap();
    assert_eq!(
        sorted(access_tokens::delete(s, &token.id).await.unwrap()),
        ended(&[&opened])
    );
    assert!(access_tokens::get(s, &token.id).await.unwrap().is_none());
}

async fn access_tokens_list_and_search(s: &Store) {
    let (alice, bob) = (user(s, "alice").await, user(s, "bo_b").await);
    let mut made = Vec::new();
    for (owner, n) in [(&alice, 1), (&alice, 2), (&bob, 3)] {
        let t = UserAccessToken {
            id: utmost_model::new_id(),
            token: format!("!t{n}"),
            user_id: owner.id.clone(),
            description: format!("token {n}"),
            is_active: true,
        };
        access_tokens::insert(s, &t).await.unwrap();
        made.push(t);
    }
    assert_eq!(
        access_tokens::list(s, Some(&alice.id), 10, 0)
            .await
            .unwrap()
            .len(),
        2
    );
    assert_eq!(access_tokens::list(s, None, 10, 0).await.unwrap().len(), 3);
    assert_eq!(access_tokens::list(s, None, 2, 2).await.unwrap().len(), 1);
    assert!(access_tokens::list(s, None, 2, 4).await.unwrap().is_empty());
    let by_name = access_tokens::search(s, "bo_").await.unwrap();
    assert_eq!(
        by_name.iter().map(|t| &t.id).collect::<Vec<_>>(),
        [&made[2].id]
    );
    assert!(access_tokens::search(s, "b%").await.unwrap().is_empty());
    assert_eq!(
        access_tokens::search(s, &made[0].id).await.unwrap().len(),
        1
    );
}
