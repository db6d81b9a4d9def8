//! Password reset and email verification by emailed link (Mattermost's `SendPasswordReset`,
//! `ResetPasswordFromToken`, `SendEmailVerification`, `VerifyEmailFromToken`).

use super::links::{self, Found, PASSWORD_RECOVERY, RECOVERY_EXPIRY_MS, VERIFY_EMAIL};
use super::templates::Words;
use super::{outbox, site_url};
use crate::bus::Event;
use crate::errors::EmailError;
use crate::{App, AppResult};
use serde::{Deserialize, Serialize};
use utmost_model::now_millis;
use utmost_model::user::User;
use utmost_store::users as users_store;

/// What Mattermost keeps in a recovery or verification token's `extra`.
#[derive(Serialize, Deserialize)]
struct ForUser {
    #[serde(rename = "UserId")]
    user_id: String,
    #[serde(rename = "Email")]
    email: String,
}

fn words<'a>(user: &'a User, site: &'a str) -> Words<'a> {
    Words {
        locale: &user.locale,
        site,
    }
}

/// `POST /users/password/reset/send`: emails a reset link to the account with `email`. An
/// unknown address is no error, so the answer does not tell who has an account.
pub async fn send_password_reset(app: &App, email: &str) -> AppResult<()> {
    let Some(user) = users_store::get_by_email(&app.store, &email.to_lowercase()).await? else {
        return Ok(());
    };
    if !user.auth_data.is_empty() || !user.auth_service.is_empty() {
        return Err(EmailError::SendResetSso.into());
    }
    if !outbox::enabled(app) {
        return Ok(());
    }
    // A new link replaces the user's earlier ones.
    let needle = format!("\"UserId\":\"{}\"", user.id);
    utmost_store::tokens::delete_of_kind_containing(&app.store, PASSWORD_RECOVERY, &needle).await?;
    let token = links::create(
        app,
        PASSWORD_RECOVERY,
        &ForUser {
            user_id: user.id.clone(),
            email: user.email.clone(),
        },
    )
    .await?;
    let config = app.config();
    let site = site_url(&config);
    let link = format!("{site}/reset_password_complete?token={token}");
    let name = &config.team_settings.site_name;
    let email = words(&user, name).simple("reset", &[], Some(&link));
    outbox::enqueue(app, &user.email, email).await
}

/// `POST /users/password/reset`: sets the password of the token's user and uses the token
/// up; the user's sessions end (`TerminateSessionsOnPasswordChange`) and they are told.
pub async fn reset_password(app: &App, token: &str, new_password: &str) -> AppResult<()> {
    let found: Found<ForUser> = links::find(app, token)
        .await?
        .ok_or(EmailError::ResetLinkInvalid)?;
    if found.kind != PASSWORD_RECOVERY {
        return Err(EmailError::ResetTokenBroken.into());
    }
    if found.expired(RECOVERY_EXPIRY_MS) {
        return Err(EmailError::ResetLinkExpired.into());
    }
    let extra = found.extra.as_ref().ok_or(EmailError::ResetLinkInvalid)?;
    let user = crate::users::get(app, &extra.user_id).await?;
    if user.email != extra.email {
        return Err(EmailError::ResetLinkExpired.into());
    }
    if !user.auth_data.is_empty() || !user.auth_service.is_empty() {
        return Err(EmailError::ResetSso.into());
    }
    let config = app.config();
    crate::passwords::check_policy(new_password, &config.password_settings)?;
    // Checked before the token is used, so a refused password leaves the link working.
    if !found.take(app).await? {
        return Err(EmailError::ResetLinkInvalid.into());
    }
    let hash = app.passwords.hash(new_password).await?;
    users_store::update_password(&app.store, &user.id, &hash, now_millis()).await?;
    app.publish(Event::UserCredentialsChanged {
        user_id: user.id.clone(),
    })
    .await;
    if config
        .service_settings
        .terminate_sessions_on_password_change
    {
        let ended =
            utmost_store::sessions::delete_for_user_except(&app.store, &user.id, "").await?;
        app.publish(Event::SessionsEnded { sessions: ended }).await;
    }
    let name = &config.team_settings.site_name;
    let w = words(&user, name);
    let method = w.get("changed.method.reset", &[]);
    let notice = w.simple("changed", &[("method", &method)], None);
    outbox::enqueue(app, &user.email, notice).await
}

/// `POST /users/email/verify/send`: emails a verification link to the account with `email`.
/// Like Mattermost, every outcome answers the same, so nothing tells who has an account.
pub async fn send_verification(app: &App, email: &str) -> AppResult<()> {
    let Some(user) = users_store::get_by_email(&app.store, &email.to_lowercase()).await? else {
        return Ok(());
    };
    if let Err(e) = send_verification_to(app, &user).await {
        tracing::warn!(user_id = %user.id, error = %e, "could not send the verification email");
    }
    Ok(())
}

/// Emails `user` a link that verifies their address.
pub async fn send_verification_to(app: &App, user: &User) -> AppResult<()> {
    if !outbox::enabled(app) {
        return Ok(());
    }
    let token = links::create(
        app,
        VERIFY_EMAIL,
        &ForUser {
            user_id: user.id.clone(),
            email: user.email.clone(),
        },
    )
    .await?;
    let config = app.config();
    let site = site_url(&config);
    let address: String = url::form_urlencoded::byte_serialize(user.email.as_bytes()).collect();
    let link = format!("{site}/do_verify_email?token={token}&email={address}");
    let name = &config.team_settings.site_name;
    let email = words(user, name).simple("verify", &[("email", &user.email)], Some(&link));
    outbox::enqueue(app, &user.email, email).await
}

/// `POST /users/email/verify`: marks the token's address verified (and the user's address,
/// when the token was for a new one) and uses the token up.
pub async fn verify_email(app: &App, token: &str) -> AppResult<()> {
    let found: Found<ForUser> = links::find(app, token)
        .await?
        .ok_or(EmailError::VerifyLinkBad)?;
    if found.kind != VERIFY_EMAIL {
        return Err(EmailError::VerifyTokenBroken.into());
    }
    if found.expired(RECOVERY_EXPIRY_MS) {
        return Err(EmailError::VerifyLinkExpired.into());
    }
    let extra = found.extra.as_ref().ok_or(EmailError::VerifyLinkBad)?;
    let user = crate::users::get(app, &extra.user_id).await?;
    if !found.take(app).await? {
        return Err(EmailError::VerifyLinkBad.into());
    }
    let email = extra.email.to_lowercase();
    let now = now_millis();
    users_store::verify_email(&app.store, &user.id, &email, now).await?;
    app.publish(Event::UserUpdated {
        user: User {
            email,
            email_verified: true,
            update_at: now,
            ..user
        },
    })
    .await;
    Ok(())
}
