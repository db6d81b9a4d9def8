//! `DELETE /users|teams|channels/{id}?permanent=true`: everything of the user, team or
//! channel goes (posts, reactions, threads, memberships, preferences, sessions, file rows
//! and bytes), everyone else's stays; refused as Mattermost refuses it.

use crate::bus_commit::peer_count;
use crate::files_support::{upload_raw, uploaded_id};
use crate::posts_support::{create_channel, create_post, outsider, reply};
use crate::support::{configure, id};
use serde_json::json;
use std::path::PathBuf;
use utmost_testkit::{dual_db_test, Basic, Client, TestServer};

async fn rows(server: &TestServer, table_and_column: &str, id: &str) -> i64 {
    let sql = format!("SELECT COUNT(*) FROM {table_and_column} = $1");
    peer_count(&server.app, &sql, id).await
}

/// A post of `client` in `channel_id` with an uploaded file; the post's id and where the
/// file's bytes are.
async fn post_with_file(
    server: &TestServer,
    client: &Client,
    channel_id: &str,
) -> (String, PathBuf) {
    let file_id = uploaded_id(upload_raw(client, channel_id, "f.txt", b"some bytes").await);
    let post = client
        .post(
            "/posts",
            json!({"channel_id": channel_id, "message": "with a file", "file_ids": [file_id]}),
        )
        .await
        .expect(201)
        .body;
    let stored = utmost_store::fileinfo::get(&server.app.store, &file_id)
        .await
        .unwrap()
        .unwrap();
    let bytes = PathBuf::from(&server.app.config().file_settings.directory).join(&stored.path);
    assert!(bytes.exists());
    (id(&post), bytes)
}

async fn react(client: &Client, user_id: &str, post_id: &str) {
    let reaction = json!({"user_id": user_id, "post_id": post_id, "emoji_name": "smile"});
    client.post("/reactions", reaction).await.expect(200);
}

fn id_of(v: &serde_json::Value) -> String {
    v["id"].as_str().unwrap().to_string()
}

dual_db_test!(
    async fn a_user_deleted_for_good_takes_everything_of_theirs(server) {
        let basic = server.init_basic().await;
        let (user1, user2) = (basic.user_id().to_string(), basic.user2_id().to_string());
        let channel = basic.channel_id().to_string();
        let path = format!("/users/{user2}?permanent=true");
        basic.admin.delete(&path).await.expect_error(401, "api.user.delete_user.not_enabled.app_error");
        configure(&server, |c| c.service_settings.enable_api_user_deletion = true);
        basic.client.delete(&path).await.expect_error(403, "api.context.permissions.app_error");
        server.client().delete(&path).await.expect(401);

        basic.client2.post(&format!("/channels/{channel}/members"), json!({"user_id": user2})).await.expect(201);
        let (theirs, bytes) = post_with_file(&server, &basic.client2, &channel).await;
        let mine = create_post(&basic.client, &channel, "mine").await;
        let mine = id(&mine);
        react(&basic.client2, &user2, &mine).await;
        react(&basic.client, &user1, &theirs).await;
        reply(&basic.client, &channel, &theirs, "a reply in their thread").await;

        let before = basic.client.get(&format!("/posts/{mine}")).await.expect(200).body;
        assert_eq!(before["has_reactions"], true);
        basic.admin.delete(&path).await.expect(200);
        basic.admin.get(&format!("/users/{user2}")).await.expect(404);
        basic.client2.get("/users/me").await.expect(401);
        for table in [
            "users WHERE id", "posts WHERE userid", "fileinfo WHERE creatorid", "reactions WHERE userid",
            "sessions WHERE userid", "preferences WHERE userid", "channelmembers WHERE userid",
            "teammembers WHERE userid", "threadmemberships WHERE userid", "status WHERE userid",
        ] {
            assert_eq!(rows(&server, table, &user2).await, 0, "{table} of the deleted user");
        }
        for table in ["reactions WHERE postid", "threads WHERE postid"] {
            assert_eq!(rows(&server, table, &theirs).await, 0, "{table} of their post");
        }
        // Others' replies in their thread stay, as in Mattermost.
        assert_eq!(rows(&server, "posts WHERE rootid", &theirs).await, 1);
        assert!(!bytes.exists(), "their file's bytes stay in the store");
        // What others wrote stays; the post they reacted to has no reactions left.
        assert_eq!(rows(&server, "posts WHERE id", &mine).await, 1);
        let post = basic.client.get(&format!("/posts/{mine}")).await.expect(200).body;
        assert_ne!(post["has_reactions"], true, "{post}");
        assert_eq!(rows(&server, "users WHERE id", &user1).await, 1);
        assert!(rows(&server, "channelmembers WHERE userid", &user1).await > 0);

        // Without `permanent`, a deactivation, as Mattermost's DELETE does.
        basic.admin.delete(&format!("/users/{user1}")).await.expect(200);
        let deactivated = basic.admin.get(&format!("/users/{user1}")).await.expect(200).body;
        assert!(deactivated["delete_at"].as_i64().unwrap() > 0);
    }
);

dual_db_test!(
    async fn a_channel_deleted_for_good_takes_its_posts_and_files(server) {
        let basic: Basic = server.init_basic().await;
        configure(&server, |c| c.service_settings.enable_api_channel_deletion = true);
        let channel = basic.channel_id().to_string();
        let other = id_of(&basic.private_channel);
        let (post, bytes) = post_with_file(&server, &basic.client, &channel).await;
        react(&basic.client, basic.user_id(), &post).await;
        reply(&basic.client, &channel, &post, "a reply").await;
        let (kept, kept_bytes) = post_with_file(&server, &basic.client, &other).await;

        let (_, outsider) = outsider(&server, &basic).await;
        outsider.delete(&format!("/channels/{channel}?permanent=true")).await.expect_error(403, "api.context.permissions.app_error");
        basic.client.delete(&format!("/channels/{channel}?permanent=true")).await.expect(200);
        for table in ["posts WHERE channelid", "fileinfo WHERE channelid", "channelmembers WHERE channelid", "threads WHERE channelid"] {
            assert_eq!(rows(&server, table, &channel).await, 0, "{table} of the deleted channel");
        }
        assert_eq!(rows(&server, "reactions WHERE postid", &post).await, 0);
        assert!(!bytes.exists());
        assert_eq!(rows(&server, "posts WHERE id", &kept).await, 1);
        assert!(kept_bytes.exists());
    }
);

dual_db_test!(
    async fn a_team_deleted_for_good_takes_its_channels_posts_and_files(server) {
        let basic = server.init_basic().await;
        let team = basic.team_id().to_string();
        let path = format!("/teams/{team}?permanent=true");
        basic.admin.delete(&path).await.expect_error(401, "api.user.delete_team.not_enabled.app_error");
        configure(&server, |c| c.service_settings.enable_api_team_deletion = true);
        let (post, bytes) = post_with_file(&server, &basic.client, basic.channel_id()).await;
        let elsewhere = basic.second_team().await;
        let other_channel = id_of(&create_channel(&basic.client, &elsewhere, "elsewhere", "O").await);
        let (kept, kept_bytes) = post_with_file(&server, &basic.client, &other_channel).await;

        basic.client.delete(&path).await.expect_error(403, "api.context.permissions.app_error");
        basic.admin.delete(&path).await.expect(200);
        assert_eq!(rows(&server, "posts WHERE id", &post).await, 0);
        assert_eq!(rows(&server, "posts WHERE channelid", basic.channel_id()).await, 0);
        assert_eq!(rows(&server, "channels WHERE teamid", &team).await, 0);
        assert!(!bytes.exists());
        assert_eq!(rows(&server, "posts WHERE id", &kept).await, 1);
        assert!(kept_bytes.exists());
    }
);
