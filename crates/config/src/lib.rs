//! Utmost's configuration: Mattermost's `config.json` sections and key names, loaded in layers
//! (compiled defaults < JSON file < `MM_<SECTION>_<KEY>` env < command line) with the source of
//! every value recorded.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::Path;

use serde::{Deserialize, Serialize};

pub mod access;
mod error;
mod load;
pub mod persist;
mod sections;
#[cfg(test)]
mod tests;
mod validity;

pub use error::ConfigError;
pub use load::{LoadOptions, Loaded, Source};
pub use sections::*;
pub use validity::Invalid;

/// What Mattermost puts in place of a secret when it shows the config (`model.FakeSetting`).
/// Clients send it back unchanged to mean "keep the stored value".
pub const FAKE_SETTING: &str = "********************************";

/// The whole configuration, serialised exactly as Mattermost's `config.json`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct Config {
    pub service_settings: ServiceSettings,
    pub team_settings: TeamSettings,
    pub sql_settings: SqlSettings,
    pub file_settings: FileSettings,
    pub password_settings: PasswordSettings,
    pub privacy_settings: PrivacySettings,
    pub rate_limit_settings: RateLimitSettings,
    pub log_settings: LogSettings,
    pub email_settings: EmailSettings,
    pub support_settings: SupportSettings,
    pub guest_accounts_settings: GuestAccountsSettings,
    pub localization_settings: LocalizationSettings,
    pub metrics_settings: MetricsSettings,
    pub cluster_settings: ClusterSettings,
    pub cache_settings: CacheSettings,
    pub experimental_settings: ExperimentalSettings,
    pub display_settings: DisplaySettings,
    pub announcement_settings: AnnouncementSettings,
    pub elasticsearch_settings: ElasticsearchSettings,
    pub bleve_settings: BleveSettings,
    pub image_proxy_settings: ImageProxySettings,
    pub data_retention_settings: DataRetentionSettings,
    pub compliance_settings: ComplianceSettings,
    pub message_export_settings: MessageExportSettings,
    pub import_settings: ImportSettings,
    pub export_settings: ExportSettings,
    pub ldap_settings: LdapSettings,
    pub saml_settings: SamlSettings,
    /// The directory of the config file it was loaded from (set by `Config::load`), where
    /// Mattermost's "config files" (the SAML certificates) live; see [`Config::files_dir`].
    #[serde(skip)]
    pub loaded_from_dir: Option<std::path::PathBuf>,
    #[serde(rename = "GitLabSettings")]
    pub gitlab_settings: GitLabSettings,
    pub google_settings: GoogleSettings,
    pub office365_settings: Office365Settings,
    pub open_id_settings: OpenIdSettings,
    pub native_app_settings: NativeAppSettings,
    pub experimental_audit_settings: ExperimentalAuditSettings,
    pub plugin_settings: PluginSettings,
}

impl Config {
    /// Where the config's own files (SAML certificates) are kept: the config file's directory
    /// or, for a config built without a file, `FileSettings.Directory`.
    pub fn files_dir(&self) -> std::path::PathBuf {
        match &self.loaded_from_dir {
            Some(dir) => dir.clone(),
            None => Path::new(&self.file_settings.directory).to_path_buf(),
        }
    }

    /// Effective SQLite path or PostgreSQL URL. For sqlite an empty `DataSource` means
    /// `<FileSettings.Directory>/utmost.db`, so data and uploads live together by default.
    pub fn database_url(&self) -> String {
        let sql = &self.sql_settings;
        if sql.driver_name == "sqlite" && sql.data_source.is_empty() {
            Path::new(&self.file_settings.directory)
                .join("utmost.db")
                .to_string_lossy()
                .into_owned()
        } else {
            sql.data_source.clone()
        }
    }

    /// `ServiceSettings.ListenAddress` as a socket address: `":8065"` → `0.0.0.0:8065`.
    pub fn listen_socket_addr(&self) -> Result<SocketAddr, ConfigError> {
        parse_listen_address(&self.service_settings.listen_address).map_err(|reason| {
            ConfigError::Invalid {
                key: "ServiceSettings.ListenAddress",
                reason,
            }
        })
    }

    /// Where `Forward80To443`'s redirect listens: `Forward80To443ListenAddress`, or port 80 on
    /// `ListenAddress`'s host (Mattermost's `net.JoinHostPort(host, "http")`).
    pub fn forward80_socket_addr(&self) -> Result<SocketAddr, ConfigError> {
        let s = &self.service_settings;
        let (key, address) = if s.forward80_to443_listen_address.is_empty() {
            let host = s
                .listen_address
                .rsplit_once(':')
                .map_or("", |(host, _)| host);
            ("ServiceSettings.ListenAddress", format!("{host}:80"))
        } else {
            (
                "ServiceSettings.Forward80To443ListenAddress",
                s.forward80_to443_listen_address.clone(),
            )
        };
        parse_listen_address(&address).map_err(|reason| ConfigError::Invalid { key, reason })
    }

    /// `MetricsSettings.ListenAddress` as a socket address, read like `ListenAddress`.
    pub fn metrics_socket_addr(&self) -> Result<SocketAddr, ConfigError> {
        parse_listen_address(&self.metrics_settings.listen_address).map_err(|reason| {
            ConfigError::Invalid {
                key: "MetricsSettings.ListenAddress",
                reason,
            }
        })
    }

    /// The config as JSON with secrets replaced by [`FAKE_SETTING`], for showing to admins and
    /// in logs. Empty secrets stay empty so "not set" remains visible.
    pub fn to_sanitized_json(&self) -> serde_json::Value {
        let mut c = self.clone();
        let hide = |s: &mut String| {
            if !s.is_empty() {
                *s = FAKE_SETTING.to_owned();
            }
        };
        // DataSource strings carry database credentials.
        hide(&mut c.sql_settings.data_source);
        c.sql_settings
            .data_source_replicas
            .iter_mut()
            .for_each(hide);
        c.sql_settings
            .data_source_search_replicas
            .iter_mut()
            .for_each(hide);
        c.sql_settings
            .replica_lag_settings
            .iter_mut()
            .for_each(|lag| hide(&mut lag.data_source));
        hide(&mut c.file_settings.amazon_s3_secret_access_key);
        hide(&mut c.file_settings.public_link_salt);
        hide(&mut c.email_settings.smtp_password);
        hide(&mut c.cache_settings.redis_password);
        hide(&mut c.sql_settings.at_rest_encrypt_key);
        hide(&mut c.ldap_settings.bind_password);
        hide(&mut c.gitlab_settings.secret);
        hide(&mut c.google_settings.secret);
        hide(&mut c.office365_settings.secret);
        hide(&mut c.open_id_settings.secret);
        // Plain structs of strings, integers and booleans always serialise.
        serde_json::to_value(c).unwrap_or_default()
    }

    /// Checks values the types alone cannot: enumerations, ranges and settings that only make
    /// sense together.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let s = &self.service_settings;
        let sql = &self.sql_settings;
        let files = &self.file_settings;
        let cluster = self.cluster_settings.enable;
        let one_of = |value: &str, allowed: &[&str]| allowed.contains(&value);

        check(
            one_of(&sql.driver_name, &["sqlite", "postgres"]),
            "SqlSettings.DriverName",
            "must be \"sqlite\" or \"postgres\"",
        )?;
        check(
            sql.driver_name != "postgres" || !sql.data_source.is_empty(),
            "SqlSettings.DataSource",
            "must be set when DriverName is \"postgres\"",
        )?;
        check(
            !cluster || sql.driver_name == "postgres",
            "ClusterSettings.Enable",
            "a cluster requires SqlSettings.DriverName \"postgres\"",
        )?;
        check(
            !cluster || self.cache_settings.cache_type == "redis",
            "ClusterSettings.Enable",
            "a cluster requires CacheSettings.CacheType \"redis\"",
        )?;
        check(
            one_of(&self.cache_settings.cache_type, &["lru", "redis"]),
            "CacheSettings.CacheType",
            "must be \"lru\" or \"redis\"",
        )?;
        check(
            self.cache_settings.cache_type != "redis"
                || !self.cache_settings.redis_address.is_empty(),
            "CacheSettings.RedisAddress",
            "must be set when CacheType is \"redis\"",
        )?;
        check(
            one_of(&files.driver_name, &["local", "amazons3"]),
            "FileSettings.DriverName",
            "must be \"local\" or \"amazons3\"",
        )?;
        check(
            files.driver_name != "amazons3" || !files.amazon_s3_bucket.is_empty(),
            "FileSettings.AmazonS3Bucket",
            "must be set when DriverName is \"amazons3\"",
        )?;
        check(
            files.max_file_size > 0,
            "FileSettings.MaxFileSize",
            "must be positive",
        )?;
        check(
            (5..=72).contains(&self.password_settings.minimum_length),
            "PasswordSettings.MinimumLength",
            "must be between 5 and 72",
        )?;
        check(
            s.site_url.is_empty()
                || s.site_url.starts_with("http://")
                || s.site_url.starts_with("https://"),
            "ServiceSettings.SiteURL",
            "must start with http:// or https://",
        )?;
        check(
            sql.at_rest_encrypt_key.is_empty() || sql.at_rest_encrypt_key.chars().count() >= 32,
            "SqlSettings.AtRestEncryptKey",
            "must be at least 32 characters",
        )?;
        check(
            !s.enable_multifactor_authentication || !sql.at_rest_encrypt_key.is_empty(),
            "SqlSettings.AtRestEncryptKey",
            "must be set when ServiceSettings.EnableMultifactorAuthentication is on (MFA \
             secrets are stored sealed with it)",
        )?;
        check(
            one_of(
                &self.experimental_settings.client_side_cert_check,
                &["primary", "secondary"],
            ),
            "ExperimentalSettings.ClientSideCertCheck",
            "must be \"primary\" or \"secondary\"",
        )?;
        for entry in &s.trusted_proxy_addresses {
            check(
                entry.parse::<ipnet::IpNet>().is_ok() || entry.parse::<std::net::IpAddr>().is_ok(),
                "ServiceSettings.TrustedProxyAddresses",
                "must hold IP addresses or CIDR ranges",
            )?;
        }
        if s.forward80_to443 && s.connection_security == "TLS" {
            self.forward80_socket_addr()?;
        }
        self.listen_socket_addr()?;
        if self.metrics_settings.enable {
            self.metrics_socket_addr()?;
        }
        for (key, hours) in [
            (
                "ServiceSettings.SessionLengthWebInHours",
                s.session_length_web_in_hours,
            ),
            (
                "ServiceSettings.SessionLengthMobileInHours",
                s.session_length_mobile_in_hours,
            ),
            (
                "ServiceSettings.SessionLengthSSOInHours",
                s.session_length_sso_in_hours,
            ),
        ] {
            check(hours > 0, key, "must be positive")?;
        }
        check(
            s.maximum_login_attempts > 0,
            "ServiceSettings.MaximumLoginAttempts",
            "must be positive",
        )?;
        check(
            one_of(
                &s.collapsed_threads,
                &["disabled", "default_on", "default_off", "always_on"],
            ),
            "ServiceSettings.CollapsedThreads",
            "must be disabled, default_on, default_off or always_on",
        )?;
        check(
            one_of(
                &self.team_settings.restrict_direct_message,
                &["any", "team"],
            ),
            "TeamSettings.RestrictDirectMessage",
            "must be \"any\" or \"team\"",
        )?;
        check(
            one_of(
                &self.team_settings.teammate_name_display,
                &["username", "nickname_full_name", "full_name"],
            ),
            "TeamSettings.TeammateNameDisplay",
            "must be username, nickname_full_name or full_name",
        )?;
        check(
            self.team_settings.max_users_per_team > 0,
            "TeamSettings.MaxUsersPerTeam",
            "must be positive",
        )?;
        // Mattermost's own couplings: batching builds links from SiteURL and keeps its queue
        // in one process's memory.
        let batching = self.email_settings.enable_email_batching;
        check(
            !batching || !s.site_url.is_empty(),
            "EmailSettings.EnableEmailBatching",
            "requires ServiceSettings.SiteURL",
        )?;
        check(
            !batching || !cluster,
            "EmailSettings.EnableEmailBatching",
            "cannot be used with ClusterSettings.Enable",
        )?;
        let retention = &self.data_retention_settings;
        check(
            retention.deletion_job_start().is_some(),
            "DataRetentionSettings.DeletionJobStartTime",
            "must be HH:MM",
        )?;
        check(
            retention.batch_size > 0,
            "DataRetentionSettings.BatchSize",
            "must be positive",
        )?;
        self.ldap_settings.validate()?;
        self.saml_settings.validate()?;
        self.gitlab_settings.validate()?;
        self.google_settings.validate()?;
        self.office365_settings.validate()?;
        self.open_id_settings.validate()?;
        Ok(())
    }
}

/// Every secret setting (those [`Config::to_sanitized_json`] masks, the replicas aside), in
/// one fixed order, so two configs' lists pair up.
pub(crate) fn secret_fields(c: &mut Config) -> [&mut String; 11] {
    [
        &mut c.sql_settings.data_source,
        &mut c.file_settings.amazon_s3_secret_access_key,
        &mut c.file_settings.public_link_salt,
        &mut c.email_settings.smtp_password,
        &mut c.cache_settings.redis_password,
        &mut c.sql_settings.at_rest_encrypt_key,
        &mut c.ldap_settings.bind_password,
        &mut c.gitlab_settings.secret,
        &mut c.google_settings.secret,
        &mut c.office365_settings.secret,
        &mut c.open_id_settings.secret,
    ]
}

fn check(ok: bool, key: &'static str, reason: &str) -> Result<(), ConfigError> {
    if ok {
        Ok(())
    } else {
        Err(ConfigError::Invalid {
            key,
            reason: reason.to_owned(),
        })
    }
}

/// Reads Go-style listen addresses: an empty host means every interface, `localhost` the
/// loopback; otherwise the host must be an IP literal (no DNS lookups while loading config).
fn parse_listen_address(addr: &str) -> Result<SocketAddr, String> {
    let (host, port) = addr
        .rsplit_once(':')
        .ok_or_else(|| format!("{addr:?} is not host:port or :port"))?;
    let port: u16 = port
        .parse()
        .map_err(|_| format!("{addr:?} has no valid port"))?;
    let ip = match host {
        "" => IpAddr::V4(Ipv4Addr::UNSPECIFIED),
        "localhost" => IpAddr::V4(Ipv4Addr::LOCALHOST),
        host => host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse()
            .map_err(|_| format!("{addr:?}: host must be an IP address or localhost"))?,
    };
    Ok(SocketAddr::new(ip, port))
}
