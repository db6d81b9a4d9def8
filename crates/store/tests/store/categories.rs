//! `store::categories` (`channel_store_categories_test.go`).

use crate::support::*;
use utmost_model::channel::{Channel, CHANNEL_DIRECT};
use utmost_model::channel_sidebar::{
    default_category_id, SidebarCategory, CATEGORY_FAVORITE_CHANNEL, TYPE_CHANNELS, TYPE_CUSTOM,
    TYPE_DIRECT_MESSAGES, TYPE_FAVORITES,
};
use utmost_model::preference::Preference;
use utmost_model::team::Team;
use utmost_model::user::User;
use utmost_store::categories::{self, Deleted, OrderSet};
use utmost_store::{channels, preferences, Store};

on_both_databases!(
    defaults_are_created_once_and_list_unplaced_channels,
    concurrent_default_creations_make_one_set,
    new_favorites_take_the_favorite_preferences,
    a_custom_category_takes_its_channels_and_follows_favorites,
    updates_replace_placements_and_keep_favorites_in_step,
    favorite_preferences_move_channels,
    order_must_name_every_category,
    only_custom_categories_are_deleted,
    leaving_a_channel_or_team_clears_the_sidebar,
);

/// A member of team `t` with channels `a` and `b` and a DM with another user.
struct Fixture {
    user: User,
    team: Team,
    a: Channel,
    b: Channel,
    dm: Channel,
}

async fn fixture(s: &Store) -> Fixture {
    let (user, other) = (user(s, "alice").await, user(s, "bob").await);
    let team = team(s, "t").await;
    join_team(s, &team, &user).await;
    let (b, a) = (
        open_channel(s, &team, "b").await,
        open_channel(s, &team, "a").await,
    );
    let dm = channel(s, "", "dm", CHANNEL_DIRECT).await;
    for c in [&a, &b, &dm] {
        join(s, c, &user).await;
    }
    join(s, &dm, &other).await;
    Fixture {
        user,
        team,
        a,
        b,
        dm,
    }
}

async fn listed(s: &Store, f: &Fixture) -> Vec<(String, Vec<String>)> {
    categories::for_team(s, &f.user.id, &f.team.id)
        .await
        .unwrap()
        .into_iter()
        .map(|c| (c.category_type, c.channel_ids))
        .collect()
}

fn ids(channels: &[&Channel]) -> Vec<String> {
    channels.iter().map(|c| c.id.clone()).collect()
}

fn favorite(user: &User, channel: &Channel, value: &str) -> Preference {
    Preference {
        user_id: user.id.clone(),
        category: CATEGORY_FAVORITE_CHANNEL.into(),
        name: channel.id.clone(),
        value: value.into(),
    }
}

async fn is_favorite(s: &Store, user: &User, channel: &Channel) -> bool {
    preferences::get(s, &user.id, CATEGORY_FAVORITE_CHANNEL, &channel.id)
        .await
        .unwrap()
        .is_some()
}

async fn defaults_are_created_once_and_list_unplaced_channels(s: &Store) {
    let f = fixture(s).await;
    assert!(listed(s, &f).await.is_empty());
    for _ in 0..2 {
        categories::create_defaults(s, &f.user.id, &f.team.id)
            .await
            .unwrap();
    }
    let all = categories::for_team(s, &f.user.id, &f.team.id)
        .await
        .unwrap();
    let shape: Vec<(&str, &str, i64, &str, &str)> = all
        .iter()
        .map(|c| {
            (
                c.id.as_str(),
                c.category_type.as_str(),
                c.sort_order,
                c.sorting.as_str(),
                c.display_name.as_str(),
            )
        })
        .collect();
    let id = |t| default_category_id(t, &f.user.id, &f.team.id);
    let (fav, chan, dms) = (
        id(TYPE_FAVORITES),
        id(TYPE_CHANNELS),
        id(TYPE_DIRECT_MESSAGES),
    );
    assert_eq!(
        shape,
        [
            (fav.as_str(), TYPE_FAVORITES, 0, "", "Favorites"),
            (chan.as_str(), TYPE_CHANNELS, 10, "", "Channels"),
            (
                dms.as_str(),
                TYPE_DIRECT_MESSAGES,
                20,
                "recent",
                "Direct Messages"
            ),
        ]
    );
    assert!(all
        .iter()
        .all(|c| c.user_id == f.user.id && c.team_id == f.team.id));
    // Channels by display name, DMs apart.
    assert_eq!(
        listed(s, &f).await,
        [
            (TYPE_FAVORITES.into(), vec![]),
            (TYPE_CHANNELS.into(), ids(&[&f.a, &f.b])),
            (TYPE_DIRECT_MESSAGES.into(), ids(&[&f.dm])),
        ]
    );
    let one = categories::get(s, &chan).await.unwrap().unwrap();
    assert_eq!(one, all[1]);
    assert!(categories::get(s, "missing").await.unwrap().is_none());
    assert_eq!(
        categories::order(s, &f.user.id, &f.team.id).await.unwrap(),
        [fav, chan, dms]
    );
}

async fn concurrent_default_creations_make_one_set(s: &Store) {
    let f = fixture(s).await;
    let creating: Vec<_> = (0..6)
        .map(|_| {
            let (store, user_id, team_id) = (s.clone(), f.user.id.clone(), f.team.id.clone());
            tokio::spawn(async move {
                categories::create_defaults(&store, &user_id, &team_id)
                    .await
                    .unwrap()
            })
        })
        .collect();
    for task in creating {
        task.await.unwrap();
    }
    assert_eq!(
        categories::order(s, &f.user.id, &f.team.id)
            .await
            .unwrap()
            .len(),
        3
    );
}

async fn new_favorites_take_the_favorite_preferences(s: &Store) {
    let f = fixture(s).await;
    // Saved before any category exists: nothing to move yet.
    preferences::save(s, &[favorite(&f.user, &f.b, "true")])
        .await
        .unwrap();
    categories::create_defaults(s, &f.user.id, &f.team.id)
        .await
        .unwrap();
    assert_eq!(
        listed(s, &f).await,
        [
            (TYPE_FAVORITES.into(), ids(&[&f.b])),
            (TYPE_CHANNELS.into(), ids(&[&f.a])),
            (TYPE_DIRECT_MESSAGES.into(), ids(&[&f.dm])),
        ]
    );
}

fn custom(f: &Fixture, name: &str, channels: &[&Channel]) -> SidebarCategory {
    SidebarCategory {
        user_id: f.user.id.clone(),
        team_id: f.team.id.clone(),
        display_name: name.into(),
        channel_ids: ids(channels),
        ..SidebarCategory::default()
    }
}

async fn a_custom_category_takes_its_channels_and_follows_favorites(s: &Store) {
    let f = fixture(s).await;
    assert!(
        categories::create(s, &f.user.id, &f.team.id, &custom(&f, "x", &[]))
            .await
            .unwrap()
            .is_none()
    );
    categories::create_defaults(s, &f.user.id, &f.team.id)
        .await
        .unwrap();
    let made = categories::create(
        s,
        &f.user.id,
        &f.team.id,
        &custom(&f, "Work", &[&f.b, &f.dm]),
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!(
        (
            made.category_type.as_str(),
            made.sort_order,
            made.display_name.as_str()
        ),
        (TYPE_CUSTOM, 10, "Work")
    );
    assert_eq!(
        listed(s, &f).await,
        [
            (TYPE_FAVORITES.into(), vec![]),
            (TYPE_CUSTOM.into(), ids(&[&f.b, &f.dm])),
            (TYPE_CHANNELS.into(), ids(&[&f.a])),
            (TYPE_DIRECT_MESSAGES.into(), vec![]),
        ]
    );
    // A second one takes the channel out of the first.
    categories::create(s, &f.user.id, &f.team.id, &custom(&f, "Later", &[&f.b]))
        .await
        .unwrap()
        .unwrap();
    let all = categories::for_team(s, &f.user.id, &f.team.id)
        .await
        .unwrap();
    let names: Vec<(&str, i64, &[String])> = all
        .iter()
        .map(|c| {
            (
                c.display_name.as_str(),
                c.sort_order,
                c.channel_ids.as_slice(),
            )
        })
        .collect();
    assert_eq!(
        names,
        [
            ("Favorites", 0, &[][..]),
            ("Later", 10, &ids(&[&f.b])[..]),
            ("Work", 20, &ids(&[&f.dm])[..]),
            ("Channels", 30, &ids(&[&f.a])[..]),
            ("Direct Messages", 40, &[][..]),
        ]
    );
}

async fn updates_replace_placements_and_keep_favorites_in_step(s: &Store) {
    let f = fixture(s).await;
    categories::create_defaults(s, &f.user.id, &f.team.id)
        .await
        .unwrap();
    let mut all = categories::for_team(s, &f.user.id, &f.team.id)
        .await
        .unwrap();
    // Into Favorites: the preference follows; defaults keep their names.
    all[0].channel_ids = ids(&[&f.a, &f.dm]);
    all[0].display_name = "Renamed".into();
    all[0].collapsed = true;
    all[1].channel_ids = ids(&[&f.b]);
    let written = categories::update(s, &f.user.id, &all[..2])
        .await
        .unwrap()
        .unwrap();
    assert_eq!(written.original[0].channel_ids, Vec::<String>::new());
    assert_eq!(written.updated[0].display_name, "Favorites");
    assert!(written.updated[0].collapsed);
    assert!(is_favorite(s, &f.user, &f.a).await && is_favorite(s, &f.user, &f.dm).await);
    assert_eq!(
        listed(s, &f).await,
        [
            (TYPE_FAVORITES.into(), ids(&[&f.a, &f.dm])),
            (TYPE_CHANNELS.into(), ids(&[&f.b])),
            (TYPE_DIRECT_MESSAGES.into(), vec![]),
        ]
    );
    // Out of Favorites: the preference goes.
    all[0].channel_ids = ids(&[&f.dm]);
    all[1].channel_ids = ids(&[&f.a, &f.b]);
    categories::update(s, &f.user.id, &all[..2])
        .await
        .unwrap()
        .unwrap();
    assert!(!is_favorite(s, &f.user, &f.a).await && is_favorite(s, &f.user, &f.dm).await);
    // Direct Messages keeps its channels and muting; its unplaced DMs are listed again once
    // Favorites lets go of the DM.
    all[0].channel_ids.clear();
    all[2].channel_ids = ids(&[&f.a]);
    all[2].muted = true;
    let written = categories::update(s, &f.user.id, &[all[0].clone(), all[2].clone()])
        .await
        .unwrap()
        .unwrap();
    assert_eq!(written.updated[1].channel_ids, ids(&[&f.dm]));
    assert!(!written.updated[1].muted);
    assert!(!is_favorite(s, &f.user, &f.dm).await);
    // A missing category changes nothing.
    let mut missing = all[1].clone();
    missing.id = utmost_model::new_id();
    assert!(
        categories::update(s, &f.user.id, &[all[1].clone(), missing])
            .await
            .unwrap()
            .is_none()
    );
}

async fn favorite_preferences_move_channels(s: &Store) {
    let f = fixture(s).await;
    categories::create_defaults(s, &f.user.id, &f.team.id)
        .await
        .unwrap();
    for c in [&f.a, &f.dm] {
        preferences::save(s, &[favorite(&f.user, c, "true")])
            .await
            .unwrap();
    }
    // The newest favourite comes first; saving it again moves nothing.
    preferences::save(s, &[favorite(&f.user, &f.dm, "true")])
        .await
        .unwrap();
    assert_eq!(
        listed(s, &f).await[0],
        (TYPE_FAVORITES.into(), ids(&[&f.dm, &f.a]))
    );
    preferences::save(s, &[favorite(&f.user, &f.a, "false")])
        .await
        .unwrap();
    preferences::delete(s, &f.user.id, &[favorite(&f.user, &f.dm, "")])
        .await
        .unwrap();
    assert_eq!(
        listed(s, &f).await,
        [
            (TYPE_FAVORITES.into(), vec![]),
            (TYPE_CHANNELS.into(), ids(&[&f.a, &f.b])),
            (TYPE_DIRECT_MESSAGES.into(), ids(&[&f.dm])),
        ]
    );
}

async fn order_must_name_every_category(s: &Store) {
    let f = fixture(s).await;
    categories::create_defaults(s, &f.user.id, &f.team.id)
        .await
        .unwrap();
    let mut order = categories::order(s, &f.user.id, &f.team.id).await.unwrap();
    order.reverse();
    for wrong in [
        order[..2].to_vec(),
        vec![order[0].clone(), order[1].clone(), "other".into()],
        vec![order[0].clone(), order[0].clone(), order[1].clone()],
    ] {
        assert_eq!(
            categories::set_order(s, &f.user.id, &f.team.id, &wrong)
                .await
                .unwrap(),
            OrderSet::Mismatch
        );
    }
    assert_eq!(
        categories::set_order(s, &f.user.id, &f.team.id, &order)
            .await
            .unwrap(),
        OrderSet::Set
    );
    assert_eq!(
        categories::order(s, &f.user.id, &f.team.id).await.unwrap(),
        order
    );
    let sort_orders: Vec<i64> = categories::for_team(s, &f.user.id, &f.team.id)
        .await
        .unwrap()
        .iter()
        .map(|c| c.sort_order)
        .collect();
    assert_eq!(sort_orders, [0, 10, 20]);
}

async fn only_custom_categories_are_deleted(s: &Store) {
    let f = fixture(s).await;
    categories::create_defaults(s, &f.user.id, &f.team.id)
        .await
        .unwrap();
    let made = categories::create(
        s,
        &f.user.id,
        &f.team.id,
        &custom(&f, "Work", &[&f.a, &f.dm]),
    )
    .await
    .unwrap()
    .unwrap();
    let favorites = default_category_id(TYPE_FAVORITES, &f.user.id, &f.team.id);
    assert_eq!(
        categories::delete(s, &favorites).await.unwrap(),
        Deleted::NotCustom
    );
    assert_eq!(
        categories::delete(s, &made.id).await.unwrap(),
        Deleted::Deleted
    );
    assert_eq!(
        categories::delete(s, &made.id).await.unwrap(),
        Deleted::NotFound
    );
    assert_eq!(
        listed(s, &f).await,
        [
            (TYPE_FAVORITES.into(), vec![]),
            (TYPE_CHANNELS.into(), ids(&[&f.a, &f.b])),
            (TYPE_DIRECT_MESSAGES.into(), ids(&[&f.dm])),
        ]
    );
}

async fn leaving_a_channel_or_team_clears_the_sidebar(s: &Store) {
    let f = fixture(s).await;
    categories::create_defaults(s, &f.user.id, &f.team.id)
        .await
        .unwrap();
    preferences::save(s, &[favorite(&f.user, &f.a, "true")])
        .await
        .unwrap();
    categories::create(s, &f.user.id, &f.team.id, &custom(&f, "Work", &[&f.b]))
        .await
        .unwrap()
        .unwrap();
    channels::remove_member(s, &f.a.id, &f.user.id, 2_000)
        .await
        .unwrap();
    channels::remove_member(s, &f.b.id, &f.user.id, 2_000)
        .await
        .unwrap();
    let after: Vec<Vec<String>> = listed(s, &f).await.into_iter().map(|(_, c)| c).collect();
    assert!(after.iter().take(3).all(Vec::is_empty), "{after:?}");
    categories::clear_for_team(s, &f.user.id, &f.team.id)
        .await
        .unwrap();
    assert!(categories::order(s, &f.user.id, &f.team.id)
        .await
        .unwrap()
        .is_empty());
}
