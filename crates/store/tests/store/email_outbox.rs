//! `store::email_outbox` and `store::tokens`: claiming due emails (each by one sender), the
//! retry bookkeeping, the batch's buffer bound, the digest's all-or-nothing move, one-shot
//! tokens.

use crate::support::*;
use utmost_store::email_outbox::{self as outbox, BatchedNotice, OutboxEmail};
use utmost_store::tokens::{self, TokenRow};
use utmost_store::Store;

on_both_databases!(
    outbox_claims_each_due_email_once_and_keeps_failed_ones,
    batch_keeps_the_newest_notices_and_a_digest_moves_them_once,
    tokens_are_used_once,
    concurrent_senders_never_take_the_same_email,
);

fn email(id: &str, due_at: i64) -> OutboxEmail {
    OutboxEmail {
        id: id.into(),
        create_at: due_at,
        due_at,
        attempts: 0,
        recipient: "a@example.com".into(),
        subject: "s".into(),
        html_body: "<p>h</p>".into(),
        text_body: "t".into(),
    }
}

async fn outbox_claims_each_due_email_once_and_keeps_failed_ones(s: &Store) {
    outbox::insert(s, &[email("e1", 100)]).await.unwrap();
    outbox::insert(s, &[email("e2", 200)]).await.unwrap();
    outbox::insert(s, &[email("later", 10_000)]).await.unwrap();

    let claimed = outbox::claim_due(s, 500, 5_000, 10).await.unwrap();
    let ids: Vec<&str> = claimed.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, ["e1", "e2"]);
    // Leased: a second sender finds nothing due until the lease ends.
    assert!(outbox::claim_due(s, 600, 5_000, 10)
        .await
        .unwrap()
        .is_empty());

    outbox::delete(s, "e1").await.unwrap();
    outbox::postpone(s, "e2", 700, "refused").await.unwrap();
    assert_eq!(outbox::pending(s).await.unwrap(), (2, 1));
    let retried = outbox::claim_due(s, 800, 9_000, 10).await.unwrap();
    assert_eq!(retried.len(), 1);
    assert_eq!((retried[0].id.as_str(), retried[0].attempts), ("e2", 1));
}

fn notice(id: &str, user_id: &str, create_at: i64) -> BatchedNotice {
    BatchedNotice {
        id: id.into(),
        user_id: user_id.into(),
        create_at,
        notice: format!("{{\"n\":\"{id}\"}}"),
    }
}

async fn batch_keeps_the_newest_notices_and_a_digest_moves_them_once(s: &Store) {
    for (i, id) in ["n1", "n2", "n3"].iter().enumerate() {
        outbox::add_notice(s, &notice(id, "u1", i as i64 + 1), 2)
            .await
            .unwrap();
    }
    outbox::add_notice(s, &notice("other", "u2", 5), 2)
        .await
        .unwrap();
    let kept: Vec<String> = outbox::notices_of(s, "u1")
        .await
        .unwrap()
        .into_iter()
        .map(|n| n.id)
        .collect();
    assert_eq!(kept, ["n2", "n3"], "the oldest beyond the buffer went");
    let mut users = outbox::batched_users(s).await.unwrap();
    users.sort();
    assert_eq!(users, [("u1".to_string(), 2), ("u2".to_string(), 5)]);

    assert!(outbox::digest(s, &email("d1", 10), &kept).await.unwrap());
    assert!(outbox::notices_of(s, "u1").await.unwrap().is_empty());
    // A second digest of the same notices writes nothing: they are gone.
    assert!(!outbox::digest(s, &email("d2", 10), &kept).await.unwrap());
    assert_eq!(outbox::pending(s).await.unwrap().0, 1);
}

async fn tokens_are_used_once(s: &Store) {
    let row = TokenRow {
        token: "Uhashedform".into(),
        create_at: 42,
        kind: "password_recovery".into(),
        extra: r#"{"UserId":"u1","Email":"a@example.com"}"#.into(),
    };
    tokens::insert(s, &row).await.unwrap();
    assert_eq!(tokens::get(s, "Uhashedform").await.unwrap(), Some(row));
    assert!(tokens::take(s, "Uhashedform").await.unwrap());
    assert!(!tokens::take(s, "Uhashedform").await.unwrap());

    for (token, user) in [("Ua", "u1"), ("Ub", "u2")] {
        let extra = format!(r#"{{"UserId":"{user}","Email":"x@example.com"}}"#);
        let row = TokenRow {
            token: token.into(),
            create_at: 1,
            kind: "password_recovery".into(),
            extra,
        };
        tokens::insert(s, &row).await.unwrap();
    }
    tokens::delete_of_kind_containing(s, "password_recovery", r#""UserId":"u1""#)
        .await
        .unwrap();
    assert!(tokens::get(s, "Ua").await.unwrap().is_none());
    assert!(tokens::get(s, "Ub").await.unwrap().is_some());
}

/// Senders on several nodes claim at the same moment: each email is taken by one of them.
async fn concurrent_senders_never_take_the_same_email(s: &Store) {
    let emails: Vec<OutboxEmail> = (0..200).map(|i| email(&format!("c{i:03}"), 100)).collect();
    outbox::insert(s, &emails).await.unwrap();
    let sender = |s: Store| async move {
        let mut taken = Vec::new();
        loop {
            let batch = outbox::claim_due(&s, 500, 5_000, 5).await.unwrap();
            if batch.is_empty() {
                return taken;
            }
            taken.extend(batch.into_iter().map(|e| e.id));
        }
    };
    let senders: Vec<_> = (0..6).map(|_| tokio::spawn(sender(s.clone()))).collect();
    let mut all = Vec::new();
    for sender in senders {
        all.extend(sender.await.unwrap());
    }
    // A sender whose picks were all taken by others stops early; what is left is taken here.
    let left = outbox::claim_due(s, 500, 5_000, 200).await.unwrap();
    all.extend(left.into_iter().map(|e| e.id));
    let taken = all.len();
    all.sort();
    all.dedup();
    assert_eq!(all.len(), 200, "every email is taken");
    assert_eq!(taken, 200, "no email is taken twice");
}
