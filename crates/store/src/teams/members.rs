//! Team membership rows. The `roles` column holds the explicit roles; the scheme flags hold
//! the rest. Rows are soft-deleted (`deleteat`) when a user leaves and revived on rejoin.

use crate::db::{execute, placeholders, query_rows, read, transaction, Bind};
use crate::{Deleted, Result, Store};
use utmost_model::roles::{effective_team_roles, split_explicit_team_roles};
use utmost_model::team::TeamMember;

#[derive(sqlx::FromRow)]
struct MemberRow {
    teamid: String,
    userid: String,
    roles: Option<String>,
    deleteat: Option<i64>,
    schemeuser: Option<bool>,
    schemeadmin: Option<bool>,
    schemeguest: Option<bool>,
    createat: Option<i64>,
}

impl From<MemberRow> for TeamMember {
    /// Legacy rows may still carry `team_user`/`team_admin` in `roles`; they count as flags.
    fn from(r: MemberRow) -> Self {
        let (explicit, guest, user, admin) =
            split_explicit_team_roles(r.roles.as_deref().unwrap_or(""));
        let scheme_guest = guest || r.schemeguest.unwrap_or(false);
        let scheme_user = user || r.schemeuser.unwrap_or(false);
        let scheme_admin = admin || r.schemeadmin.unwrap_or(false);
        TeamMember {
            roles: effective_team_roles(&explicit, scheme_guest, scheme_user, scheme_admin),
            team_id: r.teamid,
            user_id: r.userid,
            delete_at: r.deleteat.unwrap_or(0),
            scheme_guest,
            scheme_user,
            scheme_admin,
            explicit_roles: explicit,
            create_at: r.createat.unwrap_or(0),
        }
    }
}

const SELECT_MEMBERS: &str = "SELECT tm.teamid, tm.userid, tm.roles, tm.deleteat, \
    tm.schemeuser, tm.schemeadmin, tm.schemeguest, tm.createat FROM teammembers tm";

async fn query_members(store: &Store, sql: &str, binds: &[Bind<'_>]) -> Result<Vec<TeamMember>> {
    query_rows::<MemberRow, _>(store, sql, binds).await
}

/// The membership row of `user_id` in `team_id`, also when the user has left.
pub async fn get_member(store: &Store, team_id: &str, user_id: &str) -> Result<Option<TeamMember>> {
    let sql = format!("{SELECT_MEMBERS} WHERE tm.teamid = $1 AND tm.userid = $2");
    Ok(
        query_members(store, &sql, &[Bind::Str(team_id), Bind::Str(user_id)])
            .await?
            .into_iter()
            .next(),
    )
}

/// Whether two users are live members of at least one common team.
pub async fn share_a_team(store: &Store, user_a: &str, user_b: &str) -> Result<bool> {
    let sql = "SELECT CAST(COUNT(*) AS BIGINT) FROM teammembers a \
               JOIN teammembers b ON b.teamid = a.teamid \
               WHERE a.userid = $1 AND b.userid = $2 AND a.deleteat = 0 AND b.deleteat = 0";
    let n: i64 = read!(store, |p| sqlx::query_scalar(sql)
        .bind(user_a)
        .bind(user_b)
        .fetch_one(p)
        .await)?;
    Ok(n > 0)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemberSort {
    UserId,
    Username,
}

/// A page of the live members of a team; `deactivated` says whether members whose account
/// is deactivated are listed.
pub async fn member_page(
    store: &Store,
    team_id: &str,
    sort: MemberSort,
    deactivated: Deleted,
    limit: i64,
    offset: i64,
) -> Result<Vec<TeamMember>> {
    let join_users = sort == MemberSort::Username || deactivated == Deleted::Exclude;
    let sql = format!(
        "{SELECT_MEMBERS}{} WHERE tm.teamid = $1 AND tm.deleteat = 0{} ORDER BY {} \
         LIMIT $2 OFFSET $3",
        if join_users {
            " JOIN users u ON u.id = tm.userid"
        } else {
            ""
        },
        deactivated.filter("u"),
        match sort {
            MemberSort::UserId => "tm.userid",
            MemberSort::Username => "u.username, tm.userid",
        }
    );
    query_members(
        store,
        &sql,
        &[Bind::Str(team_id), Bind::Int(limit), Bind::Int(offset)],
    )
    .await
}

/// The live members of a team among `user_ids`.
pub async fn members_by_ids(
    store: &Store,
    team_id: &str,
    user_ids: &[String],
) -> Result<Vec<TeamMember>> {
    if user_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "{SELECT_MEMBERS} WHERE tm.teamid = $1 AND tm.deleteat = 0 AND tm.userid IN ({}) \
         ORDER BY tm.userid",
        placeholders(2, user_ids.len())
    );
    let mut binds = vec![Bind::Str(team_id)];
    binds.extend(user_ids.iter().map(|id| Bind::Str(id)));
    query_members(store, &sql, &binds).await
}

/// Every membership row of a user, the teams they left included.
pub async fn memberships_for_user(store: &Store, user_id: &str) -> Result<Vec<TeamMember>> {
    let sql = format!("{SELECT_MEMBERS} WHERE tm.userid = $1 ORDER BY tm.teamid");
    query_members(store, &sql, &[Bind::Str(user_id)]).await
}

/// What [`insert_member`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemberInsert {
    Inserted,
    /// The team already has `max_members` active members; nothing was written.
    TeamFull,
}

/// Inserts a new membership row unless the team is full (a negative `max_members` means no
/// limit). An existing row is `Conflict`.
pub async fn insert_member(
    store: &Store,
    m: &TeamMember,
    max_members: i64,
) -> Result<MemberInsert> {
    transaction!(store, |tx| {
        let active: i64 = sqlx::query_scalar(ACTIVE_COUNT_SQL)
            .bind(&m.team_id)
            .fetch_one(&mut *tx)
            .await?;
        if max_members >= 0 && active + 1 > max_members {
            MemberInsert::TeamFull
        } else {
            sqlx::query(
                "INSERT INTO teammembers (teamid, userid, roles, deleteat, schemeuser, \
                 schemeadmin, schemeguest, createat) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(&m.team_id)
            .bind(&m.user_id)
            .bind(&m.explicit_roles)
            .bind(m.delete_at)
            .bind(m.scheme_user)
            .bind(m.scheme_admin)
            .bind(m.scheme_guest)
            .bind(m.create_at)
            .execute(&mut *tx)
            .await?;
            MemberInsert::Inserted
        }
    })
}

/// Rewrites a membership row: explicit roles, flags, `deleteat` and `createat`.
pub async fn update_member(store: &Store, m: &TeamMember) -> Result<()> {
    execute!(
        store,
        "UPDATE teammembers SET roles = $1, deleteat = $2, createat = $3, schemeguest = $4, \
         schemeuser = $5, schemeadmin = $6 WHERE teamid = $7 AND userid = $8",
        &m.explicit_roles,
        m.delete_at,
        m.create_at,
        m.scheme_guest,
        m.scheme_user,
        m.scheme_admin,
        &m.team_id,
        &m.user_id
    )?;
    Ok(())
}

/// Live members whose account is active.
const ACTIVE_COUNT_SQL: &str = "SELECT CAST(COUNT(DISTINCT tm.userid) AS BIGINT) \
    FROM teammembers tm JOIN users u ON u.id = tm.userid \
    WHERE tm.teamid = $1 AND tm.deleteat = 0 AND u.deleteat = 0";

/// Live members, deactivated accounts included.
const TOTAL_COUNT_SQL: &str = "SELECT CAST(COUNT(DISTINCT tm.userid) AS BIGINT) \
    FROM teammembers tm JOIN users u ON u.id = tm.userid \
    WHERE tm.teamid = $1 AND tm.deleteat = 0";

async fn count(store: &Store, sql: &str, team_id: &str) -> Result<i64> {
    Ok(read!(store, |p| sqlx::query_scalar::<_, i64>(sql)
        .bind(team_id)
        .fetch_one(p)
        .await)?)
}

pub async fn active_member_count(store: &Store, team_id: &str) -> Result<i64> {
    count(store, ACTIVE_COUNT_SQL, team_id).await
}

pub async fn total_member_count(store: &Store, team_id: &str) -> Result<i64> {
    count(store, TOTAL_COUNT_SQL, team_id).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(roles: &str, user: Option<bool>, admin: Option<bool>) -> MemberRow {
        MemberRow {
            teamid: "t".into(),
            userid: "u".into(),
            roles: Some(roles.into()),
            deleteat: None,
            schemeuser: user,
            schemeadmin: admin,
            schemeguest: None,
            createat: Some(7),
        }
    }

    #[test]
    fn flags_add_scheme_roles_after_explicit_ones() {
        let m = TeamMember::from(row("team_post_all", Some(true), Some(true)));
        assert_eq!(m.roles, "team_post_all team_user team_admin");
        assert_eq!(m.explicit_roles, "team_post_all");
        assert!(m.scheme_user && m.scheme_admin && !m.scheme_guest);
        assert_eq!((m.delete_at, m.create_at), (0, 7));
    }

    #[test]
    fn legacy_roles_column_counts_as_flags() {
        let m = TeamMember::from(row("team_user team_admin custom", None, None));
        assert_eq!(m.explicit_roles, "custom");
        assert!(m.scheme_user && m.scheme_admin);
        assert_eq!(m.roles, "custom team_user team_admin");
    }
}
