//! LDAP group sync against a real OpenLDAP server (`testkit::ldap`): linking and unlinking
//! directory groups, a sync that brings the linked groups' members over (nested groups
//! too) and adds them to the teams and channels linked with `auto_add`, removal from
//! group-constrained teams and channels when someone leaves a directory group (their open
//! WebSocket hears it), admins of group-constrained teams and channels from the groups
//! linked with `scheme_admin`, refusal of non-members, `@group` mentions, and the permission
//! checks of every group route.

use crate::ldap::{directory, signed_in, sync};
use crate::support::id;
use serde_json::{json, Value};
use utmost_config::Config;
use utmost_testkit::ldap::{LdapServer, DEVELOPERS_GROUP};
use utmost_testkit::ws::WsClient;
use utmost_testkit::{dual_db_test, Client, TestServer};

const PERMISSIONS: &str = "api.context.permissions.app_error";

/// A slapd with groups identified by `entryUUID` and named by `cn` (every group class).
async fn groups_directory(server: &TestServer) -> Option<LdapServer> {
    directory(server, |c: &mut Config| {
        c.ldap_settings.group_id_attribute = "entryUUID".into();
        c.ldap_settings.group_display_name_attribute = "cn".into();
    })
    .await
}

/// The directory group named `name` as `/ldap/groups` lists it.
async fn ldap_group(admin: &Client, name: &str) -> Value {
    let page = admin
        .get(&format!("/ldap/groups?q={name}"))
        .await
        .expect(200)
        .body;
    page["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["name"] == name)
        .cloned()
        .unwrap_or_else(|| panic!("no group {name}: {page}"))
}

/// Links the directory group `name`; its Mattermost group.
async fn link(admin: &Client, name: &str) -> Value {
    let remote_id = ldap_group(admin, name).await["primary_key"]
        .as_str()
        .unwrap()
        .to_string();
    admin
        .post(&format!("/ldap/groups/{remote_id}/link"), json!({}))
        .await
        .expect(201)
        .body
}

async fn link_syncable(
    admin: &Client,
    group_id: &str,
    kind: &str,
    syncable_id: &str,
    auto_add: bool,
) -> Value {
    admin
        .post(
            &format!("/groups/{group_id}/{kind}/{syncable_id}/link"),
            json!({"auto_add": auto_add}),
        )
        .await
        .expect(201)
        .body
}

async fn in_team(admin: &Client, team_id: &str, user_id: &str) -> bool {
    let r = admin
        .get(&format!("/teams/{team_id}/members/{user_id}"))
        .await;
    r.status == 200 && r.body["delete_at"] == 0
}

async fn in_channel(admin: &Client, channel_id: &str, user_id: &str) -> bool {
    admin
        .get(&format!("/channels/{channel_id}/members/{user_id}"))
        .await
        .status
        == 200
}

async fn create_team(client: &Client, name: &str) -> String {
    let team = client
        .post(
            "/teams",
            json!({"name": name, "display_name": name, "type": "O"}),
        )
        .await
        .expect(201)
        .body;
    id(&team)
}

dual_db_test!(
    async fn directory_groups_are_linked_listed_and_unlinked(server) {
        let basic = server.init_basic().await;
        let Some(_ldap) = groups_directory(&server).await else { return };
        let admin = &basic.admin;
        let remote_id = ldap_group(admin, "developers").await["primary_key"].as_str().unwrap().to_string();
        let path = format!("/ldap/groups/{remote_id}/link");
        basic.client.post(&path, json!({})).await.expect_error(403, PERMISSIONS);
        admin
            .post(&format!("/ldap/groups/{}/link", utmost_model::new_id()), json!({}))
            .await
            .expect_error(404, "api.ldap_group.not_found");

        let group = admin.post(&path, json!({})).await.expect(201).body;
        assert_eq!(group["source"], "ldap");
        assert_eq!(group["remote_id"], remote_id.as_str());
        assert_eq!(group["display_name"], "developers");
        assert_eq!(group["allow_reference"], false);
        assert!(group.get("name").is_none(), "{group}");
        let again = admin.post(&path, json!({})).await.expect(200).body;
        assert_eq!(again["id"], group["id"]);

        let listed = ldap_group(admin, "developers").await;
        assert_eq!(listed["mattermost_group_id"], group["id"]);
        assert_eq!(listed["has_syncables"], false);
        assert_eq!(ldap_group(admin, "admins").await["mattermost_group_id"], "");

        // A group that is not mentionable is listed for the system console only.
        let all = admin.get("/groups?include_member_count=true").await.expect(200).body;
        assert_eq!(all.as_array().unwrap().len(), 1, "{all}");
        assert_eq!(all[0]["member_count"], 0);
        assert_eq!(basic.client.get("/groups").await.expect(200).body, json!([]));
        let counted = admin.get("/groups?include_total_count=true&q=DEVEL").await.expect(200).body;
        assert_eq!(counted["total_count"], 1, "{counted}");
        assert_eq!(admin.get("/groups?q=nothing").await.expect(200).body, json!([]));

        basic.client.delete(&path).await.expect_error(403, PERMISSIONS);
        admin.delete(&path).await.expect(200);
        assert_eq!(ldap_group(admin, "developers").await["mattermost_group_id"], "");
        assert_eq!(admin.get("/groups").await.expect(200).body, json!([]));
        // Changed since it was linked: the deleted group is there for the clients to drop.
        let since = admin.get(&format!("/groups?since={}", group["create_at"])).await.expect(200).body;
        assert!(since[0]["delete_at"].as_i64().unwrap() > 0, "{since}");

        // Linked again: the same group, live.
        let back = admin.post(&path, json!({})).await.expect(200).body;
        assert_eq!(back["id"], group["id"]);
        assert_eq!(back["delete_at"], 0);
    }
);

dual_db_test!(
    async fn a_sync_adds_group_members_to_the_linked_teams_and_channels(server) {
        let basic = server.init_basic().await;
        let Some(_ldap) = groups_directory(&server).await else { return };
        let admin = &basic.admin;
        let (alice, alice_client) = signed_in(&server, "alice", "alice-pw").await;
        let (bob, _) = signed_in(&server, "bob", "bob-pw").await;
        let (carol, _) = signed_in(&server, "carol", "carol-pw").await;
        let group = link(admin, "developers").await;
        let gid = id(&group);
        let (team, channel) = (basic.team_id(), basic.channel_id());
        let (mut admin_ws, _) = WsClient::connect_ready(&server, admin.token.as_deref().unwrap()).await;
        let team_link = link_syncable(admin, &gid, "teams", team, true).await;
        let told = admin_ws.next_event("received_group_associated_to_team").await;
        assert_eq!(told["data"]["group_id"], gid.as_str());
        assert_eq!(team_link["team_id"], team);
        assert_eq!(team_link["auto_add"], true);
        let channel_link = link_syncable(admin, &gid, "channels", channel, true).await;
        assert_eq!(channel_link["channel_id"], channel);
        assert_eq!(channel_link["team_id"], team);

        let (mut alice_ws, _) = WsClient::connect_ready(&server, alice_client.token.as_deref().unwrap()).await;
        let done = sync(admin).await;
        let data = &done["data"];
        assert_eq!(data["groups"], "1", "{done}");
        // Alice directly and through the nested admins group; Bob directly.
        assert_eq!(data["group_members_added"], "2", "{done}");
        assert_eq!(data["added_to_teams"], "2", "{done}");
        assert_eq!(data["added_to_channels"], "2", "{done}");
        let added = alice_ws.next_event("group_member_add").await;
        let member: Value = serde_json::from_str(added["data"]["group_member"].as_str().unwrap()).unwrap();
        assert_eq!(member["group_id"], gid.as_str());

        for user in [&alice, &bob] {
            assert!(in_team(admin, team, &id(user)).await);
            assert!(in_channel(admin, channel, &id(user)).await);
        }
        assert!(!in_team(admin, team, &id(&carol)).await);
        let members = admin.get(&format!("/groups/{gid}/members")).await.expect(200).body;
        assert_eq!(members["total_member_count"], 2, "{members}");
        let names: Vec<&str> = members["members"].as_array().unwrap().iter().map(|u| u["username"].as_str().unwrap()).collect();
        assert_eq!(names, ["alice", "bob"]);
        assert_eq!(admin.get(&format!("/groups/{gid}/stats")).await.expect(200).body, json!({"group_id": gid, "total_member_count": 2}));

        // The links, seen from the group, the team, the channel and the user.
        let teams = admin.get(&format!("/groups/{gid}/teams")).await.expect(200).body;
        assert_eq!(teams.as_array().unwrap().len(), 1);
        let channels = admin.get(&format!("/groups/{gid}/channels")).await.expect(200).body;
        assert_eq!(channels[0]["channel_id"], channel);
        admin.get(&format!("/groups/{gid}/channels/{channel}")).await.expect(200);
        let of_team = admin.get(&format!("/teams/{team}/groups")).await.expect(200).body;
        assert_eq!(of_team["total_group_count"], 1, "{of_team}");
        assert_eq!(of_team["groups"][0]["scheme_admin"], false);
        let of_channel = basic.client.get(&format!("/channels/{channel}/groups")).await.expect(200).body;
        assert_eq!(of_channel["total_group_count"], 0, "not mentionable: {of_channel}");
        let by_channels = admin.get(&format!("/teams/{team}/groups_by_channels")).await.expect(200).body;
        assert_eq!(by_channels["groups"][channel][0]["id"], gid.as_str());
        let alices = admin.get(&format!("/users/{}/groups", id(&alice))).await.expect(200).body;
        assert_eq!(alices[0]["id"], gid.as_str());
        let not_in_team = admin.get(&format!("/groups?not_associated_to_team={team}")).await.expect(200).body;
        assert_eq!(not_in_team, json!([]));
        assert_eq!(ldap_group(admin, "developers").await["has_syncables"], true);

        // The members the group does not bring.
        for path in [
            format!("/teams/{team}/members_minus_group_members?group_ids={gid}"),
            format!("/channels/{channel}/members_minus_group_members?group_ids={gid}"),
        ] {
            let minus = admin.get(&path).await.expect(200).body;
            let names: Vec<&str> = minus["users"].as_array().unwrap().iter().map(|u| u["username"].as_str().unwrap()).collect();
            assert!(!names.is_empty() && !names.contains(&"alice") && !names.contains(&"bob"), "{minus}");
            assert_eq!(minus["total_count"], names.len());
            assert_eq!(minus["users"][0]["groups"], json!([]));
            assert_eq!(minus["users"][0]["scheme_user"], true);
        }
        admin
            .get(&format!("/teams/{team}/members_minus_group_members?group_ids=nope"))
            .await
            .expect_error(400, "api.context.invalid_body_param.app_error");

        // Turning auto_add off and unlinking.
        let patched = admin
            .put(&format!("/groups/{gid}/channels/{channel}/patch"), json!({"auto_add": false}))
            .await
            .expect(200)
            .body;
        assert_eq!(patched["auto_add"], false);
        admin.delete(&format!("/groups/{gid}/channels/{channel}/link")).await.expect(200);
        admin.get(&format!("/groups/{gid}/channels/{channel}")).await.expect_error(404, "app.group.no_rows");
    }
);

dual_db_test!(
    async fn leaving_a_directory_group_removes_the_user_from_constrained_teams_and_channels(server) {
        let basic = server.init_basic().await;
        let Some(ldap) = groups_directory(&server).await else { return };
        let admin = &basic.admin;
        let (bob, bob_client) = signed_in(&server, "bob", "bob-pw").await;
        let (alice, _) = signed_in(&server, "alice", "alice-pw").await;
        let bob_id = id(&bob);
        let gid = id(&link(admin, "developers").await);
        let team = create_team(admin, "constrained").await;
        let channel = basic.channel_id();
        link_syncable(admin, &gid, "teams", &team, true).await;
        link_syncable(admin, &gid, "channels", channel, true).await;
        sync(admin).await;
        assert!(in_team(admin, &team, &bob_id).await);
        assert!(in_channel(admin, channel, &bob_id).await);

        admin.put(&format!("/teams/{team}/patch"), json!({"group_constrained": true})).await.expect(200);
        admin.put(&format!("/channels/{channel}/patch"), json!({"group_constrained": true})).await.expect(200);
        let (mut ws, _) = WsClient::connect_ready(&server, bob_client.token.as_deref().unwrap()).await;
        ldap.remove_from_group(DEVELOPERS_GROUP, "bob");
        let done = sync(admin).await;
        assert_eq!(done["data"]["group_members_removed"], "1", "{done}");
        assert!(done["data"]["removed_from_teams"].as_str().unwrap().parse::<u64>().unwrap() >= 1, "{done}");
        assert!(done["data"]["removed_from_channels"].as_str().unwrap().parse::<u64>().unwrap() >= 1, "{done}");

        let left = ws.next_event("leave_team").await;
        assert_eq!(left["data"]["team_id"], team.as_str());
        // The user's own `user_removed` names the channel (the channel's names the user).
        while ws.next_event("user_removed").await["data"]["channel_id"] != channel {}
        assert!(!in_team(admin, &team, &bob_id).await);
        assert!(!in_channel(admin, channel, &bob_id).await);
        // Alice is still in the group: she stays.
        assert!(in_team(admin, &team, &id(&alice)).await);
        assert!(in_channel(admin, channel, &id(&alice)).await);
        // The channel was told, by the system bot.
        let posts = admin.get(&format!("/channels/{channel}/posts")).await.expect(200).body;
        let newest = &posts["posts"][posts["order"][0].as_str().unwrap()];
        assert_eq!(newest["type"], "system_remove_from_channel", "{newest}");
    }
);

/// Whether `user_id` is an admin of the team (`teams`) or channel (`channels`).
async fn is_admin_of(admin: &Client, kind: &str, syncable_id: &str, user_id: &str) -> bool {
    let member = admin
        .get(&format!("/{kind}/{syncable_id}/members/{user_id}"))
        .await
        .expect(200)
        .body;
    member["scheme_admin"].as_bool().unwrap()
}

dual_db_test!(
    async fn the_groups_linked_as_admins_make_the_admins_of_constrained_teams_and_channels(server) {
        let basic = server.init_basic().await;
        let Some(_ldap) = groups_directory(&server).await else { return };
        let admin = &basic.admin;
        let (alice, _) = signed_in(&server, "alice", "alice-pw").await;
        let (bob, _) = signed_in(&server, "bob", "bob-pw").await;
        let (alice, bob) = (id(&alice), id(&bob));
        let developers = id(&link(admin, "developers").await);
        let admins = id(&link(admin, "admins").await);
        let team = create_team(admin, "synced").await;
        let channel = basic.channel_id();
        link_syncable(admin, &developers, "teams", &team, true).await;
        link_syncable(admin, &developers, "channels", channel, true).await;
        // Alice is in `admins`, linked to the team as its admins; bob only in `developers`.
        admin
            .post(&format!("/groups/{admins}/teams/{team}/link"), json!({"auto_add": true, "scheme_admin": true}))
            .await
            .expect(201);
        sync(admin).await;
        // Roles follow the groups only where the groups decide the membership.
        assert!(!is_admin_of(admin, "teams", &team, &alice).await);

        admin.put(&format!("/teams/{team}/patch"), json!({"group_constrained": true})).await.expect(200);
        admin.put(&format!("/channels/{channel}/patch"), json!({"group_constrained": true})).await.expect(200);
        // An admin made by hand in a synced team is not one for long.
        admin
            .put(&format!("/teams/{team}/members/{bob}/schemeRoles"), json!({"scheme_admin": true, "scheme_user": true}))
            .await
            .expect(200);
        let done = sync(admin).await;
        assert_eq!(done["data"]["roles_changed"], "2", "{done}");
        assert!(is_admin_of(admin, "teams", &team, &alice).await);
        assert!(!is_admin_of(admin, "teams", &team, &bob).await);
        assert!(!is_admin_of(admin, "channels", channel, &alice).await);

        // Linking `developers` to the channel as its admins takes effect at once.
        admin
            .put(&format!("/groups/{developers}/channels/{channel}/patch"), json!({"scheme_admin": true}))
            .await
            .expect(200);
        assert!(is_admin_of(admin, "channels", channel, &alice).await);
        assert!(is_admin_of(admin, "channels", channel, &bob).await);
        // And taking it away does too.
        admin
            .put(&format!("/groups/{admins}/teams/{team}/patch"), json!({"scheme_admin": false}))
            .await
            .expect(200);
        assert!(!is_admin_of(admin, "teams", &team, &alice).await);
        assert!(in_team(admin, &team, &alice).await, "still a member");
    }
);

dual_db_test!(
    async fn nested_groups_bring_their_members(server) {
        let basic = server.init_basic().await;
        let Some(_ldap) = groups_directory(&server).await else { return };
        let admin = &basic.admin;
        signed_in(&server, "carol", "carol-pw").await;
        signed_in(&server, "dave", "dave-pw").await;
        let gid = id(&link(admin, "platform").await);
        let done = sync(admin).await;
        assert_eq!(done["data"]["group_members_added"], "2", "{done}");
        let members = admin.get(&format!("/groups/{gid}/members")).await.expect(200).body;
        let names: Vec<&str> = members["members"].as_array().unwrap().iter().map(|u| u["username"].as_str().unwrap()).collect();
        assert_eq!(names, ["carol", "dave"]);
    }
);

dual_db_test!(
    async fn constrained_teams_and_channels_refuse_non_members(server) {
        let basic = server.init_basic().await;
        let Some(_ldap) = groups_directory(&server).await else { return };
        let admin = &basic.admin;
        let (bob, _) = signed_in(&server, "bob", "bob-pw").await;
        let bob_id = id(&bob);
        let gid = id(&link(admin, "developers").await);
        let channel = basic.channel_id();
        link_syncable(admin, &gid, "channels", channel, false).await;
        sync(admin).await;

        let constrain = json!({"group_constrained": true});
        basic
            .client
            .put(&format!("/channels/{channel}/patch"), constrain.clone())
            .await
            .expect_error(403, PERMISSIONS);
        admin.put(&format!("/channels/{channel}/patch"), constrain.clone()).await.expect(200);
        let add = |user_id: &str| json!({"user_id": user_id});
        admin
            .post(&format!("/channels/{channel}/members"), add(basic.user2_id()))
            .await
            .expect_error(400, "api.channel.add_members.user_denied");
        admin
            .post(&format!("/teams/{}/members", basic.team_id()), json!({"team_id": basic.team_id(), "user_id": bob_id}))
            .await
            .expect(201);
        admin.post(&format!("/channels/{channel}/members"), add(&bob_id)).await.expect(201);

        // A team its own admin made, constrained by a system admin.
        let team = create_team(&basic.client, "users-team").await;
        basic
            .client
            .put(&format!("/teams/{team}/patch"), constrain.clone())
            .await
            .expect_error(403, PERMISSIONS);
        admin.put(&format!("/teams/{team}/patch"), constrain).await.expect(200);
        link_syncable(admin, &gid, "teams", &team, false).await;
        let member = |user_id: &str| json!({"team_id": team, "user_id": user_id});
        admin
            .post(&format!("/teams/{team}/members"), member(basic.user2_id()))
            .await
            .expect_error(400, "api.team.add_members.user_denied");
        admin.post(&format!("/teams/{team}/members"), member(&bob_id)).await.expect(201);
    }
);

/// The unread mention count of `user_id` in the channel.
/// The mention count of `user_id` in `channel_id`.
pub async fn mentions_of(admin: &Client, channel_id: &str, user_id: &str) -> i64 {
    let member = admin
        .get(&format!("/channels/{channel_id}/members/{user_id}"))
        .await
        .expect(200)
        .body;
    member["mention_count"].as_i64().unwrap()
}

dual_db_test!(
    async fn group_mentions_notify_the_members_in_the_channel(server) {
        let basic = server.init_basic().await;
        let Some(_ldap) = groups_directory(&server).await else { return };
        let admin = &basic.admin;
        let (alice, _) = signed_in(&server, "alice", "alice-pw").await;
        let (bob, _) = signed_in(&server, "bob", "bob-pw").await;
        let gid = id(&link(admin, "developers").await);
        let channel = basic.channel_id();
        link_syncable(admin, &gid, "channels", channel, true).await;
        sync(admin).await;

        let path = format!("/groups/{gid}/patch");
        basic.client.put(&path, json!({"allow_reference": true})).await.expect_error(403, PERMISSIONS);
        admin
            .put(&path, json!({"allow_reference": true, "name": "all"}))
            .await
            .expect_error(400, "api.ldap_groups.existing_reserved_name_error");
        admin
            .put(&path, json!({"allow_reference": true, "name": "alice"}))
            .await
            .expect_error(400, "api.ldap_groups.existing_user_name_error");
        let group = admin.put(&path, json!({"allow_reference": true})).await.expect(200).body;
        assert_eq!(group["name"], "developers");
        // Mentionable: everyone sees it and its members.
        assert_eq!(basic.client.get("/groups").await.expect(200).body[0]["id"], gid.as_str());
        basic.client.get(&format!("/groups/{gid}/members")).await.expect(200);

        let post = |message: &str| json!({"channel_id": channel, "message": message});
        let outside_before = mentions_of(admin, channel, basic.user2_id()).await;
        basic.client.post("/posts", post("hello @developers")).await.expect(201);
        for user in [&alice, &bob] {
            assert_eq!(mentions_of(admin, channel, &id(user)).await, 1);
        }
        assert_eq!(mentions_of(admin, channel, basic.user2_id()).await, outside_before);

        // Not mentionable any more: the same words mention nobody.
        admin.put(&path, json!({"allow_reference": false})).await.expect(200);
        basic.client.post("/posts", post("again @developers")).await.expect(201);
        for user in [&alice, &bob] {
            assert_eq!(mentions_of(admin, channel, &id(user)).await, 1);
        }
    }
);

dual_db_test!(
    async fn outsiders_are_refused_on_every_group_route(server) {
        let basic = server.init_basic().await;
        let (_, outsider) = server.create_user(Some(&basic.admin), "outsider").await;
        let now = utmost_model::now_millis();
        let group = utmost_model::group::Group {
            id: utmost_model::new_id(),
            display_name: "Hidden".into(),
            source: "ldap".into(),
            remote_id: Some("remote".into()),
            create_at: now,
            update_at: now,
            ..Default::default()
        };
        utmost_store::groups::insert(&server.app.store, &group).await.unwrap();
        let (gid, team, channel) = (group.id.clone(), basic.team_id(), basic.channel_id());
        utmost_store::groups::syncables::upsert(
            &server.app.store,
            utmost_model::group::SyncableType::Team,
            &gid,
            team,
            false,
            false,
            now,
        )
        .await
        .unwrap();
        let anon = server.client();
        let gets = [
            format!("/groups/{gid}"),
            format!("/groups/{gid}/members"),
            format!("/groups/{gid}/stats"),
            format!("/groups/{gid}/teams"),
            format!("/groups/{gid}/teams/{team}"),
            format!("/groups/{gid}/channels"),
            format!("/users/{}/groups", basic.user2_id()),
            format!("/teams/{team}/members_minus_group_members?group_ids={gid}"),
            format!("/channels/{channel}/members_minus_group_members?group_ids={gid}"),
        ];
        for path in &gets {
            basic.client.get(path).await.expect_error(403, PERMISSIONS);
            anon.get(path).await.expect(401);
            basic.admin.get(path).await.expect(200);
        }
        for path in [
            format!("/teams/{team}/groups"),
            format!("/teams/{team}/groups_by_channels"),
            format!("/channels/{}/groups", id(&basic.private_channel)),
            format!("/groups?not_associated_to_channel={}", id(&basic.private_channel)),
        ] {
            outsider.get(&path).await.expect_error(403, PERMISSIONS);
            anon.get(&path).await.expect(401);
        }
        let puts = [
            (format!("/groups/{gid}/patch"), json!({"display_name": "x"})),
            (format!("/groups/{gid}/teams/{team}/patch"), json!({"auto_add": true})),
        ];
        for (path, body) in &puts {
            basic.client.put(path, body.clone()).await.expect_error(403, PERMISSIONS);
            anon.put(path, body.clone()).await.expect(401);
        }
        for path in [
            format!("/groups/{gid}/teams/{team}/link"),
            format!("/groups/{gid}/channels/{channel}/link"),
            "/ldap/groups/remote/link".to_string(),
        ] {
            basic.client.post(&path, json!({"auto_add": true})).await.expect_error(403, PERMISSIONS);
            basic.client.delete(&path).await.expect_error(403, PERMISSIONS);
            anon.post(&path, json!({})).await.expect(401);
            anon.delete(&path).await.expect(401);
        }
        // The hidden group is listed for the system console only.
        assert_eq!(basic.client.get("/groups").await.expect(200).body, json!([]));
        assert_eq!(basic.admin.get("/groups").await.expect(200).body[0]["id"], gid.as_str());
        // Not a group from AD/LDAP: it cannot be linked.
        let custom = utmost_model::group::Group {
            id: utmost_model::new_id(),
            source: "custom".into(),
            allow_reference: true,
            name: Some("custom-group".into()),
            ..group.clone()
        };
        let custom = utmost_model::group::Group { remote_id: None, ..custom };
        utmost_store::groups::insert(&server.app.store, &custom).await.unwrap();
        basic
            .admin
            .post(&format!("/groups/{}/teams/{team}/link", custom.id), json!({}))
            .await
            .expect_error(400, "app.group.crud_permission");
    }
);
