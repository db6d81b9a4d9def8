//! The account a provider's user signs in as (Mattermost's `LoginByOAuth` and
//! `CreateOAuthUser`): the one the service knows by its id; else the password account with
//! the same address, linked only when the provider verified that address; else a new account,
//! under the sign-up rules (EnableUserCreation, RestrictCreationToDomains).

use super::profiles::ProviderUser;
use super::Service;
use crate::bus::Event;
use crate::errors::{LoginError, OAuthError, SignupError, UserError};
use crate::{App, AppResult};
use utmost_model::now_millis;
use utmost_model::user::User;
use utmost_store::users as store;

/// Names tried for a new account before giving up (`name`, `name0`, `name1`, …).
const USERNAME_TRIES: usize = 20;

pub(super) async fn sign_in(app: &App, service: Service, found: ProviderUser) -> AppResult<User> {
    if let Some(user) = store::get_by_auth(&app.store, service.name(), &found.auth_data).await? {
        return usable(user);
    }
    if found.email.is_empty() {
        return Err(OAuthError::UserApi("the provider gave no email address".into()).into());
    }
    if let Some(user) = store::get_by_email(&app.store, &found.email).await? {
        return link(app, service, usable(user)?, &found).await;
    }
    create(app, service, found).await
}

/// Deactivated accounts and bots do not sign in.
fn usable(user: User) -> AppResult<User> {
    if user.delete_at > 0 {
        return Err(LoginError::Deactivated.into());
    }
    if user.is_bot {
        return Err(OAuthError::Bot.into());
    }
    Ok(user)
}

/// Moves a password account with the provider's verified address to the service.
async fn link(app: &App, service: Service, user: User, found: &ProviderUser) -> AppResult<User> {
    let attached = |auth: &str| OAuthError::AlreadyAttached {
        service: service.name().to_owned(),
        auth: auth.to_owned(),
    };
    if !user.auth_service.is_empty() {
        return Err(attached(&user.auth_service).into());
    }
    if !found.email_verified {
        return Err(crate::AppError::from(attached("email"))
            .with_detail("the provider did not verify the address, so it is not linked"));
    }
    let now = now_millis();
    store::set_auth(&app.store, &user.id, service.name(), &found.auth_data, now).await?;
    app.publish(Event::UserCredentialsChanged {
        user_id: user.id.clone(),
    })
    .await;
    tracing::info!(user_id = %user.id, service = service.name(), "account linked by verified email");
    Ok(User {
        auth_service: service.name().to_owned(),
        auth_data: found.auth_data.clone(),
        password: String::new(),
        update_at: now,
        ..user
    })
}

async fn create(app: &App, service: Service, found: ProviderUser) -> AppResult<User> {
    let config = app.config();
    if !config.team_settings.enable_user_creation {
        return Err(UserError::CreationDisabled.into());
    }
    if !crate::teams::email_in_domains(
        &found.email,
        &config.team_settings.restrict_creation_to_domains,
    ) {
        return Err(SignupError::AcceptedDomain.into());
    }
    let username = free_username(app, &found.username).await?;
    let input = User {
        username,
        email: found.email,
        first_name: found.first_name,
        last_name: found.last_name,
        nickname: found.nickname,
        auth_service: service.name().to_owned(),
        auth_data: found.auth_data,
        ..User::default()
    };
    crate::users::create_external(app, input).await
}

/// `wanted`, or the first of `wanted0`, `wanted1`, … that no account has.
async fn free_username(app: &App, wanted: &str) -> AppResult<String> {
    let candidates = std::iter::once(wanted.to_owned())
        .chain((0..USERNAME_TRIES).map(|n| format!("{wanted}{n}")));
    for name in candidates {
        if store::get_by_username(&app.store, &name).await?.is_none() {
            return Ok(name);
        }
    }
    Err(UserError::UsernameTaken.into())
}
