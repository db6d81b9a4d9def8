//! Presence (`status` table). `dndendtime` is in seconds, as Mattermost stores it.

use crate::db::{execute, read};
use crate::{Result, Store};
use utmost_model::status::Status;

#[derive(sqlx::FromRow)]
struct StatusRow {
    userid: String,
    status: Option<String>,
    manual: Option<bool>,
    lastactivityat: Option<i64>,
    dndendtime: Option<i64>,
    prevstatus: Option<String>,
}

impl From<StatusRow> for Status {
    fn from(r: StatusRow) -> Self {
        Status {
            user_id: r.userid,
            status: r.status.unwrap_or_else(|| "offline".into()),
            manual: r.manual.unwrap_or(false),
            last_activity_at: r.lastactivityat.unwrap_or(0),
            dnd_end_time: r.dndendtime.unwrap_or(0),
            prev_status: r.prevstatus.unwrap_or_default(),
            active_channel: String::new(),
        }
    }
}

pub async fn get_all(store: &Store) -> Result<Vec<Status>> {
    let rows: Vec<StatusRow> = read!(store, |p| sqlx::query_as(
        "SELECT userid, status, manual, lastactivityat, dndendtime, prevstatus FROM status"
    )
    .fetch_all(p)
    .await)?;
    Ok(rows.into_iter().map(Status::from).collect())
}

pub async fn upsert(store: &Store, s: &Status) -> Result<()> {
    execute!(
        store,
        "INSERT INTO status (userid, status, manual, lastactivityat, dndendtime, prevstatus) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (userid) DO UPDATE SET \
         status = excluded.status, manual = excluded.manual, \
         lastactivityat = excluded.lastactivityat, dndendtime = excluded.dndendtime, \
         prevstatus = excluded.prevstatus",
        &s.user_id,
        &s.status,
        s.manual,
        s.last_activity_at,
        s.dnd_end_time,
        &s.prev_status
    )?;
    Ok(())
}
