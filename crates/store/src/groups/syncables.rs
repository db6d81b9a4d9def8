//! `groupteams` and `groupchannels`: the teams and channels a group is linked to (syncables),
//! whether its members are added automatically, and the reads the sync walks: who should be
//! added to a linked team or channel, and who is in a group-constrained one without a group.

use crate::db::{execute, placeholders, query_rows, Bind};
use crate::{Result, Store};
use utmost_model::group::{GroupSyncable, SyncableType};

/// The table of a syncable type and its syncable's column.
pub(crate) fn table(kind: SyncableType) -> (&'static str, &'static str) {
    match kind {
        SyncableType::Team => ("groupteams", "teamid"),
        SyncableType::Channel => ("groupchannels", "channelid"),
    }
}

#[derive(sqlx::FromRow)]
struct SyncableRow {
    groupid: String,
    syncableid: String,
    autoadd: Option<bool>,
    schemeadmin: Option<bool>,
    createat: Option<i64>,
    deleteat: Option<i64>,
    updateat: Option<i64>,
    teamid: Option<String>,
    teamdisplayname: Option<String>,
    teamtype: Option<String>,
    channeldisplayname: Option<String>,
    channeltype: Option<String>,
}

fn from_row(kind: SyncableType, r: SyncableRow) -> GroupSyncable {
    let channel = kind == SyncableType::Channel;
    GroupSyncable {
        group_id: r.groupid,
        auto_add: r.autoadd.unwrap_or(false),
        scheme_admin: r.schemeadmin.unwrap_or(false),
        create_at: r.createat.unwrap_or(0),
        delete_at: r.deleteat.unwrap_or(0),
        update_at: r.updateat.unwrap_or(0),
        kind,
        channel_id: channel.then(|| r.syncableid.clone()),
        channel_display_name: channel.then(|| r.channeldisplayname.unwrap_or_default()),
        channel_type: channel.then(|| r.channeltype.unwrap_or_default()),
        syncable_id: r.syncableid,
        team_id: r.teamid.unwrap_or_default(),
        team_display_name: r.teamdisplayname.unwrap_or_default(),
        team_type: r.teamtype.unwrap_or_default(),
    }
}

/// The live links of `kind` with the names Mattermost joins in, under `filter` on `l`.
async fn select(
    store: &Store,
    kind: SyncableType,
    filter: &str,
    binds: &[Bind<'_>],
) -> Result<Vec<GroupSyncable>> {
    let sql = match kind {
        SyncableType::Team => format!(
            "SELECT l.groupid, l.teamid AS syncableid, l.autoadd, l.schemeadmin, l.createat, \
             l.deleteat, l.updateat, t.id AS teamid, t.displayname AS teamdisplayname, \
             CAST(t.type AS TEXT) AS teamtype, CAST(NULL AS TEXT) AS channeldisplayname, \
             CAST(NULL AS TEXT) AS channeltype \
             FROM groupteams l JOIN teams t ON t.id = l.teamid \
             WHERE l.deleteat = 0 AND {filter} ORDER BY lower(t.displayname), t.id"
        ),
        SyncableType::Channel => format!(
            "SELECT l.groupid, l.channelid AS syncableid, l.autoadd, l.schemeadmin, l.createat, \
             l.deleteat, l.updateat, t.id AS teamid, t.displayname AS teamdisplayname, \
             CAST(t.type AS TEXT) AS teamtype, c.displayname AS channeldisplayname, CAST(c.type AS TEXT) AS channeltype \
             FROM groupchannels l JOIN channels c ON c.id = l.channelid \
             JOIN teams t ON t.id = c.teamid \
             WHERE l.deleteat = 0 AND {filter} ORDER BY lower(c.displayname), c.id"
        ),
    };
    let rows = query_rows::<SyncableRow, SyncableRow>(store, &sql, binds).await?;
    Ok(rows.into_iter().map(|r| from_row(kind, r)).collect())
}

/// Links `group_id` to a team or channel, or brings a deleted link back, with `auto_add`
/// and `scheme_admin`.
pub async fn upsert(
    store: &Store,
    kind: SyncableType,
    group_id: &str,
    syncable_id: &str,
    auto_add: bool,
    scheme_admin: bool,
    at: i64,
) -> Result<()> {
    let (table, column) = table(kind);
    let sql = format!(
        "INSERT INTO {table} (groupid, {column}, autoadd, schemeadmin, createat, deleteat, \
         updateat) VALUES ($1, $2, $3, $4, $5, 0, $5) ON CONFLICT (groupid, {column}) \
         DO UPDATE SET autoadd = $3, schemeadmin = $4, deleteat = 0, updateat = $5"
    );
    execute!(
        store,
        &sql,
        group_id,
        syncable_id,
        auto_add,
        scheme_admin,
        at
    )?;
    Ok(())
}

/// Changes a live link's flags; false without one.
pub async fn update(
    store: &Store,
    kind: SyncableType,
    group_id: &str,
    syncable_id: &str,
    auto_add: bool,
    scheme_admin: bool,
    at: i64,
) -> Result<bool> {
    let (table, column) = table(kind);
    let sql = format!(
        "UPDATE {table} SET autoadd = $3, schemeadmin = $4, updateat = $5 \
         WHERE groupid = $1 AND {column} = $2 AND deleteat = 0"
    );
    Ok(execute!(
        store,
        &sql,
        group_id,
        syncable_id,
        auto_add,
        scheme_admin,
        at
    )? > 0)
}

/// Marks a live link deleted; false without one.
pub async fn delete(
    store: &Store,
    kind: SyncableType,
    group_id: &str,
    syncable_id: &str,
    at: i64,
) -> Result<bool> {
    let (table, column) = table(kind);
    let sql = format!(
        "UPDATE {table} SET deleteat = $3, updateat = $3 \
         WHERE groupid = $1 AND {column} = $2 AND deleteat = 0"
    );
    Ok(execute!(store, &sql, group_id, syncable_id, at)? > 0)
}

/// The live link of `group_id` to the team or channel.
pub async fn get(
    store: &Store,
    kind: SyncableType,
    group_id: &str,
    syncable_id: &str,
) -> Result<Option<GroupSyncable>> {
    let column = table(kind).1;
    let filter = format!("l.groupid = $1 AND l.{column} = $2");
    let binds = [Bind::Str(group_id), Bind::Str(syncable_id)];
    Ok(select(store, kind, &filter, &binds).await?.pop())
}

/// The group's live links of `kind`, by display name.
pub async fn of_group(
    store: &Store,
    kind: SyncableType,
    group_id: &str,
) -> Result<Vec<GroupSyncable>> {
    select(store, kind, "l.groupid = $1", &[Bind::Str(group_id)]).await
}

/// A user to add to a team or channel (`syncable_id`), or to remove from one.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Pending {
    pub syncable_id: String,
    pub user_id: String,
}

/// Live groups' live members with active accounts; `l` is a live link.
const LINKED_MEMBERS: &str = "JOIN usergroups g ON g.id = l.groupid AND g.deleteat = 0 \
    JOIN groupmembers gm ON gm.groupid = l.groupid AND gm.deleteat = 0 \
    JOIN users u ON u.id = gm.userid AND u.deleteat = 0";

/// Members of groups linked with `auto_add` who were never members of the linked live team
/// or channel (one who left or was removed is not brought back, as Mattermost's sync
/// without `includeRemovedMembers`: a team's membership row stays, a channel's history
/// does); of the team or channel `only` (all when empty), at most `limit`.
pub async fn members_to_add(
    store: &Store,
    kind: SyncableType,
    only: &str,
    limit: i64,
) -> Result<Vec<Pending>> {
    let sql = match kind {
        SyncableType::Team => format!(
            "SELECT DISTINCT l.teamid AS syncable_id, gm.userid AS user_id FROM groupteams l \
             {LINKED_MEMBERS} JOIN teams t ON t.id = l.teamid AND t.deleteat = 0 \
             WHERE l.deleteat = 0 AND l.autoadd AND ($2 = '' OR l.teamid = $2) \
             AND NOT EXISTS (SELECT 1 FROM teammembers tm \
             WHERE tm.teamid = l.teamid AND tm.userid = gm.userid) \
             ORDER BY syncable_id, user_id LIMIT $1"
        ),
        SyncableType::Channel => format!(
            "SELECT DISTINCT l.channelid AS syncable_id, gm.userid AS user_id \
             FROM groupchannels l {LINKED_MEMBERS} \
             JOIN channels c ON c.id = l.channelid AND c.deleteat = 0 \
             WHERE l.deleteat = 0 AND l.autoadd AND ($2 = '' OR l.channelid = $2) \
             AND NOT EXISTS (SELECT 1 FROM channelmembers cm \
             WHERE cm.channelid = l.channelid AND cm.userid = gm.userid) \
             AND NOT EXISTS (SELECT 1 FROM channelmemberhistory h \
             WHERE h.channelid = l.channelid AND h.userid = gm.userid) \
             ORDER BY syncable_id, user_id LIMIT $1"
        ),
    };
    pending(store, &sql, only, limit).await
}

/// Members of live group-constrained teams or channels who are in none of the groups
/// linked to them (bots stay: they are not group members); of the team or channel `only`
/// (all when empty), at most `limit`.
pub async fn members_to_remove(
    store: &Store,
    kind: SyncableType,
    only: &str,
    limit: i64,
) -> Result<Vec<Pending>> {
    let (table, column) = table(kind);
    let (members, constrained) = match kind {
        SyncableType::Team => (
            "teammembers m JOIN teams s ON s.id = m.teamid",
            "m.deleteat = 0 AND s.deleteat = 0 AND s.groupconstrained",
        ),
        SyncableType::Channel => (
            "channelmembers m JOIN channels s ON s.id = m.channelid",
            "s.deleteat = 0 AND s.groupconstrained",
        ),
    };
    let sql = format!(
        "SELECT m.{column} AS syncable_id, m.userid AS user_id FROM {members} \
         WHERE {constrained} AND ($2 = '' OR m.{column} = $2) AND NOT EXISTS (SELECT 1 FROM bots b WHERE b.userid = m.userid) \
         AND NOT EXISTS (SELECT 1 FROM {table} l {LINKED_MEMBERS} WHERE l.{column} = m.{column} \
         AND l.deleteat = 0 AND gm.userid = m.userid) \
         ORDER BY syncable_id, user_id LIMIT $1"
    );
    pending(store, &sql, only, limit).await
}

/// A member of a group-constrained team or channel whose admin role is not what its groups
/// say: `admin` is what it should be.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PendingRole {
    pub syncable_id: String,
    pub user_id: String,
    pub admin: bool,
}

/// Members (not guests, not bots) of live group-constrained teams or channels who are an
/// admin there without being in a group linked with `scheme_admin`, or the reverse; of the
/// team or channel `only` (all when empty), at most `limit`.
pub async fn roles_to_change(
    store: &Store,
    kind: SyncableType,
    only: &str,
    limit: i64,
) -> Result<Vec<PendingRole>> {
    let (table, column) = table(kind);
    let (members, live) = match kind {
        SyncableType::Team => (
            "teammembers m JOIN teams s ON s.id = m.teamid",
            "m.deleteat = 0 AND s.deleteat = 0",
        ),
        SyncableType::Channel => (
            "channelmembers m JOIN channels s ON s.id = m.channelid",
            "s.deleteat = 0",
        ),
    };
    let sql = format!(
        "SELECT m.{column} AS syncable_id, m.userid AS user_id,          NOT COALESCE(m.schemeadmin, FALSE) AS admin FROM {members}          WHERE {live} AND s.groupconstrained AND ($2 = '' OR m.{column} = $2)          AND NOT COALESCE(m.schemeguest, FALSE)          AND NOT EXISTS (SELECT 1 FROM bots b WHERE b.userid = m.userid)          AND COALESCE(m.schemeadmin, FALSE) <> EXISTS (SELECT 1 FROM {table} l {LINKED_MEMBERS}          WHERE l.{column} = m.{column} AND l.deleteat = 0 AND l.schemeadmin AND gm.userid = m.userid)          ORDER BY syncable_id, user_id LIMIT $1"
    );
    query_rows::<PendingRole, PendingRole>(store, &sql, &[Bind::Int(limit), Bind::Str(only)]).await
}

async fn pending(store: &Store, sql: &str, only: &str, limit: i64) -> Result<Vec<Pending>> {
    query_rows::<Pending, Pending>(store, sql, &[Bind::Int(limit), Bind::Str(only)]).await
}

#[derive(sqlx::FromRow)]
struct UserIdRow {
    userid: String,
}

/// Which of `user_ids` are live members of a live group linked to the team or channel.
pub async fn linked_members_among(
    store: &Store,
    kind: SyncableType,
    syncable_id: &str,
    user_ids: &[String],
) -> Result<Vec<String>> {
    if user_ids.is_empty() {
        return Ok(Vec::new());
    }
    let (table, column) = table(kind);
    let sql = format!(
        "SELECT DISTINCT gm.userid FROM {table} l {LINKED_MEMBERS} \
         WHERE l.{column} = $1 AND l.deleteat = 0 AND gm.userid IN ({})",
        placeholders(2, user_ids.len())
    );
    let mut binds = vec![Bind::Str(syncable_id)];
    binds.extend(user_ids.iter().map(|u| Bind::Str(u)));
    let rows = query_rows::<UserIdRow, UserIdRow>(store, &sql, &binds).await?;
    Ok(rows.into_iter().map(|r| r.userid).collect())
}
