//! Accounts another service vouches for (AD/LDAP): created without a password, with the
//! address verified, on the first sign-in through that service.

use super::{save_default_preferences, taken, validate_email, validate_profile, validate_username};
use crate::bus::Event;
use crate::{App, AppResult};
use utmost_model::roles::SYSTEM_USER;
use utmost_model::user::User;
use utmost_model::{new_id, now_millis};
use utmost_store::users as store;

/// Creates `input` (its profile, roles, `auth_service` and `auth_data`) as a new account.
pub(crate) async fn create_external(app: &App, input: User) -> AppResult<User> {
    let config = app.config();
    let now = now_millis();
    let user = User {
        id: new_id(),
        create_at: now,
        update_at: now,
        delete_at: 0,
        password: String::new(),
        email_verified: true,
        locale: config.localization_settings.default_client_locale.clone(),
        notify_props: User::default_notify_props(&input.first_name),
        timezone: User::default_timezone(),
        roles: if input.roles.is_empty() {
            SYSTEM_USER.to_string()
        } else {
            input.roles.clone()
        },
        last_password_update: now,
        ..input
    };
    validate_username(&user.username)?;
    validate_email(&user.email)?;
    validate_profile(&user)?;
    store::insert(&app.store, &user).await.map_err(taken)?;
    save_default_preferences(app, &user.id).await?;
    app.publish(Event::UserCreated {
        user_id: user.id.clone(),
    })
    .await;
    Ok(user)
}
