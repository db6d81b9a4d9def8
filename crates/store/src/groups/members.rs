//! `groupmembers`: who is in a group. A member who leaves keeps the row, marked deleted, and
//! comes back by the same row.

use crate::db::{count_rows, execute, placeholders, query_rows, Bind};
use crate::users::{query_users, SELECT_USERS};
use crate::{Result, Store};
use utmost_model::group::GroupMember;
use utmost_model::user::User;

#[derive(sqlx::FromRow)]
struct MemberRow {
    groupid: String,
    userid: String,
    createat: Option<i64>,
    deleteat: Option<i64>,
}

impl From<MemberRow> for GroupMember {
    fn from(r: MemberRow) -> Self {
        GroupMember {
            group_id: r.groupid,
            user_id: r.userid,
            create_at: r.createat.unwrap_or(0),
            delete_at: r.deleteat.unwrap_or(0),
        }
    }
}

#[derive(sqlx::FromRow)]
struct IdRow {
    userid: String,
}

impl From<IdRow> for String {
    fn from(r: IdRow) -> Self {
        r.userid
    }
}

/// Makes `user_id` a live member of `group_id`: the membership when it is new or came
/// back, `None` when it was live already.
pub async fn upsert(
    store: &Store,
    group_id: &str,
    user_id: &str,
    at: i64,
) -> Result<Option<GroupMember>> {
    let changed = execute!(
        store,
        "INSERT INTO groupmembers (groupid, userid, createat, deleteat) VALUES ($1, $2, $3, 0) \
         ON CONFLICT (groupid, userid) DO UPDATE SET createat = $3, deleteat = 0 \
         WHERE groupmembers.deleteat <> 0",
        group_id,
        user_id,
        at,
    )?;
    Ok((changed > 0).then(|| GroupMember {
        group_id: group_id.to_string(),
        user_id: user_id.to_string(),
        create_at: at,
        delete_at: 0,
    }))
}

/// Marks a live membership deleted: the membership as it is now, `None` when there was none.
pub async fn delete(
    store: &Store,
    group_id: &str,
    user_id: &str,
    at: i64,
) -> Result<Option<GroupMember>> {
    let changed = execute!(
        store,
        "UPDATE groupmembers SET deleteat = $3 WHERE groupid = $1 AND userid = $2 \
         AND deleteat = 0",
        group_id,
        user_id,
        at,
    )?;
    if changed == 0 {
        return Ok(None);
    }
    let rows = query_rows::<MemberRow, GroupMember>(
        store,
        "SELECT groupid, userid, createat, deleteat FROM groupmembers \
         WHERE groupid = $1 AND userid = $2",
        &[Bind::Str(group_id), Bind::Str(user_id)],
    )
    .await?;
    Ok(rows.into_iter().next())
}

/// The memberships, live or left, of `user_ids` in the group.
pub async fn of_users(
    store: &Store,
    group_id: &str,
    user_ids: &[String],
) -> Result<Vec<GroupMember>> {
    if user_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT groupid, userid, createat, deleteat FROM groupmembers \
         WHERE groupid = $1 AND userid IN ({}) ORDER BY userid",
        placeholders(2, user_ids.len())
    );
    let mut binds = vec![Bind::Str(group_id)];
    binds.extend(user_ids.iter().map(|id| Bind::Str(id)));
    query_rows::<MemberRow, GroupMember>(store, &sql, &binds).await
}

/// The ids of the group's live members (the sync compares them with the directory's).
pub async fn live_ids(store: &Store, group_id: &str) -> Result<Vec<String>> {
    query_rows::<IdRow, String>(
        store,
        "SELECT userid FROM groupmembers WHERE groupid = $1 AND deleteat = 0",
        &[Bind::Str(group_id)],
    )
    .await
}

/// A page of the group's live members with active accounts, by username, and how many
/// there are.
pub async fn users_page(
    store: &Store,
    group_id: &str,
    offset: i64,
    limit: i64,
) -> Result<(Vec<User>, i64)> {
    let from = "JOIN groupmembers m ON m.userid = u.id AND m.groupid = $1 AND m.deleteat = 0 \
        WHERE u.deleteat = 0";
    let sql = format!("{SELECT_USERS} {from} ORDER BY u.username LIMIT $2 OFFSET $3");
    let users = query_users(
        store,
        &sql,
        &[Bind::Str(group_id), Bind::Int(limit), Bind::Int(offset)],
    )
    .await?;
    let count = count_rows(
        store,
        &format!("SELECT CAST(COUNT(*) AS BIGINT) FROM users u {from}"),
        &[Bind::Str(group_id)],
    )
    .await?;
    Ok((users, count))
}

/// Which of the live members of `group_ids` are members of `channel_id` (an `@group`
/// mention notifies them), a bounded number.
pub async fn in_channel(
    store: &Store,
    group_ids: &[String],
    channel_id: &str,
    limit: i64,
) -> Result<Vec<String>> {
    if group_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT DISTINCT m.userid FROM groupmembers m JOIN channelmembers cm \
         ON cm.userid = m.userid AND cm.channelid = $1 \
         WHERE m.deleteat = 0 AND m.groupid IN ({}) LIMIT $2",
        crate::db::placeholders(3, group_ids.len())
    );
    let mut binds = vec![Bind::Str(channel_id), Bind::Int(limit)];
    binds.extend(group_ids.iter().map(|g| Bind::Str(g)));
    query_rows::<IdRow, String>(store, &sql, &binds).await
}

/// The live members (active accounts) of the team or channel who are in none of
/// `group_ids`, by username, a page of them, and how many there are
/// (`…/members_minus_group_members`).
pub async fn outside_groups(
    store: &Store,
    kind: utmost_model::group::SyncableType,
    syncable_id: &str,
    group_ids: &[String],
    offset: i64,
    limit: i64,
) -> Result<(Vec<User>, i64)> {
    let membership = match kind {
        utmost_model::group::SyncableType::Team => {
            "JOIN teammembers m ON m.userid = u.id AND m.teamid = $1 AND m.deleteat = 0"
        }
        utmost_model::group::SyncableType::Channel => {
            "JOIN channelmembers m ON m.userid = u.id AND m.channelid = $1"
        }
    };
    let from = format!(
        "{membership} WHERE u.deleteat = 0 AND NOT EXISTS (SELECT 1 FROM groupmembers gm \
         WHERE gm.userid = u.id AND gm.deleteat = 0 AND gm.groupid IN ({}))",
        crate::db::placeholders(2, group_ids.len())
    );
    let mut binds = vec![Bind::Str(syncable_id)];
    binds.extend(group_ids.iter().map(|g| Bind::Str(g)));
    let count = count_rows(
        store,
        &format!("SELECT CAST(COUNT(*) AS BIGINT) FROM users u {from}"),
        &binds,
    )
    .await?;
    let sql = format!(
        "{SELECT_USERS} {from} ORDER BY u.username LIMIT {} OFFSET {}",
        limit.max(0),
        offset.max(0)
    );
    Ok((query_users(store, &sql, &binds).await?, count))
}
