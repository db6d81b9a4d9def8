//! Mattermost's legacy `audits` table (migration 0002): one row per audited action, written
//! after the action's own transaction committed, read newest first by `/audits` and
//! `/users/{user_id}/audits`.

use crate::db::{execute, read};
use crate::{Result, Store};
use utmost_model::audit::Audit;

/// PostgreSQL's column widths (`action` varchar(512), `extrainfo` varchar(1024),
/// `ipaddress` varchar(64)); longer values are cut at a character boundary.
const ACTION_MAX: usize = 512;
const EXTRA_INFO_MAX: usize = 1024;
const IP_MAX: usize = 64;

fn cut(value: &str, max: usize) -> &str {
    if value.len() <= max {
        return value;
    }
    let mut end = max;
    while !value.is_char_boundary(end) {
        end -= 1;
    }
    &value[..end]
}

pub async fn insert(store: &Store, audit: &Audit) -> Result<()> {
    execute!(
        store,
        "INSERT INTO audits (id, createat, userid, action, extrainfo, ipaddress, sessionid) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        &audit.id,
        audit.create_at,
        &audit.user_id,
        cut(&audit.action, ACTION_MAX),
        cut(&audit.extra_info, EXTRA_INFO_MAX),
        cut(&audit.ip_address, IP_MAX),
        &audit.session_id,
    )?;
    Ok(())
}

type Row = (
    String,
    Option<i64>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

fn audit((id, create_at, user_id, action, extra_info, ip_address, session_id): Row) -> Audit {
    Audit {
        id,
        create_at: create_at.unwrap_or(0),
        user_id: user_id.unwrap_or_default(),
        action: action.unwrap_or_default(),
        extra_info: extra_info.unwrap_or_default(),
        ip_address: ip_address.unwrap_or_default(),
        session_id: session_id.unwrap_or_default(),
    }
}

/// One page of every user's audits (or one user's with `user_id`), newest first.
pub async fn page(
    store: &Store,
    user_id: Option<&str>,
    offset: i64,
    limit: i64,
) -> Result<Vec<Audit>> {
    let rows: Vec<Row> = read!(store, |p| sqlx::query_as(
        "SELECT id, createat, userid, action, extrainfo, ipaddress, sessionid FROM audits \
         WHERE ($1 = '' OR userid = $1) ORDER BY createat DESC, id DESC LIMIT $2 OFFSET $3"
    )
    .bind(user_id.unwrap_or(""))
    .bind(limit)
    .bind(offset)
    .fetch_all(p)
    .await)?;
    Ok(rows.into_iter().map(audit).collect())
}
