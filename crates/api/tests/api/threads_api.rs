//! Collapsed reply threads: who follows a thread when replies land, the thread routes of
//! `/users/{user_id}/teams/{team_id}/threads`, their checks, and the thread events.

use crate::posts_support::{create_post, reply};
use crate::support::{configure, id};
use serde_json::{json, Value};
use std::time::Duration;
use utmost_testkit::ws::WsClient;
use utmost_testkit::{dual_db_test, Basic, Client};

const QUIET: Duration = Duration::from_millis(400);

fn threads_path(user: &str, team_id: &str) -> String {
    format!("/users/{user}/teams/{team_id}/threads")
}

async fn threads(client: &Client, team_id: &str, query: &str) -> Value {
    client
        .get(&format!("{}?{query}", threads_path("me", team_id)))
        .await
        .expect(200)
        .body
}

/// The listed threads' root ids, in order.
fn ids(list: &Value) -> Vec<String> {
    list["threads"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap().to_string())
        .collect()
}

fn thread_path(basic: &Basic, root_id: &str, rest: &str) -> String {
    format!("{}/{root_id}{rest}", threads_path("me", basic.team_id()))
}

async fn thread(client: &Client, basic: &Basic, root_id: &str) -> Value {
    client
        .get(&thread_path(basic, root_id, ""))
        .await
        .expect(200)
        .body
}

dual_db_test!(
    async fn a_reply_makes_its_author_and_the_roots_author_follow(server) {
        let basic = server.init_basic().await;
        let root = id(&basic.post);
        // A root post alone is no thread.
        assert_eq!(threads(&basic.client, basic.team_id(), "").await["total"], 0);

        let first = reply(&basic.client2, basic.channel_id(), &root, "a reply").await;
        assert_eq!(first["reply_count"], 1);
        let list = threads(&basic.client, basic.team_id(), "").await;
        assert_eq!(list["total"], 1, "{list}");
        assert_eq!(list["total_unread_threads"], 1);
        assert_eq!(list["total_unread_mentions"], 0);
        assert_eq!(list["total_unread_urgent_mentions"], 0);
        let t = &list["threads"][0];
        assert_eq!(t["id"], root.as_str());
        assert_eq!(t["reply_count"], 1);
        assert_eq!(t["last_reply_at"], first["create_at"]);
        assert_eq!(t["last_viewed_at"], 0);
        assert_eq!(t["unread_replies"], 1);
        assert_eq!(t["unread_mentions"], 0);
        assert_eq!(t["is_urgent"], false);
        assert_eq!(t["post"]["id"], root.as_str());
        assert_eq!(t["post"]["message"], "basic post");
        // Without `extended`, participants carry only their id.
        assert_eq!(t["participants"][0]["id"], basic.user2_id());
        assert_eq!(t["participants"][0]["username"], "");

        // The replier has read up to their reply.
        let mine = threads(&basic.client2, basic.team_id(), "").await;
        assert_eq!(mine["total"], 1);
        assert_eq!(mine["total_unread_threads"], 0);
        assert_eq!(mine["threads"][0]["unread_replies"], 0);
        assert_eq!(mine["threads"][0]["last_viewed_at"], first["create_at"]);

        // A mention counts for the mentioned follower; extended participants are profiles
        // without secrets.
        let second = reply(&basic.client2, basic.channel_id(), &root, "@basicuser look").await;
        let t = thread(&basic.client, &basic, &root).await;
        assert_eq!(t["reply_count"], 2);
        assert_eq!(t["unread_replies"], 2);
        assert_eq!(t["unread_mentions"], 1);
        assert_eq!(t["last_reply_at"], second["create_at"]);
        let extended = basic
            .client
            .get(&format!("{}?extended=true", thread_path(&basic, &root, "")))
            .await
            .expect(200)
            .body;
        let participant = &extended["participants"][0];
        assert_eq!(participant["username"], "basicuser2");
        assert!(participant.get("password").is_none_or(|p| p == ""));
        assert!(participant.get("auth_data").is_none_or(|p| p == ""));
        let list = threads(&basic.client, basic.team_id(), "").await;
        assert_eq!(list["total_unread_mentions"], 1);

        // The admin is not in the channel and follows nothing.
        assert_eq!(threads(&basic.admin, basic.team_id(), "").await["total"], 0);
    }
);

dual_db_test!(
    async fn an_unfollow_holds_until_a_mention(server) {
        let basic = server.init_basic().await;
        let root = id(&basic.post);
        reply(&basic.client2, basic.channel_id(), &root, "one").await;
        basic
            .client
            .delete(&thread_path(&basic, &root, "/following"))
            .await
            .expect(200);
        assert_eq!(threads(&basic.client, basic.team_id(), "").await["total"], 0);
        basic
            .client
            .get(&thread_path(&basic, &root, ""))
            .await
            .expect_error(404, "app.user.get_threads_for_user.not_found");

        // Collapsed channel lists carry the viewer's following flag.
        let collapsed = |client: &Client| {
            let path = format!("/channels/{}/posts?collapsedThreads=true", basic.channel_id());
            let client = client.clone();
            async move { client.get(&path).await.expect(200).body }
        };
        let mine = collapsed(&basic.client).await;
        assert_eq!(mine["posts"][&root]["is_following"], false, "{mine}");
        assert_eq!(mine["posts"][&root]["reply_count"], 1);
        let theirs = collapsed(&basic.client2).await;
        assert_eq!(theirs["posts"][&root]["is_following"], true);
        let unread_path = format!(
            "/users/me/channels/{}/posts/unread?collapsedThreads=true",
            basic.channel_id()
        );
        let around = basic.client2.get(&unread_path).await.expect(200).body;
        assert_eq!(around["posts"][&root]["is_following"], true, "{around}");

        // A later reply does not bring the thread back...
        reply(&basic.client2, basic.channel_id(), &root, "two").await;
        assert_eq!(threads(&basic.client, basic.team_id(), "").await["total"], 0);
        // ...a mention does, with the mention unread.
        reply(&basic.client2, basic.channel_id(), &root, "@basicuser three").await;
        let t = thread(&basic.client, &basic, &root).await;
        assert_eq!(t["unread_mentions"], 1);
        assert_eq!(t["reply_count"], 3);

        // Following again marks the thread read.
        basic
            .client
            .delete(&thread_path(&basic, &root, "/following"))
            .await
            .expect(200);
        basic
            .client
            .put(&thread_path(&basic, &root, "/following"), json!({}))
            .await
            .expect(200);
        let t = thread(&basic.client, &basic, &root).await;
        assert_eq!((t["unread_replies"].clone(), t["unread_mentions"].clone()), (json!(0), json!(0)));

        // Without ThreadAutoFollow nobody starts following.
        configure(&server, |c| c.service_settings.thread_auto_follow = false);
        let other = create_post(&basic.client, basic.channel_id(), "another root").await;
        reply(&basic.client2, basic.channel_id(), &id(&other), "@basicuser hi").await;
        let list = threads(&basic.client, basic.team_id(), "").await;
        assert_eq!(ids(&list), vec![root.clone()], "{list}");
    }
);

dual_db_test!(
    async fn reading_and_marking_unread(server) {
        let basic = server.init_basic().await;
        let root = id(&basic.post);
        let first = reply(&basic.client2, basic.channel_id(), &root, "@basicuser one").await;
        let second = reply(&basic.client2, basic.channel_id(), &root, "two").await;
        let t = thread(&basic.client, &basic, &root).await;
        assert_eq!((t["unread_replies"].clone(), t["unread_mentions"].clone()), (json!(2), json!(1)));

        // Read up to the first reply: one reply left, no mention in it.
        let at = first["create_at"].as_i64().unwrap();
        let read = basic
            .client
            .put(&thread_path(&basic, &root, &format!("/read/{at}")), json!({}))
            .await
            .expect(200)
            .body;
        assert_eq!(read["id"], root.as_str());
        assert_eq!(read["last_viewed_at"], at);
        assert_eq!(read["unread_replies"], 1);
        assert_eq!(read["unread_mentions"], 0);

        // Unread from the first reply again: both replies and the mention come back.
        let unread = basic
            .client
            .post(
                &thread_path(&basic, &root, &format!("/set_unread/{}", id(&first))),
                json!({}),
            )
            .await
            .expect(200)
            .body;
        assert_eq!(unread["last_viewed_at"], at - 1);
        assert_eq!(unread["unread_replies"], 2);
        assert_eq!(unread["unread_mentions"], 1);

        // Everything read in the team.
        basic
            .client
            .put(&format!("{}/read", threads_path("me", basic.team_id())), json!({}))
            .await
            .expect(200);
        let t = thread(&basic.client, &basic, &root).await;
        assert_eq!((t["unread_replies"].clone(), t["unread_mentions"].clone()), (json!(0), json!(0)));
        assert!(t["last_viewed_at"].as_i64().unwrap() >= second["create_at"].as_i64().unwrap());

        // Marking a channel viewed does not read its threads.
        reply(&basic.client2, basic.channel_id(), &root, "three").await;
        basic
            .client
            .post(
                "/channels/members/me/view",
                json!({"channel_id": basic.channel_id()}),
            )
            .await
            .expect(200);
        assert_eq!(thread(&basic.client, &basic, &root).await["unread_replies"], 1);

        // Bad input.
        basic
            .client
            .put(&thread_path(&basic, &root, "/read/soon"), json!({}))
            .await
            .expect_error(400, "api.context.invalid_url_param.app_error");
        let elsewhere = create_post(&basic.client, basic.channel_id(), "elsewhere").await;
        // A root without replies is no thread yet.
        basic
            .client
            .put(&thread_path(&basic, &id(&elsewhere), "/read/1"), json!({}))
            .await
            .expect_error(404, "app.user.get_threads_for_user.not_found");
        basic
            .client
            .post(
                &thread_path(&basic, &root, &format!("/set_unread/{}", id(&elsewhere))),
                json!({}),
            )
            .await
            .expect_error(400, "app.user.update_thread_read_for_user_by_post.app_error");
        basic
            .client
            .put(&thread_path(&basic, "nonsense", "/following"), json!({}))
            .await
            .expect_error(400, "api.context.invalid_url_param.app_error");
    }
);

dual_db_test!(
    async fn other_users_and_outsiders_are_refused(server) {
        let basic = server.init_basic().await;
        let root = id(&basic.post);
        reply(&basic.client2, basic.channel_id(), &root, "a reply").await;
        let user2 = basic.user2_id();
        let team = basic.team_id();
        let theirs = format!("{}/{root}", threads_path(user2, team));
        // Another user may not read or change someone's threads.
        for resp in [
            basic.client.get(&threads_path(user2, team)).await,
            basic.client.get(&theirs).await,
            basic.client.put(&format!("{theirs}/following"), json!({})).await,
            basic.client.delete(&format!("{theirs}/following")).await,
            basic.client.put(&format!("{theirs}/read/1"), json!({})).await,
            basic
                .client
                .post(&format!("{theirs}/set_unread/{root}"), json!({}))
                .await,
            basic
                .client
                .put(&format!("{}/read", threads_path(user2, team)), json!({}))
                .await,
        ] {
            resp.expect_error(403, "api.context.permissions.app_error");
        }
        // A system admin may.
        let list = basic.admin.get(&threads_path(user2, team)).await.expect(200).body;
        assert_eq!(list["total"], 1);

        // Someone outside the team, or outside the channel, sees nothing of the thread.
        let (_, outsider) = server.create_user(Some(&basic.admin), "outsider").await;
        outsider
            .get(&threads_path("me", team))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        basic
            .admin
            .post(
                &format!("/teams/{team}/members"),
                json!({"team_id": team, "user_id": outsider.get("/users/me").await.body["id"]}),
            )
            .await
            .expect(201);
        outsider
            .put(&format!("{}/{root}/following", threads_path("me", team)), json!({}))
            .await
            .expect(403);
        outsider
            .put(&format!("{}/{root}/read/1", threads_path("me", team)), json!({}))
            .await
            .expect_error(404, "app.user.get_thread_membership_for_user.not_found");
        assert_eq!(threads(&outsider, team, "").await["total"], 0);

        // A member who leaves the channel no longer sees its threads.
        assert_eq!(threads(&basic.client2, team, "").await["total"], 1);
        basic
            .client2
            .delete(&format!("/channels/{}/members/{user2}", basic.channel_id()))
            .await
            .expect(200);
        assert_eq!(threads(&basic.client2, team, "").await["total"], 0);
        basic
            .client2
            .get(&format!("{}/{root}", threads_path("me", team)))
            .await
            .expect_error(404, "app.user.get_thread_membership_for_user.not_found");
    }
);

dual_db_test!(
    async fn thread_lists_page_and_filter(server) {
        let basic = server.init_basic().await;
        let team = basic.team_id();
        let mut roots = Vec::new();
        for n in 0..3 {
            let root = create_post(&basic.client, basic.channel_id(), &format!("root {n}")).await;
            reply(&basic.client2, basic.channel_id(), &id(&root), "reply").await;
            roots.push(id(&root));
        }
        let newest_first: Vec<String> = roots.iter().rev().cloned().collect();
        // The fixture's post is no thread; the three are, newest reply first.
        let all = threads(&basic.client, team, "").await;
        assert_eq!(ids(&all), newest_first);
        let page = threads(&basic.client, team, "per_page=2").await;
        assert_eq!(ids(&page), newest_first[..2]);
        assert_eq!(page["total"], 3);
        let older = threads(&basic.client, team, &format!("per_page=2&before={}", newest_first[1])).await;
        assert_eq!(ids(&older), newest_first[2..]);
        let newer = threads(&basic.client, team, &format!("after={}", roots[0])).await;
        assert_eq!(ids(&newer), roots[1..], "after lists oldest first");
        assert_eq!(ids(&threads(&basic.client, team, "per_page=0").await).len(), 0);
        // per_page is capped, and a malformed one takes the default.
        assert_eq!(ids(&threads(&basic.client, team, "per_page=100000").await).len(), 3);
        assert_eq!(ids(&threads(&basic.client, team, "per_page=many").await).len(), 3);

        // Unread only, and totals or threads only.
        basic
            .client
            .put(&thread_path(&basic, &roots[0], "/following"), json!({}))
            .await
            .expect(200);
        let unread = threads(&basic.client, team, "unread=true").await;
        assert_eq!(ids(&unread), newest_first[..2]);
        assert_eq!(unread["total"], 2);
        assert_eq!(unread["total_unread_threads"], 2);
        let totals = threads(&basic.client, team, "totalsOnly=true").await;
        assert_eq!(totals["threads"], json!([]));
        assert_eq!(totals["total"], 3);
        let only = threads(&basic.client, team, "threadsOnly=true").await;
        assert_eq!(only["total"], 0);
        assert_eq!(ids(&only).len(), 3);
        let since = threads(&basic.client, team, "since=99999999999999").await;
        assert_eq!(ids(&since).len(), 0);

        // DM threads appear in every team unless excluded.
        let dm = id(&basic.dm);
        let dm_root = create_post(&basic.client, &dm, "in the DM").await;
        reply(&basic.client2, &dm, &id(&dm_root), "dm reply").await;
        assert_eq!(ids(&threads(&basic.client, team, "").await)[0], id(&dm_root));
        assert!(!ids(&threads(&basic.client, team, "excludeDirect=true").await).contains(&id(&dm_root)));
        let (other_team, _) = (
            basic
                .admin
                .post("/teams", json!({"name": "other-team", "display_name": "Other", "type": "O"}))
                .await
                .expect(201)
                .body,
            (),
        );
        basic
            .admin
            .post(
                &format!("/teams/{}/members", id(&other_team)),
                json!({"team_id": id(&other_team), "user_id": basic.user_id()}),
            )
            .await
            .expect(201);
        assert_eq!(ids(&threads(&basic.client, &id(&other_team), "").await), vec![id(&dm_root)]);

        // A deleted root's thread is listed only when asked for.
        basic
            .client
            .delete(&format!("/posts/{}", roots[2]))
            .await
            .expect(200);
        assert!(!ids(&threads(&basic.client, team, "").await).contains(&roots[2]));
        assert!(ids(&threads(&basic.client, team, "deleted=true").await).contains(&roots[2]));

        // Bad input.
        let bad = |q: &'static str| {
            let path = format!("{}?{q}", threads_path("me", team));
            let client = &basic.client;
            async move { client.get(&path).await }
        };
        bad("before=x&after=y")
            .await
            .expect_error(400, "api.getThreadsForUser.bad_params");
        bad("totalsOnly=true&threadsOnly=true")
            .await
            .expect_error(400, "api.getThreadsForUser.bad_only_params");
        bad("since=-5")
            .await
            .expect_error(400, "api.context.invalid_body_param.app_error");
    }
);

dual_db_test!(
    async fn thread_events_reach_the_user_only(server) {
        let basic = server.init_basic().await;
        let root = id(&basic.post);
        let token = |c: &Client| c.token.clone().unwrap();
        let (mut author_ws, _) = WsClient::connect_ready(&server, &token(&basic.client)).await;
        let (mut replier_ws, _) = WsClient::connect_ready(&server, &token(&basic.client2)).await;
        let (mut admin_ws, _) = WsClient::connect_ready(&server, &token(&basic.admin)).await;
        for ws in [&mut author_ws, &mut replier_ws, &mut admin_ws] {
            ws.drain(QUIET).await;
        }

        let first = reply(&basic.client2, basic.channel_id(), &root, "@basicuser hi").await;
        // `posted` first, then `thread_updated`, as Mattermost sends them.
        author_ws.next_event("posted").await;
        let updated = author_ws.next_event("thread_updated").await;
        assert_eq!(updated["broadcast"]["user_id"], basic.user_id());
        assert_eq!(updated["broadcast"]["team_id"], basic.team_id());
        let sent: Value = serde_json::from_str(updated["data"]["thread"].as_str().unwrap()).unwrap();
        assert_eq!(sent["id"], root.as_str());
        assert_eq!(sent["reply_count"], 1);
        assert_eq!(sent["unread_replies"], 1);
        assert_eq!(sent["unread_mentions"], 1);
        assert_eq!(sent["post"]["id"], root.as_str());
        assert_eq!(sent["participants"][0]["username"], "basicuser2");
        assert_eq!(updated["data"]["previous_unread_mentions"], 0);
        assert_eq!(updated["data"]["previous_unread_replies"], 0);
        // The replier follows too and hears it, read.
        let own = replier_ws.next_event("thread_updated").await;
        let sent: Value = serde_json::from_str(own["data"]["thread"].as_str().unwrap()).unwrap();
        assert_eq!(sent["unread_replies"], 0);
        assert_eq!(sent["last_viewed_at"], first["create_at"]);

        // Reading and following are told to the user's own connections.
        let at = first["create_at"].as_i64().unwrap();
        basic
            .client
            .put(&thread_path(&basic, &root, &format!("/read/{at}")), json!({}))
            .await
            .expect(200);
        let read = author_ws.next_event("thread_read_changed").await;
        assert_eq!(read["broadcast"]["user_id"], basic.user_id());
        assert_eq!(read["data"]["thread_id"], root.as_str());
        assert_eq!(read["data"]["channel_id"], basic.channel_id());
        assert_eq!(read["data"]["timestamp"], at);
        assert_eq!(read["data"]["unread_replies"], 0);
        assert_eq!(read["data"]["unread_mentions"], 0);
        assert_eq!(read["data"]["previous_unread_replies"], 1);
        assert_eq!(read["data"]["previous_unread_mentions"], 1);
        basic
            .client
            .delete(&thread_path(&basic, &root, "/following"))
            .await
            .expect(200);
        let follow = author_ws.next_event("thread_follow_changed").await;
        assert_eq!(follow["data"]["thread_id"], root.as_str());
        assert_eq!(follow["data"]["state"], false);
        assert_eq!(follow["data"]["reply_count"], 1);
        basic
            .client
            .put(&format!("{}/read", threads_path("me", basic.team_id())), json!({}))
            .await
            .expect(200);
        author_ws.next_event("thread_read_changed").await;

        // An unfollower hears no more replies; nobody else heard any of it.
        reply(&basic.client2, basic.channel_id(), &root, "again").await;
        replier_ws.next_event("thread_updated").await;
        let heard = author_ws.drain(QUIET).await;
        assert!(heard.iter().all(|e| e["event"] != "thread_updated"), "{heard:?}");
        let replier_heard = replier_ws.drain(QUIET).await;
        let admin_heard = admin_ws.drain(QUIET).await;
        for e in replier_heard.iter().chain(&admin_heard) {
            let name = e["event"].as_str().unwrap_or("");
            assert!(
                name != "thread_read_changed" && name != "thread_follow_changed",
                "{e}"
            );
        }
        assert!(admin_heard.iter().all(|e| e["event"] != "thread_updated"));

        // Under classic threads (by preference, where allowed) no thread_updated is sent.
        configure(&server, |c| c.service_settings.collapsed_threads = "default_off".into());
        reply(&basic.client, basic.channel_id(), &root, "classic").await;
        let heard = replier_ws.drain(QUIET).await;
        assert!(heard.iter().all(|e| e["event"] != "thread_updated"), "{heard:?}");
    }
);

dual_db_test!(
    async fn team_unreads_carry_thread_counts_when_asked(server) {
        let basic = server.init_basic().await;
        let root = id(&basic.post);
        reply(&basic.client2, basic.channel_id(), &root, "@basicuser one").await;
        reply(&basic.client2, basic.channel_id(), &root, "two").await;
        let team_entry = |list: &Value| {
            list.as_array()
                .unwrap()
                .iter()
                .find(|t| t["team_id"] == basic.team_id())
                .cloned()
                .unwrap()
        };
        let with = basic
            .client
            .get("/users/me/teams/unread?include_collapsed_threads=true")
            .await
            .expect(200)
            .body;
        let entry = team_entry(&with);
        assert_eq!(entry["thread_count"], 1, "{entry}");
        assert_eq!(entry["thread_mention_count"], 1);
        assert_eq!(entry["thread_urgent_mention_count"], 0);
        // Replies count in the channel's root-only counters as nothing new.
        assert_eq!(entry["msg_count_root"], 0, "{entry}");
        let without = basic.client.get("/users/me/teams/unread").await.expect(200).body;
        assert_eq!(team_entry(&without)["thread_count"], 0);
        configure(&server, |c| c.service_settings.collapsed_threads = "disabled".into());
        let disabled = basic
            .client
            .get("/users/me/teams/unread?include_collapsed_threads=true")
            .await
            .expect(200)
            .body;
        assert_eq!(team_entry(&disabled)["thread_count"], 0);
    }
);

/// The thread's posts after `after` (ms) by others, and how many of them name `@mention`.
async fn replies_after(
    client: &Client,
    root: &str,
    after: i64,
    me: &str,
    mention: &str,
) -> (i64, i64) {
    let list = client
        .get(&format!("/posts/{root}/thread"))
        .await
        .expect(200)
        .body;
    let replies: Vec<&Value> = list["posts"]
        .as_object()
        .unwrap()
        .values()
        .filter(|p| p["id"] != root && p["create_at"].as_i64().unwrap() > after)
        .collect();
    let unread = replies.len() as i64;
    let mentions = replies
        .iter()
        .filter(|p| p["user_id"] != me && p["message"].as_str().unwrap().contains(mention))
        .count() as i64;
    (unread, mentions)
}

dual_db_test!(
    async fn concurrent_replies_reactions_and_reads_keep_every_count(server) {
        let basic = server.init_basic().await;
        let root = id(&basic.post);
        let root_at = basic.post["create_at"].as_i64().unwrap();
        let team = basic.team_id().to_string();
        let (user3, client3) = server.create_user(Some(&basic.admin), "basicuser3").await;
        basic
            .admin
            .post(
                &format!("/teams/{team}/members"),
                json!({"team_id": team, "user_id": user3["id"]}),
            )
            .await
            .expect(201);
        basic
            .client
            .post(
                &format!("/channels/{}/members", basic.channel_id()),
                json!({"user_id": user3["id"]}),
            )
            .await
            .expect(201);
        let channel_path = format!("/channels/{}", basic.channel_id());
        let before = basic.client.get(&channel_path).await.expect(200).body["total_msg_count"]
            .as_i64()
            .unwrap();
        let read_root = |client: &Client| {
            let path = format!("{}/{root}/read/{root_at}", threads_path("me", &team));
            let client = client.clone();
            async move {
                client.put(&path, json!({})).await.expect(200);
            }
        };
        let react = |client: &Client, user: &Value, emoji: &'static str| {
            let body = json!({"user_id": user["id"], "post_id": root, "emoji_name": emoji});
            let client = client.clone();
            async move {
                client.post("/reactions", body).await.expect(200);
            }
        };
        const EACH: usize = 4;
        // Reading needs a thread: the root has one reply before the rush.
        reply(&client3, basic.channel_id(), &root, "first").await;
        tokio::join!(
            async {
                for n in 0..EACH {
                    reply(&basic.client2, basic.channel_id(), &root, &format!("@basicuser {n}")).await;
                }
            },
            async {
                for n in 0..EACH {
                    reply(&client3, basic.channel_id(), &root, &format!("plain {n}")).await;
                }
            },
            async {
                for _ in 0..3 {
                    read_root(&basic.client).await;
                }
            },
            async {
                for _ in 0..2 {
                    read_root(&client3).await;
                    read_root(&basic.client2).await;
                }
            },
            async {
                react(&basic.client, &basic.user, "smile").await;
                react(&basic.client2, &basic.user2, "+1").await;
                react(&client3, &user3, "tada").await;
            },
        );

        let total = (2 * EACH + 1) as i64;
        // The root's author never replied: everything after the root is unread, with every
        // mention of them.
        let t = thread(&basic.client, &basic, &root).await;
        assert_eq!(t["reply_count"], total, "{t}");
        assert_eq!(t["unread_replies"], total);
        assert_eq!(t["unread_mentions"], EACH as i64);
        let mut participants: Vec<String> = t["participants"]
            .as_array()
            .unwrap()
            .iter()
            .map(id)
            .collect();
        participants.sort();
        let mut expected = vec![basic.user2_id().to_string(), id(&user3)];
        expected.sort();
        assert_eq!(participants, expected);
        let post = basic.client.get(&format!("/posts/{root}")).await.expect(200).body;
        assert_eq!(post["metadata"]["reactions"].as_array().unwrap().len(), 3);
        // The repliers' counts agree with their read points, whichever came last.
        for client in [&basic.client2, &client3] {
            let me = id(&client.get("/users/me").await.body);
            let t = thread(client, &basic, &root).await;
            let last_viewed = t["last_viewed_at"].as_i64().unwrap();
            let (unread, mentions) = replies_after(client, &root, last_viewed, &me, "@basicuser3").await;
            assert_eq!((t["unread_replies"].as_i64().unwrap(), t["unread_mentions"].as_i64().unwrap()), (unread, mentions), "{t}");
        }
        let after = basic.client.get(&channel_path).await.expect(200).body["total_msg_count"]
            .as_i64()
            .unwrap();
        assert_eq!(after, before + total);
        let unread = basic
            .client
            .get("/users/me/teams/unread?include_collapsed_threads=true")
            .await
            .expect(200)
            .body;
        let entry = unread.as_array().unwrap().iter().find(|e| e["team_id"] == team.as_str()).unwrap();
        assert_eq!((entry["thread_count"].clone(), entry["thread_mention_count"].clone()), (json!(1), json!(EACH)));
    }
);

dual_db_test!(
    async fn members_the_root_mentions_follow_at_the_first_reply(server) {
        let basic = server.init_basic().await;
        let root = create_post(&basic.client2, basic.channel_id(), "@basicuser have a look").await;
        let root = id(&root);
        // The root alone makes no thread; its first reply makes the named member follow,
        // without a mention of the thread (the root's mention is counted on the channel).
        assert_eq!(threads(&basic.client, basic.team_id(), "").await["total"], 0);
        reply(&basic.client2, basic.channel_id(), &root, "a detail").await;
        let t = thread(&basic.client, &basic, &root).await;
        assert_eq!((t["unread_replies"].clone(), t["unread_mentions"].clone()), (json!(1), json!(0)));

        // An unfollow holds against later replies, as for anyone who was not mentioned.
        basic
            .client
            .delete(&thread_path(&basic, &root, "/following"))
            .await
            .expect(200);
        reply(&basic.client2, basic.channel_id(), &root, "another detail").await;
        assert_eq!(threads(&basic.client, basic.team_id(), "").await["total"], 0);
    }
);

dual_db_test!(
    async fn urgent_threads_are_marked_and_their_mentions_counted(server) {
        let basic = server.init_basic().await;
        let urgent = basic
            .client2
            .post(
                "/posts",
                json!({"channel_id": basic.channel_id(), "message": "incident",
                       "metadata": {"priority": {"priority": "urgent"}}}),
            )
            .await
            .expect(201)
            .body;
        let urgent = id(&urgent);
        let plain = id(&basic.post);
        reply(&basic.client2, basic.channel_id(), &urgent, "@basicuser paging you").await;
        reply(&basic.client2, basic.channel_id(), &plain, "@basicuser and here").await;

        let list = threads(&basic.client, basic.team_id(), "").await;
        assert_eq!(list["total_unread_mentions"], 2, "{list}");
        assert_eq!(list["total_unread_urgent_mentions"], 1, "{list}");
        let flagged: Vec<(String, bool)> = list["threads"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| (t["id"].as_str().unwrap().to_string(), t["is_urgent"] == true))
            .collect();
        assert!(flagged.contains(&(urgent.clone(), true)), "{list}");
        assert!(flagged.contains(&(plain.clone(), false)), "{list}");
        assert_eq!(thread(&basic.client, &basic, &urgent).await["is_urgent"], true);

        let teams = basic
            .client
            .get("/users/me/teams/unread?include_collapsed_threads=true")
            .await
            .expect(200)
            .body;
        let team = teams
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["team_id"] == basic.team_id())
            .unwrap();
        assert_eq!(team["thread_mention_count"], 2, "{teams}");
        assert_eq!(team["thread_urgent_mention_count"], 1, "{teams}");

        // The urgent thread's update says so too.
        let token = basic.client.token.clone().unwrap();
        let (mut ws, _) = WsClient::connect_ready(&server, &token).await;
        reply(&basic.client2, basic.channel_id(), &urgent, "still burning").await;
        let update = ws.next_event("thread_updated").await;
        let updated: Value = serde_json::from_str(update["data"]["thread"].as_str().unwrap()).unwrap();
        assert_eq!(updated["is_urgent"], true, "{updated}");
    }
);

dual_db_test!(
    async fn leaving_a_channel_forgets_its_threads(server) {
        let basic = server.init_basic().await;
        let root = id(&basic.post);
        reply(&basic.client2, basic.channel_id(), &root, "a reply").await;
        assert_eq!(threads(&basic.client, basic.team_id(), "").await["total"], 1);

        let me = format!("/channels/{}/members/me", basic.channel_id());
        basic.client.delete(&me).await.expect(200);
        basic
            .client
            .post(
                &format!("/channels/{}/members", basic.channel_id()),
                json!({"user_id": basic.user_id()}),
            )
            .await
            .expect(201);
        // Back in the channel, the thread is not followed any more (Mattermost deletes the
        // memberships on leaving); a new reply makes its root's author follow it again.
        assert_eq!(threads(&basic.client, basic.team_id(), "").await["total"], 0);
        reply(&basic.client2, basic.channel_id(), &root, "welcome back").await;
        let t = thread(&basic.client, &basic, &root).await;
        assert_eq!(t["unread_replies"], 2, "{t}");
    }
);

dual_db_test!(
    async fn a_new_follower_had_nothing_unread_before(server) {
        let basic = server.init_basic().await;
        let root = create_post(&basic.client2, basic.channel_id(), "a root of theirs").await;
        let root = id(&root);
        reply(&basic.client2, basic.channel_id(), &root, "first").await;
        let token = basic.client.token.clone().unwrap();
        let (mut ws, _) = WsClient::connect_ready(&server, &token).await;
        ws.drain(QUIET).await;

        // The mention makes them follow a thread that already had a reply: both replies are
        // unread now, and nothing was before (Mattermost's `newParticipants`).
        reply(&basic.client2, basic.channel_id(), &root, "@basicuser second").await;
        let update = ws.next_event("thread_updated").await;
        let thread: Value = serde_json::from_str(update["data"]["thread"].as_str().unwrap()).unwrap();
        assert_eq!((thread["unread_replies"].clone(), thread["unread_mentions"].clone()), (json!(2), json!(1)));
        assert_eq!(update["data"]["previous_unread_replies"], 0, "{update}");
        assert_eq!(update["data"]["previous_unread_mentions"], 0, "{update}");

        // For a follower, the previous values are the state before the reply.
        reply(&basic.client2, basic.channel_id(), &root, "third").await;
        let update = ws.next_event("thread_updated").await;
        assert_eq!(update["data"]["previous_unread_replies"], 2, "{update}");
        assert_eq!(update["data"]["previous_unread_mentions"], 1, "{update}");
    }
);

dual_db_test!(
    async fn a_deleted_reply_no_longer_counts_as_a_mention(server) {
        let basic = server.init_basic().await;
        let root = id(&basic.post);
        let kept = reply(&basic.client2, basic.channel_id(), &root, "@basicuser one").await;
        let gone = reply(&basic.client2, basic.channel_id(), &root, "@basicuser two").await;
        assert_eq!(thread(&basic.client, &basic, &root).await["unread_mentions"], 2);
        let token = basic.client.token.clone().unwrap();
        let (mut ws, _) = WsClient::connect_ready(&server, &token).await;
        ws.drain(QUIET).await;

        basic.client2.delete(&format!("/posts/{}", id(&gone))).await.expect(200);
        let update = ws.next_event("thread_updated").await;
        let sent: Value = serde_json::from_str(update["data"]["thread"].as_str().unwrap()).unwrap();
        assert_eq!((sent["unread_mentions"].clone(), sent["reply_count"].clone()), (json!(1), json!(1)));
        assert_eq!(update["data"]["previous_unread_mentions"], 0);
        let list = threads(&basic.client, basic.team_id(), "").await;
        assert_eq!(list["total_unread_mentions"], 1, "{list}");

        // Read past a mention, its deletion changes nothing.
        let at = kept["create_at"].as_i64().unwrap() + 1;
        basic
            .client
            .put(&thread_path(&basic, &root, &format!("/read/{at}")), json!({}))
            .await
            .expect(200);
        basic.client2.delete(&format!("/posts/{}", id(&kept))).await.expect(200);
        assert_eq!(thread(&basic.client, &basic, &root).await["unread_mentions"], 0);
        let events = ws.drain(QUIET).await;
        assert!(
            events.iter().all(|e| e["event"] != "thread_updated"),
            "{events:?}"
        );
    }
);
