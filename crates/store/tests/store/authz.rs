//! `store::authz`: the membership facts permission checks read.

use crate::support::*;
use utmost_store::{authz, Store};

on_both_databases!(authz_reads_live_memberships);

async fn authz_reads_live_memberships(s: &Store) {
    let (red, blue) = (team(s, "red").await, team(s, "blue").await);
    let alice = user(s, "alice").await;
    join_team(s, &red, &alice).await;
    join_team(s, &blue, &alice).await;
    let town = open_channel(s, &red, "town").await;
    join(s, &town, &alice).await;
    let dm = channel(s, "", "dm", utmost_model::channel::CHANNEL_DIRECT).await;

    let roles = authz::team_member_roles(s, &red.id, &alice.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(roles.schemeuser, Some(true));
    let roles = authz::channel_member_roles(s, &town.id, &alice.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (roles.schemeuser, roles.schemeadmin),
        (Some(true), Some(false))
    );
    assert!(authz::channel_member_roles(s, &dm.id, &alice.id)
        .await
        .unwrap()
        .is_none());
    assert_eq!(
        authz::channel_team_id(s, &town.id).await.unwrap(),
        Some(red.id.clone())
    );
    assert_eq!(
        authz::channel_team_id(s, &dm.id).await.unwrap(),
        Some(String::new())
    );
    assert!(authz::channel_team_id(s, "nochannel00000000000000000")
        .await
        .unwrap()
        .is_none());

    let member = utmost_store::teams::get_member(s, &blue.id, &alice.id)
        .await
        .unwrap()
        .unwrap();
    let left = utmost_model::team::TeamMember {
        delete_at: 2_000,
        ..member
    };
    utmost_store::teams::update_member(s, &left).await.unwrap();
    assert!(authz::team_member_roles(s, &blue.id, &alice.id)
        .await
        .unwrap()
        .is_none());
    let (channels, teams) = authz::memberships(s, &alice.id).await.unwrap();
    assert_eq!(
        (channels, teams),
        (vec![town.id.clone()], vec![red.id.clone()])
    );
}
