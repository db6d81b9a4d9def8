//! `store::systems` (`system_store_test.go`).

use crate::support::*;
use utmost_store::{systems, Store};

on_both_databases!(systems_values_and_the_first_writer);

async fn systems_values_and_the_first_writer(s: &Store) {
    assert!(systems::get(s, "DiagnosticId").await.unwrap().is_none());
    systems::insert_if_absent(s, "DiagnosticId", "first")
        .await
        .unwrap();
    systems::insert_if_absent(s, "DiagnosticId", "second")
        .await
        .unwrap();
    assert_eq!(
        systems::get(s, "DiagnosticId").await.unwrap().as_deref(),
        Some("first")
    );
    systems::set(s, "DiagnosticId", "third").await.unwrap();
    assert_eq!(
        systems::get(s, "DiagnosticId").await.unwrap().as_deref(),
        Some("third")
    );
    systems::delete(s, "DiagnosticId").await.unwrap();
    assert!(systems::get(s, "DiagnosticId").await.unwrap().is_none());
    s.health_check().await.unwrap();
}
