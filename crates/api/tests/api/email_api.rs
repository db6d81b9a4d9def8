//! Email against a real SMTP capture server (aiosmtpd, `testkit::smtp`): password reset
//! through the emailed link, email verification, team invitations and the sign-up they lead
//! to, the test email, post notices (once, batched) and an SMTP outage that loses nothing.

use serde_json::{json, Value};
use std::time::Duration;
use utmost_config::Config;
use utmost_testkit::smtp::SmtpServer;
use utmost_testkit::{dual_db_test, TestServer};

const NEW_PASSWORD: &str = "NewPassword-5678";

/// A capture server with the app's email settings pointed at it, after `adjust`.
async fn mail(server: &TestServer, adjust: impl FnOnce(&mut Config)) -> Option<SmtpServer> {
    let smtp = SmtpServer::start().await?;
    let mut config = (*server.app.config()).clone();
    smtp.configure(&mut config);
    adjust(&mut config);
    server.app.set_config(config);
    Some(smtp)
}

/// The token of a link's `name=` query parameter.
fn query_param(link: &str, name: &str) -> String {
    let start = link.find(&format!("{name}=")).expect("parameter in link") + name.len() + 1;
    link[start..].split('&').next().unwrap_or("").to_string()
}

fn email_of(user: &Value) -> String {
    user["email"].as_str().unwrap_or("").to_string()
}

/// How many emails wait in the outbox, and the most attempts one had.
async fn outbox(server: &TestServer) -> (i64, i32) {
    utmost_store::email_outbox::pending(&server.app.store)
        .await
        .unwrap()
}

/// Waits until the outbox is empty: a delivered email leaves it just after the server's 250.
async fn assert_outbox_drains(server: &TestServer) {
    for _ in 0..50 {
        if outbox(server).await.0 == 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the outbox kept {:?}", outbox(server).await);
}

/// Posts `message`, which mentions basicuser, as `client` in `channel_id`: the notification
/// dispatcher decides basicuser (offline, emails on) gets its email.
async fn post_and_notify(
    client: &utmost_testkit::Client,
    channel_id: &str,
    message: &str,
) -> String {
    assert!(
        message.contains("@basicuser "),
        "the notices go to basicuser, who is mentioned"
    );
    let post = client
        .post(
            "/posts",
            json!({"channel_id": channel_id, "message": message}),
        )
        .await
        .expect(201)
        .body;
    let post_id = post["id"].as_str().unwrap();
    post_id.to_string()
}

dual_db_test!(
    async fn password_reset_works_end_to_end_through_the_emailed_link(server) {
        let b = server.init_basic().await;
        let Some(smtp) = mail(&server, |_| {}).await else {
            return;
        };
        let anon = server.client();
        let email = email_of(&b.user);
        // An unknown address answers the same and sends nothing.
        anon.post(
            "/users/password/reset/send",
            json!({"email": "nobody@example.com"}),
        )
        .await
        .expect(200);
        anon.post("/users/password/reset/send", json!({"email": email.to_uppercase()}))
            .await
            .expect(200);
        let sent = smtp.wait_for(&email, 1).await;
        let reset = &sent[0];
        assert_eq!(reset.content_type, "multipart/alternative");
        assert!(reset.from.contains("noreply@utmost.test"), "{}", reset.from);
        assert!(reset.subject.contains("Reset your password"), "{}", reset.subject);
        let link = reset
            .link("http://utmost.test/reset_password_complete?token=")
            .expect("the reset link in the text part");
        assert!(reset.html.contains(&link), "the HTML part carries the link too");
        let token = query_param(&link, "token");
        assert_eq!(token.len(), 64);
        // The table holds the token hashed, and the sent email left the outbox.
        assert!(utmost_store::tokens::get(&server.app.store, &token)
            .await
            .unwrap()
            .is_none());
        assert_outbox_drains(&server).await;

        anon.post("/users/password/reset", json!({"token": "short", "new_password": NEW_PASSWORD}))
            .await
            .expect_error(400, "api.context.invalid_body_param.app_error");
        anon.post("/users/password/reset", json!({"token": token, "new_password": "x"}))
            .await
            .expect(400);
        anon.post("/users/password/reset", json!({"token": token, "new_password": NEW_PASSWORD}))
            .await
            .expect(200);
        // One use only; the old session ended; the new password works; the user was told.
        anon.post("/users/password/reset", json!({"token": token, "new_password": NEW_PASSWORD}))
            .await
            .expect_error(400, "api.user.reset_password.invalid_link.app_error");
        b.client
            .get("/users/me")
            .await
            .expect_error(401, "api.context.session_expired.app_error");
        anon.login("basicuser", NEW_PASSWORD).await;
        let sent = smtp.wait_for(&email, 2).await;
        assert!(sent[1].subject.contains("password has been updated"), "{}", sent[1].subject);
    }
);

dual_db_test!(
    async fn a_verification_link_lets_an_unverified_user_log_in(server) {
        let b = server.init_basic().await;
        let Some(smtp) = mail(&server, |c| {
            c.email_settings.require_email_verification = true;
            c.team_settings.enable_open_server = true;
        })
        .await
        else {
            return;
        };
        let anon = server.client();
        anon.post(
            "/users",
            json!({"username": "newbie", "email": "newbie@example.com", "password": NEW_PASSWORD}),
        )
        .await
        .expect(201);
        anon.post("/users/login", json!({"login_id": "newbie", "password": NEW_PASSWORD}))
            .await
            .expect_error(401, "api.user.login.not_verified.app_error");
        anon.post("/users/email/verify/send", json!({"email": "nobody@example.com"}))
            .await
            .expect(200);
        // Signing up sent the first link; asking again sends another.
        smtp.wait_for("newbie@example.com", 1).await;
        anon.post("/users/email/verify/send", json!({"email": "newbie@example.com"}))
            .await
            .expect(200);
        let sent = smtp.wait_for("newbie@example.com", 2).await;
        let link = sent[1]
            .link("http://utmost.test/do_verify_email?token=")
            .expect("the verification link");
        assert!(link.contains("email=newbie%40example.com"), "{link}");
        let token = query_param(&link, "token");
        anon.post("/users/email/verify", json!({"token": "x".repeat(64)}))
            .await
            .expect_error(400, "api.user.verify_email.bad_link.app_error");
        anon.post("/users/email/verify", json!({"token": token}))
            .await
            .expect(200);
        anon.post("/users/email/verify", json!({"token": token}))
            .await
            .expect_error(400, "api.user.verify_email.bad_link.app_error");
        let me = anon.login("newbie", NEW_PASSWORD).await;
        assert_eq!(me.get("/users/me").await.expect(200).body["email_verified"], json!(true));
        // Nothing was sent to the address nobody has, nor to anyone else.
        assert_eq!(smtp.messages().len(), 2);
        drop(b);
    }
);

dual_db_test!(
    async fn a_team_invitation_email_leads_to_a_sign_up_into_the_team(server) {
        let b = server.init_basic().await;
        let Some(smtp) = mail(&server, |_| {}).await else {
            return;
        };
        let path = format!("/teams/{}/invite/email", b.team_id());
        let invitee = "new.person@example.com";
        b.client
            .post(&path, json!([invitee]))
            .await
            .expect_error(501, "api.team.invite_members.disabled.app_error");
        let mut config = (*server.app.config()).clone();
        config.service_settings.enable_email_invitations = true;
        server.app.set_config(config);
        // Someone outside the team may not invite into it.
        let (_, outsider) = server.create_user(Some(&b.admin), "outsider").await;
        outsider
            .post(&path, json!([invitee]))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        server.client().post(&path, json!([invitee])).await.expect(401);
        b.client
            .post(&path, json!([]))
            .await
            .expect_error(400, "api.context.invalid_body_param.app_error");
        b.client.post(&path, json!([invitee])).await.expect(200);

        let sent = smtp.wait_for(invitee, 1).await;
        assert!(sent[0].subject.contains("Basic Team"), "{}", sent[0].subject);
        let link = sent[0]
            .link("http://utmost.test/signup_user_complete/?d=")
            .expect("the invitation link");
        let token = query_param(&link, "t");
        let anon = server.client();
        let signup = |email: &str| json!({"username": "newperson", "email": email, "password": NEW_PASSWORD});
        anon.post(&format!("/users?t={token}"), signup("other@example.com"))
            .await
            .expect_error(400, "api.user.create_user.bad_token_email_data.app_error");
        // The server is not open: the invitation is what lets this sign-up in.
        let user = anon
            .post(&format!("/users?t={token}"), signup(invitee))
            .await
            .expect(201)
            .body;
        assert_eq!(user["email_verified"], json!(true));
        b.admin
            .get(&format!("/teams/{}/members/{}", b.team_id(), user["id"].as_str().unwrap()))
            .await
            .expect(200);
        anon.post(&format!("/users?t={token}"), signup(invitee))
            .await
            .expect_error(404, "api.user.create_user.signup_link_invalid.app_error");
    }
);

dual_db_test!(
    async fn the_test_email_reaches_the_admin_and_reports_an_smtp_failure(server) {
        let b = server.init_basic().await;
        let Some(mut smtp) = mail(&server, |_| {}).await else {
            return;
        };
        server
            .client()
            .post("/email/test", json!({}))
            .await
            .expect(401);
        b.client
            .post("/email/test", json!({}))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        b.admin.post("/email/test", json!({})).await.expect(200);
        let sent = smtp.wait_for(&email_of(&b.admin_user), 1).await;
        assert!(sent[0].subject.contains("Test email"), "{}", sent[0].subject);
        b.admin
            .post("/email/test", json!({"EmailSettings": {"SMTPServer": ""}}))
            .await
            .expect_error(400, "api.admin.test_email.missing_server");
        smtp.stop();
        b.admin
            .post("/email/test", json!({}))
            .await
            .expect_error(500, "app.admin.test_email.failure");
    }
);

dual_db_test!(
    async fn a_mention_email_arrives_once_with_the_message_and_its_permalink(server) {
        let b = server.init_basic().await;
        let Some(smtp) = mail(&server, |_| {}).await else {
            return;
        };
        let message = "@basicuser have a look";
        let post_id =
            post_and_notify(&b.client2, b.channel_id(), message).await;
        let email = email_of(&b.user);
        let sent = smtp.wait_for(&email, 1).await;
        assert!(sent[0].subject.contains("Notification in Basic Team"), "{}", sent[0].subject);
        assert!(sent[0].text.contains(message), "{}", sent[0].text);
        let permalink = format!("http://utmost.test/basic-team/pl/{post_id}");
        assert!(sent[0].text.contains(&permalink), "{}", sent[0].text);
        tokio::time::sleep(Duration::from_secs(2)).await;
        assert_eq!(smtp.wait_for(&email, 1).await.len(), 1, "sent once");

        // Generic contents name the sender and leave the message out.
        let mut config = (*server.app.config()).clone();
        config.email_settings.email_notification_contents_type = "generic".into();
        server.app.set_config(config);
        post_and_notify(&b.client2, b.channel_id(), "@basicuser secret words").await;
        let sent = smtp.wait_for(&email, 2).await;
        assert!(!sent[1].text.contains("secret words"), "{}", sent[1].text);
        assert!(sent[1].text.contains("basicuser2"), "{}", sent[1].text);

        // A muted channel sends no email, mentions included.
        b.client
            .put(
                &format!("/channels/{}/members/me/notify_props", b.channel_id()),
                json!({"mark_unread": "mention"}),
            )
            .await
            .expect(200);
        post_and_notify(&b.client2, b.channel_id(), "@basicuser while muted").await;
        tokio::time::sleep(Duration::from_secs(2)).await;
        assert_eq!(smtp.messages().len(), 2, "nothing from the muted channel");
    }
);

dual_db_test!(
    async fn batching_collects_several_notices_into_one_digest(server) {
        let b = server.init_basic().await;
        let Some(smtp) = mail(&server, |c| {
            c.email_settings.enable_email_batching = true;
            c.email_settings.email_batching_interval = 1;
        })
        .await
        else {
            return;
        };
        // The user's interval: two seconds (the clients offer 900 and 3600; any works).
        b.client
            .put(
                "/users/me/preferences",
                json!([{"user_id": b.user_id(), "category": "notifications",
                        "name": "email_interval", "value": "2"}]),
            )
            .await
            .expect(200);
        for n in 1..=3 {
            let message = format!("@basicuser batched number {n}");
            post_and_notify(&b.client2, b.channel_id(), &message).await;
        }
        let email = email_of(&b.user);
        let sent = smtp.wait_for(&email, 1).await;
        for n in 1..=3 {
            assert!(sent[0].text.contains(&format!("batched number {n}")), "{}", sent[0].text);
        }
        tokio::time::sleep(Duration::from_secs(3)).await;
        assert_eq!(smtp.messages().len(), 1, "one digest for the three");

        // "Immediately" skips the batch.
        b.client
            .put(
                "/users/me/preferences",
                json!([{"user_id": b.user_id(), "category": "notifications",
                        "name": "email_interval", "value": "30"}]),
            )
            .await
            .expect(200);
        post_and_notify(&b.client2, b.channel_id(), "@basicuser right away").await;
        let sent = smtp.wait_for(&email, 2).await;
        assert!(sent[1].text.contains("right away"), "{}", sent[1].text);
    }
);

dual_db_test!(
    async fn an_smtp_outage_delays_the_email_and_loses_nothing(server) {
        let b = server.init_basic().await;
        let Some(mut smtp) = mail(&server, |_| {}).await else {
            return;
        };
        smtp.stop();
        post_and_notify(&b.client2, b.channel_id(), "@basicuser during the outage")
            .await;
        // The outbox keeps it and keeps trying while the server is down.
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        loop {
            let (waiting, attempts) = outbox(&server).await;
            assert_eq!(waiting, 1);
            if attempts >= 2 {
                break;
            }
            assert!(std::time::Instant::now() < deadline, "no retry was made");
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        smtp.resume().await;
        let sent = smtp.wait_for(&email_of(&b.user), 1).await;
        assert!(sent[0].text.contains("during the outage"), "{}", sent[0].text);
        assert_outbox_drains(&server).await;
    }
);

dual_db_test!(
    async fn a_signed_in_user_joins_a_team_through_an_emailed_invitation_once(server) {
        let b = server.init_basic().await;
        let Some(smtp) = mail(&server, |c| c.service_settings.enable_email_invitations = true).await
        else {
            return;
        };
        let (joiner, joiner_client) = server.create_user(Some(&b.admin), "joiner").await;
        let invitee = email_of(&joiner);
        b.admin
            .post(&format!("/teams/{}/invite/email", b.team_id()), json!([invitee]))
            .await
            .expect(200);
        let sent = smtp.wait_for(&invitee, 1).await;
        let link = sent[0]
            .link("http://utmost.test/signup_user_complete/?d=")
            .expect("the invitation link");
        let token = query_param(&link, "t");
        let join = |token: &str| format!("/teams/members/invite?token={token}");

        server.client().post(&join(&token), json!({})).await.expect(401);
        joiner_client
            .post("/teams/members/invite", json!({}))
            .await
            .expect_error(400, "api.team.add_user_to_team.missing_parameter.app_error");
        joiner_client
            .post(&join("not-a-token"), json!({}))
            .await
            .expect_error(400, "api.user.create_user.signup_link_invalid.app_error");
        // A guest may not use a member's invitation.
        let mut config = (*server.app.config()).clone();
        config.guest_accounts_settings.enable = true;
        server.app.set_config(config);
        let (guest, guest_client) = server.create_user(Some(&b.admin), "visitor").await;
        let guest_id = guest["id"].as_str().unwrap();
        b.admin.post(&format!("/users/{guest_id}/demote"), json!({})).await.expect(200);
        guest_client
            .post(&join(&token), json!({}))
            .await
            .expect_error(400, "api.user.create_user.invalid_invitation_type.app_error");

        let member = joiner_client.post(&join(&token), json!({})).await.expect(201).body;
        assert_eq!(member["team_id"], json!(b.team_id()));
        assert_eq!(member["user_id"], joiner["id"]);
        assert_eq!(member["scheme_user"], json!(true));
        // The invitation is used up.
        let (_, other) = server.create_user(Some(&b.admin), "latecomer").await;
        other
            .post(&join(&token), json!({}))
            .await
            .expect_error(400, "api.user.create_user.signup_link_invalid.app_error");
    }
);

dual_db_test!(
    async fn a_graceful_invitation_reports_each_address_and_sends_the_allowed_ones(server) {
        let b = server.init_basic().await;
        let Some(smtp) = mail(&server, |c| {
            c.service_settings.enable_email_invitations = true;
            c.team_settings.restrict_creation_to_domains = "example.com".into();
        })
        .await
        else {
            return;
        };
        let path = format!("/teams/{}/invite/email", b.team_id());
        let emails = json!(["welcome@example.com", "stranger@elsewhere.org"]);
        // Without graceful one refused address refuses the whole request.
        b.client
            .post(&path, emails.clone())
            .await
            .expect_error(400, "api.team.invite_members.invalid_email.app_error");
        let outcomes = b
            .client
            .post(&format!("{path}?graceful=true"), emails)
            .await
            .expect(200)
            .body;
        assert_eq!(outcomes.as_array().unwrap().len(), 2, "{outcomes}");
        let outcome = |email: &str| {
            outcomes
                .as_array()
                .unwrap()
                .iter()
                .find(|o| o["email"] == email)
                .cloned()
                .unwrap_or_else(|| panic!("no outcome for {email}: {outcomes}"))
        };
        assert_eq!(outcome("welcome@example.com")["error"], Value::Null);
        assert_eq!(
            outcome("stranger@elsewhere.org")["error"]["id"],
            "api.team.invite_members.invalid_email.app_error"
        );
        smtp.wait_for("welcome@example.com", 1).await;
        assert_eq!(assert_all_to(&smtp, "welcome@example.com"), 1);
    }
);

/// How many captured emails there are, each checked to be for `to`.
fn assert_all_to(smtp: &SmtpServer, to: &str) -> usize {
    let messages = smtp.messages();
    for message in &messages {
        assert!(message.to.contains(to), "an email for {}", message.to);
    }
    messages.len()
}
