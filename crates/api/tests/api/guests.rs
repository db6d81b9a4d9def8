//! Guest accounts: invitations by email (through a real SMTP capture server) and the guest
//! sign-up they lead to, promotion and demotion, and what a guest may see: only their
//! channels and the people in them.

use crate::posts_support::create_post;
use crate::search_posts::{order, search, wait_indexed};
use crate::support::{configure, id, PASSWORD};
use serde_json::{json, Value};
use utmost_testkit::smtp::SmtpServer;
use utmost_testkit::ws::WsClient;
use utmost_testkit::{dual_db_test, Basic, Client, TestServer};

fn guests_on(server: &TestServer) {
    configure(server, |c| c.guest_accounts_settings.enable = true);
}

fn usernames(users: &Value) -> Vec<String> {
    let mut names: Vec<String> = users
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["username"].as_str().unwrap().to_string())
        .collect();
    names.sort();
    names
}

/// The channel of the basic team named `name`, as the admin sees it.
async fn channel_named(b: &Basic, name: &str) -> Value {
    b.admin
        .get(&format!("/teams/{}/channels/name/{name}", b.team_id()))
        .await
        .expect(200)
        .body
}

/// `gus`, demoted to a guest of the basic team whose only channel is Basic Channel. His
/// client logged in before the demotion, so it also shows that sessions follow.
async fn guest_in_basic_channel(server: &TestServer, b: &Basic) -> (Value, Client) {
    guests_on(server);
    let (gus, client) = server.create_user(Some(&b.admin), "gus").await;
    let gus_id = id(&gus);
    let team_id = b.team_id();
    b.admin
        .post(
            &format!("/teams/{team_id}/members"),
            json!({"team_id": team_id, "user_id": gus_id}),
        )
        .await
        .expect(201);
    b.admin
        .post(&format!("/users/{gus_id}/demote"), json!({}))
        .await
        .expect(200);
    for default in ["town-square", "off-topic"] {
        let channel = channel_named(b, default).await;
        b.admin
            .delete(&format!("/channels/{}/members/{gus_id}", id(&channel)))
            .await
            .expect(200);
    }
    b.client
        .post(
            &format!("/channels/{}/members", b.channel_id()),
            json!({"user_id": gus_id}),
        )
        .await
        .expect(201);
    (gus, client)
}

dual_db_test!(
    async fn a_guest_invitation_signs_up_a_guest_in_exactly_the_team_and_channels(server) {
        let b = server.init_basic().await;
        let Some(smtp) = SmtpServer::start().await else {
            return;
        };
        configure(&server, |c| smtp.configure(c));
        let path = format!("/teams/{}/invite-guests/email", b.team_id());
        let invitee = "visitor@partner.example";
        let body = json!({"emails": [invitee], "channels": [b.channel_id()], "message": "Welcome aboard"});
        b.admin
            .post(&path, body.clone())
            .await
            .expect_error(501, "api.team.invite_guests_to_channels.disabled.error");
        guests_on(&server);
        configure(&server, |c| c.service_settings.enable_email_invitations = true);
        // Only who holds invite_guest in the team (not a plain member, nobody outside).
        b.client
            .post(&path, body.clone())
            .await
            .expect_error(403, "api.context.permissions.app_error");
        server.client().post(&path, body.clone()).await.expect(401);
        b.admin
            .post(&path, json!({"emails": [], "channels": [b.channel_id()]}))
            .await
            .expect_error(400, "model.guest.is_valid.emails.app_error");
        b.admin
            .post(&path, json!({"emails": ["nope"], "channels": [b.channel_id()]}))
            .await
            .expect_error(400, "model.guest.is_valid.email.app_error");
        b.admin
            .post(&path, json!({"emails": [invitee], "channels": []}))
            .await
            .expect_error(400, "model.guest.is_valid.channels.app_error");
        // A channel of another team is refused.
        let other_team = b.second_team().await;
        let elsewhere = b
            .admin
            .get(&format!("/teams/{other_team}/channels/name/town-square"))
            .await
            .expect(200)
            .body;
        b.admin
            .post(&path, json!({"emails": [invitee], "channels": [id(&elsewhere)]}))
            .await
            .expect_error(400, "api.team.invite_guests.channel_in_invalid_team.app_error");
        // GuestAccountsSettings.RestrictCreationToDomains bounds the addresses.
        configure(&server, |c| {
            c.guest_accounts_settings.restrict_creation_to_domains = "partner.example".into();
        });
        b.admin
            .post(&path, json!({"emails": ["someone@elsewhere.example"], "channels": [b.channel_id()]}))
            .await
            .expect_error(400, "api.team.invite_members.invalid_email.app_error");
        b.admin.post(&path, body).await.expect(200);

        let sent = smtp.wait_for(invitee, 1).await;
        assert!(sent[0].subject.contains("as a guest"), "{}", sent[0].subject);
        assert!(sent[0].text.contains("Welcome aboard"), "the message is quoted");
        assert!(sent[0].text.contains("Basic Channel"), "the channels are named");
        let link = sent[0]
            .link("http://utmost.test/signup_user_complete/?d=")
            .expect("the invitation link");
        let token = link.split("t=").nth(1).unwrap().split('&').next().unwrap().to_string();
        let anon = server.client();
        let signup = |email: &str| json!({"username": "visitor", "email": email, "password": PASSWORD});
        // With guest accounts off, or email guests not allowed, the link does nothing.
        configure(&server, |c| c.guest_accounts_settings.enable = false);
        anon.post(&format!("/users?t={token}"), signup(invitee))
            .await
            .expect_error(400, "api.user.create_user.guest_accounts.disabled.app_error");
        configure(&server, |c| {
            c.guest_accounts_settings.enable = true;
            c.guest_accounts_settings.allow_email_accounts = false;
        });
        anon.post(&format!("/users?t={token}"), signup(invitee))
            .await
            .expect_error(400, "api.user.create_user.guest_accounts.email_disabled.app_error");
        configure(&server, |c| c.guest_accounts_settings.allow_email_accounts = true);
        anon.post(&format!("/users?t={token}"), signup("visitor@other.example"))
            .await
            .expect_error(400, "api.user.create_user.bad_token_email_data.app_error");
        let guest = anon
            .post(&format!("/users?t={token}"), signup(invitee))
            .await
            .expect(201)
            .body;
        assert_eq!(guest["roles"], json!("system_guest"));
        assert_eq!(guest["email_verified"], json!(true));
        let guest_id = id(&guest);
        let member = b
            .admin
            .get(&format!("/teams/{}/members/{guest_id}", b.team_id()))
            .await
            .expect(200)
            .body;
        assert_eq!(member["scheme_guest"], json!(true));
        assert_eq!(member["scheme_user"], json!(false));
        // Exactly the invitation's channel: no Town Square, no Off-Topic.
        let visitor = anon.login("visitor", PASSWORD).await;
        let channels = visitor
            .get(&format!("/users/me/teams/{}/channels", b.team_id()))
            .await
            .expect(200)
            .body;
        let ids: Vec<String> = channels.as_array().unwrap().iter().map(id).collect();
        assert_eq!(ids, [b.channel_id().to_string()]);
        let channel_member = b
            .admin
            .get(&format!("/channels/{}/members/{guest_id}", b.channel_id()))
            .await
            .expect(200)
            .body;
        assert_eq!(channel_member["scheme_guest"], json!(true));
        // The token was used up.
        anon.post(&format!("/users?t={token}"), signup(invitee))
            .await
            .expect_error(404, "api.user.create_user.signup_link_invalid.app_error");
    }
);

dual_db_test!(
    async fn demotion_and_promotion_change_roles_memberships_and_live_sessions(server) {
        let b = server.init_basic().await;
        let user_id = b.user_id().to_string();
        let demote = format!("/users/{user_id}/demote");
        let promote = format!("/users/{user_id}/promote");
        b.admin
            .post(&demote, json!({}))
            .await
            .expect_error(501, "api.team.demote_user_to_guest.disabled.error");
        guests_on(&server);
        // Outsiders: a plain user may neither demote nor promote; nobody anonymous.
        b.client2
            .post(&demote, json!({}))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        b.client2
            .post(&promote, json!({}))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        server.client().post(&demote, json!({})).await.expect(401);
        server.client().post(&promote, json!({})).await.expect(401);
        b.admin
            .post(&promote, json!({}))
            .await
            .expect_error(501, "api.user.promote_guest_to_user.no_guest.app_error");
        // Before: basicuser may list the team's public channels.
        let list = format!("/teams/{}/channels", b.team_id());
        b.client.get(&list).await.expect(200);

        b.admin.post(&demote, json!({})).await.expect(200);
        // The session opened before the demotion carries the guest roles at once.
        let me = b.client.get("/users/me").await.expect(200).body;
        assert_eq!(me["roles"], json!("system_guest"));
        b.client
            .get(&list)
            .await
            .expect_error(403, "api.context.permissions.app_error");
        let sessions = b
            .admin
            .get(&format!("/users/{user_id}/sessions"))
            .await
            .expect(200)
            .body;
        for session in sessions.as_array().unwrap() {
            assert_eq!(session["roles"], json!("system_guest"));
            assert_eq!(session["props"]["is_guest"], json!("true"));
        }
        // Every membership became a guest one; the public channel he was in is kept, as
        // Mattermost keeps it.
        let member = b
            .admin
            .get(&format!("/teams/{}/members/{user_id}", b.team_id()))
            .await
            .expect(200)
            .body;
        assert_eq!((member["scheme_guest"].clone(), member["scheme_user"].clone()), (json!(true), json!(false)));
        let channel_member = b
            .admin
            .get(&format!("/channels/{}/members/{user_id}", b.channel_id()))
            .await
            .expect(200)
            .body;
        assert_eq!(channel_member["scheme_guest"], json!(true));
        assert_eq!(channel_member["scheme_admin"], json!(false), "the creator's admin is gone");
        b.admin
            .post(&demote, json!({}))
            .await
            .expect_error(501, "api.user.demote_user_to_guest.already_guest.app_error");

        b.admin.post(&promote, json!({})).await.expect(200);
        let me = b.client.get("/users/me").await.expect(200).body;
        assert_eq!(me["roles"], json!("system_user"));
        b.client.get(&list).await.expect(200);
        let channel_member = b
            .admin
            .get(&format!("/channels/{}/members/{user_id}", b.channel_id()))
            .await
            .expect(200)
            .body;
        assert_eq!(
            (channel_member["scheme_guest"].clone(), channel_member["scheme_user"].clone()),
            (json!(false), json!(true))
        );
        // A demoted admin loses system_admin.
        let admin_id = id(&b.admin_user);
        let (other, other_admin) = server.create_user(Some(&b.admin), "otheradmin").await;
        b.admin
            .put(
                &format!("/users/{}/roles", id(&other)),
                json!({"roles": "system_user system_admin"}),
            )
            .await
            .expect(200);
        other_admin
            .post(&format!("/users/{admin_id}/demote"), json!({}))
            .await
            .expect(200);
        let demoted = other_admin
            .get(&format!("/users/{admin_id}"))
            .await
            .expect(200)
            .body;
        assert_eq!(demoted["roles"], json!("system_guest"));
    }
);

dual_db_test!(
    async fn a_guest_sees_only_their_channels_and_the_people_in_them(server) {
        let b = server.init_basic().await;
        let (_gus, guest) = guest_in_basic_channel(&server, &b).await;
        // A user in no team and no channel with anyone.
        let (loner, _) = server.create_user(Some(&b.admin), "loner").await;
        let team_id = b.team_id();
        let admin_id = id(&b.admin_user);
        let in_channel = ["basicuser", "basicuser2", "gus"];

        // People: GET /users, in the team or not, /users/ids, /users/{id}, by username,
        // search and autocomplete all stop at the channel's members.
        let all = guest.get("/users?per_page=200").await.expect(200).body;
        assert_eq!(usernames(&all), in_channel);
        let in_team = guest
            .get(&format!("/users?in_team={team_id}&per_page=200"))
            .await
            .expect(200)
            .body;
        assert_eq!(usernames(&in_team), in_channel);
        // A regular member of the team sees the admin and the team's members.
        let seen_by_member = b
            .client
            .get(&format!("/users?in_team={team_id}&per_page=200"))
            .await
            .expect(200)
            .body;
        assert!(usernames(&seen_by_member).contains(&"sysadmin".to_string()));
        let by_ids = guest
            .post("/users/ids", json!([admin_id, b.user_id(), id(&loner)]))
            .await
            .expect(200)
            .body;
        assert_eq!(usernames(&by_ids), ["basicuser"]);
        guest
            .get(&format!("/users/{admin_id}"))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        guest
            .get("/users/username/sysadmin")
            .await
            .expect_error(403, "api.context.permissions.app_error");
        guest.get(&format!("/users/{}", b.user_id())).await.expect(200);
        let searched = guest
            .post("/users/search", json!({"term": "sysadmin"}))
            .await
            .expect(200)
            .body;
        assert_eq!(usernames(&searched), Vec::<String>::new());
        let searched = guest
            .post("/users/search", json!({"term": "basic", "team_id": team_id}))
            .await
            .expect(200)
            .body;
        assert_eq!(usernames(&searched), ["basicuser", "basicuser2"]);
        let auto = guest
            .get(&format!("/users/autocomplete?in_team={team_id}&name=sys"))
            .await
            .expect(200)
            .body;
        assert_eq!(usernames(&auto["users"]), Vec::<String>::new());
        let stats = guest.get("/users/stats").await.expect(200).body;
        assert_eq!(stats["total_users_count"], json!(3));

        // Channels: no listing, autocomplete or joining of public channels; a search finds
        // only their own.
        guest
            .get(&format!("/teams/{team_id}/channels"))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        guest
            .get(&format!("/teams/{team_id}/channels/autocomplete?name=off"))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        let found = guest
            .post(&format!("/teams/{team_id}/channels/search"), json!({"term": "o"}))
            .await
            .expect(200)
            .body;
        assert!(found.as_array().unwrap().is_empty(), "{found}");
        let found = guest
            .post(&format!("/teams/{team_id}/channels/search"), json!({"term": "basic"}))
            .await
            .expect(200)
            .body;
        let ids: Vec<String> = found.as_array().unwrap().iter().map(id).collect();
        assert_eq!(ids, [b.channel_id().to_string()]);
        let off_topic = channel_named(&b, "off-topic").await;
        guest
            .post(
                &format!("/channels/{}/members", id(&off_topic)),
                json!({"user_id": id(&_gus)}),
            )
            .await
            .expect_error(403, "api.context.permissions.app_error");
        guest
            .get(&format!("/channels/{}/posts", id(&off_topic)))
            .await
            .expect_error(403, "api.context.permissions.app_error");
    }
);

dual_db_test!(
    async fn a_guest_searches_only_their_channels_even_when_public_ones_are_searchable(server) {
        let b = server.init_basic().await;
        let (_, guest) = guest_in_basic_channel(&server, &b).await;
        configure(&server, |c| {
            c.elasticsearch_settings
                .enable_search_public_channels_without_membership = true;
        });
        let team_id = b.team_id();
        let town_square = channel_named(&b, "town-square").await;
        let outside = create_post(&b.admin, &id(&town_square), "zebra outside").await;
        let inside = create_post(&b.client, b.channel_id(), "zebra inside").await;
        wait_indexed(&b.client, team_id, b.channel_id()).await;
        let terms = json!({"terms": "zebra"});
        // The admin is not in Basic Channel, yet finds both: public channels are searchable.
        let mut both = order(&search(&b.admin, team_id, terms.clone()).await);
        both.sort();
        let mut expected = vec![id(&outside), id(&inside)];
        expected.sort();
        assert_eq!(both, expected);
        assert_eq!(order(&search(&guest, team_id, terms).await), [id(&inside)]);
    }
);

/// The events before and including the first `user_updated`, as they came.
async fn until_user_updated(ws: &mut WsClient) -> Vec<Value> {
    let mut seen = Vec::new();
    loop {
        let event = ws.next().await;
        let done = event["event"] == "user_updated";
        seen.push(event);
        if done {
            return seen;
        }
    }
}

fn named(events: &[Value], name: &str) -> usize {
    events.iter().filter(|e| e["event"] == name).count()
}

dual_db_test!(
    async fn a_guest_hears_only_of_the_people_they_may_see(server) {
        let b = server.init_basic().await;
        let (_, guest) = guest_in_basic_channel(&server, &b).await;
        let (mut guest_ws, _) =
            WsClient::connect_ready(&server, guest.token.as_deref().unwrap()).await;
        let (mut member_ws, _) =
            WsClient::connect_ready(&server, b.client2.token.as_deref().unwrap()).await;
        // A new account and the admin's new nickname: the guest may see neither.
        server.create_user(Some(&b.admin), "newcomer").await;
        b.admin
            .put("/users/me/patch", json!({"nickname": "boss"}))
            .await
            .expect(200);
        // A channel peer's new nickname: the guest sees it.
        b.client
            .put("/users/me/patch", json!({"nickname": "peer"}))
            .await
            .expect(200);
        let heard = until_user_updated(&mut guest_ws).await;
        assert_eq!(named(&heard, "new_user"), 0, "{heard:?}");
        let update = heard.last().unwrap();
        assert_eq!(update["data"]["user"]["username"], json!("basicuser"));
        assert_eq!(update["data"]["user"]["nickname"], json!("peer"));
        // A regular member hears of all three.
        let heard = until_user_updated(&mut member_ws).await;
        assert_eq!(named(&heard, "new_user"), 1, "{heard:?}");
        assert_eq!(heard.last().unwrap()["data"]["user"]["username"], json!("sysadmin"));
        let update = member_ws.next_event("user_updated").await;
        assert_eq!(update["data"]["user"]["username"], json!("basicuser"));
    }
);

dual_db_test!(
    async fn a_signed_in_guest_joins_the_team_and_channels_of_a_guest_invitation(server) {
        let b = server.init_basic().await;
        let Some(smtp) = SmtpServer::start().await else {
            return;
        };
        configure(&server, |c| {
            smtp.configure(c);
            c.service_settings.enable_email_invitations = true;
        });
        guests_on(&server);
        let other_team = b.second_team().await;
        let channel = b
            .admin
            .post(
                "/channels",
                json!({"team_id": other_team, "name": "partners", "display_name": "Partners", "type": "P"}),
            )
            .await
            .expect(201)
            .body;
        let (guest, guest_client) = server.create_user(Some(&b.admin), "visitor").await;
        b.admin.post(&format!("/users/{}/demote", id(&guest)), json!({})).await.expect(200);
        let (_, member_client) = server.create_user(Some(&b.admin), "regular").await;
        let invitee = guest["email"].as_str().unwrap();
        b.admin
            .post(
                &format!("/teams/{other_team}/invite-guests/email"),
                json!({"emails": [invitee], "channels": [id(&channel)]}),
            )
            .await
            .expect(200);
        let sent = smtp.wait_for(invitee, 1).await;
        let link = sent[0]
            .link("http://utmost.test/signup_user_complete/?d=")
            .expect("the invitation link");
        let token = link.split("t=").nth(1).unwrap().split('&').next().unwrap().to_string();
        let join = format!("/teams/members/invite?token={token}");

        // A guest invitation is not for a member.
        member_client
            .post(&join, json!({}))
            .await
            .expect_error(400, "api.user.create_user.invalid_invitation_type.app_error");
        let member = guest_client.post(&join, json!({})).await.expect(201).body;
        assert_eq!(member["team_id"], json!(other_team));
        assert_eq!(member["scheme_guest"], json!(true));
        let channels = guest_client
            .get(&format!("/users/me/teams/{other_team}/channels"))
            .await
            .expect(200)
            .body;
        let ids: Vec<String> = channels.as_array().unwrap().iter().map(id).collect();
        assert_eq!(ids, [id(&channel)], "exactly the invitation's channel");
        guest_client
            .post(&join, json!({}))
            .await
            .expect_error(400, "api.user.create_user.signup_link_invalid.app_error");
    }
);
