//! Teams. Membership rows live in [`members`]; unread sums over channels in [`unreads`].

use crate::db::{escape_like, execute, query_rows, read, transaction, Bind};
use crate::types::TeamType;
use crate::{Result, Store, StoreError};
use utmost_model::team::Team;

mod members;
mod unreads;
pub use members::{
    active_member_count, get_member, insert_member, member_page, members_by_ids,
    memberships_for_user, share_a_team, total_member_count, update_member, MemberInsert,
    MemberSort,
};
pub use unreads::{channel_unreads, ChannelUnread, UnreadScope};

#[derive(sqlx::FromRow)]
struct TeamRow {
    id: String,
    createat: Option<i64>,
    updateat: Option<i64>,
    deleteat: Option<i64>,
    displayname: Option<String>,
    name: Option<String>,
    description: Option<String>,
    email: Option<String>,
    #[sqlx(rename = "type")]
    team_type: Option<TeamType>,
    companyname: Option<String>,
    alloweddomains: Option<String>,
    inviteid: Option<String>,
    schemeid: Option<String>,
    allowopeninvite: Option<bool>,
    lastteamiconupdate: Option<i64>,
    groupconstrained: Option<bool>,
    cloudlimitsarchived: bool,
}

impl From<TeamRow> for Team {
    fn from(r: TeamRow) -> Self {
        Team {
            id: r.id,
            create_at: r.createat.unwrap_or(0),
            update_at: r.updateat.unwrap_or(0),
            delete_at: r.deleteat.unwrap_or(0),
            display_name: r.displayname.unwrap_or_default(),
            name: r.name.unwrap_or_default(),
            description: r.description.unwrap_or_default(),
            email: r.email.unwrap_or_default(),
            team_type: r.team_type.map(|t| t.0).unwrap_or_default(),
            company_name: r.companyname.unwrap_or_default(),
            allowed_domains: r.alloweddomains.unwrap_or_default(),
            invite_id: r.inviteid.unwrap_or_default(),
            allow_open_invite: r.allowopeninvite.unwrap_or(false),
            last_team_icon_update: r.lastteamiconupdate.unwrap_or(0),
            scheme_id: r.schemeid,
            group_constrained: r.groupconstrained,
            policy_id: None,
            cloud_limits_archived: r.cloudlimitsarchived,
        }
    }
}

pub(crate) const SELECT_TEAMS: &str =
    "SELECT t.id, t.createat, t.updateat, t.deleteat, t.displayname, \
    t.name, t.description, t.email, t.type, t.companyname, t.alloweddomains, t.inviteid, \
    t.schemeid, t.allowopeninvite, t.lastteamiconupdate, t.groupconstrained, \
    t.cloudlimitsarchived FROM teams t";

pub(crate) async fn query_teams(store: &Store, sql: &str, binds: &[Bind<'_>]) -> Result<Vec<Team>> {
    query_rows::<TeamRow, _>(store, sql, binds).await
}

async fn one(store: &Store, filter: &str, value: &str) -> Result<Option<Team>> {
    let sql = format!("{SELECT_TEAMS} WHERE {filter}");
    Ok(query_teams(store, &sql, &[Bind::Str(value)])
        .await?
        .into_iter()
        .next())
}

pub async fn get(store: &Store, id: &str) -> Result<Option<Team>> {
    one(store, "t.id = $1", id).await
}

pub async fn get_by_name(store: &Store, name: &str) -> Result<Option<Team>> {
    one(store, "t.name = $1", name).await
}

/// The team an invite link names (`idx_teams_invite_id`).
pub async fn get_by_invite_id(store: &Store, invite_id: &str) -> Result<Option<Team>> {
    one(store, "t.inviteid = $1", invite_id).await
}

/// Which teams a listing keeps by `allow_open_invite`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenInvite {
    Any,
    Open,
    /// Closed to open invites; NULL counts as closed.
    Closed,
}

impl OpenInvite {
    /// From `Some(allow_open_invite)`, or `None` for every team.
    pub fn from_flag(allow_open_invite: Option<bool>) -> Self {
        match allow_open_invite {
            None => OpenInvite::Any,
            Some(true) => OpenInvite::Open,
            Some(false) => OpenInvite::Closed,
        }
    }

    /// The WHERE clause (with its leading space), or nothing.
    fn filter(self) -> &'static str {
        match self {
            OpenInvite::Any => "",
            OpenInvite::Open => " WHERE t.allowopeninvite = TRUE",
            OpenInvite::Closed => " WHERE (t.allowopeninvite = FALSE OR t.allowopeninvite IS NULL)",
        }
    }
}

/// A page of all teams (archived ones included, as Mattermost lists them), by display name;
/// `open_invite` narrows to open or closed teams.
pub async fn list_page(
    store: &Store,
    open_invite: OpenInvite,
    limit: i64,
    offset: i64,
) -> Result<Vec<Team>> {
    let sql = format!(
        "{SELECT_TEAMS}{} ORDER BY t.displayname, t.id LIMIT $1 OFFSET $2",
        open_invite.filter()
    );
    query_teams(store, &sql, &[Bind::Int(limit), Bind::Int(offset)]).await
}

/// How many teams [`list_page`] pages over.
pub async fn count(store: &Store, open_invite: OpenInvite) -> Result<i64> {
    let sql = format!(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM teams t{}",
        open_invite.filter()
    );
    Ok(read!(store, |p| sqlx::query_scalar::<_, i64>(&sql)
        .fetch_one(p)
        .await)?)
}

/// A page of the teams whose name or display name contains `term` (case-insensitive), by
/// display name, and how many there are; `open_invite` narrows as in [`list_page`].
pub async fn search(
    store: &Store,
    open_invite: OpenInvite,
    term: &str,
    limit: i64,
    offset: i64,
) -> Result<(Vec<Team>, i64)> {
    let filter = open_invite.filter();
    let joiner = if filter.is_empty() { " WHERE" } else { " AND" };
    let matching = format!(
        "{filter}{joiner} (lower(t.name) LIKE $1 ESCAPE '\\' OR lower(t.displayname) LIKE $1 ESCAPE '\\')"
    );
    let pattern = format!("%{}%", escape_like(&term.to_lowercase()));
    let page_sql =
        format!("{SELECT_TEAMS}{matching} ORDER BY t.displayname, t.id LIMIT $2 OFFSET $3");
    let binds = [Bind::Str(&pattern), Bind::Int(limit), Bind::Int(offset)];
    let page = query_teams(store, &page_sql, &binds).await?;
    let count_sql = format!("SELECT CAST(COUNT(*) AS BIGINT) FROM teams t{matching}");
    let total = read!(store, |p| sqlx::query_scalar::<_, i64>(&count_sql)
        .bind(&pattern)
        .fetch_one(p)
        .await)?;
    Ok((page, total))
}

/// The live teams `user_id` is a live member of.
pub async fn list_for_user(store: &Store, user_id: &str) -> Result<Vec<Team>> {
    let sql = format!(
        "{SELECT_TEAMS} JOIN teammembers tm ON tm.teamid = t.id \
         WHERE tm.userid = $1 AND tm.deleteat = 0 AND t.deleteat = 0 ORDER BY t.displayname, t.id"
    );
    query_teams(store, &sql, &[Bind::Str(user_id)]).await
}

/// Inserts a new team. A taken name is `Conflict("name")`.
pub async fn insert(store: &Store, t: &Team) -> Result<()> {
    let sql = "INSERT INTO teams (id, createat, updateat, deleteat, displayname, name, \
        description, email, type, companyname, alloweddomains, inviteid, schemeid, \
        allowopeninvite, lastteamiconupdate, groupconstrained, cloudlimitsarchived) \
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)";
    let result = execute!(
        store,
        sql,
        &t.id,
        t.create_at,
        t.update_at,
        t.delete_at,
        &t.display_name,
        &t.name,
        &t.description,
        &t.email,
        TeamType::from(t.team_type.as_str()),
        &t.company_name,
        &t.allowed_domains,
        &t.invite_id,
        t.scheme_id.as_deref(),
        t.allow_open_invite,
        t.last_team_icon_update,
        t.group_constrained,
        t.cloud_limits_archived
    );
    result.map(|_| ()).map_err(|e| match StoreError::from(e) {
        StoreError::Conflict(_) => StoreError::Conflict("name".into()),
        other => other,
    })
}

/// Rewrites every mutable column of a team (not `id`, not `createat`).
pub async fn update(store: &Store, t: &Team) -> Result<()> {
    let sql = "UPDATE teams SET updateat = $1, deleteat = $2, displayname = $3, name = $4, \
        description = $5, email = $6, type = $7, companyname = $8, alloweddomains = $9, \
        inviteid = $10, schemeid = $11, allowopeninvite = $12, lastteamiconupdate = $13, \
        groupconstrained = $14, cloudlimitsarchived = $15 WHERE id = $16";
    execute!(
        store,
        sql,
        t.update_at,
        t.delete_at,
        &t.display_name,
        &t.name,
        &t.description,
        &t.email,
        TeamType::from(t.team_type.as_str()),
        &t.company_name,
        &t.allowed_domains,
        &t.invite_id,
        t.scheme_id.as_deref(),
        t.allow_open_invite,
        t.last_team_icon_update,
        t.group_constrained,
        t.cloud_limits_archived,
        &t.id
    )?;
    Ok(())
}

/// Removes a team, its memberships, and its channels with their memberships, in one
/// transaction.
pub async fn permanent_delete(store: &Store, team_id: &str) -> Result<()> {
    const STATEMENTS: [&str; 6] = [
        // Locks the channels before their members are deleted: the lock order of
        // `transaction!` (SQLite has no `SELECT … FOR UPDATE`).
        "UPDATE channels SET updateat = updateat WHERE teamid = $1",
        "DELETE FROM channelmembers WHERE channelid IN (SELECT id FROM channels WHERE teamid = $1)",
        "DELETE FROM publicchannels WHERE teamid = $1",
        "DELETE FROM channels WHERE teamid = $1",
        "DELETE FROM teammembers WHERE teamid = $1",
        "DELETE FROM teams WHERE id = $1",
    ];
    transaction!(store, |tx| {
        for sql in STATEMENTS {
            sqlx::query(sql).bind(team_id).execute(&mut *tx).await?;
        }
    })
}
