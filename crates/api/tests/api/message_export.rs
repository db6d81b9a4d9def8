//! The `message_export` job in each format: the export zip read back from the file store
//! and parsed (Actiance XML, GlobalRelay EML, CSV), with the posts, an edit, a deletion,
//! a file and a member's join and leave.

use crate::compliance_api::unzip;
use crate::files_support::{upload_raw, uploaded_id};
use crate::posts_support::{create_channel, create_post};
use crate::support::{configure, id};
use quick_xml::events::Event;
use serde_json::{json, Value};
use std::time::{Duration, Instant};
use utmost_testkit::{dual_db_test, Basic, TestServer};

const FILE_BYTES: &[u8] = b"quarterly numbers";

/// What the scenario made.
struct Scenario {
    channel_id: String,
    edited: String,
    deleted: String,
    file_id: String,
}

/// In a new public channel: user2 joins, posts and leaves; the user posts a file, edits a
/// post and deletes another.
async fn scenario(basic: &Basic) -> Scenario {
    let channel = create_channel(&basic.client, basic.team_id(), "exported", "O").await;
    let channel_id = id(&channel);
    basic
        .client
        .post(
            &format!("/channels/{channel_id}/members"),
            json!({"user_id": basic.user2_id()}),
        )
        .await
        .expect(201);
    create_post(&basic.client2, &channel_id, "hello from two").await;
    let file_id =
        uploaded_id(upload_raw(&basic.client, &channel_id, "report.txt", FILE_BYTES).await);
    let with_file = basic
        .client
        .post(
            "/posts",
            json!({"channel_id": channel_id, "message": "see attached", "file_ids": [file_id]}),
        )
        .await
        .expect(201)
        .body;
    let edited = id(&create_post(&basic.client, &channel_id, "before edit").await);
    basic
        .client
        .put(
            &format!("/posts/{edited}"),
            json!({"id": edited, "message": "after edit"}),
        )
        .await
        .expect(200);
    let deleted = id(&create_post(&basic.client, &channel_id, "to be deleted").await);
    basic
        .client
        .delete(&format!("/posts/{deleted}"))
        .await
        .expect(200);
    basic
        .client2
        .delete(&format!(
            "/channels/{channel_id}/members/{}",
            basic.user2_id()
        ))
        .await
        .expect(200);
    let info = basic
        .client
        .get(&format!("/files/{file_id}/info"))
        .await
        .expect(200)
        .body;
    assert_eq!(info["post_id"], id(&with_file));
    Scenario {
        channel_id,
        edited,
        deleted,
        file_id,
    }
}

/// Runs an export job in `format`; the finished job and the entries of its one zip.
async fn export(
    server: &TestServer,
    basic: &Basic,
    format: &str,
) -> (Value, Vec<(String, Vec<u8>)>) {
    configure(server, |c| {
        c.message_export_settings.export_format = format.into()
    });
    let created = basic
        .admin
        .post("/jobs", json!({"type": "message_export"}))
        .await
        .expect(201)
        .body;
    let deadline = Instant::now() + Duration::from_secs(30);
    let job = loop {
        let job = basic
            .admin
            .get(&format!("/jobs/{}", id(&created)))
            .await
            .expect(200)
            .body;
        if job["status"] != "pending" && job["status"] != "in_progress" {
            break job;
        }
        assert!(
            Instant::now() < deadline,
            "the export did not finish: {job}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(job["status"], "success", "{job}");
    let data = &job["data"];
    assert_eq!(data["export_type"], format);
    assert_eq!(data["batches"], "1");
    assert_eq!(data["files_exported"], "1");
    let dir = data["export_dir"].as_str().unwrap();
    assert!(dir.starts_with("export/"), "{dir}");
    let zip = server
        .app
        .files
        .store
        .read(&format!("{dir}/batch001.zip"))
        .await
        .unwrap();
    (job, unzip(&zip))
}

/// The zip's entry `name`, and that the file's bytes are under `files/`.
fn entry<'a>(entries: &'a [(String, Vec<u8>)], name: &str, s: &Scenario) -> &'a [u8] {
    let file = entries
        .iter()
        .find(|(n, _)| n.starts_with("files/"))
        .expect("the file");
    assert!(file.0.ends_with("/report.txt"), "{}", file.0);
    assert!(file.0.contains(&s.file_id), "{}", file.0);
    assert_eq!(file.1, FILE_BYTES);
    &entries
        .iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no {name}"))
        .1
}

/// An XML element: its name, text and children.
#[derive(Debug, Default)]
struct Node {
    name: String,
    text: String,
    children: Vec<Node>,
}

impl Node {
    fn child(&self, name: &str) -> &str {
        &self
            .children
            .iter()
            .find(|c| c.name == name)
            .unwrap_or_else(|| panic!("no {name} in {self:?}"))
            .text
    }
}

fn parse_xml(xml: &[u8]) -> Node {
    let mut reader = quick_xml::Reader::from_reader(xml);
    reader.config_mut().trim_text(true);
    let mut stack = vec![Node::default()];
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf).unwrap() {
            Event::Start(e) => stack.push(Node {
                name: e.name().as_ref().to_string(),
                ..Node::default()
            }),
            Event::Text(t) => stack.last_mut().unwrap().text.push_str(&t),
            Event::GeneralRef(r) => {
                let entity = match &*r {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    _ => "'",
                };
                stack.last_mut().unwrap().text.push_str(entity);
            }
            Event::End(_) => {
                let done = stack.pop().unwrap();
                stack.last_mut().unwrap().children.push(done);
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    stack.pop().unwrap()
}

dual_db_test!(
    async fn an_actiance_export_has_each_channel_with_its_joins_messages_files_and_leaves(server) {
        let basic = server.init_basic().await;
        let s = scenario(&basic).await;
        let (_, entries) = export(&server, &basic, "actiance").await;
        let doc = parse_xml(entry(&entries, "actiance_export.xml", &s));
        let dump = &doc.children[0];
        assert_eq!(dump.name, "FileDump");
        let channel = dump
            .children
            .iter()
            .find(|c| c.child("RoomID") == format!("public - exported - {}", s.channel_id))
            .expect("the channel");
        let tags: Vec<&str> = channel.children.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(tags[..2], ["RoomID", "StartTimeUTC"]);
        assert_eq!(tags.last(), Some(&"EndTimeUTC"));
        let (start, end): (i64, i64) =
            (channel.child("StartTimeUTC").parse().unwrap(), channel.child("EndTimeUTC").parse().unwrap());
        let events = &channel.children[2..channel.children.len() - 1];
        let times: Vec<i64> = events.iter().map(|e| e.child("DateTimeUTC").parse().unwrap()).collect();
        assert!(times.windows(2).all(|w| w[0] <= w[1]), "{times:?}");
        assert!(times.iter().all(|t| (start..=end).contains(t)));
        let of = |tag: &str, login: &str| {
            events.iter().filter(|e| e.name == tag && e.child("LoginName") == login).count()
        };
        let (one, two) = ("basicuser@example.com", "basicuser2@example.com");
        assert_eq!((of("JoinEvent", one), of("JoinEvent", two)), (1, 1));
        assert_eq!((of("LeaveEvent", one), of("LeaveEvent", two)), (1, 1));
        let two_left = events.iter().position(|e| e.name == "LeaveEvent" && e.child("LoginName") == two).unwrap();
        let two_spoke = events.iter().position(|e| e.name == "Message" && e.child("Content") == "hello from two").unwrap();
        assert!(two_spoke < two_left);
        let contents: Vec<&str> =
            events.iter().filter(|e| e.name == "Message").map(|e| e.child("Content")).collect();
        for said in ["hello from two", "see attached", "before edit", "after edit", "to be deleted", "delete to be deleted"] {
            assert!(contents.contains(&said), "{said} missing from {contents:?}");
        }
        let started = events.iter().find(|e| e.name == "FileTransferStarted").expect("the file");
        assert_eq!(started.child("FileName"), "report.txt");
        assert_eq!(started.child("UserType"), "user");
        assert!(started.child("FilePath").contains(&s.file_id));
        assert_eq!(of("FileTransferEnded", one), 1);

        // The next export starts where this one ended: nothing new, no file.
        let created = basic.admin.post("/jobs", json!({"type": "message_export"})).await.expect(201).body;
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let job = basic.admin.get(&format!("/jobs/{}", id(&created))).await.expect(200).body;
            if job["status"] == "success" {
                assert_eq!(job["data"]["messages_exported"], "0");
                assert_eq!(job["data"]["batches"], "0");
                break;
            }
            assert!(Instant::now() < deadline, "{job}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
);

dual_db_test!(
    async fn a_global_relay_export_is_one_eml_per_conversation(server) {
        let basic = server.init_basic().await;
        let s = scenario(&basic).await;
        let (_, entries) = export(&server, &basic, "globalrelay-zip").await;
        let eml = String::from_utf8(entry(&entries, &format!("exported-{}.eml", s.channel_id), &s).to_vec()).unwrap();
        let (head, body) = eml.split_once("\r\n\r\n").expect("headers, then the body");
        let header = |name: &str| {
            head.split("\r\n")
                .find_map(|l| l.strip_prefix(&format!("{name}: ")))
                .unwrap_or_else(|| panic!("no {name} in {head}"))
                .to_string()
        };
        assert_eq!(header("Subject"), "Mattermost Compliance Export: exported");
        assert_eq!(header("X-Mattermost-ChannelType"), "public");
        assert_eq!(header("X-Mattermost-ChannelID"), s.channel_id);
        assert_eq!(header("X-GlobalRelay-MsgType"), "Mattermost");
        assert_eq!(header("Auto-Submitted"), "auto-generated");
        assert!(header("From").contains("<basicuser@example.com>"));
        assert!(head.contains("basicuser2@example.com"), "{head}");
        assert!(header("Date").contains(':'));
        assert!(header("Message-ID").contains('@'));
        assert!(header("Content-Type").starts_with("multipart/mixed"));
        assert!(body.contains("Content-Type: text/html"));
        for said in ["hello from two", "after edit", "before edit", "delete to be deleted"] {
            assert!(body.contains(&format!("<span class=\"message\">{said}</span>")), "{said}: {body}");
        }
        assert!(body.contains("<li>basicuser2 (basicuser2@example.com)</li>"));
        assert!(body.contains("filename=\"report.txt\""), "{body}");
    }
);

dual_db_test!(
    async fn a_csv_export_has_mattermost_columns_and_a_row_per_change(server) {
        let basic = server.init_basic().await;
        let s = scenario(&basic).await;
        let (job, entries) = export(&server, &basic, "csv").await;
        let csv = entry(&entries, "csv_export.csv", &s);
        let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(csv);
        let rows: Vec<Vec<String>> =
            reader.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect();
        assert_eq!(rows[0][..4], ["Post Creation Time", "Team Id", "Team Name", "Team Display Name"]);
        assert_eq!(rows[0].len(), 18);
        let col = |name: &str| rows[0].iter().position(|h| h == name).unwrap();
        let ours: Vec<&Vec<String>> = rows[1..].iter().filter(|r| r[col("Channel Id")] == s.channel_id).collect();
        let kinds = |kind: &str| ours.iter().filter(|r| r[col("Post Type")] == kind).count();
        assert_eq!(kinds("EnterChannel"), 2);
        assert_eq!(kinds("LeaveChannel"), 1);
        assert_eq!(kinds("File Attachment"), 1);
        let message = |m: &str| ours.iter().find(|r| r[col("Post Message")] == m).unwrap_or_else(|| panic!("{m}"));
        assert_eq!(message("after edit")[col("Post Id")], s.edited);
        assert_eq!(message("before edit")[col("Edited By Post Id")], s.edited);
        assert_eq!(message("delete to be deleted")[col("Post Id")], s.deleted);
        assert_eq!(message("hello from two")[col("Username")], "basicuser2");
        assert_eq!(message("hello from two")[col("Team Id")], basic.team_id());
        assert_eq!(message("hello from two")[col("Channel Type")], "public");
        // Every exported post has its rows, whatever its channel.
        let post_ids: std::collections::BTreeSet<&str> =
            rows[1..].iter().map(|r| r[col("Post Id")].as_str()).filter(|p| !p.is_empty()).collect();
        assert_eq!(job["data"]["messages_exported"], post_ids.len().to_string());
    }
);

dual_db_test!(
    async fn a_finished_export_downloads_as_one_zip_of_its_batches(server) {
        let basic = server.init_basic().await;
        scenario(&basic).await;
        let (job, batch) = export(&server, &basic, "csv").await;
        let job_id = id(&job);
        let path = format!("/jobs/{job_id}/download");
        // Off by default, as Mattermost's DownloadExportResults.
        basic
            .admin
            .get(&path)
            .await
            .expect_error(501, "app.job.download_export_results_not_enabled");
        configure(&server, |c| c.message_export_settings.download_export_results = true);

        let (status, disposition, bytes) = crate::compliance_api::download(&basic.admin, &path).await;
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&bytes));
        let dir = job["data"]["export_dir"].as_str().unwrap();
        let name = dir.rsplit('/').next().unwrap();
        assert!(disposition.contains(&format!("{name}.zip")), "{disposition}");
        let outer = unzip(&bytes);
        assert_eq!(outer.len(), 1, "{:?}", outer.iter().map(|(n, _)| n).collect::<Vec<_>>());
        assert_eq!(outer[0].0, "batch001.zip");
        // The batch inside is the very zip the job wrote.
        assert_eq!(unzip(&outer[0].1), batch);

        // Not an export job, or no such job; outsiders.
        let other = basic.admin.post("/jobs", json!({"type": "bleve_post_indexing"})).await.expect(201).body;
        basic
            .admin
            .get(&format!("/jobs/{}/download", id(&other)))
            .await
            .expect_error(400, "api.job.unable_to_download_job.incorrect_job_type");
        basic
            .admin
            .get(&format!("/jobs/{}/download", utmost_model::new_id()))
            .await
            .expect_error(404, "app.job.get.app_error");
        basic.client.get(&path).await.expect_error(403, "api.context.permissions.app_error");
        server.client().get(&path).await.expect(401);
    }
);
