//! Channel bookmarks: list, add, edit, reorder, delete, their checks and their WebSocket
//! events.

use crate::posts_support::outsider;
use crate::support::id;
use serde_json::{json, Value};
use std::time::Duration;
use utmost_testkit::ws::WsClient;
use utmost_testkit::{dual_db_test, Client};

const QUIET: Duration = Duration::from_millis(400);

fn link(name: &str) -> Value {
    json!({"display_name": name, "type": "link", "link_url": format!("https://example.com/{name}")})
}

async fn add(client: &Client, channel_id: &str, body: Value) -> Value {
    client
        .post(&format!("/channels/{channel_id}/bookmarks"), body)
        .await
        .expect(201)
        .body
}

/// PATCH, which `Client` has no shorthand for.
async fn patch(client: &Client, path: &str, body: Value) -> utmost_testkit::Resp {
    client
        .request("PATCH".parse().unwrap(), path, Some(&body))
        .await
}

async fn names(client: &Client, channel_id: &str) -> Vec<(String, i64)> {
    let list = client
        .get(&format!("/channels/{channel_id}/bookmarks"))
        .await
        .expect(200)
        .body;
    list.as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["display_name"].as_str().unwrap().to_string(),
                b["sort_order"].as_i64().unwrap(),
            )
        })
        .collect()
}

fn pairs(list: &[(&str, i64)]) -> Vec<(String, i64)> {
    list.iter().map(|(n, o)| (n.to_string(), *o)).collect()
}

dual_db_test!(
    async fn bookmarks_are_added_listed_edited_sorted_and_deleted(server) {
        let basic = server.init_basic().await;
        let channel = basic.channel_id().to_string();
        let path = format!("/channels/{channel}/bookmarks");
        let mut body = link("docs");
        body["emoji"] = json!(":book:");
        body["image_url"] = json!("https://example.com/icon.png");
        let docs = add(&basic.client, &channel, body).await;
        assert_eq!(id(&docs).len(), 26);
        assert_eq!(docs["owner_id"], basic.user_id());
        assert_eq!(docs["channel_id"], channel.as_str());
        assert_eq!(docs["type"], "link");
        assert_eq!(docs["link_url"], "https://example.com/docs");
        assert_eq!(docs["emoji"], ":book:");
        assert_eq!((docs["sort_order"].clone(), docs["delete_at"].clone()), (json!(0), json!(0)));
        assert_eq!(docs["file_id"], "");
        assert!(docs.get("original_id").is_none());
        let wiki = add(&basic.client, &channel, link("wiki")).await;
        let faq = add(&basic.client2, &channel, link("faq")).await;
        assert_eq!(faq["sort_order"], 2);
        assert_eq!(names(&basic.client2, &channel).await, pairs(&[("docs", 0), ("wiki", 1), ("faq", 2)]));

        // The owner's edit changes the bookmark in place.
        let edited = patch(
            &basic.client,
            &format!("{path}/{}", id(&docs)),
            json!({"display_name": "manual"}),
        )
        .await
        .expect(200)
        .body;
        assert_eq!(edited["updated"]["id"], docs["id"]);
        assert_eq!(edited["updated"]["display_name"], "manual");
        assert_eq!(edited["updated"]["link_url"], "https://example.com/docs");
        assert!(edited.get("deleted").is_none());
        // Someone else's edit keeps the owner's version, deleted, and saves their copy.
        let taken = patch(
            &basic.client2,
            &format!("{path}/{}", id(&wiki)),
            json!({"link_url": "https://example.com/new-wiki"}),
        )
        .await
        .expect(200)
        .body;
        assert_eq!(taken["deleted"]["id"], wiki["id"]);
        assert!(taken["deleted"]["delete_at"].as_i64().unwrap() > 0);
        let copy = &taken["updated"];
        assert_ne!(copy["id"], wiki["id"]);
        assert_eq!(copy["original_id"], wiki["id"]);
        assert_eq!(copy["owner_id"], basic.user2_id());
        assert_eq!(copy["sort_order"], 1);
        assert_eq!(names(&basic.client, &channel).await, pairs(&[("manual", 0), ("wiki", 1), ("faq", 2)]));

        // Reordering answers the whole list in its new order.
        let sorted = basic
            .client
            .post(&format!("{path}/{}/sort_order", id(&faq)), json!(0))
            .await
            .expect(200)
            .body;
        let order: Vec<&str> = sorted
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["display_name"].as_str().unwrap())
            .collect();
        assert_eq!(order, ["faq", "manual", "wiki"]);
        assert_eq!(names(&basic.client, &channel).await, pairs(&[("faq", 0), ("manual", 1), ("wiki", 2)]));

        // Deleting answers the bookmark as deleted; bookmarks_since lists it with the changes.
        let before = now_ms();
        let deleted = basic
            .client
            .delete(&format!("{path}/{}", id(&faq)))
            .await
            .expect(200)
            .body;
        assert!(deleted["delete_at"].as_i64().unwrap() >= before);
        assert_eq!(names(&basic.client, &channel).await, pairs(&[("manual", 1), ("wiki", 2)]));
        let since = basic
            .client
            .get(&format!("{path}?bookmarks_since={before}"))
            .await
            .expect(200)
            .body;
        assert_eq!(since.as_array().unwrap().len(), 1);
        assert_eq!(since[0]["id"], faq["id"]);
        basic
            .client
            .delete(&format!("{path}/{}", id(&faq)))
            .await
            .expect_error(404, "app.channel.bookmark.get.app_error");

        // Members of a direct message manage its bookmarks too.
        let dm = id(&basic.dm);
        add(&basic.client2, &dm, link("ours")).await;
        assert_eq!(names(&basic.client, &dm).await, pairs(&[("ours", 0)]));
    }
);

fn now_ms() -> i64 {
    utmost_model::now_millis()
}

dual_db_test!(
    async fn bookmarks_are_checked(server) {
        let basic = server.init_basic().await;
        let channel = basic.channel_id().to_string();
        let private = id(&basic.private_channel);
        let path = format!("/channels/{channel}/bookmarks");
        let secret = add(&basic.client, &private, link("secret")).await;
        let docs = add(&basic.client, &channel, link("docs")).await;
        let (_outsider, outsider_client) = outsider(&server, &basic).await;

        // Outside a private channel: neither read nor write.
        let private_path = format!("/channels/{private}/bookmarks");
        outsider_client
            .get(&private_path)
            .await
            .expect_error(403, "api.context.permissions.app_error");
        outsider_client
            .post(&private_path, link("x"))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        patch(&outsider_client, &format!("{private_path}/{}", id(&secret)), json!({"display_name": "x"}))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        outsider_client
            .post(&format!("{private_path}/{}/sort_order", id(&secret)), json!(0))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        outsider_client
            .delete(&format!("{private_path}/{}", id(&secret)))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        // A public channel's team members may read its bookmarks, not change them.
        assert_eq!(names(&outsider_client, &channel).await.len(), 1);
        outsider_client
            .post(&path, link("x"))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        // A direct message between others.
        let dm = id(&basic.dm);
        outsider_client
            .post(&format!("/channels/{dm}/bookmarks"), link("x"))
            .await
            .expect_error(
                403,
                "api.channel.bookmark.create_channel_bookmark.direct_or_group_channels.forbidden.app_error",
            );
        basic
            .client
            .get(&format!("/channels/{}/bookmarks", "a".repeat(26)))
            .await
            .expect_error(404, "app.channel.get.existing.app_error");

        // Bad input.
        for (body, error) in [
            (json!({"type": "link", "link_url": "https://x.org"}), "model.channel_bookmark.is_valid.display_name.app_error"),
            (json!({"display_name": "x", "type": "folder"}), "model.channel_bookmark.is_valid.type.app_error"),
            (json!({"display_name": "x", "type": "link", "link_url": "javascript:alert(1)"}), "model.channel_bookmark.is_valid.link_url.missing_or_invalid.app_error"),
            (json!({"display_name": "x", "type": "link", "link_url": "https://x.org", "image_url": "x"}), "model.channel_bookmark.is_valid.image_url.app_error"),
            (json!({"display_name": "x", "type": "file"}), "model.channel_bookmark.is_valid.file_id.missing_or_invalid.app_error"),
            (json!({"display_name": "x", "type": "file", "file_id": "a".repeat(26)}), "app.channel.bookmark.save.app_error"),
            (json!({"display_name": "x", "type": "link", "link_url": "https://x.org", "emoji": "e".repeat(65)}), "model.channel_bookmark.is_valid.emoji.app_error"),
            (json!(null), "api.context.invalid_body_param.app_error"),
            (json!({"display_name": 5}), "api.context.invalid_body_param.app_error"),
        ] {
            basic.client.post(&path, body).await.expect_error(400, error);
        }
        patch(&basic.client, &format!("{path}/{}", id(&docs)), json!({"link_url": ""}))
            .await
            .expect_error(400, "model.channel_bookmark.is_valid.link_url.missing_or_invalid.app_error");
        // A bookmark of another channel, named under this one.
        patch(&basic.client, &format!("{path}/{}", id(&secret)), json!({"display_name": "x"}))
            .await
            .expect_error(400, "api.context.invalid_body_param.app_error");
        basic
            .client
            .delete(&format!("{path}/{}", id(&secret)))
            .await
            .expect_error(400, "api.context.invalid_body_param.app_error");
        for (order, status, error) in [
            (json!(-1), 400, "api.context.invalid_body_param.app_error"),
            (json!("first"), 400, "api.context.invalid_body_param.app_error"),
            (json!(1), 404, "app.channel.bookmark.update_sort.app_error"),
        ] {
            basic
                .client
                .post(&format!("{path}/{}/sort_order", id(&docs)), order)
                .await
                .expect_error(status, error);
        }
        basic
            .client
            .delete(&format!("{path}/nope"))
            .await
            .expect_error(400, "api.context.invalid_url_param.app_error");

        // At most 50 per channel.
        for i in 1..50 {
            add(&basic.client, &channel, link(&format!("l{i}"))).await;
        }
        basic
            .client
            .post(&path, link("one-too-many"))
            .await
            .expect_error(400, "app.channel.bookmark.save.app_error");
        assert_eq!(names(&basic.client, &channel).await.len(), 50);

        // Not in an archived channel.
        basic.client.delete(&format!("/channels/{channel}")).await.expect(200);
        basic
            .client
            .post(&path, link("late"))
            .await
            .expect_error(
                403,
                "api.channel.bookmark.create_channel_bookmark.deleted_channel.forbidden.app_error",
            );
        basic
            .client
            .delete(&format!("{path}/{}", id(&docs)))
            .await
            .expect_error(
                403,
                "api.channel.bookmark.delete_channel_bookmark.deleted_channel.forbidden.app_error",
            );
    }
);

dual_db_test!(
    async fn bookmark_events_reach_the_channels_members_only(server) {
        let basic = server.init_basic().await;
        let channel = basic.channel_id().to_string();
        let path = format!("/channels/{channel}/bookmarks");
        let (_outsider, outsider_client) = outsider(&server, &basic).await;
        let (mut member_ws, _) =
            WsClient::connect_ready(&server, basic.client2.token.as_deref().unwrap()).await;
        let (mut outsider_ws, _) =
            WsClient::connect_ready(&server, outsider_client.token.as_deref().unwrap()).await;
        member_ws.drain(QUIET).await;
        outsider_ws.drain(QUIET).await;

        let docs = add(&basic.client, &channel, link("docs")).await;
        let created = member_ws.next_event("channel_bookmark_created").await;
        assert_eq!(created["broadcast"]["channel_id"], channel.as_str());
        let sent: Value = serde_json::from_str(created["data"]["bookmark"].as_str().unwrap()).unwrap();
        assert_eq!(sent, docs);
        let wiki = add(&basic.client, &channel, link("wiki")).await;

        let response = patch(&basic.client, &format!("{path}/{}", id(&docs)), json!({"display_name": "manual"}))
            .await
            .expect(200)
            .body;
        let updated = member_ws.next_event("channel_bookmark_updated").await;
        let sent: Value = serde_json::from_str(updated["data"]["bookmarks"].as_str().unwrap()).unwrap();
        assert_eq!(sent, response);

        basic
            .client
            .post(&format!("{path}/{}/sort_order", id(&wiki)), json!(0))
            .await
            .expect(200);
        let sorted = member_ws.next_event("channel_bookmark_sorted").await;
        let sent: Value = serde_json::from_str(sorted["data"]["bookmarks"].as_str().unwrap()).unwrap();
        assert_eq!(sent[0]["id"], wiki["id"]);

        basic.client.delete(&format!("{path}/{}", id(&wiki))).await.expect(200);
        let deleted = member_ws.next_event("channel_bookmark_deleted").await;
        let sent: Value = serde_json::from_str(deleted["data"]["bookmark"].as_str().unwrap()).unwrap();
        assert_eq!(sent["id"], wiki["id"]);
        assert!(sent["delete_at"].as_i64().unwrap() > 0);

        let heard = outsider_ws.drain(QUIET).await;
        assert!(
            heard
                .iter()
                .all(|e| !e["event"].as_str().unwrap_or("").starts_with("channel_bookmark")),
            "{heard:?}"
        );
    }
);
