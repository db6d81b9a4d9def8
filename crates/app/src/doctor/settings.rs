//! The checks that read the configuration only.

use super::Finding;
use utmost_config::Config;

/// The longest sessions the checklist accepts without a warning, in hours: Mattermost's
/// defaults (30 days on the web and for SSO, 180 days on mobile).
const WEB_SESSION_HOURS: i64 = 720;
const MOBILE_SESSION_HOURS: i64 = 4320;
/// A password policy weaker than this length with no character rule gets a warning.
const STRONG_PASSWORD_LENGTH: i64 = 10;
/// Uploads larger than this (bytes) are a memory and storage risk worth a warning.
const LARGE_UPLOAD: i64 = 1 << 30;

pub(super) fn check(config: &Config) -> Vec<Finding> {
    vec![
        site_url(config),
        open_sign_up(config),
        sessions(config),
        password_policy(config),
        mfa(config),
        rate_limits(config),
        log_level(config),
        upload_limits(config),
        metrics(config),
    ]
}

fn site_url(config: &Config) -> Finding {
    const CHECK: &str = "Site URL";
    let site = config.service_settings.site_url.trim();
    match reqwest::Url::parse(site) {
        _ if site.is_empty() => Finding::fail(CHECK, "SITE_URL_MISSING", "ServiceSettings.SiteURL is empty: links in emails, push notifications, SAML and OAuth redirects cannot be built")
            .fix("Set ServiceSettings.SiteURL to the address users type, e.g. https://chat.example.com"),
        Ok(url) if url.scheme() == "https" => Finding::pass(CHECK, "SITE_URL_OK", site),
        Ok(url) if url.scheme() == "http" => Finding::warn(CHECK, "SITE_URL_NOT_HTTPS", format!("{site} is not served over HTTPS: passwords and session cookies cross the network in clear"))
            .fix("Serve Utmost over TLS (ServiceSettings.ConnectionSecurity=TLS, or a proxy in front) and set an https:// SiteURL"),
        _ => Finding::fail(CHECK, "SITE_URL_INVALID", format!("{site:?} is not an http(s) URL"))
            .fix("Set ServiceSettings.SiteURL to a full URL such as https://chat.example.com"),
    }
}

fn open_sign_up(config: &Config) -> Finding {
    const CHECK: &str = "Open sign-up";
    let team = &config.team_settings;
    if !team.enable_user_creation || !team.enable_open_server {
        return Finding::pass(
            CHECK,
            "SIGN_UP_CLOSED",
            "accounts are created by invitation, AD/LDAP or SSO only",
        );
    }
    let domains = team.restrict_creation_to_domains.trim();
    if domains.is_empty() {
        Finding::fail(CHECK, "SIGN_UP_OPEN", "TeamSettings.EnableOpenServer is on: anyone who reaches the server can create an account")
            .fix("Turn TeamSettings.EnableOpenServer off, or restrict sign-up with TeamSettings.RestrictCreationToDomains")
    } else {
        Finding::warn(CHECK, "SIGN_UP_OPEN_TO_DOMAINS", format!("anyone with an address at {domains} can create an account"))
            .fix("Make sure RequireEmailVerification is on, so an address must be proven before it signs in")
    }
}

fn sessions(config: &Config) -> Finding {
    const CHECK: &str = "Session lengths";
    let s = &config.service_settings;
    let long: Vec<String> = [
        (
            "SessionLengthWebInHours",
            s.session_length_web_in_hours,
            WEB_SESSION_HOURS,
        ),
        (
            "SessionLengthMobileInHours",
            s.session_length_mobile_in_hours,
            MOBILE_SESSION_HOURS,
        ),
        (
            "SessionLengthSSOInHours",
            s.session_length_sso_in_hours,
            WEB_SESSION_HOURS,
        ),
    ]
    .into_iter()
    .filter(|(_, hours, limit)| hours > limit)
    .map(|(name, hours, limit)| format!("{name} is {hours} (over {limit})"))
    .collect();
    if long.is_empty() {
        Finding::pass(
            CHECK,
            "SESSIONS_OK",
            format!(
                "web {} h, mobile {} h, SSO {} h",
                s.session_length_web_in_hours,
                s.session_length_mobile_in_hours,
                s.session_length_sso_in_hours
            ),
        )
    } else {
        Finding::warn(CHECK, "SESSIONS_LONG", long.join("; "))
            .fix("Shorten the ServiceSettings.SessionLength* settings: a stolen session stays valid that long")
    }
}

fn password_policy(config: &Config) -> Finding {
    const CHECK: &str = "Password policy";
    let p = &config.password_settings;
    let rules = [p.lowercase, p.uppercase, p.number, p.symbol]
        .into_iter()
        .filter(|on| *on)
        .count();
    let detail = format!(
        "at least {} characters, {rules} character rule(s)",
        p.minimum_length
    );
    if p.minimum_length < STRONG_PASSWORD_LENGTH && rules == 0 {
        Finding::warn(CHECK, "PASSWORDS_WEAK", detail).fix(format!(
            "Raise PasswordSettings.MinimumLength to {STRONG_PASSWORD_LENGTH} or more, or require character classes"
        ))
    } else {
        Finding::pass(CHECK, "PASSWORDS_OK", detail)
    }
}

fn mfa(config: &Config) -> Finding {
    const CHECK: &str = "Multi-factor authentication";
    let s = &config.service_settings;
    match (s.enable_multifactor_authentication, s.enforce_multifactor_authentication) {
        (true, true) => Finding::pass(CHECK, "MFA_ENFORCED", "every password sign-in needs a second factor"),
        (true, false) => Finding::warn(CHECK, "MFA_OPTIONAL", "users may turn MFA on, but nobody has to")
            .fix("Set ServiceSettings.EnforceMultifactorAuthentication (SSO users get theirs from the identity provider)"),
        _ => Finding::warn(CHECK, "MFA_OFF", "multi-factor authentication is off")
            .fix("Set ServiceSettings.EnableMultifactorAuthentication and EnforceMultifactorAuthentication"),
    }
}

fn rate_limits(config: &Config) -> Finding {
    const CHECK: &str = "Rate limits";
    let r = &config.rate_limit_settings;
    if r.enable {
        Finding::pass(
            CHECK,
            "RATE_LIMITS_ON",
            format!(
                "{} requests per second per client, bursts of {}",
                r.per_sec, r.max_burst
            ),
        )
    } else {
        Finding::warn(
            CHECK,
            "RATE_LIMITS_OFF",
            "one client can send requests without limit",
        )
        .fix("Set RateLimitSettings.Enable")
    }
}

fn log_level(config: &Config) -> Finding {
    const CHECK: &str = "Log level";
    let l = &config.log_settings;
    let verbose = |level: &str| matches!(level.to_ascii_uppercase().as_str(), "DEBUG" | "TRACE");
    let mut noisy = Vec::new();
    if l.enable_console && verbose(&l.console_level) {
        noisy.push(format!("LogSettings.ConsoleLevel is {}", l.console_level));
    }
    if l.enable_file && verbose(&l.file_level) {
        noisy.push(format!("LogSettings.FileLevel is {}", l.file_level));
    }
    if noisy.is_empty() {
        Finding::pass(
            CHECK,
            "LOG_LEVEL_OK",
            format!("console {}, file {}", l.console_level, l.file_level),
        )
    } else {
        Finding::warn(CHECK, "LOG_LEVEL_VERBOSE", noisy.join("; "))
            .fix("Use INFO in production: debug logs grow fast and hold message details")
    }
}

fn upload_limits(config: &Config) -> Finding {
    const CHECK: &str = "File and upload limits";
    let f = &config.file_settings;
    if f.max_file_size > LARGE_UPLOAD {
        Finding::warn(
            CHECK,
            "UPLOADS_LARGE",
            format!("FileSettings.MaxFileSize is {} MiB", f.max_file_size >> 20),
        )
        .fix("Keep FileSettings.MaxFileSize at 1 GiB or less (and the proxy's body limit with it)")
    } else {
        Finding::pass(
            CHECK,
            "UPLOADS_OK",
            format!("files up to {} MiB", f.max_file_size >> 20),
        )
    }
}

fn metrics(config: &Config) -> Finding {
    const CHECK: &str = "Metrics";
    let m = &config.metrics_settings;
    if m.enable {
        Finding::pass(
            CHECK,
            "METRICS_ON",
            format!("Prometheus metrics on {}", m.listen_address),
        )
    } else {
        Finding::warn(
            CHECK,
            "METRICS_OFF",
            "nothing is scraped: load and errors go unseen until users complain",
        )
        .fix(
            "Set MetricsSettings.Enable and scrape MetricsSettings.ListenAddress (docs/monitoring)",
        )
    }
}
