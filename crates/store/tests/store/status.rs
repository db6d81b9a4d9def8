//! `store::status` (`status_store_test.go`).

use crate::support::*;
use utmost_model::status::Status;
use utmost_store::{status, Store};

on_both_databases!(status_is_upserted);

async fn status_is_upserted(s: &Store) {
    let alice = user(s, "alice").await;
    let online = Status {
        user_id: alice.id.clone(),
        status: "online".into(),
        last_activity_at: 2_000,
        ..Status::default()
    };
    status::upsert(s, &online).await.unwrap();
    let dnd = Status {
        status: "dnd".into(),
        manual: true,
        dnd_end_time: 1_700_000_000,
        prev_status: "online".into(),
        ..online
    };
    status::upsert(s, &dnd).await.unwrap();
    assert_eq!(status::get_all(s).await.unwrap(), [dnd]);
    // A user's last activity is read along with the user.
    let got = utmost_store::users::get(s, &alice.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(got.last_activity_at, 2_000);
}
