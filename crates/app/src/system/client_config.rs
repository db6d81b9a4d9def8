//! `GET /config/client?format=old`: the flat string map the clients configure themselves from
//! (Mattermost's `GenerateLimitedClientConfig` / `GenerateClientConfig` plus the computed
//! keys). Keys backed by an Utmost setting take its value; the others say what Utmost does:
//! features it does not have are reported off.

use std::collections::BTreeMap;
use utmost_config::Config;
use utmost_model::{MATTERMOST_VERSION, UTMOST_VERSION};

/// Mattermost's `MaxPostSize` for a `posts.message` column of this size (in characters).
const MAX_POST_SIZE: &str = "16383";

/// What the client configuration needs beyond the settings.
#[derive(Debug, Clone, Default)]
pub struct ClientFacts {
    pub telemetry_id: String,
    /// No account exists yet: the clients offer to create the first (admin) account.
    pub no_accounts: bool,
    /// Milliseconds, or empty when unknown.
    pub installation_date: String,
}

/// The anonymous ("limited") set, or with `full` the set for logged-in users.
pub fn client_config(c: &Config, facts: &ClientFacts, full: bool) -> BTreeMap<String, String> {
    let mut props = Props::default();
    limited(&mut props, c, facts);
    ldap_sign_in(&mut props, c);
    saml_sign_in(&mut props, c);
    oauth_sign_in(&mut props, c);
    if full {
        logged_in(&mut props, c);
        props.text("MaxPostSize", MAX_POST_SIZE);
        props.text("UpgradedFromTE", "false");
        props.text("InstallationDate", &facts.installation_date);
    }
    props.flag("NoAccounts", facts.no_accounts);
    props.0
}

#[derive(Default)]
struct Props(BTreeMap<String, String>);

impl Props {
    fn text(&mut self, key: &str, value: &str) {
        self.0.insert(key.to_string(), value.to_string());
    }
    fn flag(&mut self, key: &str, value: bool) {
        self.text(key, if value { "true" } else { "false" });
    }
    fn number(&mut self, key: &str, value: i64) {
        self.text(key, &value.to_string());
    }
    /// Keys for features Utmost does not have: off, empty or zero.
    fn off(&mut self, keys: &[&str]) {
        for key in keys {
            self.flag(key, false);
        }
    }
    fn empty(&mut self, keys: &[&str]) {
        for key in keys {
            self.text(key, "");
        }
    }
}

fn limited(p: &mut Props, c: &Config, facts: &ClientFacts) {
    let s = &c.service_settings;
    p.text("Version", MATTERMOST_VERSION);
    p.text("BuildNumber", UTMOST_VERSION);
    p.text("BuildDate", "");
    p.text("BuildHash", UTMOST_VERSION);
    p.text("BuildHashEnterprise", "none");
    p.flag("BuildEnterpriseReady", false);
    p.text("ServiceEnvironment", "production");
    p.text("SiteURL", s.site_url.trim_end_matches('/'));
    p.text("SiteName", &c.team_settings.site_name);
    p.text("WebsocketURL", s.websocket_url.trim_end_matches('/'));
    p.number("WebsocketPort", s.websocket_port);
    p.number("WebsocketSecurePort", s.websocket_secure_port);
    p.flag("EnableBotAccountCreation", s.enable_bot_account_creation);
    p.flag("EnableDesktopLandingPage", true);
    p.flag("EnableFile", c.log_settings.enable_file);
    p.text("FileLevel", &c.log_settings.file_level);
    p.flag("EnableUserCreation", c.team_settings.enable_user_creation);
    p.flag("EnableOpenServer", c.team_settings.enable_open_server);
    p.flag(
        "EnableJoinLeaveMessageByDefault",
        c.team_settings.enable_join_leave_message_by_default,
    );
    // No minimum app versions are enforced.
    p.empty(&[
        "AndroidLatestVersion",
        "AndroidMinVersion",
        "IosLatestVersion",
        "IosMinVersion",
    ]);
    let email = &c.email_settings;
    p.flag("EnableSignUpWithEmail", email.enable_sign_up_with_email);
    p.flag("EnableSignInWithEmail", email.enable_sign_in_with_email);
    p.flag(
        "EnableSignInWithUsername",
        email.enable_sign_in_with_username,
    );
    p.text("EmailLoginButtonColor", "#0000");
    p.text("EmailLoginButtonBorderColor", "#2389D7");
    p.text("EmailLoginButtonTextColor", "#2389D7");
    let support = &c.support_settings;
    p.text("TermsOfServiceLink", &support.terms_of_service_link);
    p.text("PrivacyPolicyLink", &support.privacy_policy_link);
    p.text("AboutLink", &support.about_link);
    p.text("HelpLink", &support.help_link);
    p.text("ReportAProblemType", "link");
    p.text("ReportAProblemLink", &support.report_a_problem_link);
    p.text("ReportAProblemMail", &support.support_email);
    p.text("SupportEmail", &support.support_email);
    p.flag("EnableAskCommunityLink", support.enable_ask_community_link);
    p.text("ForgotPasswordLink", "");
    p.text(
        "DefaultClientLocale",
        &c.localization_settings.default_client_locale,
    );
    p.flag("EnableCustomEmoji", s.enable_custom_emoji);
    p.flag("EnableEmojiPicker", s.enable_emoji_picker);
    p.flag("EnableUserStatuses", s.enable_user_statuses);
    p.text("AppDownloadLink", "https://mattermost.com/pl/download-apps");
    p.text(
        "AndroidAppDownloadLink",
        "https://mattermost.com/pl/android-app/",
    );
    p.text("IosAppDownloadLink", "https://mattermost.com/pl/ios-app/");
    p.text("DiagnosticId", &facts.telemetry_id);
    p.text("TelemetryId", &facts.telemetry_id);
    let pw = &c.password_settings;
    p.number("PasswordMinimumLength", pw.minimum_length);
    p.flag("PasswordRequireLowercase", pw.lowercase);
    p.flag("PasswordRequireUppercase", pw.uppercase);
    p.flag("PasswordRequireNumber", pw.number);
    p.flag("PasswordRequireSymbol", pw.symbol);
    p.flag("PasswordEnableForgotLink", pw.enable_forgot_link);
    p.flag("EnableGuestAccounts", c.guest_accounts_settings.enable);
    p.flag(
        "EnableMultifactorAuthentication",
        s.enable_multifactor_authentication,
    );
    p.flag(
        "EnforceMultifactorAuthentication",
        s.enforce_multifactor_authentication,
    );
    // Clients rewrite external image links to `/api/v4/image` when this is on.
    p.flag("HasImageProxy", c.image_proxy_settings.enable);
    // Not implemented (yet): telemetry, plugins, directory and SSO logins, branding.
    p.off(&[
        "EnableDiagnostics",
        "DiagnosticsEnabled",
        "EnableClientMetrics",
        "EnableComplianceExport",
        "AllowDownloadLogs",
        "MobileExternalBrowser",
        "PluginsEnabled",
        "AppsPluginEnabled",
        "EnableCustomBrand",
        "EnableLdap",
        "EnableCustomTermsOfService",
        "GuestAccountsEnforceMultifactorAuthentication",
        "EnableGuestMagicLink",
    ]);
    p.empty(&[
        "CustomBrandText",
        "CustomDescriptionText",
        "LdapLoginFieldName",
        "LdapLoginButtonColor",
        "LdapLoginButtonBorderColor",
        "LdapLoginButtonTextColor",
        "CWSURL",
    ]);
    guests_and_terms(p, c);
}

/// Guest accounts and custom terms of service: these replace the values reported off above.
fn guests_and_terms(p: &mut Props, c: &Config) {
    let guests = &c.guest_accounts_settings;
    p.flag(
        "GuestAccountsEnforceMultifactorAuthentication",
        guests.enforce_multifactor_authentication,
    );
    p.flag("HideGuestTags", guests.hide_tags);
    let support = &c.support_settings;
    p.flag(
        "EnableCustomTermsOfService",
        support.custom_terms_of_service_enabled,
    );
    p.number(
        "CustomTermsOfServiceReAcceptancePeriod",
        support.custom_terms_of_service_re_acceptance_period,
    );
}

fn logged_in(p: &mut Props, c: &Config) {
    let s = &c.service_settings;
    let team = &c.team_settings;
    p.flag("EnableCustomUserStatuses", team.enable_custom_user_statuses);
    p.flag("EnableLastActiveTime", team.enable_last_active_time);
    p.flag("EnableUserDeactivation", team.enable_user_deactivation);
    p.flag("EnableEmailInvitations", s.enable_email_invitations);
    p.flag("EnableCustomGroups", s.enable_custom_groups);
    p.text("RestrictDirectMessage", &team.restrict_direct_message);
    p.text("TeammateNameDisplay", &team.teammate_name_display);
    p.flag("LockTeammateNameDisplay", team.lock_teammate_name_display);
    p.text("ExperimentalPrimaryTeam", &team.experimental_primary_team);
    p.flag(
        "ExperimentalViewArchivedChannels",
        team.experimental_view_archived_channels,
    );
    p.number(
        "MaxNotificationsPerChannel",
        team.max_notifications_per_channel,
    );
    p.flag(
        "EnableConfirmNotificationsToChannel",
        team.enable_confirm_notifications_to_channel,
    );
    p.flag(
        "EnableOAuthServiceProvider",
        s.enable_oauth_service_provider,
    );
    p.flag("EnableIncomingWebhooks", s.enable_incoming_webhooks);
    p.flag("EnableOutgoingWebhooks", s.enable_outgoing_webhooks);
    p.flag("EnableCommands", s.enable_commands);
    p.flag(
        "EnablePostUsernameOverride",
        s.enable_post_username_override,
    );
    p.flag("EnablePostIconOverride", s.enable_post_icon_override);
    p.flag("EnableUserAccessTokens", s.enable_user_access_tokens);
    p.flag("EnableLinkPreviews", s.enable_link_previews);
    p.flag("EnablePermalinkPreviews", s.enable_permalink_previews);
    p.flag("EnableDeveloper", s.enable_developer);
    p.number("PostEditTimeLimit", s.post_edit_time_limit);
    p.flag("EnableSVGs", s.enable_svgs);
    p.flag("EnableLatex", s.enable_latex);
    p.flag("EnableInlineLatex", s.enable_latex);
    p.flag(
        "ExtendSessionLengthWithActivity",
        s.extend_session_length_with_activity,
    );
    p.number(
        "TimeBetweenUserTypingUpdatesMilliseconds",
        s.time_between_user_typing_updates_milliseconds,
    );
    p.flag("EnableUserTypingMessages", s.enable_user_typing_messages);
    p.flag(
        "EnableChannelViewedMessages",
        s.enable_channel_viewed_messages,
    );
    p.text("CollapsedThreads", &s.collapsed_threads);
    p.flag("PostPriority", s.post_priority);
    p.flag(
        "AllowPersistentNotifications",
        s.allow_persistent_notifications,
    );
    p.number(
        "PersistentNotificationMaxCount",
        s.persistent_notification_max_count,
    );
    p.number(
        "PersistentNotificationIntervalMinutes",
        s.persistent_notification_interval_minutes,
    );
    p.number(
        "PersistentNotificationMaxRecipients",
        s.persistent_notification_max_recipients,
    );
    p.flag("ScheduledPosts", s.scheduled_posts);
    p.flag("AllowSyncedDrafts", s.allow_synced_drafts);
    p.number(
        "UniqueEmojiReactionLimitPerPost",
        s.unique_emoji_reaction_limit_per_post,
    );
    let email = &c.email_settings;
    p.flag("SendEmailNotifications", email.send_email_notifications);
    p.flag("SendPushNotifications", email.send_push_notifications);
    p.flag("RequireEmailVerification", email.require_email_verification);
    p.flag("EnableEmailBatching", email.enable_email_batching);
    p.text(
        "EmailNotificationContentsType",
        &email.email_notification_contents_type,
    );
    p.flag("ShowEmailAddress", c.privacy_settings.show_email_address);
    p.flag("ShowFullName", c.privacy_settings.show_full_name);
    let files = &c.file_settings;
    p.flag("EnableFileAttachments", files.enable_file_attachments);
    p.flag("EnablePublicLink", files.enable_public_link);
    p.flag("EnableMobileFileUpload", files.enable_mobile_upload);
    p.flag("EnableMobileFileDownload", files.enable_mobile_download);
    p.number("MaxFileSize", files.max_file_size);
    p.text(
        "AvailableLocales",
        &c.localization_settings.available_locales,
    );
    p.text("SQLDriverName", &c.sql_settings.driver_name);
    p.number(
        "UsersStatusAndProfileFetchingPollIntervalMilliseconds",
        c.experimental_settings
            .users_status_and_profile_fetching_poll_interval_milliseconds,
    );
    p.flag("EnableCluster", c.cluster_settings.enable);
    p.flag("EnableMetrics", c.metrics_settings.enable);
    let banner = &c.announcement_settings;
    p.flag("EnableBanner", banner.enable_banner);
    p.text("BannerText", &banner.banner_text);
    p.text("BannerColor", &banner.banner_color);
    p.text("BannerTextColor", &banner.banner_text_color);
    p.flag("AllowBannerDismissal", banner.allow_banner_dismissal);
    p.text(
        "CustomUrlSchemes",
        &c.display_settings.custom_url_schemes.join(","),
    );
    p.number("MaxMarkdownNodes", c.display_settings.max_markdown_nodes);
    // Fixed behaviour the clients expect to be told about.
    for (key, value) in [
        ("ExperimentalEnablePostMetadata", "true"),
        ("ExperimentalTimezone", "true"),
        ("ExperimentalEnableAuthenticationTransfer", "true"),
        ("ExperimentalEnableDefaultChannelLeaveJoinMessages", "true"),
        ("ExperimentalGroupUnreadChannels", "disabled"),
        ("EnableThemeSelection", "true"),
        ("AllowCustomThemes", "true"),
        ("DefaultTheme", "default"),
        ("AllowedThemes", ""),
        ("EnableTutorial", "true"),
        ("MinimumHashtagLength", "3"),
        ("RunJobs", "true"),
        ("DataRetentionMessageRetentionHours", "0"),
        ("DataRetentionFileRetentionHours", "0"),
        ("GoogleDeveloperKey", ""),
        ("GiphySdkKey", ""),
        ("ManagedResourcePaths", ""),
        ("DeleteAccountLink", ""),
    ] {
        p.text(key, value);
    }
    p.off(&[
        "EnableTesting",
        "EnableClientPerformanceDebugging",
        "EnableOnboardingFlow",
        "EnableMarketplace",
        "IsDefaultMarketplace",
        "EnableGifPicker",
        "EnableOutgoingOAuthConnections",
        "EnablePreviewModeBanner",
        "EnableExperimentalLocales",
        "ExperimentalEnableAutomaticReplies",
        "ExperimentalSharedChannels",
        "ExperimentalChannelCategorySorting",
        "EnableCompliance",
        "DataRetentionEnableMessageDeletion",
        "DataRetentionEnableFileDeletion",
        "DisableAppBar",
        "DisableRefetchingOnBrowserFocus",
        "DisableWakeUpReconnectHandler",
        "UseAnonymousURLs",
        "AllowPersistentNotificationsForGuests",
        "DelayChannelAutocomplete",
        "LdapNicknameAttributeSet",
        "LdapFirstNameAttributeSet",
        "LdapLastNameAttributeSet",
        "LdapPictureAttributeSet",
        "LdapPositionAttributeSet",
        "SamlFirstNameAttributeSet",
        "SamlLastNameAttributeSet",
        "SamlNicknameAttributeSet",
        "SamlPositionAttributeSet",
    ]);
}

/// The SSO buttons of the login page: one per service that is on (Mattermost's
/// `EnableSignUpWith*` keys), the OpenID Connect one with its own text and colour.
fn oauth_sign_in(p: &mut Props, c: &Config) {
    p.flag("EnableSignUpWithGitLab", c.gitlab_settings.enable);
    p.flag("EnableSignUpWithGoogle", c.google_settings.enable);
    p.flag("EnableSignUpWithOffice365", c.office365_settings.enable);
    p.flag("EnableSignUpWithOpenId", c.open_id_settings.enable);
    p.text("OpenIdButtonText", &c.open_id_settings.button_text);
    p.text("OpenIdButtonColor", &c.open_id_settings.button_color);
}

/// The AD/LDAP sign-in the login page offers (overrides the "off" of `limited`).
fn ldap_sign_in(p: &mut Props, c: &Config) {
    let ldap = &c.ldap_settings;
    p.flag("EnableLdap", crate::ldap::login_enabled(ldap));
    p.text("LdapLoginFieldName", &ldap.login_field_name);
    p.text("LdapLoginButtonColor", &ldap.login_button_color);
    p.text(
        "LdapLoginButtonBorderColor",
        &ldap.login_button_border_color,
    );
    p.text("LdapLoginButtonTextColor", &ldap.login_button_text_color);
}

/// The SAML sign-in button of the login page (Mattermost's `EnableSaml` and
/// `SamlLoginButton…`).
fn saml_sign_in(p: &mut Props, c: &Config) {
    let saml = &c.saml_settings;
    p.flag("EnableSaml", saml.enable);
    p.text("SamlLoginButtonText", &saml.login_button_text);
    p.text("SamlLoginButtonColor", &saml.login_button_color);
    p.text(
        "SamlLoginButtonBorderColor",
        &saml.login_button_border_color,
    );
    p.text("SamlLoginButtonTextColor", &saml.login_button_text_color);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anonymous_set_is_a_subset_without_user_only_keys() {
        let config = Config::default();
        let facts = ClientFacts {
            telemetry_id: "tid".into(),
            no_accounts: true,
            installation_date: String::new(),
        };
        let limited = client_config(&config, &facts, false);
        let full = client_config(&config, &facts, true);
        assert_eq!(limited["Version"], MATTERMOST_VERSION);
        assert_eq!(limited["NoAccounts"], "true");
        assert_eq!(limited["EnableLdap"], "false");
        assert!(!limited.contains_key("MaxPostSize"));
        assert!(!limited.contains_key("TeammateNameDisplay"));
        assert_eq!(full["MaxPostSize"], "16383");
        assert_eq!(full["TeammateNameDisplay"], "username");
        for key in limited.keys() {
            assert!(full.contains_key(key), "{key} missing from the full set");
        }
    }
}

#[cfg(test)]
mod oauth_tests {
    use super::*;

    #[test]
    fn sso_buttons_follow_their_sections() {
        let mut config = Config::default();
        let facts = ClientFacts::default();
        let off = client_config(&config, &facts, false);
        assert_eq!(off["EnableSignUpWithOpenId"], "false");
        assert_eq!(off["OpenIdButtonColor"], "#145DBF");
        config.gitlab_settings.enable = true;
        config.open_id_settings.enable = true;
        config.open_id_settings.button_text = "Company SSO".into();
        let on = client_config(&config, &facts, false);
        assert_eq!(on["EnableSignUpWithGitLab"], "true");
        assert_eq!(on["EnableSignUpWithGoogle"], "false");
        assert_eq!(on["EnableSignUpWithOffice365"], "false");
        assert_eq!(on["EnableSignUpWithOpenId"], "true");
        assert_eq!(on["OpenIdButtonText"], "Company SSO");
    }
}
