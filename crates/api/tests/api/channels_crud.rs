//! `POST /channels`, reading channels by id and name, updating, patching, privacy,
//! archiving, restoring and stats.

use crate::channels_support::Fixture;
use crate::support::id;
use serde_json::json;
use utmost_testkit::dual_db_test;

const PERMISSIONS: &str = "api.context.permissions.app_error";

dual_db_test!(
    async fn creates_public_and_private_channels(server) {
        let f = Fixture::new(&server).await;
        let r = f.user.get(&format!("/channels/{}", f.channel_id)).await.expect(200);
        assert_eq!(r.body["type"], "O");
        assert_eq!(r.body["name"], "basic-channel");
        assert_eq!(r.body["team_id"], f.team_id.as_str());
        assert_eq!(r.body["creator_id"], f.user_id.as_str());
        assert!(r.body.get("props").is_some());
        let me = f
            .user
            .get(&format!("/channels/{}/members/me", f.channel_id))
            .await
            .expect(200);
        assert_eq!(me.body["roles"], "channel_user channel_admin");
        assert_eq!(me.body["scheme_admin"], true);
        assert_eq!(me.body["explicit_roles"], "");
        assert_eq!(me.body["notify_props"]["mark_unread"], "all");

        let private = f.user.get(&format!("/channels/{}", f.private_id)).await.expect(200);
        assert_eq!(private.body["type"], "P");

        // The team's public list is read through the publicchannels mirror.
        let listed = f.user.get(&format!("/teams/{}/channels", f.team_id)).await.expect(200);
        let names: Vec<&str> = listed.body.as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
        assert!(names.contains(&"basic-channel"));
        assert!(!names.contains(&"basic-private"));
    }
);

dual_db_test!(
    async fn create_refuses_bad_input_and_strangers(server) {
        let f = Fixture::new(&server).await;
        let mk = |name: &str| json!({"team_id": f.team_id, "name": name, "display_name": "X", "type": "O"});
        f.user.post("/channels", mk("basic-channel")).await
            .expect_error(400, "store.sql_channel.save_channel.exists.app_error");
        f.user.post("/channels", mk("Bad Name")).await
            .expect_error(400, "model.channel.is_valid.1_or_more.app_error");
        let long = json!({"team_id": f.team_id, "name": "ok", "display_name": "x".repeat(65), "type": "O"});
        f.user.post("/channels", long).await
            .expect_error(400, "model.channel.is_valid.display_name.app_error");
        let header = json!({"team_id": f.team_id, "name": "ok", "display_name": "X", "type": "O", "header": "h".repeat(1025)});
        f.user.post("/channels", header).await
            .expect_error(400, "model.channel.is_valid.header.app_error");
        let purpose = json!({"team_id": f.team_id, "name": "ok", "display_name": "X", "type": "P", "purpose": "p".repeat(251)});
        f.user.post("/channels", purpose).await
            .expect_error(400, "model.channel.is_valid.purpose.app_error");
        f.user.post("/channels", json!({"name": "ok", "display_name": "X", "type": "O"})).await
            .expect_error(400, "api.context.invalid_body_param.app_error");
        f.user.post("/channels", json!("not an object")).await
            .expect_error(400, "api.context.invalid_body_param.app_error");
        f.outsider.post("/channels", mk("elsewhere")).await.expect_error(403, PERMISSIONS);
        // An archived channel keeps its name.
        f.user.delete(&format!("/channels/{}", f.channel_id)).await.expect(200);
        f.user.post("/channels", mk("basic-channel")).await
            .expect_error(400, "store.sql_channel.save.archived_channel.app_error");
    }
);

dual_db_test!(
    async fn max_channels_per_team(server) {
        let server = utmost_testkit::TestServer::start_with(server.kind, |c| {
            c.team_settings.max_channels_per_team = 4;
        })
        .await;
        // Town Square, Off-Topic and the two fixture channels fill the team.
        let f = Fixture::new(&server).await;
        let body = json!({"team_id": f.team_id, "name": "one-more", "display_name": "X", "type": "O"});
        f.user.post("/channels", body).await
            .expect_error(400, "api.channel.create_channel.max_channel_limit.app_error");
    }
);

dual_db_test!(
    async fn reading_channels_needs_access(server) {
        let f = Fixture::new(&server).await;
        let other = f.create_channel("users-secret", "P").await;
        f.user2.get(&format!("/channels/{other}")).await.expect_error(403, PERMISSIONS);
        f.outsider.get(&format!("/channels/{}", f.channel_id)).await.expect_error(403, PERMISSIONS);
        f.user2.get(&format!("/channels/{}", f.channel_id)).await.expect(200);
        f.admin.get(&format!("/channels/{other}")).await.expect(200);
        f.user.get(&format!("/channels/{}", utmost_model::new_id())).await
            .expect_error(404, "app.channel.get.existing.app_error");
        f.user.get("/channels/not-an-id").await
            .expect_error(400, "api.context.invalid_url_param.app_error");
    }
);

dual_db_test!(
    async fn channels_by_name(server) {
        let f = Fixture::new(&server).await;
        let by_name = format!("/teams/{}/channels/name/basic-channel", f.team_id);
        assert_eq!(id(&f.user2.get(&by_name).await.expect(200).body), f.channel_id);
        let secret = f.create_channel("users-secret", "P").await;
        let secret_path = format!("/teams/{}/channels/name/users-secret", f.team_id);
        f.user2.get(&secret_path).await.expect_error(404, "app.channel.get_by_name.missing.app_error");
        assert_eq!(id(&f.user.get(&secret_path).await.expect(200).body), secret);
        f.user.get(&format!("/teams/{}/channels/name/nothing-here", f.team_id)).await
            .expect_error(404, "app.channel.get_by_name.missing.app_error");
        f.outsider.get(&by_name).await.expect_error(403, PERMISSIONS);
        f.user.get(&format!("/teams/{}/channels/name/Bad%20Name", f.team_id)).await
            .expect_error(400, "api.context.invalid_url_param.app_error");

        f.user.delete(&format!("/channels/{}", f.channel_id)).await.expect(200);
        f.user.get(&by_name).await.expect_error(404, "app.channel.get_by_name.missing.app_error");
        let archived = f.user.get(&format!("{by_name}?include_deleted=true")).await.expect(200);
        assert!(archived.body["delete_at"].as_i64().unwrap() > 0);

        let by_team_name = "/teams/name/basic-team/channels/name/basic-private";
        assert_eq!(id(&f.user.get(by_team_name).await.expect(200).body), f.private_id);
        f.user.get("/teams/name/no-such-team/channels/name/basic-private").await
            .expect_error(404, "app.team.get_by_name.missing.app_error");
    }
);

dual_db_test!(
    async fn update_and_patch(server) {
        let f = Fixture::new(&server).await;
        let path = format!("/channels/{}", f.channel_id);
        let mut channel = f.user.get(&path).await.expect(200).body;
        channel["header"] = json!("new header");
        channel["display_name"] = json!("Renamed");
        let updated = f.user.put(&path, channel.clone()).await.expect(200);
        assert_eq!(updated.body["header"], "new header");
        assert_eq!(updated.body["display_name"], "Renamed");
        assert!(updated.body["update_at"].as_i64() > channel["update_at"].as_i64());

        let mut wrong = channel.clone();
        wrong["id"] = json!(f.private_id);
        f.user.put(&path, wrong).await.expect_error(400, "api.context.invalid_body_param.app_error");
        let mut typed = channel.clone();
        typed["type"] = json!("P");
        f.user.put(&path, typed).await.expect_error(400, "api.channel.update_channel.typechange.app_error");

        let patched = f.user.put(&format!("{path}/patch"), json!({"purpose": "why"})).await.expect(200);
        assert_eq!(patched.body["purpose"], "why");
        assert_eq!(patched.body["header"], "new header");
        f.user.put(&format!("{path}/patch"), json!({"name": "basic-private"})).await
            .expect_error(400, "store.sql_channel.update.exists.app_error");
        f.user.put(&format!("{path}/patch"), json!({"name": "Not Valid"})).await
            .expect_error(400, "model.channel.is_valid.1_or_more.app_error");
        f.outsider.put(&format!("{path}/patch"), json!({"header": "x"})).await
            .expect_error(403, PERMISSIONS);
        f.user.put(&format!("/channels/{}/patch", utmost_model::new_id()), json!({"header": "x"})).await
            .expect_error(404, "app.channel.get.existing.app_error");

        let town_square = f.channel_named("town-square").await;
        f.admin.put(&format!("/channels/{town_square}/patch"), json!({"name": "renamed"})).await
            .expect_error(400, "api.channel.update_channel.tried.app_error");
    }
);

dual_db_test!(
    async fn privacy_conversion(server) {
        let f = Fixture::new(&server).await;
        let path = format!("/channels/{}/privacy", f.channel_id);
        // Converting takes a team admin; the channel's creator is only a channel admin.
        f.user.put(&path, json!({"privacy": "P"})).await.expect_error(403, PERMISSIONS);
        let r = f.admin.put(&path, json!({"privacy": "P"})).await.expect(200);
        assert_eq!(r.body["type"], "P");
        let listed = f.user.get(&format!("/teams/{}/channels", f.team_id)).await.expect(200);
        assert!(listed.body.as_array().unwrap().iter().all(|c| c["id"] != f.channel_id.as_str()));
        let r = f.admin.put(&path, json!({"privacy": "O"})).await.expect(200);
        assert_eq!(r.body["type"], "O");
        let listed = f.user.get(&format!("/teams/{}/channels", f.team_id)).await.expect(200);
        assert!(listed.body.as_array().unwrap().iter().any(|c| c["id"] == f.channel_id.as_str()));

        f.admin.put(&path, json!({"privacy": "X"})).await.expect_error(400, "api.context.invalid_body_param.app_error");
        let town_square = f.channel_named("town-square").await;
        f.admin.put(&format!("/channels/{town_square}/privacy"), json!({"privacy": "P"})).await
            .expect_error(400, "api.channel.update_channel_privacy.default_channel_error");
        f.admin.put(&format!("/channels/{}/privacy", utmost_model::new_id()), json!({"privacy": "P"})).await
            .expect_error(404, "app.channel.get.existing.app_error");
    }
);

dual_db_test!(
    async fn archive_and_restore(server) {
        let f = Fixture::new(&server).await;
        let path = format!("/channels/{}", f.channel_id);
        f.outsider.delete(&path).await.expect_error(403, PERMISSIONS);
        let r = f.user.delete(&path).await.expect(200);
        assert_eq!(r.body["status"], "OK");
        let archived = f.user.get(&path).await.expect(200);
        assert!(archived.body["delete_at"].as_i64().unwrap() > 0);
        f.user.delete(&path).await.expect_error(400, "api.channel.delete_channel.deleted.app_error");

        f.user.post(&format!("{path}/restore"), json!({})).await.expect_error(403, PERMISSIONS);
        let restored = f.admin.post(&format!("{path}/restore"), json!({})).await.expect(200);
        assert_eq!(restored.body["delete_at"], 0);
        f.admin.post(&format!("{path}/restore"), json!({})).await
            .expect_error(400, "api.channel.restore_channel.restored.app_error");

        let town_square = f.channel_named("town-square").await;
        f.admin.delete(&format!("/channels/{town_square}")).await
            .expect_error(400, "api.channel.delete_channel.cannot.app_error");
        f.admin.delete(&format!("{path}?permanent=true")).await
            .expect_error(401, "api.user.delete_channel.not_enabled.for_admin.app_error");
        f.user.delete(&format!("/channels/{}", utmost_model::new_id())).await
            .expect_error(404, "app.channel.get.existing.app_error");
    }
);

dual_db_test!(
    async fn permanent_deletion_when_enabled(server) {
        let server = utmost_testkit::TestServer::start_with(server.kind, |c| {
            c.service_settings.enable_api_channel_deletion = true;
        })
        .await;
        let f = Fixture::new(&server).await;
        f.user.delete(&format!("/channels/{}?permanent=true", f.channel_id)).await.expect(200);
        f.admin.get(&format!("/channels/{}", f.channel_id)).await
            .expect_error(404, "app.channel.get.existing.app_error");
    }
);

dual_db_test!(
    async fn channel_stats(server) {
        let f = Fixture::new(&server).await;
        let r = f.user.get(&format!("/channels/{}/stats", f.channel_id)).await.expect(200);
        assert_eq!(r.body["channel_id"], f.channel_id.as_str());
        assert_eq!(r.body["member_count"], 2);
        assert_eq!(r.body["guest_count"], 0);
        assert_eq!(r.body["pinnedpost_count"], 0);
        assert_eq!(r.body["files_count"], 0);
        let post = f.user.post("/posts", json!({"channel_id": f.channel_id, "message": "pin me"})).await.expect(201).body;
        f.user.post(&format!("/posts/{}/pin", id(&post)), json!({})).await.expect(200);
        let r = f.user.get(&format!("/channels/{}/stats", f.channel_id)).await.expect(200);
        assert_eq!(r.body["pinnedpost_count"], 1);
        f.outsider.get(&format!("/channels/{}/stats", f.private_id)).await.expect_error(403, PERMISSIONS);
    }
);

dual_db_test!(
    async fn channel_timezones_are_each_members_own(server) {
        let f = Fixture::new(&server).await;
        let path = format!("/channels/{}/timezones", f.channel_id);
        assert_eq!(f.user.get(&path).await.expect(200).body, json!([]));
        let zones = [
            (&f.user, json!({"useAutomaticTimezone": "true", "automaticTimezone": "Europe/Paris", "manualTimezone": "Asia/Tokyo"})),
            (&f.user2, json!({"useAutomaticTimezone": "false", "automaticTimezone": "Europe/Paris", "manualTimezone": "America/Lima"})),
        ];
        for (client, timezone) in zones {
            client.put("/users/me/patch", json!({"timezone": timezone})).await.expect(200);
        }
        assert_eq!(f.user.get(&path).await.expect(200).body, json!(["America/Lima", "Europe/Paris"]));
        f.outsider
            .get(&format!("/channels/{}/timezones", f.private_id))
            .await
            .expect_error(403, PERMISSIONS);
        server.client().get(&path).await.expect(401);
    }
);
