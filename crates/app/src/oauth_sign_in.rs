//! Sign-in through an OAuth 2.0 or OpenID Connect provider: GitLab, Google, Office 365 /
//! Entra ID and any OpenID Connect provider (Mattermost's `web/oauth.go` and `app/oauth.go`;
//! docs/sso.md).
//!
//! `begin` sends the browser to the provider with a one-shot `state` (stored hashed, bound
//! to the browser by the `MMOAUTH` cookie, expiring), a PKCE S256 challenge and, for OpenID
//! Connect, a nonce. `complete` takes the state back, exchanges the code, checks the ID token
//! (signature by the provider's keys, issuer, audience, expiry, nonce) or reads the user API,
//! then finds, links or creates the account and opens an SSO session. Every call to the
//! provider goes through `outgoing` (internal addresses refused, bodies capped).

mod account;
mod profiles;
mod provider;
mod state;

pub use state::{COOKIE_MAX_AGE_SECS, COOKIE_NAME};

use crate::errors::OAuthError;
use crate::sessions::{self, SessionKind};
use crate::{App, AppResult};
use std::collections::BTreeMap;
use utmost_config::{Config, Sso};
use utmost_model::session::Session;
use utmost_model::{now_millis, AppError};

/// The services, by the name in their routes and in users' `auth_service`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service {
    GitLab,
    Google,
    Office365,
    OpenId,
}

impl Service {
    pub fn parse(name: &str) -> Option<Service> {
        match name {
            "gitlab" => Some(Service::GitLab),
            "google" => Some(Service::Google),
            "office365" => Some(Service::Office365),
            "openid" => Some(Service::OpenId),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Service::GitLab => "gitlab",
            Service::Google => "google",
            Service::Office365 => "office365",
            Service::OpenId => "openid",
        }
    }

    /// The service's settings, with Office 365's tenant put into its endpoints.
    fn settings(self, config: &Config) -> Settings {
        let sso: Sso<'_> = match self {
            Service::GitLab => config.gitlab_settings.sso(),
            Service::Google => config.google_settings.sso(),
            Service::Office365 => config.office365_settings.sso(),
            Service::OpenId => config.open_id_settings.sso(),
        };
        let tenant = |endpoint: &str| match self {
            Service::Office365 if !config.office365_settings.directory_id.is_empty() => endpoint
                .replace(
                    "/common/",
                    &format!("/{}/", config.office365_settings.directory_id),
                ),
            _ => endpoint.to_owned(),
        };
        Settings {
            enable: sso.enable,
            id: sso.id.to_owned(),
            secret: sso.secret.to_owned(),
            scopes: sso.scope.split_whitespace().map(str::to_owned).collect(),
            auth_endpoint: tenant(sso.auth_endpoint),
            token_endpoint: tenant(sso.token_endpoint),
            user_api_endpoint: sso.user_api_endpoint.to_owned(),
            discovery_endpoint: tenant(sso.discovery_endpoint),
        }
    }
}

/// What a flow needs of a service's section.
#[derive(Debug, Clone)]
struct Settings {
    enable: bool,
    id: String,
    secret: String,
    scopes: Vec<String>,
    auth_endpoint: String,
    token_endpoint: String,
    user_api_endpoint: String,
    discovery_endpoint: String,
}

/// Why the user went to the provider (Mattermost's `OAuthAction*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Action {
    #[serde(rename = "login")]
    Login,
    #[serde(rename = "signup")]
    Signup,
    #[serde(rename = "mobile")]
    Mobile,
}

/// A sign-in about to leave for the provider.
pub struct Begin<'a> {
    pub action: Action,
    /// Where to land afterwards: checked by the caller (`redirect_allowed`).
    pub redirect_to: &'a str,
    /// `SiteURL`, or the address the request came to when it is unset.
    pub site_url: &'a str,
    /// A team's invite link id (`?id=`): the user joins the team once signed in.
    pub team_invite_id: &'a str,
}

/// Where to send the browser, and the value of its `MMOAUTH` cookie.
pub struct Started {
    pub auth_url: String,
    pub cookie: String,
}

/// The service, on and known, or Mattermost's 501.
pub fn enabled(app: &App, service: &str) -> AppResult<Service> {
    Service::parse(service)
        .filter(|s| s.settings(&app.config()).enable)
        .ok_or_else(|| OAuthError::Unsupported.into())
}

/// Starts a sign-in: saves the state and returns the provider's authorization URL.
pub async fn begin(app: &App, service: Service, begin: Begin<'_>) -> AppResult<Started> {
    if !begin.team_invite_id.is_empty() {
        crate::teams::invite_info(app, begin.team_invite_id).await?;
    }
    let settings = service.settings(&app.config());
    let redirect_uri = redirect_uri(begin.site_url, service);
    let secrets = provider::Secrets::new(&settings);
    let cookie = utmost_model::new_id();
    let state = state::save(
        app,
        &state::Extra {
            service: service.name().to_owned(),
            action: begin.action,
            redirect_to: begin.redirect_to.to_owned(),
            cookie: crate::sessions::hash_token(&cookie),
            pkce_verifier: secrets.pkce_verifier.clone(),
            nonce: secrets.nonce.clone(),
            team_invite_id: begin.team_invite_id.to_owned(),
        },
    )
    .await?;
    let auth_url =
        provider::authorization_url(app, &settings, &redirect_uri, &state, &secrets).await?;
    Ok(Started { auth_url, cookie })
}

/// What the provider sent back to the redirect URI, and the browser's `MMOAUTH` cookie.
pub struct Callback<'a> {
    pub code: &'a str,
    pub state: &'a str,
    pub error: &'a str,
    pub cookie: Option<&'a str>,
    pub site_url: &'a str,
}

/// A finished sign-in: the session (raw token) and where the user goes.
pub struct SignedIn {
    pub session: Session,
    pub action: Action,
    pub redirect_to: String,
}

/// A refused sign-in, with what is known of where it came from (a mobile app gets its
/// error page with a link back).
#[derive(Debug)]
pub struct Refused {
    pub error: AppError,
    pub action: Option<Action>,
    pub redirect_to: String,
}

/// Finishes a sign-in; every refusal is logged with its reason.
pub async fn complete(
    app: &App,
    service: Service,
    callback: Callback<'_>,
) -> Result<SignedIn, Refused> {
    let mut taken = None;
    let outcome = finish(app, service, &callback, &mut taken).await;
    outcome.map_err(|error| {
        tracing::warn!(
            service = service.name(),
            error_id = %error.id,
            reason = %error.detailed_error,
            "OAuth sign-in refused"
        );
        Refused {
            error,
            action: taken.as_ref().map(|t: &state::Extra| t.action),
            redirect_to: taken.map(|t| t.redirect_to).unwrap_or_default(),
        }
    })
}

async fn finish(
    app: &App,
    service: Service,
    callback: &Callback<'_>,
    taken: &mut Option<state::Extra>,
) -> AppResult<SignedIn> {
    if !callback.error.is_empty() {
        return Err(OAuthError::Denied(callback.error.to_owned()).into());
    }
    if callback.code.is_empty() {
        return Err(OAuthError::MissingCode.into());
    }
    let settings = service.settings(&app.config());
    if !settings.enable {
        return Err(OAuthError::Unsupported.into());
    }
    let extra = state::take(app, callback.state, service.name(), callback.cookie).await?;
    let (action, redirect_to) = (extra.action, extra.redirect_to.clone());
    let team_invite_id = extra.team_invite_id.clone();
    let secrets = provider::Secrets {
        pkce_verifier: extra.pkce_verifier.clone(),
        nonce: extra.nonce.clone(),
    };
    *taken = Some(extra);
    let redirect_uri = redirect_uri(callback.site_url, service);
    let found = provider::user(
        app,
        service,
        &settings,
        &redirect_uri,
        callback.code,
        &secrets,
    )
    .await?;
    let user = account::sign_in(app, service, found).await?;
    // Mattermost adds the user to the invitation's team, new account or not.
    if !team_invite_id.is_empty() {
        crate::teams::join_by_invite_id(app, &team_invite_id, &user.id).await?;
    }
    let now = now_millis();
    utmost_store::users::record_login(&app.store, &user.id, now).await?;
    app.publish(crate::bus::Event::UserCredentialsChanged {
        user_id: user.id.clone(),
    })
    .await;
    let kind = match action {
        Action::Mobile => SessionKind::Mobile,
        Action::Login | Action::Signup => SessionKind::Sso,
    };
    let props = BTreeMap::from([("isOAuthUser".to_owned(), "true".to_owned())]);
    let session = sessions::create(app, &user, kind, "", props).await?;
    Ok(SignedIn {
        session,
        action,
        redirect_to,
    })
}

/// Mattermost's redirect URI for every service: `<site>/signup/<service>/complete`.
pub fn redirect_uri(site_url: &str, service: Service) -> String {
    format!(
        "{}/signup/{}/complete",
        site_url.trim_end_matches('/'),
        service.name()
    )
}

/// Whether a web sign-in may land on `redirect_to` (Mattermost's
/// `IsValidWebAuthRedirectURL`): a path on this site, or an absolute URL of the site.
pub fn redirect_allowed(site_url: &str, redirect_to: &str) -> bool {
    if redirect_to.is_empty() {
        return true;
    }
    if redirect_to.starts_with('/') {
        return !(redirect_to.starts_with("//") || redirect_to.starts_with("/\\"));
    }
    match (url::Url::parse(site_url), url::Url::parse(redirect_to)) {
        (Ok(site), Ok(target)) => {
            site.origin() == target.origin()
                && target.path().starts_with(site.path().trim_end_matches('/'))
        }
        _ => false,
    }
}

/// Whether a mobile sign-in may return to `redirect_to`: one of `AppCustomURLSchemes`
/// (Mattermost's `IsValidMobileAuthRedirectURL`).
pub fn app_scheme_allowed(config: &Config, redirect_to: &str) -> bool {
    url::Url::parse(redirect_to).is_ok_and(|u| {
        let scheme = format!("{}://", u.scheme());
        config
            .native_app_settings
            .app_custom_url_schemes
            .iter()
            .any(|s| s.eq_ignore_ascii_case(&scheme))
    })
}

/// Where a signed-in web user lands: the site's path, or the site's root.
pub fn landing(site_url: &str, redirect_to: &str) -> String {
    let site = site_url.trim_end_matches('/');
    if redirect_to.is_empty() || !redirect_allowed(site_url, redirect_to) {
        return format!("{site}/");
    }
    if redirect_to.starts_with('/') {
        format!("{site}{redirect_to}")
    } else {
        redirect_to.to_owned()
    }
}

/// The app's URL with the session's token and CSRF token in Mattermost's query names
/// (`MMAUTHTOKEN`, `MMCSRF`); `session.token` must be the raw token.
pub fn app_return_url(redirect_to: &str, session: &Session) -> Option<String> {
    let mut target = url::Url::parse(redirect_to).ok()?;
    target
        .query_pairs_mut()
        .append_pair("MMAUTHTOKEN", &session.token)
        .append_pair("MMCSRF", session.csrf_token());
    Some(target.into())
}

/// The login page, showing why a sign-in was refused (`sso_error`: its id, `message`).
pub fn error_landing(site_url: &str, error: &AppError) -> String {
    let query = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("sso_error", &error.id)
        .append_pair("message", &error.message)
        .finish();
    format!("{}/login?{query}", site_url.trim_end_matches('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirects_stay_on_the_site() {
        let site = "https://chat.example.com";
        assert!(redirect_allowed(site, ""));
        assert!(redirect_allowed(site, "/team/channels/town-square"));
        assert!(redirect_allowed(site, "https://chat.example.com/x"));
        assert!(!redirect_allowed(site, "//evil.example/x"));
        assert!(!redirect_allowed(site, "/\\evil.example"));
        assert!(!redirect_allowed(site, "https://evil.example/x"));
        assert!(!redirect_allowed(
            site,
            "https://chat.example.com.evil.example/"
        ));
        assert!(!redirect_allowed(site, "javascript:alert(1)"));
        assert_eq!(
            landing(site, "https://evil.example"),
            "https://chat.example.com/"
        );
        assert_eq!(landing(site, "/a"), "https://chat.example.com/a");
    }

    #[test]
    fn mobile_schemes_are_the_configured_ones() {
        let config = Config::default();
        assert!(app_scheme_allowed(&config, "mmauth://callback"));
        assert!(app_scheme_allowed(&config, "mmauthbeta://callback"));
        assert!(!app_scheme_allowed(&config, "https://evil.example/"));
        assert!(!app_scheme_allowed(&config, "evil://x"));
    }

    #[test]
    fn office365_endpoints_name_the_tenant() {
        let mut config = Config::default();
        config.office365_settings.directory_id = "tenant-1".into();
        let s = Service::Office365.settings(&config);
        assert_eq!(
            s.auth_endpoint,
            "https://login.microsoftonline.com/tenant-1/oauth2/v2.0/authorize"
        );
        assert_eq!(s.scopes, ["User.Read"]);
    }
}
