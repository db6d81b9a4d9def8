//! AD/LDAP against a real OpenLDAP server (`testkit::ldap`): the first sign-in creates the
//! account from the directory, wrong passwords and filtered entries are refused with
//! Mattermost's ids, the admin filter grants system admin, a sync brings attributes over and
//! deprovisions (deactivated, sessions gone, WebSockets closed) and reprovisions, StartTLS and
//! LDAPS work with a self-signed certificate, accounts migrate from passwords, and only those
//! with the permission reach `/ldap/test`, `/ldap/sync` and `/users/migrate_auth/ldap`; the
//! accounts move to another id attribute (`/ldap/migrateid`) and keep signing in; a directory
//! that demands a client certificate is reached once one is uploaded.

use crate::files_support::upload_certificate;
use crate::jobs_api::finished;
use crate::support::{configure, id, PASSWORD};
use serde_json::{json, Value};
use std::time::{Duration, Instant};
use utmost_config::Config;
use utmost_testkit::ldap::{LdapServer, ADMINS_GROUP};
use utmost_testkit::ws::WsClient;
use utmost_testkit::{dual_db_test, Client, TestServer};

/// A slapd with the server's LDAP settings pointed at it, after `adjust`.
pub(crate) async fn directory(
    server: &TestServer,
    adjust: impl FnOnce(&mut Config),
) -> Option<LdapServer> {
    let ldap = LdapServer::start().await?;
    configure(server, |c| {
        ldap.configure(c);
        adjust(c);
    });
    Some(ldap)
}

async fn ldap_login(server: &TestServer, login_id: &str, password: &str) -> utmost_testkit::Resp {
    server
        .client()
        .post(
            "/users/login",
            json!({"login_id": login_id, "password": password, "ldap_only": true}),
        )
        .await
}

/// Signs in through the directory; the user and a client with the session.
pub(crate) async fn signed_in(
    server: &TestServer,
    login_id: &str,
    password: &str,
) -> (Value, Client) {
    let r = ldap_login(server, login_id, password).await.expect(200);
    let token = r.header("Token").to_string();
    (r.body, server.client().with_token(&token))
}

/// Runs `POST /ldap/sync` as `admin` and waits for its job to succeed.
pub(crate) async fn sync(admin: &Client) -> Value {
    admin.post("/ldap/sync", json!({})).await.expect(200);
    let jobs = admin.get("/jobs/type/ldap_sync").await.expect(200).body;
    let newest = id(&jobs[0]);
    let done = finished(admin, &newest).await;
    assert_eq!(done["status"], "success", "{done}");
    done
}

async fn user(admin: &Client, user_id: &str) -> Value {
    admin
        .get(&format!("/users/{user_id}"))
        .await
        .expect(200)
        .body
}

dual_db_test!(
    async fn the_first_sign_in_creates_the_account_from_the_directory(server) {
        let Some(_ldap) = directory(&server, |_| {}).await else { return };
        let (alice, client) = signed_in(&server, "alice", "alice-pw").await;
        assert_eq!(alice["username"], "alice");
        assert_eq!(alice["email"], "alice@example.com");
        assert_eq!(alice["first_name"], "Alice");
        assert_eq!(alice["last_name"], "Anders");
        assert_eq!(alice["auth_service"], "ldap");
        assert_eq!(alice["roles"], "system_user");
        assert_eq!(client.get("/users/me").await.expect(200).body["id"], alice["id"]);

        // The password stays in the directory; the account keeps the entry's id.
        let stored = utmost_store::users::get(&server.app.store, &id(&alice)).await.unwrap().unwrap();
        assert_eq!(stored.password, "");
        assert!(!stored.auth_data.is_empty());
        assert!(stored.email_verified);

        // Later sign-ins, with ldap_only or by the username alone, are the same account.
        let (again, _) = signed_in(&server, "alice", "alice-pw").await;
        assert_eq!(again["id"], alice["id"]);
        let plain = server
            .client()
            .post("/users/login", json!({"login_id": "alice", "password": "alice-pw"}))
            .await
            .expect(200);
        assert_eq!(plain.body["id"], alice["id"]);
    }
);

dual_db_test!(
    async fn wrong_passwords_and_unknown_entries_are_refused(server) {
        let Some(_ldap) = directory(&server, |_| {}).await else { return };
        const WRONG: &str = "ent.ldap.do_login.invalid_password.app_error";
        // Before the account exists, and after.
        ldap_login(&server, "bob", "nope").await.expect_error(401, WRONG);
        assert!(utmost_store::users::get_by_username(&server.app.store, "bob").await.unwrap().is_none());
        signed_in(&server, "bob", "bob-pw").await;
        ldap_login(&server, "bob", "nope").await.expect_error(401, WRONG);
        server
            .client()
            .post("/users/login", json!({"login_id": "bob", "password": "nope"}))
            .await
            .expect_error(401, WRONG);
        ldap_login(&server, "nobody", "x").await.expect_error(401, "ent.ldap.do_login.user_not_registered.app_error");
        // No unauthenticated bind slips through with an empty password.
        ldap_login(&server, "bob", "").await.expect_error(400, "api.user.login.blank_pwd.app_error");
        // A filter-like login id is matched literally.
        ldap_login(&server, "*", "bob-pw").await.expect_error(401, "ent.ldap.do_login.user_not_registered.app_error");

        // LdapSettings.MaximumLoginAttempts wrong passwords lock the account, right one or not.
        configure(&server, |c| c.ldap_settings.maximum_login_attempts = 3);
        ldap_login(&server, "bob", "nope").await.expect_error(401, WRONG);
        const LOCKED: &str = "api.user.check_user_login_attempts.too_many_ldap.app_error";
        ldap_login(&server, "bob", "bob-pw").await.expect_error(401, LOCKED);
    }
);

dual_db_test!(
    async fn the_user_filter_keeps_others_out_and_the_admin_filter_makes_admins(server) {
        let Some(_ldap) = directory(&server, |c| {
            let s = &mut c.ldap_settings;
            s.user_filter = "(&(objectClass=inetOrgPerson)(employeeType=staff))".into();
            s.enable_admin_filter = true;
            s.admin_filter = format!("(memberOf={ADMINS_GROUP})");
        })
        .await
        else {
            return;
        };
        ldap_login(&server, "carol", "carol-pw")
            .await
            .expect_error(401, "ent.ldap.do_login.user_not_registered.app_error");
        // With guest accounts on, the guest filter makes guests.
        configure(&server, |c| {
            c.guest_accounts_settings.enable = true;
            c.ldap_settings.guest_filter = "(sn=Dunn)".into();
        });
        let (dave, _) = signed_in(&server, "dave", "dave-pw").await;
        assert_eq!(dave["roles"], "system_guest");
        let (alice, alice_client) = signed_in(&server, "alice", "alice-pw").await;
        assert_eq!(alice["roles"], "system_user system_admin");
        let (bob, bob_client) = signed_in(&server, "bob", "bob-pw").await;
        assert_eq!(bob["roles"], "system_user");
        // The admin may test the connection; Bob may not.
        alice_client.post("/ldap/test", json!({})).await.expect(200);
        bob_client.post("/ldap/test", json!({})).await.expect_error(403, "api.context.permissions.app_error");

        // An account whose entry leaves the filter is refused as filtered.
        configure(&server, |c| {
            c.ldap_settings.user_filter = "(&(objectClass=inetOrgPerson)(employeeType=nobody))".into()
        });
        ldap_login(&server, "bob", "bob-pw").await.expect_error(401, "ent.ldap.do_login.user_not_registered.app_error");
        server
            .client()
            .post("/users/login", json!({"login_id": "bob", "password": "bob-pw"}))
            .await
            .expect_error(401, "ent.ldap.do_login.user_filtered.app_error");
    }
);

dual_db_test!(
    async fn a_sync_brings_changes_over_and_deprovisions_at_once(server) {
        let Some(ldap) = directory(&server, |c| {
            c.ldap_settings.enable_admin_filter = true;
            c.ldap_settings.admin_filter = format!("(memberOf={ADMINS_GROUP})");
        })
        .await
        else {
            return;
        };
        let (_, admin) = signed_in(&server, "alice", "alice-pw").await;
        let (bob, bob_client) = signed_in(&server, "bob", "bob-pw").await;
        let (carol, carol_client) = signed_in(&server, "carol", "carol-pw").await;
        let (bob_id, carol_id) = (id(&bob), id(&carol));

        // An attribute change.
        ldap.replace("bob", "sn", "Brewer");
        ldap.replace("bob", "mail", "bob.brewer@example.com");
        let done = sync(&admin).await;
        assert_eq!(done["data"]["updated"], "1", "{done}");
        let bob_now = user(&admin, &bob_id).await;
        assert_eq!(bob_now["last_name"], "Brewer");
        assert_eq!(bob_now["email"], "bob.brewer@example.com");
        assert_eq!(bob_now["delete_at"], 0);

        // Bob leaves the directory while his socket is open; Carol leaves the filter.
        let (mut bob_ws, _) = WsClient::connect_ready(&server, bob_client.token.as_deref().unwrap()).await;
        ldap.delete_person("bob");
        ldap.replace("carol", "employeeType", "former");
        configure(&server, |c| {
            c.ldap_settings.user_filter = "(&(objectClass=inetOrgPerson)(!(employeeType=former)))".into()
        });
        let done = sync(&admin).await;
        assert_eq!(done["data"]["deactivated"], "2", "{done}");
        assert!(bob_ws.closes_within(Duration::from_secs(5)).await, "bob's socket stayed open");
        for (user_id, client) in [(&bob_id, &bob_client), (&carol_id, &carol_client)] {
            assert!(user(&admin, user_id).await["delete_at"].as_i64().unwrap() > 0);
            client.get("/users/me").await.expect_error(401, "api.context.session_expired.app_error");
            assert!(utmost_store::sessions::list_for_user(&server.app.store, user_id).await.unwrap().is_empty());
        }
        ldap_login(&server, "bob", "bob-pw").await.expect_error(401, "ent.ldap.do_login.user_not_registered.app_error");

        // Carol returns to the filter: reactivated, and she signs in again.
        ldap.replace("carol", "employeeType", "staff");
        let done = sync(&admin).await;
        assert_eq!(done["data"]["reactivated"], "1", "{done}");
        assert_eq!(user(&admin, &carol_id).await["delete_at"], 0);
        let (again, _) = signed_in(&server, "carol", "carol-pw").await;
        assert_eq!(id(&again), carol_id);
    }
);

dual_db_test!(
    async fn deactivation_by_the_api_or_another_process_closes_the_users_sockets(server) {
        let Some(_ldap) = directory(&server, |c| {
            c.ldap_settings.enable_admin_filter = true;
            c.ldap_settings.admin_filter = format!("(memberOf={ADMINS_GROUP})");
        })
        .await
        else {
            return;
        };
        let (_, admin) = signed_in(&server, "alice", "alice-pw").await;
        let (bob, bob_client) = signed_in(&server, "bob", "bob-pw").await;
        let (mut ws, _) = WsClient::connect_ready(&server, bob_client.token.as_deref().unwrap()).await;
        admin.put(&format!("/users/{}/active", id(&bob)), json!({"active": false})).await.expect(200);
        assert!(ws.closes_within(Duration::from_secs(5)).await, "the API deactivation left the socket open");
        bob_client.get("/users/me").await.expect_error(401, "api.context.session_expired.app_error");
        admin.put(&format!("/users/{}/active", id(&bob)), json!({"active": true})).await.expect(200);

        // Another process (as `utmost user deactivate` is) on the same database.
        let (_, bob_client) = signed_in(&server, "bob", "bob-pw").await;
        let (mut ws, _) = WsClient::connect_ready(&server, bob_client.token.as_deref().unwrap()).await;
        let announce: std::sync::Arc<dyn utmost_app::bus::Subscriber> =
            std::sync::Arc::new(utmost_app::caches::outside_writes::Announce);
        let other = utmost_app::App::start_with_subscribers((*server.app.config()).clone(), vec![announce])
            .await
            .unwrap();
        let local = utmost_model::session::Session {
            local: true,
            roles: "system_admin system_user".into(),
            ..Default::default()
        };
        utmost_app::users::set_active(&other, &local, &id(&bob), false).await.unwrap();
        other.shutdown().await;
        let started = Instant::now();
        assert!(ws.closes_within(Duration::from_secs(10)).await, "the socket stayed open");
        assert!(started.elapsed() < Duration::from_secs(10));
        bob_client.get("/users/me").await.expect_error(401, "api.context.session_expired.app_error");
    }
);

dual_db_test!(
    async fn starttls_and_ldaps_with_a_self_signed_certificate(server) {
        let Some(ldap) = directory(&server, |c| {
            c.ldap_settings.connection_security = "STARTTLS".into();
            c.ldap_settings.enable_admin_filter = true;
            c.ldap_settings.admin_filter = format!("(memberOf={ADMINS_GROUP})");
        })
        .await
        else {
            return;
        };
        // The certificate is nobody's: refused unless verification is skipped.
        ldap_login(&server, "alice", "alice-pw")
            .await
            .expect_error(500, "ent.ldap.do_login.unable_to_connect.app_error");
        configure(&server, |c| c.ldap_settings.skip_certificate_verification = true);
        let (_, admin) = signed_in(&server, "alice", "alice-pw").await;
        admin.post("/ldap/test", json!({})).await.expect(200);

        configure(&server, |c| {
            c.ldap_settings.connection_security = "TLS".into();
            c.ldap_settings.ldap_port = i64::from(ldap.tls_port);
        });
        admin.post("/ldap/test", json!({})).await.expect(200);
        signed_in(&server, "bob", "bob-pw").await;
        ldap_login(&server, "bob", "nope").await.expect_error(401, "ent.ldap.do_login.invalid_password.app_error");
        configure(&server, |c| c.ldap_settings.skip_certificate_verification = false);
        admin.post("/ldap/test", json!({})).await.expect_error(500, "ent.ldap.do_login.unable_to_connect.app_error");
    }
);

dual_db_test!(
    async fn a_directory_that_demands_a_client_certificate_is_reached_with_the_uploaded_one(server) {
        let basic = server.init_basic().await;
        let Some(ldap) = LdapServer::start_requiring_client_certificates().await else { return };
        configure(&server, |c| {
            ldap.configure(c);
            c.ldap_settings.connection_security = "TLS".into();
            c.ldap_settings.ldap_port = i64::from(ldap.tls_port);
            c.ldap_settings.skip_certificate_verification = true;
        });
        // Under TLS 1.3 the server refuses the missing certificate after the handshake, so the
        // refusal comes at the bind; under TLS 1.2, at the connection.
        let refused = |r: utmost_testkit::Resp| {
            assert_eq!(r.status, 500, "{}", r.body);
            let id = r.body["id"].as_str().unwrap_or_default();
            assert!(
                ["ent.ldap.do_login.unable_to_connect.app_error", "ent.ldap.do_login.bind_admin_user.app_error"]
                    .contains(&id),
                "{}",
                r.body
            );
        };
        refused(basic.admin.post("/ldap/test", json!({})).await);

        let (certificate, key) = ldap.client_certificate();
        let (public, private) = ("/ldap/certificate/public", "/ldap/certificate/private");
        // Only a certificate and a key are taken, each for its own place.
        upload_certificate(&basic.admin, public, &key)
            .await
            .expect_error(400, "api.admin.ldap.certificate.invalid.app_error");
        upload_certificate(&basic.admin, private, b"not a key")
            .await
            .expect_error(400, "api.admin.ldap.certificate.invalid.app_error");
        upload_certificate(&basic.admin, public, &certificate).await.expect(200);
        // One file alone is not an identity.
        refused(basic.admin.post("/ldap/test", json!({})).await);
        upload_certificate(&basic.admin, private, &key).await.expect(200);
        let config = basic.admin.get("/config").await.expect(200).body;
        assert_eq!(config["LdapSettings"]["PublicCertificateFile"], "ldap-public.crt");
        assert_eq!(config["LdapSettings"]["PrivateKeyFile"], "ldap-private.key");
        basic.admin.post("/ldap/test", json!({})).await.expect(200);
        let (alice, _) = signed_in(&server, "alice", "alice-pw").await;
        assert_eq!(alice["username"], "alice");
        // StartTLS presents it too.
        configure(&server, |c| {
            c.ldap_settings.connection_security = "STARTTLS".into();
            c.ldap_settings.ldap_port = i64::from(ldap.port);
        });
        basic.admin.post("/ldap/test", json!({})).await.expect(200);

        for (path, permission_holder_only) in [(public, &certificate), (private, &key)] {
            upload_certificate(&basic.client, path, permission_holder_only)
                .await
                .expect_error(403, "api.context.permissions.app_error");
            upload_certificate(&server.client(), path, permission_holder_only).await.expect(401);
            basic.client.delete(path).await.expect_error(403, "api.context.permissions.app_error");
            server.client().delete(path).await.expect(401);
        }
        basic.admin.post("/ldap/test", json!({})).await.expect(200);

        basic.admin.delete(private).await.expect(200);
        let config = basic.admin.get("/config").await.expect(200).body;
        assert_eq!(config["LdapSettings"]["PrivateKeyFile"], "");
        refused(basic.admin.post("/ldap/test", json!({})).await);
        // Removing what is already gone is no error.
        basic.admin.delete(private).await.expect(200);
        basic.admin.delete(public).await.expect(200);
    }
);

dual_db_test!(
    async fn password_accounts_migrate_to_the_directory(server) {
        let basic = server.init_basic().await;
        let Some(_ldap) = directory(&server, |_| {}).await else { return };
        let (dave, _) = server.create_user(Some(&basic.admin), "dave").await;
        let migrate = |force: bool| json!({"from": "email", "match_field": "email", "force": force});

        // Without force, the accounts the directory lacks stop the migration: nothing moves.
        basic
            .admin
            .post("/users/migrate_auth/ldap", migrate(false))
            .await
            .expect_error(500, "api.migrate_to_saml.error");
        assert_eq!(user(&basic.admin, &id(&dave)).await["auth_service"], "");
        basic
            .admin
            .post("/users/migrate_auth/ldap", json!({"from": "nowhere", "match_field": "email", "force": true}))
            .await
            .expect_error(400, "api.context.invalid_body_param.app_error");

        basic.admin.post("/users/migrate_auth/ldap", migrate(true)).await.expect(200);
        assert_eq!(user(&basic.admin, &id(&dave)).await["auth_service"], "ldap");
        assert_eq!(user(&basic.admin, basic.user_id()).await["auth_service"], "");
        // Dave signs in with the directory's password now, and no more with the old one.
        let (signed, _) = signed_in(&server, "dave", "dave-pw").await;
        assert_eq!(signed["id"], dave["id"]);
        server
            .client()
            .post("/users/login", json!({"login_id": "dave", "password": PASSWORD}))
            .await
            .expect_error(401, "ent.ldap.do_login.invalid_password.app_error");
    }
);

/// The `auth_data` the store holds for `user_id` (the API never shows it).
async fn auth_data(server: &TestServer, user_id: &str) -> String {
    utmost_store::users::get(&server.app.store, user_id)
        .await
        .unwrap()
        .expect("the account")
        .auth_data
}

dual_db_test!(
    async fn the_accounts_move_to_another_id_attribute_and_keep_signing_in(server) {
        let basic = server.init_basic().await;
        let Some(ldap) = directory(&server, |_| {}).await else { return };
        let (alice, _) = signed_in(&server, "alice", "alice-pw").await;
        let (bob, _) = signed_in(&server, "bob", "bob-pw").await;
        let alice_uuid = auth_data(&server, &id(&alice)).await;
        ldap.replace("alice", "employeeNumber", "E-1001");
        ldap.replace("bob", "employeeNumber", "E-1001");
        let migrate = |to: &str| json!({"toAttribute": to});

        // Two entries with one value would make two accounts one: refused, nothing moves.
        basic
            .admin
            .post("/ldap/migrateid", migrate("employeeNumber"))
            .await
            .expect_error(400, "ent.ldap_id_migrate.app_error");
        assert_eq!(auth_data(&server, &id(&alice)).await, alice_uuid);
        // Only an attribute's name reaches the search filter.
        basic
            .admin
            .post("/ldap/migrateid", migrate("uid)(cn=*"))
            .await
            .expect_error(400, "ent.ldap_id_migrate.app_error");
        basic
            .admin
            .post("/ldap/migrateid", json!({"toAttribute": ""}))
            .await
            .expect_error(400, "api.context.invalid_body_param.app_error");

        ldap.replace("bob", "employeeNumber", "E-1002");
        basic.admin.post("/ldap/migrateid", migrate("employeeNumber")).await.expect(200);
        assert_eq!(auth_data(&server, &id(&alice)).await, "E-1001");
        assert_eq!(auth_data(&server, &id(&bob)).await, "E-1002");
        let config = basic.admin.get("/config").await.expect(200).body;
        assert_eq!(config["LdapSettings"]["IdAttribute"], "employeeNumber");
        // Signing in and a sync find the same accounts by the new attribute.
        let (again, _) = signed_in(&server, "alice", "alice-pw").await;
        assert_eq!(again["id"], alice["id"]);
        sync(&basic.admin).await;
        assert_eq!(user(&basic.admin, &id(&bob)).await["delete_at"], 0);
        // The same attribute again changes nothing.
        basic.admin.post("/ldap/migrateid", migrate("employeeNumber")).await.expect(200);

        basic
            .client
            .post("/ldap/migrateid", migrate("uid"))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        server.client().post("/ldap/migrateid", migrate("uid")).await.expect(401);
        assert_eq!(auth_data(&server, &id(&alice)).await, "E-1001");
    }
);

dual_db_test!(
    async fn only_admins_reach_the_ldap_routes(server) {
        let basic = server.init_basic().await;
        let forbidden = "api.context.permissions.app_error";
        for (path, body) in [
            ("/ldap/test", json!({})),
            ("/ldap/sync", json!({})),
            ("/users/migrate_auth/ldap", json!({"from": "email", "match_field": "email", "force": true})),
        ] {
            basic.client.post(path, body.clone()).await.expect_error(403, forbidden);
            server.client().post(path, body).await.expect(401);
        }
        // Before it is configured, the admin learns that AD/LDAP is off.
        basic.admin.post("/ldap/test", json!({})).await.expect_error(501, "ent.ldap.disabled.app_error");
        basic
            .admin
            .post("/users/migrate_auth/ldap", json!({"from": "email", "match_field": "email", "force": true}))
            .await
            .expect_error(501, "ent.ldap.disabled.app_error");
        ldap_login(&server, "alice", "alice-pw")
            .await
            .expect_error(501, "api.user.login_ldap.not_available.app_error");
        // Nothing changed for the non-admin's account.
        assert_eq!(user(&basic.admin, basic.user_id()).await["auth_service"], "");
    }
);

dual_db_test!(
    async fn the_directorys_groups_are_listed_a_page_at_a_time(server) {
        let basic = server.init_basic().await;
        basic.admin.get("/ldap/groups").await.expect_error(501, "ent.ldap.disabled.app_error");
        let Some(_ldap) = directory(&server, |c| {
            c.ldap_settings.group_filter = "(objectClass=groupOfNames)".into();
            c.ldap_settings.group_display_name_attribute = "cn".into();
            c.ldap_settings.group_id_attribute = "entryUUID".into();
        })
        .await
        else {
            return;
        };
        basic
            .client
            .get("/ldap/groups")
            .await
            .expect_error(403, "api.context.permissions.app_error");
        let all = basic.admin.get("/ldap/groups").await.expect(200).body;
        assert_eq!(all["count"], 2, "{all}");
        let names: Vec<&str> = all["groups"].as_array().unwrap().iter().map(|g| g["name"].as_str().unwrap()).collect();
        assert_eq!(names, ["admins", "developers"]);
        let first = &all["groups"][0];
        assert_eq!(first["mattermost_group_id"], "");
        assert_eq!(first["has_syncables"], false);
        assert_eq!(first["primary_key"].as_str().unwrap().len(), 36, "{first}");

        let page = basic.admin.get("/ldap/groups?page=1&per_page=1").await.expect(200).body;
        assert_eq!(page["count"], 2);
        assert_eq!(page["groups"][0]["name"], "developers");
        let found = basic.admin.get("/ldap/groups?q=DEV").await.expect(200).body;
        assert_eq!(found["count"], 1, "{found}");
        assert_eq!(found["groups"][0]["name"], "developers");
        let none = basic.admin.get("/ldap/groups?q=*)(cn=*").await.expect(200).body;
        assert_eq!(none["count"], 0, "{none}");
    }
);

dual_db_test!(
    async fn the_schedule_starts_a_sync_when_enable_sync_is_on(server) {
        let Some(ldap) = LdapServer::start().await else { return };
        // A server started with sync on: the schedule's first look finds no sync yet.
        let scheduled = TestServer::start_with(server.kind, |c| ldap.configure(c)).await;
        let deadline = Instant::now() + Duration::from_secs(20);
        let job = loop {
            let jobs = utmost_store::jobs::list(&scheduled.app.store, &["ldap_sync"], None, 0, 10).await.unwrap();
            if let Some(job) = jobs.into_iter().find(|j| j.status == "success") {
                break job;
            }
            assert!(Instant::now() < deadline, "no scheduled AD/LDAP sync ran");
            tokio::time::sleep(Duration::from_millis(100)).await;
        };
        assert_eq!(job.data.get("entries").map(String::as_str), Some("4"), "{job:?}");
        // One job: the next is due after SyncIntervalMinutes (60 here).
        let all = utmost_store::jobs::list(&scheduled.app.store, &["ldap_sync"], None, 0, 10).await.unwrap();
        assert_eq!(all.len(), 1);
        // With sync off (the other server), none.
        assert!(utmost_store::jobs::list(&server.app.store, &["ldap_sync"], None, 0, 10).await.unwrap().is_empty());
    }
);

/// A `width × height` JPEG of one colour.
fn jpeg(width: u32, height: u32, colour: [u8; 3]) -> Vec<u8> {
    let mut out = Vec::new();
    image::RgbImage::from_pixel(width, height, image::Rgb(colour))
        .write_to(
            &mut std::io::Cursor::new(&mut out),
            image::ImageFormat::Jpeg,
        )
        .unwrap();
    out
}

/// The centre pixel of the picture served for `user_id`, and its size.
async fn picture(client: &Client, user_id: &str) -> ((u32, u32), [u8; 4]) {
    let bytes = client
        .http
        .get(format!("{}/api/v4/users/{user_id}/image", client.base))
        .bearer_auth(client.token.as_deref().unwrap())
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let image = image::load_from_memory(&bytes).unwrap().to_rgba8();
    (image.dimensions(), image.get_pixel(64, 64).0)
}

dual_db_test!(
    async fn the_picture_attribute_becomes_the_profile_picture_at_sign_in(server) {
        let Some(ldap) = directory(&server, |c| c.ldap_settings.picture_attribute = "jpegPhoto".into()).await
        else {
            return;
        };
        ldap.replace_binary("bob", "jpegPhoto", &jpeg(256, 160, [0, 160, 0]));
        let (bob, client) = signed_in(&server, "bob", "bob-pw").await;
        let bob_id = id(&bob);
        let ((w, h), centre) = picture(&client, &bob_id).await;
        assert_eq!((w, h), (128, 128));
        assert!(centre[1] > 140 && centre[0] < 30, "green: {centre:?}");
        let first = client.get("/users/me").await.expect(200).body["last_picture_update"].clone();
        assert!(first.as_i64().unwrap() > 0);

        // The same picture again changes nothing; a new one in the directory is taken.
        signed_in(&server, "bob", "bob-pw").await;
        assert_eq!(client.get("/users/me").await.expect(200).body["last_picture_update"], first);
        ldap.replace_binary("bob", "jpegPhoto", &jpeg(64, 64, [0, 0, 200]));
        signed_in(&server, "bob", "bob-pw").await;
        let (_, centre) = picture(&client, &bob_id).await;
        assert!(centre[2] > 170 && centre[1] < 30, "blue: {centre:?}");
        assert_ne!(client.get("/users/me").await.expect(200).body["last_picture_update"], first);

        // What is not an image is logged and the sign-in goes on with the picture it had.
        ldap.replace_binary("bob", "jpegPhoto", b"\xff\xd8 not really a jpeg");
        signed_in(&server, "bob", "bob-pw").await;
        let (_, centre) = picture(&client, &bob_id).await;
        assert!(centre[2] > 170, "still blue: {centre:?}");
    }
);
