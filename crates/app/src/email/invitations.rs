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
use utmost_model::user::User;

/// What Mattermost keeps in an invitation token's `extra`.
#[derive(Serialize, Deserialize)]
struct Invitation {
    #[serde(rename = "teamId")]
    team_id: String,
    email: String,
    #[serde(rename = "senderId", default)]
    sender_id: String,
}

/// `POST /teams/{team_id}/invite/email`: emails each address a link to sign up into the
/// team. The caller has checked `invite_user` and `add_user_to_team`.
pub async fn invite_by_email(
    app: &App,
    team_id: &str,
    sender_id: &str,
    emails: &[String],
) -> AppResult<()> {
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
    let refused: Vec<&str> = emails
        .iter()
        .filter(|email| {
            let invitee = User {
                email: (*email).clone(),
                ..User::default()
            };
            !crate::teams::is_team_email_allowed(app, &invitee, &team)
        })
        .map(String::as_str)
        .collect();
    if !refused.is_empty() {
        return Err(EmailError::InviteDomains(refused.join(", ")).into());
    }
    if !outbox::enabled(app) {
        return Ok(());
    }
    let site = site_url(&config);
    let sender_name =
        super::post_notices::display_name(&sender, &config.team_settings.teammate_name_display);
    let words = Words {
        locale: &sender.locale,
        site: &config.team_settings.site_name,
    };
    for email in &emails {
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
        // `d` is what the sign-up page shows before the account exists.
        let data: BTreeMap<&str, &str> = [
            ("display_name", team.display_name.as_str()),
            ("name", team.name.as_str()),
            ("email", email.as_str()),
        ]
        .into();
        let data = serde_json::to_string(&data).unwrap_or_default();
        let data: String = url::form_urlencoded::byte_serialize(data.as_bytes()).collect();
        let link = format!("{site}/signup_user_complete/?d={data}&t={token}");
        let values = [
            ("sender", sender_name.as_str()),
            ("team", team.display_name.as_str()),
        ];
        outbox::enqueue(app, email, words.simple("invite", &values, Some(&link))).await?;
    }
    Ok(())
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
