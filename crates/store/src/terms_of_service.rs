//! Mattermost's `termsofservice` (each version of the custom terms, never changed once
//! written) and `usertermsofservice` (the version each user accepted, one row per user).

use crate::db::{execute, read};
use crate::{Result, Store};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermsRow {
    pub id: String,
    pub create_at: i64,
    pub user_id: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AcceptanceRow {
    pub user_id: String,
    pub terms_of_service_id: String,
    pub create_at: i64,
}

pub async fn insert(store: &Store, row: &TermsRow) -> Result<()> {
    execute!(
        store,
        "INSERT INTO termsofservice (id, createat, userid, text) VALUES ($1, $2, $3, $4)",
        &row.id,
        row.create_at,
        &row.user_id,
        &row.text,
    )?;
    Ok(())
}

type Row = (String, Option<i64>, Option<String>, Option<String>);

fn terms((id, create_at, user_id, text): Row) -> TermsRow {
    TermsRow {
        id,
        create_at: create_at.unwrap_or(0),
        user_id: user_id.unwrap_or_default(),
        text: text.unwrap_or_default(),
    }
}

/// The newest version (ties broken by id, so the answer is stable).
pub async fn latest(store: &Store) -> Result<Option<TermsRow>> {
    let row: Option<Row> = read!(store, |p| sqlx::query_as(
        "SELECT id, createat, userid, text FROM termsofservice \
         ORDER BY createat DESC, id DESC LIMIT 1"
    )
    .fetch_optional(p)
    .await)?;
    Ok(row.map(terms))
}

pub async fn get(store: &Store, id: &str) -> Result<Option<TermsRow>> {
    let row: Option<Row> = read!(store, |p| sqlx::query_as(
        "SELECT id, createat, userid, text FROM termsofservice WHERE id = $1"
    )
    .bind(id)
    .fetch_optional(p)
    .await)?;
    Ok(row.map(terms))
}

pub async fn acceptance(store: &Store, user_id: &str) -> Result<Option<AcceptanceRow>> {
    let row: Option<(String, Option<String>, Option<i64>)> = read!(store, |p| sqlx::query_as(
        "SELECT userid, termsofserviceid, createat FROM usertermsofservice WHERE userid = $1"
    )
    .bind(user_id)
    .fetch_optional(p)
    .await)?;
    Ok(row.map(|(user_id, terms, create_at)| AcceptanceRow {
        user_id,
        terms_of_service_id: terms.unwrap_or_default(),
        create_at: create_at.unwrap_or(0),
    }))
}

/// Records that the user accepted a version, replacing what they accepted before.
pub async fn accept(store: &Store, row: &AcceptanceRow) -> Result<()> {
    execute!(
        store,
        "INSERT INTO usertermsofservice (userid, termsofserviceid, createat) VALUES ($1, $2, $3) \
         ON CONFLICT (userid) DO UPDATE SET termsofserviceid = excluded.termsofserviceid, \
         createat = excluded.createat",
        &row.user_id,
        &row.terms_of_service_id,
        row.create_at,
    )?;
    Ok(())
}

/// A rejection forgets any earlier acceptance (Mattermost's `SaveUserTermsOfService`).
pub async fn forget(store: &Store, user_id: &str) -> Result<()> {
    execute!(
        store,
        "DELETE FROM usertermsofservice WHERE userid = $1",
        user_id
    )?;
    Ok(())
}
