//! Team invitations by email (Mattermost's `InviteNewUsersToTeam`) and the sign-up their
//! link leads to (`CreateUserWithToken`, `POST /users?t=`).

use super::links::{self, Found, INVITATION_EXPIRY_MS, TEAM_INVITATION};
use super::templates::Words;
use super::{outbox, site_url};
use crate::errors::{EmailError, UserError};
use crate::guests::{self, invitations::GUEST_INVITATION};
use crate::users::SignUp;
use crate::{App, AppResult};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utmost_model::team::TeamMember;
use utmost_model::user::User;
use utmost_model::AppError;

/// What Mattermost keeps in an invitation token's `extra`.
#[derive(Serialize, Deserialize)]
struct Invitation {
    #[serde(rename = "teamId")]
    team_id: String,
    email: String,
    #[serde(rename = "senderId", default)]
    sender_id: String,
}

/// One address of an invitation sent with `?graceful=true` (Mattermost's
/// `EmailInviteWithError`): its error, or none when its email is on its way.
#[derive(Debug, Clone, Serialize)]
pub struct InviteOutcome {
    pub email: String,
    pub error: Option<AppError>,
}

/// What an invitation to several addresses does when one is refused: Mattermost's `graceful`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusals {
    /// The request fails (nothing is sent when an address's domain is refused).
    Fail,
    /// Each address gets its own outcome and the others are sent.
    Report,
}

/// Splits `emails` into those `allowed` accepts and the outcomes of the others (all refused
/// together as one error, naming them, with `Refusals::Fail`).
pub(crate) fn screen(
    emails: Vec<String>,
    allowed: impl Fn(&str) -> bool,
    refusals: Refusals,
) -> AppResult<(Vec<String>, Vec<InviteOutcome>)> {
    let (accepted, refused): (Vec<String>, Vec<String>) =
        emails.into_iter().partition(|email| allowed(email));
    if refused.is_empty() {
        return Ok((accepted, Vec::new()));
    }
    if refusals == Refusals::Fail {
        return Err(EmailError::InviteDomains(refused.join(", ")).into());
    }
    let outcomes = refused
        .into_iter()
        .map(|email| InviteOutcome {
            error: Some(EmailError::InviteDomains(email.clone()).into()),
            email,
        })
        .collect();
    Ok((accepted, outcomes))
}

/// Records how sending to `email` went; without `Refusals::Report` a failure ends the request.
pub(crate) fn record(
    outcomes: &mut Vec<InviteOutcome>,
    email: &str,
    sent: AppResult<()>,
    refusals: Refusals,
) -> AppResult<()> {
    let error = match sent {
        Ok(()) => None,
        Err(e) if refusals == Refusals::Report => Some(e),
        Err(e) => return Err(e),
    };
    outcomes.push(InviteOutcome {
        email: email.to_string(),
        error,
    });
    Ok(())
}

/// `POST /teams/{team_id}/invite/email`: emails each address a link to sign up into the
/// team. The caller has checked `invite_user` and `add_user_to_team`.
pub async fn invite_by_email(
    app: &App,
    team_id: &str,
    sender_id: &str,
    emails: &[String],
    refusals: Refusals,
) -> AppResult<Vec<InviteOutcome>> {
    let config = app.config();
    if !config.service_settings.enable_email_invitations {
        return Err(EmailError::InvitationsDisabled.into());
    }
    if emails.is_empty() {
        return Err(EmailError::InviteNoOne.into());
    }
    let team = crate::teams::get(app, team_id).await?;
    let sender = crate::users::get(app, sender_id).await?;
    let emails: Vec<String> = emails.iter().map(|e| e.trim().to_lowercase()).collect();
    let allowed = |email: &str| {
        let invitee = User {
            email: email.to_string(),
            ..User::default()
        };
        crate::teams::is_team_email_allowed(app, &invitee, &team)
    };
    let (emails, mut outcomes) = screen(emails, allowed, refusals)?;
    if !outbox::enabled(app) {
        return Ok(outcomes);
    }
    let site = site_url(&config);
    let sender_name =
        super::post_notices::display_name(&sender, &config.team_settings.teammate_name_display);
    let words = Words {
        locale: &sender.locale,
        site: &config.team_settings.site_name,
    };
    for email in &emails {
        let sent = async {
            let token = links::create(
                app,
                TEAM_INVITATION,
                &Invitation {
                    team_id: team.id.clone(),
                    email: email.clone(),
                    sender_id: sender.id.clone(),
                },
            )
            .await?;
            let link = signup_link(&site, &team.display_name, &team.name, email, &token);
            let values = [
                ("sender", sender_name.as_str()),
                ("team", team.display_name.as_str()),
            ];
            outbox::enqueue(app, email, words.simple("invite", &values, Some(&link))).await
        };
        record(&mut outcomes, email, sent.await, refusals)?;
    }
    Ok(outcomes)
}

/// The sign-up page's link of an invitation; `d` is what the page shows before the account
/// exists.
pub(crate) fn signup_link(
    site: &str,
    display_name: &str,
    name: &str,
    email: &str,
    token: &str,
) -> String {
    let data: BTreeMap<&str, &str> = [
        ("display_name", display_name),
        ("name", name),
        ("email", email),
    ]
    .into();
    let data = serde_json::to_string(&data).unwrap_or_default();
    let data: String = url::form_urlencoded::byte_serialize(data.as_bytes()).collect();
    format!("{site}/signup_user_complete/?d={data}&t={token}")
}

/// `POST /teams/members/invite?token=`: a signed-in user joins the team an emailed
/// invitation names, a guest also its channels (Mattermost's `AddUserToTeamByToken`). As
/// Mattermost's, the link is not tied to the address it was sent to; a guest invitation is
/// only for a guest and a team invitation only for a member.
pub async fn join_with_token(app: &App, token: &str, user_id: &str) -> AppResult<TeamMember> {
    let found: Found<serde_json::Value> = links::find(app, token)
        .await?
        .ok_or(EmailError::SignupLinkInvalid)?;
    let guest = found.kind == GUEST_INVITATION;
    if found.kind != TEAM_INVITATION && !guest {
        return Err(EmailError::SignupLinkInvalid.into());
    }
    if found.expired(INVITATION_EXPIRY_MS) {
        found.take(app).await?;
        return Err(EmailError::SignupLinkExpired.into());
    }
    let user = crate::users::get(app, user_id).await?;
    if user.is_guest() != guest {
        return Err(EmailError::InvitationTypeMismatch.into());
    }
    let team_id = found
        .extra
        .as_ref()
        .and_then(|extra| extra.get("teamId"))
        .and_then(|id| id.as_str())
        .ok_or(EmailError::SignupLinkInvalid)?
        .to_string();
    let member = crate::teams::add_user(app, &team_id, user_id).await?;
    let invited_channels = found
        .extra
        .clone()
        .filter(|_| guest)
        .and_then(|extra| serde_json::from_value(extra).ok());
    if let Some(invitation) = invited_channels {
        guests::invitations::join_channels(app, user_id, &team_id, &invitation).await;
    }
    found.take(app).await?;
    Ok(member)
}

/// `POST /users?t=<token>`: creates the invited account (its address verified by the
/// invitation), adds it to the team and uses the token up. A guest invitation's token makes
/// a guest (`guests::invitations`).
pub async fn create_with_token(app: &App, input: User, token: &str) -> AppResult<User> {
    let found: Found<serde_json::Value> = links::find(app, token)
        .await?
        .ok_or(EmailError::SignupLinkNotFound)?;
    let guest = found.kind == GUEST_INVITATION;
    if guest {
        guests::invitations::check_guest_sign_up(app)?;
    }
    let config = app.config();
    if !config.email_settings.enable_sign_up_with_email
        || !config.team_settings.enable_user_creation
    {
        return Err(UserError::EmailSignUpDisabled.into());
    }
    if found.kind != TEAM_INVITATION && !guest {
        return Err(EmailError::SignupLinkInvalid.into());
    }
    if found.expired(INVITATION_EXPIRY_MS) {
        found.take(app).await?;
        return Err(EmailError::SignupLinkExpired.into());
    }
    if guest {
        return guests::invitations::create_guest(app, input, found.parse()).await;
    }
    let found: Found<Invitation> = found.parse();
    let invitation = found.extra.as_ref().ok_or(EmailError::SignupLinkInvalid)?;
    let team = crate::teams::get(app, &invitation.team_id).await?;
    if input.email.trim().to_lowercase() != invitation.email {
        return Err(EmailError::SignupEmailMismatch.into());
    }
    let user = crate::users::create_as(app, input, None, SignUp::Invited).await?;
    crate::teams::add_user(app, &team.id, &user.id).await?;
    // Only one sign-up can use the address, so a concurrent one failed above.
    found.take(app).await?;
    Ok(user)
}
