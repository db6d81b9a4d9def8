//! `store::roles` (`role_store_test.go`).

use crate::support::*;
use utmost_model::role::Role;
use utmost_store::{roles, Store};

on_both_databases!(roles_keep_an_existing_name_and_update_permissions);

async fn roles_keep_an_existing_name_and_update_permissions(s: &Store) {
    let role = Role {
        id: utmost_model::new_id(),
        name: "custom_role".into(),
        display_name: "Custom".into(),
        permissions: vec!["create_post".into(), "read_channel".into()],
        create_at: 1_000,
        update_at: 1_000,
        ..Role::default()
    };
    roles::insert_if_absent(s, &role).await.unwrap();
    let other = Role {
        id: utmost_model::new_id(),
        permissions: Vec::new(),
        ..role.clone()
    };
    roles::insert_if_absent(s, &other).await.unwrap();
    assert_eq!(
        roles::get_by_name(s, "custom_role").await.unwrap(),
        Some(role.clone())
    );
    assert!(roles::get(s, &other.id).await.unwrap().is_none());

    let permissions = vec!["create_post".to_string()];
    roles::update_permissions(s, &role.id, &permissions, 2_000)
        .await
        .unwrap();
    let updated = roles::get(s, &role.id).await.unwrap().unwrap();
    assert_eq!(
        (updated.permissions, updated.update_at),
        (permissions, 2_000)
    );

    let gone = Role {
        id: utmost_model::new_id(),
        name: "gone_role".into(),
        delete_at: 3_000,
        ..Role::default()
    };
    roles::insert_if_absent(s, &gone).await.unwrap();
    let names = vec![
        "gone_role".to_string(),
        "custom_role".into(),
        "unknown".into(),
    ];
    let found = roles::get_by_names(s, &names).await.unwrap();
    assert_eq!(
        found.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(),
        ["custom_role"]
    );
    assert!(roles::get_by_names(s, &[]).await.unwrap().is_empty());
    assert_eq!(roles::list(s).await.unwrap().len(), 1);
}
