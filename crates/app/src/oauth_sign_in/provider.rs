//! The provider's side of a sign-in: the authorization URL, then the code exchanged for
//! tokens and the user they name. With a `DiscoveryEndpoint` the flow is OpenID Connect
//! (`openidconnect`): the discovery document and its keys are fetched, and the ID token's
//! signature, issuer, audience, expiry and nonce are checked. Without, it is OAuth 2.0
//! (`oauth2`) and the user comes from `UserAPIEndpoint`. Both use PKCE S256. Every request
//! goes through `outgoing::exchange`.

use super::profiles::{self, ProviderUser};
use super::{Service, Settings};
use crate::errors::OAuthError;
use crate::outgoing::{self, FetchError};
use crate::{App, AppResult};
use openidconnect::core::{
    CoreAuthenticationFlow, CoreClient, CoreClientAuthMethod, CoreJsonWebKeySet,
    CoreProviderMetadata,
};
use openidconnect::{
    AccessToken, AsyncHttpClient, AuthType, AuthUrl, AuthorizationCode, ClientId, ClientSecret,
    CsrfToken, HttpRequest, HttpResponse, Nonce, OAuth2TokenResponse, PkceCodeChallenge,
    PkceCodeVerifier, RedirectUrl, Scope, TokenResponse, TokenUrl,
};
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

/// How long one request to the provider may take.
const TIMEOUT: Duration = Duration::from_secs(30);
/// The largest answer read from the provider (documents, keys, tokens, profiles).
const MAX_BODY: usize = 1024 * 1024;

/// The secrets a sign-in keeps between leaving and coming back.
pub(super) struct Secrets {
    pub pkce_verifier: String,
    pub nonce: String,
}

impl Secrets {
    pub fn new(settings: &Settings) -> Secrets {
        let (_, verifier) = PkceCodeChallenge::new_random_sha256();
        let nonce = match settings.discovery_endpoint.is_empty() {
            true => String::new(),
            false => Nonce::new_random().secret().clone(),
        };
        Secrets {
            pkce_verifier: verifier.secret().clone(),
            nonce,
        }
    }

    fn challenge(&self) -> PkceCodeChallenge {
        PkceCodeChallenge::from_code_verifier_sha256(&PkceCodeVerifier::new(
            self.pkce_verifier.clone(),
        ))
    }
}

/// `outgoing::exchange` as the HTTP client of `openidconnect` and `oauth2`.
struct ProviderHttp<'a> {
    app: &'a App,
}

type Answer<'c> = Pin<Box<dyn Future<Output = Result<HttpResponse, FetchError>> + Send + 'c>>;

impl<'c> AsyncHttpClient<'c> for ProviderHttp<'_> {
    type Error = FetchError;
    type Future = Answer<'c>;

    fn call(&'c self, request: HttpRequest) -> Self::Future {
        Box::pin(outgoing::exchange(self.app, request, TIMEOUT, MAX_BODY))
    }
}

/// The URL the browser is sent to.
pub(super) async fn authorization_url(
    app: &App,
    settings: &Settings,
    redirect_uri: &str,
    state: &str,
    secrets: &Secrets,
) -> AppResult<String> {
    let redirect = redirect_url(redirect_uri)?;
    let scopes = settings.scopes.iter().map(|s| Scope::new(s.clone()));
    let url = if settings.discovery_endpoint.is_empty() {
        let client = oauth2::basic::BasicClient::new(ClientId::new(settings.id.clone()))
            .set_auth_uri(auth_url(&settings.auth_endpoint)?)
            .set_redirect_uri(redirect);
        let (url, _) = client
            .authorize_url(|| CsrfToken::new(state.to_owned()))
            .add_scopes(scopes)
            .set_pkce_challenge(secrets.challenge())
            .url();
        url
    } else {
        let metadata = discover(app, settings).await?;
        let client = CoreClient::from_provider_metadata(
            metadata,
            ClientId::new(settings.id.clone()),
            Some(ClientSecret::new(settings.secret.clone())),
        )
        .set_redirect_uri(redirect);
        // `openidconnect` asks for `openid` itself.
        let scopes = scopes.filter(|s| s.as_str() != "openid");
        let (state, nonce) = (state.to_owned(), secrets.nonce.clone());
        let (url, _, _) = client
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                move || CsrfToken::new(state),
                move || Nonce::new(nonce),
            )
            .add_scopes(scopes)
            .set_pkce_challenge(secrets.challenge())
            .url();
        url
    };
    Ok(url.to_string())
}

/// Exchanges the code and reads the user it signs in.
pub(super) async fn user(
    app: &App,
    service: Service,
    settings: &Settings,
    redirect_uri: &str,
    code: &str,
    secrets: &Secrets,
) -> AppResult<ProviderUser> {
    if settings.discovery_endpoint.is_empty() {
        oauth2_user(app, service, settings, redirect_uri, code, secrets).await
    } else {
        openid_user(app, settings, redirect_uri, code, secrets).await
    }
}

async fn openid_user(
    app: &App,
    settings: &Settings,
    redirect_uri: &str,
    code: &str,
    secrets: &Secrets,
) -> AppResult<ProviderUser> {
    let metadata = discover(app, settings).await?;
    // Client authentication as the provider offers it; HTTP Basic unless it does not.
    let auth_type = match metadata.token_endpoint_auth_methods_supported() {
        Some(methods)
            if !methods.contains(&CoreClientAuthMethod::ClientSecretBasic)
                && methods.contains(&CoreClientAuthMethod::ClientSecretPost) =>
        {
            AuthType::RequestBody
        }
        _ => AuthType::BasicAuth,
    };
    let client = CoreClient::from_provider_metadata(
        metadata,
        ClientId::new(settings.id.clone()),
        Some(ClientSecret::new(settings.secret.clone())),
    )
    .set_redirect_uri(redirect_url(redirect_uri)?)
    .set_auth_type(auth_type);
    let http = ProviderHttp { app };
    let tokens = client
        .exchange_code(AuthorizationCode::new(code.to_owned()))
        .map_err(|e| OAuthError::TokenFailed(e.to_string()))?
        .set_pkce_verifier(PkceCodeVerifier::new(secrets.pkce_verifier.clone()))
        .request_async(&http)
        .await
        .map_err(|e| OAuthError::TokenFailed(describe(&e)))?;
    let id_token = tokens
        .id_token()
        .ok_or_else(|| OAuthError::BadIdToken("the token response has no ID token".into()))?;
    let claims = id_token
        .claims(
            &client.id_token_verifier(),
            &Nonce::new(secrets.nonce.clone()),
        )
        .map_err(|e| OAuthError::BadIdToken(e.to_string()))?;
    Ok(profiles::from_id_token(claims))
}

async fn oauth2_user(
    app: &App,
    service: Service,
    settings: &Settings,
    redirect_uri: &str,
    code: &str,
    secrets: &Secrets,
) -> AppResult<ProviderUser> {
    let client = oauth2::basic::BasicClient::new(ClientId::new(settings.id.clone()))
        .set_client_secret(ClientSecret::new(settings.secret.clone()))
        .set_auth_uri(auth_url(&settings.auth_endpoint)?)
        .set_token_uri(
            TokenUrl::new(settings.token_endpoint.clone())
                .map_err(|e| OAuthError::TokenFailed(format!("TokenEndpoint: {e}")))?,
        )
        .set_redirect_uri(redirect_url(redirect_uri)?)
        // Mattermost sends the client's credentials in the form.
        .set_auth_type(AuthType::RequestBody);
    let http = ProviderHttp { app };
    let tokens = client
        .exchange_code(AuthorizationCode::new(code.to_owned()))
        .set_pkce_verifier(PkceCodeVerifier::new(secrets.pkce_verifier.clone()))
        .request_async(&http)
        .await
        .map_err(|e| OAuthError::TokenFailed(describe(&e)))?;
    let body = user_api(app, &settings.user_api_endpoint, tokens.access_token()).await?;
    profiles::from_user_api(service, &body)
}

/// `UserAPIEndpoint` with the access token, as JSON.
async fn user_api(app: &App, endpoint: &str, token: &AccessToken) -> AppResult<serde_json::Value> {
    let request = http::Request::get(endpoint)
        .header(http::header::ACCEPT, "application/json")
        .header(
            http::header::AUTHORIZATION,
            format!("Bearer {}", token.secret()),
        )
        .body(Vec::new())
        .map_err(|e| OAuthError::UserApi(e.to_string()))?;
    let answer = outgoing::exchange(app, request, TIMEOUT, MAX_BODY)
        .await
        .map_err(|e| OAuthError::UserApi(e.to_string()))?;
    if !answer.status().is_success() {
        return Err(
            OAuthError::UserApi(format!("the user API answered {}", answer.status())).into(),
        );
    }
    serde_json::from_slice(answer.body())
        .map_err(|e| OAuthError::UserApi(format!("the user API's answer: {e}")).into())
}

/// The discovery document at `DiscoveryEndpoint` and the keys it names.
async fn discover(app: &App, settings: &Settings) -> AppResult<CoreProviderMetadata> {
    let failed =
        |what: &str, e: &dyn std::fmt::Display| OAuthError::TokenFailed(format!("{what}: {e}"));
    let request = http::Request::get(&settings.discovery_endpoint)
        .header(http::header::ACCEPT, "application/json")
        .body(Vec::new())
        .map_err(|e| failed("DiscoveryEndpoint", &e))?;
    let answer = outgoing::exchange(app, request, TIMEOUT, MAX_BODY)
        .await
        .map_err(|e| failed("discovery", &e))?;
    if !answer.status().is_success() {
        return Err(failed("discovery", &answer.status()).into());
    }
    let metadata: CoreProviderMetadata =
        serde_json::from_slice(answer.body()).map_err(|e| failed("discovery document", &e))?;
    let http = ProviderHttp { app };
    let keys = CoreJsonWebKeySet::fetch_async(metadata.jwks_uri(), &http)
        .await
        .map_err(|e| failed("the provider's keys", &describe(&e)))?;
    Ok(metadata.set_jwks(keys))
}

fn redirect_url(uri: &str) -> AppResult<RedirectUrl> {
    RedirectUrl::new(uri.to_owned())
        .map_err(|e| OAuthError::TokenFailed(format!("redirect URI: {e}")).into())
}

fn auth_url(endpoint: &str) -> AppResult<AuthUrl> {
    AuthUrl::new(endpoint.to_owned())
        .map_err(|e| OAuthError::TokenFailed(format!("AuthEndpoint: {e}")).into())
}

/// An error with its causes, for the log.
fn describe(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        text.push_str(": ");
        text.push_str(&c.to_string());
        cause = c.source();
    }
    text
}
