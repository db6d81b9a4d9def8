//! Mattermost's `Config.IsValid` (`model/config.go`): the first invalid setting, with the
//! error id Mattermost gives it, for the config API's 400. Mattermost's checks of the settings
//! Utmost has come first, in its order; then Utmost's own (`Config::validate`), each under
//! Mattermost's id where Mattermost checks the same thing.

use crate::{Config, ConfigError};

/// An invalid setting: Mattermost's error id, the setting, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invalid {
    pub id: String,
    pub key: String,
    pub reason: String,
}

impl std::fmt::Display for Invalid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "invalid setting {}: {}", self.key, self.reason)
    }
}

/// `model.config.is_valid.<name>.app_error`.
fn id(name: &str) -> String {
    format!("model.config.is_valid.{name}.app_error")
}

struct Checks(Result<(), Invalid>);

impl Checks {
    fn check(&mut self, ok: bool, name: &str, key: &str, reason: &str) {
        if self.0.is_ok() && !ok {
            self.0 = Err(Invalid {
                id: id(name),
                key: key.to_owned(),
                reason: reason.to_owned(),
            });
        }
    }
}

/// Mattermost's `url.ParseRequestURI` followed by its http(s) check, closely enough: a
/// scheme, a host and no blanks.
fn http_url(value: &str) -> bool {
    let rest = value
        .strip_prefix("http://")
        .or_else(|| value.strip_prefix("https://"));
    match rest {
        Some(rest) => {
            let host = rest.split(['/', '?', '#']).next().unwrap_or("");
            !host.is_empty() && !value.chars().any(char::is_whitespace)
        }
        None => false,
    }
}

fn websocket_url(value: &str) -> bool {
    ["ws://", "wss://"].iter().any(|scheme| {
        value
            .strip_prefix(scheme)
            .is_some_and(|rest| !rest.is_empty())
    }) && !value.chars().any(char::is_whitespace)
}

/// Go's `net.SplitHostPort` and the host/port checks of `ServiceSettings.isValid`.
fn listen_address(value: &str) -> bool {
    let Some((host, port)) = value.rsplit_once(':') else {
        return false;
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let host_ok = host.is_empty()
        || host.parse::<std::net::IpAddr>().is_ok()
        || host.split('.').all(|label| {
            !label.is_empty() && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
    host_ok && port.parse::<u16>().is_ok()
}

impl Config {
    /// The first setting Mattermost (or Utmost) would refuse, with its error id.
    pub fn is_valid(&self) -> Result<(), Invalid> {
        let mut c = Checks(Ok(()));
        let s = &self.service_settings;
        let team = &self.team_settings;
        let sql = &self.sql_settings;
        let files = &self.file_settings;
        let email = &self.email_settings;
        let rate = &self.rate_limit_settings;
        let locale = &self.localization_settings;

        // ServiceSettings.isValid
        c.check(
            s.site_url.is_empty() || http_url(&s.site_url),
            "site_url",
            "ServiceSettings.SiteURL",
            "must be a valid URL starting with http:// or https://",
        );
        c.check(
            s.websocket_url.is_empty() || websocket_url(&s.websocket_url),
            "websocket_url",
            "ServiceSettings.WebsocketURL",
            "must be a valid URL starting with ws:// or wss://",
        );
        c.check(
            listen_address(&s.listen_address),
            "listen_address",
            "ServiceSettings.ListenAddress",
            "must be host:port or :port",
        );
        c.check(
            s.maximum_login_attempts > 0,
            "login_attempts",
            "ServiceSettings.MaximumLoginAttempts",
            "must be greater than zero",
        );
        c.check(
            ["", "TLS"].contains(&s.connection_security.as_str()),
            "webserver_security",
            "ServiceSettings.ConnectionSecurity",
            "must be \"\" or \"TLS\"",
        );
        let tls = s.connection_security == "TLS";
        let present = |f: &str| !f.is_empty() && std::path::Path::new(f).exists();
        c.check(
            !tls || present(&s.tls_cert_file),
            "tls_cert_file",
            "ServiceSettings.TLSCertFile",
            "must name an existing file when ConnectionSecurity is \"TLS\"",
        );
        c.check(
            !tls || present(&s.tls_key_file),
            "tls_key_file",
            "ServiceSettings.TLSKeyFile",
            "must name an existing file when ConnectionSecurity is \"TLS\"",
        );
        c.check(
            s.read_timeout > 0,
            "read_timeout",
            "ServiceSettings.ReadTimeout",
            "must be greater than zero",
        );
        c.check(
            s.write_timeout > 0,
            "write_timeout",
            "ServiceSettings.WriteTimeout",
            "must be greater than zero",
        );
        c.check(
            s.time_between_user_typing_updates_milliseconds >= 1000,
            "time_between_user_typing",
            "ServiceSettings.TimeBetweenUserTypingUpdatesMilliseconds",
            "must be at least 1000",
        );
        c.check(
            s.maximum_payload_size_bytes > 0,
            "max_payload_size",
            "ServiceSettings.MaximumPayloadSizeBytes",
            "must be greater than zero",
        );
        c.check(
            s.maximum_url_length > 0,
            "max_url_length",
            "ServiceSettings.MaximumURLLength",
            "must be greater than zero",
        );
        c.check(
            ["disabled", "default_on", "default_off", "always_on"]
                .contains(&s.collapsed_threads.as_str()),
            "collapsed_threads",
            "ServiceSettings.CollapsedThreads",
            "must be disabled, default_on, default_off or always_on",
        );
        // TeamSettings.isValid
        c.check(
            team.max_users_per_team > 0,
            "max_users",
            "TeamSettings.MaxUsersPerTeam",
            "must be greater than zero",
        );
        c.check(
            team.max_channels_per_team > 0,
            "max_channels",
            "TeamSettings.MaxChannelsPerTeam",
            "must be greater than zero",
        );
        c.check(
            team.max_notifications_per_channel > 0,
            "max_notify_per_channel",
            "TeamSettings.MaxNotificationsPerChannel",
            "must be greater than zero",
        );
        c.check(
            ["any", "team"].contains(&team.restrict_direct_message.as_str()),
            "restrict_direct_message",
            "TeamSettings.RestrictDirectMessage",
            "must be \"any\" or \"team\"",
        );
        c.check(
            ["username", "nickname_full_name", "full_name"]
                .contains(&team.teammate_name_display.as_str()),
            "teammate_name_display",
            "TeamSettings.TeammateNameDisplay",
            "must be username, nickname_full_name or full_name",
        );
        c.check(
            team.site_name.chars().count() <= 30,
            "sitename_length",
            "TeamSettings.SiteName",
            "must be at most 30 characters",
        );
        // SqlSettings.isValid
        c.check(
            sql.at_rest_encrypt_key.is_empty() || sql.at_rest_encrypt_key.chars().count() >= 32,
            "encrypt_sql",
            "SqlSettings.AtRestEncryptKey",
            "must be at least 32 characters",
        );
        c.check(
            ["sqlite", "postgres"].contains(&sql.driver_name.as_str()),
            "sql_driver",
            "SqlSettings.DriverName",
            "must be \"sqlite\" or \"postgres\"",
        );
        c.check(
            sql.max_idle_conns > 0,
            "sql_idle",
            "SqlSettings.MaxIdleConns",
            "must be greater than zero",
        );
        c.check(
            sql.conn_max_lifetime_milliseconds >= 0,
            "sql_conn_max_lifetime_milliseconds",
            "SqlSettings.ConnMaxLifetimeMilliseconds",
            "must not be negative",
        );
        c.check(
            sql.query_timeout > 0,
            "sql_query_timeout",
            "SqlSettings.QueryTimeout",
            "must be greater than zero",
        );
        c.check(
            sql.driver_name != "postgres" || !sql.data_source.is_empty(),
            "sql_data_src",
            "SqlSettings.DataSource",
            "must be set when DriverName is \"postgres\"",
        );
        c.check(
            sql.max_open_conns > 0,
            "sql_max_conn",
            "SqlSettings.MaxOpenConns",
            "must be greater than zero",
        );
        // FileSettings.isValid
        c.check(
            files.max_file_size > 0,
            "max_file_size",
            "FileSettings.MaxFileSize",
            "must be greater than zero",
        );
        c.check(
            ["local", "amazons3"].contains(&files.driver_name.as_str()),
            "file_driver",
            "FileSettings.DriverName",
            "must be \"local\" or \"amazons3\"",
        );
        c.check(
            files.public_link_salt.is_empty() || files.public_link_salt.chars().count() >= 32,
            "file_salt",
            "FileSettings.PublicLinkSalt",
            "must be at least 32 characters",
        );
        c.check(
            !files.directory.is_empty(),
            "directory",
            "FileSettings.Directory",
            "must be set",
        );
        // EmailSettings.isValid
        c.check(
            ["", "TLS", "STARTTLS", "PLAIN"].contains(&email.connection_security.as_str()),
            "email_security",
            "EmailSettings.ConnectionSecurity",
            "must be \"\", TLS or STARTTLS",
        );
        c.check(
            ["full", "generic"].contains(&email.email_notification_contents_type.as_str()),
            "email_notification_contents_type",
            "EmailSettings.EmailNotificationContentsType",
            "must be full or generic",
        );
        c.check(
            email.email_batching_buffer_size > 0,
            "email_batching_buffer_size",
            "EmailSettings.EmailBatchingBufferSize",
            "must be greater than zero",
        );
        c.check(
            email.email_batching_interval >= 30,
            "email_batching_interval",
            "EmailSettings.EmailBatchingInterval",
            "must be at least 30 seconds",
        );
        // RateLimitSettings.isValid
        c.check(
            rate.memory_store_size > 0,
            "rate_mem",
            "RateLimitSettings.MemoryStoreSize",
            "must be greater than zero",
        );
        c.check(
            rate.per_sec > 0,
            "rate_sec",
            "RateLimitSettings.PerSec",
            "must be greater than zero",
        );
        c.check(
            rate.max_burst > 0,
            "max_burst",
            "RateLimitSettings.MaxBurst",
            "must be greater than zero",
        );
        // PasswordSettings.isValid
        c.check(
            (5..=72).contains(&self.password_settings.minimum_length),
            "password_length",
            "PasswordSettings.MinimumLength",
            "must be between 5 and 72",
        );
        // LocalizationSettings.isValid
        c.check(
            locale.available_locales.is_empty()
                || locale
                    .available_locales
                    .split(',')
                    .any(|l| l.trim() == locale.default_client_locale),
            "localization.available_locales",
            "LocalizationSettings.AvailableLocales",
            "must include DefaultClientLocale",
        );
        // Config.IsValid's couplings
        c.check(
            !email.enable_email_batching || !s.site_url.is_empty(),
            "site_url_email_batching",
            "EmailSettings.EnableEmailBatching",
            "requires ServiceSettings.SiteURL",
        );
        c.check(
            !email.enable_email_batching || !self.cluster_settings.enable,
            "cluster_email_batching",
            "EmailSettings.EnableEmailBatching",
            "cannot be used with ClusterSettings.Enable",
        );
        c.check(
            self.import_settings.retention_days >= 0,
            "import.retention_days_too_low",
            "ImportSettings.RetentionDays",
            "must not be negative",
        );
        c.check(
            self.export_settings.retention_days >= 0,
            "export.retention_days_too_low",
            "ExportSettings.RetentionDays",
            "must not be negative",
        );
        c.0?;
        self.validate().map_err(|e| match e {
            ConfigError::Invalid { key, reason } => Invalid {
                id: id(mattermost_name(key)),
                key: key.to_owned(),
                reason,
            },
            other => Invalid {
                id: id("config"),
                key: String::new(),
                reason: other.to_string(),
            },
        })
    }
}

/// The name in Mattermost's error id for a setting `Config::validate` refuses.
fn mattermost_name(key: &str) -> &'static str {
    match key {
        "SqlSettings.DriverName" => "sql_driver",
        "SqlSettings.DataSource" => "sql_data_src",
        "SqlSettings.AtRestEncryptKey" => "encrypt_sql",
        "ClusterSettings.Enable" => "cluster",
        "CacheSettings.CacheType" => "cache_type",
        "CacheSettings.RedisAddress" => "empty_redis_address",
        "FileSettings.DriverName" => "file_driver",
        "FileSettings.AmazonS3Bucket" => "amazons3_bucket",
        "FileSettings.MaxFileSize" => "max_file_size",
        "PasswordSettings.MinimumLength" => "password_length",
        "ServiceSettings.SiteURL" => "site_url",
        "ServiceSettings.ListenAddress" => "listen_address",
        "MetricsSettings.ListenAddress" => "metrics_listen_address",
        "ServiceSettings.SessionLengthWebInHours"
        | "ServiceSettings.SessionLengthMobileInHours"
        | "ServiceSettings.SessionLengthSSOInHours" => "session_length",
        "ServiceSettings.MaximumLoginAttempts" => "login_attempts",
        "ServiceSettings.CollapsedThreads" => "collapsed_threads",
        "TeamSettings.RestrictDirectMessage" => "restrict_direct_message",
        "TeamSettings.TeammateNameDisplay" => "teammate_name_display",
        "TeamSettings.MaxUsersPerTeam" => "max_users",
        "EmailSettings.EnableEmailBatching" => "cluster_email_batching",
        "DataRetentionSettings.DeletionJobStartTime" => "data_retention.deletion_job_start_time",
        "DataRetentionSettings.BatchSize" => "data_retention.batch_size",
        "LdapSettings.ConnectionSecurity" => "ldap_security",
        "LdapSettings.LdapServer" => "ldap_server",
        "LdapSettings.BaseDN" => "ldap_basedn",
        "LdapSettings.IdAttribute" => "ldap_id",
        "LdapSettings.UsernameAttribute" => "ldap_username",
        "LdapSettings.EmailAttribute" => "ldap_email",
        "LdapSettings.SyncIntervalMinutes" => "ldap_sync_interval",
        "SamlSettings.IdpURL" => "saml_idp_url",
        "SamlSettings.IdpDescriptorURL" => "saml_idp_descriptor_url",
        "SamlSettings.ServiceProviderIdentifier" => "saml_spidentifier_attribute",
        "SamlSettings.EmailAttribute" => "saml_email_attribute",
        "SamlSettings.UsernameAttribute" => "saml_username_attribute",
        "SamlSettings.AssertionConsumerServiceURL" => "saml_assertion_consumer_service_url",
        "SamlSettings.SignatureAlgorithm" => "saml_signature_algorithm",
        "SamlSettings.CanonicalAlgorithm" => "saml_canonical_algorithm",
        "SamlSettings.GuestAttribute" => "saml_guest_attribute",
        "SamlSettings.AdminAttribute" => "saml_admin_attribute",
        key if key.ends_with(".Id") || key.ends_with("Endpoint") => "sso_settings",
        _ => "config",
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_defaults_are_valid() {
        Config::default().is_valid().unwrap();
    }

    #[test]
    fn each_refusal_carries_mattermosts_id() {
        type Change = fn(&mut Config);
        let cases: Vec<(Change, &str)> = vec![
            (
                |c| c.service_settings.site_url = "not a url".into(),
                "model.config.is_valid.site_url.app_error",
            ),
            (
                |c| c.service_settings.listen_address = "nowhere".into(),
                "model.config.is_valid.listen_address.app_error",
            ),
            (
                |c| c.file_settings.max_file_size = 0,
                "model.config.is_valid.max_file_size.app_error",
            ),
            (
                |c| c.password_settings.minimum_length = 3,
                "model.config.is_valid.password_length.app_error",
            ),
            (
                |c| c.team_settings.max_users_per_team = 0,
                "model.config.is_valid.max_users.app_error",
            ),
            (
                |c| c.rate_limit_settings.per_sec = 0,
                "model.config.is_valid.rate_sec.app_error",
            ),
            (
                |c| c.team_settings.site_name = "x".repeat(31),
                "model.config.is_valid.sitename_length.app_error",
            ),
            (
                |c| c.data_retention_settings.deletion_job_start_time = "25:00".into(),
                "model.config.is_valid.data_retention.deletion_job_start_time.app_error",
            ),
        ];
        for (change, expected) in cases {
            let mut config = Config::default();
            change(&mut config);
            assert_eq!(config.is_valid().unwrap_err().id, expected);
        }
    }

    #[test]
    fn tls_and_proxy_settings_are_checked() {
        let refused = |change: fn(&mut Config)| {
            let mut c = Config::default();
            change(&mut c);
            c.is_valid().unwrap_err()
        };
        assert_eq!(
            refused(|c| c.service_settings.connection_security = "SSL".into()).id,
            "model.config.is_valid.webserver_security.app_error"
        );
        assert_eq!(
            refused(|c| c.service_settings.connection_security = "TLS".into()).id,
            "model.config.is_valid.tls_cert_file.app_error"
        );
        assert_eq!(
            refused(|c| {
                c.service_settings.connection_security = "TLS".into();
                // A file that exists: the key is still missing.
                c.service_settings.tls_cert_file = "Cargo.toml".into();
                c.service_settings.tls_key_file = "/nonexistent/key.pem".into();
            })
            .id,
            "model.config.is_valid.tls_key_file.app_error"
        );
        let invalid =
            refused(|c| c.experimental_settings.client_side_cert_check = "tertiary".into());
        assert_eq!(invalid.key, "ExperimentalSettings.ClientSideCertCheck");
        let invalid =
            refused(|c| c.service_settings.trusted_proxy_addresses = vec!["10.0.0.0/33".into()]);
        assert_eq!(invalid.key, "ServiceSettings.TrustedProxyAddresses");
        let mut ok = Config::default();
        ok.service_settings.trusted_proxy_addresses = vec!["10.0.0.0/8".into(), "::1".into()];
        ok.is_valid().unwrap();
    }
}
