// The workspace denies unwrap/expect; in tests a panic is the failure report we want.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use serde_json::json;

use super::*;

/// A JSON file in the temp directory, removed when dropped.
struct TempFile(PathBuf);

impl TempFile {
    fn new(name: &str, contents: &str) -> Self {
        let path =
            std::env::temp_dir().join(format!("utmost-config-{}-{name}.json", std::process::id()));
        std::fs::write(&path, contents).unwrap();
        TempFile(path)
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn load(file: Option<&TempFile>, env_vars: &[(&str, &str)], cli: &[(&str, &str)]) -> Loaded {
    try_load(file, env_vars, cli).unwrap()
}

fn try_load(
    file: Option<&TempFile>,
    env_vars: &[(&str, &str)],
    cli: &[(&str, &str)],
) -> Result<Loaded, ConfigError> {
    Config::load(LoadOptions {
        file: file.map(|f| f.0.clone()),
        env: env(env_vars),
        overrides: env(cli),
    })
}

#[test]
fn defaults() {
    let loaded = load(None, &[], &[]);
    assert_eq!(loaded.config, Config::default());
    assert!(loaded.sources.values().all(|s| *s == Source::Default));
    assert_eq!(
        loaded.sources.get("ServiceSettings.SiteURL"),
        Some(&Source::Default)
    );

    let c = &loaded.config;
    assert_eq!(c.service_settings.listen_address, ":8065");
    assert_eq!(c.service_settings.session_length_web_in_hours, 720);
    assert_eq!(c.service_settings.post_edit_time_limit, -1);
    assert_eq!(c.team_settings.site_name, "Utmost");
    assert_eq!(c.sql_settings.driver_name, "sqlite");
    assert_eq!(c.file_settings.max_file_size, 104857600);
    assert_eq!(c.cache_settings.redis_db, -1);
    assert!(!c.log_settings.console_json);
    c.validate().unwrap();
}

#[test]
fn json_keys_use_mattermost_spelling() {
    let v = serde_json::to_value(Config::default()).unwrap();
    for (section, key) in [
        ("ServiceSettings", "SiteURL"),
        ("ServiceSettings", "WebsocketURL"),
        ("ServiceSettings", "EnableAPITeamDeletion"),
        ("ServiceSettings", "MaximumURLLength"),
        ("ServiceSettings", "SessionLengthSSOInHours"),
        ("ServiceSettings", "ExperimentalStrictCSRFEnforcement"),
        ("ServiceSettings", "EnableOAuthServiceProvider"),
        ("ServiceSettings", "EnableSVGs"),
        ("FileSettings", "AmazonS3AccessKeyId"),
        ("FileSettings", "AmazonS3SSL"),
        ("EmailSettings", "SMTPServer"),
        ("EmailSettings", "EnableSMTPAuth"),
        ("CacheSettings", "RedisDB"),
        ("CacheSettings", "RedisCachePrefix"),
        ("ClusterSettings", "UseIPAddress"),
        ("ClusterSettings", "AdvertiseAddress"),
        ("ClusterSettings", "GossipPort"),
        ("DisplaySettings", "CustomURLSchemes"),
        ("SupportSettings", "ReportAProblemLink"),
        (
            "ExperimentalSettings",
            "UsersStatusAndProfileFetchingPollIntervalMilliseconds",
        ),
    ] {
        assert!(v[section].get(key).is_some(), "missing {section}.{key}");
    }
    assert_eq!(v["ServiceSettings"].get("SiteUrl"), None);
}

#[test]
fn file_overrides_default_and_ignores_unknown() {
    let file = TempFile::new(
        "file-layer",
        r#"{
            "ServiceSettings": {"SiteURL": "https://chat.example.com", "ListenAddress": null,
                                "SomeFutureKey": 1},
            "TeamSettings": {"ExperimentalDefaultChannels": ["town-square", "off-topic"]},
            "sqlsettings": {"maxopenconns": 50},
            "AnalyticsSettings": {"MaxUsersForStatistics": 1},
            "CloudSettings": "whatever"
        }"#,
    );
    let loaded = load(Some(&file), &[], &[]);
    let c = &loaded.config;
    assert_eq!(c.service_settings.site_url, "https://chat.example.com");
    assert_eq!(c.service_settings.listen_address, ":8065");
    assert_eq!(
        c.team_settings.experimental_default_channels,
        ["town-square", "off-topic"]
    );
    // Go's JSON decoder matches keys case-insensitively; so do we.
    assert_eq!(c.sql_settings.max_open_conns, 50);
    let s = &loaded.sources;
    assert_eq!(s["ServiceSettings.SiteURL"], Source::File);
    assert_eq!(s["ServiceSettings.ListenAddress"], Source::Default);
    assert_eq!(s["SqlSettings.MaxOpenConns"], Source::File);
    assert!(!s.keys().any(|k| k.starts_with("AnalyticsSettings")));
}

#[test]
fn env_overrides_file_and_cli_overrides_env() {
    let file = TempFile::new(
        "layers",
        r#"{"ServiceSettings": {"SiteURL": "https://file", "MaximumLoginAttempts": 3}}"#,
    );
    let vars = [
        ("MM_SERVICESETTINGS_SITEURL", "https://env"),
        ("MM_SERVICESETTINGS_MAXIMUMLOGINATTEMPTS", "5"),
        ("MM_TEAMSETTINGS_SITENAME", "Env Chat"),
    ];
    let loaded = load(Some(&file), &vars, &[]);
    assert_eq!(loaded.config.service_settings.site_url, "https://env");
    assert_eq!(loaded.config.service_settings.maximum_login_attempts, 5);
    assert_eq!(
        loaded.sources["ServiceSettings.SiteURL"],
        Source::Env("MM_SERVICESETTINGS_SITEURL".into())
    );

    let loaded = load(
        Some(&file),
        &vars,
        &[("ServiceSettings.SiteURL", "https://cli")],
    );
    let c = &loaded.config;
    assert_eq!(c.service_settings.site_url, "https://cli");
    assert_eq!(c.team_settings.site_name, "Env Chat");
    let s = &loaded.sources;
    assert_eq!(s["ServiceSettings.SiteURL"], Source::Cli);
    assert_eq!(
        s["ServiceSettings.MaximumLoginAttempts"],
        Source::Env("MM_SERVICESETTINGS_MAXIMUMLOGINATTEMPTS".into())
    );
    assert_eq!(
        s["TeamSettings.SiteName"],
        Source::Env("MM_TEAMSETTINGS_SITENAME".into())
    );
    assert_eq!(s["ServiceSettings.ListenAddress"], Source::Default);
}

#[test]
fn env_names_are_case_insensitive_and_typed() {
    let loaded = load(
        None,
        &[
            ("mm_ServiceSettings_EnableUserAccessTokens", "TRUE"),
            ("MM_SERVICESETTINGS_ENABLEDEVELOPER", "1"),
            ("MM_TEAMSETTINGS_ENABLEUSERCREATION", "f"),
            ("MM_SERVICESETTINGS_POSTEDITTIMELIMIT", "-1"),
            ("MM_FILESETTINGS_AMAZONS3SSL", "false"),
        ],
        &[("servicesettings.listenaddress", "127.0.0.1:0")],
    );
    let c = &loaded.config;
    assert!(c.service_settings.enable_user_access_tokens);
    assert!(c.service_settings.enable_developer);
    assert!(!c.team_settings.enable_user_creation);
    assert!(!c.file_settings.amazon_s3_ssl);
    assert_eq!(c.service_settings.listen_address, "127.0.0.1:0");
    assert_eq!(
        loaded.sources["ServiceSettings.EnableUserAccessTokens"],
        Source::Env("mm_ServiceSettings_EnableUserAccessTokens".into())
    );
}

#[test]
fn list_from_space_separated_env() {
    let loaded = load(
        None,
        &[(
            "MM_SQLSETTINGS_DATASOURCEREPLICAS",
            "postgres://a/db  postgres://b/db",
        )],
        &[],
    );
    assert_eq!(
        loaded.config.sql_settings.data_source_replicas,
        ["postgres://a/db", "postgres://b/db"]
    );
}

#[test]
fn unknown_env_vars_are_ignored() {
    let loaded = load(
        None,
        &[
            ("MM_CONFIG", "/etc/utmost/config.json"),
            ("MM_SERVICEENVIRONMENT", "production"),
            ("MM_ANALYTICSSETTINGS_MAXUSERSFORSTATISTICS", "1"),
            ("MM_SERVICESETTINGS_NOSUCHKEY", "1"),
            ("PATH", "/usr/bin"),
        ],
        &[],
    );
    assert_eq!(loaded.config, Config::default());
}

#[test]
fn bad_env_value_names_the_variable() {
    let err = try_load(
        None,
        &[("MM_SERVICESETTINGS_MAXIMUMLOGINATTEMPTS", "abc")],
        &[],
    )
    .unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("MM_SERVICESETTINGS_MAXIMUMLOGINATTEMPTS"),
        "{msg}"
    );
    assert!(msg.contains("integer"), "{msg}");

    let err = try_load(None, &[("MM_SERVICESETTINGS_ENABLEDEVELOPER", "yes")], &[]).unwrap_err();
    assert!(err
        .to_string()
        .contains("MM_SERVICESETTINGS_ENABLEDEVELOPER"));
}

#[test]
fn bad_overrides_are_errors() {
    let err = try_load(None, &[], &[("ServiceSettings.NoSuchKey", "1")]).unwrap_err();
    assert!(err.to_string().contains("ServiceSettings.NoSuchKey"));
    let err = try_load(None, &[], &[("SiteURL", "x")]).unwrap_err();
    assert!(matches!(err, ConfigError::UnknownOverride(_)));
    let err = try_load(None, &[], &[("ServiceSettings.ReadTimeout", "soon")]).unwrap_err();
    assert!(err.to_string().contains("ServiceSettings.ReadTimeout"));
}

#[test]
fn bad_files_are_errors_naming_file_or_key() {
    let missing = TempFile(std::env::temp_dir().join("utmost-config-does-not-exist.json"));
    let err = try_load(Some(&missing), &[], &[]).unwrap_err();
    assert!(matches!(err, ConfigError::ReadFile { .. }));
    assert!(err
        .to_string()
        .contains("utmost-config-does-not-exist.json"));

    let broken = TempFile::new("broken", "{\"ServiceSettings\": ");
    let err = try_load(Some(&broken), &[], &[]).unwrap_err();
    assert!(matches!(err, ConfigError::ParseFile { .. }));
    assert!(err.to_string().contains("broken.json"));

    let typed = TempFile::new(
        "typed",
        r#"{"ServiceSettings": {"MaximumLoginAttempts": "ten"}}"#,
    );
    let err = try_load(Some(&typed), &[], &[]).unwrap_err();
    assert!(
        err.to_string()
            .contains("ServiceSettings.MaximumLoginAttempts must be an integer"),
        "{err}"
    );

    let section = TempFile::new("section", r#"{"ServiceSettings": []}"#);
    assert!(try_load(Some(&section), &[], &[]).is_err());
}

#[test]
fn listen_address_parsing() {
    let addr = |a: &str| {
        let mut c = Config::default();
        c.service_settings.listen_address = a.into();
        c.listen_socket_addr()
    };
    assert_eq!(addr(":8065").unwrap().to_string(), "0.0.0.0:8065");
    assert_eq!(addr("127.0.0.1:0").unwrap().to_string(), "127.0.0.1:0");
    assert_eq!(
        addr("localhost:9000").unwrap().to_string(),
        "127.0.0.1:9000"
    );
    assert_eq!(addr("[::1]:8065").unwrap().to_string(), "[::1]:8065");
    assert!(addr("8065").is_err());
    assert!(addr(":http").is_err());
    assert!(addr("chat.example.com:80").is_err());
    assert!(addr(":99999")
        .unwrap_err()
        .to_string()
        .contains("ServiceSettings.ListenAddress"));
}

#[test]
fn sanitized_json_hides_secrets() {
    let mut c = Config::default();
    c.sql_settings.driver_name = "postgres".into();
    c.sql_settings.data_source = "postgres://mmuser:hunter2@db/mattermost".into();
    c.sql_settings.data_source_replicas = vec!["postgres://u:p@replica/mm".into()];
    c.file_settings.amazon_s3_secret_access_key = "s3secret".into();
    c.email_settings.smtp_password = "smtpsecret".into();
    c.cache_settings.redis_password = "redissecret".into();
    c.service_settings.site_url = "https://chat.example.com".into();

    let v = c.to_sanitized_json();
    let text = v.to_string();
    for secret in ["hunter2", "u:p@", "s3secret", "smtpsecret", "redissecret"] {
        assert!(!text.contains(secret), "{secret} leaked");
    }
    assert_eq!(v["SqlSettings"]["DataSource"], json!(FAKE_SETTING));
    assert_eq!(v["EmailSettings"]["SMTPPassword"], json!(FAKE_SETTING));
    assert_eq!(
        v["ServiceSettings"]["SiteURL"],
        json!("https://chat.example.com")
    );
    // Unset secrets stay visibly unset.
    assert_eq!(
        Config::default().to_sanitized_json()["EmailSettings"]["SMTPPassword"],
        json!("")
    );
}

#[test]
fn database_url_defaults_to_data_directory() {
    let mut c = Config::default();
    assert_eq!(c.database_url(), "./data/utmost.db");
    c.file_settings.directory = "/var/lib/utmost".into();
    assert_eq!(c.database_url(), "/var/lib/utmost/utmost.db");
    c.sql_settings.data_source = "/tmp/x.db".into();
    assert_eq!(c.database_url(), "/tmp/x.db");
}

#[test]
fn validate_rejects_bad_values() {
    let invalid = |f: fn(&mut Config), key: &str| {
        let mut c = Config::default();
        f(&mut c);
        let err = c.validate().unwrap_err().to_string();
        assert!(err.contains(key), "{err}");
    };
    invalid(
        |c| c.sql_settings.driver_name = "mysql".into(),
        "SqlSettings.DriverName",
    );
    invalid(
        |c| c.sql_settings.driver_name = "postgres".into(),
        "SqlSettings.DataSource",
    );
    invalid(
        |c| c.password_settings.minimum_length = 4,
        "PasswordSettings.MinimumLength",
    );
    invalid(
        |c| c.password_settings.minimum_length = 73,
        "PasswordSettings.MinimumLength",
    );
    invalid(
        |c| c.service_settings.session_length_web_in_hours = 0,
        "ServiceSettings.SessionLengthWebInHours",
    );
    invalid(
        |c| c.service_settings.site_url = "chat.example.com".into(),
        "ServiceSettings.SiteURL",
    );
    invalid(
        |c| c.service_settings.listen_address = "nope".into(),
        "ServiceSettings.ListenAddress",
    );
    invalid(
        |c| c.cluster_settings.enable = true,
        "ClusterSettings.Enable",
    );
    invalid(
        |c| c.email_settings.enable_email_batching = true,
        "EmailSettings.EnableEmailBatching",
    );
}

#[test]
fn mfa_needs_an_at_rest_key_of_32_characters_which_stays_hidden() {
    let mut c = Config::default();
    c.service_settings.enable_multifactor_authentication = true;
    let err = c.validate().unwrap_err().to_string();
    assert!(err.contains("SqlSettings.AtRestEncryptKey"), "{err}");
    c.sql_settings.at_rest_encrypt_key = "too short".into();
    let err = c.validate().unwrap_err().to_string();
    assert!(err.contains("at least 32"), "{err}");
    c.sql_settings.at_rest_encrypt_key = "k".repeat(32);
    c.validate().unwrap();
    let v = c.to_sanitized_json();
    assert_eq!(v["SqlSettings"]["AtRestEncryptKey"], json!(FAKE_SETTING));
}

#[test]
fn ldap_settings_name_the_directory_while_enabled() {
    let mut c = Config::default();
    c.validate().unwrap();
    c.ldap_settings.enable = true;
    let err = c.validate().unwrap_err().to_string();
    assert!(err.contains("LdapSettings.LdapServer"), "{err}");
    let s = &mut c.ldap_settings;
    s.ldap_server = "ldap.example.com".into();
    s.base_dn = "dc=example,dc=com".into();
    s.id_attribute = "objectGUID".into();
    s.username_attribute = "sAMAccountName".into();
    s.email_attribute = "mail".into();
    c.validate().unwrap();
    c.ldap_settings.connection_security = "SSL".into();
    let err = c.validate().unwrap_err().to_string();
    assert!(err.contains("LdapSettings.ConnectionSecurity"), "{err}");
    // The bind password is a secret: masked when the config is shown.
    c.ldap_settings.bind_password = "hunter2".into();
    let shown = c.to_sanitized_json();
    assert_eq!(shown["LdapSettings"]["BindPassword"], FAKE_SETTING);
    assert_eq!(shown["LdapSettings"]["BaseDN"], "dc=example,dc=com");
}

#[test]
fn saml_settings_name_the_idp_and_the_attributes_while_enabled() {
    let mut c = Config::default();
    assert_eq!(c.saml_settings.login_button_text, "SAML");
    assert!(c.saml_settings.verify && c.saml_settings.encrypt);
    c.saml_settings.enable = true;
    let err = c.validate().unwrap_err().to_string();
    assert!(err.contains("SamlSettings.IdpURL"), "{err}");
    let s = &mut c.saml_settings;
    s.idp_url = "https://idp.example.com/sso".into();
    s.idp_descriptor_url = "https://idp.example.com/metadata".into();
    s.service_provider_identifier = "https://chat.example.com".into();
    s.email_attribute = "email".into();
    let err = c.validate().unwrap_err().to_string();
    assert!(err.contains("SamlSettings.UsernameAttribute"), "{err}");
    c.saml_settings.username_attribute = "uid".into();
    c.validate().unwrap();
    c.saml_settings.guest_attribute = "guests".into();
    let err = c.validate().unwrap_err().to_string();
    assert!(err.contains("SamlSettings.GuestAttribute"), "{err}");
    c.saml_settings.guest_attribute = "groups=guests".into();
    c.saml_settings.signature_algorithm = "RSAwithMD5".into();
    let err = c.validate().unwrap_err().to_string();
    assert!(err.contains("SamlSettings.SignatureAlgorithm"), "{err}");
    // Mattermost's key spellings.
    let json = serde_json::to_value(&c).unwrap();
    for key in [
        "IdpURL",
        "IdpDescriptorURL",
        "AssertionConsumerServiceURL",
        "ScopingIDPProviderId",
    ] {
        assert!(json["SamlSettings"].get(key).is_some(), "{key}");
    }
}

#[test]
fn the_config_files_live_beside_the_config_file() {
    let dir = std::env::temp_dir().join(format!("utmost-config-dir-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("config.json");
    std::fs::write(&file, "{}").unwrap();
    let loaded = Config::load(LoadOptions {
        file: Some(file),
        ..LoadOptions::default()
    })
    .unwrap();
    assert_eq!(loaded.config.files_dir(), dir);
    // Without a file: the data directory.
    let bare = Config::load(LoadOptions::default()).unwrap().config;
    assert_eq!(
        bare.files_dir(),
        std::path::Path::new(&bare.file_settings.directory)
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn sso_sections_keep_mattermosts_keys_and_check_an_enabled_service() {
    let c = Config::default();
    let json = serde_json::to_value(&c).unwrap();
    assert_eq!(json["GitLabSettings"]["UserAPIEndpoint"], "");
    assert_eq!(json["GoogleSettings"]["Scope"], "profile email");
    assert_eq!(json["Office365Settings"]["DirectoryId"], "");
    assert_eq!(json["OpenIdSettings"]["Scope"], "profile openid email");
    assert_eq!(
        json["NativeAppSettings"]["AppCustomURLSchemes"],
        serde_json::json!(["mmauth://", "mmauthbeta://"])
    );
    c.validate().unwrap();

    let mut c = Config::default();
    c.open_id_settings.enable = true;
    let err = c.validate().unwrap_err().to_string();
    assert!(err.contains("OpenIdSettings.Id"), "{err}");
    c.open_id_settings.id = "client".into();
    c.open_id_settings.secret = "secret".into();
    let err = c.validate().unwrap_err().to_string();
    assert!(err.contains("OpenIdSettings.DiscoveryEndpoint"), "{err}");
    c.open_id_settings.discovery_endpoint = "ftp://idp.example/".into();
    assert!(c.validate().is_err());
    c.open_id_settings.discovery_endpoint =
        "https://idp.example/.well-known/openid-configuration".into();
    c.validate().unwrap();

    c.open_id_settings.secret = "shh".into();
    assert_eq!(
        c.to_sanitized_json()["OpenIdSettings"]["Secret"],
        crate::FAKE_SETTING
    );
}

#[test]
fn replica_settings_read_as_mattermost_writes_them_and_their_sources_stay_secret() {
    let doc = json!({"SqlSettings": {
        "DataSourceSearchReplicas": ["postgres://s:searchpw@search/mm"],
        "ReplicaMonitorIntervalSeconds": 7,
        "ReplicaLagSettings": [{
            "DataSource": "postgres://l:lagpw@primary/mm",
            "QueryAbsoluteLag": "select 'r1', 1",
            "QueryTimeLag": "select 'r1', 2.5"
        }]
    }});
    let c: Config = serde_json::from_value(doc).unwrap();
    let s = &c.sql_settings;
    assert_eq!(s.replica_monitor_interval_seconds, 7);
    assert_eq!(s.data_source_search_replicas.len(), 1);
    assert_eq!(s.replica_lag_settings[0].query_time_lag, "select 'r1', 2.5");
    assert_eq!(
        Config::default()
            .sql_settings
            .replica_monitor_interval_seconds,
        5
    );

    let shown = c.to_sanitized_json();
    let text = shown.to_string();
    assert!(
        !text.contains("searchpw") && !text.contains("lagpw"),
        "{text}"
    );
    assert_eq!(
        shown["SqlSettings"]["ReplicaLagSettings"][0]["QueryAbsoluteLag"],
        "select 'r1', 1"
    );

    // Saving the masked document back keeps the real connection strings.
    let mut saved: Config = serde_json::from_value(shown).unwrap();
    crate::persist::restore_secrets(&mut saved, &c);
    assert_eq!(saved.sql_settings, c.sql_settings);
}
