//! `/me`, `/shrug`, `/code` answer with a post in the channel; `/echo` posts the message as
//! the user, after an optional delay (`command_echo.go`).

use super::super::registry::CommandCall;
use crate::{App, AppResult};
use serde_json::Value;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use utmost_model::command::CommandResponse;
use utmost_model::post::Post;

/// `PostTypeMe`.
const POST_TYPE_ME: &str = "me";
/// Echoes waiting at once (Mattermost's `maxThreads`).
const MAX_ECHOES: usize = 100;
/// The longest delay, in seconds.
const MAX_DELAY: u64 = 10_000;
static ECHOES: AtomicUsize = AtomicUsize::new(0);

pub fn me(message: &str) -> CommandResponse {
    let mut response = CommandResponse::in_channel(format!("*{message}*"));
    response.post_type = POST_TYPE_ME.into();
    response.props = Some(
        [("message".to_string(), Value::String(message.into()))]
            .into_iter()
            .collect(),
    );
    response
}

pub fn shrug(message: &str) -> CommandResponse {
    let shrug = "¯\\\\\\_(ツ)\\_/¯";
    CommandResponse::in_channel(if message.is_empty() {
        shrug.to_string()
    } else {
        format!("{message} {shrug}")
    })
}

pub fn code(message: &str) -> CommandResponse {
    if message.is_empty() {
        return CommandResponse::ephemeral("A message must be provided with the /code command.");
    }
    let mut response = CommandResponse::in_channel(format!(
        "    {}",
        message.split('\n').collect::<Vec<_>>().join("\n    ")
    ));
    response.skip_slack_parsing = true;
    response
}

/// `"message" delay` or `message delay`: the message and the delay in seconds.
fn parse_echo(message: &str) -> (String, u64) {
    if let (Some(rest), Some(end)) = (message.strip_prefix('"'), message.rfind('"')) {
        if end > 1 {
            let delay = message[end..].trim_matches([' ', '"']).parse().unwrap_or(0);
            return (rest[..end - 1].to_string(), delay);
        }
    }
    if let Some(space) = message.rfind(' ') {
        if let Ok(delay) = message[space..].trim().parse() {
            return (message[..space].to_string(), delay);
        }
    }
    (message.to_string(), 0)
}

pub fn echo(app: &Arc<App>, call: &CommandCall, message: &str) -> AppResult<CommandResponse> {
    if message.is_empty() {
        return Ok(CommandResponse::ephemeral(
            "A message must be provided with the /echo command.",
        ));
    }
    let (text, delay) = parse_echo(message);
    if delay > MAX_DELAY {
        return Ok(CommandResponse::ephemeral(
            "Delays must be under 10000 seconds.",
        ));
    }
    if ECHOES.fetch_add(1, Ordering::SeqCst) >= MAX_ECHOES {
        ECHOES.fetch_sub(1, Ordering::SeqCst);
        return Ok(CommandResponse::ephemeral(
            "High volume, cannot process request",
        ));
    }
    let post = Post {
        channel_id: call.channel_id.clone(),
        root_id: call.root_id.clone(),
        user_id: call.user_id().to_string(),
        message: text,
        ..Post::default()
    };
    let (app, session) = (Arc::clone(app), call.session.clone());
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_secs(delay)).await;
        if let Err(e) = crate::posts::create_as_user(&app, &session, post).await {
            tracing::warn!(error = %e.message, "an /echo was not posted");
        }
        ECHOES.fetch_sub(1, Ordering::SeqCst);
    });
    Ok(CommandResponse::default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn echo_takes_a_quoted_message_and_a_trailing_delay() {
        assert_eq!(parse_echo("\"hi there\" 5"), ("hi there".into(), 5));
        assert_eq!(parse_echo("hi there 3"), ("hi there".into(), 3));
        assert_eq!(parse_echo("hi there"), ("hi there".into(), 0));
    }

    #[test]
    fn code_indents_every_line() {
        assert_eq!(code("a\nb").text, "    a\n    b");
        assert_eq!(shrug("so").text, "so ¯\\\\\\_(ツ)\\_/¯");
    }
}
