//! `/help` opens the help link; `/search`, `/settings` and `/shortcuts` are the web client's
//! own, and answered to other clients as unsupported, as Mattermost does.

use crate::App;
use utmost_model::command::CommandResponse;

/// `SupportSettingsDefaultHelpLink`.
const DEFAULT_HELP_LINK: &str = "https://mattermost.com/pl/help/";

pub fn answer(app: &App, trigger: &str) -> CommandResponse {
    match trigger {
        "help" => {
            let link = app.config().support_settings.help_link.clone();
            CommandResponse::goto(if link.is_empty() {
                DEFAULT_HELP_LINK.into()
            } else {
                link
            })
        }
        "search" => {
            CommandResponse::ephemeral("The search command is not supported on your device.")
        }
        "settings" => {
            CommandResponse::ephemeral("The settings command is not supported on your device.")
        }
        _ => CommandResponse::ephemeral("The shortcuts command is not supported on your device."),
    }
}
