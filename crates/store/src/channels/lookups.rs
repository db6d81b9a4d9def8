//! The few team facts channel rules depend on (membership, a shared team, a team's id by
//! name), read straight from `teams` / `teammembers`.

use crate::db::read;
use crate::{Result, Store};

/// The id of the team called `name`, archived teams included.
pub async fn team_id_by_name(store: &Store, name: &str) -> Result<Option<String>> {
    Ok(read!(store, |p| sqlx::query_scalar(
        "SELECT id FROM teams WHERE name = $1"
    )
    .bind(name)
    .fetch_optional(p)
    .await)?)
}

/// A user's team membership: `None` if they never joined, else its `deleteat` (0 = live).
pub async fn team_membership_delete_at(
    store: &Store,
    team_id: &str,
    user_id: &str,
) -> Result<Option<i64>> {
    let v: Option<Option<i64>> = read!(store, |p| sqlx::query_scalar(
        "SELECT deleteat FROM teammembers WHERE teamid = $1 AND userid = $2"
    )
    .bind(team_id)
    .bind(user_id)
    .fetch_optional(p)
    .await)?;
    Ok(v.map(|d| d.unwrap_or(0)))
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
