//! `/expand` and `/collapse` (`command_expand_collapse.go`): the user's
//! `display_settings`/`collapse_previews` preference.

use super::super::registry::CommandCall;
use crate::{App, AppResult};
use utmost_model::command::CommandResponse;
use utmost_model::preference::Preference;

pub async fn set(app: &App, call: &CommandCall, collapse: bool) -> AppResult<CommandResponse> {
    let preference = Preference {
        user_id: call.user_id().to_string(),
        category: "display_settings".into(),
        name: "collapse_previews".into(),
        value: collapse.to_string(),
    };
    crate::preferences::update(app, &call.session, call.user_id(), vec![preference]).await?;
    Ok(CommandResponse::ephemeral(if collapse {
        "Image links now collapse by default"
    } else {
        "Image links now expand by default"
    }))
}
