//! The checks that reach a service: each bounded by `PROBE_TIMEOUT`, so an unreachable
//! host costs the report seconds, not minutes.

use super::Finding;
use crate::App;
use std::future::Future;
use std::time::Duration;
use utmost_config::Config;
use utmost_model::time::now_millis;
use utmost_store::DbKind;

const PROBE_TIMEOUT: Duration = Duration::from_secs(10);
/// Mattermost's oldest supported PostgreSQL major version.
const MIN_POSTGRES: u32 = 15;
/// A search index further behind the `posts` table than this is not caught up.
const INDEX_LAG_MS: i64 = 5 * 60_000;
/// A certificate expiring sooner than this gets a warning.
const CERT_WARN_MS: i64 = 30 * 86_400_000;
/// A backup older than this is not recent (daily backups, with a day's slack).
const BACKUP_AGE_MS: i64 = 48 * 3_600_000;

pub(super) async fn check(app: &App, config: &Config) -> Vec<Finding> {
    vec![
        tls(config).await,
        smtp(config).await,
        push(app, config).await,
        file_store(app, config).await,
        database(app).await,
        replicas(app, config).await,
        search_index(app).await,
        backups(app).await,
    ]
}

/// `probe` within the timeout, its error (or the timeout) as text.
async fn bounded<T, E: std::fmt::Display>(
    probe: impl Future<Output = Result<T, E>>,
) -> Result<T, String> {
    match tokio::time::timeout(PROBE_TIMEOUT, probe).await {
        Ok(result) => result.map_err(|e| e.to_string()),
        Err(_) => Err(format!("no answer within {} s", PROBE_TIMEOUT.as_secs())),
    }
}

async fn tls(config: &Config) -> Finding {
    const CHECK: &str = "TLS";
    let s = &config.service_settings;
    if s.connection_security != "TLS" {
        return if s.site_url.starts_with("https://") {
            Finding::pass(
                CHECK,
                "TLS_AT_PROXY",
                "TLS ends at the proxy in front of Utmost (SiteURL is https)",
            )
        } else {
            Finding::warn(CHECK, "TLS_OFF", "neither Utmost nor (by its SiteURL) a proxy in front of it serves HTTPS")
                .fix("Set ServiceSettings.ConnectionSecurity=TLS with TLSCertFile and TLSKeyFile, or terminate TLS at a proxy (docs/tls.md)")
        };
    }
    let file = s.tls_cert_file.clone();
    match tokio::fs::read(&file)
        .await
        .map_err(|e| e.to_string())
        .and_then(|pem| not_after(&pem))
    {
        Err(why) => Finding::fail(CHECK, "TLS_CERT_UNREADABLE", format!("{file}: {why}"))
            .fix("Point ServiceSettings.TLSCertFile at the PEM certificate (chain) of the server"),
        Ok(expiry) => {
            let left = expiry - now_millis();
            let days = left / 86_400_000;
            if left <= 0 {
                Finding::fail(
                    CHECK,
                    "TLS_CERT_EXPIRED",
                    format!(
                        "{file} expired {} days ago: clients refuse the connection",
                        -days
                    ),
                )
                .fix("Renew the certificate; the server takes the new files without a restart")
            } else if left < CERT_WARN_MS {
                Finding::warn(CHECK, "TLS_CERT_EXPIRING", format!("{file} expires in {days} days"))
                    .fix("Renew the certificate (certbot or cert-manager); the server takes the new files without a restart")
            } else {
                Finding::pass(
                    CHECK,
                    "TLS_OK",
                    format!("{file} is valid for {days} more days"),
                )
            }
        }
    }
}

/// When the first certificate of a PEM file expires (milliseconds since the epoch).
fn not_after(pem: &[u8]) -> Result<i64, String> {
    let (_, pem) = x509_parser::pem::parse_x509_pem(pem).map_err(|e| e.to_string())?;
    let cert = pem.parse_x509().map_err(|e| e.to_string())?;
    Ok(cert.validity().not_after.timestamp() * 1000)
}

/// Mattermost's test email to `user_id`, sent straight to the SMTP server: the check by a
/// real message (`utmost doctor --test-email USER`).
pub(super) async fn test_email(app: &App, config: &Config, user_id: &str) -> Finding {
    const CHECK: &str = "SMTP test email";
    let settings = config.email_settings.clone();
    match bounded(crate::email::test_email::send(app, user_id, settings)).await {
        Ok(()) => Finding::pass(
            CHECK,
            "SMTP_TEST_SENT",
            "the SMTP server accepted a test email",
        ),
        Err(why) => Finding::fail(CHECK, "SMTP_TEST_FAILED", why)
            .fix("Check the EmailSettings SMTP settings and the recipient's address"),
    }
}

async fn smtp(config: &Config) -> Finding {
    const CHECK: &str = "SMTP";
    let e = &config.email_settings;
    if !e.send_email_notifications {
        return Finding::warn(CHECK, "EMAIL_OFF", "EmailSettings.SendEmailNotifications is off: users miss mentions while away")
            .fix("Set EmailSettings.SendEmailNotifications and the SMTP server settings; check with `POST /api/v4/email/test`");
    }
    let server = format!("{}:{}", e.smtp_server, e.smtp_port);
    match bounded(crate::email::smtp::check(e)).await {
        Ok(()) => Finding::pass(CHECK, "SMTP_OK", format!("{server} accepts connections")),
        Err(why) => Finding::fail(CHECK, "SMTP_UNREACHABLE", format!("{server}: {why}"))
            .fix("Check EmailSettings.SMTPServer, SMTPPort, ConnectionSecurity and the credentials, and that this host may reach the server"),
    }
}

async fn push(app: &App, config: &Config) -> Finding {
    const CHECK: &str = "Push notifications";
    let e = &config.email_settings;
    if !e.send_push_notifications {
        return Finding::warn(
            CHECK,
            "PUSH_OFF",
            "EmailSettings.SendPushNotifications is off: mobile users get no notifications",
        )
        .fix("Set EmailSettings.SendPushNotifications and PushNotificationServer");
    }
    let server = e.push_notification_server.trim();
    if server.is_empty() {
        return Finding::fail(
            CHECK,
            "PUSH_SERVER_MISSING",
            "push notifications are on, with no PushNotificationServer",
        )
        .fix("Set EmailSettings.PushNotificationServer to your push proxy");
    }
    match bounded(app.push.reachable(app, PROBE_TIMEOUT)).await {
        Ok(()) => Finding::pass(CHECK, "PUSH_OK", format!("{server} answers HTTP")),
        Err(why) => Finding::fail(CHECK, "PUSH_UNREACHABLE", format!("{server}: {why}"))
            .fix("Check EmailSettings.PushNotificationServer and that this host may reach it"),
    }
}

async fn file_store(app: &App, config: &Config) -> Finding {
    const CHECK: &str = "File store";
    let driver = app.files.store.driver();
    if config.cluster_settings.enable && driver == "local" {
        return Finding::fail(
            CHECK,
            "FILES_LOCAL_IN_CLUSTER",
            "several nodes keep files in a local directory: each node sees only its own uploads",
        )
        .fix("Use an S3-compatible store (FileSettings.DriverName=amazons3) for a cluster");
    }
    match bounded(crate::system::filestore_check(app)).await {
        Ok(()) => Finding::pass(CHECK, "FILES_OK", format!("{driver}: a probe file was written, read back and deleted")),
        Err(why) => Finding::fail(CHECK, "FILES_UNWRITABLE", format!("{driver}: {why}"))
            .fix("Check FileSettings.Directory's permissions, or the S3 bucket, endpoint and credentials"),
    }
}

async fn database(app: &App) -> Finding {
    const CHECK: &str = "Database";
    if let Err(why) = bounded(app.store.health_check()).await {
        return Finding::fail(CHECK, "DB_UNWRITABLE", why)
            .fix("Check SqlSettings.DataSource and the database server");
    }
    match app.store.kind() {
        DbKind::Sqlite => Finding::pass(
            CHECK,
            "DB_OK",
            "SQLite, writable (one node; move to PostgreSQL to add nodes)",
        ),
        DbKind::Postgres => {
            match bounded(utmost_store::backup::postgres_major_version(&app.store)).await {
                Ok(Some(major)) if major < MIN_POSTGRES => Finding::warn(
                    CHECK,
                    "DB_POSTGRES_UNSUPPORTED",
                    format!("PostgreSQL {major}: {MIN_POSTGRES} or newer is supported"),
                )
                .fix(format!("Upgrade PostgreSQL to {MIN_POSTGRES} or newer")),
                Ok(Some(major)) => {
                    Finding::pass(CHECK, "DB_OK", format!("PostgreSQL {major}, writable"))
                }
                Ok(None) => Finding::warn(
                    CHECK,
                    "DB_VERSION_UNKNOWN",
                    "the PostgreSQL version could not be read",
                ),
                Err(why) => Finding::fail(CHECK, "DB_VERSION_UNKNOWN", why),
            }
        }
    }
}

async fn replicas(app: &App, config: &Config) -> Finding {
    const CHECK: &str = "Read replicas";
    let configured = config.sql_settings.data_source_replicas.len()
        + config.sql_settings.data_source_search_replicas.len();
    if configured == 0 {
        return Finding::pass(
            CHECK,
            "REPLICAS_NONE",
            "no read replicas configured: every read goes to the primary",
        );
    }
    let checked = bounded(app.store.check_replicas(PROBE_TIMEOUT)).await;
    let health = match checked {
        Ok(health) => health,
        Err(why) => return Finding::fail(CHECK, "REPLICAS_UNCHECKED", why),
    };
    let out: Vec<String> = health
        .iter()
        .filter(|r| !r.healthy)
        .map(|r| format!("{} ({})", r.name, r.reason))
        .collect();
    if out.is_empty() {
        Finding::pass(
            CHECK,
            "REPLICAS_OK",
            format!("{} replica(s) in rotation", health.len()),
        )
    } else if out.len() == health.len() {
        Finding::fail(CHECK, "REPLICAS_DOWN", format!("none in rotation: {}", out.join("; ")))
            .fix("Every read goes to the primary meanwhile: check the replicas' replication and SqlSettings.ReplicaLagSettings")
    } else {
        Finding::warn(
            CHECK,
            "REPLICAS_LAGGING",
            format!("out of rotation: {}", out.join("; ")),
        )
        .fix("Check those replicas' replication")
    }
}

async fn search_index(app: &App) -> Finding {
    const CHECK: &str = "Search index";
    match bounded(app.search_index_lag()).await {
        Ok(None) => Finding::pass(
            CHECK,
            "SEARCH_DATABASE",
            "posts are searched in the database itself (PostgreSQL full text)",
        ),
        Ok(Some(lag)) if lag <= INDEX_LAG_MS => Finding::pass(
            CHECK,
            "SEARCH_OK",
            format!(
                "the index is caught up ({} s behind the newest post)",
                lag / 1000
            ),
        ),
        Ok(Some(lag)) => Finding::warn(
            CHECK,
            "SEARCH_BEHIND",
            format!("the index is {} min behind the newest post", lag / 60_000),
        )
        .fix(
            "Wait for the indexer to catch up, or start a reindexing job (`utmost search reindex`)",
        ),
        Err(why) => Finding::fail(CHECK, "SEARCH_UNREADABLE", why)
            .fix("Rebuild the index (`utmost search reindex`)"),
    }
}

async fn backups(app: &App) -> Finding {
    const CHECK: &str = "Backups";
    match bounded(crate::backup::last_taken(&app.store)).await {
        Ok(Some(last)) if now_millis() - last.created_at <= BACKUP_AGE_MS => Finding::pass(
            CHECK,
            "BACKUP_RECENT",
            format!(
                "the last backup, {}, is {} h old",
                last.path,
                (now_millis() - last.created_at) / 3_600_000
            ),
        ),
        Ok(Some(last)) => Finding::warn(
            CHECK,
            "BACKUP_OLD",
            format!(
                "the last backup, {}, is {} days old",
                last.path,
                (now_millis() - last.created_at) / 86_400_000
            ),
        )
        .fix("Back up at least daily (`utmost backup <dir>`, docs/backup.md)"),
        Ok(None) => Finding::fail(
            CHECK,
            "BACKUP_NONE",
            "no backup of this database was ever taken",
        )
        .fix("Take one with `utmost backup <dir>` and schedule it daily (docs/backup.md)"),
        Err(why) => Finding::fail(CHECK, "BACKUP_UNKNOWN", why),
    }
}
