//! Multi-factor authentication: enrolment, login with a code, wrong and reused codes and the
//! lockout, enforcement, deactivation by the user and by an admin, outsiders, the setting
//! off, and a secret as a Mattermost database holds it.

use crate::support::{configure, PASSWORD};
use serde_json::{json, Value};
use std::time::{SystemTime, UNIX_EPOCH};
use totp_rs::{Builder, Secret};
use utmost_testkit::{dual_db_test, Client, TestServer};

const AT_REST_KEY: &str = "an at-rest key of thirty-two characters or more";

fn enable(server: &TestServer, enforce: bool) {
    configure(server, |c| {
        c.service_settings.enable_multifactor_authentication = true;
        c.service_settings.enforce_multifactor_authentication = enforce;
        c.sql_settings.at_rest_encrypt_key = AT_REST_KEY.into();
    });
}

/// The code of the base32 `secret` for the time step `steps` away from now.
pub fn code(secret: &str, steps: i64) -> String {
    let totp = Builder::new()
        .with_secret(Secret::try_from_base32(secret).unwrap())
        .build()
        .unwrap();
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    totp.generate((now + steps * 30) as u64).to_string()
}

/// Six digits that are no code of the steps the server may accept while the test runs.
fn wrong_code(secret: &str) -> String {
    let near: Vec<String> = (-1..=2).map(|s| code(secret, s)).collect();
    (0..)
        .map(|n: u32| format!("{:06}", (n * 7919) % 1_000_000))
        .find(|c| !near.contains(c))
        .unwrap()
}

fn login(login_id: &str, token: &str) -> Value {
    json!({"login_id": login_id, "password": PASSWORD, "token": token})
}

/// Generates a secret for the client's user and activates it; returns the secret.
async fn enrol(client: &Client) -> String {
    let r = client
        .post("/users/me/mfa/generate", json!({}))
        .await
        .expect(200);
    let secret = r.body["secret"].as_str().unwrap().to_string();
    client
        .put(
            "/users/me/mfa",
            json!({"activate": true, "code": code(&secret, 0)}),
        )
        .await
        .expect(200);
    secret
}

async fn stored_secret(server: &TestServer, user_id: &str) -> String {
    utmost_store::users::get(&server.app.store, user_id)
        .await
        .unwrap()
        .unwrap()
        .mfa_secret
}

dual_db_test!(
    async fn enrolment_then_each_login_needs_a_code_used_once(server) {
        enable(&server, false);
        let (_, admin) = server.create_user(None, "sysadmin").await;
        let (alice, client) = server.create_user(Some(&admin), "alice").await;
        let alice_id = alice["id"].as_str().unwrap();
        let anon = server.client();

        let r = client.post("/users/me/mfa/generate", json!({})).await.expect(200);
        assert_eq!(r.header("cache-control"), "no-cache");
        let secret = r.body["secret"].as_str().unwrap().to_string();
        assert_eq!(secret.len(), 32, "20 random bytes in base32");
        let png = data_encoding::BASE64.decode(r.body["qr_code"].as_str().unwrap().as_bytes()).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        // The database holds the secret sealed, not as the authenticator app receives it.
        let stored = stored_secret(&server, alice_id).await;
        assert!(stored.starts_with("utmost-sealed:v1:"), "{stored}");
        assert!(!stored.contains(&secret));

        // Not active until a right code proves the app has the secret.
        anon.post("/users/login", login("alice", "")).await.expect(200);
        client
            .put("/users/me/mfa", json!({"activate": true}))
            .await
            .expect_error(400, "api.context.invalid_body_param.app_error");
        client
            .put("/users/me/mfa", json!({"activate": true, "code": wrong_code(&secret)}))
            .await
            .expect_error(401, "mfa.activate.bad_token.app_error");
        client
            .put("/users/me/mfa", json!({"activate": true, "code": code(&secret, 0)}))
            .await
            .expect(200);
        assert_eq!(client.get("/users/me").await.expect(200).body["mfa_active"], true);

        // The login page learns it must ask for a code.
        let r = anon.post("/users/mfa", json!({"login_id": "alice"})).await.expect(200);
        assert_eq!(r.body, json!({"mfa_required": true}));
        let r = anon.post("/users/mfa", json!({"login_id": "sysadmin"})).await.expect(200);
        assert_eq!(r.body, json!({"mfa_required": false}));
        let r = anon.post("/users/mfa", json!({"login_id": "nobody"})).await.expect(200);
        assert_eq!(r.body, json!({"mfa_required": false}));
        anon.post("/users/mfa", json!({}))
            .await
            .expect_error(400, "api.context.invalid_body_param.app_error");

        anon.post("/users/login", login("alice", ""))
            .await
            .expect_error(401, "mfa.validate_token.authenticate.app_error");
        anon.post("/users/login", login("alice", &wrong_code(&secret)))
            .await
            .expect_error(401, "api.user.check_user_mfa.bad_code.app_error");
        // The activation's code was used in its step: it does not log in.
        anon.post("/users/login", login("alice", &code(&secret, 0)))
            .await
            .expect_error(401, "api.user.check_user_mfa.bad_code.app_error");
        // The next step's code logs in once, even when sent twice at the same moment.
        let next = code(&secret, 1);
        let (a, b) = tokio::join!(
            anon.post("/users/login", login("alice", &next)),
            anon.post("/users/login", login("alice", &next))
        );
        let mut statuses = [a.status, b.status];
        statuses.sort();
        assert_eq!(statuses, [200, 401], "{} / {}", a.text, b.text);
        let refused = if a.status == 401 { a } else { b };
        assert_eq!(refused.error_id(), "api.user.check_user_mfa.bad_code.app_error");
        anon.post("/users/login", login("alice", &next))
            .await
            .expect_error(401, "api.user.check_user_mfa.bad_code.app_error");
        // A wrong password is still the masked credentials error, code or not.
        anon.post("/users/login", json!({"login_id": "alice", "password": "nope", "token": code(&secret, 2)}))
            .await
            .expect_error(401, "api.user.login.invalid_credentials_email_username");
    }
);

dual_db_test!(
    async fn wrong_codes_count_toward_the_login_lockout(server) {
        enable(&server, false);
        configure(&server, |c| c.service_settings.maximum_login_attempts = 3);
        let (_, admin) = server.create_user(None, "sysadmin").await;
        let (_, client) = server.create_user(Some(&admin), "alice").await;
        let secret = enrol(&client).await;
        let anon = server.client();
        // Asking without a code is how the login page learns to ask: never counted.
        for _ in 0..4 {
            anon.post("/users/login", login("alice", ""))
                .await
                .expect_error(401, "mfa.validate_token.authenticate.app_error");
        }
        for _ in 0..3 {
            anon.post("/users/login", login("alice", &wrong_code(&secret)))
                .await
                .expect_error(401, "api.user.check_user_mfa.bad_code.app_error");
        }
        anon.post("/users/login", login("alice", &code(&secret, 1)))
            .await
            .expect_error(401, "api.user.check_user_login_attempts.too_many.app_error");
    }
);

dual_db_test!(
    async fn enforcement_refuses_everything_but_the_setup_until_mfa_is_on(server) {
        let (_, admin) = server.create_user(None, "sysadmin").await;
        let (_, client) = server.create_user(Some(&admin), "alice").await;
        enable(&server, true);
        // Reading oneself stays open, so the client can send the user to the setup page.
        client.get("/users/me").await.expect(200);
        client
            .get("/users/me/teams")
            .await
            .expect_error(403, "api.context.mfa_required.app_error");
        client
            .get("/users/me/image")
            .await
            .expect_error(403, "api.context.mfa_required.app_error");
        admin
            .get("/users")
            .await
            .expect_error(403, "api.context.mfa_required.app_error");
        // The public routes are not affected.
        server.client().get("/system/ping").await.expect(200);
        let secret = enrol(&client).await;
        client.get("/users/me/teams").await.expect(200);
        // A fresh login with a code is not refused either.
        let r = server
            .client()
            .post("/users/login", login("alice", &code(&secret, 1)))
            .await
            .expect(200);
        server.client().with_token(r.header("token")).get("/users/me/teams").await.expect(200);
        // Logging out needs no MFA.
        admin.post("/users/logout", json!({})).await.expect(200);
    }
);

dual_db_test!(
    async fn the_user_or_an_admin_turns_mfa_off(server) {
        enable(&server, false);
        let (_, admin) = server.create_user(None, "sysadmin").await;
        let (alice, client) = server.create_user(Some(&admin), "alice").await;
        let alice_id = alice["id"].as_str().unwrap();
        let anon = server.client();

        enrol(&client).await;
        client.put("/users/me/mfa", json!({"activate": false})).await.expect(200);
        assert_eq!(client.get("/users/me").await.body["mfa_active"], false);
        assert_eq!(stored_secret(&server, alice_id).await, "", "the secret is forgotten");
        anon.post("/users/login", login("alice", "")).await.expect(200);

        enrol(&client).await;
        admin
            .put(&format!("/users/{alice_id}/mfa"), json!({"activate": false}))
            .await
            .expect(200);
        assert_eq!(client.get("/users/me").await.body["mfa_active"], false);
        anon.post("/users/login", login("alice", "")).await.expect(200);
        admin
            .put(&format!("/users/{alice_id}/mfa"), json!({}))
            .await
            .expect_error(400, "api.context.invalid_body_param.app_error");
    }
);

dual_db_test!(
    async fn another_user_cannot_generate_activate_or_deactivate(server) {
        enable(&server, false);
        let (_, admin) = server.create_user(None, "sysadmin").await;
        let (alice, client) = server.create_user(Some(&admin), "alice").await;
        let (_, bob) = server.create_user(Some(&admin), "bob").await;
        let alice_id = alice["id"].as_str().unwrap();
        let secret = enrol(&client).await;
        let before = stored_secret(&server, alice_id).await;

        let generate = format!("/users/{alice_id}/mfa/generate");
        let update = format!("/users/{alice_id}/mfa");
        bob.post(&generate, json!({}))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        bob.put(&update, json!({"activate": false}))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        bob.put(&update, json!({"activate": true, "code": code(&secret, 1)}))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        let anon = server.client();
        anon.post(&generate, json!({}))
            .await
            .expect_error(401, "api.context.session_expired.app_error");
        anon.put(&update, json!({"activate": false}))
            .await
            .expect_error(401, "api.context.session_expired.app_error");
        // Nothing changed: same secret, still on.
        assert_eq!(stored_secret(&server, alice_id).await, before);
        assert_eq!(client.get("/users/me").await.body["mfa_active"], true);
    }
);

dual_db_test!(
    async fn with_the_setting_off_mfa_is_not_enabled_and_passwords_suffice(server) {
        let (_, admin) = server.create_user(None, "sysadmin").await;
        let (_, client) = server.create_user(Some(&admin), "alice").await;
        client
            .post("/users/me/mfa/generate", json!({}))
            .await
            .expect_error(501, "mfa.mfa_disabled.app_error");
        client
            .put("/users/me/mfa", json!({"activate": true, "code": "123456"}))
            .await
            .expect_error(501, "mfa.mfa_disabled.app_error");
        let anon = server.client();
        let r = anon.post("/users/mfa", json!({"login_id": "alice"})).await.expect(200);
        assert_eq!(r.body, json!({"mfa_required": false}));

        // A user who set MFA up while it was on logs in with the password alone once it is off.
        enable(&server, false);
        enrol(&client).await;
        configure(&server, |c| c.service_settings.enable_multifactor_authentication = false);
        anon.post("/users/login", login("alice", "")).await.expect(200);
        // Turning it off stays possible.
        client.put("/users/me/mfa", json!({"activate": false})).await.expect(200);
    }
);

dual_db_test!(
    async fn a_plain_secret_from_a_mattermost_database_works_and_is_sealed_once_used(server) {
        enable(&server, false);
        let (_, admin) = server.create_user(None, "sysadmin").await;
        let (alice, _) = server.create_user(Some(&admin), "alice").await;
        let alice_id = alice["id"].as_str().unwrap();
        // As Mattermost writes it: base32 of 20 bytes, in clear, MFA on.
        let plain = data_encoding::BASE32_NOPAD.encode(b"mattermost-secret-20");
        let store = &server.app.store;
        assert!(utmost_store::mfa::set_secret(store, alice_id, &plain, 1).await.unwrap());
        assert!(utmost_store::mfa::activate(store, alice_id, &plain, 1).await.unwrap());

        let anon = server.client();
        anon.post("/users/login", login("alice", ""))
            .await
            .expect_error(401, "mfa.validate_token.authenticate.app_error");
        anon.post("/users/login", login("alice", &code(&plain, 0))).await.expect(200);
        let stored = stored_secret(&server, alice_id).await;
        assert!(stored.starts_with("utmost-sealed:v1:"), "{stored}");
        // The same secret, sealed: the next step's code works, the used one does not.
        anon.post("/users/login", login("alice", &code(&plain, 0)))
            .await
            .expect_error(401, "api.user.check_user_mfa.bad_code.app_error");
        anon.post("/users/login", login("alice", &code(&plain, 1))).await.expect(200);
    }
);

dual_db_test!(
    async fn directory_accounts_need_their_code_and_guests_follow_their_own_switch(server) {
        let ldap = utmost_testkit::ldap::LdapServer::start().await;
        let Some(ldap) = ldap else { return };
        let (_, admin) = server.create_user(None, "sysadmin").await;
        configure(&server, |c| ldap.configure(c));
        enable(&server, false);
        let directory_login = |token: &str| {
            json!({"login_id": "alice", "password": "alice-pw", "ldap_only": true, "token": token})
        };
        let anon = server.client();
        let r = anon.post("/users/login", directory_login("")).await.expect(200);
        let alice = server.client().with_token(r.header("token"));
        let secret = enrol(&alice).await;
        anon.post("/users/login", directory_login(""))
            .await
            .expect_error(401, "mfa.validate_token.authenticate.app_error");
        anon.post("/users/login", directory_login(&wrong_code(&secret)))
            .await
            .expect_error(401, "api.user.check_user_mfa.bad_code.app_error");
        anon.post("/users/login", directory_login(&code(&secret, 1)))
            .await
            .expect(200);

        // A guest is held to enforcement only by GuestAccountsSettings' own switch.
        let (gus, guest) = server.create_user(Some(&admin), "gus").await;
        configure(&server, |c| c.guest_accounts_settings.enable = true);
        admin
            .post(&format!("/users/{}/demote", gus["id"].as_str().unwrap()), json!({}))
            .await
            .expect(200);
        enable(&server, true);
        guest.get("/users/me/teams").await.expect(200);
        configure(&server, |c| c.guest_accounts_settings.enforce_multifactor_authentication = true);
        guest
            .get("/users/me/teams")
            .await
            .expect_error(403, "api.context.mfa_required.app_error");
    }
);
