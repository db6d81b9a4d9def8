//! Incoming webhooks: `POST /hooks/{id}` with Mattermost's and Slack's payloads (JSON and
//! `payload=` form), its refusals with Mattermost's ids, the overrides under their
//! settings, the channel lock, a creator who lost the channel, and `/hooks/incoming`'s
//! management with an outsider test for every route.

use crate::posts_support::newest_posts;
use crate::support::{configure, id};
use crate::webhooks_support::{grant, make_team_admin, send_hook, send_json};
use serde_json::{json, Value};
use utmost_testkit::{dual_db_test, Basic, Client};

async fn create_hook(client: &Client, body: Value) -> Value {
    client.post("/hooks/incoming", body).await.expect(201).body
}

async fn newest(basic: &Basic, channel_id: &str) -> Value {
    newest_posts(&basic.admin, channel_id).await[0].clone()
}

async fn new_channel(client: &Client, team_id: &str, name: &str, kind: &str) -> Value {
    client
        .post(
            "/channels",
            json!({"team_id": team_id, "name": name, "display_name": name, "type": kind}),
        )
        .await
        .expect(201)
        .body
}

/// Slack's own example of a message attachment (api.slack.com, "Attaching content and
/// links to messages"), with an announcement and a Slack link in the text.
fn slack_example() -> Value {
    json!({
        "text": "<!channel> see <https://api.slack.com/|the docs>",
        "attachments": [{
            "fallback": "Required plain-text summary of the attachment.",
            "color": "#36a64f",
            "pretext": "Optional text that appears above the attachment block",
            "author_name": "Bobby Tables",
            "author_link": "http://flickr.com/bobby/",
            "author_icon": "http://flickr.com/icons/bobby.jpg",
            "title": "Slack API Documentation",
            "title_link": "https://api.slack.com/",
            "text": "Optional text that appears within the <https://slack.com|attachment>",
            "fields": [
                {"title": "Priority", "value": "High", "short": false},
                {"title": "Count", "value": 3, "short": "true"}
            ],
            "image_url": "http://my-website.com/path/to/image.jpg",
            "thumb_url": "http://example.com/path/to/thumb.png",
            "footer": "Slack API",
            "footer_icon": "https://platform.slack-edge.com/img/default_application_icon.png",
            "ts": 123456789
        }]
    })
}

dual_db_test!(
    async fn mattermost_and_slack_payloads_are_posted(server) {
        let basic = server.init_basic().await;
        let hook = create_hook(
            &basic.admin,
            json!({"channel_id": basic.channel_id(), "display_name": "CI", "description": "builds"}),
        )
        .await;
        assert_eq!(hook["user_id"], basic.admin_user["id"]);
        assert_eq!(hook["team_id"], basic.team_id());
        assert_eq!(hook["channel_locked"], false);
        assert_eq!(hook["delete_at"], 0);

        // Mattermost's payload, as JSON.
        let ok = send_json(
            &server,
            &id(&hook),
            json!({"text": "build **green**", "props": {"card": "details", "from_webhook": "no"}}),
        )
        .await
        .expect(200);
        assert_eq!(ok.text, "ok");
        assert!(ok.header("content-type").starts_with("text/plain"));
        let post = newest(&basic, basic.channel_id()).await;
        assert_eq!(post["message"], "build **green**");
        assert_eq!(post["user_id"], basic.admin_user["id"]);
        assert_eq!(post["type"], "");
        assert_eq!(post["props"]["from_webhook"], "true");
        assert_eq!(post["props"]["webhook_display_name"], "CI");
        assert_eq!(post["props"]["card"], "details");
        // Overrides are off by default: no override props at all.
        assert_eq!(post["props"].get("override_username"), None);

        // Slack's payload, as a `payload=` form field.
        let form = format!(
            "payload={}",
            url_encode(&slack_example().to_string())
        );
        send_hook(&server, &id(&hook), "application/x-www-form-urlencoded", form)
            .await
            .expect(200);
        let post = newest(&basic, basic.channel_id()).await;
        assert_eq!(post["message"], "@channel see [the docs](https://api.slack.com/)");
        assert_eq!(post["type"], "slack_attachment");
        let attachment = &post["props"]["attachments"][0];
        assert_eq!(attachment["color"], "#36a64f");
        assert_eq!(attachment["pretext"], "Optional text that appears above the attachment block");
        assert_eq!(attachment["title"], "Slack API Documentation");
        assert_eq!(attachment["title_link"], "https://api.slack.com/");
        assert_eq!(
            attachment["text"],
            "Optional text that appears within the [attachment](https://slack.com)"
        );
        assert_eq!(
            attachment["fields"],
            json!([
                {"title": "Priority", "value": "High", "short": false},
                {"title": "Count", "value": "3", "short": true}
            ])
        );
        assert_eq!(attachment["ts"], 123456789);
        assert_eq!(attachment["footer"], "Slack API");

        // `<@id>` becomes the user's name.
        send_json(&server, &id(&hook), json!({"text": format!("hi <@{}>", basic.user_id())}))
            .await
            .expect(200);
        assert_eq!(newest(&basic, basic.channel_id()).await["message"], "hi @basicuser");
    }
);

fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

dual_db_test!(
    async fn bad_requests_get_mattermost_errors(server) {
        let basic = server.init_basic().await;
        let hook = create_hook(&basic.admin, json!({"channel_id": basic.channel_id()})).await;
        let hook_id = id(&hook);
        send_hook(&server, &hook_id, "application/json", "{not json".into())
            .await
            .expect_error(400, "model.incoming_hook.parse_data.app_error");
        send_hook(&server, &hook_id, "application/x-www-form-urlencoded", "text=hi".into())
            .await
            .expect_error(400, "model.incoming_hook.parse_data.app_error");
        send_json(&server, &hook_id, json!({"username": "x"}))
            .await
            .expect_error(400, "web.incoming_webhook.text.app_error");
        send_json(&server, "abcdefghijklmnopqrstuvwxyz", json!({"text": "x"}))
            .await
            .expect_error(400, "web.incoming_webhook.invalid.app_error");
        send_json(&server, &hook_id, json!({"text": "x", "type": "system_join_channel"}))
            .await
            .expect_error(400, "api.context.invalid_body_param.app_error");
        send_json(&server, &hook_id, json!({"text": "x", "channel": "#no-such-channel"}))
            .await
            .expect_error(404, "web.incoming_webhook.channel.app_error");
        send_json(&server, &hook_id, json!({"text": "x", "channel": "@nobody-here"}))
            .await
            .expect_error(400, "web.incoming_webhook.user.app_error");
        // Raw newlines inside strings are accepted, as Mattermost escapes them.
        send_hook(&server, &hook_id, "application/json", "{\"text\": \"two\nlines\"}".into())
            .await
            .expect(200);
        assert_eq!(newest(&basic, basic.channel_id()).await["message"], "two\nlines");
        // A deleted hook is no hook.
        basic
            .admin
            .delete(&format!("/hooks/incoming/{hook_id}"))
            .await
            .expect(200);
        send_json(&server, &hook_id, json!({"text": "x"}))
            .await
            .expect_error(400, "web.incoming_webhook.invalid.app_error");
        let other = create_hook(&basic.admin, json!({"channel_id": basic.channel_id()})).await;
        configure(&server, |c| c.service_settings.enable_incoming_webhooks = false);
        send_json(&server, &id(&other), json!({"text": "x"}))
            .await
            .expect_error(501, "web.incoming_webhook.disabled.app_error");
        basic
            .admin
            .post("/hooks/incoming", json!({"channel_id": basic.channel_id()}))
            .await
            .expect_error(501, "api.incoming_webhook.disabled.app_error");
    }
);

dual_db_test!(
    async fn a_changed_hook_posts_as_changed_at_once(server) {
        let basic = server.init_basic().await;
        let other = new_channel(&basic.admin, basic.team_id(), "moved-here", "O").await;
        let hook = create_hook(
            &basic.admin,
            json!({"channel_id": basic.channel_id(), "username": "first-name"}),
        )
        .await;
        configure(&server, |c| c.service_settings.enable_post_username_override = true);
        send_json(&server, &id(&hook), json!({"text": "before"})).await.expect(200);
        assert_eq!(newest(&basic, basic.channel_id()).await["message"], "before");

        let path = format!("/hooks/incoming/{}", id(&hook));
        basic
            .admin
            .put(&path, json!({"id": id(&hook), "channel_id": id(&other), "username": "second-name"}))
            .await
            .expect(201); // Mattermost answers an update of an incoming hook with 201
        send_json(&server, &id(&hook), json!({"text": "after"})).await.expect(200);
        let moved = newest(&basic, &id(&other)).await;
        assert_eq!(moved["message"], "after");
        assert_eq!(moved["props"]["override_username"], "second-name");
        assert_eq!(newest(&basic, basic.channel_id()).await["message"], "before");
    }
);

dual_db_test!(
    async fn overrides_follow_their_settings(server) {
        let basic = server.init_basic().await;
        let hook = create_hook(
            &basic.admin,
            json!({"channel_id": basic.channel_id(), "username": "hookname", "icon_url": "http://example.com/i.png"}),
        )
        .await;
        // Off: the hook's overrides are not kept, a request's are ignored.
        assert_eq!(hook["username"], "");
        assert_eq!(hook["icon_url"], "");
        send_json(
            &server,
            &id(&hook),
            json!({"text": "a", "username": "bot", "icon_url": "http://example.com/b.png", "icon_emoji": "ghost"}),
        )
        .await
        .expect(200);
        let props = newest(&basic, basic.channel_id()).await["props"].clone();
        assert_eq!(props.get("override_username"), None);
        assert_eq!(props.get("override_icon_url"), None);
        assert_eq!(props.get("override_icon_emoji"), None);

        configure(&server, |c| {
            c.service_settings.enable_post_username_override = true;
            c.service_settings.enable_post_icon_override = true;
        });
        send_json(
            &server,
            &id(&hook),
            json!({"text": "b", "username": "bot", "icon_url": "http://example.com/b.png", "icon_emoji": "ghost"}),
        )
        .await
        .expect(200);
        let props = newest(&basic, basic.channel_id()).await["props"].clone();
        assert_eq!(props["override_username"], "bot");
        assert_eq!(props["override_icon_url"], "http://example.com/b.png");
        assert_eq!(props["override_icon_emoji"], "ghost");
        assert_eq!(props["from_webhook"], "true");
        // Without a name the post shows Mattermost's default one.
        send_json(&server, &id(&hook), json!({"text": "c"})).await.expect(200);
        let props = newest(&basic, basic.channel_id()).await["props"].clone();
        assert_eq!(props["override_username"], "webhook");
        assert_eq!(props.get("override_icon_url"), None);
        // The hook's own override, kept now that the setting is on, is the fallback.
        let named = create_hook(
            &basic.admin,
            json!({"channel_id": basic.channel_id(), "username": "hookname", "icon_url": "http://example.com/i.png"}),
        )
        .await;
        assert_eq!(named["username"], "hookname");
        send_json(&server, &id(&named), json!({"text": "d"})).await.expect(200);
        let props = newest(&basic, basic.channel_id()).await["props"].clone();
        assert_eq!(props["override_username"], "hookname");
        assert_eq!(props["override_icon_url"], "http://example.com/i.png");
        basic
            .admin
            .post(
                "/hooks/incoming",
                json!({"channel_id": basic.channel_id(), "username": "Not Valid!"}),
            )
            .await
            .expect_error(400, "api.incoming_webhook.invalid_username.app_error");
    }
);

dual_db_test!(
    async fn a_locked_hook_posts_only_to_its_channel(server) {
        let basic = server.init_basic().await;
        let other = new_channel(&basic.admin, basic.team_id(), "other-channel", "O").await;
        // Without `bypass_incoming_webhook_channel_lock` a hook is locked whatever it asks.
        grant(&basic.admin, "team_user", "manage_incoming_webhooks").await;
        let forced = create_hook(
            &basic.client,
            json!({"channel_id": basic.channel_id(), "channel_locked": false}),
        )
        .await;
        assert_eq!(forced["channel_locked"], true);
        assert_eq!(forced["user_id"], basic.user["id"]);
        for target in ["#other-channel", "other-channel", "@basicuser2"] {
            send_json(&server, &id(&forced), json!({"text": "x", "channel": target}))
                .await
                .expect_error(403, "web.incoming_webhook.channel_locked.app_error");
        }
        // Naming its own channel is fine.
        send_json(&server, &id(&forced), json!({"text": "own", "channel": "basic-channel"}))
            .await
            .expect(200);
        assert_eq!(newest(&basic, basic.channel_id()).await["message"], "own");

        // An admin may leave a hook unlocked: it then posts where the request says.
        let free = create_hook(
            &basic.admin,
            json!({"channel_id": basic.channel_id(), "channel_locked": false}),
        )
        .await;
        assert_eq!(free["channel_locked"], false);
        send_json(&server, &id(&free), json!({"text": "moved", "channel": "#other-channel"}))
            .await
            .expect(200);
        assert_eq!(newest(&basic, &id(&other)).await["message"], "moved");
        send_json(&server, &id(&free), json!({"text": "direct", "channel": "@basicuser2"}))
            .await
            .expect(200);
        let dm = basic
            .admin
            .post("/channels/direct", json!([basic.admin_user["id"], basic.user2["id"]]))
            .await
            .body;
        let posts = newest_posts(&basic.client2, &id(&dm)).await;
        assert_eq!(posts[0]["message"], "direct");
        assert_eq!(posts[0]["props"]["from_webhook"], "true");

        // A locked admin hook refuses too.
        let locked = create_hook(
            &basic.admin,
            json!({"channel_id": basic.channel_id(), "channel_locked": true}),
        )
        .await;
        send_json(&server, &id(&locked), json!({"text": "x", "channel": "#other-channel"}))
            .await
            .expect_error(403, "web.incoming_webhook.channel_locked.app_error");
    }
);

dual_db_test!(
    async fn a_hook_whose_creator_lost_the_channel_is_refused(server) {
        let basic = server.init_basic().await;
        grant(&basic.admin, "team_user", "manage_incoming_webhooks").await;
        let private_id = id(&basic.private_channel);
        let hook = create_hook(&basic.client, json!({"channel_id": private_id})).await;
        send_json(&server, &id(&hook), json!({"text": "while a member"}))
            .await
            .expect(200);
        assert_eq!(newest(&basic, &private_id).await["message"], "while a member");
        basic
            .admin
            .delete(&format!("/channels/{private_id}/members/{}", basic.user_id()))
            .await
            .expect(200);
        send_json(&server, &id(&hook), json!({"text": "after leaving"}))
            .await
            .expect_error(403, "web.incoming_webhook.permissions.app_error");
        let posts = newest_posts(&basic.admin, &private_id).await;
        assert!(posts.iter().all(|p| p["message"] != "after leaving"));
        // Nor can an outsider make a hook into a private channel it cannot read.
        basic
            .client
            .post("/hooks/incoming", json!({"channel_id": private_id}))
            .await
            .expect_error(403, "api.context.permissions.app_error");
    }
);

dual_db_test!(
    async fn management_needs_the_permissions_and_other_teams_stay_hidden(server) {
        let basic = server.init_basic().await;
        let hook = create_hook(&basic.admin, json!({"channel_id": basic.channel_id()})).await;
        let hook_id = id(&hook);
        let path = format!("/hooks/incoming/{hook_id}");
        let team_list = format!("/hooks/incoming?team_id={}", basic.team_id());

        // A team member without `manage_incoming_webhooks`: every route is 403.
        let user = &basic.client;
        user.post("/hooks/incoming", json!({"channel_id": basic.channel_id()}))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        user.get(&team_list).await.expect_error(403, "api.context.permissions.app_error");
        user.get("/hooks/incoming").await.expect_error(403, "api.context.permissions.app_error");
        user.get(&path).await.expect_error(403, "api.context.permissions.app_error");
        user.put(&path, json!({"id": hook_id, "channel_id": basic.channel_id()}))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        user.delete(&path).await.expect_error(403, "api.context.permissions.app_error");
        // Anonymous: 401.
        server.client().get(&path).await.expect(401);

        // A team admin manages others' hooks of the team...
        make_team_admin(&basic.admin, basic.team_id(), basic.user2_id()).await;
        let admin2 = &basic.client2;
        let listed = admin2.get(&team_list).await.expect(200).body;
        assert_eq!(listed.as_array().unwrap().len(), 1);
        let counted = admin2
            .get(&format!("{team_list}&include_total_count=true"))
            .await
            .expect(200)
            .body;
        assert_eq!(counted["total_count"], 1);
        assert_eq!(counted["incoming_webhooks"][0]["id"], hook_id.as_str());
        admin2.get(&path).await.expect(200);
        let updated = admin2
            .put(
                &path,
                json!({"id": hook_id, "channel_id": basic.channel_id(), "display_name": "renamed", "channel_locked": true}),
            )
            .await
            .expect(201)
            .body;
        assert_eq!(updated["display_name"], "renamed");
        assert_eq!(updated["user_id"], basic.admin_user["id"]);
        admin2
            .put(&path, json!({"id": "abcdefghijklmnopqrstuvwxyz", "channel_id": basic.channel_id()}))
            .await
            .expect_error(400, "api.context.invalid_body_param.app_error");

        // ...but another team's hook is out of reach, and out of its lists.
        let team_two = basic.second_team().await;
        let far = new_channel(&basic.admin, &team_two, "far-channel", "O").await;
        let far_hook = create_hook(&basic.admin, json!({"channel_id": id(&far)})).await;
        let far_path = format!("/hooks/incoming/{}", id(&far_hook));
        admin2.get(&far_path).await.expect_error(403, "api.context.permissions.app_error");
        admin2
            .put(&far_path, json!({"id": id(&far_hook), "channel_id": id(&far)}))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        admin2.delete(&far_path).await.expect_error(403, "api.context.permissions.app_error");
        admin2
            .get(&format!("/hooks/incoming?team_id={team_two}"))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        let mine = admin2.get(&team_list).await.expect(200).body;
        assert!(mine.as_array().unwrap().iter().all(|h| h["team_id"] == basic.team_id()));
        // Moving a hook to another team's channel is refused.
        basic
            .admin
            .put(&path, json!({"id": hook_id, "channel_id": id(&far)}))
            .await
            .expect_error(400, "api.context.invalid_body_param.app_error");
        // The system admin sees both teams' hooks.
        let all = basic.admin.get("/hooks/incoming").await.expect(200).body;
        assert_eq!(all.as_array().unwrap().len(), 2);
        // Deleting: 200 once, then 404.
        admin2.delete(&path).await.expect(200);
        admin2.get(&path).await.expect_error(404, "app.webhooks.get_incoming.app_error");
    }
);
