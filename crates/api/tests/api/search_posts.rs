//! Post search: `POST /teams/{team_id}/posts/search` and `POST /posts/search` with
//! Mattermost's query language, answered as a `PostList` with `matches`.

use crate::posts_support::{create_post, outsider, reply};
use crate::support::{configure, id};
use serde_json::{json, Value};
use std::time::{Duration, Instant};
use utmost_testkit::{dual_db_test, search_engines_test, Client};

/// Searches the team as the web app does.
pub async fn search(client: &Client, team_id: &str, body: Value) -> Value {
    client
        .post(&format!("/teams/{team_id}/posts/search"), body)
        .await
        .expect(200)
        .body
}

/// The ids a search found, in its order.
pub fn order(list: &Value) -> Vec<String> {
    list["order"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

/// The ids `terms` finds in the team.
pub async fn found(client: &Client, team_id: &str, terms: &str) -> Vec<String> {
    order(&search(client, team_id, json!({ "terms": terms })).await)
}

/// Waits until the indexer has caught up with every post written so far: it indexes in
/// (update time, id) order and commits batches whole, so once a post written last is
/// found, everything before it is.
pub async fn wait_indexed(client: &Client, team_id: &str, channel_id: &str) {
    tokio::time::sleep(Duration::from_millis(3)).await;
    let marker = format!("marker{}", utmost_model::new_id());
    let post = create_post(client, channel_id, &marker).await;
    let deadline = Instant::now() + Duration::from_secs(15);
    while found(client, team_id, &marker).await != [id(&post)] {
        assert!(Instant::now() < deadline, "the indexer did not catch up");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

search_engines_test!(
    async fn words_phrases_partial_words_and_the_answer_shape(server) {
        let basic = server.init_basic().await;
        let (team, channel) = (basic.team_id(), basic.channel_id());
        let c = &basic.client;
        let host = create_post(c, channel, "Deploy to hostname.example.com tonight").await;
        let mail = create_post(c, channel, "Write to ops-team@example.org about the e-mail").await;
        let file = create_post(c, channel, "see quarterly_report-v2.pdf and MAX_RETRY_COUNT").await;
        let cjk = create_post(c, channel, "我们明天在东京开会").await;
        let notes = create_post(c, channel, "the release notes are out").await;
        let reply_post = reply(c, channel, &id(&notes), "notes release, reversed").await;
        wait_indexed(c, team, channel).await;

        for (terms, expected) in [
            ("hostna", vec![&host]),
            ("hostname.example.com", vec![&host]),
            ("example", vec![&mail, &host]),
            ("ops-team@example.org", vec![&mail]),
            ("e-mail", vec![&mail]),
            ("quarterly_report-v2.pdf", vec![&file]),
            ("report", vec![&file]),
            ("retry_count", vec![&file]),
            ("东京", vec![&cjk]),
            ("\"release notes\"", vec![&notes]),
            ("release notes", vec![&reply_post, &notes]),
            ("rel* -reversed", vec![&notes]),
        ] {
            let expected: Vec<String> = expected.into_iter().map(id).collect();
            assert_eq!(found(c, team, terms).await, expected, "{terms}");
        }
        assert!(found(c, team, "hostnames").await.is_empty());

        let body = search(c, team, json!({"terms": "hostna"})).await;
        let pid = id(&host);
        assert_eq!(body["posts"][&pid]["message"], "Deploy to hostname.example.com tonight");
        assert_eq!(body["matches"][&pid], json!(["hostname.example.com"]));
        assert_eq!(body["next_post_id"], "");
        assert_eq!(body["prev_post_id"], "");
        assert!(body.get("has_next").is_none());
    }
);

search_engines_test!(
    async fn modifiers_narrow_the_search(server) {
        let basic = server.init_basic().await;
        let (team, channel) = (basic.team_id(), basic.channel_id());
        let private = id(&basic.private_channel);
        let me = &basic.client;
        let other = &basic.client2;
        let mine = create_post(me, channel, "deploy alpha").await;
        let theirs = create_post(other, channel, "deploy beta").await;
        let hidden = create_post(me, &private, "deploy gamma #Incident-7").await;
        // 2024-01-10 12:00 UTC, and 2024-01-11 01:00 UTC (still the 10th at UTC-5), written
        // by the admin (only a system admin may set a post's time).
        let old = create_at(&basic.admin, channel, "deploy old", 1_704_888_000_000).await;
        let late = create_at(&basic.admin, channel, "deploy late", 1_704_934_800_000).await;
        wait_indexed(me, team, channel).await;

        let ids = |v: Vec<&Value>| -> Vec<String> { v.into_iter().map(id).collect() };
        let username2 = basic.user2["username"].as_str().unwrap();
        let private_name = basic.private_channel["name"].as_str().unwrap();
        // Each expected list is newest first.
        for (terms, expected) in [
            (format!("deploy from:{username2}"), ids(vec![&theirs])),
            (format!("deploy from: @{username2}"), ids(vec![&theirs])),
            (format!("deploy -from:{username2} -in:{private_name}"), ids(vec![&mine, &late, &old])),
            (format!("deploy in:{private_name}"), ids(vec![&hidden])),
            (format!("in:{private_name}"), ids(vec![&hidden])),
            ("deploy from:nobody".to_string(), vec![]),
            ("deploy in:no-such-channel".to_string(), vec![]),
            ("#incident-7".to_string(), ids(vec![&hidden])),
            ("deploy on:2024-01-10".to_string(), ids(vec![&old])),
            ("deploy before:2024-01-11".to_string(), ids(vec![&old])),
            ("deploy after:2024-01-10".to_string(), ids(vec![&hidden, &theirs, &mine, &late])),
            ("deploy after:2024-01-11 -after:2024-01-12".to_string(), vec![]),
            ("deploy on:2024-02-30".to_string(), vec![]),
            ("deploy -on:2024-01-10".to_string(), ids(vec![&hidden, &theirs, &mine, &late])),
            // The last of a repeated date wins; one that does not parse excludes nothing.
            ("deploy -on:2024-01-10 -on:bogus".to_string(), ids(vec![&hidden, &theirs, &mine, &late, &old])),
        ] {
            assert_eq!(found(me, team, &terms).await, expected, "{terms}");
        }
        // The reader's time zone moves the day: at UTC-5 the late post is on the 10th.
        let at_minus_five = search(
            me,
            team,
            json!({"terms": "deploy on:2024-01-10", "time_zone_offset": -5 * 3600}),
        )
        .await;
        assert_eq!(order(&at_minus_five), ids(vec![&late, &old]));
        // Or-search: any term; newest first.
        let either = search(me, team, json!({"terms": "alpha beta", "is_or_search": true})).await;
        assert_eq!(order(&either), ids(vec![&theirs, &mine]));
        assert!(found(me, team, "alpha beta").await.is_empty());
        // Paging.
        let page = |n: i64| json!({"terms": "deploy", "page": n, "per_page": 2});
        assert_eq!(order(&search(me, team, page(0)).await), ids(vec![&hidden, &theirs]));
        assert_eq!(order(&search(me, team, page(1)).await), ids(vec![&mine, &late]));
        assert_eq!(order(&search(me, team, page(2)).await), ids(vec![&old]));
        // Hashtags and words together: the union of both searches, as in Mattermost.
        let union = found(me, team, "alpha #incident-7").await;
        assert_eq!(union, ids(vec![&hidden, &mine]));
    }
);

/// A post written at `create_at`.
async fn create_at(client: &Client, channel_id: &str, message: &str, create_at: i64) -> Value {
    client
        .post(
            "/posts",
            json!({"channel_id": channel_id, "message": message, "create_at": create_at}),
        )
        .await
        .expect(201)
        .body
}

search_engines_test!(
    async fn edits_and_deletions_reach_the_index(server) {
        let basic = server.init_basic().await;
        let (team, channel) = (basic.team_id(), basic.channel_id());
        let c = &basic.client;
        let post = create_post(c, channel, "first draft").await;
        let pid = id(&post);
        wait_indexed(c, team, channel).await;
        assert_eq!(found(c, team, "draft").await, [pid.as_str()]);
        c.put(
            &format!("/posts/{pid}/patch"),
            json!({"message": "final wording"}),
        )
        .await
        .expect(200);
        wait_indexed(c, team, channel).await;
        assert!(found(c, team, "draft").await.is_empty());
        assert_eq!(found(c, team, "wording").await, [pid.as_str()]);
        c.delete(&format!("/posts/{pid}")).await.expect(200);
        wait_indexed(c, team, channel).await;
        assert!(found(c, team, "wording").await.is_empty());
    }
);

search_engines_test!(
    async fn bad_requests_are_answered_as_mattermost_does(server) {
        let basic = server.init_basic().await;
        let team = basic.team_id();
        let path = format!("/teams/{team}/posts/search");
        let c = &basic.client;
        c.post(&path, json!({})).await.expect_error(400, "api.context.invalid_body_param.app_error");
        c.post(&path, json!({"terms": ""})).await.expect_error(400, "api.context.invalid_body_param.app_error");
        c.post(&path, json!({"terms": 5}))
            .await
            .expect_error(400, "api.post.search_posts.invalid_body.app_error");
        c.post("/teams/not-an-id/posts/search", json!({"terms": "x"}))
            .await
            .expect(400);
        server.client().post(&path, json!({"terms": "x"})).await.expect(401);
        // Terms of punctuation only search nothing.
        assert!(found(c, team, "*** --").await.is_empty());
        configure(&server, |config| config.service_settings.enable_post_search = false);
        c.post(&path, json!({"terms": "x"}))
            .await
            .expect_error(501, "store.sql_post.search.disabled");
        c.post("/posts/search", json!({"terms": "x"}))
            .await
            .expect_error(501, "store.sql_post.search.disabled");
    }
);

dual_db_test!(
    async fn elasticsearch_test_answers_as_a_server_without_elasticsearch(server) {
        let basic = server.init_basic().await;
        basic
            .client
            .post("/elasticsearch/test", json!({}))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        basic
            .admin
            .post("/elasticsearch/test", json!({}))
            .await
            .expect_error(501, "ent.elasticsearch.test_config.license.error");
    }
);

search_engines_test!(
    async fn group_messages_are_named_as_the_clients_name_them(server) {
        let basic = server.init_basic().await;
        let team = basic.team_id();
        let me = &basic.client;
        let admin_id = id(&basic.admin_user);
        let gm = me
            .post("/channels/group", json!([basic.user2_id(), admin_id]))
            .await
            .expect(201)
            .body;
        let in_gm = create_post(me, &id(&gm), "plans for the group").await;
        let in_dm = create_post(me, &id(&basic.dm), "plans for two").await;
        wait_indexed(me, team, basic.channel_id()).await;

        let username = |u: &Value| u["username"].as_str().unwrap().to_string();
        let mut members = [username(&basic.user), username(&basic.user2), username(&basic.admin_user)];
        members.sort();
        // The web app sends `@` and every member's username, joined by commas.
        let everyone = format!("@{}", members.join(","));
        assert_eq!(found(me, team, &format!("plans in:{everyone}")).await, [id(&in_gm)]);
        assert_eq!(found(me, team, &format!("plans -in:{everyone}")).await, [id(&in_dm)]);
        // The reader left out, or the channel's own name, name the same group.
        let others = format!("@{},{}", username(&basic.user2), username(&basic.admin_user));
        assert_eq!(found(me, team, &format!("plans in:{others}")).await, [id(&in_gm)]);
        let name = gm["name"].as_str().unwrap();
        assert_eq!(found(me, team, &format!("plans in:~{name}")).await, [id(&in_gm)]);
        // A name that is nobody's names no group.
        let unknown = format!("@{},nobody", username(&basic.user2));
        assert!(found(me, team, &format!("plans in:{unknown}")).await.is_empty());
        // Naming a group one is not in opens nothing.
        let (_, stranger) = outsider(&server, &basic).await;
        assert!(found(&stranger, team, &format!("plans in:{everyone}")).await.is_empty());
    }
);
