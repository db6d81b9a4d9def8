//! Utmost's email outbox (`utmost_email_outbox`, migration 0026): every email is written here
//! first and deleted once the SMTP server has accepted it, so an SMTP outage delays mail and
//! loses none. Also the notices waiting for a user's next digest (`utmost_email_batch`).

use crate::db::{execute, for_each_connection, read, transaction};
use crate::{Result, Store};

/// One email waiting to be sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxEmail {
    pub id: String,
    pub create_at: i64,
    /// When the next attempt is due (milliseconds).
    pub due_at: i64,
    /// Failed attempts so far.
    pub attempts: i32,
    pub recipient: String,
    pub subject: String,
    pub html_body: String,
    pub text_body: String,
}

type OutboxRow = (String, i64, i64, i32, String, String, String, String);

impl From<OutboxRow> for OutboxEmail {
    fn from(r: OutboxRow) -> Self {
        OutboxEmail {
            id: r.0,
            create_at: r.1,
            due_at: r.2,
            attempts: r.3,
            recipient: r.4,
            subject: r.5,
            html_body: r.6,
            text_body: r.7,
        }
    }
}

const INSERT: &str = "INSERT INTO utmost_email_outbox (id, createat, dueat, attempts, \
    recipient, subject, htmlbody, textbody, lasterror) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, '')";

/// The step both writes of an outbox row share.
trait OutboxSteps {
    async fn insert_email(&mut self, email: &OutboxEmail) -> Result<()>;
}

for_each_connection!(impl OutboxSteps {
    async fn insert_email(&mut self, email: &OutboxEmail) -> Result<()> {
        sqlx::query(INSERT)
            .bind(&email.id)
            .bind(email.create_at)
            .bind(email.due_at)
            .bind(email.attempts)
            .bind(&email.recipient)
            .bind(&email.subject)
            .bind(&email.html_body)
            .bind(&email.text_body)
            .execute(&mut *self)
            .await?;
        Ok(())
    }
});

/// Writes `emails` in one transaction: a post's notices for all its recipients pay one commit.
pub async fn insert(store: &Store, emails: &[OutboxEmail]) -> Result<()> {
    transaction!(store, |tx| {
        for email in emails {
            tx.insert_email(email).await?;
        }
    })
}

/// Takes up to `limit` emails due at `now`, the earliest first, and moves their due time to
/// `lease_until` in the same statement: two senders never take the same email, and one taken
/// by a sender that died is due again once the lease ends. The outer `dueat <= $1` is the
/// compare-and-set: on PostgreSQL a sender that waited on another's row lock sees the row
/// as that one left it (leased, not due) and skips it; the subquery alone would still name
/// it, and both would send it.
pub async fn claim_due(
    store: &Store,
    now: i64,
    lease_until: i64,
    limit: i64,
) -> Result<Vec<OutboxEmail>> {
    let sql = format!(
        "UPDATE utmost_email_outbox SET dueat = $2 WHERE dueat <= $1 AND id IN \
         (SELECT id FROM utmost_email_outbox WHERE dueat <= $1 ORDER BY dueat, id LIMIT {limit}) \
         RETURNING id, createat, dueat, attempts, recipient, subject, htmlbody, textbody"
    );
    let rows: Vec<OutboxRow> = transaction!(store, |tx| {
        sqlx::query_as(&sql)
            .bind(now)
            .bind(lease_until)
            .fetch_all(&mut *tx)
            .await?
    })?;
    let mut emails: Vec<OutboxEmail> = rows.into_iter().map(OutboxEmail::from).collect();
    emails.sort_by_key(|e| e.create_at);
    Ok(emails)
}

/// Forgets an email the SMTP server accepted.
pub async fn delete(store: &Store, id: &str) -> Result<()> {
    execute!(store, "DELETE FROM utmost_email_outbox WHERE id = $1", id)?;
    Ok(())
}

/// Records a failed attempt: the email is due again at `due_at`.
pub async fn postpone(store: &Store, id: &str, due_at: i64, error: &str) -> Result<()> {
    execute!(
        store,
        "UPDATE utmost_email_outbox SET dueat = $2, attempts = attempts + 1, lasterror = $3 \
         WHERE id = $1",
        id,
        due_at,
        error,
    )?;
    Ok(())
}

/// How many emails wait, and the most attempts any of them has had (for tests and logs).
pub async fn pending(store: &Store) -> Result<(i64, i32)> {
    let row: (i64, Option<i32>) = read!(store, |p| sqlx::query_as(
        "SELECT COUNT(*), MAX(attempts) FROM utmost_email_outbox"
    )
    .fetch_one(p)
    .await)?;
    Ok((row.0, row.1.unwrap_or(0)))
}

/// A notice waiting for its user's next digest; `notice` is what the digest shows of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchedNotice {
    pub id: String,
    pub user_id: String,
    pub create_at: i64,
    pub notice: String,
}

/// Keeps a notice for the user's next digest, dropping their oldest beyond `buffer_size`
/// (`EmailBatchingBufferSize`), in one transaction.
pub async fn add_notice(store: &Store, notice: &BatchedNotice, buffer_size: i64) -> Result<()> {
    transaction!(store, |tx| {
        sqlx::query(
            "INSERT INTO utmost_email_batch (id, userid, createat, notice) VALUES ($1, $2, $3, $4)",
        )
        .bind(&notice.id)
        .bind(&notice.user_id)
        .bind(notice.create_at)
        .bind(&notice.notice)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "DELETE FROM utmost_email_batch WHERE userid = $1 AND id NOT IN \
             (SELECT id FROM utmost_email_batch WHERE userid = $1 \
              ORDER BY createat DESC, id DESC LIMIT $2)",
        )
        .bind(&notice.user_id)
        .bind(buffer_size.max(1))
        .execute(&mut *tx)
        .await?;
    })
}

/// Each user with batched notices, with the time of their oldest one.
pub async fn batched_users(store: &Store) -> Result<Vec<(String, i64)>> {
    Ok(read!(store, |p| sqlx::query_as(
        "SELECT userid, MIN(createat) FROM utmost_email_batch GROUP BY userid"
    )
    .fetch_all(p)
    .await)?)
}

/// A user's batched notices, oldest first.
pub async fn notices_of(store: &Store, user_id: &str) -> Result<Vec<BatchedNotice>> {
    let rows: Vec<(String, String, i64, String)> = read!(store, |p| sqlx::query_as(
        "SELECT id, userid, createat, notice FROM utmost_email_batch WHERE userid = $1 \
         ORDER BY createat, id"
    )
    .bind(user_id)
    .fetch_all(p)
    .await)?;
    Ok(rows
        .into_iter()
        .map(|(id, user_id, create_at, notice)| BatchedNotice {
            id,
            user_id,
            create_at,
            notice,
        })
        .collect())
}

/// Drops notices that no digest will carry.
pub async fn drop_notices(store: &Store, ids: &[String]) -> Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "DELETE FROM utmost_email_batch WHERE id IN ({})",
        crate::db::placeholders(1, ids.len())
    );
    transaction!(store, |tx| {
        let mut q = sqlx::query(&sql);
        for id in ids {
            q = q.bind(id);
        }
        q.execute(&mut *tx).await?;
    })
}

/// Writes a digest to the outbox and removes the notices it holds, in one transaction: a
/// notice is in exactly one of the two at every moment. Returns false, writing nothing,
/// when another sender took any of the notices first.
pub async fn digest(store: &Store, email: &OutboxEmail, notice_ids: &[String]) -> Result<bool> {
    let delete = format!(
        "DELETE FROM utmost_email_batch WHERE id IN ({})",
        crate::db::placeholders(1, notice_ids.len())
    );
    transaction!(store, |tx| {
        let mut q = sqlx::query(&delete);
        for id in notice_ids {
            q = q.bind(id);
        }
        let removed = q.execute(&mut *tx).await?.rows_affected();
        if removed != notice_ids.len() as u64 {
            // Dropping the transaction rolls the deletion back.
            return Ok(false);
        }
        tx.insert_email(email).await?;
        true
    })
}
