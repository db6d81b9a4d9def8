//! One email to the SMTP server of `EmailSettings`, with lettre: plain, implicit TLS
//! (`ConnectionSecurity` "TLS") or STARTTLS, optional AUTH, each connection bounded by
//! `SMTPServerTimeout`.

use super::templates::Rendered;
use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;
use utmost_config::EmailSettings;

/// Why an email was not accepted, in words for the log and the test email's error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendError(pub String);

impl std::fmt::Display for SendError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn failed(e: impl std::fmt::Display) -> SendError {
    SendError(e.to_string())
}

/// Sends `email` to `to` and waits for the server's answer.
pub async fn send(settings: &EmailSettings, to: &str, email: &Rendered) -> Result<(), SendError> {
    let message = build(settings, to, email)?;
    transport(settings)?
        .send(message)
        .await
        .map(|_| ())
        .map_err(failed)
}

/// Connects to the SMTP server as a send would (TLS, AUTH) and asks it for a `NOOP`: the
/// health check of `/system/ping?get_server_status=true`.
pub async fn check(settings: &EmailSettings) -> Result<(), SendError> {
    match transport(settings)?.test_connection().await {
        Ok(true) => Ok(()),
        Ok(false) => Err(SendError("the SMTP server refused NOOP".into())),
        Err(e) => Err(failed(e)),
    }
}

/// The message: From `FeedbackName <FeedbackEmail>`, an optional Reply-To, and the HTML and
/// plain-text parts as multipart/alternative.
fn build(settings: &EmailSettings, to: &str, email: &Rendered) -> Result<Message, SendError> {
    let from_name = Some(settings.feedback_name.clone()).filter(|n| !n.is_empty());
    let from = Mailbox::new(from_name, settings.feedback_email.parse().map_err(failed)?);
    let mut builder = Message::builder()
        .from(from)
        .to(to.parse::<Mailbox>().map_err(failed)?)
        .subject(email.subject.clone())
        // Mattermost marks its mail as machine-sent, so auto-responders stay quiet.
        .raw_header(HeaderValue::new(
            HeaderName::new_from_ascii_str("Auto-Submitted"),
            "auto-generated".into(),
        ))
        .raw_header(HeaderValue::new(
            HeaderName::new_from_ascii_str("Precedence"),
            "bulk".into(),
        ));
    if !settings.reply_to_address.is_empty() {
        builder = builder.reply_to(settings.reply_to_address.parse().map_err(failed)?);
    }
    builder
        .multipart(MultiPart::alternative_plain_html(
            email.text.clone(),
            email.html.clone(),
        ))
        .map_err(failed)
}

fn transport(settings: &EmailSettings) -> Result<AsyncSmtpTransport<Tokio1Executor>, SendError> {
    let server = settings.smtp_server.trim();
    let port: u16 = settings
        .smtp_port
        .trim()
        .parse()
        .map_err(|_| SendError(format!("invalid SMTP port {:?}", settings.smtp_port)))?;
    let tls = match settings.connection_security.as_str() {
        "TLS" => Tls::Wrapper(tls_parameters(settings, server)?),
        "STARTTLS" => Tls::Required(tls_parameters(settings, server)?),
        _ => Tls::None,
    };
    let seconds = u64::try_from(settings.smtp_server_timeout)
        .unwrap_or(10)
        .max(1);
    let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(server)
        .port(port)
        .tls(tls)
        .timeout(Some(Duration::from_secs(seconds)));
    if settings.enable_smtp_auth {
        builder = builder.credentials(Credentials::new(
            settings.smtp_username.clone(),
            settings.smtp_password.clone(),
        ));
    }
    Ok(builder.build())
}

fn tls_parameters(settings: &EmailSettings, server: &str) -> Result<TlsParameters, SendError> {
    let skip = settings.skip_server_certificate_verification;
    TlsParameters::builder(server.to_string())
        .dangerous_accept_invalid_certs(skip)
        .dangerous_accept_invalid_hostnames(skip)
        .build_rustls()
        .map_err(failed)
}
