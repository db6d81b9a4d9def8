//! `store::teams`: names, listings, memberships that are left and revived, the member
//! limit, member pages and counts (`team_store_test.go`).

use crate::support::*;
use utmost_model::team::{Team, TeamMember};
use utmost_store::teams::{self, MemberInsert, MemberSort, OpenInvite};
use utmost_store::{users, Deleted, Store, StoreError};

on_both_databases!(
    team_names_are_unique,
    listings_page_and_filter_open_invite,
    leaving_and_rejoining_keep_one_row,
    the_member_limit_counts_active_members,
    member_pages_sort_and_leave_out_deactivated_users,
    deleting_a_team_for_good,
);

fn team_names(list: &[Team]) -> Vec<&str> {
    list.iter().map(|t| t.name.as_str()).collect()
}

async fn team_names_are_unique(s: &Store) {
    let red = team(s, "red").await;
    let twin = Team {
        id: utmost_model::new_id(),
        ..red.clone()
    };
    let refused = teams::insert(s, &twin).await;
    assert!(
        matches!(&refused, Err(StoreError::Conflict(c)) if c == "name"),
        "{refused:?}"
    );
    assert_eq!(
        teams::get_by_name(s, "red").await.unwrap().map(|t| t.id),
        Some(red.id.clone())
    );
    let renamed = Team {
        display_name: "Crimson".into(),
        update_at: 2_000,
        ..red.clone()
    };
    teams::update(s, &renamed).await.unwrap();
    assert_eq!(teams::get(s, &red.id).await.unwrap(), Some(renamed));
}

async fn listings_page_and_filter_open_invite(s: &Store) {
    let alice = user(s, "alice").await;
    let (a, b) = (team(s, "aaa").await, team(s, "bbb").await);
    let open = Team {
        allow_open_invite: true,
        ..team(s, "ccc").await
    };
    teams::update(s, &open).await.unwrap();
    let archived = Team {
        delete_at: 2_000,
        ..b.clone()
    };
    teams::update(s, &archived).await.unwrap();

    assert_eq!(
        team_names(&teams::list_page(s, OpenInvite::Any, 10, 0).await.unwrap()),
        ["aaa", "bbb", "ccc"]
    );
    assert_eq!(
        team_names(&teams::list_page(s, OpenInvite::Any, 2, 2).await.unwrap()),
        ["ccc"]
    );
    assert!(teams::list_page(s, OpenInvite::Any, 2, 4)
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        team_names(&teams::list_page(s, OpenInvite::Open, 10, 0).await.unwrap()),
        ["ccc"]
    );
    assert_eq!(teams::count(s, OpenInvite::Closed).await.unwrap(), 2);
    assert_eq!(teams::count(s, OpenInvite::Any).await.unwrap(), 3);

    for t in [&a, &b, &open] {
        join_team(s, t, &alice).await;
    }
    // Archived teams are not the user's teams any more.
    assert_eq!(
        team_names(&teams::list_for_user(s, &alice.id).await.unwrap()),
        ["aaa", "ccc"]
    );
}

async fn leaving_and_rejoining_keep_one_row(s: &Store) {
    let red = team(s, "red").await;
    let (alice, bob) = (user(s, "alice").await, user(s, "bob").await);
    join_team(s, &red, &alice).await;
    join_team(s, &red, &bob).await;
    assert!(teams::share_a_team(s, &alice.id, &bob.id).await.unwrap());
    let again = TeamMember {
        team_id: red.id.clone(),
        user_id: alice.id.clone(),
        ..TeamMember::default()
    };
    let twice = teams::insert_member(s, &again, -1).await;
    assert!(matches!(twice, Err(StoreError::Conflict(_))), "{twice:?}");

    let member = teams::get_member(s, &red.id, &alice.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(member.roles, "team_user");
    let left = TeamMember {
        delete_at: 2_000,
        ..member.clone()
    };
    teams::update_member(s, &left).await.unwrap();
    assert!(!teams::share_a_team(s, &alice.id, &bob.id).await.unwrap());
    assert!(teams::list_for_user(s, &alice.id).await.unwrap().is_empty());
    // The row stays, so a rejoin revives it and the user's memberships still show it.
    let rows = teams::memberships_for_user(s, &alice.id).await.unwrap();
    assert_eq!(
        rows.iter().map(|m| m.delete_at).collect::<Vec<_>>(),
        [2_000]
    );
    assert_eq!(
        teams::get_member(s, &red.id, &alice.id).await.unwrap(),
        Some(left.clone())
    );
    let admin_again = TeamMember {
        delete_at: 0,
        scheme_admin: true,
        ..left
    };
    teams::update_member(s, &admin_again).await.unwrap();
    let revived = teams::get_member(s, &red.id, &alice.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(revived.roles, "team_user team_admin");
    assert_eq!(teams::active_member_count(s, &red.id).await.unwrap(), 2);
}

async fn the_member_limit_counts_active_members(s: &Store) {
    let red = team(s, "red").await;
    let (alice, bob, carol) = (
        user(s, "alice").await,
        user(s, "bob").await,
        user(s, "carol").await,
    );
    let row = |u: &utmost_model::user::User| TeamMember {
        team_id: red.id.clone(),
        user_id: u.id.clone(),
        scheme_user: true,
        ..TeamMember::default()
    };
    assert_eq!(
        teams::insert_member(s, &row(&alice), 2).await.unwrap(),
        MemberInsert::Inserted
    );
    assert_eq!(
        teams::insert_member(s, &row(&bob), 2).await.unwrap(),
        MemberInsert::Inserted
    );
    assert_eq!(
        teams::insert_member(s, &row(&carol), 2).await.unwrap(),
        MemberInsert::TeamFull
    );
    // A deactivated member no longer counts against the limit, but still counts in total.
    users::set_delete_at(s, &bob.id, 2_000, 2_000)
        .await
        .unwrap();
    assert_eq!(
        teams::insert_member(s, &row(&carol), 2).await.unwrap(),
        MemberInsert::Inserted
    );
    assert_eq!(teams::active_member_count(s, &red.id).await.unwrap(), 2);
    assert_eq!(teams::total_member_count(s, &red.id).await.unwrap(), 3);
}

async fn member_pages_sort_and_leave_out_deactivated_users(s: &Store) {
    let red = team(s, "red").await;
    let mut made = Vec::new();
    for name in ["zed", "amy", "kim"] {
        let u = user(s, name).await;
        join_team(s, &red, &u).await;
        made.push(u);
    }
    users::set_delete_at(s, &made[0].id, 2_000, 2_000)
        .await
        .unwrap();
    let page = |sort, deactivated, limit, offset| {
        teams::member_page(s, &red.id, sort, deactivated, limit, offset)
    };
    let name_of = |m: &TeamMember| {
        made.iter()
            .find(|u| u.id == m.user_id)
            .map(|u| u.username.clone())
    };
    let by_name: Vec<_> = page(MemberSort::Username, Deleted::Include, 10, 0)
        .await
        .unwrap()
        .iter()
        .filter_map(name_of)
        .collect();
    assert_eq!(by_name, ["amy", "kim", "zed"]);
    let live: Vec<_> = page(MemberSort::Username, Deleted::Exclude, 10, 0)
        .await
        .unwrap()
        .iter()
        .filter_map(name_of)
        .collect();
    assert_eq!(live, ["amy", "kim"]);
    let mut ids: Vec<String> = made.iter().map(|u| u.id.clone()).collect();
    ids.sort();
    let by_id = page(MemberSort::UserId, Deleted::Include, 2, 1)
        .await
        .unwrap();
    assert_eq!(
        by_id.iter().map(|m| &m.user_id).collect::<Vec<_>>(),
        [&ids[1], &ids[2]]
    );
    assert!(page(MemberSort::UserId, Deleted::Include, 2, 3)
        .await
        .unwrap()
        .is_empty());
    let some = vec![made[1].id.clone(), "notamember0000000000000000".into()];
    assert_eq!(
        teams::members_by_ids(s, &red.id, &some)
            .await
            .unwrap()
            .len(),
        1
    );
}

async fn deleting_a_team_for_good(s: &Store) {
    let red = team(s, "red").await;
    let alice = user(s, "alice").await;
    join_team(s, &red, &alice).await;
    let town = open_channel(s, &red, "town").await;
    join(s, &town, &alice).await;
    teams::permanent_delete(s, &red.id).await.unwrap();
    assert!(teams::get(s, &red.id).await.unwrap().is_none());
    assert!(teams::get_member(s, &red.id, &alice.id)
        .await
        .unwrap()
        .is_none());
    assert!(utmost_store::channels::get(s, &town.id)
        .await
        .unwrap()
        .is_none());
    assert!(utmost_store::channels::member(s, &town.id, &alice.id)
        .await
        .unwrap()
        .is_none());
}
