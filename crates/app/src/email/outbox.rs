//! The outbox: `enqueue` writes an email to `utmost_email_outbox`, and the `email outbox`
//! service sends what is due in bounded batches, deleting each email the SMTP server
//! accepted and putting a refused one off with a growing delay, so an SMTP outage delays
//! mail and loses none. A message holding a reset or verification link holds a working
//! credential only while it waits: it is deleted once sent.

use super::templates::Rendered;
use crate::services::{Run, Service, Stop, Ticks};
use crate::{App, AppResult};
use std::sync::Weak;
use std::time::{Duration, Instant};
use utmost_model::{new_id, now_millis};
use utmost_store::email_outbox::{self as store, OutboxEmail};

/// How often the service looks for due emails.
const POLL: Duration = Duration::from_secs(1);
/// Emails claimed at once; the service claims again while batches come back full.
const BATCH: i64 = 20;
/// How long a claimed email is held from other senders while it is being sent.
const LEASE_MS: i64 = 5 * 60 * 1000;
/// The longest wait between two attempts at one email.
const MAX_BACKOFF_MS: i64 = 5 * 60 * 1000;

/// Writes `email` for `to` to the outbox. Nothing is written while
/// `SendEmailNotifications` is off: like Mattermost's mailer, email is then not sent at all.
pub async fn enqueue(app: &App, to: &str, email: Rendered) -> AppResult<()> {
    enqueue_all(app, vec![(to.to_string(), email)]).await
}

/// Writes each `(to, email)` to the outbox, all in one transaction.
pub async fn enqueue_all(app: &App, emails: Vec<(String, Rendered)>) -> AppResult<()> {
    if !enabled(app) {
        tracing::debug!("email not sent: SendEmailNotifications is off");
        return Ok(());
    }
    let rows: Vec<OutboxEmail> = emails
        .into_iter()
        .map(|(to, email)| outbox_email(&to, email))
        .collect();
    if !rows.is_empty() {
        store::insert(&app.store, &rows).await?;
    }
    Ok(())
}

/// Whether email is sent at all (`SendEmailNotifications`): callers skip making the tokens
/// of emails that would not be sent.
pub fn enabled(app: &App) -> bool {
    app.config().email_settings.send_email_notifications
}

/// An outbox row for `email` to `to`, due now.
pub(crate) fn outbox_email(to: &str, email: Rendered) -> OutboxEmail {
    let now = now_millis();
    OutboxEmail {
        id: new_id(),
        create_at: now,
        due_at: now,
        attempts: 0,
        recipient: to.to_string(),
        subject: email.subject,
        html_body: email.html,
        text_body: email.text,
    }
}

/// The wait before the attempt after `attempts` failed ones: 1 s, doubling, at most 5 min.
fn backoff_ms(attempts: i32) -> i64 {
    let doubled = 1000_i64.saturating_mul(1_i64 << attempts.clamp(0, 20));
    doubled.min(MAX_BACKOFF_MS)
}

/// Sends one batch of due emails; true when the batch was full (more may be due).
async fn send_due(app: &App) -> AppResult<bool> {
    let now = now_millis();
    let due = store::claim_due(&app.store, now, now + LEASE_MS, BATCH).await?;
    let settings = app.config().email_settings.clone();
    for email in &due {
        let rendered = Rendered {
            subject: email.subject.clone(),
            html: email.html_body.clone(),
            text: email.text_body.clone(),
        };
        match super::smtp::send(&settings, &email.recipient, &rendered).await {
            Ok(()) => store::delete(&app.store, &email.id).await?,
            Err(e) => {
                let retry_at = now_millis() + backoff_ms(email.attempts);
                tracing::warn!(email_id = %email.id, attempts = email.attempts + 1,
                    error = %e, "the SMTP server did not take an email; it will be retried");
                store::postpone(&app.store, &email.id, retry_at, &e.0).await?;
            }
        }
    }
    Ok(due.len() as i64 == BATCH)
}

/// The `email outbox` service: every second while `SendEmailNotifications` is on, writes
/// the digests that are due (with `EnableEmailBatching`, at most once per
/// `EmailBatchingInterval`) and sends the due emails. While email is off it reads nothing.
pub(crate) struct OutboxSender {
    pub app: Weak<App>,
}

impl Service for OutboxSender {
    fn name(&self) -> &'static str {
        "email outbox"
    }

    fn run(self: Box<Self>, mut stop: Stop) -> Run {
        Box::pin(async move {
            let mut ticks = Ticks::every(POLL);
            let mut last_digests: Option<Instant> = None;
            while let Some(app) = ticks.next(&mut stop, &self.app).await {
                let settings = app.config().email_settings.clone();
                // Email off: nothing is sent, and what waits stays for when it is back on.
                if !settings.send_email_notifications {
                    continue;
                }
                let interval = Duration::from_secs(
                    u64::try_from(settings.email_batching_interval)
                        .unwrap_or(30)
                        .max(1),
                );
                let digests_due = last_digests.is_none_or(|at| at.elapsed() >= interval);
                if settings.enable_email_batching && digests_due {
                    last_digests = Some(Instant::now());
                    if let Err(e) = super::batching::write_due_digests(&app).await {
                        tracing::error!(error = %e, "writing email digests failed");
                    }
                }
                loop {
                    match send_due(&app).await {
                        Ok(true) if !stop.is_requested() => continue,
                        Ok(_) => break,
                        Err(e) => {
                            tracing::error!(error = %e, "sending emails failed");
                            break;
                        }
                    }
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_backoff_doubles_up_to_five_minutes() {
        assert_eq!(backoff_ms(0), 1000);
        assert_eq!(backoff_ms(1), 2000);
        assert_eq!(backoff_ms(3), 8000);
        assert_eq!(backoff_ms(12), MAX_BACKOFF_MS);
        assert_eq!(backoff_ms(1000), MAX_BACKOFF_MS);
    }
}
