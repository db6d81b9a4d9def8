//! Guest invitations by email (Mattermost's `InviteGuestsToChannels`) and the sign-up their
//! link leads to (`CreateUserWithToken` with a `guest_invitation` token): a guest who is a
//! member of exactly the team and the channels of the invitation.

use crate::email::invitations::{record, screen, signup_link, InviteOutcome, Refusals};
use crate::email::links::{self, Found};
use crate::email::templates::{Content, Words};
use crate::email::{outbox, site_url};
use crate::errors::{ChannelError, EmailError, GuestError};
use crate::users::SignUp;
use crate::{App, AppResult};
use serde::{Deserialize, Serialize};
use utmost_model::channel::Channel;
use utmost_model::user::User;
use utmost_model::{is_valid_id, AppError};

/// Mattermost's token type for guest invitations.
pub const GUEST_INVITATION: &str = "guest_invitation";

/// `POST /teams/{team_id}/invite-guests/email`'s body (Mattermost's `GuestsInvite`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct GuestsInvite {
    pub emails: Vec<String>,
    pub channels: Vec<String>,
    pub message: String,
}

impl GuestsInvite {
    /// `GuestsInvite.IsValid`, after the addresses are lower-cased.
    fn validate(&mut self) -> AppResult<()> {
        for email in &mut self.emails {
            *email = email.trim().to_lowercase();
        }
        if self.emails.is_empty() {
            return Err(GuestError::NoEmails.into());
        }
        if let Some(bad) = self
            .emails
            .iter()
            .find(|e| crate::users::validate_email(e).is_err())
        {
            return Err(GuestError::BadEmail(bad.clone()).into());
        }
        if self.channels.is_empty() {
            return Err(GuestError::NoChannels.into());
        }
        if let Some(bad) = self.channels.iter().find(|c| !is_valid_id(c)) {
            return Err(GuestError::BadChannel(bad.clone()).into());
        }
        Ok(())
    }
}

/// What a guest invitation token keeps in `extra` (Mattermost's keys).
#[derive(Serialize, Deserialize)]
pub(crate) struct GuestInvitation {
    #[serde(rename = "teamId")]
    pub(crate) team_id: String,
    /// Channel ids separated by spaces.
    channels: String,
    email: String,
    #[serde(default)]
    guest: String,
    #[serde(rename = "senderId", default)]
    sender_id: String,
}

/// Emails each address a link to sign up as a guest of the team and the channels. The
/// caller has checked that guest accounts are on and the `invite_guest` permission.
pub async fn invite_by_email(
    app: &App,
    team_id: &str,
    sender_id: &str,
    mut invite: GuestsInvite,
    refusals: Refusals,
) -> AppResult<Vec<InviteOutcome>> {
    let config = app.config();
    if !config.service_settings.enable_email_invitations {
        return Err(EmailError::InvitationsDisabled.into());
    }
    invite.validate()?;
    let team = crate::teams::get(app, team_id).await?;
    let sender = crate::users::get(app, sender_id).await?;
    let channels = channels_of_team(app, team_id, &invite.channels).await?;
    let restriction = &config.guest_accounts_settings.restrict_creation_to_domains;
    let allowed = |email: &str| crate::teams::email_in_domains(email, restriction);
    let (emails, mut outcomes) = screen(std::mem::take(&mut invite.emails), allowed, refusals)?;
    if !outbox::enabled(app) {
        return Ok(outcomes);
    }
    let site = site_url(&config);
    let sender_name = crate::email::post_notices::display_name(
        &sender,
        &config.team_settings.teammate_name_display,
    );
    let words = Words {
        locale: &sender.locale,
        site: &config.team_settings.site_name,
    };
    let channel_names: Vec<&str> = channels.iter().map(|c| c.display_name.as_str()).collect();
    let channel_names = channel_names.join(", ");
    let values = [
        ("sender", sender_name.as_str()),
        ("team", team.display_name.as_str()),
        ("channels", channel_names.as_str()),
    ];
    let channel_ids = invite.channels.join(" ");
    for email in &emails {
        let sent = async {
            let token = links::create(
                app,
                GUEST_INVITATION,
                &GuestInvitation {
                    team_id: team.id.clone(),
                    channels: channel_ids.clone(),
                    email: email.clone(),
                    guest: "true".into(),
                    sender_id: sender.id.clone(),
                },
            )
            .await?;
            let link = signup_link(&site, &team.display_name, &team.name, email, &token);
            let content = Content {
                subject: words.get("guest_invite.subject", &values),
                title: words.get("guest_invite.title", &values),
                paragraphs: vec![words.get("guest_invite.body", &values)],
                quote: (!invite.message.trim().is_empty()).then(|| invite.message.clone()),
                button: Some((words.get("guest_invite.button", &values), link)),
                footer: words.get("footer", &[]),
            };
            outbox::enqueue(app, email, content.render()).await
        };
        record(&mut outcomes, email, sent.await, refusals)?;
    }
    Ok(outcomes)
}

/// The invitation's channels, each a live public or private channel of the team.
async fn channels_of_team(app: &App, team_id: &str, ids: &[String]) -> AppResult<Vec<Channel>> {
    let mut channels = Vec::with_capacity(ids.len());
    for id in ids {
        let channel = match crate::channels::get_channel(app, id).await {
            Ok(channel) => channel,
            Err(e) if e.status_code == 404 => return Err(GuestError::ChannelOutsideTeam.into()),
            Err(e) => return Err(e),
        };
        if channel.team_id != team_id || channel.is_group_or_direct() || channel.is_deleted() {
            return Err(GuestError::ChannelOutsideTeam.into());
        }
        channels.push(channel);
    }
    Ok(channels)
}

/// Whether an email guest account may be made now (`POST /users?t=` with a guest token).
pub(crate) fn check_guest_sign_up(app: &App) -> AppResult<()> {
    let guests = &app.config().guest_accounts_settings;
    if !guests.enable {
        return Err(GuestError::SignupDisabled.into());
    }
    if !guests.allow_email_accounts {
        return Err(GuestError::EmailAccountsDisabled.into());
    }
    Ok(())
}

/// Creates the invited guest (their address verified by the invitation), adds them to the
/// team and the channels, and uses the token up. The caller found the token, checked its
/// type and age and that sign-up is on.
pub(crate) async fn create_guest(
    app: &App,
    input: User,
    found: Found<GuestInvitation>,
) -> AppResult<User> {
    let invitation = found.extra.as_ref().ok_or(EmailError::SignupLinkInvalid)?;
    let team = crate::teams::get(app, &invitation.team_id).await?;
    if input.email.trim().to_lowercase() != invitation.email {
        return Err(EmailError::SignupEmailMismatch.into());
    }
    let user = crate::users::create_as(app, input, None, SignUp::InvitedGuest).await?;
    crate::teams::add_user(app, &team.id, &user.id).await?;
    join_channels(app, &user.id, &team.id, invitation).await;
    found.take(app).await?;
    Ok(user)
}

/// Adds the invited guest to the invitation's channels of `team_id`. As Mattermost, a channel
/// that cannot be joined (archived since) is skipped.
pub(crate) async fn join_channels(
    app: &App,
    user_id: &str,
    team_id: &str,
    invitation: &GuestInvitation,
) {
    for channel_id in invitation.channels.split_whitespace() {
        let joined = match crate::channels::get_channel(app, channel_id).await {
            Ok(channel) if channel.team_id == team_id => {
                crate::channels::add_member(app, &channel, user_id, &invitation.sender_id)
                    .await
                    .map(|_| ())
            }
            Ok(_) => Err(AppError::from(ChannelError::NotFound)),
            Err(e) => Err(e),
        };
        if let Err(e) = joined {
            tracing::warn!(user_id, channel_id, error = %e,
                "an invited guest could not join a channel of the invitation");
        }
    }
}
