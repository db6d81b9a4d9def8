//! Turning a user into a guest and back (Mattermost's `PromoteGuestToUser` and
//! `DemoteUserToGuest` stores): the system roles, the roles copied into the user's sessions,
//! and the scheme flags of every team and channel membership change in one transaction.

use crate::db::transaction;
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
