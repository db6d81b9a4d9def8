//! `store::audits`: rows come back newest first, a page at a time, for everyone or one
//! user; values longer than PostgreSQL's columns are cut, not refused.

use crate::support::*;
use utmost_model::audit::Audit;
use utmost_store::audits;
use utmost_store::Store;

on_both_databases!(pages_newest_first_for_everyone_or_one_user,);

fn row(n: i64, user_id: &str) -> Audit {
    Audit {
        id: utmost_model::new_id(),
        create_at: 1_000 + n,
        user_id: user_id.to_string(),
        action: "/api/v4/users/login".to_string(),
        extra_info: format!("login success n={n}"),
        ip_address: "127.0.0.1".to_string(),
        session_id: String::new(),
    }
}

async fn pages_newest_first_for_everyone_or_one_user(s: &Store) {
    let alice = utmost_model::new_id();
    let bob = utmost_model::new_id();
    for n in 0..5 {
        audits::insert(s, &row(n, if n % 2 == 0 { &alice } else { &bob }))
            .await
            .unwrap();
    }
    let mut long = row(9, &alice);
    long.action = "a".repeat(600);
    long.extra_info = "é".repeat(700);
    audits::insert(s, &long).await.unwrap();

    let all = audits::page(s, None, 0, 100).await.unwrap();
    assert_eq!(all.len(), 6);
    assert_eq!(all[0].action.len(), 512);
    assert!(all[0].extra_info.len() <= 1024 && all[0].extra_info.starts_with('é'));
    let times: Vec<i64> = all.iter().map(|a| a.create_at).collect();
    assert_eq!(times, vec![1_009, 1_004, 1_003, 1_002, 1_001, 1_000]);
    let second = audits::page(s, None, 2, 2).await.unwrap();
    assert_eq!(second[0].create_at, 1_003);
    let bobs = audits::page(s, Some(&bob), 0, 100).await.unwrap();
    assert_eq!(bobs.len(), 2);
    assert!(bobs.iter().all(|a| a.user_id == bob));
}
