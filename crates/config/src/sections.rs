//! The settings sections, with Mattermost's JSON key names and Utmost's compiled defaults.
//!
//! Field names are snake_case; `rename_all = "PascalCase"` turns them into Mattermost's keys.
//! Mattermost writes acronyms in capitals (`SiteURL`, `SMTPServer`), which PascalCase alone
//! would spell `SiteUrl`, so those keys carry an explicit `rename`.

use serde::{Deserialize, Serialize};

/// Declares one section: the struct, its serde attributes and its `Default` impl, so every
/// key's default sits next to its declaration. `#[serde(default)]` makes keys missing from a
/// file take the default; serde ignores unknown keys because we never deny them.
macro_rules! section {
    (
        $(#[$meta:meta])*
        $name:ident {
            $( $(#[$field_meta:meta])* $field:ident : $ty:ty = $default:expr ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
        #[serde(default, rename_all = "PascalCase")]
        pub struct $name {
            $( $(#[$field_meta])* pub $field: $ty, )*
        }

        impl Default for $name {
            fn default() -> Self {
                Self { $( $field: $default.into(), )* }
            }
        }
    };
}

section! {
    /// The HTTP listener, sessions and feature switches.
    ServiceSettings {
        #[serde(rename = "SiteURL")]
        site_url: String = "",
        #[serde(rename = "WebsocketURL")]
        websocket_url: String = "",
        websocket_port: i64 = 80,
        websocket_secure_port: i64 = 443,
        listen_address: String = ":8065",
        /// "" (plain HTTP) or "TLS": the listener itself speaks HTTPS with the files below.
        connection_security: String = "",
        #[serde(rename = "TLSCertFile")]
        tls_cert_file: String = "",
        #[serde(rename = "TLSKeyFile")]
        tls_key_file: String = "",
        /// "1.2" or "1.3" (rustls has nothing older; Mattermost's "1.0" and "1.1" mean 1.2).
        #[serde(rename = "TLSMinVer")]
        tls_min_ver: String = "1.2",
        #[serde(rename = "TLSStrictTransport")]
        tls_strict_transport: bool = false,
        #[serde(rename = "TLSStrictTransportMaxAge")]
        tls_strict_transport_max_age: i64 = 63072000,
        /// With TLS, also listen on port 80 and redirect every request to https.
        #[serde(rename = "Forward80To443")]
        forward80_to443: bool = false,
        /// Utmost's own: where `Forward80To443`'s redirect listens; empty is port 80 on
        /// `ListenAddress`'s host.
        #[serde(rename = "Forward80To443ListenAddress")]
        forward80_to443_listen_address: String = "",
        /// Headers that carry the client's address (`X-Forwarded-For`, `X-Real-IP`), read
        /// only on connections from `TrustedProxyAddresses`.
        #[serde(rename = "TrustedProxyIPHeader")]
        trusted_proxy_ip_header: Vec<String> = Vec::new(),
        /// Utmost's own: the proxies (addresses or CIDR ranges) whose `TrustedProxyIPHeader`
        /// is believed; from any other peer the headers are ignored.
        trusted_proxy_addresses: Vec<String> = Vec::new(),
        maximum_login_attempts: i64 = 10,
        enable_user_access_tokens: bool = false,
        enable_bot_account_creation: bool = false,
        session_length_web_in_hours: i64 = 720,
        session_length_mobile_in_hours: i64 = 720,
        #[serde(rename = "SessionLengthSSOInHours")]
        session_length_sso_in_hours: i64 = 720,
        session_cache_in_minutes: i64 = 10,
        session_idle_timeout_in_minutes: i64 = 43200,
        extend_session_length_with_activity: bool = true,
        terminate_sessions_on_password_change: bool = true,
        enable_developer: bool = false,
        #[serde(rename = "ExperimentalStrictCSRFEnforcement")]
        experimental_strict_csrf_enforcement: bool = false,
        experimental_enable_hardened_mode: bool = false,
        #[serde(rename = "EnableAPITeamDeletion")]
        enable_api_team_deletion: bool = false,
        #[serde(rename = "EnableAPIUserDeletion")]
        enable_api_user_deletion: bool = false,
        #[serde(rename = "EnableAPIChannelDeletion")]
        enable_api_channel_deletion: bool = false,
        #[serde(rename = "EnableAPIPostDeletion")]
        enable_api_post_deletion: bool = false,
        maximum_payload_size_bytes: i64 = 300000,
        #[serde(rename = "MaximumURLLength")]
        maximum_url_length: i64 = 2048,
        post_edit_time_limit: i64 = -1,
        enable_user_typing_messages: bool = true,
        time_between_user_typing_updates_milliseconds: i64 = 5000,
        enable_channel_viewed_messages: bool = true,
        enable_user_statuses: bool = true,
        collapsed_threads: String = "always_on",
        thread_auto_follow: bool = true,
        enable_custom_emoji: bool = false,
        enable_custom_groups: bool = true,
        enable_emoji_picker: bool = true,
        enable_link_previews: bool = true,
        enable_post_search: bool = true,
        enable_file_search: bool = true,
        enable_permalink_previews: bool = true,
        enable_multifactor_authentication: bool = false,
        enforce_multifactor_authentication: bool = false,
        #[serde(rename = "EnableOAuthServiceProvider")]
        enable_oauth_service_provider: bool = true,
        enable_incoming_webhooks: bool = true,
        enable_outgoing_webhooks: bool = true,
        enable_commands: bool = true,
        enable_post_username_override: bool = false,
        enable_post_icon_override: bool = false,
        /// Seconds an outgoing webhook's callback may take (Mattermost's default).
        outgoing_integration_requests_timeout: i64 = 30,
        allow_cors_from: String = "",
        read_timeout: i64 = 300,
        write_timeout: i64 = 300,
        idle_timeout: i64 = 60,
        /// Utmost's own: open client connections (WebSockets included) beyond which the
        /// server stops accepting until one closes; 0 derives it from the open-files limit.
        max_connections: i64 = 0,
        enable_local_mode: bool = false,
        // Mattermost's path, so `mmctl --local` finds the socket without flags.
        local_mode_socket_location: String = "/var/tmp/mattermost_local.socket",
        goroutine_health_threshold: i64 = -1,
        enable_latex: bool = false,
        #[serde(rename = "EnableSVGs")]
        enable_svgs: bool = false,
        scheduled_posts: bool = true,
        allow_synced_drafts: bool = true,
        post_priority: bool = true,
        allow_persistent_notifications: bool = true,
        // Persistent notifications are recorded but not sent yet; clients show these values.
        persistent_notification_max_count: i64 = 6,
        persistent_notification_interval_minutes: i64 = 5,
        persistent_notification_max_recipients: i64 = 5,
        unique_emoji_reaction_limit_per_post: i64 = 50,
        /// Hosts whose links get no preview: names separated by spaces or commas, matched as
        /// substrings of the link's host, as Mattermost matches them.
        restrict_link_previews: String = "",
        /// What outgoing fetches may reach although it is internal (loopback, private,
        /// link-local): host names, IP addresses and CIDR ranges, separated by spaces.
        allowed_untrusted_internal_connections: String = "",
        enable_email_invitations: bool = false,
    }
}

section! {
    /// Teams, sign-up and how people are displayed.
    TeamSettings {
        site_name: String = "Utmost",
        max_users_per_team: i64 = 50,
        max_channels_per_team: i64 = 2000,
        enable_user_creation: bool = true,
        enable_open_server: bool = false,
        restrict_creation_to_domains: String = "",
        restrict_direct_message: String = "any",
        teammate_name_display: String = "username",
        lock_teammate_name_display: bool = false,
        enable_custom_user_statuses: bool = true,
        enable_last_active_time: bool = true,
        user_status_away_timeout: i64 = 300,
        max_notifications_per_channel: i64 = 1000,
        enable_confirm_notifications_to_channel: bool = true,
        enable_join_leave_message_by_default: bool = true,
        enable_user_deactivation: bool = false,
        experimental_view_archived_channels: bool = true,
        experimental_default_channels: Vec<String> = Vec::new(),
        experimental_primary_team: String = "",
    }
}

section! {
    /// The database connection.
    SqlSettings {
        // Utmost runs on SQLite out of the box; Mattermost's default is postgres.
        driver_name: String = "sqlite",
        // Empty means `<FileSettings.Directory>/utmost.db` (see `Config::database_url`).
        data_source: String = "",
        data_source_replicas: Vec<String> = Vec::new(),
        /// Replicas for the searches; empty means the searches use `DataSourceReplicas`.
        data_source_search_replicas: Vec<String> = Vec::new(),
        /// Queries whose results report each replica's lag (Mattermost's replica lag metrics).
        replica_lag_settings: Vec<ReplicaLagSettings> = Vec::new(),
        /// How often the replicas' health and lag are checked.
        replica_monitor_interval_seconds: i64 = 5,
        max_idle_conns: i64 = 20,
        max_open_conns: i64 = 300,
        conn_max_lifetime_milliseconds: i64 = 3600000,
        query_timeout: i64 = 30,
        /// Seals secrets stored in the database (MFA secrets); at least 32 characters.
        at_rest_encrypt_key: String = "",
    }
}

/// One `SqlSettings.ReplicaLagSettings` entry: where to run two queries, each returning rows
/// of (node, value), for a replica's lag in bytes and in seconds (Mattermost's
/// `ReplicaLagSettings`; `QueryAbsoluteLag` is typically run on the primary over
/// `pg_stat_replication`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct ReplicaLagSettings {
    pub data_source: String,
    pub query_absolute_lag: String,
    pub query_time_lag: String,
}

section! {
    /// Where uploaded files live.
    FileSettings {
        driver_name: String = "local",
        directory: String = "./data/",
        max_file_size: i64 = 104857600,
        enable_file_attachments: bool = true,
        enable_public_link: bool = false,
        enable_mobile_upload: bool = true,
        enable_mobile_download: bool = true,
        amazon_s3_access_key_id: String = "",
        amazon_s3_secret_access_key: String = "",
        amazon_s3_bucket: String = "",
        amazon_s3_path_prefix: String = "",
        amazon_s3_region: String = "",
        amazon_s3_endpoint: String = "s3.amazonaws.com",
        #[serde(rename = "AmazonS3SSL")]
        amazon_s3_ssl: bool = true,
        #[serde(rename = "AmazonS3SSE")]
        amazon_s3_sse: bool = false,
        amazon_s3_request_timeout_milliseconds: i64 = 30000,
        // Empty means the server's own salt, made on first start and kept in `systems`.
        public_link_salt: String = "",
        max_image_resolution: i64 = 33177600,
        extract_content: bool = true,
    }
}

section! {
    /// Password strength rules.
    PasswordSettings {
        minimum_length: i64 = 8,
        lowercase: bool = false,
        number: bool = false,
        uppercase: bool = false,
        symbol: bool = false,
        enable_forgot_link: bool = true,
    }
}

section! {
    /// What other users may see about someone.
    PrivacySettings {
        show_email_address: bool = true,
        show_full_name: bool = true,
    }
}

section! {
    /// API rate limiting.
    RateLimitSettings {
        enable: bool = false,
        per_sec: i64 = 10,
        max_burst: i64 = 100,
        memory_store_size: i64 = 10000,
        vary_by_remote_addr: bool = true,
        vary_by_user: bool = false,
        vary_by_header: String = "",
    }
}

section! {
    /// Server logging.
    LogSettings {
        enable_console: bool = true,
        console_level: String = "INFO",
        // Human-readable console output by default; Mattermost defaults to JSON.
        console_json: bool = false,
        enable_file: bool = false,
        file_level: String = "INFO",
        file_json: bool = true,
        file_location: String = "",
        // Colours in the plain console output (Mattermost's; the file never has them).
        enable_color: bool = false,
        // Utmost's own: Mattermost rotates the log file at 100 MB, keeps every backup
        // (0: no limit) of any age and gzips them, with no setting; these keep its values.
        #[serde(rename = "FileMaxSizeMB")]
        file_max_size_mb: i64 = 100,
        file_max_backups: i64 = 0,
        file_max_age_days: i64 = 0,
        file_compress: bool = true,
        /// Utmost's own: a database call (store function) slower than this is logged at warn
        /// level with its name and duration ("slow store call"); 0 logs none.
        slow_store_call_milliseconds: i64 = 1000,
    }
}

section! {
    /// Sign-in methods, email and push notifications.
    EmailSettings {
        enable_sign_up_with_email: bool = true,
        enable_sign_in_with_email: bool = true,
        enable_sign_in_with_username: bool = true,
        require_email_verification: bool = false,
        send_email_notifications: bool = false,
        send_push_notifications: bool = false,
        // The push proxy (mattermost-push-proxy or a hosted one); empty sends no pushes.
        push_notification_server: String = "",
        push_notification_server_type: String = "custom",
        push_notification_server_location: String = "us",
        // Push notifications queued at most; more are dropped (with a warning).
        push_notification_buffer: i64 = 1000,
        feedback_name: String = "",
        feedback_email: String = "test@example.com",
        #[serde(rename = "SMTPServer")]
        smtp_server: String = "localhost",
        // A string in Mattermost's schema, so it stays one here.
        #[serde(rename = "SMTPPort")]
        smtp_port: String = "10025",
        #[serde(rename = "SMTPUsername")]
        smtp_username: String = "",
        #[serde(rename = "SMTPPassword")]
        smtp_password: String = "",
        #[serde(rename = "EnableSMTPAuth")]
        enable_smtp_auth: bool = false,
        connection_security: String = "",
        enable_email_batching: bool = false,
        email_notification_contents_type: String = "full",
        push_notification_contents: String = "full",
        skip_server_certificate_verification: bool = false,
        /// Seconds one SMTP connection (connect, each command) may take.
        #[serde(rename = "SMTPServerTimeout")]
        smtp_server_timeout: i64 = 10,
        reply_to_address: String = "",
        /// Seconds between two runs of the email batching (the digests of batched notices).
        email_batching_interval: i64 = 30,
        /// Notices kept per user for the next digest; beyond it the oldest are dropped.
        email_batching_buffer_size: i64 = 256,
    }
}

section! {
    /// Links shown in the clients; empty hides them.
    SupportSettings {
        terms_of_service_link: String = "",
        privacy_policy_link: String = "",
        about_link: String = "",
        help_link: String = "",
        report_a_problem_link: String = "",
        support_email: String = "",
        enable_ask_community_link: bool = false,
        /// Users must accept the latest custom terms of service (`/terms_of_service`).
        custom_terms_of_service_enabled: bool = false,
        /// Days before an accepted version must be accepted again.
        custom_terms_of_service_re_acceptance_period: i64 = 365,
    }
}

section! {
    /// Guest accounts.
    GuestAccountsSettings {
        enable: bool = false,
        /// Guests may have email and password accounts (the only kind Utmost creates).
        allow_email_accounts: bool = true,
        /// Domains a guest's address must be in (commas or spaces); empty allows any.
        restrict_creation_to_domains: String = "",
        /// Stored and shown to clients; the MFA feature enforces it.
        enforce_multifactor_authentication: bool = false,
        /// Clients show no "Guest" badge (`HideGuestTags`).
        hide_tags: bool = false,
    }
}

section! {
    /// Languages.
    LocalizationSettings {
        default_server_locale: String = "en",
        default_client_locale: String = "en",
        available_locales: String = "",
    }
}

section! {
    /// The Prometheus listener.
    MetricsSettings {
        enable: bool = false,
        listen_address: String = ":8067",
    }
}

section! {
    /// Running several nodes against one database.
    ClusterSettings {
        enable: bool = false,
        cluster_name: String = "",
        /// With `Enable`, a file-based configuration cannot be changed through the API (the
        /// System Console is read-only), as in Mattermost.
        read_only_config: bool = true,
        /// The host name this node reports in `/cluster/status` instead of its own.
        override_hostname: String = "",
        network_interface: String = "",
        /// Mattermost's gossip listener; Utmost's nodes meet in Redis and listen on nothing
        /// more, so it is kept for the System Console only.
        bind_address: String = "",
        /// The address this node reports to the others (`/cluster/status` `ipaddress`);
        /// empty: the machine's address on its default route, else 127.0.0.1.
        advertise_address: String = "",
        #[serde(rename = "UseIPAddress")]
        use_ip_address: bool = true,
        enable_gossip_compression: bool = true,
        enable_experimental_gossip_encryption: bool = false,
        gossip_port: i64 = 8074,
    }
}

section! {
    /// Shared caches: in-process LRU on one node, Redis across nodes.
    CacheSettings {
        cache_type: String = "lru",
        redis_address: String = "",
        redis_password: String = "",
        #[serde(rename = "RedisDB")]
        redis_db: i64 = -1,
        /// Put before every key and channel name Utmost uses in Redis (with `ClusterName`).
        redis_cache_prefix: String = "",
    }
}

section! {
    /// Experimental switches the clients read.
    ExperimentalSettings {
        users_status_and_profile_fetching_poll_interval_milliseconds: i64 = 3000,
        restrict_system_admin: bool = false,
        /// How long fetching one link's preview may take, redirects and body included.
        link_metadata_timeout_milliseconds: i64 = 5000,
        /// Sign-in checks the client's TLS certificate (or a trusted proxy's
        /// `X-SSL-Client-Cert` headers).
        client_side_cert_enable: bool = false,
        /// "primary": the certificate's email signs its owner in without a password;
        /// "secondary": the password sign-in's user must be the certificate's.
        client_side_cert_check: String = "secondary",
        /// Utmost's own: the CA bundle (PEM) that client certificates must chain to; the
        /// listener asks for a certificate only when it is set.
        #[serde(rename = "ClientSideCertCAFile")]
        client_side_cert_ca_file: String = "",
    }
}

section! {
    /// Message rendering.
    DisplaySettings {
        #[serde(rename = "CustomURLSchemes")]
        custom_url_schemes: Vec<String> = Vec::new(),
        max_markdown_nodes: i64 = 0,
    }
}

section! {
    /// The system-wide banner.
    AnnouncementSettings {
        enable_banner: bool = false,
        banner_text: String = "",
        banner_color: String = "#f2a93b",
        banner_text_color: String = "#333333",
        allow_banner_dismissal: bool = true,
    }
}

section! {
    /// Search: Utmost answers from its own index, so only the keys that change what a
    /// search covers apply.
    ElasticsearchSettings {
        /// Searches also cover the public channels of the reader's teams they have not joined.
        enable_search_public_channels_without_membership: bool = false,
    }
}

section! {
    /// Where the single-node search index lives.
    BleveSettings {
        /// Empty: `<FileSettings.Directory>/search`.
        index_dir: String = "",
        /// The indexer keeps the index current; off, searches answer from the index as it
        /// was. On by default: the in-process index is Utmost's search engine.
        enable_indexing: bool = true,
    }
}

section! {
    /// The image proxy: clients load posts' external images through the server.
    ImageProxySettings {
        enable: bool = false,
        /// "local" (the server fetches the image) or "atmos/camo" (an external proxy).
        image_proxy_type: String = "local",
        #[serde(rename = "RemoteImageProxyURL")]
        remote_image_proxy_url: String = "",
        remote_image_proxy_options: String = "",
    }
}

section! {
    /// The global data retention policy and the deletion job (docs/data-retention.md).
    DataRetentionSettings {
        enable_message_deletion: bool = false,
        enable_file_deletion: bool = false,
        enable_boards_deletion: bool = false,
        /// Used when the `…Hours` key is 0, as Mattermost does.
        message_retention_days: i64 = 365,
        message_retention_hours: i64 = 0,
        file_retention_days: i64 = 365,
        file_retention_hours: i64 = 0,
        boards_retention_days: i64 = 365,
        /// "HH:MM" (UTC): when the daily deletion job is created.
        deletion_job_start_time: String = "02:00",
        /// Posts or files deleted per transaction.
        batch_size: i64 = 3000,
        /// The pause between batches, so other writers get their turn.
        time_between_batches_milliseconds: i64 = 100,
        retention_ids_batch_size: i64 = 100,
    }
}

impl DataRetentionSettings {
    /// Mattermost's `GetMessageRetentionHours`: the hours if set, else the days.
    pub fn message_retention_hours(&self) -> i64 {
        hours_or_days(self.message_retention_hours, self.message_retention_days)
    }

    /// Mattermost's `GetFileRetentionHours`.
    pub fn file_retention_hours(&self) -> i64 {
        hours_or_days(self.file_retention_hours, self.file_retention_days)
    }

    /// `DeletionJobStartTime` as (hour, minute) of the UTC day; `None` unless "HH:MM".
    pub fn deletion_job_start(&self) -> Option<(u32, u32)> {
        let (h, m) = self.deletion_job_start_time.split_once(':')?;
        let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
        (h < 24 && m < 60).then_some((h, m))
    }
}

fn hours_or_days(hours: i64, days: i64) -> i64 {
    if hours > 0 {
        hours
    } else {
        days.saturating_mul(24)
    }
}

section! {
    /// Compliance reports (`/api/v4/compliance/reports`): off, their routes answer 501.
    ComplianceSettings {
        enable: bool = false,
        /// Kept for Mattermost's config; reports go to the file store under `compliance/`.
        directory: String = "./data/",
        enable_daily: bool = false,
        /// Posts read per batch while a report runs.
        batch_size: i64 = 30000,
    }
}

section! {
    /// The `message_export` job: posts, files and channel membership changes exported in
    /// `ExportFormat` to the file store under `export/`.
    MessageExportSettings {
        enable_export: bool = false,
        /// "actiance", "csv" or "globalrelay" (`globalrelay-zip`: EML files in a zip).
        export_format: String = "actiance",
        /// "HH:MM" (UTC) when the daily export is scheduled.
        daily_run_time: String = "01:00",
        /// Milliseconds: where the first export starts (0: from the beginning).
        export_from_timestamp: i64 = 0,
        /// Posts read per batch.
        batch_size: i64 = 10000,
        /// `GET /jobs/{job_id}/download` hands out a finished export (off: 501).
        download_export_results: bool = false,
    }
}

section! {
    /// Bulk import files (`import/` in the file store; Utmost does not read `Directory`).
    ImportSettings {
        /// Days an import file is kept; 0 keeps them.
        retention_days: i64 = 30,
    }
}

section! {
    /// Bulk export files (`export/` in the file store; Utmost does not read `Directory`).
    ExportSettings {
        /// Days an export file is kept; 0 keeps them.
        retention_days: i64 = 30,
    }
}

section! {
    /// AD/LDAP sign-in and synchronisation (docs/ldap.md). Attribute names are the
    /// directory's; `IdAttribute` names the value stored as a user's `auth_data`, so it must
    /// never change for a person (AD: `objectGUID`; OpenLDAP: `entryUUID`).
    LdapSettings {
        enable: bool = false,
        enable_sync: bool = false,
        ldap_server: String = "",
        ldap_port: i64 = 389,
        /// "" (plain), "TLS" (LDAPS) or "STARTTLS".
        connection_security: String = "",
        #[serde(rename = "BaseDN")]
        base_dn: String = "",
        bind_username: String = "",
        bind_password: String = "",
        /// Who may sign in, e.g. `(objectClass=inetOrgPerson)`; empty: everyone under BaseDN.
        user_filter: String = "",
        group_filter: String = "",
        /// Users it matches become guests (with `GuestAccountsSettings.Enable`).
        guest_filter: String = "",
        enable_admin_filter: bool = false,
        /// Users it matches become system admins (with `EnableAdminFilter`).
        admin_filter: String = "",
        group_display_name_attribute: String = "",
        group_id_attribute: String = "",
        first_name_attribute: String = "",
        last_name_attribute: String = "",
        email_attribute: String = "",
        username_attribute: String = "",
        nickname_attribute: String = "",
        id_attribute: String = "",
        position_attribute: String = "",
        /// What a user types at sign-in is matched against this attribute.
        login_id_attribute: String = "",
        picture_attribute: String = "",
        sync_interval_minutes: i64 = 60,
        skip_certificate_verification: bool = false,
        public_certificate_file: String = "",
        private_key_file: String = "",
        /// Seconds one directory operation may take.
        query_timeout: i64 = 60,
        /// Entries per page of a sync's search (paged results control); 0: 500.
        max_page_size: i64 = 0,
        login_field_name: String = "",
        login_button_color: String = "#0000",
        login_button_border_color: String = "#2389D7",
        login_button_text_color: String = "#2389D7",
        maximum_login_attempts: i64 = 10,
    }
}

impl LdapSettings {
    /// Mattermost's `LdapSettings.isValid`: while sign-in or sync is on, the directory and the
    /// attributes every account needs must be named.
    pub(crate) fn validate(&self) -> Result<(), crate::ConfigError> {
        let invalid = |key: &'static str, reason: &str| {
            Err(crate::ConfigError::Invalid {
                key,
                reason: reason.to_owned(),
            })
        };
        if !["", "TLS", "STARTTLS"].contains(&self.connection_security.as_str()) {
            return invalid(
                "LdapSettings.ConnectionSecurity",
                "must be \"\", \"TLS\" or \"STARTTLS\"",
            );
        }
        if !(self.enable || self.enable_sync) {
            return Ok(());
        }
        let required = [
            ("LdapSettings.LdapServer", &self.ldap_server),
            ("LdapSettings.BaseDN", &self.base_dn),
            ("LdapSettings.IdAttribute", &self.id_attribute),
            ("LdapSettings.UsernameAttribute", &self.username_attribute),
            ("LdapSettings.EmailAttribute", &self.email_attribute),
        ];
        for (key, value) in required {
            if value.trim().is_empty() {
                return invalid(key, "is required while AD/LDAP is enabled");
            }
        }
        if self.sync_interval_minutes < 1 {
            return invalid("LdapSettings.SyncIntervalMinutes", "must be at least 1");
        }
        Ok(())
    }
}

section! {
    /// SAML 2.0 sign-in (docs/saml.md). Utmost is the service provider; the `…Attribute`
    /// settings name the IdP's attributes. The `…File` settings name certificate files in the
    /// config file's directory (empty: Mattermost's fixed names, `saml-idp.crt`,
    /// `saml-public.crt`, `saml-private.key`).
    SamlSettings {
        enable: bool = false,
        enable_sync_with_ldap: bool = false,
        enable_sync_with_ldap_include_auth: bool = false,
        ignore_guests_ldap_sync: bool = false,
        /// Check the signature of responses against the IdP certificate.
        verify: bool = true,
        /// Ask for (and decrypt) encrypted assertions, with the SP key pair.
        encrypt: bool = true,
        /// Sign AuthnRequests with the SP private key.
        sign_request: bool = false,
        #[serde(rename = "IdpURL")]
        idp_url: String = "",
        /// The IdP's entity id (its metadata's `entityID`), which issues the assertions.
        #[serde(rename = "IdpDescriptorURL")]
        idp_descriptor_url: String = "",
        #[serde(rename = "IdpMetadataURL")]
        idp_metadata_url: String = "",
        /// Utmost's entity id: the audience of the assertions.
        service_provider_identifier: String = "",
        /// Empty: `<SiteURL>/login/sso/saml`.
        #[serde(rename = "AssertionConsumerServiceURL")]
        assertion_consumer_service_url: String = "",
        /// "RSAwithSHA1", "RSAwithSHA256" or "RSAwithSHA512" (signed requests).
        signature_algorithm: String = "RSAwithSHA1",
        /// "Canonical1.0" or "Canonical1.1".
        canonical_algorithm: String = "Canonical1.0",
        #[serde(rename = "ScopingIDPProviderId")]
        scoping_idp_provider_id: String = "",
        #[serde(rename = "ScopingIDPName")]
        scoping_idp_name: String = "",
        idp_certificate_file: String = "",
        public_certificate_file: String = "",
        private_key_file: String = "",
        /// The attribute whose value is stored as `auth_data` (empty: the email).
        id_attribute: String = "",
        /// `attribute=value`: users whose attribute holds the value become guests.
        guest_attribute: String = "",
        enable_admin_attribute: bool = false,
        /// `attribute=value`: users whose attribute holds the value become system admins.
        admin_attribute: String = "",
        first_name_attribute: String = "",
        last_name_attribute: String = "",
        email_attribute: String = "",
        username_attribute: String = "",
        nickname_attribute: String = "",
        locale_attribute: String = "",
        position_attribute: String = "",
        login_button_text: String = "SAML",
        login_button_color: String = "#34a28b",
        login_button_border_color: String = "#2389D7",
        login_button_text_color: String = "#ffffff",
    }
}

impl SamlSettings {
    /// Mattermost's `SamlSettings.isValid`: while SAML is on, the IdP, the audience and the
    /// attributes every account needs must be named, and the algorithms and the
    /// `attribute=value` filters well formed. The certificate files are checked when they are
    /// read (each `…File` may be empty for its fixed name; see docs/saml.md).
    pub(crate) fn validate(&self) -> Result<(), crate::ConfigError> {
        let invalid = |key: &'static str, reason: &str| {
            Err(crate::ConfigError::Invalid {
                key,
                reason: reason.to_owned(),
            })
        };
        if !self.enable {
            return Ok(());
        }
        let http = |url: &str| url.starts_with("http://") || url.starts_with("https://");
        if !http(&self.idp_url) {
            return invalid("SamlSettings.IdpURL", "must be an http(s) URL");
        }
        if self.idp_descriptor_url.trim().is_empty() {
            return invalid(
                "SamlSettings.IdpDescriptorURL",
                "is required while SAML is on",
            );
        }
        let required = [
            (
                "SamlSettings.ServiceProviderIdentifier",
                &self.service_provider_identifier,
            ),
            ("SamlSettings.EmailAttribute", &self.email_attribute),
            ("SamlSettings.UsernameAttribute", &self.username_attribute),
        ];
        for (key, value) in required {
            if value.trim().is_empty() {
                return invalid(key, "is required while SAML is on");
            }
        }
        let acs = &self.assertion_consumer_service_url;
        if !acs.is_empty() && !http(acs) {
            return invalid(
                "SamlSettings.AssertionConsumerServiceURL",
                "must be an http(s) URL",
            );
        }
        let algorithms = ["", "RSAwithSHA1", "RSAwithSHA256", "RSAwithSHA512"];
        if !algorithms.contains(&self.signature_algorithm.as_str()) {
            return invalid(
                "SamlSettings.SignatureAlgorithm",
                "must be RSAwithSHA1, RSAwithSHA256 or RSAwithSHA512",
            );
        }
        if !["", "Canonical1.0", "Canonical1.1"].contains(&self.canonical_algorithm.as_str()) {
            return invalid(
                "SamlSettings.CanonicalAlgorithm",
                "must be Canonical1.0 or Canonical1.1",
            );
        }
        if !self.guest_attribute.is_empty() && !self.guest_attribute.contains('=') {
            return invalid("SamlSettings.GuestAttribute", "must be attribute=value");
        }
        if self.enable_admin_attribute && !self.admin_attribute.contains('=') {
            return invalid("SamlSettings.AdminAttribute", "must be attribute=value");
        }
        Ok(())
    }
}

/// Declares one OAuth 2.0 / OpenID Connect sign-in section (Mattermost's `SSOSettings`, one
/// per service): the keys every service has, with the service's defaults, then its own.
macro_rules! sso_section {
    (
        $(#[$meta:meta])*
        $name:ident {
            scope: $scope:expr,
            auth_endpoint: $auth:expr,
            token_endpoint: $token:expr,
            user_api_endpoint: $user_api:expr,
            button_color: $color:expr
            $(, $(#[$field_meta:meta])* $field:ident : $ty:ty = $default:expr )* $(,)?
        }
    ) => {
        section! {
            $(#[$meta])*
            $name {
                enable: bool = false,
                /// The client secret the provider issued.
                secret: String = "",
                /// The client id the provider issued.
                id: String = "",
                scope: String = $scope,
                auth_endpoint: String = $auth,
                token_endpoint: String = $token,
                #[serde(rename = "UserAPIEndpoint")]
                user_api_endpoint: String = $user_api,
                /// An OpenID Connect discovery document; when set, sign-in is OpenID Connect
                /// (ID token checked) and the three endpoints above come from it.
                discovery_endpoint: String = "",
                button_text: String = "",
                button_color: String = $color,
                $( $(#[$field_meta])* $field: $ty = $default, )*
            }
        }

        impl $name {
            /// The keys every sign-in service shares.
            pub fn sso(&self) -> Sso<'_> {
                Sso {
                    enable: self.enable,
                    secret: &self.secret,
                    id: &self.id,
                    scope: &self.scope,
                    auth_endpoint: &self.auth_endpoint,
                    token_endpoint: &self.token_endpoint,
                    user_api_endpoint: &self.user_api_endpoint,
                    discovery_endpoint: &self.discovery_endpoint,
                    button_text: &self.button_text,
                    button_color: &self.button_color,
                }
            }

            pub(crate) fn validate(&self) -> Result<(), crate::ConfigError> {
                self.sso().validate(&SsoKeys {
                    id: concat!(stringify!($name), ".Id"),
                    discovery_endpoint: concat!(stringify!($name), ".DiscoveryEndpoint"),
                    auth_endpoint: concat!(stringify!($name), ".AuthEndpoint"),
                    token_endpoint: concat!(stringify!($name), ".TokenEndpoint"),
                    user_api_endpoint: concat!(stringify!($name), ".UserAPIEndpoint"),
                })
            }
        }
    };
}

/// The full names of a sign-in section's keys, for its errors.
pub(crate) struct SsoKeys {
    id: &'static str,
    discovery_endpoint: &'static str,
    auth_endpoint: &'static str,
    token_endpoint: &'static str,
    user_api_endpoint: &'static str,
}

/// One sign-in service's settings, borrowed from its section.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sso<'a> {
    pub enable: bool,
    pub secret: &'a str,
    pub id: &'a str,
    pub scope: &'a str,
    pub auth_endpoint: &'a str,
    pub token_endpoint: &'a str,
    pub user_api_endpoint: &'a str,
    pub discovery_endpoint: &'a str,
    pub button_text: &'a str,
    pub button_color: &'a str,
}

impl Sso<'_> {
    /// Mattermost's checks of an enabled service: its client id and secret, and where to
    /// send the user and fetch the token and profile (or a discovery document).
    pub(crate) fn validate(&self, keys: &SsoKeys) -> Result<(), crate::ConfigError> {
        let invalid = |key: &'static str, reason: &str| {
            Err(crate::ConfigError::Invalid {
                key,
                reason: reason.to_owned(),
            })
        };
        let endpoints = [
            (keys.discovery_endpoint, self.discovery_endpoint),
            (keys.auth_endpoint, self.auth_endpoint),
            (keys.token_endpoint, self.token_endpoint),
            (keys.user_api_endpoint, self.user_api_endpoint),
        ];
        for (key, value) in endpoints {
            if !(value.is_empty() || value.starts_with("https://") || value.starts_with("http://"))
            {
                return invalid(key, "must be an http:// or https:// URL");
            }
        }
        if !self.enable {
            return Ok(());
        }
        if self.id.trim().is_empty() || self.secret.trim().is_empty() {
            return invalid(keys.id, "an enabled service needs its client Id and Secret");
        }
        let discovered = !self.discovery_endpoint.is_empty();
        let configured = !(self.auth_endpoint.is_empty()
            || self.token_endpoint.is_empty()
            || self.user_api_endpoint.is_empty());
        if !(discovered || configured) {
            return invalid(
                keys.discovery_endpoint,
                "an enabled service needs a DiscoveryEndpoint, or its AuthEndpoint, \
                 TokenEndpoint and UserAPIEndpoint",
            );
        }
        Ok(())
    }
}

sso_section! {
    /// Sign-in with GitLab (OAuth 2.0 and GitLab's `/api/v4/user`, or OpenID Connect with a
    /// discovery endpoint); docs/sso.md.
    GitLabSettings {
        scope: "",
        auth_endpoint: "",
        token_endpoint: "",
        user_api_endpoint: "",
        button_color: "",
    }
}

sso_section! {
    /// Sign-in with Google (Google's People API, or OpenID Connect); docs/sso.md.
    GoogleSettings {
        scope: "profile email",
        auth_endpoint: "https://accounts.google.com/o/oauth2/v2/auth",
        token_endpoint: "https://www.googleapis.com/oauth2/v4/token",
        user_api_endpoint: "https://people.googleapis.com/v1/people/me?personFields=names,emailAddresses,nicknames,metadata",
        button_color: "",
    }
}

sso_section! {
    /// Sign-in with Office 365 / Entra ID (Microsoft Graph's `/me`, or OpenID Connect);
    /// docs/sso.md.
    Office365Settings {
        scope: "User.Read",
        auth_endpoint: "https://login.microsoftonline.com/common/oauth2/v2.0/authorize",
        token_endpoint: "https://login.microsoftonline.com/common/oauth2/v2.0/token",
        user_api_endpoint: "https://graph.microsoft.com/v1.0/me",
        button_color: "",
        /// The Entra ID tenant (directory) id; empty: any tenant ("common").
        directory_id: String = "",
    }
}

sso_section! {
    /// Sign-in with any OpenID Connect provider (discovery, ID token); docs/sso.md.
    OpenIdSettings {
        scope: "profile openid email",
        auth_endpoint: "",
        token_endpoint: "",
        user_api_endpoint: "",
        button_color: "#145DBF",
    }
}

section! {
    /// The mobile apps.
    NativeAppSettings {
        /// The URL schemes an SSO sign-in from a mobile app may return to with its token.
        #[serde(rename = "AppCustomURLSchemes")]
        app_custom_url_schemes: Vec<String> = vec!["mmauth://".to_owned(), "mmauthbeta://".to_owned()],
    }
}

section! {
    /// The audit log file (`docs/audit.md`): one JSON line per audited action, each carrying
    /// the SHA-256 of the line before it. The `audits` table is written whatever these say.
    ExperimentalAuditSettings {
        file_enabled: bool = false,
        /// The audit file; empty is `audit.log` in the working directory.
        file_name: String = "",
        /// The size at which the file is rotated.
        #[serde(rename = "FileMaxSizeMB")]
        file_max_size_mb: i64 = 100,
        /// Rotated files older than this are deleted; 0 keeps them whatever their age.
        file_max_age_days: i64 = 0,
        /// Rotated files kept at most; 0 keeps them all.
        file_max_backups: i64 = 0,
        /// Rotated files are gzipped.
        file_compress: bool = false,
        /// Records waiting for the writer at most; past it a record waits briefly, then is
        /// dropped and counted.
        file_max_queue_size: i64 = 1000,
    }
}

/// One plugin's entry in `PluginSettings.PluginStates`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct PluginState {
    pub enable: bool,
}

section! {
    /// WebAssembly plugins (docs/plugins.md). `PluginStates` says which installed plugins
    /// run; `Plugins` holds each plugin's own settings, keyed by plugin id then setting key.
    PluginSettings {
        enable: bool = true,
        /// Whether system admins may upload plugin bundles.
        enable_uploads: bool = false,
        #[serde(rename = "AllowInsecureDownloadURL")]
        allow_insecure_download_url: bool = false,
        enable_health_check: bool = true,
        /// Where each node unpacks the installed bundles.
        directory: String = "./plugins",
        client_directory: String = "./client/plugins",
        plugins: std::collections::BTreeMap<String, serde_json::Map<String, serde_json::Value>> =
            std::collections::BTreeMap::new(),
        plugin_states: std::collections::BTreeMap<String, PluginState> = std::collections::BTreeMap::new(),
        enable_marketplace: bool = false,
        /// Installs the plugins shipped inside the binary (the polls plugin) on start.
        automatic_prepackaged_plugins: bool = true,
        require_plugin_signature: bool = false,
        /// Utmost's own: the most linear memory one plugin instance may grow to.
        #[serde(rename = "MaxMemoryMB")]
        max_memory_mb: i64 = 64,
        /// Utmost's own: the longest one hook call or ServeHTTP request may run; past it the
        /// call is stopped and counts as the plugin's crash.
        max_call_milliseconds: i64 = 2000,
    }
}
