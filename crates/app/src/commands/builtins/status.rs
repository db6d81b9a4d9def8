//! `/away`, `/online`, `/dnd`, `/offline` (`command_away.go` …) set the user's status;
//! `/status` (`command_custom_status.go`) sets or clears their custom status.

use super::super::registry::CommandCall;
use crate::status::CustomStatus;
use crate::{App, AppResult};
use utmost_model::command::CommandResponse;

pub async fn set(app: &App, call: &CommandCall, status: &str) -> AppResult<CommandResponse> {
    crate::status::set_manual(app, call.user_id(), status, 0).await?;
    Ok(CommandResponse::ephemeral(match status {
        "away" => "You are now away",
        "online" => "You are now online",
        "dnd" => "Do Not Disturb is enabled. You will not receive desktop or mobile push notifications until Do Not Disturb is turned off.",
        _ => "You are now offline",
    }))
}

/// `/status clear`, or `/status [:emoji:] text`.
pub async fn custom(app: &App, call: &CommandCall, message: &str) -> AppResult<CommandResponse> {
    if !app.config().team_settings.enable_custom_user_statuses {
        return Ok(CommandResponse::ephemeral("Custom statuses are disabled."));
    }
    if message.is_empty() {
        return Ok(CommandResponse::ephemeral(
            "Please provide a status message, or use /status clear.",
        ));
    }
    if message.eq_ignore_ascii_case("clear") {
        crate::status::clear_custom(app, call.user_id()).await?;
        return Ok(CommandResponse::ephemeral("Your status was cleared."));
    }
    let status = parse(message);
    let shown = format!(":{}: {}", status.emoji, status.text);
    match crate::status::set_custom(app, call.user_id(), status).await {
        Ok(()) => Ok(CommandResponse::ephemeral(format!(
            "Your status is set to “{}”. You can change your status from the status popover in the channel sidebar header.",
            shown.trim()
        ))),
        Err(e) => Ok(CommandResponse::ephemeral(e.message)),
    }
}

/// `GetCustomStatus`'s parsing: a leading `:emoji:` is the emoji, the rest the text;
/// without one the emoji is `speech_balloon`.
fn parse(message: &str) -> CustomStatus {
    let (emoji, text) = match message.strip_prefix(':').and_then(|m| m.split_once(':')) {
        Some((emoji, rest)) if !emoji.is_empty() && !emoji.contains(' ') => {
            (emoji.to_string(), rest.trim().to_string())
        }
        _ => ("speech_balloon".to_string(), message.to_string()),
    };
    CustomStatus {
        emoji,
        text,
        ..CustomStatus::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_leading_emoji_is_split_from_the_text() {
        let s = parse(":coffee: Out for coffee");
        assert_eq!(
            (s.emoji.as_str(), s.text.as_str()),
            ("coffee", "Out for coffee")
        );
        let s = parse("Busy");
        assert_eq!(
            (s.emoji.as_str(), s.text.as_str()),
            ("speech_balloon", "Busy")
        );
    }
}
