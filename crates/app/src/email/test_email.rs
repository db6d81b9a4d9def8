//! `POST /email/test` (Mattermost's `TestEmail`): one email to the admin, straight to the
//! SMTP server of the given settings (not through the outbox: the answer is the point).

use super::templates::Words;
use crate::errors::EmailError;
use crate::{App, AppResult};
use utmost_config::{EmailSettings, FAKE_SETTING};

/// Sends the test email to `user_id` with `settings` (the saved ones when the client sent
/// none). A masked password stands for the saved one only while server, port and username
/// are the saved ones.
pub async fn send(app: &App, user_id: &str, mut settings: EmailSettings) -> AppResult<()> {
    if settings.smtp_server.trim().is_empty() {
        return Err(EmailError::TestNoServer.into());
    }
    let config = app.config();
    let saved = &config.email_settings;
    if settings.smtp_password == FAKE_SETTING {
        let same = settings.smtp_server == saved.smtp_server
            && settings.smtp_port == saved.smtp_port
            && settings.smtp_username == saved.smtp_username;
        if !same {
            return Err(EmailError::TestReenterPassword.into());
        }
        settings.smtp_password = saved.smtp_password.clone();
    }
    let user = crate::users::get(app, user_id).await?;
    let words = Words {
        locale: &user.locale,
        site: &config.team_settings.site_name,
    };
    let email = words.simple("test", &[], None);
    super::smtp::send(&settings, &user.email, &email)
        .await
        .map_err(|e| EmailError::TestFailed(e.0).into())
}
