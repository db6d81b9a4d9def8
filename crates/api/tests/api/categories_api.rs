//! Sidebar categories: the defaults, custom categories, order, favourites kept in step with
//! the `favorite_channel` preferences, who may reach them, and their WebSocket events.

use crate::support::id;
use serde_json::{json, Value};
use std::time::Duration;
use utmost_testkit::ws::WsClient;
use utmost_testkit::{dual_db_test, Basic, Client};

const QUIET: Duration = Duration::from_millis(400);
const CATEGORIES_ERROR: &str = "app.channel.sidebar_categories.app_error";
const INVALID_PARAM: &str = "api.context.invalid_body_param.app_error";
const PERMISSIONS: &str = "api.context.permissions.app_error";

fn base(user: &str, team_id: &str) -> String {
    format!("/users/{user}/teams/{team_id}/channels/categories")
}

async fn categories(client: &Client, team_id: &str) -> Value {
    client.get(&base("me", team_id)).await.expect(200).body
}

/// `(type, channel_ids)` of each category, in order.
async fn shape(client: &Client, team_id: &str) -> Vec<(String, Vec<String>)> {
    let listed = categories(client, team_id).await;
    listed["categories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let channels = c["channel_ids"].as_array().unwrap();
            (
                c["type"].as_str().unwrap().to_string(),
                channels
                    .iter()
                    .map(|v| v.as_str().unwrap().to_string())
                    .collect(),
            )
        })
        .collect()
}

fn category_of<'a>(listed: &'a Value, category_type: &str) -> &'a Value {
    listed["categories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["type"] == category_type)
        .unwrap()
}

/// The user's channels of the team by display name: Basic Channel, Basic Private, Off-Topic,
/// Town Square.
async fn team_channels(basic: &Basic) -> Vec<String> {
    let mine = basic
        .client
        .get(&format!("/users/me/teams/{}/channels", basic.team_id()))
        .await
        .expect(200)
        .body;
    let mut named: Vec<(String, String)> = mine
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["type"] == "O" || c["type"] == "P")
        .map(|c| (c["display_name"].as_str().unwrap().to_string(), id(c)))
        .collect();
    named.sort();
    named.into_iter().map(|(_, id)| id).collect()
}

fn new_category(basic: &Basic, name: &str, channels: &[&str]) -> Value {
    json!({
        "user_id": basic.user_id(),
        "team_id": basic.team_id(),
        "display_name": name,
        "channel_ids": channels,
    })
}

dual_db_test!(
    async fn members_get_the_default_categories(server) {
        let basic = server.init_basic().await;
        let listed = categories(&basic.client, basic.team_id()).await;
        let user = basic.user_id();
        let team = basic.team_id();
        let ids = [
            format!("favorites_{user}_{team}"),
            format!("channels_{user}_{team}"),
            format!("direct_messages_{user}_{team}"),
        ];
        assert_eq!(listed["order"], json!(ids));
        let fields: Vec<Value> = listed["categories"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                json!([c["id"], c["user_id"], c["team_id"], c["sort_order"], c["sorting"],
                    c["type"], c["display_name"], c["muted"], c["collapsed"]])
            })
            .collect();
        assert_eq!(
            fields,
            [
                json!([ids[0], user, team, 0, "", "favorites", "Favorites", false, false]),
                json!([ids[1], user, team, 10, "", "channels", "Channels", false, false]),
                json!([ids[2], user, team, 20, "recent", "direct_messages", "Direct Messages",
                    false, false]),
            ]
        );
        // Public and private channels land in Channels by name, the DM in Direct Messages.
        assert_eq!(
            shape(&basic.client, team).await,
            [
                ("favorites".to_string(), vec![]),
                ("channels".to_string(), team_channels(&basic).await),
                ("direct_messages".to_string(), vec![id(&basic.dm)]),
            ]
        );
        // The same by the user's own id, one category, and the order alone.
        let by_id = basic.client.get(&base(user, team)).await.expect(200).body;
        assert_eq!(by_id, listed);
        let one = basic
            .client
            .get(&format!("{}/{}", base("me", team), ids[1]))
            .await
            .expect(200)
            .body;
        assert_eq!(one, listed["categories"][1]);
        let order = basic
            .client
            .get(&format!("{}/order", base("me", team)))
            .await
            .expect(200)
            .body;
        assert_eq!(order, json!(ids));
    }
);

dual_db_test!(
    async fn the_first_reads_create_the_defaults_once(server) {
        let basic = server.init_basic().await;
        let (user, team) = (basic.user_id().to_string(), basic.team_id().to_string());
        // As a member who joined before categories existed.
        utmost_store::categories::clear_for_team(&server.app.store, &user, &team)
            .await
            .unwrap();
        let reads: Vec<_> = (0..6)
            .map(|_| {
                let (client, path) = (basic.client.clone(), base("me", &team));
                tokio::spawn(async move { client.get(&path).await.expect(200).body })
            })
            .collect();
        for read in reads {
            assert_eq!(read.await.unwrap()["order"].as_array().unwrap().len(), 3);
        }
        let order = utmost_store::categories::order(&server.app.store, &user, &team)
            .await
            .unwrap();
        assert_eq!(order.len(), 3);
    }
);

dual_db_test!(
    async fn others_and_non_members_are_refused(server) {
        let basic = server.init_basic().await;
        let (_, outsider) = server.create_user(Some(&basic.admin), "outsider").await;
        let (user, team) = (basic.user_id(), basic.team_id());
        let favorites = format!("favorites_{user}_{team}");
        let mine = base(user, team);
        let body = new_category(&basic, "x", &[]);
        // Another user: every route, even with a body naming the owner.
        for resp in [
            basic.client2.get(&mine).await,
            basic.client2.post(&mine, body.clone()).await,
            basic.client2.put(&mine, json!([])).await,
            basic.client2.get(&format!("{mine}/order")).await,
            basic.client2.put(&format!("{mine}/order"), json!([])).await,
            basic.client2.get(&format!("{mine}/{favorites}")).await,
            basic.client2.put(&format!("{mine}/{favorites}"), body.clone()).await,
            basic.client2.delete(&format!("{mine}/{favorites}")).await,
        ] {
            resp.expect_error(403, PERMISSIONS);
        }
        // The category of another user through one's own path.
        basic
            .client2
            .get(&format!("{}/{favorites}", base("me", team)))
            .await
            .expect_error(403, PERMISSIONS);
        // Not a member of the team.
        for resp in [
            outsider.get(&base("me", team)).await,
            outsider.get(&format!("{}/order", base("me", team))).await,
            outsider
                .post(&base("me", team), json!({"team_id": team, "display_name": "x"}))
                .await,
        ] {
            resp.expect_error(403, PERMISSIONS);
        }
        // An admin may (edit_other_users), and learns that a category does not exist.
        basic.admin.get(&mine).await.expect(200);
        basic
            .admin
            .get(&format!("{mine}/{}", utmost_model::new_id()))
            .await
            .expect_error(404, CATEGORIES_ERROR);
    }
);

dual_db_test!(
    async fn custom_categories_are_created_updated_and_deleted(server) {
        let basic = server.init_basic().await;
        let team = basic.team_id();
        let channel = basic.channel_id().to_string();
        let dm = id(&basic.dm);
        // A channel of the team the user is not in is dropped, as Mattermost does.
        let elsewhere = basic
            .client2
            .post(
                "/channels",
                json!({"team_id": team, "name": "elsewhere", "display_name": "Elsewhere", "type": "O"}),
            )
            .await
            .expect(201)
            .body;
        let made = basic
            .client
            .post(
                &base("me", team),
                new_category(&basic, "Work", &[&channel, &dm, &id(&elsewhere), &channel]),
            )
            .await
            .expect(200)
            .body;
        assert_eq!(made["type"], "custom");
        assert_eq!(made["display_name"], "Work");
        assert_eq!(made["sort_order"], 10);
        assert_eq!(made["channel_ids"], json!([channel, dm]));
        let made_id = id(&made);
        assert_eq!(made_id.len(), 26);
        let listed = categories(&basic.client, team).await;
        assert_eq!(listed["order"][1], made_id.as_str());
        assert!(!category_of(&listed, "channels")["channel_ids"]
            .as_array()
            .unwrap()
            .contains(&json!(channel)));
        assert_eq!(category_of(&listed, "direct_messages")["channel_ids"], json!([]));

        // Rename, collapse and reorder its channels.
        let path = format!("{}/{made_id}", base("me", team));
        let mut changed = made.clone();
        changed["display_name"] = json!("Renamed");
        changed["collapsed"] = json!(true);
        changed["sorting"] = json!("alpha");
        changed["channel_ids"] = json!([dm, channel]);
        let updated = basic.client.put(&path, changed).await.expect(200).body;
        assert_eq!(
            [&updated["display_name"], &updated["collapsed"], &updated["sorting"]],
            [&json!("Renamed"), &json!(true), &json!("alpha")]
        );
        assert_eq!(updated["channel_ids"], json!([dm, channel]));
        assert_eq!(basic.client.get(&path).await.expect(200).body, updated);

        // A default category keeps its name.
        let mut favorites = category_of(&listed, "favorites").clone();
        favorites["display_name"] = json!("Mine");
        let many = basic
            .client
            .put(&base("me", team), json!([favorites]))
            .await
            .expect(200)
            .body;
        assert_eq!(many[0]["display_name"], "Favorites");

        // Defaults cannot be deleted; a custom one can, and its channels go back.
        basic
            .client
            .delete(&format!("{}/{}", base("me", team), id(&favorites)))
            .await
            .expect_error(400, CATEGORIES_ERROR);
        let deleted = basic.client.delete(&path).await.expect(200).body;
        assert_eq!(deleted, json!({"status": "OK"}));
        basic.client.get(&path).await.expect_error(403, PERMISSIONS);
        let after = categories(&basic.client, team).await;
        assert_eq!(after["order"].as_array().unwrap().len(), 3);
        assert_eq!(category_of(&after, "direct_messages")["channel_ids"], json!([dm]));
        assert!(category_of(&after, "channels")["channel_ids"]
            .as_array()
            .unwrap()
            .contains(&json!(channel)));
    }
);

dual_db_test!(
    async fn bad_category_input_is_refused(server) {
        let basic = server.init_basic().await;
        let team = basic.team_id();
        let mine = base("me", team);
        let listed = categories(&basic.client, team).await;
        let favorites = category_of(&listed, "favorites").clone();
        let client = &basic.client;
        // The body must name the path's user and team.
        let mut other_team = new_category(&basic, "x", &[]);
        other_team["team_id"] = json!(utmost_model::new_id());
        let mut other_user = new_category(&basic, "x", &[]);
        other_user["user_id"] = json!(basic.user2_id());
        let mut bad_sorting = new_category(&basic, "x", &[]);
        bad_sorting["sorting"] = json!("random");
        for body in [
            other_team,
            other_user,
            bad_sorting,
            new_category(&basic, &"n".repeat(65), &[]),
            json!("not a category"),
        ] {
            client.post(&mine, body).await.expect_error(400, INVALID_PARAM);
        }
        client
            .put(&format!("{mine}/{}", id(&favorites)), json!({"team_id": team}))
            .await
            .expect_error(400, INVALID_PARAM);
        // Updating many: each must be the user's.
        let mut unknown = favorites.clone();
        unknown["id"] = json!(utmost_model::new_id());
        client
            .put(&mine, json!([favorites, unknown]))
            .await
            .expect_error(400, INVALID_PARAM);
        client.put(&mine, json!({})).await.expect_error(400, INVALID_PARAM);
        // Malformed and unknown category ids.
        client
            .get(&format!("{mine}/not-an-id"))
            .await
            .expect_error(400, "api.context.invalid_url_param.app_error");
        client
            .get(&format!("{mine}/{}", utmost_model::new_id()))
            .await
            .expect_error(403, PERMISSIONS);
        client
            .get("/users/me/teams/bad/channels/categories")
            .await
            .expect_error(400, "api.context.invalid_url_param.app_error");
    }
);

dual_db_test!(
    async fn the_order_names_every_category_once(server) {
        let basic = server.init_basic().await;
        let team = basic.team_id();
        let path = format!("{}/order", base("me", team));
        let made = basic
            .client
            .post(&base("me", team), new_category(&basic, "Work", &[]))
            .await
            .expect(200)
            .body;
        let mut order: Vec<Value> = categories(&basic.client, team).await["order"]
            .as_array()
            .unwrap()
            .clone();
        assert_eq!(order[1], json!(id(&made)));
        order.reverse();
        let set = basic.client.put(&path, json!(order)).await.expect(200).body;
        assert_eq!(set, json!(order));
        let listed = categories(&basic.client, team).await;
        assert_eq!(listed["order"], json!(order));
        let sort_orders: Vec<&Value> = listed["categories"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| &c["sort_order"])
            .collect();
        assert_eq!(sort_orders, [&json!(0), &json!(10), &json!(20), &json!(30)]);
        // Leaving one out, or naming another user's.
        basic
            .client
            .put(&path, json!(order[..3]))
            .await
            .expect_error(400, CATEGORIES_ERROR);
        let theirs = format!("favorites_{}_{}", basic.user2_id(), team);
        let mut with_theirs = order.clone();
        with_theirs[0] = json!(theirs);
        basic
            .client
            .put(&path, json!(with_theirs))
            .await
            .expect_error(400, INVALID_PARAM);
        basic.client.put(&path, json!({})).await.expect_error(400, INVALID_PARAM);
    }
);

dual_db_test!(
    async fn favorites_follow_the_preferences_both_ways(server) {
        let basic = server.init_basic().await;
        let (user, team) = (basic.user_id(), basic.team_id());
        let channel = basic.channel_id().to_string();
        let favorite = |value: &str| {
            json!([{"user_id": user, "category": "favorite_channel", "name": channel, "value": value}])
        };
        // Saving the preference moves the channel into Favorites, "false" out again.
        basic
            .client
            .put("/users/me/preferences", favorite("true"))
            .await
            .expect(200);
        let listed = categories(&basic.client, team).await;
        assert_eq!(category_of(&listed, "favorites")["channel_ids"], json!([channel]));
        assert!(!category_of(&listed, "channels")["channel_ids"]
            .as_array()
            .unwrap()
            .contains(&json!(channel)));
        basic
            .client
            .put("/users/me/preferences", favorite("false"))
            .await
            .expect(200);
        let listed = categories(&basic.client, team).await;
        assert_eq!(category_of(&listed, "favorites")["channel_ids"], json!([]));

        // Moving the channel into Favorites saves the preference; out of it deletes it.
        let mut favorites = category_of(&listed, "favorites").clone();
        favorites["channel_ids"] = json!([channel]);
        basic
            .client
            .put(&base("me", team), json!([favorites]))
            .await
            .expect(200);
        let saved = basic
            .client
            .get(&format!("/users/me/preferences/favorite_channel/name/{channel}"))
            .await
            .expect(200)
            .body;
        assert_eq!(saved["value"], "true");
        favorites["channel_ids"] = json!([]);
        let mut channels = category_of(&listed, "channels").clone();
        channels["channel_ids"] = json!([channel]);
        basic
            .client
            .put(&base("me", team), json!([favorites, channels]))
            .await
            .expect(200);
        basic
            .client
            .get("/users/me/preferences/favorite_channel")
            .await
            .expect_error(404, "api.preference.preferences_category.get.app_error");

        // Deleting the preference takes the channel out too.
        basic
            .client
            .put("/users/me/preferences", favorite("true"))
            .await
            .expect(200);
        basic
            .client
            .post("/users/me/preferences/delete", favorite("true"))
            .await
            .expect(200);
        let listed = categories(&basic.client, team).await;
        assert_eq!(category_of(&listed, "favorites")["channel_ids"], json!([]));
    }
);

dual_db_test!(
    async fn leaving_a_channel_takes_it_out_of_categories(server) {
        let basic = server.init_basic().await;
        let team = basic.team_id();
        let channel = basic.channel_id().to_string();
        basic
            .client
            .post(&base("me", team), new_category(&basic, "Work", &[&channel]))
            .await
            .expect(200);
        basic
            .client
            .delete(&format!("/channels/{channel}/members/me"))
            .await
            .expect(200);
        let listed = shape(&basic.client, team).await;
        assert!(listed.iter().all(|(_, ids)| !ids.contains(&channel)), "{listed:?}");
        assert_eq!(listed[1], ("custom".to_string(), vec![]));
    }
);

dual_db_test!(
    async fn category_events_reach_only_the_users_connections(server) {
        let basic = server.init_basic().await;
        let team = basic.team_id();
        let (mut own_ws, _) =
            WsClient::connect_ready(&server, basic.client.token.as_deref().unwrap()).await;
        let (mut other_ws, _) =
            WsClient::connect_ready(&server, basic.client2.token.as_deref().unwrap()).await;
        own_ws.drain(QUIET).await;
        other_ws.drain(QUIET).await;

        let made = basic
            .client
            .post(&base("me", team), new_category(&basic, "Work", &[basic.channel_id()]))
            .await
            .expect(200)
            .body;
        let created = own_ws.next_event("sidebar_category_created").await;
        assert_eq!(created["data"]["category_id"], id(&made).as_str());
        assert_eq!(created["broadcast"]["user_id"], basic.user_id());
        assert_eq!(created["broadcast"]["team_id"], team);

        let mut changed = made.clone();
        changed["display_name"] = json!("Renamed");
        basic
            .client
            .put(&base("me", team), json!([changed]))
            .await
            .expect(200);
        let updated = own_ws.next_event("sidebar_category_updated").await;
        let sent: Value =
            serde_json::from_str(updated["data"]["updatedCategories"].as_str().unwrap()).unwrap();
        assert_eq!(sent[0]["display_name"], "Renamed");
        assert_eq!(sent[0]["channel_ids"], json!([basic.channel_id()]));

        let order = categories(&basic.client, team).await["order"].clone();
        basic
            .client
            .put(&format!("{}/order", base("me", team)), order.clone())
            .await
            .expect(200);
        let reordered = own_ws.next_event("sidebar_category_order_updated").await;
        assert_eq!(reordered["data"]["order"], order);

        basic
            .client
            .delete(&format!("{}/{}", base("me", team), id(&made)))
            .await
            .expect(200);
        let deleted = own_ws.next_event("sidebar_category_deleted").await;
        assert_eq!(deleted["data"]["category_id"], id(&made).as_str());

        // Saving a preference tells the user's clients to reload their categories.
        basic
            .client
            .put(
                "/users/me/preferences",
                json!([{"user_id": basic.user_id(), "category": "favorite_channel",
                    "name": basic.channel_id(), "value": "true"}]),
            )
            .await
            .expect(200);
        let reload = own_ws.next_event("sidebar_category_updated").await;
        assert_eq!(reload["broadcast"]["user_id"], basic.user_id());

        let heard = other_ws.drain(QUIET).await;
        assert!(
            heard
                .iter()
                .all(|e| !e["event"].as_str().unwrap_or("").starts_with("sidebar_category")),
            "{heard:?}"
        );
    }
);

dual_db_test!(
    async fn muting_a_category_mutes_its_channels(server) {
        let basic = server.init_basic().await;
        let team = basic.team_id();
        let channel = basic.channel_id().to_string();
        let mark_unread = |client: &Client, channel: &str| {
            let (client, path) = (client.clone(), format!("/channels/{channel}/members/me"));
            async move {
                client.get(&path).await.expect(200).body["notify_props"]["mark_unread"].clone()
            }
        };
        let mut made = basic
            .client
            .post(&base("me", team), new_category(&basic, "Quiet", &[&channel]))
            .await
            .expect(200)
            .body;
        made["muted"] = json!(true);
        let updated = basic
            .client
            .put(&base("me", team), json!([made]))
            .await
            .expect(200)
            .body;
        assert_eq!(updated[0]["muted"], true);
        assert_eq!(mark_unread(&basic.client, &channel).await, "mention");
        // Moved out into the unmuted Channels category, it is unmuted again.
        let listed = categories(&basic.client, team).await;
        let mut channels = category_of(&listed, "channels").clone();
        channels["channel_ids"]
            .as_array_mut()
            .unwrap()
            .push(json!(channel));
        made["channel_ids"] = json!([]);
        basic
            .client
            .put(&base("me", team), json!([made, channels]))
            .await
            .expect(200);
        assert_eq!(mark_unread(&basic.client, &channel).await, "all");
    }
);
