//! A team's invite link (its `invite_id`): what it shows (`GET /teams/invite/{invite_id}`),
//! joining with it (`POST /teams/members/invite`), signing up with it (`POST /users?iid=`),
//! and making a new one (`POST /teams/{team_id}/regenerate_invite_id`), which kills the old.

use super::{members, save};
use crate::bus::Event;
use crate::errors::{SignupError, UserError};
use crate::users::SignUp;
use crate::{App, AppResult};
use serde::Serialize;
use utmost_model::new_id;
use utmost_model::team::{Team, TeamMember, TEAM_OPEN};
use utmost_model::user::User;
use utmost_store::teams as store;

async fn by_invite_id(app: &App, invite_id: &str) -> AppResult<Team> {
    store::get_by_invite_id(&app.store, invite_id)
        .await?
        .filter(|t| t.delete_at == 0)
        .ok_or_else(|| SignupError::InviteIdNotFound.into())
}

/// What the sign-up page shows of the team an invite link names.
#[derive(Debug, Clone, Serialize)]
pub struct InviteInfo {
    pub display_name: String,
    pub description: String,
    pub name: String,
    pub id: String,
}

/// `GET /teams/invite/{invite_id}`: only an open team's link is shown.
pub async fn invite_info(app: &App, invite_id: &str) -> AppResult<InviteInfo> {
    let team = by_invite_id(app, invite_id).await?;
    if team.team_type != TEAM_OPEN {
        return Err(SignupError::InviteInfoNotOpen.into());
    }
    Ok(InviteInfo {
        display_name: team.display_name,
        description: team.description,
        name: team.name,
        id: team.id,
    })
}

/// `POST /teams/members/invite?invite_id=`: the caller joins the link's team, under the
/// team's domain rules (`AddUserToTeamByInviteId`). The caller refused guests.
pub async fn join_by_invite_id(app: &App, invite_id: &str, user_id: &str) -> AppResult<TeamMember> {
    let team = by_invite_id(app, invite_id).await?;
    let user = crate::users::get(app, user_id).await?;
    members::join(app, &team, &user).await
}

/// `POST /users?iid=`: a new account through the link (`CreateUserWithInviteId`). It stands
/// in for EnableOpenServer, not for sign-up being on; the address must be in the team's
/// allowed domains, and is not proven by the link.
pub async fn create_user_with_invite_id(
    app: &App,
    input: User,
    invite_id: &str,
) -> AppResult<User> {
    let config = app.config();
    if !config.email_settings.enable_sign_up_with_email
        || !config.team_settings.enable_user_creation
    {
        return Err(UserError::EmailSignUpDisabled.into());
    }
    let team = by_invite_id(app, invite_id).await?;
    if !super::email_in_domains(&input.email.trim().to_lowercase(), &team.allowed_domains) {
        return Err(SignupError::InviteDomains(team.allowed_domains.clone()).into());
    }
    let user = crate::users::create_as(app, input, None, SignUp::InviteLink).await?;
    members::join(app, &team, &user).await?;
    Ok(user)
}

/// `POST /teams/{team_id}/regenerate_invite_id`: a new link; the old one stops working.
pub async fn regenerate_invite_id(app: &App, team_id: &str) -> AppResult<Team> {
    let team = super::get(app, team_id).await?;
    let team = save(
        app,
        Team {
            invite_id: new_id(),
            ..team
        },
    )
    .await?;
    app.publish(Event::TeamUpdated { team: team.clone() }).await;
    Ok(team)
}
