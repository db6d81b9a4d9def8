//! Mattermost's permission ids as of server 10.3, grouped by the scope Mattermost gives them.
//!
//! Role rows store these strings (`Role.permissions[]`), clients receive them from the roles
//! endpoints and evaluate them locally, so every id here must match Mattermost byte for byte.
//!
//! [`ALL`] is what Mattermost calls `AllPermissions`: every live permission, the set the
//! `system_admin` role is seeded with. The ids Mattermost still defines but no longer checks are
//! in [`DEPRECATED`]; they are valid in role rows (older databases carry them) but not in [`ALL`].

// ---------------------------------------------------------------------------
// System scope (not System Console)

pub const ASSIGN_SYSTEM_ADMIN_ROLE: &str = "assign_system_admin_role";
pub const MANAGE_ROLES: &str = "manage_roles";
pub const MANAGE_SYSTEM: &str = "manage_system";
pub const CREATE_DIRECT_CHANNEL: &str = "create_direct_channel";
pub const CREATE_GROUP_CHANNEL: &str = "create_group_channel";
pub const LIST_PUBLIC_TEAMS: &str = "list_public_teams";
pub const JOIN_PUBLIC_TEAMS: &str = "join_public_teams";
pub const LIST_PRIVATE_TEAMS: &str = "list_private_teams";
pub const JOIN_PRIVATE_TEAMS: &str = "join_private_teams";
pub const EDIT_OTHER_USERS: &str = "edit_other_users";
pub const READ_OTHER_USERS_TEAMS: &str = "read_other_users_teams";
pub const GET_PUBLIC_LINK: &str = "get_public_link";
pub const MANAGE_OAUTH: &str = "manage_oauth";
pub const MANAGE_SYSTEM_WIDE_OAUTH: &str = "manage_system_wide_oauth";
pub const CREATE_TEAM: &str = "create_team";
pub const LIST_USERS_WITHOUT_TEAM: &str = "list_users_without_team";
pub const CREATE_USER_ACCESS_TOKEN: &str = "create_user_access_token";
pub const READ_USER_ACCESS_TOKEN: &str = "read_user_access_token";
pub const REVOKE_USER_ACCESS_TOKEN: &str = "revoke_user_access_token";
pub const CREATE_BOT: &str = "create_bot";
pub const ASSIGN_BOT: &str = "assign_bot";
pub const READ_BOTS: &str = "read_bots";
pub const READ_OTHERS_BOTS: &str = "read_others_bots";
pub const MANAGE_BOTS: &str = "manage_bots";
pub const MANAGE_OTHERS_BOTS: &str = "manage_others_bots";
pub const READ_JOBS: &str = "read_jobs";
pub const MANAGE_JOBS: &str = "manage_jobs";
pub const PROMOTE_GUEST: &str = "promote_guest";
pub const DEMOTE_TO_GUEST: &str = "demote_to_guest";
pub const EDIT_BRAND: &str = "edit_brand";
pub const MANAGE_SHARED_CHANNELS: &str = "manage_shared_channels";
pub const MANAGE_SECURE_CONNECTIONS: &str = "manage_secure_connections";
pub const DOWNLOAD_COMPLIANCE_EXPORT_RESULT: &str = "download_compliance_export_result";
pub const CREATE_DATA_RETENTION_JOB: &str = "create_data_retention_job";
pub const MANAGE_DATA_RETENTION_JOB: &str = "manage_data_retention_job";
pub const READ_DATA_RETENTION_JOB: &str = "read_data_retention_job";
pub const CREATE_COMPLIANCE_EXPORT_JOB: &str = "create_compliance_export_job";
pub const MANAGE_COMPLIANCE_EXPORT_JOB: &str = "manage_compliance_export_job";
pub const READ_COMPLIANCE_EXPORT_JOB: &str = "read_compliance_export_job";
pub const READ_AUDITS: &str = "read_audits";
pub const TEST_SITE_URL: &str = "test_site_url";
pub const TEST_ELASTICSEARCH: &str = "test_elasticsearch";
pub const TEST_S3: &str = "test_s3";
pub const RELOAD_CONFIG: &str = "reload_config";
pub const INVALIDATE_CACHES: &str = "invalidate_caches";
pub const RECYCLE_DATABASE_CONNECTIONS: &str = "recycle_database_connections";
pub const PURGE_ELASTICSEARCH_INDEXES: &str = "purge_elasticsearch_indexes";
pub const TEST_EMAIL: &str = "test_email";
pub const CREATE_ELASTICSEARCH_POST_INDEXING_JOB: &str = "create_elasticsearch_post_indexing_job";
pub const MANAGE_ELASTICSEARCH_POST_INDEXING_JOB: &str = "manage_elasticsearch_post_indexing_job";
pub const CREATE_ELASTICSEARCH_POST_AGGREGATION_JOB: &str =
    "create_elasticsearch_post_aggregation_job";
pub const MANAGE_ELASTICSEARCH_POST_AGGREGATION_JOB: &str =
    "manage_elasticsearch_post_aggregation_job";
pub const READ_ELASTICSEARCH_POST_INDEXING_JOB: &str = "read_elasticsearch_post_indexing_job";
pub const READ_ELASTICSEARCH_POST_AGGREGATION_JOB: &str = "read_elasticsearch_post_aggregation_job";
pub const PURGE_BLEVE_INDEXES: &str = "purge_bleve_indexes";
pub const CREATE_POST_BLEVE_INDEXES_JOB: &str = "create_post_bleve_indexes_job";
pub const MANAGE_POST_BLEVE_INDEXES_JOB: &str = "manage_post_bleve_indexes_job";
pub const CREATE_LDAP_SYNC_JOB: &str = "create_ldap_sync_job";
pub const MANAGE_LDAP_SYNC_JOB: &str = "manage_ldap_sync_job";
pub const READ_LDAP_SYNC_JOB: &str = "read_ldap_sync_job";
pub const TEST_LDAP: &str = "test_ldap";
pub const INVALIDATE_EMAIL_INVITE: &str = "invalidate_email_invite";
pub const GET_SAML_METADATA_FROM_IDP: &str = "get_saml_metadata_from_idp";
pub const ADD_SAML_PUBLIC_CERT: &str = "add_saml_public_cert";
pub const ADD_SAML_PRIVATE_CERT: &str = "add_saml_private_cert";
pub const ADD_SAML_IDP_CERT: &str = "add_saml_idp_cert";
pub const REMOVE_SAML_PUBLIC_CERT: &str = "remove_saml_public_cert";
pub const REMOVE_SAML_PRIVATE_CERT: &str = "remove_saml_private_cert";
pub const REMOVE_SAML_IDP_CERT: &str = "remove_saml_idp_cert";
pub const GET_SAML_CERT_STATUS: &str = "get_saml_cert_status";
pub const ADD_LDAP_PUBLIC_CERT: &str = "add_ldap_public_cert";
pub const ADD_LDAP_PRIVATE_CERT: &str = "add_ldap_private_cert";
pub const REMOVE_LDAP_PUBLIC_CERT: &str = "remove_ldap_public_cert";
pub const REMOVE_LDAP_PRIVATE_CERT: &str = "remove_ldap_private_cert";
pub const GET_ANALYTICS: &str = "get_analytics";
pub const GET_LOGS: &str = "get_logs";
pub const READ_LICENSE_INFORMATION: &str = "read_license_information";
pub const MANAGE_LICENSE_INFORMATION: &str = "manage_license_information";
pub const CREATE_CUSTOM_GROUP: &str = "create_custom_group";
pub const MANAGE_OUTGOING_OAUTH_CONNECTIONS: &str = "manage_outgoing_oauth_connections";

/// System-scoped permissions other than the `sysconsole_*` ones (Mattermost's `SystemScopedPermissionsMinusSysconsole`).
pub const SYSTEM_SCOPE: &[&str] = &[
    ASSIGN_SYSTEM_ADMIN_ROLE,
    MANAGE_ROLES,
    MANAGE_SYSTEM,
    CREATE_DIRECT_CHANNEL,
    CREATE_GROUP_CHANNEL,
    LIST_PUBLIC_TEAMS,
    JOIN_PUBLIC_TEAMS,
    LIST_PRIVATE_TEAMS,
    JOIN_PRIVATE_TEAMS,
    EDIT_OTHER_USERS,
    READ_OTHER_USERS_TEAMS,
    GET_PUBLIC_LINK,
    MANAGE_OAUTH,
    MANAGE_SYSTEM_WIDE_OAUTH,
    CREATE_TEAM,
    LIST_USERS_WITHOUT_TEAM,
    CREATE_USER_ACCESS_TOKEN,
    READ_USER_ACCESS_TOKEN,
    REVOKE_USER_ACCESS_TOKEN,
    CREATE_BOT,
    ASSIGN_BOT,
    READ_BOTS,
    READ_OTHERS_BOTS,
    MANAGE_BOTS,
    MANAGE_OTHERS_BOTS,
    READ_JOBS,
    MANAGE_JOBS,
    PROMOTE_GUEST,
    DEMOTE_TO_GUEST,
    EDIT_BRAND,
    MANAGE_SHARED_CHANNELS,
    MANAGE_SECURE_CONNECTIONS,
    DOWNLOAD_COMPLIANCE_EXPORT_RESULT,
    CREATE_DATA_RETENTION_JOB,
    MANAGE_DATA_RETENTION_JOB,
    READ_DATA_RETENTION_JOB,
    CREATE_COMPLIANCE_EXPORT_JOB,
    MANAGE_COMPLIANCE_EXPORT_JOB,
    READ_COMPLIANCE_EXPORT_JOB,
    READ_AUDITS,
    TEST_SITE_URL,
    TEST_ELASTICSEARCH,
    TEST_S3,
    RELOAD_CONFIG,
    INVALIDATE_CACHES,
    RECYCLE_DATABASE_CONNECTIONS,
    PURGE_ELASTICSEARCH_INDEXES,
    TEST_EMAIL,
    CREATE_ELASTICSEARCH_POST_INDEXING_JOB,
    MANAGE_ELASTICSEARCH_POST_INDEXING_JOB,
    CREATE_ELASTICSEARCH_POST_AGGREGATION_JOB,
    MANAGE_ELASTICSEARCH_POST_AGGREGATION_JOB,
    READ_ELASTICSEARCH_POST_INDEXING_JOB,
    READ_ELASTICSEARCH_POST_AGGREGATION_JOB,
    PURGE_BLEVE_INDEXES,
    CREATE_POST_BLEVE_INDEXES_JOB,
    MANAGE_POST_BLEVE_INDEXES_JOB,
    CREATE_LDAP_SYNC_JOB,
    MANAGE_LDAP_SYNC_JOB,
    READ_LDAP_SYNC_JOB,
    TEST_LDAP,
    INVALIDATE_EMAIL_INVITE,
    GET_SAML_METADATA_FROM_IDP,
    ADD_SAML_PUBLIC_CERT,
    ADD_SAML_PRIVATE_CERT,
    ADD_SAML_IDP_CERT,
    REMOVE_SAML_PUBLIC_CERT,
    REMOVE_SAML_PRIVATE_CERT,
    REMOVE_SAML_IDP_CERT,
    GET_SAML_CERT_STATUS,
    ADD_LDAP_PUBLIC_CERT,
    ADD_LDAP_PRIVATE_CERT,
    REMOVE_LDAP_PUBLIC_CERT,
    REMOVE_LDAP_PRIVATE_CERT,
    GET_ANALYTICS,
    GET_LOGS,
    READ_LICENSE_INFORMATION,
    MANAGE_LICENSE_INFORMATION,
    CREATE_CUSTOM_GROUP,
    MANAGE_OUTGOING_OAUTH_CONNECTIONS,
];

// ---------------------------------------------------------------------------
// System Console, read (system scope)

pub const SYSCONSOLE_READ_ABOUT_EDITION_AND_LICENSE: &str =
    "sysconsole_read_about_edition_and_license";
pub const SYSCONSOLE_READ_BILLING: &str = "sysconsole_read_billing";
pub const SYSCONSOLE_READ_REPORTING_SITE_STATISTICS: &str =
    "sysconsole_read_reporting_site_statistics";
pub const SYSCONSOLE_READ_REPORTING_TEAM_STATISTICS: &str =
    "sysconsole_read_reporting_team_statistics";
pub const SYSCONSOLE_READ_REPORTING_SERVER_LOGS: &str = "sysconsole_read_reporting_server_logs";
pub const SYSCONSOLE_READ_USER_MANAGEMENT_USERS: &str = "sysconsole_read_user_management_users";
pub const SYSCONSOLE_READ_USER_MANAGEMENT_GROUPS: &str = "sysconsole_read_user_management_groups";
pub const SYSCONSOLE_READ_USER_MANAGEMENT_TEAMS: &str = "sysconsole_read_user_management_teams";
pub const SYSCONSOLE_READ_USER_MANAGEMENT_CHANNELS: &str =
    "sysconsole_read_user_management_channels";
pub const SYSCONSOLE_READ_USER_MANAGEMENT_PERMISSIONS: &str =
    "sysconsole_read_user_management_permissions";
pub const SYSCONSOLE_READ_USER_MANAGEMENT_SYSTEM_ROLES: &str =
    "sysconsole_read_user_management_system_roles";
pub const SYSCONSOLE_READ_ENVIRONMENT_WEB_SERVER: &str = "sysconsole_read_environment_web_server";
pub const SYSCONSOLE_READ_ENVIRONMENT_DATABASE: &str = "sysconsole_read_environment_database";
pub const SYSCONSOLE_READ_ENVIRONMENT_ELASTICSEARCH: &str =
    "sysconsole_read_environment_elasticsearch";
pub const SYSCONSOLE_READ_ENVIRONMENT_FILE_STORAGE: &str =
    "sysconsole_read_environment_file_storage";
pub const SYSCONSOLE_READ_ENVIRONMENT_IMAGE_PROXY: &str = "sysconsole_read_environment_image_proxy";
pub const SYSCONSOLE_READ_ENVIRONMENT_SMTP: &str = "sysconsole_read_environment_smtp";
pub const SYSCONSOLE_READ_ENVIRONMENT_PUSH_NOTIFICATION_SERVER: &str =
    "sysconsole_read_environment_push_notification_server";
pub const SYSCONSOLE_READ_ENVIRONMENT_HIGH_AVAILABILITY: &str =
    "sysconsole_read_environment_high_availability";
pub const SYSCONSOLE_READ_ENVIRONMENT_RATE_LIMITING: &str =
    "sysconsole_read_environment_rate_limiting";
pub const SYSCONSOLE_READ_ENVIRONMENT_LOGGING: &str = "sysconsole_read_environment_logging";
pub const SYSCONSOLE_READ_ENVIRONMENT_SESSION_LENGTHS: &str =
    "sysconsole_read_environment_session_lengths";
pub const SYSCONSOLE_READ_ENVIRONMENT_PERFORMANCE_MONITORING: &str =
    "sysconsole_read_environment_performance_monitoring";
pub const SYSCONSOLE_READ_ENVIRONMENT_DEVELOPER: &str = "sysconsole_read_environment_developer";
pub const SYSCONSOLE_READ_SITE_CUSTOMIZATION: &str = "sysconsole_read_site_customization";
pub const SYSCONSOLE_READ_SITE_LOCALIZATION: &str = "sysconsole_read_site_localization";
pub const SYSCONSOLE_READ_SITE_USERS_AND_TEAMS: &str = "sysconsole_read_site_users_and_teams";
pub const SYSCONSOLE_READ_SITE_NOTIFICATIONS: &str = "sysconsole_read_site_notifications";
pub const SYSCONSOLE_READ_SITE_ANNOUNCEMENT_BANNER: &str =
    "sysconsole_read_site_announcement_banner";
pub const SYSCONSOLE_READ_SITE_EMOJI: &str = "sysconsole_read_site_emoji";
pub const SYSCONSOLE_READ_SITE_POSTS: &str = "sysconsole_read_site_posts";
pub const SYSCONSOLE_READ_SITE_FILE_SHARING_AND_DOWNLOADS: &str =
    "sysconsole_read_site_file_sharing_and_downloads";
pub const SYSCONSOLE_READ_SITE_PUBLIC_LINKS: &str = "sysconsole_read_site_public_links";
pub const SYSCONSOLE_READ_SITE_NOTICES: &str = "sysconsole_read_site_notices";
pub const SYSCONSOLE_READ_AUTHENTICATION_SIGNUP: &str = "sysconsole_read_authentication_signup";
pub const SYSCONSOLE_READ_AUTHENTICATION_EMAIL: &str = "sysconsole_read_authentication_email";
pub const SYSCONSOLE_READ_AUTHENTICATION_PASSWORD: &str = "sysconsole_read_authentication_password";
pub const SYSCONSOLE_READ_AUTHENTICATION_MFA: &str = "sysconsole_read_authentication_mfa";
pub const SYSCONSOLE_READ_AUTHENTICATION_LDAP: &str = "sysconsole_read_authentication_ldap";
pub const SYSCONSOLE_READ_AUTHENTICATION_SAML: &str = "sysconsole_read_authentication_saml";
pub const SYSCONSOLE_READ_AUTHENTICATION_OPENID: &str = "sysconsole_read_authentication_openid";
pub const SYSCONSOLE_READ_AUTHENTICATION_GUEST_ACCESS: &str =
    "sysconsole_read_authentication_guest_access";
pub const SYSCONSOLE_READ_PLUGINS: &str = "sysconsole_read_plugins";
pub const SYSCONSOLE_READ_INTEGRATIONS_INTEGRATION_MANAGEMENT: &str =
    "sysconsole_read_integrations_integration_management";
pub const SYSCONSOLE_READ_INTEGRATIONS_BOT_ACCOUNTS: &str =
    "sysconsole_read_integrations_bot_accounts";
pub const SYSCONSOLE_READ_INTEGRATIONS_GIF: &str = "sysconsole_read_integrations_gif";
pub const SYSCONSOLE_READ_INTEGRATIONS_CORS: &str = "sysconsole_read_integrations_cors";
pub const SYSCONSOLE_READ_COMPLIANCE_DATA_RETENTION_POLICY: &str =
    "sysconsole_read_compliance_data_retention_policy";
pub const SYSCONSOLE_READ_COMPLIANCE_COMPLIANCE_EXPORT: &str =
    "sysconsole_read_compliance_compliance_export";
pub const SYSCONSOLE_READ_COMPLIANCE_COMPLIANCE_MONITORING: &str =
    "sysconsole_read_compliance_compliance_monitoring";
pub const SYSCONSOLE_READ_COMPLIANCE_CUSTOM_TERMS_OF_SERVICE: &str =
    "sysconsole_read_compliance_custom_terms_of_service";
pub const SYSCONSOLE_READ_EXPERIMENTAL_FEATURES: &str = "sysconsole_read_experimental_features";
pub const SYSCONSOLE_READ_EXPERIMENTAL_FEATURE_FLAGS: &str =
    "sysconsole_read_experimental_feature_flags";
pub const SYSCONSOLE_READ_EXPERIMENTAL_BLEVE: &str = "sysconsole_read_experimental_bleve";
pub const SYSCONSOLE_READ_PRODUCTS_BOARDS: &str = "sysconsole_read_products_boards";
pub const SYSCONSOLE_READ_SITE_IP_FILTERS: &str = "sysconsole_read_site_ip_filters";

/// The `sysconsole_read_*` permissions, one per System Console section (system scope).
pub const SYSCONSOLE_READ: &[&str] = &[
    SYSCONSOLE_READ_ABOUT_EDITION_AND_LICENSE,
    SYSCONSOLE_READ_BILLING,
    SYSCONSOLE_READ_REPORTING_SITE_STATISTICS,
    SYSCONSOLE_READ_REPORTING_TEAM_STATISTICS,
    SYSCONSOLE_READ_REPORTING_SERVER_LOGS,
    SYSCONSOLE_READ_USER_MANAGEMENT_USERS,
    SYSCONSOLE_READ_USER_MANAGEMENT_GROUPS,
    SYSCONSOLE_READ_USER_MANAGEMENT_TEAMS,
    SYSCONSOLE_READ_USER_MANAGEMENT_CHANNELS,
    SYSCONSOLE_READ_USER_MANAGEMENT_PERMISSIONS,
    SYSCONSOLE_READ_USER_MANAGEMENT_SYSTEM_ROLES,
    SYSCONSOLE_READ_ENVIRONMENT_WEB_SERVER,
    SYSCONSOLE_READ_ENVIRONMENT_DATABASE,
    SYSCONSOLE_READ_ENVIRONMENT_ELASTICSEARCH,
    SYSCONSOLE_READ_ENVIRONMENT_FILE_STORAGE,
    SYSCONSOLE_READ_ENVIRONMENT_IMAGE_PROXY,
    SYSCONSOLE_READ_ENVIRONMENT_SMTP,
    SYSCONSOLE_READ_ENVIRONMENT_PUSH_NOTIFICATION_SERVER,
    SYSCONSOLE_READ_ENVIRONMENT_HIGH_AVAILABILITY,
    SYSCONSOLE_READ_ENVIRONMENT_RATE_LIMITING,
    SYSCONSOLE_READ_ENVIRONMENT_LOGGING,
    SYSCONSOLE_READ_ENVIRONMENT_SESSION_LENGTHS,
    SYSCONSOLE_READ_ENVIRONMENT_PERFORMANCE_MONITORING,
    SYSCONSOLE_READ_ENVIRONMENT_DEVELOPER,
    SYSCONSOLE_READ_SITE_CUSTOMIZATION,
    SYSCONSOLE_READ_SITE_LOCALIZATION,
    SYSCONSOLE_READ_SITE_USERS_AND_TEAMS,
    SYSCONSOLE_READ_SITE_NOTIFICATIONS,
    SYSCONSOLE_READ_SITE_ANNOUNCEMENT_BANNER,
    SYSCONSOLE_READ_SITE_EMOJI,
    SYSCONSOLE_READ_SITE_POSTS,
    SYSCONSOLE_READ_SITE_FILE_SHARING_AND_DOWNLOADS,
    SYSCONSOLE_READ_SITE_PUBLIC_LINKS,
    SYSCONSOLE_READ_SITE_NOTICES,
    SYSCONSOLE_READ_AUTHENTICATION_SIGNUP,
    SYSCONSOLE_READ_AUTHENTICATION_EMAIL,
    SYSCONSOLE_READ_AUTHENTICATION_PASSWORD,
    SYSCONSOLE_READ_AUTHENTICATION_MFA,
    SYSCONSOLE_READ_AUTHENTICATION_LDAP,
    SYSCONSOLE_READ_AUTHENTICATION_SAML,
    SYSCONSOLE_READ_AUTHENTICATION_OPENID,
    SYSCONSOLE_READ_AUTHENTICATION_GUEST_ACCESS,
    SYSCONSOLE_READ_PLUGINS,
    SYSCONSOLE_READ_INTEGRATIONS_INTEGRATION_MANAGEMENT,
    SYSCONSOLE_READ_INTEGRATIONS_BOT_ACCOUNTS,
    SYSCONSOLE_READ_INTEGRATIONS_GIF,
    SYSCONSOLE_READ_INTEGRATIONS_CORS,
    SYSCONSOLE_READ_COMPLIANCE_DATA_RETENTION_POLICY,
    SYSCONSOLE_READ_COMPLIANCE_COMPLIANCE_EXPORT,
    SYSCONSOLE_READ_COMPLIANCE_COMPLIANCE_MONITORING,
    SYSCONSOLE_READ_COMPLIANCE_CUSTOM_TERMS_OF_SERVICE,
    SYSCONSOLE_READ_EXPERIMENTAL_FEATURES,
    SYSCONSOLE_READ_EXPERIMENTAL_FEATURE_FLAGS,
    SYSCONSOLE_READ_EXPERIMENTAL_BLEVE,
    SYSCONSOLE_READ_PRODUCTS_BOARDS,
    SYSCONSOLE_READ_SITE_IP_FILTERS,
];

// ---------------------------------------------------------------------------
// System Console, write (system scope)

pub const SYSCONSOLE_WRITE_ABOUT_EDITION_AND_LICENSE: &str =
    "sysconsole_write_about_edition_and_license";
pub const SYSCONSOLE_WRITE_BILLING: &str = "sysconsole_write_billing";
pub const SYSCONSOLE_WRITE_REPORTING_SITE_STATISTICS: &str =
    "sysconsole_write_reporting_site_statistics";
pub const SYSCONSOLE_WRITE_REPORTING_TEAM_STATISTICS: &str =
    "sysconsole_write_reporting_team_statistics";
pub const SYSCONSOLE_WRITE_REPORTING_SERVER_LOGS: &str = "sysconsole_write_reporting_server_logs";
pub const SYSCONSOLE_WRITE_USER_MANAGEMENT_USERS: &str = "sysconsole_write_user_management_users";
pub const SYSCONSOLE_WRITE_USER_MANAGEMENT_GROUPS: &str = "sysconsole_write_user_management_groups";
pub const SYSCONSOLE_WRITE_USER_MANAGEMENT_TEAMS: &str = "sysconsole_write_user_management_teams";
pub const SYSCONSOLE_WRITE_USER_MANAGEMENT_CHANNELS: &str =
    "sysconsole_write_user_management_channels";
pub const SYSCONSOLE_WRITE_USER_MANAGEMENT_PERMISSIONS: &str =
    "sysconsole_write_user_management_permissions";
pub const SYSCONSOLE_WRITE_USER_MANAGEMENT_SYSTEM_ROLES: &str =
    "sysconsole_write_user_management_system_roles";
pub const SYSCONSOLE_WRITE_ENVIRONMENT_WEB_SERVER: &str = "sysconsole_write_environment_web_server";
pub const SYSCONSOLE_WRITE_ENVIRONMENT_DATABASE: &str = "sysconsole_write_environment_database";
pub const SYSCONSOLE_WRITE_ENVIRONMENT_ELASTICSEARCH: &str =
    "sysconsole_write_environment_elasticsearch";
pub const SYSCONSOLE_WRITE_ENVIRONMENT_FILE_STORAGE: &str =
    "sysconsole_write_environment_file_storage";
pub const SYSCONSOLE_WRITE_ENVIRONMENT_IMAGE_PROXY: &str =
    "sysconsole_write_environment_image_proxy";
pub const SYSCONSOLE_WRITE_ENVIRONMENT_SMTP: &str = "sysconsole_write_environment_smtp";
pub const SYSCONSOLE_WRITE_ENVIRONMENT_PUSH_NOTIFICATION_SERVER: &str =
    "sysconsole_write_environment_push_notification_server";
pub const SYSCONSOLE_WRITE_ENVIRONMENT_HIGH_AVAILABILITY: &str =
    "sysconsole_write_environment_high_availability";
pub const SYSCONSOLE_WRITE_ENVIRONMENT_RATE_LIMITING: &str =
    "sysconsole_write_environment_rate_limiting";
pub const SYSCONSOLE_WRITE_ENVIRONMENT_LOGGING: &str = "sysconsole_write_environment_logging";
pub const SYSCONSOLE_WRITE_ENVIRONMENT_SESSION_LENGTHS: &str =
    "sysconsole_write_environment_session_lengths";
pub const SYSCONSOLE_WRITE_ENVIRONMENT_PERFORMANCE_MONITORING: &str =
    "sysconsole_write_environment_performance_monitoring";
pub const SYSCONSOLE_WRITE_ENVIRONMENT_DEVELOPER: &str = "sysconsole_write_environment_developer";
pub const SYSCONSOLE_WRITE_SITE_CUSTOMIZATION: &str = "sysconsole_write_site_customization";
pub const SYSCONSOLE_WRITE_SITE_LOCALIZATION: &str = "sysconsole_write_site_localization";
pub const SYSCONSOLE_WRITE_SITE_USERS_AND_TEAMS: &str = "sysconsole_write_site_users_and_teams";
pub const SYSCONSOLE_WRITE_SITE_NOTIFICATIONS: &str = "sysconsole_write_site_notifications";
pub const SYSCONSOLE_WRITE_SITE_ANNOUNCEMENT_BANNER: &str =
    "sysconsole_write_site_announcement_banner";
pub const SYSCONSOLE_WRITE_SITE_EMOJI: &str = "sysconsole_write_site_emoji";
pub const SYSCONSOLE_WRITE_SITE_POSTS: &str = "sysconsole_write_site_posts";
pub const SYSCONSOLE_WRITE_SITE_FILE_SHARING_AND_DOWNLOADS: &str =
    "sysconsole_write_site_file_sharing_and_downloads";
pub const SYSCONSOLE_WRITE_SITE_PUBLIC_LINKS: &str = "sysconsole_write_site_public_links";
pub const SYSCONSOLE_WRITE_SITE_NOTICES: &str = "sysconsole_write_site_notices";
pub const SYSCONSOLE_WRITE_AUTHENTICATION_SIGNUP: &str = "sysconsole_write_authentication_signup";
pub const SYSCONSOLE_WRITE_AUTHENTICATION_EMAIL: &str = "sysconsole_write_authentication_email";
pub const SYSCONSOLE_WRITE_AUTHENTICATION_PASSWORD: &str =
    "sysconsole_write_authentication_password";
pub const SYSCONSOLE_WRITE_AUTHENTICATION_MFA: &str = "sysconsole_write_authentication_mfa";
pub const SYSCONSOLE_WRITE_AUTHENTICATION_LDAP: &str = "sysconsole_write_authentication_ldap";
pub const SYSCONSOLE_WRITE_AUTHENTICATION_SAML: &str = "sysconsole_write_authentication_saml";
pub const SYSCONSOLE_WRITE_AUTHENTICATION_OPENID: &str = "sysconsole_write_authentication_openid";
pub const SYSCONSOLE_WRITE_AUTHENTICATION_GUEST_ACCESS: &str =
    "sysconsole_write_authentication_guest_access";
pub const SYSCONSOLE_WRITE_PLUGINS: &str = "sysconsole_write_plugins";
pub const SYSCONSOLE_WRITE_INTEGRATIONS_INTEGRATION_MANAGEMENT: &str =
    "sysconsole_write_integrations_integration_management";
pub const SYSCONSOLE_WRITE_INTEGRATIONS_BOT_ACCOUNTS: &str =
    "sysconsole_write_integrations_bot_accounts";
pub const SYSCONSOLE_WRITE_INTEGRATIONS_GIF: &str = "sysconsole_write_integrations_gif";
pub const SYSCONSOLE_WRITE_INTEGRATIONS_CORS: &str = "sysconsole_write_integrations_cors";
pub const SYSCONSOLE_WRITE_COMPLIANCE_DATA_RETENTION_POLICY: &str =
    "sysconsole_write_compliance_data_retention_policy";
pub const SYSCONSOLE_WRITE_COMPLIANCE_COMPLIANCE_EXPORT: &str =
    "sysconsole_write_compliance_compliance_export";
pub const SYSCONSOLE_WRITE_COMPLIANCE_COMPLIANCE_MONITORING: &str =
    "sysconsole_write_compliance_compliance_monitoring";
pub const SYSCONSOLE_WRITE_COMPLIANCE_CUSTOM_TERMS_OF_SERVICE: &str =
    "sysconsole_write_compliance_custom_terms_of_service";
pub const SYSCONSOLE_WRITE_EXPERIMENTAL_FEATURES: &str = "sysconsole_write_experimental_features";
pub const SYSCONSOLE_WRITE_EXPERIMENTAL_FEATURE_FLAGS: &str =
    "sysconsole_write_experimental_feature_flags";
pub const SYSCONSOLE_WRITE_EXPERIMENTAL_BLEVE: &str = "sysconsole_write_experimental_bleve";
pub const SYSCONSOLE_WRITE_PRODUCTS_BOARDS: &str = "sysconsole_write_products_boards";
pub const SYSCONSOLE_WRITE_SITE_IP_FILTERS: &str = "sysconsole_write_site_ip_filters";

/// The `sysconsole_write_*` permissions, one per System Console section (system scope).
pub const SYSCONSOLE_WRITE: &[&str] = &[
    SYSCONSOLE_WRITE_ABOUT_EDITION_AND_LICENSE,
    SYSCONSOLE_WRITE_BILLING,
    SYSCONSOLE_WRITE_REPORTING_SITE_STATISTICS,
    SYSCONSOLE_WRITE_REPORTING_TEAM_STATISTICS,
    SYSCONSOLE_WRITE_REPORTING_SERVER_LOGS,
    SYSCONSOLE_WRITE_USER_MANAGEMENT_USERS,
    SYSCONSOLE_WRITE_USER_MANAGEMENT_GROUPS,
    SYSCONSOLE_WRITE_USER_MANAGEMENT_TEAMS,
    SYSCONSOLE_WRITE_USER_MANAGEMENT_CHANNELS,
    SYSCONSOLE_WRITE_USER_MANAGEMENT_PERMISSIONS,
    SYSCONSOLE_WRITE_USER_MANAGEMENT_SYSTEM_ROLES,
    SYSCONSOLE_WRITE_ENVIRONMENT_WEB_SERVER,
    SYSCONSOLE_WRITE_ENVIRONMENT_DATABASE,
    SYSCONSOLE_WRITE_ENVIRONMENT_ELASTICSEARCH,
    SYSCONSOLE_WRITE_ENVIRONMENT_FILE_STORAGE,
    SYSCONSOLE_WRITE_ENVIRONMENT_IMAGE_PROXY,
    SYSCONSOLE_WRITE_ENVIRONMENT_SMTP,
    SYSCONSOLE_WRITE_ENVIRONMENT_PUSH_NOTIFICATION_SERVER,
    SYSCONSOLE_WRITE_ENVIRONMENT_HIGH_AVAILABILITY,
    SYSCONSOLE_WRITE_ENVIRONMENT_RATE_LIMITING,
    SYSCONSOLE_WRITE_ENVIRONMENT_LOGGING,
    SYSCONSOLE_WRITE_ENVIRONMENT_SESSION_LENGTHS,
    SYSCONSOLE_WRITE_ENVIRONMENT_PERFORMANCE_MONITORING,
    SYSCONSOLE_WRITE_ENVIRONMENT_DEVELOPER,
    SYSCONSOLE_WRITE_SITE_CUSTOMIZATION,
    SYSCONSOLE_WRITE_SITE_LOCALIZATION,
    SYSCONSOLE_WRITE_SITE_USERS_AND_TEAMS,
    SYSCONSOLE_WRITE_SITE_NOTIFICATIONS,
    SYSCONSOLE_WRITE_SITE_ANNOUNCEMENT_BANNER,
    SYSCONSOLE_WRITE_SITE_EMOJI,
    SYSCONSOLE_WRITE_SITE_POSTS,
    SYSCONSOLE_WRITE_SITE_FILE_SHARING_AND_DOWNLOADS,
    SYSCONSOLE_WRITE_SITE_PUBLIC_LINKS,
    SYSCONSOLE_WRITE_SITE_NOTICES,
    SYSCONSOLE_WRITE_AUTHENTICATION_SIGNUP,
    SYSCONSOLE_WRITE_AUTHENTICATION_EMAIL,
    SYSCONSOLE_WRITE_AUTHENTICATION_PASSWORD,
    SYSCONSOLE_WRITE_AUTHENTICATION_MFA,
    SYSCONSOLE_WRITE_AUTHENTICATION_LDAP,
    SYSCONSOLE_WRITE_AUTHENTICATION_SAML,
    SYSCONSOLE_WRITE_AUTHENTICATION_OPENID,
    SYSCONSOLE_WRITE_AUTHENTICATION_GUEST_ACCESS,
    SYSCONSOLE_WRITE_PLUGINS,
    SYSCONSOLE_WRITE_INTEGRATIONS_INTEGRATION_MANAGEMENT,
    SYSCONSOLE_WRITE_INTEGRATIONS_BOT_ACCOUNTS,
    SYSCONSOLE_WRITE_INTEGRATIONS_GIF,
    SYSCONSOLE_WRITE_INTEGRATIONS_CORS,
    SYSCONSOLE_WRITE_COMPLIANCE_DATA_RETENTION_POLICY,
    SYSCONSOLE_WRITE_COMPLIANCE_COMPLIANCE_EXPORT,
    SYSCONSOLE_WRITE_COMPLIANCE_COMPLIANCE_MONITORING,
    SYSCONSOLE_WRITE_COMPLIANCE_CUSTOM_TERMS_OF_SERVICE,
    SYSCONSOLE_WRITE_EXPERIMENTAL_FEATURES,
    SYSCONSOLE_WRITE_EXPERIMENTAL_FEATURE_FLAGS,
    SYSCONSOLE_WRITE_EXPERIMENTAL_BLEVE,
    SYSCONSOLE_WRITE_PRODUCTS_BOARDS,
    SYSCONSOLE_WRITE_SITE_IP_FILTERS,
];

// ---------------------------------------------------------------------------
// Team scope

pub const INVITE_USER: &str = "invite_user";
pub const ADD_USER_TO_TEAM: &str = "add_user_to_team";
pub const MANAGE_SLASH_COMMANDS: &str = "manage_slash_commands";
pub const MANAGE_OTHERS_SLASH_COMMANDS: &str = "manage_others_slash_commands";
pub const CREATE_PUBLIC_CHANNEL: &str = "create_public_channel";
pub const CREATE_PRIVATE_CHANNEL: &str = "create_private_channel";
pub const MANAGE_TEAM_ROLES: &str = "manage_team_roles";
pub const LIST_TEAM_CHANNELS: &str = "list_team_channels";
pub const JOIN_PUBLIC_CHANNELS: &str = "join_public_channels";
pub const READ_PUBLIC_CHANNEL: &str = "read_public_channel";
pub const MANAGE_INCOMING_WEBHOOKS: &str = "manage_incoming_webhooks";
pub const MANAGE_OUTGOING_WEBHOOKS: &str = "manage_outgoing_webhooks";
pub const MANAGE_OTHERS_INCOMING_WEBHOOKS: &str = "manage_others_incoming_webhooks";
pub const MANAGE_OTHERS_OUTGOING_WEBHOOKS: &str = "manage_others_outgoing_webhooks";
/// Mattermost 11's: may create or point an incoming webhook that is not locked to its channel.
pub const BYPASS_INCOMING_WEBHOOK_CHANNEL_LOCK: &str = "bypass_incoming_webhook_channel_lock";
pub const CREATE_EMOJIS: &str = "create_emojis";
pub const DELETE_EMOJIS: &str = "delete_emojis";
pub const DELETE_OTHERS_EMOJIS: &str = "delete_others_emojis";
pub const REMOVE_USER_FROM_TEAM: &str = "remove_user_from_team";
pub const MANAGE_TEAM: &str = "manage_team";
pub const IMPORT_TEAM: &str = "import_team";
pub const VIEW_TEAM: &str = "view_team";
pub const VIEW_MEMBERS: &str = "view_members";
pub const INVITE_GUEST: &str = "invite_guest";
pub const PLAYBOOK_PUBLIC_CREATE: &str = "playbook_public_create";
pub const PLAYBOOK_PRIVATE_CREATE: &str = "playbook_private_create";

/// Team-scoped permissions: granted by team roles (or system roles) for one team.
pub const TEAM_SCOPE: &[&str] = &[
    INVITE_USER,
    ADD_USER_TO_TEAM,
    MANAGE_SLASH_COMMANDS,
    MANAGE_OTHERS_SLASH_COMMANDS,
    CREATE_PUBLIC_CHANNEL,
    CREATE_PRIVATE_CHANNEL,
    MANAGE_TEAM_ROLES,
    LIST_TEAM_CHANNELS,
    JOIN_PUBLIC_CHANNELS,
    READ_PUBLIC_CHANNEL,
    MANAGE_INCOMING_WEBHOOKS,
    MANAGE_OUTGOING_WEBHOOKS,
    MANAGE_OTHERS_INCOMING_WEBHOOKS,
    MANAGE_OTHERS_OUTGOING_WEBHOOKS,
    BYPASS_INCOMING_WEBHOOK_CHANNEL_LOCK,
    CREATE_EMOJIS,
    DELETE_EMOJIS,
    DELETE_OTHERS_EMOJIS,
    REMOVE_USER_FROM_TEAM,
    MANAGE_TEAM,
    IMPORT_TEAM,
    VIEW_TEAM,
    VIEW_MEMBERS,
    INVITE_GUEST,
    PLAYBOOK_PUBLIC_CREATE,
    PLAYBOOK_PRIVATE_CREATE,
];

// ---------------------------------------------------------------------------
// Channel scope

pub const USE_SLASH_COMMANDS: &str = "use_slash_commands";
pub const MANAGE_PUBLIC_CHANNEL_MEMBERS: &str = "manage_public_channel_members";
pub const MANAGE_PRIVATE_CHANNEL_MEMBERS: &str = "manage_private_channel_members";
pub const CONVERT_PUBLIC_CHANNEL_TO_PRIVATE: &str = "convert_public_channel_to_private";
pub const CONVERT_PRIVATE_CHANNEL_TO_PUBLIC: &str = "convert_private_channel_to_public";
pub const MANAGE_CHANNEL_ROLES: &str = "manage_channel_roles";
pub const MANAGE_PUBLIC_CHANNEL_PROPERTIES: &str = "manage_public_channel_properties";
pub const MANAGE_PRIVATE_CHANNEL_PROPERTIES: &str = "manage_private_channel_properties";
pub const DELETE_PUBLIC_CHANNEL: &str = "delete_public_channel";
pub const DELETE_PRIVATE_CHANNEL: &str = "delete_private_channel";
pub const READ_CHANNEL: &str = "read_channel";
pub const READ_CHANNEL_CONTENT: &str = "read_channel_content";
pub const READ_PUBLIC_CHANNEL_GROUPS: &str = "read_public_channel_groups";
pub const READ_PRIVATE_CHANNEL_GROUPS: &str = "read_private_channel_groups";
pub const ADD_REACTION: &str = "add_reaction";
pub const REMOVE_REACTION: &str = "remove_reaction";
pub const REMOVE_OTHERS_REACTIONS: &str = "remove_others_reactions";
pub const UPLOAD_FILE: &str = "upload_file";
pub const CREATE_POST: &str = "create_post";
pub const CREATE_POST_PUBLIC: &str = "create_post_public";
pub const CREATE_POST_EPHEMERAL: &str = "create_post_ephemeral";
pub const READ_DELETED_POSTS: &str = "read_deleted_posts";
pub const EDIT_POST: &str = "edit_post";
pub const EDIT_OTHERS_POSTS: &str = "edit_others_posts";
pub const DELETE_POST: &str = "delete_post";
pub const DELETE_OTHERS_POSTS: &str = "delete_others_posts";
pub const USE_CHANNEL_MENTIONS: &str = "use_channel_mentions";
pub const USE_GROUP_MENTIONS: &str = "use_group_mentions";
pub const ADD_BOOKMARK_PUBLIC_CHANNEL: &str = "add_bookmark_public_channel";
pub const EDIT_BOOKMARK_PUBLIC_CHANNEL: &str = "edit_bookmark_public_channel";
pub const DELETE_BOOKMARK_PUBLIC_CHANNEL: &str = "delete_bookmark_public_channel";
pub const ORDER_BOOKMARK_PUBLIC_CHANNEL: &str = "order_bookmark_public_channel";
pub const ADD_BOOKMARK_PRIVATE_CHANNEL: &str = "add_bookmark_private_channel";
pub const EDIT_BOOKMARK_PRIVATE_CHANNEL: &str = "edit_bookmark_private_channel";
pub const DELETE_BOOKMARK_PRIVATE_CHANNEL: &str = "delete_bookmark_private_channel";
pub const ORDER_BOOKMARK_PRIVATE_CHANNEL: &str = "order_bookmark_private_channel";

/// Channel-scoped permissions: granted by channel roles, the team roles of the channel's team, or system roles.
pub const CHANNEL_SCOPE: &[&str] = &[
    USE_SLASH_COMMANDS,
    MANAGE_PUBLIC_CHANNEL_MEMBERS,
    MANAGE_PRIVATE_CHANNEL_MEMBERS,
    CONVERT_PUBLIC_CHANNEL_TO_PRIVATE,
    CONVERT_PRIVATE_CHANNEL_TO_PUBLIC,
    MANAGE_CHANNEL_ROLES,
    MANAGE_PUBLIC_CHANNEL_PROPERTIES,
    MANAGE_PRIVATE_CHANNEL_PROPERTIES,
    DELETE_PUBLIC_CHANNEL,
    DELETE_PRIVATE_CHANNEL,
    READ_CHANNEL,
    READ_CHANNEL_CONTENT,
    READ_PUBLIC_CHANNEL_GROUPS,
    READ_PRIVATE_CHANNEL_GROUPS,
    ADD_REACTION,
    REMOVE_REACTION,
    REMOVE_OTHERS_REACTIONS,
    UPLOAD_FILE,
    CREATE_POST,
    CREATE_POST_PUBLIC,
    CREATE_POST_EPHEMERAL,
    READ_DELETED_POSTS,
    EDIT_POST,
    EDIT_OTHERS_POSTS,
    DELETE_POST,
    DELETE_OTHERS_POSTS,
    USE_CHANNEL_MENTIONS,
    USE_GROUP_MENTIONS,
    ADD_BOOKMARK_PUBLIC_CHANNEL,
    EDIT_BOOKMARK_PUBLIC_CHANNEL,
    DELETE_BOOKMARK_PUBLIC_CHANNEL,
    ORDER_BOOKMARK_PUBLIC_CHANNEL,
    ADD_BOOKMARK_PRIVATE_CHANNEL,
    EDIT_BOOKMARK_PRIVATE_CHANNEL,
    DELETE_BOOKMARK_PRIVATE_CHANNEL,
    ORDER_BOOKMARK_PRIVATE_CHANNEL,
];

// ---------------------------------------------------------------------------
// Group scope (custom user groups)

pub const MANAGE_CUSTOM_GROUP_MEMBERS: &str = "manage_custom_group_members";
pub const EDIT_CUSTOM_GROUP: &str = "edit_custom_group";
pub const DELETE_CUSTOM_GROUP: &str = "delete_custom_group";
pub const RESTORE_CUSTOM_GROUP: &str = "restore_custom_group";

/// Custom-group-scoped permissions.
pub const GROUP_SCOPE: &[&str] = &[
    MANAGE_CUSTOM_GROUP_MEMBERS,
    EDIT_CUSTOM_GROUP,
    DELETE_CUSTOM_GROUP,
    RESTORE_CUSTOM_GROUP,
];

// ---------------------------------------------------------------------------
// Playbook scope

pub const PLAYBOOK_PUBLIC_MANAGE_PROPERTIES: &str = "playbook_public_manage_properties";
pub const PLAYBOOK_PUBLIC_MANAGE_MEMBERS: &str = "playbook_public_manage_members";
pub const PLAYBOOK_PUBLIC_MANAGE_ROLES: &str = "playbook_public_manage_roles";
pub const PLAYBOOK_PUBLIC_VIEW: &str = "playbook_public_view";
pub const PLAYBOOK_PUBLIC_MAKE_PRIVATE: &str = "playbook_public_make_private";
pub const PLAYBOOK_PRIVATE_MANAGE_PROPERTIES: &str = "playbook_private_manage_properties";
pub const PLAYBOOK_PRIVATE_MANAGE_MEMBERS: &str = "playbook_private_manage_members";
pub const PLAYBOOK_PRIVATE_MANAGE_ROLES: &str = "playbook_private_manage_roles";
pub const PLAYBOOK_PRIVATE_VIEW: &str = "playbook_private_view";
pub const PLAYBOOK_PRIVATE_MAKE_PUBLIC: &str = "playbook_private_make_public";
pub const RUN_CREATE: &str = "run_create";

/// Playbook-scoped permissions (Playbooks plugin).
pub const PLAYBOOK_SCOPE: &[&str] = &[
    PLAYBOOK_PUBLIC_MANAGE_PROPERTIES,
    PLAYBOOK_PUBLIC_MANAGE_MEMBERS,
    PLAYBOOK_PUBLIC_MANAGE_ROLES,
    PLAYBOOK_PUBLIC_VIEW,
    PLAYBOOK_PUBLIC_MAKE_PRIVATE,
    PLAYBOOK_PRIVATE_MANAGE_PROPERTIES,
    PLAYBOOK_PRIVATE_MANAGE_MEMBERS,
    PLAYBOOK_PRIVATE_MANAGE_ROLES,
    PLAYBOOK_PRIVATE_VIEW,
    PLAYBOOK_PRIVATE_MAKE_PUBLIC,
    RUN_CREATE,
];

// ---------------------------------------------------------------------------
// Run scope

pub const RUN_MANAGE_PROPERTIES: &str = "run_manage_properties";
pub const RUN_MANAGE_MEMBERS: &str = "run_manage_members";
pub const RUN_VIEW: &str = "run_view";

/// Playbook-run-scoped permissions (Playbooks plugin).
pub const RUN_SCOPE: &[&str] = &[RUN_MANAGE_PROPERTIES, RUN_MANAGE_MEMBERS, RUN_VIEW];

// ---------------------------------------------------------------------------
// Deprecated: still defined (and accepted in role rows), never checked.

pub const PERMANENT_DELETE_USER: &str = "permanent_delete_user";
pub const MANAGE_WEBHOOKS: &str = "manage_webhooks";
pub const MANAGE_OTHERS_WEBHOOKS: &str = "manage_others_webhooks";
pub const MANAGE_EMOJIS: &str = "manage_emojis";
pub const MANAGE_OTHERS_EMOJIS: &str = "manage_others_emojis";
pub const SYSCONSOLE_READ_AUTHENTICATION: &str = "sysconsole_read_authentication";
pub const SYSCONSOLE_WRITE_AUTHENTICATION: &str = "sysconsole_write_authentication";
pub const SYSCONSOLE_READ_SITE: &str = "sysconsole_read_site";
pub const SYSCONSOLE_WRITE_SITE: &str = "sysconsole_write_site";
pub const SYSCONSOLE_READ_ENVIRONMENT: &str = "sysconsole_read_environment";
pub const SYSCONSOLE_WRITE_ENVIRONMENT: &str = "sysconsole_write_environment";
pub const SYSCONSOLE_READ_REPORTING: &str = "sysconsole_read_reporting";
pub const SYSCONSOLE_WRITE_REPORTING: &str = "sysconsole_write_reporting";
pub const SYSCONSOLE_READ_ABOUT: &str = "sysconsole_read_about";
pub const SYSCONSOLE_WRITE_ABOUT: &str = "sysconsole_write_about";
pub const SYSCONSOLE_READ_EXPERIMENTAL: &str = "sysconsole_read_experimental";
pub const SYSCONSOLE_WRITE_EXPERIMENTAL: &str = "sysconsole_write_experimental";
pub const SYSCONSOLE_READ_INTEGRATIONS: &str = "sysconsole_read_integrations";
pub const SYSCONSOLE_WRITE_INTEGRATIONS: &str = "sysconsole_write_integrations";
pub const SYSCONSOLE_READ_COMPLIANCE: &str = "sysconsole_read_compliance";
pub const SYSCONSOLE_WRITE_COMPLIANCE: &str = "sysconsole_write_compliance";

/// Permissions Mattermost still defines but no longer checks (`DeprecatedPermissions`).
/// Permission migrations replaced them with the finer-grained ids above.
pub const DEPRECATED: &[&str] = &[
    PERMANENT_DELETE_USER,
    MANAGE_WEBHOOKS,
    MANAGE_OTHERS_WEBHOOKS,
    MANAGE_EMOJIS,
    MANAGE_OTHERS_EMOJIS,
    SYSCONSOLE_READ_AUTHENTICATION,
    SYSCONSOLE_WRITE_AUTHENTICATION,
    SYSCONSOLE_READ_SITE,
    SYSCONSOLE_WRITE_SITE,
    SYSCONSOLE_READ_ENVIRONMENT,
    SYSCONSOLE_WRITE_ENVIRONMENT,
    SYSCONSOLE_READ_REPORTING,
    SYSCONSOLE_WRITE_REPORTING,
    SYSCONSOLE_READ_ABOUT,
    SYSCONSOLE_WRITE_ABOUT,
    SYSCONSOLE_READ_EXPERIMENTAL,
    SYSCONSOLE_WRITE_EXPERIMENTAL,
    SYSCONSOLE_READ_INTEGRATIONS,
    SYSCONSOLE_WRITE_INTEGRATIONS,
    SYSCONSOLE_READ_COMPLIANCE,
    SYSCONSOLE_WRITE_COMPLIANCE,
];

/// Every live permission id (Mattermost's `AllPermissions`), in Mattermost's order:
/// system, team, channel, System Console read, System Console write, group, playbook, run.
pub const ALL: &[&str] = &[
    ASSIGN_SYSTEM_ADMIN_ROLE,
    MANAGE_ROLES,
    MANAGE_SYSTEM,
    CREATE_DIRECT_CHANNEL,
    CREATE_GROUP_CHANNEL,
    LIST_PUBLIC_TEAMS,
    JOIN_PUBLIC_TEAMS,
    LIST_PRIVATE_TEAMS,
    JOIN_PRIVATE_TEAMS,
    EDIT_OTHER_USERS,
    READ_OTHER_USERS_TEAMS,
    GET_PUBLIC_LINK,
    MANAGE_OAUTH,
    MANAGE_SYSTEM_WIDE_OAUTH,
    CREATE_TEAM,
    LIST_USERS_WITHOUT_TEAM,
    CREATE_USER_ACCESS_TOKEN,
    READ_USER_ACCESS_TOKEN,
    REVOKE_USER_ACCESS_TOKEN,
    CREATE_BOT,
    ASSIGN_BOT,
    READ_BOTS,
    READ_OTHERS_BOTS,
    MANAGE_BOTS,
    MANAGE_OTHERS_BOTS,
    READ_JOBS,
    MANAGE_JOBS,
    PROMOTE_GUEST,
    DEMOTE_TO_GUEST,
    EDIT_BRAND,
    MANAGE_SHARED_CHANNELS,
    MANAGE_SECURE_CONNECTIONS,
    DOWNLOAD_COMPLIANCE_EXPORT_RESULT,
    CREATE_DATA_RETENTION_JOB,
    MANAGE_DATA_RETENTION_JOB,
    READ_DATA_RETENTION_JOB,
    CREATE_COMPLIANCE_EXPORT_JOB,
    MANAGE_COMPLIANCE_EXPORT_JOB,
    READ_COMPLIANCE_EXPORT_JOB,
    READ_AUDITS,
    TEST_SITE_URL,
    TEST_ELASTICSEARCH,
    TEST_S3,
    RELOAD_CONFIG,
    INVALIDATE_CACHES,
    RECYCLE_DATABASE_CONNECTIONS,
    PURGE_ELASTICSEARCH_INDEXES,
    TEST_EMAIL,
    CREATE_ELASTICSEARCH_POST_INDEXING_JOB,
    MANAGE_ELASTICSEARCH_POST_INDEXING_JOB,
    CREATE_ELASTICSEARCH_POST_AGGREGATION_JOB,
    MANAGE_ELASTICSEARCH_POST_AGGREGATION_JOB,
    READ_ELASTICSEARCH_POST_INDEXING_JOB,
    READ_ELASTICSEARCH_POST_AGGREGATION_JOB,
    PURGE_BLEVE_INDEXES,
    CREATE_POST_BLEVE_INDEXES_JOB,
    MANAGE_POST_BLEVE_INDEXES_JOB,
    CREATE_LDAP_SYNC_JOB,
    MANAGE_LDAP_SYNC_JOB,
    READ_LDAP_SYNC_JOB,
    TEST_LDAP,
    INVALIDATE_EMAIL_INVITE,
    GET_SAML_METADATA_FROM_IDP,
    ADD_SAML_PUBLIC_CERT,
    ADD_SAML_PRIVATE_CERT,
    ADD_SAML_IDP_CERT,
    REMOVE_SAML_PUBLIC_CERT,
    REMOVE_SAML_PRIVATE_CERT,
    REMOVE_SAML_IDP_CERT,
    GET_SAML_CERT_STATUS,
    ADD_LDAP_PUBLIC_CERT,
    ADD_LDAP_PRIVATE_CERT,
    REMOVE_LDAP_PUBLIC_CERT,
    REMOVE_LDAP_PRIVATE_CERT,
    GET_ANALYTICS,
    GET_LOGS,
    READ_LICENSE_INFORMATION,
    MANAGE_LICENSE_INFORMATION,
    CREATE_CUSTOM_GROUP,
    MANAGE_OUTGOING_OAUTH_CONNECTIONS,
    INVITE_USER,
    ADD_USER_TO_TEAM,
    MANAGE_SLASH_COMMANDS,
    MANAGE_OTHERS_SLASH_COMMANDS,
    CREATE_PUBLIC_CHANNEL,
    CREATE_PRIVATE_CHANNEL,
    MANAGE_TEAM_ROLES,
    LIST_TEAM_CHANNELS,
    JOIN_PUBLIC_CHANNELS,
    READ_PUBLIC_CHANNEL,
    MANAGE_INCOMING_WEBHOOKS,
    MANAGE_OUTGOING_WEBHOOKS,
    MANAGE_OTHERS_INCOMING_WEBHOOKS,
    MANAGE_OTHERS_OUTGOING_WEBHOOKS,
    BYPASS_INCOMING_WEBHOOK_CHANNEL_LOCK,
    CREATE_EMOJIS,
    DELETE_EMOJIS,
    DELETE_OTHERS_EMOJIS,
    REMOVE_USER_FROM_TEAM,
    MANAGE_TEAM,
    IMPORT_TEAM,
    VIEW_TEAM,
    VIEW_MEMBERS,
    INVITE_GUEST,
    PLAYBOOK_PUBLIC_CREATE,
    PLAYBOOK_PRIVATE_CREATE,
    USE_SLASH_COMMANDS,
    MANAGE_PUBLIC_CHANNEL_MEMBERS,
    MANAGE_PRIVATE_CHANNEL_MEMBERS,
    CONVERT_PUBLIC_CHANNEL_TO_PRIVATE,
    CONVERT_PRIVATE_CHANNEL_TO_PUBLIC,
    MANAGE_CHANNEL_ROLES,
    MANAGE_PUBLIC_CHANNEL_PROPERTIES,
    MANAGE_PRIVATE_CHANNEL_PROPERTIES,
    DELETE_PUBLIC_CHANNEL,
    DELETE_PRIVATE_CHANNEL,
    READ_CHANNEL,
    READ_CHANNEL_CONTENT,
    READ_PUBLIC_CHANNEL_GROUPS,
    READ_PRIVATE_CHANNEL_GROUPS,
    ADD_REACTION,
    REMOVE_REACTION,
    REMOVE_OTHERS_REACTIONS,
    UPLOAD_FILE,
    CREATE_POST,
    CREATE_POST_PUBLIC,
    CREATE_POST_EPHEMERAL,
    READ_DELETED_POSTS,
    EDIT_POST,
    EDIT_OTHERS_POSTS,
    DELETE_POST,
    DELETE_OTHERS_POSTS,
    USE_CHANNEL_MENTIONS,
    USE_GROUP_MENTIONS,
    ADD_BOOKMARK_PUBLIC_CHANNEL,
    EDIT_BOOKMARK_PUBLIC_CHANNEL,
    DELETE_BOOKMARK_PUBLIC_CHANNEL,
    ORDER_BOOKMARK_PUBLIC_CHANNEL,
    ADD_BOOKMARK_PRIVATE_CHANNEL,
    EDIT_BOOKMARK_PRIVATE_CHANNEL,
    DELETE_BOOKMARK_PRIVATE_CHANNEL,
    ORDER_BOOKMARK_PRIVATE_CHANNEL,
    SYSCONSOLE_READ_ABOUT_EDITION_AND_LICENSE,
    SYSCONSOLE_READ_BILLING,
    SYSCONSOLE_READ_REPORTING_SITE_STATISTICS,
    SYSCONSOLE_READ_REPORTING_TEAM_STATISTICS,
    SYSCONSOLE_READ_REPORTING_SERVER_LOGS,
    SYSCONSOLE_READ_USER_MANAGEMENT_USERS,
    SYSCONSOLE_READ_USER_MANAGEMENT_GROUPS,
    SYSCONSOLE_READ_USER_MANAGEMENT_TEAMS,
    SYSCONSOLE_READ_USER_MANAGEMENT_CHANNELS,
    SYSCONSOLE_READ_USER_MANAGEMENT_PERMISSIONS,
    SYSCONSOLE_READ_USER_MANAGEMENT_SYSTEM_ROLES,
    SYSCONSOLE_READ_ENVIRONMENT_WEB_SERVER,
    SYSCONSOLE_READ_ENVIRONMENT_DATABASE,
    SYSCONSOLE_READ_ENVIRONMENT_ELASTICSEARCH,
    SYSCONSOLE_READ_ENVIRONMENT_FILE_STORAGE,
    SYSCONSOLE_READ_ENVIRONMENT_IMAGE_PROXY,
    SYSCONSOLE_READ_ENVIRONMENT_SMTP,
    SYSCONSOLE_READ_ENVIRONMENT_PUSH_NOTIFICATION_SERVER,
    SYSCONSOLE_READ_ENVIRONMENT_HIGH_AVAILABILITY,
    SYSCONSOLE_READ_ENVIRONMENT_RATE_LIMITING,
    SYSCONSOLE_READ_ENVIRONMENT_LOGGING,
    SYSCONSOLE_READ_ENVIRONMENT_SESSION_LENGTHS,
    SYSCONSOLE_READ_ENVIRONMENT_PERFORMANCE_MONITORING,
    SYSCONSOLE_READ_ENVIRONMENT_DEVELOPER,
    SYSCONSOLE_READ_SITE_CUSTOMIZATION,
    SYSCONSOLE_READ_SITE_LOCALIZATION,
    SYSCONSOLE_READ_SITE_USERS_AND_TEAMS,
    SYSCONSOLE_READ_SITE_NOTIFICATIONS,
    SYSCONSOLE_READ_SITE_ANNOUNCEMENT_BANNER,
    SYSCONSOLE_READ_SITE_EMOJI,
    SYSCONSOLE_READ_SITE_POSTS,
    SYSCONSOLE_READ_SITE_FILE_SHARING_AND_DOWNLOADS,
    SYSCONSOLE_READ_SITE_PUBLIC_LINKS,
    SYSCONSOLE_READ_SITE_NOTICES,
    SYSCONSOLE_READ_AUTHENTICATION_SIGNUP,
    SYSCONSOLE_READ_AUTHENTICATION_EMAIL,
    SYSCONSOLE_READ_AUTHENTICATION_PASSWORD,
    SYSCONSOLE_READ_AUTHENTICATION_MFA,
    SYSCONSOLE_READ_AUTHENTICATION_LDAP,
    SYSCONSOLE_READ_AUTHENTICATION_SAML,
    SYSCONSOLE_READ_AUTHENTICATION_OPENID,
    SYSCONSOLE_READ_AUTHENTICATION_GUEST_ACCESS,
    SYSCONSOLE_READ_PLUGINS,
    SYSCONSOLE_READ_INTEGRATIONS_INTEGRATION_MANAGEMENT,
    SYSCONSOLE_READ_INTEGRATIONS_BOT_ACCOUNTS,
    SYSCONSOLE_READ_INTEGRATIONS_GIF,
    SYSCONSOLE_READ_INTEGRATIONS_CORS,
    SYSCONSOLE_READ_COMPLIANCE_DATA_RETENTION_POLICY,
    SYSCONSOLE_READ_COMPLIANCE_COMPLIANCE_EXPORT,
    SYSCONSOLE_READ_COMPLIANCE_COMPLIANCE_MONITORING,
    SYSCONSOLE_READ_COMPLIANCE_CUSTOM_TERMS_OF_SERVICE,
    SYSCONSOLE_READ_EXPERIMENTAL_FEATURES,
    SYSCONSOLE_READ_EXPERIMENTAL_FEATURE_FLAGS,
    SYSCONSOLE_READ_EXPERIMENTAL_BLEVE,
    SYSCONSOLE_READ_PRODUCTS_BOARDS,
    SYSCONSOLE_READ_SITE_IP_FILTERS,
    SYSCONSOLE_WRITE_ABOUT_EDITION_AND_LICENSE,
    SYSCONSOLE_WRITE_BILLING,
    SYSCONSOLE_WRITE_REPORTING_SITE_STATISTICS,
    SYSCONSOLE_WRITE_REPORTING_TEAM_STATISTICS,
    SYSCONSOLE_WRITE_REPORTING_SERVER_LOGS,
    SYSCONSOLE_WRITE_USER_MANAGEMENT_USERS,
    SYSCONSOLE_WRITE_USER_MANAGEMENT_GROUPS,
    SYSCONSOLE_WRITE_USER_MANAGEMENT_TEAMS,
    SYSCONSOLE_WRITE_USER_MANAGEMENT_CHANNELS,
    SYSCONSOLE_WRITE_USER_MANAGEMENT_PERMISSIONS,
    SYSCONSOLE_WRITE_USER_MANAGEMENT_SYSTEM_ROLES,
    SYSCONSOLE_WRITE_ENVIRONMENT_WEB_SERVER,
    SYSCONSOLE_WRITE_ENVIRONMENT_DATABASE,
    SYSCONSOLE_WRITE_ENVIRONMENT_ELASTICSEARCH,
    SYSCONSOLE_WRITE_ENVIRONMENT_FILE_STORAGE,
    SYSCONSOLE_WRITE_ENVIRONMENT_IMAGE_PROXY,
    SYSCONSOLE_WRITE_ENVIRONMENT_SMTP,
    SYSCONSOLE_WRITE_ENVIRONMENT_PUSH_NOTIFICATION_SERVER,
    SYSCONSOLE_WRITE_ENVIRONMENT_HIGH_AVAILABILITY,
    SYSCONSOLE_WRITE_ENVIRONMENT_RATE_LIMITING,
    SYSCONSOLE_WRITE_ENVIRONMENT_LOGGING,
    SYSCONSOLE_WRITE_ENVIRONMENT_SESSION_LENGTHS,
    SYSCONSOLE_WRITE_ENVIRONMENT_PERFORMANCE_MONITORING,
    SYSCONSOLE_WRITE_ENVIRONMENT_DEVELOPER,
    SYSCONSOLE_WRITE_SITE_CUSTOMIZATION,
    SYSCONSOLE_WRITE_SITE_LOCALIZATION,
    SYSCONSOLE_WRITE_SITE_USERS_AND_TEAMS,
    SYSCONSOLE_WRITE_SITE_NOTIFICATIONS,
    SYSCONSOLE_WRITE_SITE_ANNOUNCEMENT_BANNER,
    SYSCONSOLE_WRITE_SITE_EMOJI,
    SYSCONSOLE_WRITE_SITE_POSTS,
    SYSCONSOLE_WRITE_SITE_FILE_SHARING_AND_DOWNLOADS,
    SYSCONSOLE_WRITE_SITE_PUBLIC_LINKS,
    SYSCONSOLE_WRITE_SITE_NOTICES,
    SYSCONSOLE_WRITE_AUTHENTICATION_SIGNUP,
    SYSCONSOLE_WRITE_AUTHENTICATION_EMAIL,
    SYSCONSOLE_WRITE_AUTHENTICATION_PASSWORD,
    SYSCONSOLE_WRITE_AUTHENTICATION_MFA,
    SYSCONSOLE_WRITE_AUTHENTICATION_LDAP,
    SYSCONSOLE_WRITE_AUTHENTICATION_SAML,
    SYSCONSOLE_WRITE_AUTHENTICATION_OPENID,
    SYSCONSOLE_WRITE_AUTHENTICATION_GUEST_ACCESS,
    SYSCONSOLE_WRITE_PLUGINS,
    SYSCONSOLE_WRITE_INTEGRATIONS_INTEGRATION_MANAGEMENT,
    SYSCONSOLE_WRITE_INTEGRATIONS_BOT_ACCOUNTS,
    SYSCONSOLE_WRITE_INTEGRATIONS_GIF,
    SYSCONSOLE_WRITE_INTEGRATIONS_CORS,
    SYSCONSOLE_WRITE_COMPLIANCE_DATA_RETENTION_POLICY,
    SYSCONSOLE_WRITE_COMPLIANCE_COMPLIANCE_EXPORT,
    SYSCONSOLE_WRITE_COMPLIANCE_COMPLIANCE_MONITORING,
    SYSCONSOLE_WRITE_COMPLIANCE_CUSTOM_TERMS_OF_SERVICE,
    SYSCONSOLE_WRITE_EXPERIMENTAL_FEATURES,
    SYSCONSOLE_WRITE_EXPERIMENTAL_FEATURE_FLAGS,
    SYSCONSOLE_WRITE_EXPERIMENTAL_BLEVE,
    SYSCONSOLE_WRITE_PRODUCTS_BOARDS,
    SYSCONSOLE_WRITE_SITE_IP_FILTERS,
    MANAGE_CUSTOM_GROUP_MEMBERS,
    EDIT_CUSTOM_GROUP,
    DELETE_CUSTOM_GROUP,
    RESTORE_CUSTOM_GROUP,
    PLAYBOOK_PUBLIC_MANAGE_PROPERTIES,
    PLAYBOOK_PUBLIC_MANAGE_MEMBERS,
    PLAYBOOK_PUBLIC_MANAGE_ROLES,
    PLAYBOOK_PUBLIC_VIEW,
    PLAYBOOK_PUBLIC_MAKE_PRIVATE,
    PLAYBOOK_PRIVATE_MANAGE_PROPERTIES,
    PLAYBOOK_PRIVATE_MANAGE_MEMBERS,
    PLAYBOOK_PRIVATE_MANAGE_ROLES,
    PLAYBOOK_PRIVATE_VIEW,
    PLAYBOOK_PRIVATE_MAKE_PUBLIC,
    RUN_CREATE,
    RUN_MANAGE_PROPERTIES,
    RUN_MANAGE_MEMBERS,
    RUN_VIEW,
];
// ---------------------------------------------------------------------------
// Scope look-up

/// The scope Mattermost attaches to a permission (`Permission.Scope`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PermissionScope {
    System,
    Team,
    Channel,
    Group,
    Playbook,
    Run,
}

impl PermissionScope {
    /// Mattermost's wire name for the scope.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::System => "system_scope",
            Self::Team => "team_scope",
            Self::Channel => "channel_scope",
            Self::Group => "group_scope",
            Self::Playbook => "playbook_scope",
            Self::Run => "run_scope",
        }
    }
}

/// The scope of a known permission id (deprecated ones included), `None` for an unknown id.
pub fn scope_of(permission: &str) -> Option<PermissionScope> {
    let scopes: [(&[&str], PermissionScope); 8] = [
        (SYSTEM_SCOPE, PermissionScope::System),
        (SYSCONSOLE_READ, PermissionScope::System),
        (SYSCONSOLE_WRITE, PermissionScope::System),
        (TEAM_SCOPE, PermissionScope::Team),
        (CHANNEL_SCOPE, PermissionScope::Channel),
        (GROUP_SCOPE, PermissionScope::Group),
        (PLAYBOOK_SCOPE, PermissionScope::Playbook),
        (RUN_SCOPE, PermissionScope::Run),
    ];
    if let Some((_, scope)) = scopes.iter().find(|(ids, _)| ids.contains(&permission)) {
        return Some(*scope);
    }
    if !DEPRECATED.contains(&permission) {
        return None;
    }
    // Of the deprecated ids only the webhook and emoji ones were team-scoped.
    match permission {
        MANAGE_WEBHOOKS | MANAGE_OTHERS_WEBHOOKS | MANAGE_EMOJIS | MANAGE_OTHERS_EMOJIS => {
            Some(PermissionScope::Team)
        }
        _ => Some(PermissionScope::System),
    }
}

/// True for any id Mattermost accepts in a role's permission list (live or deprecated),
/// the check behind role validation on `PUT /roles/{id}/patch`.
pub fn is_known(permission: &str) -> bool {
    ALL.contains(&permission) || DEPRECATED.contains(&permission)
}

// ---------------------------------------------------------------------------
// System Console ancillary permissions

/// The ordinary permissions each System Console section needs to work
/// (Mattermost's `SysconsoleAncillaryPermissions`, as of 10.3). Granting a `sysconsole_*`
/// permission to a role through the System Console also grants these;
/// `POST /permissions/ancillary` answers from this table.
pub const SYSCONSOLE_ANCILLARY: &[(&str, &[&str])] = &[
    (
        SYSCONSOLE_READ_ABOUT_EDITION_AND_LICENSE,
        &[READ_LICENSE_INFORMATION],
    ),
    (
        SYSCONSOLE_WRITE_ABOUT_EDITION_AND_LICENSE,
        &[MANAGE_LICENSE_INFORMATION],
    ),
    (
        SYSCONSOLE_READ_USER_MANAGEMENT_CHANNELS,
        &[
            READ_PUBLIC_CHANNEL,
            READ_CHANNEL,
            READ_PUBLIC_CHANNEL_GROUPS,
            READ_PRIVATE_CHANNEL_GROUPS,
        ],
    ),
    (
        SYSCONSOLE_READ_USER_MANAGEMENT_USERS,
        &[READ_OTHER_USERS_TEAMS, GET_ANALYTICS],
    ),
    (
        SYSCONSOLE_READ_USER_MANAGEMENT_TEAMS,
        &[LIST_PRIVATE_TEAMS, LIST_PUBLIC_TEAMS, VIEW_TEAM],
    ),
    (
        SYSCONSOLE_READ_ENVIRONMENT_ELASTICSEARCH,
        &[
            READ_ELASTICSEARCH_POST_INDEXING_JOB,
            READ_ELASTICSEARCH_POST_AGGREGATION_JOB,
        ],
    ),
    (
        SYSCONSOLE_WRITE_ENVIRONMENT_WEB_SERVER,
        &[TEST_SITE_URL, RELOAD_CONFIG, INVALIDATE_CACHES],
    ),
    (
        SYSCONSOLE_WRITE_ENVIRONMENT_DATABASE,
        &[RECYCLE_DATABASE_CONNECTIONS],
    ),
    (
        SYSCONSOLE_WRITE_ENVIRONMENT_ELASTICSEARCH,
        &[
            TEST_ELASTICSEARCH,
            CREATE_ELASTICSEARCH_POST_INDEXING_JOB,
            MANAGE_ELASTICSEARCH_POST_INDEXING_JOB,
            CREATE_ELASTICSEARCH_POST_AGGREGATION_JOB,
            MANAGE_ELASTICSEARCH_POST_AGGREGATION_JOB,
            PURGE_ELASTICSEARCH_INDEXES,
        ],
    ),
    (SYSCONSOLE_WRITE_ENVIRONMENT_FILE_STORAGE, &[TEST_S3]),
    (SYSCONSOLE_WRITE_ENVIRONMENT_SMTP, &[TEST_EMAIL]),
    (SYSCONSOLE_READ_REPORTING_SERVER_LOGS, &[GET_LOGS]),
    (SYSCONSOLE_READ_REPORTING_SITE_STATISTICS, &[GET_ANALYTICS]),
    (SYSCONSOLE_READ_REPORTING_TEAM_STATISTICS, &[VIEW_TEAM]),
    (
        SYSCONSOLE_WRITE_USER_MANAGEMENT_USERS,
        &[EDIT_OTHER_USERS, DEMOTE_TO_GUEST, PROMOTE_GUEST],
    ),
    (
        SYSCONSOLE_WRITE_USER_MANAGEMENT_CHANNELS,
        &[
            MANAGE_TEAM,
            MANAGE_PUBLIC_CHANNEL_PROPERTIES,
            MANAGE_PRIVATE_CHANNEL_PROPERTIES,
            MANAGE_PRIVATE_CHANNEL_MEMBERS,
            MANAGE_PUBLIC_CHANNEL_MEMBERS,
            DELETE_PRIVATE_CHANNEL,
            DELETE_PUBLIC_CHANNEL,
            MANAGE_CHANNEL_ROLES,
            CONVERT_PUBLIC_CHANNEL_TO_PRIVATE,
            CONVERT_PRIVATE_CHANNEL_TO_PUBLIC,
        ],
    ),
    (
        SYSCONSOLE_WRITE_USER_MANAGEMENT_TEAMS,
        &[
            MANAGE_TEAM,
            MANAGE_TEAM_ROLES,
            REMOVE_USER_FROM_TEAM,
            JOIN_PRIVATE_TEAMS,
            JOIN_PUBLIC_TEAMS,
            ADD_USER_TO_TEAM,
        ],
    ),
    (
        SYSCONSOLE_WRITE_USER_MANAGEMENT_GROUPS,
        &[
            MANAGE_TEAM,
            MANAGE_PRIVATE_CHANNEL_MEMBERS,
            MANAGE_PUBLIC_CHANNEL_MEMBERS,
            CONVERT_PUBLIC_CHANNEL_TO_PRIVATE,
            CONVERT_PRIVATE_CHANNEL_TO_PUBLIC,
        ],
    ),
    (SYSCONSOLE_WRITE_SITE_CUSTOMIZATION, &[EDIT_BRAND]),
    (
        SYSCONSOLE_WRITE_COMPLIANCE_DATA_RETENTION_POLICY,
        &[CREATE_DATA_RETENTION_JOB, MANAGE_DATA_RETENTION_JOB],
    ),
    (
        SYSCONSOLE_READ_COMPLIANCE_DATA_RETENTION_POLICY,
        &[READ_DATA_RETENTION_JOB],
    ),
    (
        SYSCONSOLE_WRITE_COMPLIANCE_COMPLIANCE_EXPORT,
        &[
            CREATE_COMPLIANCE_EXPORT_JOB,
            MANAGE_COMPLIANCE_EXPORT_JOB,
            DOWNLOAD_COMPLIANCE_EXPORT_RESULT,
        ],
    ),
    (
        SYSCONSOLE_READ_COMPLIANCE_COMPLIANCE_EXPORT,
        &[
            READ_COMPLIANCE_EXPORT_JOB,
            DOWNLOAD_COMPLIANCE_EXPORT_RESULT,
        ],
    ),
    (
        SYSCONSOLE_READ_COMPLIANCE_CUSTOM_TERMS_OF_SERVICE,
        &[READ_AUDITS],
    ),
    (
        SYSCONSOLE_WRITE_EXPERIMENTAL_BLEVE,
        &[
            CREATE_POST_BLEVE_INDEXES_JOB,
            PURGE_BLEVE_INDEXES,
            MANAGE_POST_BLEVE_INDEXES_JOB,
        ],
    ),
    (
        SYSCONSOLE_WRITE_AUTHENTICATION_LDAP,
        &[
            CREATE_LDAP_SYNC_JOB,
            MANAGE_LDAP_SYNC_JOB,
            ADD_LDAP_PUBLIC_CERT,
            REMOVE_LDAP_PUBLIC_CERT,
            ADD_LDAP_PRIVATE_CERT,
            REMOVE_LDAP_PRIVATE_CERT,
        ],
    ),
    (
        SYSCONSOLE_READ_AUTHENTICATION_LDAP,
        &[TEST_LDAP, READ_LDAP_SYNC_JOB],
    ),
    (
        SYSCONSOLE_WRITE_AUTHENTICATION_EMAIL,
        &[INVALIDATE_EMAIL_INVITE],
    ),
    (
        SYSCONSOLE_WRITE_AUTHENTICATION_SAML,
        &[
            GET_SAML_METADATA_FROM_IDP,
            ADD_SAML_PUBLIC_CERT,
            ADD_SAML_PRIVATE_CERT,
            ADD_SAML_IDP_CERT,
            REMOVE_SAML_PUBLIC_CERT,
            REMOVE_SAML_PRIVATE_CERT,
            REMOVE_SAML_IDP_CERT,
            GET_SAML_CERT_STATUS,
        ],
    ),
];

/// The ancillary permissions of one `sysconsole_*` permission (empty when it has none).
pub fn ancillary_of(permission: &str) -> &'static [&'static str] {
    SYSCONSOLE_ANCILLARY
        .iter()
        .find(|(sysconsole, _)| *sysconsole == permission)
        .map_or(&[], |(_, ancillary)| *ancillary)
}

/// `permissions` followed by every ancillary permission they imply, without duplicates,
/// in first-seen order (Mattermost's `AddAncillaryPermissions`, deduplicated).
pub fn with_ancillary<'a>(permissions: &[&'a str]) -> Vec<&'a str> {
    let mut out: Vec<&'a str> = Vec::with_capacity(permissions.len());
    let ancillary = permissions
        .iter()
        .flat_map(|p| ancillary_of(p).iter().copied());
    for permission in permissions.iter().copied().chain(ancillary) {
        if !out.contains(&permission) {
            out.push(permission);
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Channel moderation

/// The channel moderation toggles (`GET /channels/{id}/moderations`), in Mattermost's order.
pub const CHANNEL_MODERATED_NAMES: &[&str] = &[
    "create_post",
    "create_reactions",
    "manage_members",
    "use_channel_mentions",
    "manage_bookmarks",
];

/// Which moderation toggle controls a permission (`ChannelModeratedPermissionsMap`), if any.
pub fn channel_moderated_name(permission: &str) -> Option<&'static str> {
    match permission {
        CREATE_POST => Some("create_post"),
        ADD_REACTION | REMOVE_REACTION => Some("create_reactions"),
        MANAGE_PUBLIC_CHANNEL_MEMBERS | MANAGE_PRIVATE_CHANNEL_MEMBERS => Some("manage_members"),
        USE_CHANNEL_MENTIONS => Some("use_channel_mentions"),
        ADD_BOOKMARK_PUBLIC_CHANNEL
        | EDIT_BOOKMARK_PUBLIC_CHANNEL
        | DELETE_BOOKMARK_PUBLIC_CHANNEL
        | ORDER_BOOKMARK_PUBLIC_CHANNEL
        | ADD_BOOKMARK_PRIVATE_CHANNEL
        | EDIT_BOOKMARK_PRIVATE_CHANNEL
        | DELETE_BOOKMARK_PRIVATE_CHANNEL
        | ORDER_BOOKMARK_PRIVATE_CHANNEL => Some("manage_bookmarks"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn scope_slices() -> [&'static [&'static str]; 8] {
        [
            SYSTEM_SCOPE,
            SYSCONSOLE_READ,
            SYSCONSOLE_WRITE,
            TEAM_SCOPE,
            CHANNEL_SCOPE,
            GROUP_SCOPE,
            PLAYBOOK_SCOPE,
            RUN_SCOPE,
        ]
    }

    #[test]
    fn all_is_exactly_the_union_of_the_scope_slices() {
        let union: Vec<&str> = scope_slices()
            .iter()
            .flat_map(|s| s.iter().copied())
            .collect();
        assert_eq!(union.len(), ALL.len());
        let all: HashSet<&str> = ALL.iter().copied().collect();
        assert_eq!(all.len(), ALL.len(), "ALL has duplicates");
        assert_eq!(union.into_iter().collect::<HashSet<_>>(), all);
    }

    #[test]
    fn counts_match_mattermost_10_3() {
        assert_eq!(SYSTEM_SCOPE.len(), 80);
        assert_eq!(SYSCONSOLE_READ.len(), 56);
        assert_eq!(SYSCONSOLE_WRITE.len(), 56);
        assert_eq!(TEAM_SCOPE.len(), 26);
        assert_eq!(CHANNEL_SCOPE.len(), 36);
        assert_eq!(GROUP_SCOPE.len(), 4);
        assert_eq!(PLAYBOOK_SCOPE.len(), 11);
        assert_eq!(RUN_SCOPE.len(), 3);
        assert_eq!(ALL.len(), 272);
        assert_eq!(DEPRECATED.len(), 21);
        // 292 ids are defined in all, and Mattermost 11's bypass_incoming_webhook_channel_lock.
        assert_eq!(ALL.len() + DEPRECATED.len(), 293);
    }

    #[test]
    fn deprecated_ids_are_not_live() {
        for p in DEPRECATED {
            assert!(!ALL.contains(p), "{p} is both live and deprecated");
            assert!(is_known(p));
        }
    }

    #[test]
    fn ids_are_lowercase_snake_case() {
        for p in ALL.iter().chain(DEPRECATED) {
            assert!(
                p.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
                "{p}"
            );
        }
    }

    #[test]
    fn sysconsole_read_and_write_pair_up() {
        for (r, w) in SYSCONSOLE_READ.iter().zip(SYSCONSOLE_WRITE) {
            assert_eq!(
                r.strip_prefix("sysconsole_read_"),
                w.strip_prefix("sysconsole_write_")
            );
        }
    }

    #[test]
    fn scopes() {
        assert_eq!(scope_of(CREATE_POST), Some(PermissionScope::Channel));
        assert_eq!(scope_of(CREATE_PUBLIC_CHANNEL), Some(PermissionScope::Team));
        assert_eq!(scope_of(MANAGE_SYSTEM), Some(PermissionScope::System));
        assert_eq!(
            scope_of(SYSCONSOLE_WRITE_SITE_CUSTOMIZATION),
            Some(PermissionScope::System)
        );
        assert_eq!(scope_of(EDIT_CUSTOM_GROUP), Some(PermissionScope::Group));
        assert_eq!(scope_of(RUN_VIEW), Some(PermissionScope::Run));
        assert_eq!(scope_of(MANAGE_EMOJIS), Some(PermissionScope::Team));
        assert_eq!(
            scope_of(SYSCONSOLE_READ_SITE),
            Some(PermissionScope::System)
        );
        assert_eq!(scope_of("no_such_permission"), None);
        assert_eq!(PermissionScope::Channel.as_str(), "channel_scope");
    }

    #[test]
    fn ancillary_table_uses_known_ids() {
        let mut seen = HashSet::new();
        for (sysconsole, ancillary) in SYSCONSOLE_ANCILLARY {
            assert!(seen.insert(*sysconsole), "{sysconsole} listed twice");
            assert!(
                SYSCONSOLE_READ.contains(sysconsole) || SYSCONSOLE_WRITE.contains(sysconsole),
                "{sysconsole}"
            );
            for p in *ancillary {
                assert!(ALL.contains(p), "{p}");
            }
        }
    }

    #[test]
    fn with_ancillary_expands_and_dedups() {
        let expanded = with_ancillary(&[
            SYSCONSOLE_READ_REPORTING_SITE_STATISTICS,
            SYSCONSOLE_READ_USER_MANAGEMENT_USERS,
        ]);
        assert_eq!(
            expanded,
            vec![
                SYSCONSOLE_READ_REPORTING_SITE_STATISTICS,
                SYSCONSOLE_READ_USER_MANAGEMENT_USERS,
                GET_ANALYTICS,
                READ_OTHER_USERS_TEAMS,
            ]
        );
        assert!(ancillary_of(CREATE_POST).is_empty());
    }

    #[test]
    fn moderation_names() {
        assert_eq!(
            channel_moderated_name(REMOVE_REACTION),
            Some("create_reactions")
        );
        assert_eq!(
            channel_moderated_name(ORDER_BOOKMARK_PRIVATE_CHANNEL),
            Some("manage_bookmarks")
        );
        assert_eq!(channel_moderated_name(READ_CHANNEL), None);
        for p in CHANNEL_SCOPE {
            if let Some(name) = channel_moderated_name(p) {
                assert!(CHANNEL_MODERATED_NAMES.contains(&name));
            }
        }
    }
}
