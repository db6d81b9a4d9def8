//! Saved posts: `GET /users/{user_id}/posts/flagged` over the `flagged_post` preferences.

use crate::posts_support::create_post;
use crate::support::id;
use serde_json::{json, Value};
use utmost_testkit::{dual_db_test, Client};

/// Saves `post_id` for the client's user, as the web app does.
async fn save_post(client: &Client, user_id: &str, post_id: &str) {
    client
        .put(
            &format!("/users/{user_id}/preferences"),
            json!([{"user_id": user_id, "category": "flagged_post", "name": post_id, "value": "true"}]),
        )
        .await
        .expect(200);
}

/// The ids of a post list, in its order.
fn order(list: &Value) -> Vec<&str> {
    list["order"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect()
}

dual_db_test!(
    async fn saved_posts_are_listed_by_team_and_channel(server) {
        let basic = server.init_basic().await;
        let me = basic.user_id().to_string();
        let private = id(&basic.private_channel);
        let dm = id(&basic.dm);
        // A second team with a channel of its own.
        let team2_id = basic.second_team().await;
        let other = basic
            .client
            .post(
                "/channels",
                json!({"team_id": team2_id, "name": "elsewhere", "display_name": "Elsewhere", "type": "O"}),
            )
            .await
            .expect(201)
            .body;

        let in_channel = id(&basic.post);
        let in_private = id(&create_post(&basic.client2, &private, "private").await);
        let in_dm = id(&create_post(&basic.client2, &dm, "direct").await);
        let in_team2 = id(&create_post(&basic.client, &id(&other), "team two").await);
        create_post(&basic.client, basic.channel_id(), "not saved").await;
        for post_id in [&in_channel, &in_private, &in_dm, &in_team2] {
            save_post(&basic.client, &me, post_id).await;
        }

        let all = basic.client.get("/users/me/posts/flagged").await.expect(200).body;
        assert_eq!(order(&all), [in_team2.as_str(), in_dm.as_str(), in_private.as_str(), in_channel.as_str()]);
        assert_eq!(all["posts"].as_object().unwrap().len(), 4);
        assert_eq!(all["posts"][&in_dm]["message"], "direct");
        assert_eq!(all["posts"][&in_dm]["metadata"], json!({}));
        assert_eq!(all["next_post_id"], "");
        assert_eq!(all["prev_post_id"], "");

        // A team's channels, and direct messages, which belong to no team.
        let team1 = basic
            .client
            .get(&format!("/users/{me}/posts/flagged?team_id={}", basic.team_id()))
            .await
            .expect(200)
            .body;
        assert_eq!(order(&team1), [in_dm.as_str(), in_private.as_str(), in_channel.as_str()]);
        let one_channel = basic
            .client
            .get(&format!("/users/me/posts/flagged?channel_id={private}"))
            .await
            .expect(200)
            .body;
        assert_eq!(order(&one_channel), [in_private.as_str()]);

        // Pages of per_page, newest first; past the end is an empty list.
        let page = basic
            .client
            .get("/users/me/posts/flagged?page=1&per_page=2")
            .await
            .expect(200)
            .body;
        assert_eq!(order(&page), [in_private.as_str(), in_channel.as_str()]);
        let past = basic
            .client
            .get("/users/me/posts/flagged?page=5&per_page=2")
            .await
            .expect(200)
            .body;
        assert_eq!(past["order"], json!([]));
        assert_eq!(past["posts"], json!({}));

        // A post in a channel the user left is no longer listed, public or not.
        for channel in [basic.channel_id(), private.as_str()] {
            basic
                .client
                .delete(&format!("/channels/{channel}/members/me"))
                .await
                .expect(200);
        }
        let after = basic.client.get("/users/me/posts/flagged").await.expect(200).body;
        assert_eq!(order(&after), [in_team2.as_str(), in_dm.as_str()]);
    }
);

dual_db_test!(
    async fn only_the_user_or_an_admin_lists_saved_posts(server) {
        let basic = server.init_basic().await;
        let me = basic.user_id().to_string();
        save_post(&basic.client, &me, &id(&basic.post)).await;
        basic
            .client2
            .get(&format!("/users/{me}/posts/flagged"))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        // An admin may, and sees the posts of channels the admin may read.
        let seen = basic
            .admin
            .get(&format!("/users/{me}/posts/flagged"))
            .await
            .expect(200)
            .body;
        assert_eq!(order(&seen), [id(&basic.post).as_str()]);
        basic
            .client
            .get("/users/nope/posts/flagged")
            .await
            .expect_error(400, "api.context.invalid_url_param.app_error");
        // Malformed paging is read leniently, as Mattermost does.
        basic
            .client
            .get("/users/me/posts/flagged?page=x&per_page=-3")
            .await
            .expect(200);
    }
);
