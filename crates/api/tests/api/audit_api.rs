//! The audit log: every audited action leaves exactly one `audits` row (and one line of the
//! audit file, chained to the line before), a refused one a row with status fail; `/audits`
//! and `/users/{user_id}/audits` with their outsiders.

use crate::mfa::code;
use crate::support::{configure, id, PASSWORD};
use serde_json::{json, Value};
use std::path::PathBuf;
use std::time::{Duration, Instant};
use utmost_app::audit::file::{self, Verdict};
use utmost_testkit::{dual_db_test, Client, TestServer};

/// Every audit row, newest first.
async fn audits(admin: &Client) -> Vec<Value> {
    admin
        .get("/audits?per_page=200")
        .await
        .expect(200)
        .body
        .as_array()
        .unwrap()
        .clone()
}

/// Checks that exactly one row was added since `before` rows, for `event` with `status`
/// ("success" or "failure"), and returns it.
#[track_caller]
fn one_new(before: usize, rows: &[Value], event: &str, status: &str) -> Value {
    assert_eq!(
        rows.len(),
        before + 1,
        "{event}: expected exactly one new audit row, got {:#?}",
        &rows[..rows.len().saturating_sub(before).min(5)]
    );
    let row = rows[0].clone();
    let info = row["extra_info"].as_str().unwrap();
    assert!(
        info.starts_with(&format!("{event} {status}")),
        "{event}: the new row is {row}"
    );
    row
}

/// Runs one action and checks it left one record.
macro_rules! audited {
    ($admin:expr, $event:expr, $status:expr, $action:expr) => {{
        let before = audits($admin).await.len();
        $action;
        one_new(before, &audits($admin).await, $event, $status)
    }};
}

fn audit_file() -> PathBuf {
    std::env::temp_dir()
        .join(format!("utmost-audit-{}", utmost_model::new_id()))
        .join("audit.log")
}

/// The lines of the audit file once it holds `n` of them.
async fn file_lines(path: &PathBuf, n: usize) -> Vec<Value> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        // Only whole lines: the writer may be writing the next one.
        let whole = &text[..text.rfind('\n').map_or(0, |i| i + 1)];
        let lines: Vec<Value> = whole
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        if lines.len() >= n || Instant::now() > deadline {
            return lines;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn new_user(server: &TestServer, admin: &Client, name: &str) -> (Value, Client) {
    server.create_user(Some(admin), name).await
}

dual_db_test!(
    async fn each_audited_action_leaves_one_record(server) {
        let path = audit_file();
        configure(&server, |c| {
            c.experimental_audit_settings.file_enabled = true;
            c.experimental_audit_settings.file_name = path.to_string_lossy().into_owned();
            c.service_settings.enable_user_access_tokens = true;
            c.service_settings.enable_multifactor_authentication = true;
            c.sql_settings.at_rest_encrypt_key =
                "an at-rest key of thirty-two characters or more".into();
            c.guest_accounts_settings.enable = true;
        });
        let b = server.init_basic().await;
        let admin = &b.admin;
        let anon = server.client();
        let uid = b.user_id().to_string();

        // Sign-in and sign-out.
        let row = audited!(admin, "login", "success", {
            anon.login("basicuser", PASSWORD).await;
        });
        assert_eq!(row["user_id"], uid);
        assert!(!row["session_id"].as_str().unwrap().is_empty());
        assert_eq!(row["action"], "/api/v4/users/login");
        assert!(row["extra_info"].as_str().unwrap().contains("login_id=basicuser"));
        assert!(!row["extra_info"].as_str().unwrap().contains(PASSWORD));
        let row = audited!(admin, "login", "failure", {
            anon.post("/users/login", json!({"login_id": "basicuser", "password": "wrong-password-1"}))
                .await
                .expect(401);
        });
        assert_eq!(row["user_id"], "");
        assert!(row["extra_info"].as_str().unwrap().contains("error=api.user.login.invalid_credentials"), "{row}");
        let (_, mfa_client) = new_user(&server, admin, "mfauser").await;
        let secret = mfa_client.post("/users/me/mfa/generate", json!({})).await.expect(200).body["secret"]
            .as_str()
            .unwrap()
            .to_string();
        audited!(admin, "updateUserMfa", "success", {
            mfa_client
                .put("/users/me/mfa", json!({"activate": true, "code": code(&secret, 0)}))
                .await
                .expect(200);
        });
        let row = audited!(admin, "login", "failure", {
            let near: Vec<String> = (-1..=2).map(|s| code(&secret, s)).collect();
            let wrong = (0..).map(|n: u32| format!("{:06}", (n * 7919) % 1_000_000)).find(|c| !near.contains(c)).unwrap();
            let r = anon.post("/users/login", json!({"login_id": "mfauser", "password": PASSWORD, "token": wrong})).await;
            assert_eq!(r.status, 401, "{}", r.text);
        });
        assert!(row["extra_info"].as_str().unwrap().contains("error=api.user.check_user_mfa"), "{row}");
        audited!(admin, "updateUserMfa", "success", {
            admin.put(&format!("/users/{}/mfa", id(&mfa_client.get("/users/me").await.body)), json!({"activate": false})).await.expect(200);
        });
        let (_, leaving) = new_user(&server, admin, "leaving").await;
        audited!(admin, "logout", "success", {
            leaving.post("/users/logout", json!({})).await.expect(200);
        });

        // Sessions.
        let session = b.client.get("/users/me/sessions").await.expect(200).body[0].clone();
        audited!(admin, "revokeSession", "success", {
            admin.post(&format!("/users/{uid}/sessions/revoke"), json!({"session_id": session["id"]})).await.expect(200);
        });
        audited!(admin, "revokeAllSessionsForUser", "success", {
            admin.post(&format!("/users/{uid}/sessions/revoke/all"), json!({})).await.expect(200);
        });
        let client = anon.login("basicuser", PASSWORD).await;

        // Passwords.
        audited!(admin, "updatePassword", "success", {
            client.put("/users/me/password", json!({"current_password": PASSWORD, "new_password": "Another-pass-1"})).await.expect(200);
        });
        audited!(admin, "updatePassword", "failure", {
            client.put("/users/me/password", json!({"current_password": "not-it", "new_password": "Third-pass-1"})).await;
        });

        // Users and roles.
        let row = audited!(admin, "createUser", "success", {
            admin.post("/users", json!({"username": "created", "email": "created@example.com", "password": PASSWORD})).await.expect(201);
        });
        assert_eq!(row["user_id"], id(&b.admin_user));
        let (made, _) = new_user(&server, admin, "target").await;
        let tid = id(&made);
        audited!(admin, "updateUserRoles", "success", {
            admin.put(&format!("/users/{tid}/roles"), json!({"roles": "system_user system_user_manager"})).await.expect(200);
        });
        let row = audited!(admin, "updateUserRoles", "failure", {
            b.client2.put(&format!("/users/{tid}/roles"), json!({"roles": "system_user system_admin"})).await.expect(403);
        });
        assert!(row["extra_info"].as_str().unwrap().contains("error=api.context.permissions.app_error"), "{row}");
        let role = admin.get("/roles/name/channel_user").await.expect(200).body;
        audited!(admin, "patchRole", "success", {
            admin.put(&format!("/roles/{}/patch", id(&role)), json!({"permissions": role["permissions"]})).await.expect(200);
        });
        audited!(admin, "demoteUserToGuest", "success", {
            admin.post(&format!("/users/{tid}/demote"), json!({})).await.expect(200);
        });
        audited!(admin, "promoteGuestToUser", "success", {
            admin.post(&format!("/users/{tid}/promote"), json!({})).await.expect(200);
        });
        audited!(admin, "updateUserActive", "success", {
            admin.put(&format!("/users/{tid}/active"), json!({"active": false})).await.expect(200);
        });
        audited!(admin, "deleteUser", "success", {
            admin.delete(&format!("/users/{tid}")).await.expect(200);
        });

        // Personal access tokens.
        let token = audited!(admin, "createUserAccessToken", "success", {
            admin.post(&format!("/users/{uid}/tokens"), json!({"description": "audit"})).await.expect(200);
        });
        let _ = token;
        let tokens = admin.get(&format!("/users/{uid}/tokens")).await.expect(200).body;
        audited!(admin, "revokeUserAccessToken", "success", {
            admin.post("/users/tokens/revoke", json!({"token_id": tokens[0]["id"]})).await.expect(200);
        });

        // Teams.
        let team: Value;
        audited!(admin, "createTeam", "success", {
            team = admin.post("/teams", json!({"name": "audited", "display_name": "Audited", "type": "O"})).await.expect(201).body;
        });
        let team_id = id(&team);
        audited!(admin, "updateTeamPrivacy", "success", {
            admin.put(&format!("/teams/{team_id}/privacy"), json!({"privacy": "I"})).await.expect(200);
        });
        let row = audited!(admin, "addTeamMember", "success", {
            admin.post(&format!("/teams/{team_id}/members"), json!({"team_id": team_id, "user_id": uid})).await.expect(201);
        });
        assert!(row["extra_info"].as_str().unwrap().contains(&format!("team_id={team_id}")), "{row}");
        audited!(admin, "updateTeamMemberRoles", "success", {
            admin.put(&format!("/teams/{team_id}/members/{uid}/roles"), json!({"roles": "team_user team_admin"})).await.expect(200);
        });
        audited!(admin, "updateTeamMemberSchemeRoles", "success", {
            admin.put(&format!("/teams/{team_id}/members/{uid}/schemeRoles"), json!({"scheme_admin": false, "scheme_user": true})).await.expect(200);
        });
        audited!(admin, "removeTeamMember", "success", {
            admin.delete(&format!("/teams/{team_id}/members/{uid}")).await.expect(200);
        });
        audited!(admin, "addTeamMembers", "success", {
            admin.post(&format!("/teams/{team_id}/members/batch"), json!([{"team_id": team_id, "user_id": uid}])).await.expect(201);
        });

        // Channels.
        let channel: Value;
        audited!(admin, "createChannel", "success", {
            channel = admin.post("/channels", json!({"team_id": team_id, "name": "audited", "display_name": "Audited", "type": "O"})).await.expect(201).body;
        });
        let cid = id(&channel);
        audited!(admin, "addChannelMember", "success", {
            admin.post(&format!("/channels/{cid}/members"), json!({"user_id": uid})).await.expect(201);
        });
        audited!(admin, "updateChannelMemberRoles", "success", {
            admin.put(&format!("/channels/{cid}/members/{uid}/roles"), json!({"roles": "channel_user channel_admin"})).await.expect(200);
        });
        audited!(admin, "updateChannelMemberSchemeRoles", "success", {
            admin.put(&format!("/channels/{cid}/members/{uid}/schemeRoles"), json!({"scheme_admin": false, "scheme_user": true})).await.expect(200);
        });
        audited!(admin, "removeChannelMember", "success", {
            admin.delete(&format!("/channels/{cid}/members/{uid}")).await.expect(200);
        });
        audited!(admin, "updateChannelPrivacy", "success", {
            admin.put(&format!("/channels/{cid}/privacy"), json!({"privacy": "P"})).await.expect(200);
        });
        audited!(admin, "deleteChannel", "success", {
            admin.delete(&format!("/channels/{cid}")).await.expect(200);
        });
        audited!(admin, "restoreChannel", "success", {
            admin.post(&format!("/channels/{cid}/restore"), json!({})).await.expect(200);
        });
        audited!(admin, "deleteTeam", "success", {
            admin.delete(&format!("/teams/{team_id}")).await.expect(200);
        });
        audited!(admin, "restoreTeam", "success", {
            admin.post(&format!("/teams/{team_id}/restore"), json!({})).await.expect(200);
        });

        // Exports.
        audited!(admin, "createJob", "success", {
            admin.post("/jobs", json!({"type": "export_process"})).await.expect(201);
        });

        // Everyone signed out last.
        audited!(admin, "revokeAllSessionsAllUsers", "failure", {
            b.client2.post("/users/sessions/revoke/all", json!({})).await.expect(403);
        });

        // The file holds one line per row, in order, and its chain holds.
        let rows = audits(admin).await;
        let lines = file_lines(&path, rows.len()).await;
        assert_eq!(lines.len(), rows.len());
        let mut row_ids: Vec<&str> = rows.iter().map(|r| r["id"].as_str().unwrap()).collect();
        row_ids.reverse();
        let line_ids: Vec<&str> = lines.iter().map(|l| l["id"].as_str().unwrap()).collect();
        assert_eq!(line_ids, row_ids);
        let mfa_fail = lines
            .iter()
            .find(|l| l["error"]["description"].as_str().unwrap().starts_with("api.user.check_user_mfa"))
            .unwrap();
        assert_eq!(mfa_fail["status"], "fail");
        assert_eq!(mfa_fail["event_name"], "login");
        assert_eq!(mfa_fail["event"]["parameters"]["login_id"], "mfauser");
        assert_eq!(mfa_fail["error"]["status_code"], 401);
        assert_eq!(mfa_fail["actor"]["ip_address"], "127.0.0.1");
        assert_eq!(lines[0]["prev_hash"], file::GENESIS);
        assert_eq!(lines[0]["seq"], 1);
        match file::verify(&path).unwrap() {
            Verdict::Ok { records, .. } => assert_eq!(records as usize, rows.len()),
            broken => panic!("{broken:?}"),
        }
        std::fs::remove_dir_all(path.parent().unwrap()).ok();
    }
);

dual_db_test!(
    async fn audits_routes_and_their_outsiders(server) {
        let b = server.init_basic().await;
        let uid = b.user_id().to_string();
        let anon = server.client();

        // `/audits`: read_audits (system admins).
        let all = b.admin.get("/audits?page=0&per_page=5").await.expect(200).body;
        assert_eq!(all.as_array().unwrap().len(), 5);
        for key in ["id", "create_at", "user_id", "action", "extra_info", "ip_address", "session_id"] {
            assert!(all[0].get(key).is_some(), "{key} missing: {}", all[0]);
        }
        assert!(all[0]["create_at"].as_i64().unwrap() > 0);
        assert_eq!(all[0]["ip_address"], "127.0.0.1");
        let page2 = b.admin.get("/audits?page=1&per_page=5").await.expect(200).body;
        assert_ne!(all[0]["id"], page2[0]["id"]);
        b.client.get("/audits").await.expect_error(403, "api.context.permissions.app_error");
        anon.get("/audits").await.expect(401);

        // `/users/{user_id}/audits`: the user themself, or edit_other_users.
        let mine = b.client.get(&format!("/users/{uid}/audits")).await.expect(200).body;
        assert!(!mine.as_array().unwrap().is_empty());
        assert!(mine.as_array().unwrap().iter().all(|a| a["user_id"] == uid.as_str()));
        let me = b.client.get("/users/me/audits").await.expect(200).body;
        assert_eq!(me, mine);
        b.admin.get(&format!("/users/{uid}/audits")).await.expect(200);
        b.client2.get(&format!("/users/{uid}/audits")).await.expect_error(403, "api.context.permissions.app_error");
        anon.get(&format!("/users/{uid}/audits")).await.expect(401);
        // Reading audits is not itself audited.
        let before = b.admin.get("/audits?per_page=200").await.body.as_array().unwrap().len();
        b.admin.get("/audits?per_page=200").await.expect(200);
        assert_eq!(b.admin.get("/audits?per_page=200").await.body.as_array().unwrap().len(), before);
    }
);

dual_db_test!(
    async fn a_config_change_is_recorded_with_the_settings_before_and_after(server) {
        let path = audit_file();
        configure(&server, |c| {
            c.experimental_audit_settings.file_enabled = true;
            c.experimental_audit_settings.file_name = path.to_string_lossy().into_owned();
        });
        let b = server.init_basic().await;
        let before = audits(&b.admin).await.len();
        let old_name = server.app.config().team_settings.site_name.clone();
        b.admin
            .put("/config/patch", json!({"TeamSettings": {"SiteName": "Audited"}, "EmailSettings": {"SMTPPassword": "new-secret"}}))
            .await
            .expect(200);
        let rows = audits(&b.admin).await;
        one_new(before, &rows, "patchConfig", "success");
        let lines = file_lines(&path, rows.len()).await;
        let line = lines.last().unwrap();
        assert_eq!(line["event_name"], "patchConfig");
        let (prior, resulting) = (&line["event"]["prior_state"], &line["event"]["resulting_state"]);
        assert_eq!(prior["TeamSettings.SiteName"], old_name.as_str());
        assert_eq!(resulting["TeamSettings.SiteName"], "Audited");
        // A secret set is on record, masked; its value never.
        assert!(!line.to_string().contains("new-secret"), "{line}");
        assert_eq!(resulting["EmailSettings.SMTPPassword"], utmost_config::FAKE_SETTING);
        assert!(prior.get("SqlSettings.DataSource").is_none(), "only changed settings: {prior}");
        std::fs::remove_dir_all(path.parent().unwrap()).ok();
    }
);

dual_db_test!(
    async fn a_reload_records_what_changed_outside_the_api(base) {
        // The server reads a file that `utmost config set` (or an editor) changes; the reload
        // that takes the change in force is the record of it.
        base.create_user(None, "admin").await;
        let path = audit_file();
        let dir = path.parent().unwrap().to_path_buf();
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("config.json");
        let config = base.app.config();
        let mut doc = json!({
            "SqlSettings": {
                "DriverName": config.sql_settings.driver_name,
                "DataSource": config.sql_settings.data_source,
                "MaxOpenConns": 5,
            },
            "ServiceSettings": {"ListenAddress": "127.0.0.1:0", "EnableDeveloper": true},
            "TeamSettings": {"SiteName": "Before"},
            "FileSettings": {"Directory": dir.join("data").to_string_lossy()},
            "ExperimentalAuditSettings": {"FileEnabled": true, "FileName": path.to_string_lossy()},
        });
        std::fs::write(&file, doc.to_string()).unwrap();
        let server = TestServer::start_from_config(base.kind, &file.to_string_lossy(), vec![], vec![]).await;
        let admin = server.client().login("admin", PASSWORD).await;
        doc["TeamSettings"]["SiteName"] = json!("Edited by hand");
        std::fs::write(&file, doc.to_string()).unwrap();
        admin.post("/config/reload", json!({})).await.expect(200);

        let deadline = Instant::now() + Duration::from_secs(10);
        let line = loop {
            let lines = file_lines(&path, 1).await;
            if let Some(line) = lines.iter().rev().find(|l| l["event_name"] == "configReload") {
                break line.clone();
            }
            assert!(Instant::now() < deadline, "no configReload record: {lines:?}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        };
        assert_eq!(line["status"], "success", "{line}");
        assert_eq!(line["event"]["prior_state"]["TeamSettings.SiteName"], "Before");
        assert_eq!(line["event"]["resulting_state"]["TeamSettings.SiteName"], "Edited by hand");
        assert!(line["event"]["prior_state"].get("SqlSettings.DataSource").is_none(), "{line}");
        server.stop().await;
        std::fs::remove_dir_all(dir).ok();
    }
);
