//! `/logout` (`command_logout.go`): the session that ran it is revoked and the client
//! sent to the login page.

use super::super::registry::CommandCall;
use crate::{App, AppResult};
use utmost_model::command::CommandResponse;

pub async fn logout(app: &App, call: &CommandCall) -> AppResult<CommandResponse> {
    if call.session.id.is_empty()
        || crate::sessions::revoke(app, &call.session.id)
            .await
            .is_err()
    {
        return Ok(CommandResponse::ephemeral("Unable to log out."));
    }
    Ok(CommandResponse::goto("/login"))
}
