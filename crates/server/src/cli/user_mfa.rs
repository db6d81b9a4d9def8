//! `utmost user mfa …`: an admin's way back in for a user who lost their authenticator.

use super::local::{app_error, Local};
use clap::Subcommand;
use utmost_app::users::{self, mfa};
use utmost_model::user::User;

#[derive(Debug, Subcommand)]
pub enum MfaCommand {
    /// Turn a user's MFA off and forget their secret; they set it up again at next login
    /// (Mattermost's `mmctl user resetmfa`).
    Reset {
        /// Username, e-mail or id.
        user: String,
    },
}

/// Runs the command; returns the user as it is afterwards.
pub async fn run(local: &Local, command: MfaCommand) -> anyhow::Result<User> {
    match command {
        MfaCommand::Reset { user } => {
            let user = local.user(&user).await?;
            mfa::deactivate(&local.app, &user.id)
                .await
                .map_err(app_error)?;
            users::get(&local.app, &user.id).await.map_err(app_error)
        }
    }
}
