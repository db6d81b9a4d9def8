//! `POST /users/{user_id}/promote` and `/demote` (Mattermost's `PromoteGuestToUser` and
//! `DemoteUserToGuest`). The system role swaps between `system_guest` and `system_user`
//! (a demoted admin loses `system_admin`), and every team and channel membership follows
//! in the same transaction. Memberships are kept: a demoted user stays in the public
//! channels they were in, as Mattermost leaves them. Afterwards the user's sessions carry the
//! new roles and `is_guest`, and their clients hear of the user and each membership.

use crate::bus::Event;
use crate::errors::GuestError;
use crate::{App, AppResult};
use std::collections::HashSet;
use utmost_model::now_millis;
use utmost_model::roles::{SYSTEM_ADMIN, SYSTEM_GUEST, SYSTEM_USER};
use utmost_store::guests::{self as store, Becomes};

/// Makes a guest a regular user, who then joins each team's default channels.
pub async fn promote(app: &App, user_id: &str) -> AppResult<()> {
    let user = crate::users::get(app, user_id).await?;
    if !user.is_guest() {
        return Err(GuestError::PromoteNotGuest.into());
    }
    let roles = swap_roles(&user.roles, Becomes::User);
    store::set_kind(&app.store, user_id, &roles, Becomes::User, now_millis()).await?;
    announce(app, user_id, roles, false).await?;
    for member in crate::teams::memberships_for_user(app, user_id).await? {
        if member.delete_at != 0 {
            continue;
        }
        // As Mattermost, a default channel that cannot be joined does not undo the promotion.
        if let Err(e) = crate::channels::join_default_channels(app, &member.team_id, user_id).await
        {
            tracing::warn!(user_id, team_id = %member.team_id, error = %e,
                "a promoted guest could not join the team's default channels");
        }
    }
    Ok(())
}

/// Makes a regular user (or admin) a guest. The caller checked that guest accounts are on
/// and who may demote an admin.
pub async fn demote(app: &App, user_id: &str) -> AppResult<()> {
    let user = crate::users::get(app, user_id).await?;
    if user.is_guest() {
        return Err(GuestError::DemoteAlreadyGuest.into());
    }
    let roles = swap_roles(&user.roles, Becomes::Guest);
    store::set_kind(&app.store, user_id, &roles, Becomes::Guest, now_millis()).await?;
    announce(app, user_id, roles, true).await
}

/// The new system roles: the one swapped, a demoted user's `system_admin` dropped, the rest
/// kept in order.
fn swap_roles(roles: &str, becomes: Becomes) -> String {
    roles
        .split_whitespace()
        .filter_map(|role| match (becomes, role) {
            (Becomes::User, SYSTEM_GUEST) => Some(SYSTEM_USER),
            (Becomes::Guest, SYSTEM_USER) => Some(SYSTEM_GUEST),
            (Becomes::Guest, SYSTEM_ADMIN) => None,
            (_, other) => Some(other),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Sessions get `is_guest`; the bus hears of the roles, the user and every membership.
async fn announce(app: &App, user_id: &str, roles: String, guest: bool) -> AppResult<()> {
    for session in utmost_store::sessions::list_for_user(&app.store, user_id).await? {
        let mut props = session.props.clone();
        props.insert("is_guest".into(), guest.to_string());
        utmost_store::sessions::update_props(&app.store, &session.id, &props).await?;
    }
    app.publish(Event::UserRolesUpdated {
        user_id: user_id.to_string(),
        roles,
    })
    .await;
    let user = crate::users::get(app, user_id).await?;
    app.publish(Event::UserUpdated { user }).await;
    let mut seen = HashSet::new();
    for member in crate::teams::memberships_for_user(app, user_id).await? {
        let channels =
            utmost_store::channels::members_for_user_in_team(&app.store, &member.team_id, user_id)
                .await?;
        app.publish(Event::TeamMemberUpdated { member }).await;
        for channel_member in channels {
            if seen.insert(channel_member.channel_id.clone()) {
                app.publish(Event::ChannelMemberUpdated {
                    member: channel_member,
                })
                .await;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_swap_and_a_demoted_admin_loses_admin() {
        assert_eq!(swap_roles("system_guest", Becomes::User), "system_user");
        assert_eq!(
            swap_roles("system_user system_admin", Becomes::Guest),
            "system_guest"
        );
        assert_eq!(
            swap_roles("system_user system_post_all", Becomes::Guest),
            "system_guest system_post_all"
        );
    }
}
