//! The OAuth 2.0 provider: `/oauth/apps` with Mattermost's checks and an outsider test for
//! every route, the authorization code flow end to end with a third-party app on loopback
//! (consent, code, token, the token on the API, refresh), PKCE, one-shot and expiring
//! codes, redirect URIs, deauthorisation and deletion ending the app's sessions, the off
//! switch, and that nothing stored works as a credential.

use crate::bus_commit::{peer_count, peer_execute};
use crate::oauth_provider_support::{
    allow, code_for, exchange, me, param, refresh, register, root_post, sign_in, token_request,
    ThirdParty,
};
use crate::support::{configure, id};
use crate::webhooks_support::grant;
use serde_json::json;
use utmost_testkit::dual_db_test;

/// RFC 7636, appendix B.
const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

dual_db_test!(
    async fn apps_are_managed_with_mattermosts_checks(server) {
        let basic = server.init_basic().await;
        let created = register(&basic.admin, "Planner", &["https://app.example.com/cb"]).await;
        let app_id = id(&created);
        assert_eq!(created["creator_id"], basic.admin_user["id"]);
        assert_eq!(created["client_secret"].as_str().unwrap().len(), 26);
        assert_eq!(created["callback_urls"], json!(["https://app.example.com/cb"]));

        // The secret is shown once; reads never carry it.
        let read = basic.admin.get(&format!("/oauth/apps/{app_id}")).await.expect(200);
        assert_eq!(read.body["client_secret"], "");
        assert_eq!(read.body["name"], "Planner");
        let listed = basic.admin.get("/oauth/apps").await.expect(200);
        assert_eq!(listed.body.as_array().unwrap().len(), 1);
        let info = basic.client.get(&format!("/oauth/apps/{app_id}/info")).await.expect(200);
        assert_eq!(info.body["name"], "Planner");
        assert_eq!(info.body["client_secret"], "");

        // Update: the body names the app of the URL; the creator and secret stay.
        let mut changed = read.body.clone();
        changed["name"] = json!("Planner 2");
        changed["creator_id"] = basic.user["id"].clone();
        let updated = basic
            .admin
            .put(&format!("/oauth/apps/{app_id}"), changed.clone())
            .await
            .expect(200);
        assert_eq!(updated.body["name"], "Planner 2");
        assert_eq!(updated.body["creator_id"], basic.admin_user["id"]);
        changed["id"] = json!(utmost_model::new_id());
        basic
            .admin
            .put(&format!("/oauth/apps/{app_id}"), changed)
            .await
            .expect_error(400, "api.context.invalid_body_param.app_error");

        // Regenerating answers a new secret.
        let regenerated = basic
            .admin
            .post(&format!("/oauth/apps/{app_id}/regen_secret"), json!({}))
            .await
            .expect(200);
        let secret = regenerated.body["client_secret"].as_str().unwrap();
        assert_eq!(secret.len(), 26);
        assert_ne!(secret, created["client_secret"].as_str().unwrap());

        // Mattermost's IsValid, with its ids.
        for (body, error) in [
            (json!({"homepage": "https://a.example", "callback_urls": ["https://a.example"]}), "name"),
            (json!({"name": "x", "homepage": "https://a.example", "callback_urls": []}), "callback"),
            (json!({"name": "x", "homepage": "https://a.example", "callback_urls": ["ftp://a"]}), "callback"),
            (
                json!({"name": "x", "homepage": "https://a.example",
                       "callback_urls": vec![format!("https://a.example/{}", "p".repeat(200)); 6]}),
                "callback",
            ),
            (json!({"name": "x", "callback_urls": ["https://a.example"]}), "homepage"),
            (
                json!({"name": "x", "homepage": "https://a.example", "callback_urls": ["https://a.example"],
                       "icon_url": "nope"}),
                "icon_url",
            ),
        ] {
            basic
                .admin
                .post("/oauth/apps", body)
                .await
                .expect_error(400, &format!("model.oauth.is_valid.{error}.app_error"));
        }

        // A user without manage_oauth: nothing but the public info.
        basic.client.post("/oauth/apps", json!({"name": "x"})).await
            .expect_error(403, "api.context.permissions.app_error");
        basic.client.get("/oauth/apps").await.expect_error(403, "api.command.admin_only.app_error");
        for path in [format!("/oauth/apps/{app_id}")] {
            basic.client.get(&path).await.expect_error(403, "api.context.permissions.app_error");
            basic.client.put(&path, read.body.clone()).await
                .expect_error(403, "api.context.permissions.app_error");
            basic.client.delete(&path).await.expect_error(403, "api.context.permissions.app_error");
        }
        basic.client.post(&format!("/oauth/apps/{app_id}/regen_secret"), json!({})).await
            .expect_error(403, "api.context.permissions.app_error");

        // With manage_oauth, a user manages their own apps only, and cannot trust one.
        grant(&basic.admin, "system_user", "manage_oauth").await;
        let mut own = basic
            .client
            .post(
                "/oauth/apps",
                json!({"name": "Mine", "homepage": "https://m.example", "callback_urls": ["https://m.example/cb"],
                       "is_trusted": true}),
            )
            .await
            .expect(201)
            .body;
        assert_eq!(own["is_trusted"], false);
        let mine = basic.client.get("/oauth/apps").await.expect(200);
        assert_eq!(mine.body.as_array().unwrap().len(), 1);
        assert_eq!(mine.body[0]["id"], own["id"]);
        let theirs = format!("/oauth/apps/{app_id}");
        basic.client.get(&theirs).await.expect_error(403, "api.context.permissions.app_error");
        basic.client.put(&theirs, read.body.clone()).await
            .expect_error(403, "api.context.permissions.app_error");
        basic.client.delete(&theirs).await.expect_error(403, "api.context.permissions.app_error");
        basic.client.post(&format!("{theirs}/regen_secret"), json!({})).await
            .expect_error(403, "api.context.permissions.app_error");
        own["is_trusted"] = json!(true);
        let kept = basic.client.put(&format!("/oauth/apps/{}", id(&own)), own.clone()).await.expect(200);
        assert_eq!(kept.body["is_trusted"], false);
        // The admin sees every app, and trusts.
        assert_eq!(basic.admin.get("/oauth/apps").await.expect(200).body.as_array().unwrap().len(), 2);
        let trusted = basic.admin.put(&format!("/oauth/apps/{}", id(&own)), own.clone()).await.expect(200);
        assert_eq!(trusted.body["is_trusted"], true);

        basic.admin.delete(&theirs).await.expect(200);
        basic.admin.get(&theirs).await.expect_error(404, "app.oauth.get_app.find.app_error");
        basic.admin.get("/oauth/apps/nope").await.expect_error(400, "api.context.invalid_url_param.app_error");
    }
);

dual_db_test!(
    async fn a_third_party_app_signs_a_user_in_with_the_code_flow(server) {
        let basic = server.init_basic().await;
        let third = ThirdParty::start().await;
        let app = register(&basic.admin, "Planner", &[&third.callback]).await;
        let authorize = format!(
            "{}/oauth/authorize?response_type=code&client_id={}&redirect_uri={}&state=xyz",
            server.url,
            id(&app),
            third.callback
        );
        let no_redirects = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();

        // Nobody signed in: the login page, which comes back here.
        let login = no_redirects.get(&authorize).send().await.unwrap();
        assert_eq!(login.status(), 302);
        let location = login.headers()["location"].to_str().unwrap().to_string();
        assert!(location.contains("/login?redirect_to="), "{location}");
        assert!(param(&location, "redirect_to").starts_with("/oauth/authorize?"), "{location}");

        // Signed in, not authorised yet: the web client's consent page.
        let token = basic.client.token.clone().unwrap();
        let consent = no_redirects.get(&authorize).bearer_auth(&token).send().await.unwrap();
        assert_eq!(consent.status(), 200);
        assert!(consent.headers()["content-type"].to_str().unwrap().starts_with("text/html"));

        // "Allow": back to the app with a code and the state.
        let code = code_for(&basic.client, &app, &third.callback, json!({})).await;
        assert_eq!(code.len(), 52);
        let tokens = exchange(&server, &app, &code, &third.callback).await.expect(200);
        assert_eq!(tokens.header("cache-control"), "no-store");
        assert_eq!(tokens.body["token_type"], "bearer");
        assert_eq!(tokens.body["scope"], "user");
        assert!(tokens.body["expires_in"].as_i64().unwrap() > 0);
        let access = tokens.body["access_token"].as_str().unwrap();
        let refresh_token = tokens.body["refresh_token"].as_str().unwrap();
        assert_eq!(me(&server, access).await.as_deref(), Some(basic.user_id()));

        // A code works once.
        exchange(&server, &app, &code, &third.callback)
            .await
            .expect_error(400, "api.oauth.get_access_token.expired_code.app_error");

        // The app is now authorised: the browser goes straight back with a new code, which
        // replaces the earlier token.
        let authorised = reqwest::Client::new().get(&authorize).bearer_auth(&token).send().await.unwrap();
        assert_eq!(authorised.text().await.unwrap(), "signed in");
        assert_eq!(third.last("state"), "xyz");
        let again = exchange(&server, &app, &third.last("code"), &third.callback).await.expect(200);
        let second = again.body["access_token"].as_str().unwrap();
        assert_eq!(me(&server, second).await.as_deref(), Some(basic.user_id()));
        assert_eq!(me(&server, access).await, None);

        let authorized = basic.client.get("/users/me/oauth/apps/authorized").await.expect(200);
        assert_eq!(authorized.body[0]["id"], app["id"]);
        assert_eq!(authorized.body[0]["client_secret"], "");
        basic.client.get(&format!("/users/{}/oauth/apps/authorized", basic.admin_user["id"].as_str().unwrap()))
            .await
            .expect_error(403, "api.context.permissions.app_error");

        // Refresh rotates: the new token works, the old token and refresh token do not.
        refresh(&server, &app, refresh_token)
            .await
            .expect_error(404, "api.oauth.get_access_token.refresh_token.app_error");
        let refreshed = refresh(&server, &app, again.body["refresh_token"].as_str().unwrap())
            .await
            .expect(200);
        let third_token = refreshed.body["access_token"].as_str().unwrap();
        assert_eq!(me(&server, third_token).await.as_deref(), Some(basic.user_id()));
        assert_eq!(me(&server, second).await, None);
        refresh(&server, &app, again.body["refresh_token"].as_str().unwrap())
            .await
            .expect_error(404, "api.oauth.get_access_token.refresh_token.app_error");

        // An app's token cannot authorise apps.
        allow(&server.client().with_token(third_token), &app, &third.callback, json!({}))
            .await
            .expect_error(403, "api.context.permissions.app_error");
    }
);

dual_db_test!(
    async fn the_token_endpoint_checks_the_client_and_the_form(server) {
        let basic = server.init_basic().await;
        let third = ThirdParty::start().await;
        let app = register(&basic.admin, "Planner", &[&third.callback]).await;
        let app_id = id(&app);
        let code = code_for(&basic.client, &app, &third.callback, json!({})).await;
        let form = |grant: &'static str, client: String, secret: &'static str| {
            vec![("grant_type", grant.to_string()), ("client_id", client), ("client_secret", secret.to_string())]
        };
        for (fields, status, error) in [
            (form("password", app_id.clone(), "x"), 400, "bad_grant"),
            (form("authorization_code", app_id.clone(), "x"), 400, "missing_code"),
            (form("refresh_token", app_id.clone(), "x"), 400, "missing_refresh_token"),
        ] {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            token_request(&server, &fields)
                .await
                .expect_error(status, &format!("api.oauth.get_access_token.{error}.app_error"));
        }
        let with_code = |client: &str, secret: &str| {
            vec![
                ("grant_type", "authorization_code".to_string()),
                ("client_id", client.to_string()),
                ("client_secret", secret.to_string()),
                ("code", code.clone()),
                ("redirect_uri", third.callback.clone()),
            ]
        };
        for (fields, status, error) in [
            (with_code("nope", "x"), 400, "bad_client_id"),
            (with_code(&utmost_model::new_id(), "x"), 404, "credentials"),
            (with_code(&app_id, "wrong"), 403, "credentials"),
            (with_code(&app_id, ""), 403, "credentials"),
        ] {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            token_request(&server, &fields)
                .await
                .expect_error(status, &format!("api.oauth.get_access_token.{error}.app_error"));
        }
        // The refusals above did not spend the code.
        exchange(&server, &app, &code, &third.callback).await.expect(200);
    }
);

dual_db_test!(
    async fn pkce_binds_a_code_to_its_verifier(server) {
        let basic = server.init_basic().await;
        let third = ThirdParty::start().await;
        let app = register(&basic.admin, "Planner", &[&third.callback]).await;
        let pkce = json!({"code_challenge": CHALLENGE, "code_challenge_method": "S256"});
        let with_verifier = |code: &str, verifier: &str| {
            vec![
                ("grant_type", "authorization_code".to_string()),
                ("client_id", id(&app)),
                ("client_secret", app["client_secret"].as_str().unwrap().to_string()),
                ("code", code.to_string()),
                ("redirect_uri", third.callback.clone()),
                ("code_verifier", verifier.to_string()),
            ]
        };
        let send = |fields: Vec<(&'static str, String)>| {
            let server = &server;
            async move {
                let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
                token_request(server, &fields).await
            }
        };

        let code = code_for(&basic.client, &app, &third.callback, pkce.clone()).await;
        let wrong = format!("{}K", &VERIFIER[..VERIFIER.len() - 1]);
        send(with_verifier(&code, &wrong))
            .await
            .expect_error(400, "model.authorize.validate_pkce.verification_failed.app_error");
        // The failed attempt spent the code.
        send(with_verifier(&code, VERIFIER))
            .await
            .expect_error(400, "api.oauth.get_access_token.expired_code.app_error");

        let code = code_for(&basic.client, &app, &third.callback, pkce.clone()).await;
        send(with_verifier(&code, ""))
            .await
            .expect_error(400, "model.authorize.validate_pkce.verifier_required.app_error");
        let code = code_for(&basic.client, &app, &third.callback, pkce.clone()).await;
        let tokens = send(with_verifier(&code, VERIFIER)).await.expect(200);
        let access = tokens.body["access_token"].as_str().unwrap();
        assert_eq!(me(&server, access).await.as_deref(), Some(basic.user_id()));

        // A verifier for a code without a challenge, and an unsupported method.
        let code = code_for(&basic.client, &app, &third.callback, json!({})).await;
        send(with_verifier(&code, VERIFIER))
            .await
            .expect_error(400, "model.authorize.validate_pkce.not_used_in_auth.app_error");
        allow(&basic.client, &app, &third.callback, json!({"code_challenge": VERIFIER, "code_challenge_method": "plain"}))
            .await
            .expect_error(400, "model.authorize.is_valid.code_challenge_method.unsupported.app_error");
    }
);

dual_db_test!(
    async fn redirect_uris_must_match_and_codes_expire(server) {
        let basic = server.init_basic().await;
        let third = ThirdParty::start().await;
        let other = format!("{}/other", third.callback);
        let app = register(&basic.admin, "Planner", &[&third.callback, &other]).await;

        allow(&basic.client, &app, "https://evil.example/cb", json!({}))
            .await
            .expect_error(400, "api.oauth.allow_oauth.redirect_callback.app_error");
        allow(&basic.client, &app, &format!("{}/", third.callback), json!({}))
            .await
            .expect_error(400, "api.oauth.allow_oauth.redirect_callback.app_error");
        allow(&basic.client, &app, "not a url", json!({}))
            .await
            .expect_error(400, "model.authorize.is_valid.redirect_uri.app_error");
        let code = code_for(&basic.client, &app, &third.callback, json!({})).await;
        exchange(&server, &app, &code, &other)
            .await
            .expect_error(400, "api.oauth.get_access_token.redirect_uri.app_error");

        // Ten minutes later a code is refused.
        let code = code_for(&basic.client, &app, &third.callback, json!({})).await;
        peer_execute(&server.app, "UPDATE oauthauthdata SET createat = createat - 600001").await;
        exchange(&server, &app, &code, &third.callback)
            .await
            .expect_error(403, "api.oauth.get_access_token.expired_code.app_error");

        // A callback's own query is kept.
        let with_query = format!("{}?tenant=7", third.callback);
        let app2 = register(&basic.admin, "Tenant", &[&with_query]).await;
        let answer = allow(&basic.client, &app2, &with_query, json!({})).await.expect(200);
        let redirect = answer.body["redirect"].as_str().unwrap();
        assert_eq!(param(redirect, "tenant"), "7");
        assert_eq!(param(redirect, "state"), "xyz");
    }
);

dual_db_test!(
    async fn deauthorising_or_deleting_the_app_ends_its_sessions(server) {
        let basic = server.init_basic().await;
        let third = ThirdParty::start().await;
        let app = register(&basic.admin, "Planner", &[&third.callback]).await;

        let tokens = sign_in(&server, &basic.client, &app, &third.callback).await;
        let access = tokens["access_token"].as_str().unwrap();
        assert!(me(&server, access).await.is_some());
        root_post(&basic.client, "/oauth/deauthorize", json!({"client_id": "bad"})).await
            .expect_error(400, "api.context.invalid_body_param.app_error");
        root_post(&basic.client, "/oauth/deauthorize", json!({"client_id": app["id"]})).await.expect(200);
        assert_eq!(me(&server, access).await, None);
        refresh(&server, &app, tokens["refresh_token"].as_str().unwrap())
            .await
            .expect_error(404, "api.oauth.get_access_token.refresh_token.app_error");
        let authorized = basic.client.get("/users/me/oauth/apps/authorized").await.expect(200);
        assert_eq!(authorized.body, json!([]));

        // Signed in again, then the app is deleted: its token stops working.
        let tokens = sign_in(&server, &basic.client, &app, &third.callback).await;
        let access = tokens["access_token"].as_str().unwrap();
        assert!(me(&server, access).await.is_some());
        basic.admin.delete(&format!("/oauth/apps/{}", id(&app))).await.expect(200);
        assert_eq!(me(&server, access).await, None);
        refresh(&server, &app, tokens["refresh_token"].as_str().unwrap())
            .await
            .expect_error(404, "api.oauth.get_access_token.credentials.app_error");
        let authorized = basic.client.get("/users/me/oauth/apps/authorized").await.expect(200);
        assert_eq!(authorized.body, json!([]));
    }
);

dual_db_test!(
    async fn nothing_stored_works_as_a_credential(server) {
        let basic = server.init_basic().await;
        let third = ThirdParty::start().await;
        let app = register(&basic.admin, "Planner", &[&third.callback]).await;
        let secret = app["client_secret"].as_str().unwrap();
        let pending = code_for(&basic.client, &app, &third.callback, json!({})).await;
        let tokens = sign_in(&server, &basic.client, &app, &third.callback).await;
        let access = tokens["access_token"].as_str().unwrap();
        let refresh_token = tokens["refresh_token"].as_str().unwrap();

        let count = |sql: &'static str, raw: String| {
            let app = server.app.clone();
            async move { peer_count(&app, sql, &raw).await }
        };
        assert_eq!(count("SELECT COUNT(*) FROM oauthapps WHERE clientsecret = $1", secret.into()).await, 0);
        assert_eq!(count("SELECT COUNT(*) FROM oauthauthdata WHERE code = $1", pending.clone()).await, 0);
        assert_eq!(count("SELECT COUNT(*) FROM oauthauthdata WHERE code <> $1", pending.clone()).await, 1);
        assert_eq!(
            count("SELECT COUNT(*) FROM oauthaccessdata WHERE token = $1 OR refreshtoken = $1", access.into()).await,
            0
        );
        assert_eq!(
            count("SELECT COUNT(*) FROM oauthaccessdata WHERE refreshtoken = $1", refresh_token.into()).await,
            0
        );

        // The stored secret, presented as the secret, is refused.
        let stored = utmost_store::oauth_provider::get_secret(&server.app.store, &id(&app))
            .await
            .unwrap()
            .unwrap();
        assert_ne!(stored, secret);
        let mut dumped = app.clone();
        dumped["client_secret"] = json!(stored);
        exchange(&server, &dumped, &pending, &third.callback)
            .await
            .expect_error(403, "api.oauth.get_access_token.credentials.app_error");
    }
);

dual_db_test!(
    async fn the_provider_can_be_switched_off(server) {
        let basic = server.init_basic().await;
        let third = ThirdParty::start().await;
        let app = register(&basic.admin, "Planner", &[&third.callback]).await;
        let code = code_for(&basic.client, &app, &third.callback, json!({})).await;
        configure(&server, |c| c.service_settings.enable_oauth_service_provider = false);

        basic.admin.post("/oauth/apps", json!({"name": "x"})).await
            .expect_error(501, "api.oauth.register_oauth_app.turn_off.app_error");
        basic.admin.get("/oauth/apps").await
            .expect_error(501, "api.oauth.allow_oauth.turn_off.app_error");
        basic.admin.get(&format!("/oauth/apps/{}", id(&app))).await
            .expect_error(501, "api.oauth.allow_oauth.turn_off.app_error");
        basic.client.get("/users/me/oauth/apps/authorized").await
            .expect_error(501, "api.oauth.allow_oauth.turn_off.app_error");
        allow(&basic.client, &app, &third.callback, json!({})).await
            .expect_error(501, "api.oauth.allow_oauth.turn_off.app_error");
        exchange(&server, &app, &code, &third.callback).await
            .expect_error(501, "api.oauth.get_access_token.disabled.app_error");
        let page = reqwest::Client::new()
            .get(format!(
                "{}/oauth/authorize?response_type=code&client_id={}&redirect_uri={}",
                server.url, id(&app), third.callback
            ))
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), 501);
        assert!(page.text().await.unwrap().contains("api.oauth.authorize_oauth.disabled.app_error"));
    }
);
