//! Who may sign up and how: the open server, the domain restrictions, a team's invite link
//! (`?iid=`, joining with it, regenerating it), email verification before login, and the
//! custom terms of service.

use crate::support::{configure, id, PASSWORD};
use serde_json::{json, Value};
use utmost_testkit::dual_db_test;

fn new_user(username: &str, email: &str) -> Value {
    json!({"username": username, "email": email, "password": PASSWORD})
}

dual_db_test!(
    async fn sign_up_follows_the_open_server_and_the_domain_restrictions(server) {
        let b = server.init_basic().await;
        let anon = server.client();
        anon.post("/users", new_user("walkin", "walkin@example.com"))
            .await
            .expect_error(403, "api.user.create_user.no_open_server");
        configure(&server, |c| {
            c.team_settings.enable_open_server = true;
            c.team_settings.restrict_creation_to_domains = "corp.example, @partner.example".into();
        });
        anon.post("/users", new_user("walkin", "walkin@example.com"))
            .await
            .expect_error(400, "api.user.create_user.accepted_domain.app_error");
        // The restriction binds an admin too (Mattermost's CreateUser).
        b.admin
            .post("/users", new_user("walkin", "walkin@example.com"))
            .await
            .expect_error(400, "api.user.create_user.accepted_domain.app_error");
        anon.post("/users", new_user("walkin", "walkin@PARTNER.example"))
            .await
            .expect(201);
        configure(&server, |c| c.team_settings.enable_user_creation = false);
        anon.post("/users", new_user("late", "late@corp.example"))
            .await
            .expect_error(501, "api.user.create_user.disabled.app_error");
    }
);

dual_db_test!(
    async fn an_invite_link_signs_up_and_joins_until_it_is_regenerated(server) {
        let b = server.init_basic().await;
        let team_id = b.team_id().to_string();
        let invite_id = b.team["invite_id"].as_str().unwrap().to_string();
        assert_eq!(invite_id.len(), 26);
        let anon = server.client();
        // What the sign-up page shows, without a session.
        let info = anon
            .get(&format!("/teams/invite/{invite_id}"))
            .await
            .expect(200)
            .body;
        assert_eq!(info["name"], json!("basic-team"));
        assert_eq!(info["id"], json!(team_id));
        assert!(info.get("invite_id").is_none() && info.get("email").is_none());
        anon.get("/teams/invite/nope")
            .await
            .expect_error(400, "api.context.invalid_url_param.app_error");
        anon.get(&format!("/teams/invite/{}", utmost_model::new_id()))
            .await
            .expect_error(404, "app.team.get_by_invite_id.finding.app_error");

        // The server is not open, yet the link lets a sign-up in, into the team.
        let joined = anon
            .post(&format!("/users?iid={invite_id}"), new_user("linked", "linked@example.com"))
            .await
            .expect(201)
            .body;
        b.admin
            .get(&format!("/teams/{team_id}/members/{}", id(&joined)))
            .await
            .expect(200);
        // The team's allowed domains bind the link.
        b.admin
            .put(&format!("/teams/{team_id}/patch"), json!({"allowed_domains": "corp.example"}))
            .await
            .expect(200);
        anon.post(&format!("/users?iid={invite_id}"), new_user("blocked", "blocked@example.com"))
            .await
            .expect_error(403, "api.team.invite_members.invalid_email.app_error");
        b.admin
            .put(&format!("/teams/{team_id}/patch"), json!({"allowed_domains": ""}))
            .await
            .expect(200);

        // An existing account joins with the link; a guest may not.
        let (_, walker) = server.create_user(Some(&b.admin), "walker").await;
        walker
            .post("/teams/members/invite", json!({}))
            .await
            .expect_error(400, "api.team.add_user_to_team.missing_parameter.app_error");
        let member = walker
            .post(&format!("/teams/members/invite?invite_id={invite_id}"), json!({}))
            .await
            .expect(201)
            .body;
        assert_eq!(member["team_id"], json!(team_id));
        configure(&server, |c| c.guest_accounts_settings.enable = true);
        let (guest, guest_client) = server.create_user(Some(&b.admin), "guesty").await;
        b.admin
            .post(&format!("/users/{}/demote", id(&guest)), json!({}))
            .await
            .expect(200);
        guest_client
            .post(&format!("/teams/members/invite?invite_id={invite_id}"), json!({}))
            .await
            .expect_error(403, "api.team.add_user_to_team_from_invite.guest.app_error");
        server
            .client()
            .post(&format!("/teams/members/invite?invite_id={invite_id}"), json!({}))
            .await
            .expect(401);

        // Regenerating needs manage_team; the old link stops working.
        let regenerate = format!("/teams/{team_id}/regenerate_invite_id");
        b.client
            .post(&regenerate, json!({}))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        server.client().post(&regenerate, json!({})).await.expect(401);
        let team = b.admin.post(&regenerate, json!({})).await.expect(200).body;
        let fresh = team["invite_id"].as_str().unwrap();
        assert_ne!(fresh, invite_id);
        anon.post(&format!("/users?iid={invite_id}"), new_user("stale", "stale@example.com"))
            .await
            .expect_error(404, "app.team.get_by_invite_id.finding.app_error");
        anon.post(&format!("/users?iid={fresh}"), new_user("fresh", "fresh@example.com"))
            .await
            .expect(201);
    }
);

dual_db_test!(
    async fn an_unverified_address_cannot_log_in_when_verification_is_required(server) {
        let _b = server.init_basic().await;
        configure(&server, |c| {
            c.team_settings.enable_open_server = true;
            c.email_settings.require_email_verification = true;
        });
        let anon = server.client();
        let user = anon
            .post("/users", new_user("unverified", "unverified@example.com"))
            .await
            .expect(201)
            .body;
        assert_eq!(user["email_verified"], json!(false));
        anon.post("/users/login", json!({"login_id": "unverified", "password": PASSWORD}))
            .await
            .expect_error(401, "api.user.login.not_verified.app_error");
        configure(&server, |c| c.email_settings.require_email_verification = false);
        anon.login("unverified", PASSWORD).await;
    }
);

dual_db_test!(
    async fn terms_of_service_are_written_by_an_admin_and_accepted_or_rejected(server) {
        let b = server.init_basic().await;
        server.client().get("/terms_of_service").await.expect(401);
        b.client
            .get("/terms_of_service")
            .await
            .expect_error(404, "app.terms_of_service.get.no_rows.app_error");
        // Only an admin (manage_system) writes them.
        b.client
            .post("/terms_of_service", json!({"text": "Be kind."}))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        server
            .client()
            .post("/terms_of_service", json!({"text": "Be kind."}))
            .await
            .expect(401);
        b.admin
            .post("/terms_of_service", json!({"text": ""}))
            .await
            .expect_error(400, "api.create_terms_of_service.empty_text.app_error");
        let first = b
            .admin
            .post("/terms_of_service", json!({"text": "Be kind."}))
            .await
            .expect(200)
            .body;
        assert_eq!(first["text"], json!("Be kind."));
        assert_eq!(first["user_id"], json!(id(&b.admin_user)));
        // The same text again is the same version; a new text a new one.
        let again = b
            .admin
            .post("/terms_of_service", json!({"text": "Be kind."}))
            .await
            .expect(200)
            .body;
        assert_eq!(again["id"], first["id"]);
        let second = b
            .admin
            .post("/terms_of_service", json!({"text": "Be kind. Be brief."}))
            .await
            .expect(200)
            .body;
        assert_ne!(second["id"], first["id"]);
        let latest = b.client.get("/terms_of_service").await.expect(200).body;
        assert_eq!(latest["id"], second["id"]);

        // A user accepts or rejects for themself.
        let mine = "/users/me/terms_of_service";
        server.client().get(mine).await.expect(401);
        b.client
            .get(mine)
            .await
            .expect_error(404, "app.user_terms_of_service.get_by_user.no_rows.app_error");
        b.client
            .post(mine, json!({"termsOfServiceId": utmost_model::new_id(), "accepted": true}))
            .await
            .expect_error(404, "app.terms_of_service.get.no_rows.app_error");
        b.client
            .post(mine, json!({"termsOfServiceId": second["id"]}))
            .await
            .expect_error(400, "api.context.invalid_body_param.app_error");
        server
            .client()
            .post(mine, json!({"termsOfServiceId": second["id"], "accepted": true}))
            .await
            .expect(401);
        b.client
            .post(mine, json!({"termsOfServiceId": second["id"], "accepted": true}))
            .await
            .expect(200);
        let accepted = b.client.get(mine).await.expect(200).body;
        assert_eq!(accepted["terms_of_service_id"], second["id"]);
        assert_eq!(accepted["user_id"], json!(b.user_id()));
        // With custom terms off, profiles do not carry them (and cost no read).
        let me = b.client.get("/users/me").await.expect(200).body;
        assert!(me.get("terms_of_service_id").is_none());
        // With them on, the user's own profile (and an admin's view of it) carries the
        // accepted version.
        configure(&server, |c| c.support_settings.custom_terms_of_service_enabled = true);
        let me = b.client.get("/users/me").await.expect(200).body;
        assert_eq!(me["terms_of_service_id"], second["id"]);
        assert_eq!(me["terms_of_service_create_at"], accepted["create_at"]);
        let seen_by_admin = b.admin.get(&format!("/users/{}", b.user_id())).await.expect(200).body;
        assert_eq!(seen_by_admin["terms_of_service_id"], second["id"]);
        let seen_by_peer = b.client2.get(&format!("/users/{}", b.user_id())).await.expect(200).body;
        assert!(seen_by_peer.get("terms_of_service_id").is_none());
        configure(&server, |c| c.support_settings.custom_terms_of_service_enabled = false);
        // Naming someone else in the path still records the caller's own decision.
        b.client2
            .post(
                &format!("/users/{}/terms_of_service", b.user_id()),
                json!({"termsOfServiceId": second["id"], "accepted": false}),
            )
            .await
            .expect(200);
        assert_eq!(
            b.client.get(mine).await.expect(200).body["terms_of_service_id"],
            second["id"]
        );
        b.client
            .post(mine, json!({"termsOfServiceId": second["id"], "accepted": false}))
            .await
            .expect(200);
        b.client.get(mine).await.expect(404);

        // The clients learn whether to show them.
        let config = b.client.get("/config/client?format=old").await.expect(200).body;
        assert_eq!(config["EnableCustomTermsOfService"], json!("false"));
        configure(&server, |c| c.support_settings.custom_terms_of_service_enabled = true);
        let config = b.client.get("/config/client?format=old").await.expect(200).body;
        assert_eq!(config["EnableCustomTermsOfService"], json!("true"));
        assert_eq!(config["CustomTermsOfServiceReAcceptancePeriod"], json!("365"));
    }
);
