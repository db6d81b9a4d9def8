//! The health checks `/system/ping?get_server_status=true` adds to Mattermost's database and
//! file store: the search index, the SMTP server and the push proxy. Each runs only when the
//! feature it checks is in use (`None` otherwise) and is bounded by [`CHECK_BOUND`], so a
//! dead server makes the ping slower by that much at most.

use crate::search::Engine;
use crate::App;
use std::time::Duration;

/// How long one check may take.
pub const CHECK_BOUND: Duration = Duration::from_secs(3);

async fn bounded<F>(what: &str, check: F) -> bool
where
    F: std::future::Future<Output = Result<(), String>>,
{
    match tokio::time::timeout(CHECK_BOUND, check).await {
        Ok(Ok(())) => true,
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "{what} health check failed");
            false
        }
        Err(_) => {
            tracing::warn!(bound = ?CHECK_BOUND, "{what} health check timed out");
            false
        }
    }
}

/// The search index can be read: tantivy's index (posts and files) opens its last commit.
/// PostgreSQL full text is the database, which `database_status` covers.
pub async fn search_healthy(app: &App) -> Option<bool> {
    if app.search.engine != Engine::Tantivy {
        return None;
    }
    let posts = app.search.written.clone()?;
    let files = app.search.files.clone();
    let read = async move {
        tokio::task::spawn_blocking(move || -> Result<(), String> {
            posts.watermark().map_err(|e| e.to_string())?;
            if let Some(files) = files {
                files.files_watermark().map_err(|e| e.to_string())?;
            }
            Ok(())
        })
        .await
        .map_err(|e| e.to_string())?
    };
    Some(bounded("search index", read).await)
}

/// The SMTP server takes a connection (TLS and AUTH as configured) and answers `NOOP`, when
/// the server sends email (`SendEmailNotifications` or `RequireEmailVerification`).
pub async fn smtp_healthy(app: &App) -> Option<bool> {
    let config = app.config();
    let email = &config.email_settings;
    if !email.send_email_notifications && !email.require_email_verification {
        return None;
    }
    let check = async { crate::email::smtp::check(email).await.map_err(|e| e.0) };
    Some(bounded("SMTP", check).await)
}

/// The push proxy answers HTTP, when push notifications are on.
pub async fn push_healthy(app: &App) -> Option<bool> {
    let config = app.config();
    let email = &config.email_settings;
    if !email.send_push_notifications || email.push_notification_server.trim().is_empty() {
        return None;
    }
    Some(bounded("push proxy", app.push.reachable(app, CHECK_BOUND)).await)
}
