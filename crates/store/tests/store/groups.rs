//! `store::groups`: groups by id and remote id, mention names, soft-deleted members that come
//! back by the same row, the listing filters, and the sync's reads: who a linked team or
//! channel should gain (`auto_add`) and who a group-constrained one should lose.

use crate::support::*;
use utmost_model::channel::{Channel, CHANNEL_OPEN};
use utmost_model::group::{Group, SyncableType};
use utmost_model::new_id;
use utmost_model::team::Team;
use utmost_store::groups::{self, members, syncables, GroupSearch};
use utmost_store::{channels, teams, Store, StoreError};

on_both_databases!(
    groups_are_found_by_id_remote_id_and_mention_name,
    members_leave_and_return_by_the_same_row,
    the_listing_filters_groups,
    the_sync_reads_who_to_add_and_who_to_remove,
);

async fn group(s: &Store, remote_id: &str) -> Group {
    let g = Group {
        id: new_id(),
        display_name: remote_id.to_uppercase(),
        source: "ldap".into(),
        remote_id: Some(remote_id.into()),
        create_at: 1_000,
        update_at: 1_000,
        ..Group::default()
    };
    groups::insert(s, &g).await.unwrap();
    g
}

async fn groups_are_found_by_id_remote_id_and_mention_name(s: &Store) {
    let g = group(s, "r1").await;
    assert_eq!(
        groups::get(s, &g.id, false).await.unwrap().as_ref(),
        Some(&g)
    );
    let found = groups::get_by_remote_id(s, "ldap", "r1").await.unwrap();
    assert_eq!(found.map(|f| f.id), Some(g.id.clone()));
    assert!(groups::get_by_remote_id(s, "custom", "r1")
        .await
        .unwrap()
        .is_none());
    assert!(groups::referenceable_by_names(s, &["devs".into()])
        .await
        .unwrap()
        .is_empty());

    let named = Group {
        name: Some("devs".into()),
        allow_reference: true,
        update_at: 2_000,
        ..g.clone()
    };
    groups::update(s, &named).await.unwrap();
    let by_name = groups::referenceable_by_names(s, &["devs".into(), "other".into()])
        .await
        .unwrap();
    assert_eq!(by_name.len(), 1);
    // Another group may not take the name.
    let other = Group {
        name: Some("devs".into()),
        ..group(s, "r2").await
    };
    assert!(matches!(groups::update(s, &other).await, Err(StoreError::Conflict(c)) if c == "name"));
    // Deleted: no longer mentionable.
    groups::update(
        s,
        &Group {
            delete_at: 3_000,
            ..named
        },
    )
    .await
    .unwrap();
    assert!(groups::referenceable_by_names(s, &["devs".into()])
        .await
        .unwrap()
        .is_empty());
    assert!(
        groups::live_by_remote_ids(s, "ldap", &["r1".into(), "r2".into()])
            .await
            .unwrap()
            .iter()
            .all(|g| g.remote_id.as_deref() == Some("r2"))
    );
}

async fn members_leave_and_return_by_the_same_row(s: &Store) {
    let g = group(s, "r1").await;
    let (ann, ben) = (user(s, "ann").await, user(s, "ben").await);
    assert!(members::upsert(s, &g.id, &ann.id, 10)
        .await
        .unwrap()
        .is_some());
    assert!(
        members::upsert(s, &g.id, &ann.id, 11)
            .await
            .unwrap()
            .is_none(),
        "live already"
    );
    members::upsert(s, &g.id, &ben.id, 12).await.unwrap();
    let left = members::delete(s, &g.id, &ann.id, 20)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(left.delete_at, 20);
    assert!(members::delete(s, &g.id, &ann.id, 21)
        .await
        .unwrap()
        .is_none());
    assert_eq!(
        members::live_ids(s, &g.id).await.unwrap(),
        vec![ben.id.clone()]
    );
    let (page, count) = members::users_page(s, &g.id, 0, 10).await.unwrap();
    assert_eq!((page.len(), count), (1, 1));
    let back = members::upsert(s, &g.id, &ann.id, 30)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((back.create_at, back.delete_at), (30, 0));
    assert_eq!(
        groups::get(s, &g.id, true)
            .await
            .unwrap()
            .unwrap()
            .member_count,
        Some(2)
    );
}

async fn the_listing_filters_groups(s: &Store) {
    let (a, b) = (group(s, "alpha").await, group(s, "beta").await);
    let t = team(s, "red").await;
    let ann = user(s, "ann").await;
    members::upsert(s, &b.id, &ann.id, 10).await.unwrap();
    syncables::upsert(s, SyncableType::Team, &a.id, &t.id, false, true, 10)
        .await
        .unwrap();
    let list = |search: GroupSearch| async move {
        let (found, total) = groups::search(
            s,
            &GroupSearch {
                limit: 10,
                ..search
            },
        )
        .await
        .unwrap();
        (
            found
                .into_iter()
                .map(|g| g.display_name)
                .collect::<Vec<_>>(),
            total,
        )
    };
    assert_eq!(
        list(GroupSearch::default()).await,
        (vec!["ALPHA".into(), "BETA".into()], 2)
    );
    assert_eq!(
        list(GroupSearch {
            q: "ph".into(),
            ..Default::default()
        })
        .await
        .1,
        1
    );
    assert_eq!(
        list(GroupSearch {
            q: "%".into(),
            ..Default::default()
        })
        .await
        .1,
        0
    );
    let not_in_team = GroupSearch {
        not_associated_to_team: Some(t.id.clone()),
        ..Default::default()
    };
    assert_eq!(list(not_in_team).await.0, vec!["BETA".to_string()]);
    let of_ann = GroupSearch {
        has_member: Some(ann.id.clone()),
        ..Default::default()
    };
    assert_eq!(list(of_ann).await.0, vec!["BETA".to_string()]);
    assert_eq!(
        list(GroupSearch {
            only_referenceable: true,
            ..Default::default()
        })
        .await
        .1,
        0
    );
    let linked = GroupSearch {
        linked_to: Some((SyncableType::Team, t.id.clone())),
        ..Default::default()
    };
    let (found, _) = groups::search(
        s,
        &GroupSearch {
            limit: 10,
            ..linked
        },
    )
    .await
    .unwrap();
    assert_eq!(found[0].scheme_admin, Some(true));
    assert!(found[0].has_syncables);
    let page = GroupSearch {
        offset: 1,
        limit: 1,
        ..Default::default()
    };
    assert_eq!(groups::search(s, &page).await.unwrap().0[0].id, b.id);
}

async fn the_sync_reads_who_to_add_and_who_to_remove(s: &Store) {
    let g = group(s, "r1").await;
    let (ann, ben, cat) = (
        user(s, "ann").await,
        user(s, "ben").await,
        user(s, "cat").await,
    );
    let constrained = Team {
        id: new_id(),
        name: "closed".into(),
        display_name: "Closed".into(),
        team_type: "O".into(),
        group_constrained: Some(true),
        ..Team::default()
    };
    teams::insert(s, &constrained).await.unwrap();
    let c = Channel {
        id: new_id(),
        team_id: constrained.id.clone(),
        channel_type: CHANNEL_OPEN.into(),
        name: "room".into(),
        display_name: "Room".into(),
        group_constrained: Some(true),
        ..Channel::default()
    };
    channels::create(s, &c, &[], None).await.unwrap();
    members::upsert(s, &g.id, &ann.id, 10).await.unwrap();
    members::upsert(s, &g.id, &ben.id, 10).await.unwrap();
    for kind in [SyncableType::Team, SyncableType::Channel] {
        let id = if kind == SyncableType::Team {
            &constrained.id
        } else {
            &c.id
        };
        syncables::upsert(s, kind, &g.id, id, true, false, 10)
            .await
            .unwrap();
    }
    // Ann is in the team already; Cat is in it without a group.
    join_team(s, &constrained, &ann).await;
    join_team(s, &constrained, &cat).await;
    join(s, &c, &cat).await;
    let users = |p: Vec<syncables::Pending>| p.into_iter().map(|p| p.user_id).collect::<Vec<_>>();
    let to_add = syncables::members_to_add(s, SyncableType::Team, "", 100)
        .await
        .unwrap();
    assert_eq!(users(to_add), vec![ben.id.clone()]);
    let mut to_add = users(
        syncables::members_to_add(s, SyncableType::Channel, &c.id, 100)
            .await
            .unwrap(),
    );
    to_add.sort();
    let mut both = vec![ann.id.clone(), ben.id.clone()];
    both.sort();
    assert_eq!(to_add, both);
    assert!(
        syncables::members_to_add(s, SyncableType::Channel, &new_id(), 100)
            .await
            .unwrap()
            .is_empty()
    );
    for kind in [SyncableType::Team, SyncableType::Channel] {
        let to_remove = syncables::members_to_remove(s, kind, "", 100)
            .await
            .unwrap();
        assert_eq!(users(to_remove), vec![cat.id.clone()], "{kind:?}");
    }
    let among = syncables::linked_members_among(
        s,
        SyncableType::Team,
        &constrained.id,
        &[ann.id.clone(), cat.id.clone()],
    )
    .await
    .unwrap();
    assert_eq!(among, vec![ann.id.clone()]);
    // Ann leaves the group: she is to go too; an unlinked group admits nobody.
    members::delete(s, &g.id, &ann.id, 20).await.unwrap();
    assert_eq!(
        syncables::members_to_remove(s, SyncableType::Team, "", 100)
            .await
            .unwrap()
            .len(),
        2
    );
    assert!(
        syncables::delete(s, SyncableType::Team, &g.id, &constrained.id, 30)
            .await
            .unwrap()
    );
    assert!(
        syncables::get(s, SyncableType::Team, &g.id, &constrained.id)
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(
        syncables::of_group(s, SyncableType::Channel, &g.id)
            .await
            .unwrap()[0]
            .channel_id
            .as_deref(),
        Some(c.id.as_str())
    );
}
