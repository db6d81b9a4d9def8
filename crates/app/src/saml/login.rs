//! Signing in through the IdP (Mattermost's `web/saml.go` and the enterprise `DoLogin`).
//!
//! `begin` sends the browser to the IdP with an AuthnRequest (HTTP-Redirect binding, signed
//! with the SP key when `SignRequest` is on) whose id is remembered in the database for
//! `REQUEST_LIFETIME`, and a `RelayState` carrying where to go afterwards. `complete` takes
//! the IdP's POSTed response: samael checks the signature against the IdP certificate
//! (`Verify`), decrypts an encrypted assertion with the SP key (`Encrypt`), and checks the
//! destination and recipient, the audience, the issuer, the validity times (with
//! `CLOCK_SKEW_SECONDS`) and that `InResponseTo` names a request this server sent. The
//! assertion's id is then remembered until it expires, so a replayed assertion is refused,
//! on any node. The account is found by `auth_data` (or, on its first SAML sign-in after a
//! migration, by its email as `auth_data`), brought up to date, or created; then a session
//! opens (SSO length; MFA does not apply to SAML, as in Mattermost).

use super::attributes::Profile;
use super::provider::{provider, CLOCK_SKEW_SECONDS};
use super::AUTH_SERVICE;
use crate::bus::Event;
use crate::errors::{LoginError, SamlError};
use crate::sessions::{self, SessionKind};
use crate::{App, AppResult};
use data_encoding::BASE64;
use samael::schema::Assertion;
use samael::service_provider::Error as Refusal;
use std::collections::BTreeMap;
use utmost_config::Config;
use utmost_model::session::Session;
use utmost_model::user::User;
use utmost_model::{new_id, now_millis, AppError};
use utmost_store::saml::{self as store, SamlId};
use utmost_store::users as users_store;

/// How long after `begin` the IdP's answer is taken.
pub const REQUEST_LIFETIME_MS: i64 = 10 * 60 * 1000;
/// Mattermost's `maxSAMLResponseSize`.
pub const MAX_RESPONSE_BYTES: usize = 2 * 1024 * 1024;
/// Expired ids forgotten per sign-in (the table's clean-up, a bounded share at a time).
const FORGET_PER_REQUEST: i64 = 100;
/// The mobile apps' redirect schemes (Mattermost's default `NativeAppSettings
/// .AppCustomURLSchemes`; Utmost has no such setting yet).
const MOBILE_SCHEMES: &[&str] = &["mmauth://", "mmauthbeta://"];
/// `model.OAuthActionMobile`.
const ACTION_MOBILE: &str = "mobile";

/// Where the sign-in started and where it goes after: Mattermost's relay props.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Relay {
    /// `action` ("mobile", "signup", …).
    pub action: String,
    /// `redirect_to`: a path of this site, or for the mobile app its custom scheme.
    pub redirect_to: String,
    pub team_id: String,
}

impl Relay {
    pub fn is_mobile(&self) -> bool {
        self.action == ACTION_MOBILE
    }

    /// Mattermost's `RelayState`: base64 of the props as JSON.
    fn encode(&self) -> String {
        let mut props = BTreeMap::new();
        if !self.action.is_empty() {
            props.insert("action", self.action.clone());
            props.insert("team_id", self.team_id.clone());
        }
        if !self.redirect_to.is_empty() {
            props.insert("redirect_to", self.redirect_to.clone());
        }
        props.insert("isMobile", self.is_mobile().to_string());
        BASE64.encode(serde_json::to_string(&props).unwrap_or_default().as_bytes())
    }

    fn decode(state: &str) -> Result<Relay, SamlError> {
        if state.is_empty() {
            return Ok(Relay::default());
        }
        let json = BASE64
            .decode(state.as_bytes())
            .map_err(|_| SamlError::InvalidState)?;
        let props: BTreeMap<String, String> =
            serde_json::from_slice(&json).map_err(|_| SamlError::InvalidState)?;
        let get = |key: &str| props.get(key).cloned().unwrap_or_default();
        Ok(Relay {
            action: get("action"),
            redirect_to: get("redirect_to"),
            team_id: get("team_id"),
        })
    }

    /// Where the browser goes once signed in: `redirect_to` when it is a path of this site
    /// (never another site: `//host` and `/\host` are refused), the mobile app's scheme
    /// with the session's tokens for the mobile flow, else the site's root.
    pub fn destination(&self, session: &Session) -> Destination {
        let to = self.redirect_to.as_str();
        if self.is_mobile() && MOBILE_SCHEMES.iter().any(|s| to.starts_with(s)) {
            let join = if to.contains('?') { '&' } else { '?' };
            return Destination::MobileApp(format!(
                "{to}{join}MMAUTHTOKEN={}&MMCSRF={}",
                session.token,
                session.csrf_token()
            ));
        }
        if self.is_mobile() {
            return Destination::MobileWebView;
        }
        let same_site = to.starts_with('/')
            && !to.starts_with("//")
            && !to.starts_with("/\\")
            && !to.chars().any(char::is_control);
        Destination::Path(if same_site { to } else { "/" }.to_string())
    }

    /// Checks a `redirect_to` before the sign-in starts: the mobile flow takes only the
    /// apps' schemes (Mattermost's `api.invalid_custom_url_scheme`).
    fn check(&self) -> AppResult<()> {
        let to = &self.redirect_to;
        if self.is_mobile() && !to.is_empty() && !MOBILE_SCHEMES.iter().any(|s| to.starts_with(s)) {
            return Err(AppError::bad_request(
                "api.invalid_custom_url_scheme",
                "Invalid custom URL scheme has been found.",
            ));
        }
        Ok(())
    }
}

/// Where a completed sign-in sends the browser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    /// A path of this site.
    Path(String),
    /// The mobile app's redirect URL, carrying the session token and CSRF token.
    MobileApp(String),
    /// The mobile app's web view, which reads the cookies: answered with OK.
    MobileWebView,
}

/// `GET /login/sso/saml`: the IdP's sign-in URL with a new AuthnRequest.
pub async fn begin(app: &App, relay: Relay) -> AppResult<String> {
    let config = app.config();
    let s = &config.saml_settings;
    if !s.enable {
        return Err(SamlError::LoginNotAvailable.into());
    }
    relay.check()?;
    let provider = provider(app, &config).await?;
    let failed = |e: Box<dyn std::error::Error>| SamlError::BuildRequest(e.to_string());
    let mut request = provider
        .sp
        .make_authentication_request(&s.idp_url)
        .map_err(failed)?;
    // An NCName (no leading digit) that cannot be guessed.
    request.id = format!("_{}", new_id());
    let now = now_millis();
    store::forget_expired(&app.store, now, FORGET_PER_REQUEST).await?;
    store::remember(
        &app.store,
        SamlId::Request,
        &request.id,
        now + REQUEST_LIFETIME_MS,
    )
    .await?;
    let state = relay.encode();
    let url = match (&provider.key, s.sign_request) {
        (Some(key), true) => request.signed_redirect(&state, key),
        _ => request.redirect(&state),
    }
    .map_err(failed)?
    .ok_or_else(|| SamlError::BuildRequest("no IdpURL".into()))?;
    Ok(url.to_string())
}

/// A completed sign-in: the account, its new session (with the raw token) and the relay.
pub struct Completed {
    pub user: User,
    pub session: Session,
    pub relay: Relay,
}

/// `POST /login/sso/saml`: checks the IdP's response and signs its user in. Every refusal
/// is logged with its reason.
pub async fn complete(app: &App, saml_response: &str, relay_state: &str) -> AppResult<Completed> {
    let outcome = sign_in(app, saml_response, relay_state).await;
    if let Err(e) = &outcome {
        tracing::warn!(error_id = %e.id, reason = %e.detailed_error, "SAML sign-in refused");
    }
    outcome
}

async fn sign_in(app: &App, saml_response: &str, relay_state: &str) -> AppResult<Completed> {
    let config = app.config();
    if !config.saml_settings.enable {
        return Err(SamlError::LoginNotAvailable.into());
    }
    if saml_response.is_empty() {
        return Err(SamlError::EmptyResponse.into());
    }
    if saml_response.len() > MAX_RESPONSE_BYTES {
        return Err(SamlError::ResponseTooLong.into());
    }
    let relay = Relay::decode(relay_state)?;
    let assertion = verified_assertion(app, &config, saml_response).await?;
    let profile = Profile::read(&config.saml_settings, &assertion)?;
    let user = account_for(app, &config, &profile).await?;
    if user.delete_at > 0 {
        return Err(LoginError::Deactivated.into());
    }
    if user.is_bot {
        return Err(LoginError::Bot.into());
    }
    let now = now_millis();
    users_store::record_login(&app.store, &user.id, now).await?;
    app.publish(Event::UserCredentialsChanged {
        user_id: user.id.clone(),
    })
    .await;
    let mut props = BTreeMap::new();
    props.insert("isSaml".to_string(), "true".to_string());
    if relay.is_mobile() {
        props.insert("isMobile".to_string(), "true".to_string());
    }
    let session = sessions::create(app, &user, SessionKind::Sso, "", props).await?;
    tracing::info!(user_id = %user.id, "signed in through SAML");
    Ok(Completed {
        user: User {
            last_login: now,
            failed_attempts: 0,
            ..user
        },
        session,
        relay,
    })
}

/// The response's assertion once every check passed, and its id remembered.
async fn verified_assertion(app: &App, config: &Config, encoded: &str) -> AppResult<Assertion> {
    let compact: String = encoded
        .chars()
        .filter(|c| !c.is_ascii_whitespace())
        .collect();
    let xml = BASE64
        .decode(compact.as_bytes())
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .ok_or_else(|| SamlError::Refused("the SAMLResponse is not base64 XML".into()))?;
    let shape = scan(&xml);
    if config.saml_settings.encrypt && !shape.encrypted {
        return Err(SamlError::NotEncrypted.into());
    }
    let now = now_millis();
    // Only an id this server sent (and not yet expired) is offered to samael's check.
    let mut known = Vec::new();
    if let Some(id) = shape.in_response_to {
        if store::is_remembered(&app.store, SamlId::Request, &id, now).await? {
            known.push(id);
        }
    }
    let provider = provider(app, config).await?;
    let assertion = tokio::task::spawn_blocking(move || {
        let known: Vec<&str> = known.iter().map(String::as_str).collect();
        provider
            .sp
            .parse_xml_response(&xml, Some(&known))
            .map_err(refusal)
    })
    .await
    .map_err(|e| AppError::internal("ent.saml.do_login.parse.app_error", e))??;
    let expires = expiry(&assertion).max(now + REQUEST_LIFETIME_MS);
    if !store::remember(&app.store, SamlId::Assertion, &assertion.id, expires).await? {
        return Err(SamlError::Refused(format!(
            "assertion {} was used already (replayed)",
            assertion.id
        ))
        .into());
    }
    Ok(assertion)
}

/// When the assertion stops being acceptable: its latest `NotOnOrAfter`, plus the skew.
fn expiry(assertion: &Assertion) -> i64 {
    let conditions = assertion
        .conditions
        .as_ref()
        .and_then(|c| c.not_on_or_after);
    let confirmations = assertion
        .subject
        .iter()
        .flat_map(|s| s.subject_confirmations.iter().flatten())
        .filter_map(|c| c.subject_confirmation_data.as_ref()?.not_on_or_after);
    conditions
        .into_iter()
        .chain(confirmations)
        .map(|t| t.timestamp_millis())
        .max()
        .unwrap_or(0)
        + CLOCK_SKEW_SECONDS * 1000
}

/// samael's refusal as Mattermost's error, with the reason as the detail.
fn refusal(e: Refusal) -> SamlError {
    let reason = e.to_string();
    match e {
        Refusal::FailedToValidateSignature | Refusal::CryptoXmlError(_) => {
            SamlError::InvalidSignature(reason)
        }
        Refusal::AssertionExpired { .. }
        | Refusal::ResponseExpired { .. }
        | Refusal::AssertionConditionExpired { .. }
        | Refusal::AssertionConditionExpiredBefore { .. }
        | Refusal::AssertionSubjectConfirmationExpired { .. }
        | Refusal::AssertionSubjectConfirmationExpiredBefore { .. } => {
            SamlError::InvalidTime(reason)
        }
        Refusal::MissingPrivateKeySP
        | Refusal::MissingEncryptedKeyInfo
        | Refusal::MissingEncryptedValueInfo
        | Refusal::EncryptedAssertionKeyMethodUnsupported { .. }
        | Refusal::EncryptedAssertionValueMethodUnsupported { .. }
        | Refusal::EncryptedAssertionInvalid
        | Refusal::FailedToDecryptAssertion => SamlError::Decrypt(reason),
        Refusal::AssertionInResponseToInvalid { .. }
        | Refusal::ResponseInResponseToInvalid { .. } => SamlError::Refused(
            "InResponseTo names no sign-in request this server sent (or it expired)".into(),
        ),
        _ => SamlError::Refused(reason),
    }
}

/// What is read of the response before it is verified (and trusted for nothing else).
struct Shape {
    in_response_to: Option<String>,
    encrypted: bool,
}

/// The root `Response`'s `InResponseTo` and whether it holds an `EncryptedAssertion`.
fn scan(xml: &str) -> Shape {
    use quick_xml::events::Event as Xml;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut shape = Shape {
        in_response_to: None,
        encrypted: false,
    };
    let mut root = true;
    loop {
        match reader.read_event() {
            Ok(Xml::Start(e) | Xml::Empty(e)) => {
                if root {
                    root = false;
                    shape.in_response_to = e
                        .try_get_attribute("InResponseTo")
                        .ok()
                        .flatten()
                        .map(|a| a.value.into_owned());
                }
                if e.local_name().as_ref() == "EncryptedAssertion" {
                    shape.encrypted = true;
                }
            }
            Ok(Xml::Eof) | Err(_) => return shape,
            Ok(_) => {}
        }
    }
}

/// The account `profile` signs in: found by `auth_data`, or by the email as `auth_data`
/// (accounts moved to SAML before their first SAML sign-in; `reset_auth_data`), then
/// brought up to date; else created. An account of another sign-in method with the same
/// email or username is not taken over (`/users/migrate_auth/saml` moves it).
async fn account_for(app: &App, config: &Config, profile: &Profile) -> AppResult<User> {
    let by_id = users_store::get_by_auth(&app.store, AUTH_SERVICE, &profile.auth_data).await?;
    let found = match by_id {
        Some(user) => Some(user),
        None if profile.auth_data != profile.email => {
            let by_email =
                users_store::get_by_auth(&app.store, AUTH_SERVICE, &profile.email).await?;
            if let Some(user) = &by_email {
                users_store::set_auth(
                    &app.store,
                    &user.id,
                    AUTH_SERVICE,
                    &profile.auth_data,
                    now_millis(),
                )
                .await?;
                app.publish(Event::UserCredentialsChanged {
                    user_id: user.id.clone(),
                })
                .await;
            }
            by_email.map(|user| User {
                auth_data: profile.auth_data.clone(),
                ..user
            })
        }
        None => None,
    };
    let guests_on = config.guest_accounts_settings.enable;
    if profile.guest == Some(true) && !guests_on {
        return Err(AppError::new(
            401,
            "api.user.login.guest_accounts.disabled.error",
            "Guest accounts are disabled",
        ));
    }
    let guest = profile.guest.filter(|_| guests_on);
    match found {
        Some(user) => bring_up_to_date(app, user, profile, guest).await,
        None => create(app, profile, guest).await,
    }
}

async fn create(app: &App, profile: &Profile, guest: Option<bool>) -> AppResult<User> {
    if users_store::get_by_email(&app.store, &profile.email)
        .await?
        .is_some()
    {
        return Err(SamlError::EmailExists.into());
    }
    if users_store::get_by_username(&app.store, &profile.username)
        .await?
        .is_some()
    {
        return Err(SamlError::UsernameExists.into());
    }
    let mut user = User {
        auth_service: AUTH_SERVICE.to_string(),
        auth_data: profile.auth_data.clone(),
        roles: crate::ldap::roles_decided("", profile.admin, guest),
        ..User::default()
    };
    profile.apply(&mut user);
    let locale = profile.locale.clone();
    let user = crate::users::create_external(app, user)
        .await
        .map_err(|e| match e.is_internal() {
            true => e,
            false => SamlError::Attribute(e.message).into(),
        })?;
    tracing::info!(user_id = %user.id, "account created from SAML");
    match locale {
        // `create_external` gives the default locale; the IdP's goes on after.
        Some(locale) if locale != user.locale => bring_up_to_date(app, user, profile, guest).await,
        _ => Ok(user),
    }
}

/// Writes the profile and the roles the attributes decide over the account, when they
/// differ. A username or address another account holds is kept as it was, and logged.
async fn bring_up_to_date(
    app: &App,
    user: User,
    profile: &Profile,
    guest: Option<bool>,
) -> AppResult<User> {
    let mut updated = user.clone();
    if profile.apply(&mut updated) {
        updated.update_at = now_millis();
        match users_store::update_profile(&app.store, &updated).await {
            Ok(()) => {
                app.publish(Event::UserUpdated {
                    user: updated.clone(),
                })
                .await
            }
            Err(utmost_store::StoreError::Conflict(field)) => {
                tracing::warn!(user_id = %user.id, field, "SAML value taken by another account; kept");
                updated = user.clone();
            }
            Err(e) => return Err(e.into()),
        }
    }
    let roles = crate::ldap::roles_decided(&updated.roles, profile.admin, guest);
    if roles != updated.roles {
        crate::users::set_roles_unless_last_admin(app, &updated.id, &roles).await?;
        updated = crate::users::get(app, &updated.id).await?;
    }
    Ok(updated)
}
