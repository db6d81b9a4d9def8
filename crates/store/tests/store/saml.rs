//! `store::saml`: an assertion id is accepted once until it expires, on either database; a
//! request id is known until it expires; the clean-up forgets only expired ids, a bounded
//! number at a time.

use crate::support::*;
use utmost_store::saml::{self, SamlId};
use utmost_store::Store;

on_both_databases!(
    an_id_is_remembered_once_until_it_expires,
    expired_ids_are_forgotten_a_bounded_number_at_a_time,
);

async fn an_id_is_remembered_once_until_it_expires(s: &Store) {
    assert!(saml::remember(s, SamlId::Assertion, "_a1", 1_000)
        .await
        .unwrap());
    // The replay: the same id again is refused while it is kept.
    assert!(!saml::remember(s, SamlId::Assertion, "_a1", 2_000)
        .await
        .unwrap());
    // Request and assertion ids are apart.
    assert!(!saml::is_remembered(s, SamlId::Request, "_a1", 0)
        .await
        .unwrap());
    assert!(saml::remember(s, SamlId::Request, "_a1", 1_000)
        .await
        .unwrap());
    assert!(saml::is_remembered(s, SamlId::Request, "_a1", 999)
        .await
        .unwrap());
    assert!(!saml::is_remembered(s, SamlId::Request, "_a1", 1_000)
        .await
        .unwrap());
    assert!(!saml::is_remembered(s, SamlId::Request, "_unknown", 0)
        .await
        .unwrap());
}

async fn expired_ids_are_forgotten_a_bounded_number_at_a_time(s: &Store) {
    for i in 0..5 {
        saml::remember(s, SamlId::Assertion, &format!("_old{i}"), 100)
            .await
            .unwrap();
    }
    saml::remember(s, SamlId::Assertion, "_live", 10_000)
        .await
        .unwrap();
    assert_eq!(saml::forget_expired(s, 500, 3).await.unwrap(), 3);
    assert_eq!(saml::forget_expired(s, 500, 3).await.unwrap(), 2);
    assert_eq!(saml::forget_expired(s, 500, 3).await.unwrap(), 0);
    // Forgotten: the id may be taken again; the live one is still refused.
    assert!(saml::remember(s, SamlId::Assertion, "_old0", 1_000)
        .await
        .unwrap());
    assert!(!saml::remember(s, SamlId::Assertion, "_live", 20_000)
        .await
        .unwrap());
}
