//! Hardening tests: auth — login lockout under concurrency, stored tokens, the first account,
//! login timing.

use crate::support::{configure, id, PASSWORD};
use serde_json::json;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};
use utmost_model::access_token::UserAccessToken;
use utmost_model::id::encode_id;
use utmost_model::session::Session;
use utmost_model::{new_id, now_millis};
use utmost_testkit::{dual_db_test, Client, Resp, TestServer};

const TOO_MANY: &str = "api.user.check_user_login_attempts.too_many.app_error";

async fn login(c: &Client, login_id: &str, password: &str) -> Resp {
    c.post(
        "/users/login",
        json!({"login_id": login_id, "password": password}),
    )
    .await
}

dual_db_test!(
    async fn concurrent_wrong_logins_check_no_more_passwords_than_the_lockout_allows(server) {
        let max = server.app.config().service_settings.maximum_login_attempts;
        let (_, admin) = server.create_user(None, "sysadmin").await;
        server.create_user(Some(&admin), "alice").await;
        let c = server.client();
        let mut guesses: Vec<String> = (0..40).map(|i| format!("wrong-guess-{i}")).collect();
        guesses.insert(20, PASSWORD.to_string());
        let answers = futures_util::future::join_all(
            guesses.iter().map(|password| login(&c, "alice", password)),
        )
        .await;
        assert!(answers.iter().all(|r| r.status == 200 || r.status == 401));
        let right_accepted = answers[20].status == 200;
        // Every wrong guess not answered "locked" had its password checked.
        let wrong_checked = answers
            .iter()
            .enumerate()
            .filter(|(i, r)| *i != 20 && r.error_id() != TOO_MANY)
            .count();
        let wrong_checked = i64::try_from(wrong_checked).unwrap();
        if right_accepted {
            // A successful login clears the count (as in Mattermost): fewer than `max`
            // wrong guesses ran before it, at most `max` after it.
            assert!(wrong_checked < 2 * max, "{wrong_checked} wrong guesses checked");
        } else {
            assert!(wrong_checked <= max, "{wrong_checked} wrong guesses checked");
            // The right password came too late: the account is locked, and stays so.
            assert_eq!(answers[20].error_id(), TOO_MANY);
            login(&c, "alice", PASSWORD).await.expect_error(401, TOO_MANY);
        }
    }
);

dual_db_test!(
    async fn a_login_flood_beyond_the_password_queue_is_answered_busy(server) {
        // No account needed: logins naming nobody cost a password check too. 200 at once
        // are far more than one per core plus the queue (32 per core) can take.
        let c = server.client();
        let names: Vec<String> = (0..200).map(|i| format!("nobody{i}")).collect();
        let answers = futures_util::future::join_all(
            names.iter().map(|name| login(&c, name, "wrong-password")),
        )
        .await;
        let busy = answers.iter().filter(|r| r.status == 503).count();
        let checked = answers.iter().filter(|r| r.status == 401).count();
        for r in &answers {
            match r.status {
                503 => assert_eq!(r.error_id(), "api.context.server_busy.app_error"),
                _ => assert_eq!(r.error_id(), "api.user.login.invalid_credentials_email_username"),
            }
        }
        assert!(busy > 0, "all {checked} logins were checked");
        assert!(checked > 0);
        // Once the flood is over, logins are checked again.
        server.create_user(None, "alice").await;
    }
);

/// Reads what the database holds for `user_id`'s sessions.
async fn stored_session_tokens(server: &TestServer, user_id: &str) -> Vec<String> {
    utmost_store::sessions::list_for_user(&server.app.store, user_id)
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.token)
        .collect()
}

dual_db_test!(
    async fn stored_tokens_are_no_bearer_tokens(server) {
        configure(&server, |cfg| cfg.service_settings.enable_user_access_tokens = true);
        let (admin_user, admin) = server.create_user(None, "sysadmin").await;
        let uid = id(&admin_user);
        let stored = stored_session_tokens(&server, &uid).await;
        assert_eq!(stored.len(), 1);
        assert_ne!(Some(&stored[0]), admin.token.as_ref());
        let c = server.client();
        c.with_token(&stored[0]).get("/users/me").await.expect(401);

        let pat = admin
            .post(&format!("/users/{uid}/tokens"), json!({"description": "ci"}))
            .await
            .expect(200)
            .body;
        let raw = pat["token"].as_str().unwrap();
        let row = utmost_store::access_tokens::get(&server.app.store, &id(&pat))
            .await
            .unwrap()
            .unwrap();
        assert_ne!(row.token, raw);
        c.with_token(&row.token).get("/users/me").await.expect(401);
        // The token itself works, and the session it opens stores no usable value either.
        c.with_token(raw).get("/users/me").await.expect(200);
        for token in stored_session_tokens(&server, &uid).await {
            c.with_token(&token).get("/users/me").await.expect(401);
        }
    }
);

dual_db_test!(
    async fn tokens_written_by_mattermost_keep_working_and_are_stored_hashed(server) {
        configure(&server, |cfg| cfg.service_settings.enable_user_access_tokens = true);
        let (admin_user, _) = server.create_user(None, "sysadmin").await;
        let uid = id(&admin_user);
        // Rows as Mattermost writes them: raw tokens; a personal access token's session
        // carries the token itself.
        let (session_token, pat_token) = (new_id(), new_id());
        let now = now_millis();
        let session = |token: &str, props: BTreeMap<String, String>| Session {
            id: new_id(),
            token: token.to_string(),
            create_at: now,
            expires_at: now + 3_600_000,
            last_activity_at: now,
            user_id: uid.clone(),
            roles: "system_admin system_user".into(),
            props,
            ..Session::default()
        };
        let store = &server.app.store;
        utmost_store::sessions::insert(store, &session(&session_token, BTreeMap::new()))
            .await
            .unwrap();
        let pat = UserAccessToken {
            id: new_id(),
            token: pat_token.clone(),
            user_id: uid.clone(),
            description: "from mattermost".into(),
            is_active: true,
        };
        utmost_store::access_tokens::insert(store, &pat).await.unwrap();
        let pat_props = BTreeMap::from([
            ("type".to_string(), "UserAccessToken".to_string()),
            ("user_access_token_id".to_string(), pat.id.clone()),
        ]);
        utmost_store::sessions::insert(store, &session(&pat_token, pat_props))
            .await
            .unwrap();
        // And one as Utmost stored sessions before: SHA-256 of the token in the id encoding.
        let earlier_token = new_id();
        let digest = Sha256::digest(earlier_token.as_bytes());
        let earlier_form = encode_id(&digest[..16].try_into().unwrap());
        utmost_store::sessions::insert(store, &session(&earlier_form, BTreeMap::new()))
            .await
            .unwrap();

        // Utmost takes the database over: a server starts on it.
        let sql_settings = server.app.config().sql_settings.clone();
        let taken_over = TestServer::start_with(server.kind, |cfg| {
            cfg.sql_settings = sql_settings;
            cfg.service_settings.enable_user_access_tokens = true;
        })
        .await;
        let c = taken_over.client();
        for raw in [&session_token, &pat_token, &earlier_token] {
            let me = c.with_token(raw).get("/users/me").await.expect(200);
            assert_eq!(me.body["id"], uid.as_str());
        }
        let stored = stored_session_tokens(&taken_over, &uid).await;
        assert!(!stored.is_empty());
        for token in &stored {
            assert_ne!(token, &session_token);
            assert_ne!(token, &pat_token);
            assert_ne!(token, &earlier_form);
            c.with_token(token).get("/users/me").await.expect(401);
        }
        let row = utmost_store::access_tokens::get(&taken_over.app.store, &pat.id)
            .await
            .unwrap()
            .unwrap();
        assert_ne!(row.token, pat_token);
        // Revoking the token still finds and ends its session.
        let admin = c.login("sysadmin", PASSWORD).await;
        admin
            .post("/users/tokens/revoke", json!({"token_id": pat.id}))
            .await
            .expect(200);
        c.with_token(&pat_token).get("/users/me").await.expect(401);
        drop(taken_over);
    }
);

dual_db_test!(
    async fn concurrent_first_sign_ups_make_one_admin(server) {
        let c = server.client();
        let answers = futures_util::future::join_all((0..20).map(|i| {
            let name = format!("first{i}");
            let body = json!({"username": name, "email": format!("{name}@example.com"), "password": PASSWORD});
            let c = c.clone();
            async move { c.post("/users", body).await }
        }))
        .await;
        let created: Vec<&Resp> = answers.iter().filter(|r| r.status == 201).collect();
        let admins = created
            .iter()
            .filter(|r| r.body["roles"].as_str().unwrap_or("").contains("system_admin"))
            .count();
        assert_eq!(admins, 1, "{} accounts created", created.len());
        // Open sign-up is off: every other sign-up is refused (or, on a loaded machine, its
        // password hash may wait too long for a core).
        assert_eq!(created.len(), 1);
        for r in answers.iter().filter(|r| r.status != 201) {
            let refused = r.error_id() == "api.user.create_user.no_open_server"
                || r.error_id() == "api.context.server_busy.app_error";
            assert!(refused, "{}", r.text);
        }
    }
);

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

dual_db_test!(
    async fn login_takes_as_long_for_unknown_accounts_as_for_wrong_passwords(server) {
        // Enough attempts that the lockout never cuts the checks short.
        configure(&server, |cfg| cfg.service_settings.maximum_login_attempts = 1000);
        server.create_user(None, "alice").await;
        let c = server.client();
        let time = |login_id: &'static str| {
            let c = c.clone();
            async move {
                let start = Instant::now();
                login(&c, login_id, "wrong-password")
                    .await
                    .expect_error(401, "api.user.login.invalid_credentials_email_username");
                start.elapsed()
            }
        };
        let (mut unknown, mut known) = (Vec::new(), Vec::new());
        // Interleaved, so a burst of load on the machine hits both alike.
        for _ in 0..15 {
            unknown.push(time("nobody").await);
            known.push(time("alice").await);
        }
        let (unknown, known) = (median(unknown), median(known));
        let ratio = unknown.as_secs_f64() / known.as_secs_f64();
        assert!(
            (0.5..2.0).contains(&ratio),
            "unknown account {unknown:?}, wrong password {known:?}"
        );
    }
);
