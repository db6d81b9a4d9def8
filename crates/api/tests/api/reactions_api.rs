//! Reactions: save, list, bulk list, remove, their checks, and their WebSocket events.

use crate::posts_support::{create_post, newest_posts};
use crate::support::{configure, id};
use serde_json::{json, Value};
use std::time::Duration;
use utmost_testkit::ws::WsClient;
use utmost_testkit::{dual_db_test, Basic, Client};

const QUIET: Duration = Duration::from_millis(400);

fn reaction(user_id: &str, post_id: &str, emoji: &str) -> Value {
    json!({"user_id": user_id, "post_id": post_id, "emoji_name": emoji})
}

async fn react(client: &Client, user_id: &str, post_id: &str, emoji: &str) -> Value {
    client
        .post("/reactions", reaction(user_id, post_id, emoji))
        .await
        .expect(200)
        .body
}

async fn emoji_on(client: &Client, post_id: &str) -> Vec<(String, String)> {
    let list = client
        .get(&format!("/posts/{post_id}/reactions"))
        .await
        .expect(200)
        .body;
    list.as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let field = |k: &str| r[k].as_str().unwrap().to_string();
            (field("user_id"), field("emoji_name"))
        })
        .collect()
}

async fn get_post(basic: &Basic, post_id: &str) -> Value {
    basic
        .client
        .get(&format!("/posts/{post_id}"))
        .await
        .expect(200)
        .body
}

dual_db_test!(
    async fn reactions_are_saved_listed_and_removed(server) {
        let basic = server.init_basic().await;
        let post_id = id(&basic.post);
        let (user1, user2) = (basic.user_id().to_string(), basic.user2_id().to_string());
        let before = get_post(&basic, &post_id).await;
        assert!(before.get("has_reactions").is_none());

        let saved = react(&basic.client, &user1, &post_id, "smile").await;
        assert_eq!(saved["user_id"], user1.as_str());
        assert_eq!(saved["post_id"], post_id.as_str());
        assert_eq!(saved["emoji_name"], "smile");
        assert_eq!(saved["channel_id"], basic.channel_id());
        assert_eq!(saved["delete_at"], 0);
        let at = saved["create_at"].as_i64().unwrap();
        assert!(at >= before["update_at"].as_i64().unwrap());
        assert_eq!(saved["update_at"], at);

        // The post says it has reactions, updated when the reaction was saved.
        let post = get_post(&basic, &post_id).await;
        assert_eq!(post["has_reactions"], true);
        assert_eq!(post["update_at"], at);
        assert_eq!(post["metadata"]["reactions"], json!([saved]));
        let listed = newest_posts(&basic.client, basic.channel_id()).await;
        let in_list = listed.iter().find(|p| p["id"] == post_id.as_str()).unwrap();
        assert_eq!(in_list["metadata"]["reactions"], json!([saved]));
        let by_ids = basic.client.post("/posts/ids", json!([post_id])).await.expect(200);
        assert_eq!(by_ids.body[0]["metadata"]["reactions"], json!([saved]));
        let patched = basic
            .client
            .put(&format!("/posts/{post_id}/patch"), json!({"message": "edited"}))
            .await
            .expect(200);
        assert_eq!(patched.body["metadata"]["reactions"], json!([saved]));
        let at = patched.body["update_at"].as_i64().unwrap();

        react(&basic.client2, &user2, &post_id, "smile").await;
        react(&basic.client, &user1, &post_id, "+1").await;
        // Saving the same reaction again keeps one row.
        react(&basic.client, &user1, &post_id, "+1").await;
        let mut listed = emoji_on(&basic.client2, &post_id).await;
        listed.sort();
        let mut expected = vec![
            (user1.clone(), "smile".to_string()),
            (user2.clone(), "smile".to_string()),
            (user1.clone(), "+1".to_string()),
        ];
        expected.sort();
        assert_eq!(listed, expected);

        // Bulk: every named post, with [] for one without reactions.
        let other = create_post(&basic.client, basic.channel_id(), "no reactions").await;
        let bulk = basic
            .client
            .post("/posts/ids/reactions", json!([post_id, id(&other)]))
            .await
            .expect(200)
            .body;
        assert_eq!(bulk[&post_id].as_array().unwrap().len(), 3);
        assert_eq!(bulk[id(&other)], json!([]));
        basic.client.post("/posts/ids/reactions", json!([])).await.expect(200);

        // Removing: `me` names the caller; the post keeps has_reactions while any is left.
        basic
            .client
            .delete(&format!("/users/me/posts/{post_id}/reactions/+1"))
            .await
            .expect(200);
        basic
            .client
            .delete(&format!("/users/{user1}/posts/{post_id}/reactions/smile"))
            .await
            .expect(200);
        assert_eq!(get_post(&basic, &post_id).await["has_reactions"], true);
        basic
            .client2
            .delete(&format!("/users/me/posts/{post_id}/reactions/smile"))
            .await
            .expect(200);
        let after = get_post(&basic, &post_id).await;
        assert!(after.get("has_reactions").is_none());
        assert!(after["metadata"].get("reactions").is_none());
        assert!(after["update_at"].as_i64().unwrap() >= at);
        assert!(emoji_on(&basic.client, &post_id).await.is_empty());

        // A removed reaction can be saved again.
        react(&basic.client, &user1, &post_id, "smile").await;
        assert_eq!(emoji_on(&basic.client, &post_id).await.len(), 1);
    }
);

dual_db_test!(
    async fn a_path_with_repeated_slashes_is_sent_to_its_clean_form(server) {
        // mattermostdriver's get_reactions_of_post asks for /posts/{id}//reactions, which
        // Mattermost's router answers with a redirect to the clean path.
        let basic = server.init_basic().await;
        let post_id = id(&basic.post);
        let saved = react(&basic.client, basic.user_id(), &post_id, "smile").await;
        let no_redirects = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let moved = no_redirects
            .get(format!("{}/api/v4/posts/{post_id}//reactions?x=1", server.url))
            .send()
            .await
            .unwrap();
        assert_eq!(moved.status(), 301);
        assert_eq!(
            moved.headers()["location"],
            format!("/api/v4/posts/{post_id}/reactions?x=1").as_str()
        );
        let followed = basic
            .client
            .get(&format!("/posts/{post_id}//reactions"))
            .await
            .expect(200);
        assert_eq!(followed.body, json!([saved]));
    }
);

dual_db_test!(
    async fn reactions_are_checked(server) {
        let basic = server.init_basic().await;
        let post_id = id(&basic.post);
        let user1 = basic.user_id().to_string();
        let private_post = create_post(
            &basic.client,
            basic.private_channel["id"].as_str().unwrap(),
            "private",
        )
        .await;
        let private_id = id(&private_post);
        let (outsider, outsider_client) =
            server.create_user(Some(&basic.admin), "outsider").await;
        basic
            .admin
            .post(
                &format!("/teams/{}/members", basic.team_id()),
                json!({"team_id": basic.team_id(), "user_id": outsider["id"]}),
            )
            .await
            .expect(201);
        let outsider_id = id(&outsider);

        // Someone outside the private channel may neither react nor read its reactions.
        react(&basic.client, &user1, &private_id, "smile").await;
        outsider_client
            .post("/reactions", reaction(&outsider_id, &private_id, "smile"))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        outsider_client
            .get(&format!("/posts/{private_id}/reactions"))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        outsider_client
            .post("/posts/ids/reactions", json!([post_id, private_id]))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        outsider_client
            .delete(&format!("/users/me/posts/{private_id}/reactions/smile"))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        // In a public channel they are not a member of, they may read reactions, not add any.
        assert_eq!(emoji_on(&outsider_client, &post_id).await, vec![]);
        outsider_client
            .post("/reactions", reaction(&outsider_id, &post_id, "smile"))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        // A post that does not exist is a permission failure too, as in Mattermost.
        let missing = "a".repeat(26);
        basic
            .client
            .post("/reactions", reaction(&user1, &missing, "smile"))
            .await
            .expect_error(403, "api.context.permissions.app_error");

        // Only for oneself.
        basic
            .client
            .post("/reactions", reaction(basic.user2_id(), &post_id, "smile"))
            .await
            .expect_error(403, "api.reaction.save_reaction.user_id.app_error");

        // Bad input.
        for bad in [
            reaction(&user1, &post_id, ""),
            reaction(&user1, &post_id, &"a".repeat(65)),
            reaction(&user1, "nope", "smile"),
            reaction("nope", &post_id, "smile"),
        ] {
            basic
                .client
                .post("/reactions", bad)
                .await
                .expect_error(400, "api.reaction.save_reaction.invalid.app_error");
        }
        basic
            .client
            .post("/reactions", json!({"emoji_name": 5}))
            .await
            .expect_error(400, "api.context.invalid_body_param.app_error");
        // A system emoji whose name is no valid reaction name (a name that is neither a system
        // nor a custom emoji is refused by the emoji check first: emoji_api).
        basic
            .client
            .post("/reactions", reaction(&user1, &post_id, "thank you"))
            .await
            .expect_error(400, "model.reaction.is_valid.emoji_name.app_error");
        basic
            .client
            .delete(&format!("/users/me/posts/{post_id}/reactions/smi:le"))
            .await
            .expect_error(400, "api.context.invalid_url_param.app_error");
        let too_many: Vec<String> = (0..1001).map(|i| format!("{i:026}")).collect();
        basic
            .client
            .post("/posts/ids/reactions", json!(too_many))
            .await
            .expect_error(400, "api.context.invalid_body_param.app_error");

        // Someone else's reaction: only with remove_others_reactions (an admin has it).
        react(&basic.client, &user1, &post_id, "smile").await;
        basic
            .client2
            .delete(&format!("/users/{user1}/posts/{post_id}/reactions/smile"))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        assert_eq!(emoji_on(&basic.client, &post_id).await.len(), 1);
        basic
            .admin
            .delete(&format!("/users/{user1}/posts/{post_id}/reactions/smile"))
            .await
            .expect(200);
        assert!(emoji_on(&basic.client, &post_id).await.is_empty());
    }
);

dual_db_test!(
    async fn different_emoji_per_post_are_limited(server) {
        let basic = server.init_basic().await;
        configure(&server, |c| {
            c.service_settings.unique_emoji_reaction_limit_per_post = 2
        });
        let post_id = id(&basic.post);
        let (user1, user2) = (basic.user_id().to_string(), basic.user2_id().to_string());
        react(&basic.client, &user1, &post_id, "one").await;
        react(&basic.client, &user1, &post_id, "two").await;
        basic
            .client2
            .post("/reactions", reaction(&user2, &post_id, "three"))
            .await
            .expect_error(400, "app.reaction.save.save.too_many_reactions");
        // An emoji already on the post is no new one.
        react(&basic.client2, &user2, &post_id, "two").await;
        // A removed emoji frees its place.
        basic
            .client
            .delete(&format!("/users/me/posts/{post_id}/reactions/one"))
            .await
            .expect(200);
        react(&basic.client2, &user2, &post_id, "three").await;
        assert_eq!(emoji_on(&basic.client, &post_id).await.len(), 3);
    }
);

dual_db_test!(
    async fn archived_channels_refuse_reactions(server) {
        let basic = server.init_basic().await;
        let post_id = id(&basic.post);
        let user1 = basic.user_id().to_string();
        react(&basic.client, &user1, &post_id, "smile").await;
        basic
            .client
            .delete(&format!("/channels/{}", basic.channel_id()))
            .await
            .expect(200);
        basic
            .client
            .post("/reactions", reaction(&user1, &post_id, "+1"))
            .await
            .expect_error(403, "api.reaction.save.archived_channel.app_error");
        basic
            .client
            .delete(&format!("/users/me/posts/{post_id}/reactions/smile"))
            .await
            .expect_error(403, "api.reaction.delete.archived_channel.app_error");
    }
);

dual_db_test!(
    async fn reaction_events_reach_the_channel_only(server) {
        let basic = server.init_basic().await;
        let (_outsider, outsider_client) =
            server.create_user(Some(&basic.admin), "outsider").await;
        let post_id = id(&basic.post);
        let user1 = basic.user_id().to_string();
        let (mut member_ws, _) =
            WsClient::connect_ready(&server, basic.client2.token.as_deref().unwrap()).await;
        let (mut outsider_ws, _) =
            WsClient::connect_ready(&server, outsider_client.token.as_deref().unwrap()).await;
        member_ws.drain(QUIET).await;
        outsider_ws.drain(QUIET).await;

        react(&basic.client, &user1, &post_id, "smile").await;
        let added = member_ws.next_event("reaction_added").await;
        assert_eq!(added["broadcast"]["channel_id"], basic.channel_id());
        let sent: Value = serde_json::from_str(added["data"]["reaction"].as_str().unwrap()).unwrap();
        assert_eq!(sent["user_id"], user1.as_str());
        assert_eq!(sent["post_id"], post_id.as_str());
        assert_eq!(sent["emoji_name"], "smile");

        basic
            .client
            .delete(&format!("/users/me/posts/{post_id}/reactions/smile"))
            .await
            .expect(200);
        let removed = member_ws.next_event("reaction_removed").await;
        let sent: Value =
            serde_json::from_str(removed["data"]["reaction"].as_str().unwrap()).unwrap();
        assert_eq!(sent["emoji_name"], "smile");
        assert!(sent["delete_at"].as_i64().unwrap() > 0);

        let heard = outsider_ws.drain(QUIET).await;
        assert!(
            heard
                .iter()
                .all(|e| !e["event"].as_str().unwrap_or("").starts_with("reaction_")),
            "{heard:?}"
        );
    }
);
