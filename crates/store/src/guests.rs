//! Turning a user into a guest and back (Mattermost's `PromoteGuestToUser` and
//! `DemoteUserToGuest` stores): the system roles, the roles copied into the user's sessions,
//! and the scheme flags of every team and channel membership change in one transaction.

use crate::db::{read, transaction};
use crate::{Result, Store};

/// Which side of the line the user ends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Becomes {
    /// Promoted: memberships become user memberships (admin flags are kept).
    User,
    /// Demoted: memberships become guest memberships (admin flags are dropped).
    Guest,
}

/// Writes `roles` as the user's system roles and moves every membership to `becomes`.
pub async fn set_kind(
    store: &Store,
    user_id: &str,
    roles: &str,
    becomes: Becomes,
    at: i64,
) -> Result<()> {
    let memberships = match becomes {
        Becomes::User => "schemeuser = $1, schemeguest = $2",
        Becomes::Guest => "schemeuser = $1, schemeguest = $2, schemeadmin = $1",
    };
    let guest = becomes == Becomes::Guest;
    let team_sql = format!("UPDATE teammembers SET {memberships} WHERE userid = $3");
    let channel_sql = format!("UPDATE channelmembers SET {memberships} WHERE userid = $3");
    transaction!(store, |tx| {
        sqlx::query("UPDATE users SET roles = $1, updateat = $2 WHERE id = $3")
            .bind(roles)
            .bind(at)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE sessions SET roles = $1 WHERE userid = $2")
            .bind(roles)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        for sql in [&team_sql, &channel_sql] {
            sqlx::query(sql)
                .bind(!guest)
                .bind(guest)
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
        }
    })
}

/// At most this many guests hear of one user's profile change (a bound on one event's work).
pub const MAX_GUESTS_TOLD: i64 = 10_000;

/// The guests who share a channel with `user_id` (so may see them), at most
/// [`MAX_GUESTS_TOLD`].
pub async fn guests_sharing_a_channel(store: &Store, user_id: &str) -> Result<Vec<String>> {
    let rows: Vec<(String,)> = read!(store, |p| sqlx::query_as(
        "SELECT DISTINCT b.userid FROM channelmembers a \
         JOIN channelmembers b ON b.channelid = a.channelid AND b.userid <> a.userid \
         JOIN users u ON u.id = b.userid \
         WHERE a.userid = $1 AND (' ' || u.roles || ' ') LIKE '% system_guest %' \
         LIMIT $2"
    )
    .bind(user_id)
    .bind(MAX_GUESTS_TOLD)
    .fetch_all(p)
    .await)?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}
