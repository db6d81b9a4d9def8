//! `store::mfa`: a secret is activated only while it is the one the code was checked
//! against, deactivation forgets it, and each TOTP step is claimed once, also by concurrent
//! logins.

use crate::support::*;
use utmost_store::{mfa, users, Store};

on_both_databases!(
    activation_needs_the_secret_the_code_was_checked_against,
    a_step_is_claimed_once_and_old_steps_are_dropped,
    concurrent_claims_of_one_step_let_one_through,
);

async fn activation_needs_the_secret_the_code_was_checked_against(s: &Store) {
    let alice = user(s, "alice").await;
    assert!(mfa::set_secret(s, &alice.id, "first", 1).await.unwrap());
    assert!(mfa::set_secret(s, &alice.id, "second", 2).await.unwrap());
    assert!(!mfa::activate(s, &alice.id, "first", 3).await.unwrap());
    assert!(!users::get(s, &alice.id).await.unwrap().unwrap().mfa_active);
    assert!(mfa::activate(s, &alice.id, "second", 4).await.unwrap());
    let on = users::get(s, &alice.id).await.unwrap().unwrap();
    assert!(on.mfa_active);
    assert_eq!((on.mfa_secret.as_str(), on.update_at), ("second", 4));

    // Sealing a plain secret leaves a secret generated meanwhile alone.
    mfa::reseal(s, &alice.id, "first", "sealed-first")
        .await
        .unwrap();
    assert_eq!(
        users::get(s, &alice.id).await.unwrap().unwrap().mfa_secret,
        "second"
    );
    mfa::reseal(s, &alice.id, "second", "sealed-second")
        .await
        .unwrap();
    assert_eq!(
        users::get(s, &alice.id).await.unwrap().unwrap().mfa_secret,
        "sealed-second"
    );

    mfa::claim_step(s, &alice.id, 10, 0).await.unwrap();
    assert!(mfa::deactivate(s, &alice.id, 5).await.unwrap());
    let off = users::get(s, &alice.id).await.unwrap().unwrap();
    assert!(!off.mfa_active);
    assert_eq!(off.mfa_secret, "");
    assert!(mfa::used_steps(s, &alice.id).await.unwrap().is_empty());
    assert!(!mfa::deactivate(s, "nobody", 6).await.unwrap());
    assert!(!mfa::set_secret(s, "nobody", "x", 6).await.unwrap());
}

async fn a_step_is_claimed_once_and_old_steps_are_dropped(s: &Store) {
    let alice = user(s, "alice").await;
    assert!(mfa::claim_step(s, &alice.id, 100, 99).await.unwrap());
    assert!(!mfa::claim_step(s, &alice.id, 100, 99).await.unwrap());
    assert!(mfa::claim_step(s, &alice.id, 101, 100).await.unwrap());
    assert_eq!(mfa::used_steps(s, &alice.id).await.unwrap(), [100, 101]);
    // Steps before the window are forgotten when the next one is claimed.
    assert!(mfa::claim_step(s, &alice.id, 103, 102).await.unwrap());
    assert_eq!(mfa::used_steps(s, &alice.id).await.unwrap(), [103]);
    // Another user's steps are their own.
    let bob = user(s, "bob").await;
    assert!(mfa::claim_step(s, &bob.id, 103, 102).await.unwrap());
}

async fn concurrent_claims_of_one_step_let_one_through(s: &Store) {
    let alice = user(s, "alice").await;
    let claim = || mfa::claim_step(s, &alice.id, 500, 499);
    let (a, b, c, d) = tokio::join!(claim(), claim(), claim(), claim());
    let through = [a, b, c, d]
        .into_iter()
        .filter(|r| *r.as_ref().unwrap())
        .count();
    assert_eq!(through, 1);
    assert_eq!(mfa::used_steps(s, &alice.id).await.unwrap(), [500]);
}
