//! `store::preferences` (`preference_store_test.go`).

use crate::support::*;
use utmost_model::preference::Preference;
use utmost_store::{preferences, Store};

on_both_databases!(preferences_save_replace_and_delete);

fn pref(user_id: &str, category: &str, name: &str, value: &str) -> Preference {
    Preference {
        user_id: user_id.into(),
        category: category.into(),
        name: name.into(),
        value: value.into(),
    }
}

async fn preferences_save_replace_and_delete(s: &Store) {
    let (alice, bob) = (user(s, "alice").await, user(s, "bob").await);
    let theme = pref(&alice.id, "display_settings", "theme", "dark");
    let crt = pref(
        &alice.id,
        "display_settings",
        "collapsed_reply_threads",
        "on",
    );
    let flag = pref(&alice.id, "flagged_post", "p1", "true");
    preferences::save(s, &[theme.clone(), crt.clone(), flag.clone()])
        .await
        .unwrap();
    preferences::save(s, &[pref(&bob.id, "display_settings", "theme", "light")])
        .await
        .unwrap();
    let light = pref(&alice.id, "display_settings", "theme", "light");
    preferences::save(s, std::slice::from_ref(&light))
        .await
        .unwrap();

    assert_eq!(
        preferences::get_all(s, &alice.id).await.unwrap(),
        [crt.clone(), light.clone(), flag.clone()]
    );
    assert_eq!(
        preferences::get_category(s, &alice.id, "display_settings")
            .await
            .unwrap(),
        [crt.clone(), light.clone()]
    );
    assert_eq!(
        preferences::get(s, &alice.id, "flagged_post", "p1")
            .await
            .unwrap(),
        Some(flag.clone())
    );
    assert!(preferences::get(s, &alice.id, "flagged_post", "p2")
        .await
        .unwrap()
        .is_none());

    let missing = pref(&alice.id, "nothing", "here", "");
    preferences::delete(s, &alice.id, &[flag, missing])
        .await
        .unwrap();
    assert_eq!(
        preferences::get_all(s, &alice.id).await.unwrap(),
        [crt, light]
    );
    assert_eq!(preferences::get_all(s, &bob.id).await.unwrap().len(), 1);
}
