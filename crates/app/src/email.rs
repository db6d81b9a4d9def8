//! Email (Mattermost's `app/email.go`, `app/email_batching.go`, `app/notification_email.go`):
//! every message is rendered from `templates` (HTML and plain text, strings by locale),
//! written to the outbox (`store::email_outbox`) and sent by the `email outbox` service over
//! SMTP (`smtp`, lettre), which retries with backoff until the server accepts it. Only the
//! test email goes straight to the SMTP server, since its point is the server's answer.
//!
//! - `links`: the one-shot tokens behind reset, verification and invitation links (stored
//!   hashed in `tokens`);
//! - `account`: password reset and email verification;
//! - `invitations`: team invitations by email and sign-up with their token;
//! - `post_notices`: mention and direct-message emails for a post, at once or batched;
//! - `batching`: the digests of batched notices.

pub mod account;
pub mod batching;
pub mod invitations;
pub mod links;
pub mod outbox;
pub mod post_notices;
pub mod smtp;
pub mod templates;
pub mod test_email;

use utmost_config::Config;

/// The site's address for links, without a trailing slash.
pub(crate) fn site_url(config: &Config) -> String {
    config
        .service_settings
        .site_url
        .trim_end_matches('/')
        .to_string()
}
