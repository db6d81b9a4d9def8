//! `utmost import slack --team TEAM FILE.zip` on both databases: the test's Slack export
//! (`utmost_testkit::slack`) becomes users, channels, DMs and group messages, posts with
//! their threads, reactions and files, with Slack's markup converted and a report of what
//! was skipped; importing it again changes nothing.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Instance;
use std::process::Output;
use utmost_testkit::slack::{export_zip, LONG_MESSAGE_CHARS, ROOT_MESSAGE};

#[track_caller]
fn ok(out: Output) -> String {
    assert!(
        out.status.success(),
        "expected success\nstdout: {}\nstderr: {}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// What an import writes: row counts, and sums of the times every rewrite moves.
const FINGERPRINT: [&str; 11] = [
    "SELECT CAST(COUNT(*) AS BIGINT) FROM users",
    "SELECT CAST(COUNT(*) AS BIGINT) FROM channels",
    "SELECT CAST(COUNT(*) AS BIGINT) FROM teammembers",
    "SELECT CAST(COUNT(*) AS BIGINT) FROM channelmembers",
    "SELECT CAST(COUNT(*) AS BIGINT) FROM posts",
    "SELECT CAST(COUNT(*) AS BIGINT) FROM reactions",
    "SELECT CAST(COUNT(*) AS BIGINT) FROM fileinfo",
    "SELECT CAST(COALESCE(SUM(updateat), 0) AS BIGINT) FROM users",
    "SELECT CAST(COALESCE(SUM(updateat), 0) AS BIGINT) FROM channels",
    "SELECT CAST(COALESCE(SUM(updateat), 0) AS BIGINT) FROM posts",
    "SELECT CAST(COALESCE(SUM(lastupdateat), 0) AS BIGINT) FROM channelmembers",
];

async fn fingerprint(i: &Instance) -> Vec<i64> {
    let mut out = Vec::new();
    for sql in FINGERPRINT {
        out.push(i.count(sql).await);
    }
    out
}

/// One text value a query selects.
async fn one(i: &Instance, sql: &str) -> String {
    let rows = i.column(sql).await;
    assert_eq!(rows.len(), 1, "{sql}: {rows:?}");
    rows[0].clone()
}

/// The posts of a channel (by name; a DM's or GM's by type) as "username|type|message",
/// oldest first.
async fn posts(i: &Instance, channel_clause: &str) -> Vec<String> {
    i.column(&format!(
        "SELECT u.username || '|' || p.type || '|' || p.message FROM posts p \
         JOIN users u ON u.id = p.userid JOIN channels c ON c.id = p.channelid \
         WHERE {channel_clause} ORDER BY p.createat, p.id"
    ))
    .await
}

each_db!(
    async fn a_slack_export_is_imported_once(i) {
        // The team to import into.
        let team = i.path("team.jsonl");
        std::fs::write(
            &team,
            "{\"type\":\"version\",\"version\":1}\n\
             {\"type\":\"team\",\"team\":{\"name\":\"acme\",\"display_name\":\"Acme\",\"type\":\"O\"}}\n",
        )
        .unwrap();
        ok(i.run(&["import", "apply", team.to_str().unwrap()]));
        let zip = i.path("slack.zip");
        std::fs::write(&zip, export_zip()).unwrap();

        let report = ok(i.run(&["import", "slack", "--team", "acme", zip.to_str().unwrap()]));
        for skipped in [
            "general 1600000012.000000: unsupported subtype \"pinned_item\"",
            "general 1600000013.000000: user U99 is not in users.json",
            "general 1600000011.000000: a deleted message",
            "file missing.png (F02): not in the export",
            "orphan-folder: a folder of messages that no channel",
            "dave: no email address in the export; dave@example.com was given",
            "josé: imported as @jos_",
            "reply whose thread's first message is not in the export",
        ] {
            if skipped.starts_with("reply whose") {
                assert!(!report.contains(skipped), "no reply lost its root:\n{report}");
            } else {
                assert!(report.contains(skipped), "{skipped:?} not reported:\n{report}");
            }
        }

        // Users: sanitised, deactivated, with names, positions and made-up emails.
        let users = i
            .column("SELECT username || '|' || email || '|' || firstname || '|' || lastname || '|' || position || '|' || CAST(deleteat > 0 AS TEXT) FROM users ORDER BY username")
            .await;
        let deleted = |b: bool| if i.kind == common::DbKind::Postgres { b.to_string() } else { u8::from(b).to_string() };
        assert_eq!(
            users,
            vec![
                format!("alice|alice@example.org|Alice|Archer|Lead|{}", deleted(false)),
                format!("bob.builder|bob@example.org|Bob|Builder||{}", deleted(false)),
                format!("carol|carol@example.org|Carol|||{}", deleted(true)),
                format!("dave|dave@example.com|Dave|||{}", deleted(false)),
                format!("helpbot|helpbot@example.com|Help|Bot||{}", deleted(false)),
                format!("jos_|jose@example.org||||{}", deleted(false)),
                format!("slack-import-bot|slack-import-bot@localhost||||{}", deleted(true)),
            ]
        );

        // Channels, with their type, header, purpose and archived state.
        let channels = i
            .column("SELECT name || '|' || type || '|' || header || '|' || purpose || '|' || CAST(deleteat > 0 AS TEXT) FROM channels WHERE teamid <> '' ORDER BY name")
            .await;
        assert_eq!(
            channels,
            vec![
                format!("general|O|Company news|Everyone|{}", deleted(false)),
                format!("old-project|O|||{}", deleted(true)),
                format!("random_stuff|O|||{}", deleted(false)),
                format!("secret-plans|P||shh|{}", deleted(false)),
            ]
        );
        let members = i
            .column("SELECT u.username FROM channelmembers m JOIN users u ON u.id = m.userid JOIN channels c ON c.id = m.channelid WHERE c.name = 'secret-plans' ORDER BY u.username")
            .await;
        assert_eq!(members, vec!["alice", "bob.builder"]);
        assert_eq!(
            i.count("SELECT CAST(COUNT(*) AS BIGINT) FROM teammembers").await,
            7,
            "every user joins the team"
        );

        // general: every kind of message, in order, with mentions and links converted.
        let long = "x".repeat(16383);
        let expected = vec![
            "bob.builder|system_join_channel|@bob.builder has joined the channel".to_string(),
            format!("alice||{ROOT_MESSAGE}"),
            "bob.builder||Thanks @here".into(),
            "carol||Also in the channel @all".into(),
            "dave||*waves*".into(),
            "alice||the plan".into(),
            "slack-import-bot|slack_attachment|Deployed".into(),
            "helpbot||I am a bot with a user".into(),
            "alice|system_header_change|set the channel topic: Company news".into(),
            "alice|system_purpose_change|set the channel purpose: Everyone".into(),
            "slack-import-bot||This message was deleted.".into(),
            "bob.builder||a reply to a deleted message".into(),
            "dave|system_leave_channel|@dave has left the channel".into(),
            format!("alice||{long}"),
            format!("alice||{}", "x".repeat(LONG_MESSAGE_CHARS - 16383)),
        ];
        assert_eq!(posts(&i, "c.name = 'general'").await, expected);

        // The thread, the edit, the reactions and the file of the root.
        let root = one(&i, &format!("SELECT id FROM posts WHERE message = '{ROOT_MESSAGE}'")).await;
        assert_eq!(
            i.count(&format!("SELECT CAST(COUNT(*) AS BIGINT) FROM posts WHERE rootid = '{root}'")).await,
            2
        );
        assert_eq!(
            i.count(&format!("SELECT editat FROM posts WHERE id = '{root}'")).await,
            1_600_000_100_000
        );
        let reactions = i
            .column(&format!("SELECT u.username || ':' || r.emojiname FROM reactions r JOIN users u ON u.id = r.userid WHERE r.postid = '{root}' ORDER BY u.username"))
            .await;
        assert_eq!(reactions, vec!["bob.builder:+1", "carol:+1", "dave:thumbsup"]);
        let file = one(&i, "SELECT f.name || '|' || p.message FROM fileinfo f JOIN posts p ON p.id = f.postid").await;
        assert_eq!(file, "plan.txt|the plan");
        let stored = i.column("SELECT path FROM fileinfo").await;
        let bytes = std::fs::read(i.dir.join("data").join(&stored[0])).unwrap();
        assert_eq!(bytes, b"step one: import\n");
        // The reply to a tombstone stays in its thread; the long message's rest is a reply.
        let tombstone = one(&i, "SELECT id FROM posts WHERE message = 'This message was deleted.'").await;
        assert_eq!(
            one(&i, "SELECT rootid FROM posts WHERE message = 'a reply to a deleted message'").await,
            tombstone
        );
        let bot = one(&i, "SELECT CAST(props AS TEXT) FROM posts WHERE message = 'Deployed'").await;
        assert!(bot.contains("deploy-bot") && bot.contains("build 42 passed"), "{bot}");

        // The DM (a thread) and the group message (with its reaction).
        assert_eq!(
            posts(&i, "c.type = 'D'").await,
            vec!["alice||hi Bob", "bob.builder||hi alice"]
        );
        assert_eq!(posts(&i, "c.type = 'G'").await, vec!["carol||group hello"]);
        assert_eq!(
            i.count("SELECT CAST(COUNT(*) AS BIGINT) FROM reactions r JOIN channels c ON c.id = r.channelid WHERE c.type = 'G'").await,
            1
        );
        assert_eq!(posts(&i, "c.name = 'random_stuff'").await, vec!["bob.builder||something random"]);

        // Importing again changes nothing.
        let before = fingerprint(&i).await;
        ok(i.run(&["import", "slack", "--team", "acme", zip.to_str().unwrap()]));
        assert_eq!(fingerprint(&i).await, before);
    }
);

each_db!(
    async fn a_missing_team_or_a_zip_that_is_no_slack_export_imports_nothing(i) {
        let zip = i.path("slack.zip");
        std::fs::write(&zip, export_zip()).unwrap();
        let out = i.run(&["import", "slack", "--team", "nowhere", zip.to_str().unwrap()]);
        assert!(!out.status.success());
        assert!(String::from_utf8_lossy(&out.stderr).contains("no team \"nowhere\""));
        let bulk = i.path("bulk.zip");
        let mut w = zip::ZipWriter::new(std::fs::File::create(&bulk).unwrap());
        w.start_file("import.jsonl", zip::write::SimpleFileOptions::default()).unwrap();
        w.finish().unwrap();
        let team = i.path("team.jsonl");
        std::fs::write(
            &team,
            "{\"type\":\"version\",\"version\":1}\n\
             {\"type\":\"team\",\"team\":{\"name\":\"acme\",\"display_name\":\"Acme\",\"type\":\"O\"}}\n",
        )
        .unwrap();
        ok(i.run(&["import", "apply", team.to_str().unwrap()]));
        let out = i.run(&["import", "slack", "--team", "acme", bulk.to_str().unwrap()]);
        assert!(!out.status.success());
        assert!(String::from_utf8_lossy(&out.stderr).contains("users.json"));
        assert_eq!(i.count("SELECT CAST(COUNT(*) AS BIGINT) FROM users").await, 0);
    }
);
