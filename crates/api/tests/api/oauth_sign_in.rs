//! Sign-in through OpenID Connect against a real provider (npm oidc-provider, run by
//! `testkit::oidc`), scripted over HTTP as a browser would go: the server's login route, the
//! provider's login and consent pages, the redirect URI. The first sign-in creates the
//! account, the next reuses it; a password account is linked only when the provider verified
//! the address; a used state, another browser's state, a wrong nonce, a deactivated account
//! and a disabled service are refused with Mattermost's ids; the mobile flow returns to the
//! app's scheme with the session's token. Plain OAuth 2.0 (no discovery) reads the user API.

use crate::support::configure;
use reqwest::redirect::Policy;
use serde_json::Value;
use utmost_testkit::oidc::{OidcProvider, CLIENT_ID, CLIENT_SECRET};
use utmost_testkit::{dual_db_test, TestServer};

/// A provider that knows this server's redirect URI, and OpenID Connect sign-in pointed at
/// it (the provider is on the loopback, which outgoing calls must be allowed to reach).
async fn provider(server: &TestServer) -> OidcProvider {
    let provider = OidcProvider::start(&[format!("{}/signup/openid/complete", server.url)]).await;
    configure(server, |c| {
        let s = &mut c.open_id_settings;
        s.enable = true;
        s.id = CLIENT_ID.into();
        s.secret = CLIENT_SECRET.into();
        s.discovery_endpoint = provider.discovery_endpoint();
        c.service_settings.allowed_untrusted_internal_connections = "127.0.0.1".into();
    });
    provider
}

/// A browser: its own cookies, redirects followed by the test.
fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(Policy::none())
        .build()
        .unwrap()
}

fn location(r: &reqwest::Response) -> String {
    r.headers()["location"].to_str().unwrap().to_owned()
}

/// Starts a sign-in at `path` and returns the provider's authorization URL.
async fn begin(server: &TestServer, browser: &reqwest::Client, path: &str) -> String {
    let r = browser
        .get(format!("{}{path}", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 302, "{path}");
    location(&r)
}

/// Goes through the provider as `login` and returns the redirect URI it sends back to.
async fn through_provider(
    server: &TestServer,
    provider: &OidcProvider,
    browser: &reqwest::Client,
    login: &str,
) -> String {
    let auth_url = begin(
        server,
        browser,
        "/oauth/openid/login?redirect_to=/basic/channels/town-square",
    )
    .await;
    assert!(auth_url.starts_with(&provider.url), "{auth_url}");
    for part in [
        "code_challenge_method=S256",
        "nonce=",
        "state=",
        "scope=openid+profile+email",
    ] {
        assert!(auth_url.contains(part), "{part} missing in {auth_url}");
    }
    let back = provider.sign_in(browser, &auth_url, login).await;
    assert!(
        back.starts_with(&format!("{}/signup/openid/complete?", server.url)),
        "{back}"
    );
    back
}

async fn get(browser: &reqwest::Client, url: &str) -> reqwest::Response {
    browser.get(url).send().await.unwrap()
}

/// `/users/me` with the browser's cookies.
async fn me(server: &TestServer, browser: &reqwest::Client) -> Value {
    let r = get(browser, &format!("{}/api/v4/users/me", server.url)).await;
    assert_eq!(r.status(), 200);
    r.json().await.unwrap()
}

/// Signs in as `login` through the provider; the callback's answer.
async fn sign_in(
    server: &TestServer,
    provider: &OidcProvider,
    browser: &reqwest::Client,
    login: &str,
) -> reqwest::Response {
    let back = through_provider(server, provider, browser, login).await;
    get(browser, &back).await
}

/// A refusal page: the status, and the login page it moves on to names the error.
async fn refused(r: reqwest::Response, status: u16, id: &str) -> String {
    assert_eq!(r.status(), status);
    let page = r.text().await.unwrap();
    assert!(page.contains(&format!("/login?sso_error={id}")), "{page}");
    page
}

dual_db_test!(
    async fn first_sign_in_creates_the_account_and_the_next_reuses_it(server) {
        let provider = provider(&server).await;
        let alice = browser();
        let r = sign_in(&server, &provider, &alice, "alice").await;
        assert_eq!(r.status(), 307);
        assert_eq!(location(&r), format!("{}/basic/channels/town-square", server.url));
        let cookies: Vec<_> = r.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_owned()).collect();
        for name in ["MMAUTHTOKEN=", "MMUSERID=", "MMCSRF=", "MMOAUTH=;"] {
            assert!(cookies.iter().any(|c| c.starts_with(name)), "{name} in {cookies:?}");
        }
        let user = me(&server, &alice).await;
        assert_eq!(user["auth_service"], "openid");
        assert_eq!(user["username"], "alice");
        assert_eq!(user["email"], "alice@example.com");
        assert_eq!(user["first_name"], "Alice");
        assert_eq!(user["last_name"], "Anders");
        assert_eq!(user["nickname"], "ally");
        assert_eq!(user["email_verified"], true);

        // An SSO session: SessionLengthSSOInHours (720).
        let sessions: Value = get(&alice, &format!("{}/api/v4/users/me/sessions", server.url))
            .await
            .json()
            .await
            .unwrap();
        let s = &sessions[0];
        let hours = (s["expires_at"].as_i64().unwrap() - s["create_at"].as_i64().unwrap()) / 3_600_000;
        assert_eq!(hours, 720, "{s}");
        assert_eq!(s["props"]["isOAuthUser"], "true");

        let again = browser();
        assert_eq!(sign_in(&server, &provider, &again, "alice").await.status(), 307);
        assert_eq!(me(&server, &again).await["id"], user["id"]);
        let stored = utmost_store::users::get_by_auth(&server.app.store, "openid", "alice")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(stored.id, user["id"].as_str().unwrap());
    }
);

dual_db_test!(
    async fn a_password_account_is_linked_only_by_a_verified_address(server) {
        let provider = provider(&server).await;
        let (_, admin) = server.create_user(None, "sysadmin").await;
        let (alice_account, _) = server.create_user(Some(&admin), "alice").await;
        let (bob_account, _) = server.create_user(Some(&admin), "bob").await;

        let alice = browser();
        assert_eq!(sign_in(&server, &provider, &alice, "alice").await.status(), 307);
        let linked = me(&server, &alice).await;
        assert_eq!(linked["id"], alice_account["id"]);
        assert_eq!(linked["auth_service"], "openid");
        // Its password no longer signs in.
        let r = server.client().post("/users/login", serde_json::json!({"login_id": "alice", "password": crate::support::PASSWORD})).await;
        assert_ne!(r.status, 200);

        // bob's address is not verified by the provider: no link, no new account.
        let bob = browser();
        let r = sign_in(&server, &provider, &bob, "bob").await;
        refused(r, 400, "api.user.create_oauth_user.already_attached.app_error").await;
        let kept = utmost_store::users::get(&server.app.store, bob_account["id"].as_str().unwrap())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(kept.auth_service, "");
        assert!(utmost_store::users::get_by_auth(&server.app.store, "openid", "bob").await.unwrap().is_none());
    }
);

dual_db_test!(
    async fn a_state_works_once_and_only_in_the_browser_that_began(server) {
        let provider = provider(&server).await;
        let alice = browser();
        let back = through_provider(&server, &provider, &alice, "alice").await;
        assert_eq!(get(&alice, &back).await.status(), 307);
        // The same redirect again: the state is used.
        refused(get(&alice, &back).await, 400, "api.user.authorize_oauth_user.invalid_state.app_error").await;

        // A state carried to another browser (which has a state cookie of its own).
        let victim = browser();
        let back = through_provider(&server, &provider, &alice, "alice").await;
        begin(&server, &victim, "/oauth/openid/login").await;
        refused(get(&victim, &back).await, 400, "api.user.authorize_oauth_user.invalid_state.app_error").await;
        // ... and without any state cookie; the state was used up by the refusal anyway.
        let bare = browser();
        refused(get(&bare, &back).await, 400, "api.user.authorize_oauth_user.invalid_state.app_error").await;
        refused(get(&alice, &back).await, 400, "api.user.authorize_oauth_user.invalid_state.app_error").await;

        // A made-up state.
        let forged = format!("{}/signup/openid/complete?code=x&state=forged", server.url);
        refused(get(&alice, &forged).await, 400, "api.user.authorize_oauth_user.invalid_state.app_error").await;
    }
);

dual_db_test!(
    async fn an_id_token_with_another_nonce_is_refused(server) {
        let provider = provider(&server).await;
        let alice = browser();
        let back = through_provider(&server, &provider, &alice, "alice").await;
        // The provider signed the nonce it was sent; make the server expect another one.
        let state = reqwest::Url::parse(&back)
            .unwrap()
            .query_pairs()
            .find(|(k, _)| k == "state")
            .unwrap()
            .1
            .into_owned();
        let stored = utmost_app::sessions::hash_token(&state);
        let store = &server.app.store;
        let mut row = utmost_store::tokens::get(store, &stored).await.unwrap().unwrap();
        let mut extra: Value = serde_json::from_str(&row.extra).unwrap();
        extra["nonce"] = "another-nonce".into();
        row.extra = extra.to_string();
        assert!(utmost_store::tokens::take(store, &stored).await.unwrap());
        utmost_store::tokens::insert(store, &row).await.unwrap();

        let page = refused(get(&alice, &back).await, 401, "api.user.authorize_oauth_user.bad_token.app_error").await;
        assert!(!page.contains("MMAUTHTOKEN"));
        assert!(utmost_store::users::get_by_auth(store, "openid", "alice").await.unwrap().is_none());
    }
);

dual_db_test!(
    async fn the_mobile_flow_returns_to_the_app_with_the_token(server) {
        let provider = provider(&server).await;
        let phone = browser();
        let auth_url = begin(&server, &phone, "/oauth/openid/mobile_login?redirect_to=mmauth%3A%2F%2Fcallback").await;
        let back = provider.sign_in(&phone, &auth_url, "alice").await;
        let r = get(&phone, &back).await;
        assert_eq!(r.status(), 200);
        let page = r.text().await.unwrap();
        let start = page.find("url=mmauth://callback?").expect(&page) + "url=".len();
        let link = page[start..page[start..].find('"').unwrap() + start].replace("&amp;", "&");
        let pairs: std::collections::HashMap<String, String> = reqwest::Url::parse(&link)
            .unwrap()
            .query_pairs()
            .into_owned()
            .collect();
        let token = &pairs["MMAUTHTOKEN"];
        assert_eq!(pairs["MMCSRF"].len(), 26);
        let user = server.client().with_token(token).get("/users/me").await.expect(200).body;
        assert_eq!(user["auth_service"], "openid");

        // Only the configured app schemes.
        let r = get(&phone, &format!("{}/oauth/openid/mobile_login?redirect_to=https%3A%2F%2Fevil.example%2F", server.url)).await;
        assert_eq!(r.status(), 400);
        assert!(!r.text().await.unwrap().contains("evil.example"));
    }
);

dual_db_test!(
    async fn refusals_outsiders_and_a_disabled_service(server) {
        // Nothing is on: every route answers Mattermost's 501.
        let b = browser();
        for path in [
            "/oauth/openid/login",
            "/oauth/gitlab/login",
            "/oauth/unknown/login",
            "/signup/openid/complete?code=x&state=y",
            "/login/office365/complete?code=x&state=y",
        ] {
            let r = get(&b, &format!("{}{path}", server.url)).await;
            refused(r, 501, "api.user.get_authorization_code.unsupported.app_error").await;
        }
        // A mobile app gets the message and a way back, not the web client's login page.
        let r = get(&b, &format!("{}/oauth/google/mobile_login?redirect_to=mmauth%3A%2F%2Fx", server.url)).await;
        assert_eq!(r.status(), 501);
        let page = r.text().await.unwrap();
        assert!(page.contains("Unsupported OAuth service provider") && page.contains("href=\"mmauth://x\""), "{page}");

        let provider = provider(&server).await;
        // A landing page off the site.
        let r = get(&b, &format!("{}/oauth/openid/login?redirect_to=https%3A%2F%2Fevil.example%2F", server.url)).await;
        refused(r, 400, "api.invalid_redirect_url").await;
        // The provider's refusal and a callback without a code.
        let r = get(&b, &format!("{}/signup/openid/complete?error=access_denied&state=x", server.url)).await;
        refused(r, 403, "oauth_access_denied").await;
        let r = get(&b, &format!("{}/signup/openid/complete?state=x", server.url)).await;
        refused(r, 400, "oauth_missing_code").await;

        // No new accounts while user creation is off.
        configure(&server, |c| c.team_settings.enable_user_creation = false);
        let r = sign_in(&server, &provider, &browser(), "alice").await;
        refused(r, 501, "api.user.create_user.disabled.app_error").await;
        configure(&server, |c| {
            c.team_settings.enable_user_creation = true;
            c.team_settings.restrict_creation_to_domains = "corp.example".into();
        });
        let r = sign_in(&server, &provider, &browser(), "alice").await;
        refused(r, 400, "api.user.create_user.accepted_domain.app_error").await;
        configure(&server, |c| c.team_settings.restrict_creation_to_domains = String::new());

        // A deactivated account does not sign in.
        let (_, admin) = server.create_user(None, "sysadmin").await;
        let alice = browser();
        assert_eq!(sign_in(&server, &provider, &alice, "alice").await.status(), 307);
        let id = me(&server, &alice).await["id"].as_str().unwrap().to_owned();
        admin.delete(&format!("/users/{id}")).await.expect(200);
        let r = sign_in(&server, &provider, &browser(), "alice").await;
        refused(r, 401, "api.user.login.inactive.app_error").await;

        // The provider on the loopback is refused while outgoing calls may not reach it.
        configure(&server, |c| c.service_settings.allowed_untrusted_internal_connections = String::new());
        let r = get(&b, &format!("{}/oauth/openid/login", server.url)).await;
        let page = refused(r, 500, "api.user.authorize_oauth_user.token_failed.app_error").await;
        assert!(!page.contains(&provider.url), "the cause stays out of the page");
    }
);

dual_db_test!(
    async fn plain_oauth2_reads_the_user_api(server) {
        // No discovery document: the configured endpoints, the client's secret in the form,
        // and the user from UserAPIEndpoint (the provider's userinfo) with the access token.
        let provider = provider(&server).await;
        configure(&server, |c| {
            let s = &mut c.open_id_settings;
            s.id = format!("{CLIENT_ID}-post");
            s.discovery_endpoint = String::new();
            s.auth_endpoint = format!("{}/auth", provider.url);
            s.token_endpoint = format!("{}/token", provider.url);
            s.user_api_endpoint = format!("{}/me", provider.url);
        });
        let alice = browser();
        let auth_url = begin(&server, &alice, "/oauth/openid/login").await;
        assert!(auth_url.contains("code_challenge_method=S256") && !auth_url.contains("nonce="));
        let back = provider.sign_in(&alice, &auth_url, "alice").await;
        let r = get(&alice, &back).await;
        assert_eq!(r.status(), 307);
        assert_eq!(location(&r), format!("{}/", server.url));
        let user = me(&server, &alice).await;
        assert_eq!(user["auth_service"], "openid");
        assert_eq!(user["username"], "alice");
        assert_eq!(user["last_name"], "Anders");
    }
);

dual_db_test!(
    async fn a_sign_up_through_a_team_invite_link_joins_the_team(server) {
        let provider = provider(&server).await;
        let (_, admin) = server.create_user(None, "sysadmin").await;
        let team = admin
            .post("/teams", serde_json::json!({"name": "sso-team", "display_name": "SSO", "type": "O"}))
            .await
            .expect(201)
            .body;
        let invite_id = team["invite_id"].as_str().unwrap();
        // An unknown link is refused before the provider is visited.
        let b = browser();
        let r = get(&b, &format!("{}/oauth/openid/signup?id=nope", server.url)).await;
        assert_ne!(r.status(), 302);

        let alice = browser();
        let auth_url = begin(&server, &alice, &format!("/oauth/openid/signup?id={invite_id}")).await;
        let back = provider.sign_in(&alice, &auth_url, "alice").await;
        assert_eq!(get(&alice, &back).await.status(), 307);
        let teams: Value = get(&alice, &format!("{}/api/v4/users/me/teams", server.url))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(teams[0]["id"], team["id"], "{teams}");
    }
);
