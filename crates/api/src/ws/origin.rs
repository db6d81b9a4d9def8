//! Which browser pages may open a WebSocket, as Mattermost's `OriginChecker`. A browser sends
//! the session cookie along with any page's upgrade and WebSockets are exempt from CORS, so
//! without this check any site a user visits could read their events (cross-site WebSocket
//! hijacking). Clients that are not browsers send no `Origin` and are not affected.

use utmost_config::ServiceSettings;
use utmost_model::AppError;

/// Allowed: no `Origin`; any origin when AllowCorsFrom is `*`; an origin AllowCorsFrom lists
/// (space-separated); the SiteURL's origin; an origin whose host (with port) is the request's
/// `Host`. Mattermost honours SiteURL only when AllowCorsFrom is set; it is the server's own
/// public origin, so it is always honoured here (a proxy may rewrite `Host`).
pub fn allowed(origin: Option<&str>, host: Option<&str>, settings: &ServiceSettings) -> bool {
    let Some(origin) = origin else {
        return true;
    };
    let allow = settings.allow_cors_from.trim();
    if allow == "*" {
        return true;
    }
    let origin = origin.trim_end_matches('/');
    let is_origin = |candidate: &str| candidate.trim_end_matches('/').eq_ignore_ascii_case(origin);
    allow.split_whitespace().any(is_origin)
        || scheme_and_authority(&settings.site_url).is_some_and(is_origin)
        || host.is_some_and(|h| authority(origin).is_some_and(|a| a.eq_ignore_ascii_case(h)))
}

/// Mattermost's error for a refused upgrade, with the status its upgrader answers.
pub fn refused(origin: &str) -> AppError {
    AppError::forbidden(
        "api.web_socket.connect.upgrade.app_error",
        "Failed to upgrade websocket connection.",
    )
    .with_detail(format!("origin not allowed: {origin}"))
}

/// `host[:port]` of `scheme://host[:port][/…]`; None for anything else (e.g. `null`).
fn authority(url: &str) -> Option<&str> {
    let (_, rest) = url.split_once("://")?;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    Some(&rest[..end]).filter(|a| !a.is_empty())
}

/// `scheme://host[:port]` of a URL: the origin a page served from it presents.
fn scheme_and_authority(url: &str) -> Option<&str> {
    let scheme_len = url.find("://")? + 3;
    let authority_len = authority(url)?.len();
    Some(&url[..scheme_len + authority_len])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(site_url: &str, allow_cors_from: &str) -> ServiceSettings {
        ServiceSettings {
            site_url: site_url.into(),
            allow_cors_from: allow_cors_from.into(),
            ..ServiceSettings::default()
        }
    }

    #[test]
    fn same_host_only_by_default() {
        let s = settings("", "");
        let host = Some("chat.local:8065");
        assert!(allowed(None, host, &s));
        assert!(allowed(Some("http://chat.local:8065"), host, &s));
        assert!(allowed(Some("https://CHAT.local:8065/"), host, &s));
        assert!(!allowed(Some("http://chat.local:9999"), host, &s));
        assert!(!allowed(Some("http://evil.example"), host, &s));
        assert!(!allowed(Some("null"), host, &s));
        assert!(!allowed(Some("http://evil.example"), None, &s));
    }

    #[test]
    fn site_url_and_listed_origins() {
        let s = settings(
            "https://chat.example.com/mattermost",
            "https://a.example https://b.example",
        );
        let host = Some("10.0.0.5:8065");
        assert!(allowed(Some("https://chat.example.com"), host, &s));
        assert!(!allowed(Some("http://chat.example.com"), host, &s));
        assert!(!allowed(
            Some("https://chat.example.com.evil.example"),
            host,
            &s
        ));
        assert!(allowed(Some("https://b.example"), host, &s));
        assert!(!allowed(Some("https://c.example"), host, &s));
        assert!(allowed(Some("https://c.example"), host, &settings("", "*")));
    }
}
