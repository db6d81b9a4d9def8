//! A custom command's call (`tryExecuteCustomCommand`, `DoCommandRequest`): Mattermost's
//! form fields, as a POST form or on a GET's query, with `Authorization: Token …`, through
//! `outgoing::exchange` (so internal addresses stay refused unless allowed). The answer is
//! JSON when its media type says so, else its body is the text.

use super::registry::CommandCall;
use super::{hooks, CommandError};
use crate::{App, AppResult};
use std::time::Duration;
use utmost_model::channel::Channel;
use utmost_model::command::{Command, CommandResponse, METHOD_GET};
use utmost_model::AppError;

/// `MaxIntegrationResponseSize`.
const MAX_RESPONSE: usize = 1024 * 1024;

/// `OutgoingIntegrationRequestsTimeout`.
pub(crate) fn timeout(app: &App) -> Duration {
    let seconds = app
        .config()
        .service_settings
        .outgoing_integration_requests_timeout;
    Duration::from_secs(u64::try_from(seconds).unwrap_or(30).max(1))
}

/// Calls `command` for `call` in `channel` with `message`, and reads its response.
pub async fn call(
    app: &App,
    command: &Command,
    call: &CommandCall,
    channel: &Channel,
    message: &str,
) -> AppResult<CommandResponse> {
    let failed = || CommandError::Failed(command.trigger.clone());
    let team = crate::teams::get(app, &call.team_id).await?;
    let user = crate::users::get(app, call.user_id()).await?;
    let site_url = app.config().service_settings.site_url.clone();
    if site_url.is_empty() {
        return Err(CommandError::SiteUrlRequired.into());
    }
    let hook = hooks::create(app, &command.id, call).await?;
    let fields = [
        ("token", command.token.as_str()),
        ("team_id", &command.team_id),
        ("team_domain", &team.name),
        ("channel_id", &call.channel_id),
        ("channel_name", &channel.name),
        ("user_id", call.user_id()),
        ("user_name", &user.username),
        ("command", &format!("/{}", command.trigger)),
        ("text", message),
        ("trigger_id", &call.trigger_id),
        ("root_id", &call.root_id),
        (
            "response_url",
            &format!("{}/hooks/commands/{}", site_url.trim_end_matches('/'), hook),
        ),
    ];
    let form = encode(&fields);
    let builder = if command.method == METHOD_GET {
        let separator = if command.url.contains('?') { '&' } else { '?' };
        http::Request::get(format!("{}{separator}{form}", command.url))
    } else {
        http::Request::post(command.url.as_str()).header(
            http::header::CONTENT_TYPE,
            "application/x-www-form-urlencoded",
        )
    };
    let body = if command.method == METHOD_GET {
        Vec::new()
    } else {
        form.into_bytes()
    };
    let request = builder
        .header(http::header::ACCEPT, "application/json")
        .header(
            http::header::AUTHORIZATION,
            format!("Token {}", command.token),
        )
        .body(body)
        .map_err(|_| failed())?;
    let response = crate::outgoing::exchange(app, request, timeout(app), MAX_RESPONSE)
        .await
        .map_err(|e| {
            tracing::info!(command_id = %command.id, error = %e, "custom slash command not called");
            AppError::from(failed()).with_detail(e.to_string())
        })?;
    if response.status() != http::StatusCode::OK {
        let status = response.status().as_u16();
        let body = String::from_utf8_lossy(response.body()).into_owned();
        return Err(AppError::from(CommandError::FailedResponse {
            trigger: command.trigger.clone(),
            status,
        })
        .with_detail(body));
    }
    let content_type = response
        .headers()
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    CommandResponse::from_http_body(content_type, response.body()).ok_or_else(|| failed().into())
}

/// The fields as `application/x-www-form-urlencoded` text.
fn encode(fields: &[(&str, &str)]) -> String {
    let mut form = url::form_urlencoded::Serializer::new(String::new());
    for (name, value) in fields {
        form.append_pair(name, value);
    }
    form.finish()
}
