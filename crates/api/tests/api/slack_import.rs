//! `POST /teams/{team_id}/import` (Mattermost's `importTeam`) with the test's Slack export
//! (`utmost_testkit::slack`): a system admin's import answers its report in base64 and the
//! data is there, the same import again changes nothing, a team member without
//! `import_team` is refused before the form is read, each missing or bad form field gets
//! Mattermost's error, and a zip over `MaxFileSize` is refused.

use crate::files_support::{form, send, BOUNDARY};
use crate::support::{configure, id};
use serde_json::{json, Value};
use utmost_testkit::slack::{export_zip, ROOT_MESSAGE};
use utmost_testkit::{dual_db_test, Client, Resp};

async fn import(
    client: &Client,
    team_id: &str,
    fields: &[(&str, &str)],
    zip: Option<&[u8]>,
) -> Resp {
    let files: Vec<(&str, &str, &[u8])> =
        zip.map(|z| ("file", "export.zip", z)).into_iter().collect();
    send(
        client,
        &format!("/teams/{team_id}/import"),
        &format!("multipart/form-data; boundary={BOUNDARY}"),
        form(fields, &files),
    )
    .await
}

fn results(resp: &Resp) -> String {
    let encoded = resp.body["results"].as_str().unwrap();
    String::from_utf8(data_encoding::BASE64.decode(encoded.as_bytes()).unwrap()).unwrap()
}

/// `general`'s posts as "author id|message", oldest first (roots and replies).
async fn general_posts(admin: &Client, team_id: &str) -> Vec<String> {
    let channel = admin
        .get(&format!("/teams/{team_id}/channels/name/general"))
        .await
        .expect(200)
        .body;
    let list = admin
        .get(&format!("/channels/{}/posts?per_page=200", id(&channel)))
        .await
        .expect(200)
        .body;
    let mut posts: Vec<&Value> = list["posts"].as_object().unwrap().values().collect();
    posts.sort_by_key(|p| (p["create_at"].as_i64(), p["id"].as_str().map(String::from)));
    posts
        .iter()
        .map(|p| {
            format!(
                "{}|{}",
                p["user_id"].as_str().unwrap(),
                p["message"].as_str().unwrap()
            )
        })
        .collect()
}

dual_db_test!(
    async fn a_slack_export_is_imported_into_the_team(server) {
        let basic = server.init_basic().await;
        let team_id = basic.team_id().to_string();
        let zip = export_zip();
        let size = zip.len().to_string();
        let fields = [("importFrom", "slack"), ("filesize", size.as_str())];

        // A plain member of the team has no import_team.
        import(&basic.client, &team_id, &fields, Some(&zip))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        basic.admin.get("/users/username/bob.builder").await.expect(404);

        // An account with alice's email is alice: its name and profile are kept.
        let alicia = basic
            .admin
            .post(
                "/users",
                json!({"username": "alicia", "email": "alice@example.org", "password": "Pa55word!x", "first_name": "Ali"}),
            )
            .await
            .expect(201)
            .body;

        let done = import(&basic.admin, &team_id, &fields, Some(&zip)).await.expect(200);
        let log = results(&done);
        for fact in [
            "users: 7",
            "posts: 20",
            "unsupported subtype \"pinned_item\"",
            "file missing.png (F02): not in the export",
            "alice: imported as @alicia",
        ] {
            assert!(log.contains(fact), "{fact:?} not in\n{log}");
        }
        let bob = basic.admin.get("/users/username/bob.builder").await.expect(200).body;
        assert_eq!((bob["first_name"].as_str(), bob["last_name"].as_str()), (Some("Bob"), Some("Builder")));
        let posts = general_posts(&basic.admin, &team_id).await;
        assert_eq!(posts.len(), 15, "{posts:?}");
        assert_eq!(posts[1], format!("{}|{ROOT_MESSAGE}", id(&alicia)));
        basic.admin.get("/users/username/alice").await.expect(404);
        let kept = basic.admin.get(&format!("/users/{}", id(&alicia))).await.expect(200).body;
        assert_eq!((kept["first_name"].as_str(), kept["last_name"].as_str()), (Some("Ali"), Some("")));

        // The same export again: the same report, nothing new.
        let again = import(&basic.admin, &team_id, &fields, Some(&zip)).await.expect(200);
        assert_eq!(results(&again), log);
        assert_eq!(general_posts(&basic.admin, &team_id).await, posts);
    }
);

/// A form's fields, its file, and the error it gets.
type FormCase<'a> = (&'a [(&'a str, &'a str)], Option<&'a [u8]>, &'a str);

dual_db_test!(
    async fn the_form_is_checked_as_mattermost_checks_it(server) {
        let basic = server.init_basic().await;
        let team_id = basic.team_id().to_string();
        let admin = &basic.admin;
        let zip = export_zip();
        let zip = Some(zip.as_slice());
        let cases: [FormCase; 5] = [
            (&[("filesize", "6")], zip, "api.team.import_team.no_import_from.app_error"),
            (&[("importFrom", "slack")], zip, "api.team.import_team.unavailable.app_error"),
            (&[("importFrom", "slack"), ("filesize", "abc")], zip, "api.team.import_team.integer.app_error"),
            (&[("importFrom", "slack"), ("filesize", "6")], None, "api.team.import_team.no_file.app_error"),
            (&[("importFrom", "hipchat"), ("filesize", "6")], zip, "api.team.import_team.unknown_import_from.app_error"),
        ];
        for (fields, file, error) in cases {
            import(admin, &team_id, fields, file).await.expect_error(400, error);
        }
        send(admin, &format!("/teams/{team_id}/import"), "application/json", b"{}".to_vec())
            .await
            .expect_error(500, "api.team.import_team.parse.app_error");
        import(admin, &team_id, &[("importFrom", "slack"), ("filesize", "5")], Some(b"hello"))
            .await
            .expect_error(400, "api.slackimport.slack_import.zip.app_error");

        configure(&server, |c| c.file_settings.max_file_size = 1000);
        import(admin, &team_id, &[("importFrom", "slack"), ("filesize", "9999")], zip)
            .await
            .expect_error(413, "api.file.upload_file.too_large_detailed.app_error");
        admin.get("/users/username/alice").await.expect(404);
    }
);
