//! Custom groups (`/groups` with source `custom`): made by any user by default, with their
//! first members; renamed, given and relieved of members, archived and restored, as
//! Mattermost answers each call; `@name` mentions their members; the permissions follow the
//! roles (`system_user`, and `custom_group_user` for members); `EnableCustomGroups` turns
//! them off; and outsiders are refused.

use crate::ldap_groups::mentions_of;
use crate::support::{configure, id};
use reqwest::Method;
use serde_json::{json, Value};
use utmost_testkit::ws::WsClient;
use utmost_testkit::{dual_db_test, Client};

const PERMISSIONS: &str = "api.context.permissions.app_error";

fn new_group(name: &str, user_ids: &[&str]) -> Value {
    json!({
        "name": name,
        "display_name": "Support Crew",
        "source": "custom",
        "allow_reference": true,
        "user_ids": user_ids,
    })
}

async fn members_request(client: &Client, method: Method, gid: &str, user_ids: &[&str]) -> Value {
    client
        .request(
            method,
            &format!("/groups/{gid}/members"),
            Some(&json!({"user_ids": user_ids})),
        )
        .await
        .expect(200)
        .body
}

async fn member_ids(client: &Client, gid: &str) -> Vec<String> {
    let page = client
        .get(&format!("/groups/{gid}/members"))
        .await
        .expect(200)
        .body;
    let mut ids: Vec<String> = page["members"].as_array().unwrap().iter().map(id).collect();
    ids.sort();
    ids
}

/// The ids of the groups a `/groups` query lists.
async fn listed(client: &Client, query: &str) -> Vec<String> {
    let groups = client
        .get(&format!("/groups?{query}"))
        .await
        .expect(200)
        .body;
    groups.as_array().unwrap().iter().map(id).collect()
}

dual_db_test!(
    async fn a_user_makes_changes_archives_and_restores_a_custom_group(server) {
        let basic = server.init_basic().await;
        let (me, other) = (basic.user_id(), basic.user2_id());
        let (mut other_ws, _) =
            WsClient::connect_ready(&server, basic.client2.token.as_deref().unwrap()).await;

        let group = basic
            .client
            .post("/groups", new_group("support-crew", &[me, other]))
            .await
            .expect(201)
            .body;
        let gid = id(&group);
        assert_eq!(group["source"], "custom");
        assert_eq!(group["name"], "support-crew");
        assert_eq!(group["allow_reference"], true);
        assert_eq!(group["member_count"], 2);
        let event = other_ws.next_event("received_group").await;
        let sent: Value = serde_json::from_str(event["data"]["group"].as_str().unwrap()).unwrap();
        assert_eq!(sent["id"], gid.as_str());
        assert_eq!(member_ids(&basic.client2, &gid).await, {
            let mut ids = vec![me.to_string(), other.to_string()];
            ids.sort();
            ids
        });
        assert!(listed(&basic.client2, "source=custom").await.contains(&gid));

        // Anyone may edit it by default; it stays mentionable.
        let patched = basic
            .client2
            .put(&format!("/groups/{gid}/patch"), json!({"display_name": "Support"}))
            .await
            .expect(200)
            .body;
        assert_eq!(patched["display_name"], "Support");
        basic
            .client2
            .put(&format!("/groups/{gid}/patch"), json!({"allow_reference": false}))
            .await
            .expect_error(400, "api.custom_groups.must_be_referenceable");

        // Members come and go; each hears of it.
        let admin_id = basic.admin_user["id"].as_str().unwrap();
        let added = members_request(&basic.client, Method::POST, &gid, &[admin_id]).await;
        assert_eq!(added[0]["user_id"], admin_id);
        assert_eq!(added[0]["delete_at"], 0);
        let removed = members_request(&basic.client, Method::DELETE, &gid, &[other]).await;
        assert_eq!(removed[0]["user_id"], other);
        assert!(removed[0]["delete_at"].as_i64().unwrap() > 0);
        other_ws.next_event("group_member_deleted").await;
        assert!(!member_ids(&basic.client, &gid).await.contains(&other.to_string()));

        // Archived: gone from the default list, listed when asked for, and back on restore.
        let archived = basic.client.delete(&format!("/groups/{gid}")).await.expect(200).body;
        assert!(archived["delete_at"].as_i64().unwrap() > 0);
        assert!(!listed(&basic.client, "source=custom").await.contains(&gid));
        assert!(listed(&basic.client, "include_archived=true").await.contains(&gid));
        assert_eq!(listed(&basic.client, "filter_archived=true").await, vec![gid.clone()]);
        basic
            .client
            .delete(&format!("/groups/{gid}"))
            .await
            .expect_error(404, "app.group.no_rows");
        let restored =
            basic.client.post(&format!("/groups/{gid}/restore"), json!({})).await.expect(200).body;
        assert_eq!(restored["delete_at"], 0);
        assert_eq!(member_ids(&basic.client, &gid).await.len(), 2, "members come back with it");
        basic
            .client
            .post(&format!("/groups/{gid}/restore"), json!({}))
            .await
            .expect_error(404, "app.group.no_rows");

        // Each change is in the audit log, the refused restore as a failure.
        let audits = basic.admin.get("/audits?per_page=200").await.expect(200).body;
        let events: Vec<&str> = audits
            .as_array()
            .unwrap()
            .iter()
            .filter(|a| a["user_id"] == me)
            .map(|a| a["extra_info"].as_str().unwrap())
            .collect();
        for event in [
            "createGroup success",
            "addGroupMembers success",
            "deleteGroupMembers success",
            "deleteGroup success",
            "restoreGroup success",
            "restoreGroup failure",
        ] {
            assert!(events.iter().any(|e| e.starts_with(event)), "{event} in {events:?}");
        }
    }
);

dual_db_test!(
    async fn a_custom_group_is_refused_as_mattermost_refuses_it(server) {
        let basic = server.init_basic().await;
        let c = &basic.client;
        let me = basic.user_id();
        c.post("/groups", new_group("crew", &[me])).await.expect(201);
        let cases = [
            (json!({"source": "ldap"}), 400, "app.group.crud_permission"),
            (json!({"allow_reference": false}), 400, "api.custom_groups.must_be_referenceable"),
            (json!({"remote_id": "abc"}), 400, "api.custom_groups.no_remote_id"),
            (json!({"name": "here"}), 400, "api.ldap_groups.existing_reserved_name_error"),
            (json!({"name": "basicuser2"}), 400, "app.group.username_conflict"),
            (json!({"name": "crew"}), 400, "app.custom_group.unique_name"),
            (json!({"name": "Not Valid"}), 400, "model.group.name.app_error"),
            (json!({"display_name": ""}), 400, "model.group.display_name.app_error"),
            (json!({"user_ids": ["nosuchuserxxxxxxxxxxxxxxxx"]}), 400, "api.context.invalid_body_param.app_error"),
        ];
        for (change, status, error) in cases {
            let mut body = new_group("fresh", &[me]);
            body.as_object_mut().unwrap().extend(change.as_object().unwrap().clone());
            c.post("/groups", body.clone()).await.expect_error(status, error);
        }
        let too_many: Vec<String> = (0..1001).map(|_| utmost_model::new_id()).collect();
        let mut body = new_group("fresh", &[]);
        body["user_ids"] = json!(too_many);
        c.post("/groups", body).await.expect_error(400, "api.context.invalid_body_param.app_error");
        // Nothing half-made: the name is still free.
        c.post("/groups", new_group("fresh", &[me])).await.expect(201);

        // An LDAP group is not changed by the custom group calls.
        let now = utmost_model::now_millis();
        let ldap = utmost_model::group::Group {
            id: utmost_model::new_id(),
            display_name: "Directory".into(),
            source: "ldap".into(),
            remote_id: Some("remote".into()),
            create_at: now,
            update_at: now,
            ..Default::default()
        };
        utmost_store::groups::insert(&server.app.store, &ldap).await.unwrap();
        let path = format!("/groups/{}", ldap.id);
        basic.admin.delete(&path).await.expect_error(400, "app.group.crud_permission");
        basic
            .admin
            .post(&format!("{path}/restore"), json!({}))
            .await
            .expect_error(501, "app.group.crud_permission");
        basic
            .admin
            .request(Method::POST, &format!("{path}/members"), Some(&json!({"user_ids": [me]})))
            .await
            .expect_error(400, "app.group.crud_permission");
    }
);

/// The permissions of `role` (by name) replaced with `permissions`.
async fn set_role_permissions(admin: &Client, role: &str, change: impl Fn(&mut Vec<String>)) {
    let found = admin
        .get(&format!("/roles/name/{role}"))
        .await
        .expect(200)
        .body;
    let mut permissions: Vec<String> = found["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap().to_string())
        .collect();
    change(&mut permissions);
    admin
        .put(
            &format!("/roles/{}/patch", id(&found)),
            json!({"permissions": permissions}),
        )
        .await
        .expect(200);
}

dual_db_test!(
    async fn custom_group_permissions_follow_the_roles_and_outsiders_are_refused(server) {
        let basic = server.init_basic().await;
        let (me, other) = (basic.user_id(), basic.user2_id());
        let gid = id(&basic.client.post("/groups", new_group("crew", &[me])).await.expect(201).body);
        let anon = server.client();
        let members = format!("/groups/{gid}/members");
        let body = json!({"user_ids": [other]});
        for (method, path) in [
            (Method::POST, "/groups".to_string()),
            (Method::DELETE, format!("/groups/{gid}")),
            (Method::POST, format!("/groups/{gid}/restore")),
            (Method::POST, members.clone()),
            (Method::DELETE, members.clone()),
            (Method::PUT, format!("/groups/{gid}/patch")),
        ] {
            anon.request(method, &path, Some(&body)).await.expect(401);
        }

        // Without the system-wide permission, only members whose group role grants it may.
        set_role_permissions(&basic.admin, "system_user", |p| {
            p.retain(|p| !p.ends_with("custom_group") && p != "manage_custom_group_members")
        })
        .await;
        basic
            .client
            .post("/groups", new_group("another", &[me]))
            .await
            .expect_error(403, PERMISSIONS);
        for client in [&basic.client, &basic.client2] {
            client.request(Method::POST, &members, Some(&body)).await.expect_error(403, PERMISSIONS);
            client.delete(&format!("/groups/{gid}")).await.expect_error(403, PERMISSIONS);
            client
                .put(&format!("/groups/{gid}/patch"), json!({"display_name": "x"}))
                .await
                .expect_error(403, PERMISSIONS);
        }
        set_role_permissions(&basic.admin, "custom_group_user", |p| {
            p.push("manage_custom_group_members".into())
        })
        .await;
        basic.client.request(Method::POST, &members, Some(&body)).await.expect(200);
        basic
            .client2
            .request(Method::DELETE, &members, Some(&json!({"user_ids": [me]})))
            .await
            .expect(200);
        // basicuser was taken out by basicuser2, a member now: the role follows membership.
        basic.client.request(Method::POST, &members, Some(&body)).await.expect_error(403, PERMISSIONS);
        // An admin still may do everything.
        basic.admin.delete(&format!("/groups/{gid}")).await.expect(200);
    }
);

dual_db_test!(
    async fn a_custom_group_mention_reaches_its_members_until_archived(server) {
        let basic = server.init_basic().await;
        let other = basic.user2_id();
        let gid = id(&basic.client.post("/groups", new_group("crew", &[other])).await.expect(201).body);
        let channel = basic.channel_id();
        let before = mentions_of(&basic.admin, channel, other).await;
        let post = |message: &str| json!({"channel_id": channel, "message": message});
        basic.client.post("/posts", post("hello @crew")).await.expect(201);
        assert_eq!(mentions_of(&basic.admin, channel, other).await, before + 1);

        basic.client.delete(&format!("/groups/{gid}")).await.expect(200);
        basic.client.post("/posts", post("again @crew")).await.expect(201);
        assert_eq!(mentions_of(&basic.admin, channel, other).await, before + 1);
    }
);

dual_db_test!(
    async fn custom_groups_switched_off_are_refused_and_not_listed(server) {
        let basic = server.init_basic().await;
        let me = basic.user_id();
        let gid = id(&basic.client.post("/groups", new_group("crew", &[me])).await.expect(201).body);
        let config = basic.client.get("/config/client?format=old").await.expect(200).body;
        assert_eq!(config["EnableCustomGroups"], "true");

        configure(&server, |c| c.service_settings.enable_custom_groups = false);
        basic
            .client
            .post("/groups", new_group("other", &[me]))
            .await
            .expect_error(400, "api.custom_groups.feature_disabled");
        basic
            .client
            .delete(&format!("/groups/{gid}"))
            .await
            .expect_error(400, "api.custom_groups.feature_disabled");
        assert!(listed(&basic.client, "source=custom").await.is_empty());
        let config = basic.client.get("/config/client?format=old").await.expect(200).body;
        assert_eq!(config["EnableCustomGroups"], "false");
    }
);
