//! Groups (Mattermost's `SqlGroupStore`): `usergroups` (here), their members (`members`) and
//! the teams and channels they are linked to (`syncables`). Every row is soft-deleted, so a
//! group unlinked and linked again, or a member who leaves and comes back, keeps its row.
//! The store is general over `source`; only LDAP groups are created today.

pub mod members;
pub mod syncables;

use crate::db::{count_rows, escape_like, execute, placeholders, query_rows, transaction, Bind};
use crate::{Result, Store, StoreError};
use utmost_model::group::{Group, SyncableType};

#[derive(sqlx::FromRow)]
struct GroupRow {
    id: String,
    name: Option<String>,
    displayname: Option<String>,
    description: Option<String>,
    source: Option<String>,
    remoteid: Option<String>,
    createat: Option<i64>,
    updateat: Option<i64>,
    deleteat: Option<i64>,
    allowreference: Option<bool>,
    hassyncables: Option<bool>,
    membercount: Option<i64>,
    channelmembercount: Option<i64>,
    schemeadmin: Option<i64>,
}

impl From<GroupRow> for Group {
    fn from(r: GroupRow) -> Self {
        Group {
            id: r.id,
            name: r.name,
            display_name: r.displayname.unwrap_or_default(),
            description: r.description.unwrap_or_default(),
            source: r.source.unwrap_or_default(),
            remote_id: r.remoteid,
            create_at: r.createat.unwrap_or(0),
            update_at: r.updateat.unwrap_or(0),
            delete_at: r.deleteat.unwrap_or(0),
            has_syncables: r.hassyncables.unwrap_or(false),
            member_count: r.membercount,
            allow_reference: r.allowreference.unwrap_or(false),
            channel_member_count: r.channelmembercount,
            scheme_admin: r.schemeadmin.map(|v| v != 0),
        }
    }
}

/// The live members of group `g` whose accounts are active (`Group.MemberCount`).
pub(crate) const MEMBER_COUNT: &str = "(SELECT CAST(COUNT(*) AS BIGINT) FROM groupmembers m \
    JOIN users u ON u.id = m.userid WHERE m.groupid = g.id AND m.deleteat = 0 \
    AND u.deleteat = 0)";

/// The SELECT list of a listed `Group` (from `usergroups g`), with the SQL of its computed
/// counts (`NULL` when not asked for) and of the link's `schemeadmin`.
fn columns(member_count: &str, channel_member_count: &str, scheme_admin: &str) -> String {
    format!(
        "SELECT g.id, g.name, g.displayname, g.description, g.source, g.remoteid, g.createat, \
         g.updateat, g.deleteat, g.allowreference, \
         (EXISTS (SELECT 1 FROM groupteams t WHERE t.groupid = g.id AND t.deleteat = 0) \
          OR EXISTS (SELECT 1 FROM groupchannels c WHERE c.groupid = g.id AND c.deleteat = 0)) \
          AS hassyncables, \
         CAST({member_count} AS BIGINT) AS membercount, \
         CAST({channel_member_count} AS BIGINT) AS channelmembercount, \
         CAST({scheme_admin} AS BIGINT) AS schemeadmin"
    )
}

fn select_plain(member_count: bool) -> String {
    let count = if member_count { MEMBER_COUNT } else { "NULL" };
    format!("{} FROM usergroups g", columns(count, "NULL", "NULL"))
}

const INSERT_GROUP: &str = "INSERT INTO usergroups (id, name, displayname, description, \
     source, remoteid, createat, updateat, deleteat, allowreference) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";

pub async fn insert(store: &Store, g: &Group) -> Result<()> {
    execute!(
        store,
        INSERT_GROUP,
        &g.id,
        g.name.as_deref(),
        &g.display_name,
        &g.description,
        &g.source,
        g.remote_id.as_deref(),
        g.create_at,
        g.update_at,
        g.delete_at,
        g.allow_reference,
    )
    .map_err(name_conflict)?;
    Ok(())
}

/// Inserts group `g` with `user_ids` as its members since its creation, together (a custom
/// group's `POST /groups`).
pub async fn insert_with_members(store: &Store, g: &Group, user_ids: &[String]) -> Result<()> {
    transaction!(store, |tx| {
        sqlx::query(INSERT_GROUP)
            .bind(&g.id)
            .bind(g.name.as_deref())
            .bind(&g.display_name)
            .bind(&g.description)
            .bind(&g.source)
            .bind(g.remote_id.as_deref())
            .bind(g.create_at)
            .bind(g.update_at)
            .bind(g.delete_at)
            .bind(g.allow_reference)
            .execute(&mut *tx)
            .await?;
        for user_id in user_ids {
            sqlx::query(
                "INSERT INTO groupmembers (groupid, userid, createat, deleteat) \
                 VALUES ($1, $2, $3, 0)",
            )
            .bind(&g.id)
            .bind(user_id)
            .bind(g.create_at)
            .execute(&mut *tx)
            .await?;
        }
    })
    .map_err(name_conflict)
}

/// Writes the group's editable fields and its deletion time; `NotFound` without the row.
pub async fn update(store: &Store, g: &Group) -> Result<()> {
    let n = execute!(
        store,
        "UPDATE usergroups SET name = $2, displayname = $3, description = $4, \
         allowreference = $5, updateat = $6, deleteat = $7 WHERE id = $1",
        &g.id,
        g.name.as_deref(),
        &g.display_name,
        &g.description,
        g.allow_reference,
        g.update_at,
        g.delete_at,
    )
    .map_err(name_conflict)?;
    if n == 0 {
        return Err(StoreError::NotFound("group"));
    }
    Ok(())
}

fn name_conflict(e: impl Into<StoreError>) -> StoreError {
    match e.into() {
        StoreError::Conflict(_) => StoreError::Conflict("name".into()),
        other => other,
    }
}

async fn one(
    store: &Store,
    filter: &str,
    binds: &[Bind<'_>],
    count: bool,
) -> Result<Option<Group>> {
    let sql = format!("{} WHERE {filter}", select_plain(count));
    Ok(query_rows::<GroupRow, Group>(store, &sql, binds)
        .await?
        .pop())
}

/// A group by id, deleted or not.
pub async fn get(store: &Store, id: &str, member_count: bool) -> Result<Option<Group>> {
    one(store, "g.id = $1", &[Bind::Str(id)], member_count).await
}

/// A group by its source's id for it (an LDAP group's `GroupIdAttribute`), deleted or not.
pub async fn get_by_remote_id(
    store: &Store,
    source: &str,
    remote_id: &str,
) -> Result<Option<Group>> {
    let binds = [Bind::Str(source), Bind::Str(remote_id)];
    one(store, "g.source = $1 AND g.remoteid = $2", &binds, false).await
}

/// The live, mentionable groups among `names` (`@name` mentions).
pub async fn referenceable_by_names(store: &Store, names: &[String]) -> Result<Vec<Group>> {
    if names.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "{} WHERE g.deleteat = 0 AND g.allowreference AND g.name IN ({})",
        select_plain(false),
        placeholders(1, names.len())
    );
    let binds: Vec<Bind<'_>> = names.iter().map(|n| Bind::Str(n)).collect();
    query_rows::<GroupRow, Group>(store, &sql, &binds).await
}

/// The live groups of `source` whose remote ids are among `remote_ids`.
pub async fn live_by_remote_ids(
    store: &Store,
    source: &str,
    remote_ids: &[String],
) -> Result<Vec<Group>> {
    if remote_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "{} WHERE g.deleteat = 0 AND g.source = $1 AND g.remoteid IN ({})",
        select_plain(false),
        placeholders(2, remote_ids.len())
    );
    let mut binds = vec![Bind::Str(source)];
    binds.extend(remote_ids.iter().map(|r| Bind::Str(r)));
    query_rows::<GroupRow, Group>(store, &sql, &binds).await
}

/// Every live group of `source` (the sync reads the linked LDAP groups), a bounded number.
pub async fn live_of_source(store: &Store, source: &str, limit: i64) -> Result<Vec<Group>> {
    let sql = format!(
        "{} WHERE g.deleteat = 0 AND g.source = $1 ORDER BY g.id LIMIT $2",
        select_plain(false)
    );
    query_rows::<GroupRow, Group>(store, &sql, &[Bind::Str(source), Bind::Int(limit)]).await
}

/// The filters of `GET /groups` (`model.GroupSearchOpts`).
#[derive(Debug, Clone, Default)]
pub struct GroupSearch {
    /// Part of the name or display name, any case.
    pub q: String,
    pub source: Option<String>,
    pub include_member_count: bool,
    /// Only mentionable groups.
    pub only_referenceable: bool,
    pub not_associated_to_team: Option<String>,
    pub not_associated_to_channel: Option<String>,
    /// Counts the group's members in this channel (`channel_member_count`).
    pub channel_member_count: Option<String>,
    /// Changed at or after this time, deleted ones included (the clients' catch-up).
    pub since: Option<i64>,
    /// Only groups `user_id` is a member of.
    pub has_member: Option<String>,
    /// Only groups linked to this team or channel (with its `schemeadmin`).
    pub linked_to: Option<(SyncableType, String)>,
    /// Which groups by their deletion (ignored with `since`, which lists deleted ones too).
    pub archived: Archived,
    pub offset: i64,
    pub limit: i64,
}

/// Which groups a search lists by their deletion (custom groups are archived by deleting).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Archived {
    #[default]
    Excluded,
    Included,
    Only,
}

/// Binds `b` as the next parameter and gives its placeholder.
fn param(binds: &mut Vec<Bind<'_>>, b: Bind<'static>) -> String {
    binds.push(b);
    format!("${}", binds.len())
}

/// A page of groups by display name, and how many match in all.
pub async fn search(store: &Store, s: &GroupSearch) -> Result<(Vec<Group>, i64)> {
    let mut binds: Vec<Bind<'_>> = Vec::new();
    let mut filters = Vec::new();
    match s.since {
        Some(since) => {
            let p = param(&mut binds, Bind::Int(since));
            filters.push(format!("g.updateat >= {p}"));
        }
        None => match s.archived {
            Archived::Excluded => filters.push("g.deleteat = 0".to_string()),
            Archived::Included => filters.push("TRUE".to_string()),
            Archived::Only => filters.push("g.deleteat > 0".to_string()),
        },
    }
    let q = s.q.trim().to_lowercase();
    if !q.is_empty() {
        let p = param(&mut binds, Bind::Text(format!("%{}%", escape_like(&q))));
        filters.push(format!(
            "(lower(g.name) LIKE {p} ESCAPE '\\' OR lower(g.displayname) LIKE {p} ESCAPE '\\')"
        ));
    }
    if let Some(source) = &s.source {
        let p = param(&mut binds, Bind::Text(source.clone()));
        filters.push(format!("g.source = {p}"));
    }
    if s.only_referenceable {
        filters.push("g.allowreference".to_string());
    }
    if let Some(team) = &s.not_associated_to_team {
        let p = param(&mut binds, Bind::Text(team.clone()));
        filters.push(format!(
            "NOT EXISTS (SELECT 1 FROM groupteams t WHERE t.groupid = g.id AND t.teamid = {p} \
             AND t.deleteat = 0)"
        ));
    }
    if let Some(channel) = &s.not_associated_to_channel {
        let p = param(&mut binds, Bind::Text(channel.clone()));
        filters.push(format!(
            "NOT EXISTS (SELECT 1 FROM groupchannels c WHERE c.groupid = g.id \
             AND c.channelid = {p} AND c.deleteat = 0)"
        ));
    }
    if let Some(user) = &s.has_member {
        let p = param(&mut binds, Bind::Text(user.clone()));
        filters.push(format!(
            "EXISTS (SELECT 1 FROM groupmembers m WHERE m.groupid = g.id AND m.userid = {p} \
             AND m.deleteat = 0)"
        ));
    }
    let (join, scheme_admin) = match &s.linked_to {
        Some((kind, id)) => {
            let p = param(&mut binds, Bind::Text(id.clone()));
            let (table, column) = syncables::table(*kind);
            (
                format!(
                    " JOIN {table} l ON l.groupid = g.id AND l.{column} = {p} AND l.deleteat = 0"
                ),
                "CASE WHEN l.schemeadmin THEN 1 ELSE 0 END",
            )
        }
        None => (String::new(), "NULL"),
    };
    let filter = filters.join(" AND ");
    let total = count_rows(
        store,
        &format!("SELECT CAST(COUNT(*) AS BIGINT) FROM usergroups g{join} WHERE {filter}"),
        &binds,
    )
    .await?;
    let channel_count = match &s.channel_member_count {
        Some(channel) => {
            let p = param(&mut binds, Bind::Text(channel.clone()));
            format!(
                "(SELECT COUNT(*) FROM groupmembers m JOIN channelmembers cm \
                 ON cm.userid = m.userid AND cm.channelid = {p} JOIN users u ON u.id = m.userid \
                 WHERE m.groupid = g.id AND m.deleteat = 0 AND u.deleteat = 0)"
            )
        }
        None => "NULL".to_string(),
    };
    let member_count = if s.include_member_count {
        MEMBER_COUNT
    } else {
        "NULL"
    };
    let sql = format!(
        "{} FROM usergroups g{join} WHERE {filter} ORDER BY lower(g.displayname), g.id \
         LIMIT {} OFFSET {}",
        columns(member_count, &channel_count, scheme_admin),
        s.limit.max(0),
        s.offset.max(0),
    );
    let groups = query_rows::<GroupRow, Group>(store, &sql, &binds).await?;
    Ok((groups, total))
}

#[derive(sqlx::FromRow)]
struct ChannelGroupRow {
    channelid: String,
    #[sqlx(flatten)]
    group: GroupRow,
}

/// The live groups linked to the live channels of `team_id`, each with its channel id
/// (`/teams/{id}/groups_by_channels`), by display name; a page of them.
pub async fn linked_to_team_channels(
    store: &Store,
    team_id: &str,
    only_referenceable: bool,
    offset: i64,
    limit: i64,
) -> Result<Vec<(String, Group)>> {
    let referenceable = if only_referenceable {
        " AND g.allowreference"
    } else {
        ""
    };
    let sql = format!(
        "{}, l.channelid FROM usergroups g JOIN groupchannels l ON l.groupid = g.id AND l.deleteat = 0 \
         JOIN channels c ON c.id = l.channelid AND c.teamid = $1 AND c.deleteat = 0 \
         WHERE g.deleteat = 0{referenceable} ORDER BY lower(g.displayname), g.id, l.channelid \
         LIMIT $2 OFFSET $3",
        columns("NULL", "NULL", "CASE WHEN l.schemeadmin THEN 1 ELSE 0 END")
    );
    let binds = [Bind::Str(team_id), Bind::Int(limit), Bind::Int(offset)];
    let rows = query_rows::<ChannelGroupRow, ChannelGroupRow>(store, &sql, &binds).await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.channelid, Group::from(r.group)))
        .collect())
}
