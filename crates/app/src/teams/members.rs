//! Team membership: joining (with the team's default channels), leaving, listing and roles.

use super::{get, is_team_email_allowed};
use crate::bus::Event;
use crate::errors::{RoleError, TeamError};
use crate::{App, AppResult};
use utmost_model::now_millis;
use utmost_model::roles::{
    effective_team_roles, TEAM_ADMIN, TEAM_GUEST, TEAM_POST_ALL, TEAM_POST_ALL_PUBLIC, TEAM_USER,
};
use utmost_model::team::{SchemeRoles, Team, TeamMember, TeamMemberWithError};
use utmost_model::user::User;
use utmost_store::teams::{self as store, MemberInsert, MemberSort};
use utmost_store::{Deleted, StoreError};

/// The membership of `user_id` in `team_id`, also when the user has left (`delete_at > 0`).
pub async fn get_member(app: &App, team_id: &str, user_id: &str) -> AppResult<TeamMember> {
    store::get_member(&app.store, team_id, user_id)
        .await?
        .ok_or_else(|| TeamError::MemberNotFound.into())
}

/// `roles` as the flags and explicit roles of `m` make it.
fn with_effective_roles(mut m: TeamMember) -> TeamMember {
    m.roles = effective_team_roles(
        &m.explicit_roles,
        m.scheme_guest,
        m.scheme_user,
        m.scheme_admin,
    );
    m
}

/// Makes `user` a member of `team` (Mattermost's `JoinUserToTeam`): a new row, or the old one
/// revived when the user had left; an existing live membership is returned unchanged. New
/// members other than guests join the team's default channels.
pub(crate) async fn join(app: &App, team: &Team, user: &User) -> AppResult<TeamMember> {
    if !is_team_email_allowed(app, user, team) {
        return Err(TeamError::JoinerDomainNotAllowed.into());
    }
    let guest = user.is_guest();
    let member = with_effective_roles(TeamMember {
        team_id: team.id.clone(),
        user_id: user.id.clone(),
        scheme_guest: guest,
        scheme_user: !guest,
        scheme_admin: team.email == user.email,
        create_at: now_millis(),
        ..TeamMember::default()
    });
    let max_members = app.config().team_settings.max_users_per_team;
    match store::get_member(&app.store, &team.id, &user.id).await? {
        Some(existing) if existing.delete_at == 0 => return Ok(existing),
        Some(_) => {
            if store::active_member_count(&app.store, &team.id).await? >= max_members {
                return Err(TeamError::FullOnRejoin.into());
            }
            store::update_member(&app.store, &member).await?;
        }
        None => match store::insert_member(&app.store, &member, max_members).await {
            Ok(MemberInsert::Inserted) => {}
            Ok(MemberInsert::TeamFull) => return Err(TeamError::FullOnJoin.into()),
            Err(StoreError::Conflict(_)) => return Err(TeamError::MemberExists.into()),
            Err(other) => return Err(other.into()),
        },
    }
    app.publish(Event::TeamMemberAdded {
        team_id: team.id.clone(),
        user_id: user.id.clone(),
    })
    .await;
    // As in Mattermost, missing sidebar categories do not undo the join: the first read of
    // the categories creates them.
    if let Err(e) = crate::categories::create_defaults(app, &user.id, &team.id).await {
        tracing::warn!(user_id = %user.id, team_id = %team.id, error = %e,
            "could not create the default sidebar categories");
    }
    if !guest {
        // As in Mattermost, failing to join a default channel does not undo the team join.
        if let Err(e) = crate::channels::join_default_channels(app, &team.id, &user.id).await {
            tracing::warn!(user_id = %user.id, team_id = %team.id, error = %e,
                "could not join the team's default channels");
        }
    }
    Ok(member)
}

/// `POST /teams/{team_id}/members` (Mattermost's `AddUserToTeam`).
pub async fn add_user(app: &App, team_id: &str, user_id: &str) -> AppResult<TeamMember> {
    let team = get(app, team_id).await?;
    let user = crate::users::get(app, user_id).await?;
    join(app, &team, &user).await
}

/// `POST /teams/{team_id}/members/batch`: adds the users one by one. Without `graceful` the
/// first failure ends the batch (the users before it stay added); with it every user gets an
/// entry with either the member or the error.
pub async fn add_users(
    app: &App,
    team_id: &str,
    user_ids: &[String],
    graceful: bool,
) -> AppResult<Vec<TeamMemberWithError>> {
    let mut results = Vec::with_capacity(user_ids.len());
    for user_id in user_ids {
        let (member, error) = match add_user(app, team_id, user_id).await {
            Ok(member) => (Some(member), None),
            Err(e) if graceful => (None, Some(e)),
            Err(e) => return Err(e),
        };
        results.push(TeamMemberWithError {
            user_id: user_id.clone(),
            member,
            error,
        });
    }
    Ok(results)
}

/// Mattermost's `LeaveTeam`: the user leaves every channel of the team, Town Square hears
/// "left the team" (the user asked) or "removed from the team" (someone else did), the
/// user's sidebar categories in the team go, and the membership row is marked deleted.
pub async fn remove_user_by(
    app: &App,
    team: &Team,
    user: &User,
    requestor_id: &str,
) -> AppResult<()> {
    let member = store::get_member(&app.store, &team.id, &user.id)
        .await?
        .ok_or(TeamError::NotAMember)?;
    crate::channels::leave_team_channels(app, &team.id, user, requestor_id).await?;
    utmost_store::categories::clear_for_team(&app.store, &user.id, &team.id).await?;
    store::update_member(
        &app.store,
        &TeamMember {
            delete_at: now_millis(),
            ..member
        },
    )
    .await?;
    app.publish(Event::TeamMemberRemoved {
        team_id: team.id.clone(),
        user_id: user.id.clone(),
    })
    .await;
    Ok(())
}

pub async fn member_page(
    app: &App,
    team_id: &str,
    sort: MemberSort,
    exclude_deleted_users: bool,
    limit: i64,
    offset: i64,
) -> AppResult<Vec<TeamMember>> {
    Ok(store::member_page(
        &app.store,
        team_id,
        sort,
        Deleted::included_if(!exclude_deleted_users),
        limit,
        offset,
    )
    .await?)
}

pub async fn members_by_ids(
    app: &App,
    team_id: &str,
    user_ids: &[String],
) -> AppResult<Vec<TeamMember>> {
    Ok(store::members_by_ids(&app.store, team_id, user_ids).await?)
}

/// Every team membership of a user, including the teams they left.
pub async fn memberships_for_user(app: &App, user_id: &str) -> AppResult<Vec<TeamMember>> {
    Ok(store::memberships_for_user(&app.store, user_id).await?)
}

/// `PUT /teams/{team_id}/members/{user_id}/roles`: the team's scheme roles become flags,
/// the team-wide posting roles explicit roles; a guest stays a guest. Mattermost keeps any
/// role no scheme manages, which let a team admin hand themselves `system_manager` and use
/// its permissions in the team; here a role from another level is refused like another
/// scheme's role.
pub async fn update_member_roles(
    app: &App,
    team_id: &str,
    user_id: &str,
    roles: &str,
) -> AppResult<TeamMember> {
    let member = get_member(app, team_id, user_id).await?;
    let mut flags = SchemeRoles::default();
    let mut explicit = Vec::new();
    for name in roles.split_whitespace() {
        utmost_store::roles::get_by_name(&app.store, name)
            .await?
            .ok_or_else(|| RoleError::UnknownMemberRole(name.to_string()))?;
        match name {
            TEAM_ADMIN => flags.scheme_admin = true,
            TEAM_USER => flags.scheme_user = true,
            TEAM_GUEST => flags.scheme_guest = true,
            TEAM_POST_ALL | TEAM_POST_ALL_PUBLIC => explicit.push(name),
            _ => return Err(TeamError::NotATeamRole.into()),
        }
    }
    if flags.scheme_guest && flags.scheme_user {
        return Err(TeamError::GuestAndUser.into());
    }
    if flags.scheme_guest != member.scheme_guest {
        return Err(TeamError::GuestRoleChanged.into());
    }
    save_member(
        app,
        TeamMember {
            explicit_roles: explicit.join(" "),
            scheme_guest: flags.scheme_guest,
            scheme_user: flags.scheme_user,
            scheme_admin: flags.scheme_admin,
            ..member
        },
    )
    .await
}

/// `PUT /teams/{team_id}/members/{user_id}/schemeRoles`.
pub async fn update_member_scheme_roles(
    app: &App,
    team_id: &str,
    user_id: &str,
    flags: SchemeRoles,
) -> AppResult<TeamMember> {
    let member = get_member(app, team_id, user_id).await?;
    if flags.scheme_guest && flags.scheme_user {
        return Err(TeamError::GuestAndUser.into());
    }
    save_member(
        app,
        TeamMember {
            scheme_guest: flags.scheme_guest,
            scheme_user: flags.scheme_user,
            scheme_admin: flags.scheme_admin,
            ..member
        },
    )
    .await
}

async fn save_member(app: &App, member: TeamMember) -> AppResult<TeamMember> {
    let member = with_effective_roles(member);
    store::update_member(&app.store, &member).await?;
    app.publish(Event::TeamMemberUpdated {
        member: member.clone(),
    })
    .await;
    Ok(member)
}
