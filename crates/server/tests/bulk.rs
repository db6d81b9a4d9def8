//! Bulk import and export (`utmost import validate|apply`, `utmost export`), run as an
//! operator runs them: a Mattermost-format zip is imported, exported, imported into an
//! empty instance on the other database and exported again; both exports must hold the same
//! data, and importing again must change no row. Bad input is refused line by line, with
//! nothing written.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{DbKind, Instance};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::Path;
use std::process::Output;

/// A 1×1 PNG, for an emoji and an image attachment.
const PNG: [u8; 70] = [
    137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0,
    0, 0, 31, 21, 196, 137, 0, 0, 0, 13, 73, 68, 65, 84, 120, 218, 99, 100, 96, 248, 95, 15, 0, 2,
    135, 1, 128, 235, 71, 186, 146, 0, 0, 0, 0, 73, 69, 78, 68, 174, 66, 96, 130,
];

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

/// Every kind of line, with replies, reactions (a custom emoji's too), saved marks, pins,
/// files, favorites, themes, a deactivated user, a DM and a GM.
fn fixture_lines() -> Vec<Value> {
    vec![
        json!({"type": "version", "version": 1}),
        json!({"type": "emoji", "emoji": {"name": "party-parrot", "image": "emoji/parrot.png"}}),
        json!({"type": "team", "team": {"name": "eng", "display_name": "Engineering", "type": "O",
            "description": "builders", "allow_open_invite": true}}),
        json!({"type": "team", "team": {"name": "ops", "display_name": "Ops", "type": "I"}}),
        json!({"type": "channel", "channel": {"team": "eng", "name": "town-square",
            "display_name": "Town Square", "type": "O", "header": "welcome", "purpose": "all"}}),
        json!({"type": "channel", "channel": {"team": "eng", "name": "secret",
            "display_name": "Secret", "type": "P"}}),
        json!({"type": "channel", "channel": {"team": "ops", "name": "oncall",
            "display_name": "On call", "type": "O"}}),
        json!({"type": "user", "user": {"username": "alice", "email": "alice@example.com",
            "first_name": "Alice", "last_name": "A", "nickname": "al", "position": "lead",
            "roles": "system_admin system_user", "locale": "fr", "military_time": "true",
            "theme": "{\"sidebarBg\":\"#145dbf\"}", "notify_props": {"desktop": "all"},
            "teams": [
                {"name": "eng", "roles": "team_user team_admin", "theme": "{\"sidebarBg\":\"#000000\"}",
                 "channels": [
                    {"name": "town-square", "roles": "channel_user channel_admin",
                     "favorite": true, "notify_props": {"desktop": "mention"}},
                    {"name": "secret", "roles": "channel_user"}]},
                {"name": "ops", "roles": "team_user", "channels": [{"name": "oncall", "roles": "channel_user"}]}]}}),
        json!({"type": "user", "user": {"username": "bob", "email": "bob@example.com",
            "roles": "system_user", "teams": [{"name": "eng", "roles": "team_user",
            "channels": [{"name": "town-square", "roles": "channel_user"},
                         {"name": "secret", "roles": "channel_user"}]}]}}),
        json!({"type": "user", "user": {"username": "carol", "email": "carol@example.com",
            "roles": "system_user", "delete_at": 1_700_000_000_000_i64,
            "teams": [{"name": "eng", "roles": "team_user",
            "channels": [{"name": "town-square", "roles": "channel_user"}]}]}}),
        json!({"type": "post", "post": {"team": "eng", "channel": "town-square", "user": "alice",
            "message": "hello world", "create_at": 1_600_000_001_000_i64, "is_pinned": true,
            "flagged_by": ["bob"],
            "reactions": [{"user": "bob", "emoji_name": "+1", "create_at": 1_600_000_001_100_i64},
                          {"user": "carol", "emoji_name": "party-parrot", "create_at": 1_600_000_001_200_i64}],
            "attachments": [{"path": "files/notes.txt"}, {"path": "files/pic.png"}],
            "replies": [
                {"user": "bob", "message": "hi alice", "create_at": 1_600_000_001_500_i64},
                {"user": "carol", "message": "me too", "create_at": 1_600_000_001_600_i64,
                 "reactions": [{"user": "alice", "emoji_name": "smile", "create_at": 1_600_000_001_700_i64}]}]}}),
        json!({"type": "post", "post": {"team": "eng", "channel": "secret", "user": "bob",
            "message": "private words", "create_at": 1_600_000_002_000_i64,
            "edit_at": 1_600_000_002_500_i64, "props": {"from_bot": "false"}}}),
        json!({"type": "direct_channel", "direct_channel": {"members": ["alice", "bob"],
            "favorited_by": ["alice"], "header": "just us"}}),
        json!({"type": "direct_channel", "direct_channel": {"members": ["alice", "bob", "carol"]}}),
        json!({"type": "direct_post", "direct_post": {"channel_members": ["alice", "bob"],
            "user": "bob", "message": "psst", "create_at": 1_600_000_003_000_i64,
            "replies": [{"user": "alice", "message": "yes?", "create_at": 1_600_000_003_100_i64}]}}),
        json!({"type": "direct_post", "direct_post": {"channel_members": ["alice", "bob", "carol"],
            "user": "carol", "message": "group hello", "create_at": 1_600_000_004_000_i64,
            "reactions": [{"user": "bob", "emoji_name": "wave", "create_at": 1_600_000_004_100_i64}]}}),
    ]
}

fn write_zip(path: &Path, jsonl: &str, files: &[(&str, &[u8])]) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let options = zip::write::SimpleFileOptions::default();
    zip.start_file("import.jsonl", options).unwrap();
    zip.write_all(jsonl.as_bytes()).unwrap();
    for (name, bytes) in files {
        zip.start_file(format!("data/{name}"), options).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap();
}

fn jsonl(lines: &[Value]) -> String {
    lines.iter().map(|l| format!("{l}\n")).collect()
}

/// An export's lines in a comparable form: file paths (which hold ids) replaced by the
/// files' contents, every array sorted, the lines sorted.
fn normalized_export(zip_path: &Path) -> Vec<String> {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(zip_path).unwrap()).unwrap();
    let mut text = String::new();
    archive
        .by_name("import.jsonl")
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    let mut data = |path: &str| {
        let mut bytes = Vec::new();
        archive
            .by_name(&format!("data/{path}"))
            .unwrap_or_else(|e| panic!("{path} is not in the export: {e}"))
            .read_to_end(&mut bytes)
            .unwrap();
        format!("file: {}", String::from_utf8_lossy(&bytes))
    };
    let mut lines: Vec<String> = text
        .lines()
        .map(|l| {
            let mut v: Value = serde_json::from_str(l).unwrap();
            replace_paths(&mut v, &mut data);
            sort_arrays(&mut v);
            if v["type"] == "version" {
                v["info"] = Value::Null;
            }
            v.to_string()
        })
        .collect();
    lines.sort();
    lines
}

fn replace_paths(v: &mut Value, data: &mut dyn FnMut(&str) -> String) {
    match v {
        Value::Object(map) => {
            for (key, value) in map.iter_mut() {
                match (key.as_str(), value.as_str()) {
                    ("path" | "image", Some(p)) => *value = Value::String(data(p)),
                    _ => replace_paths(value, data),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|i| replace_paths(i, data)),
        _ => {}
    }
}

fn sort_arrays(v: &mut Value) {
    match v {
        Value::Object(map) => map.values_mut().for_each(sort_arrays),
        Value::Array(items) => {
            items.iter_mut().for_each(sort_arrays);
            items.sort_by_key(|i| i.to_string());
        }
        _ => {}
    }
}

fn kinds(lines: &[String]) -> BTreeMap<String, usize> {
    let mut kinds = BTreeMap::new();
    for l in lines {
        let v: Value = serde_json::from_str(l).unwrap();
        *kinds
            .entry(v["type"].as_str().unwrap().to_string())
            .or_default() += 1;
    }
    kinds
}

/// The tables an import writes: row counts, and sums of the times every rewrite moves.
const FINGERPRINT: [&str; 14] = [
    "SELECT CAST(COUNT(*) AS BIGINT) FROM teams",
    "SELECT CAST(COUNT(*) AS BIGINT) FROM channels",
    "SELECT CAST(COUNT(*) AS BIGINT) FROM users",
    "SELECT CAST(COUNT(*) AS BIGINT) FROM teammembers",
    "SELECT CAST(COUNT(*) AS BIGINT) FROM channelmembers",
    "SELECT CAST(COUNT(*) AS BIGINT) FROM preferences",
    "SELECT CAST(COUNT(*) AS BIGINT) FROM posts",
    "SELECT CAST(COUNT(*) AS BIGINT) FROM reactions",
    "SELECT CAST(COUNT(*) AS BIGINT) FROM fileinfo",
    "SELECT CAST(COUNT(*) AS BIGINT) FROM emoji",
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

fn fixture_zip(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("fixture.zip");
    write_zip(
        &path,
        &jsonl(&fixture_lines()),
        &[
            ("emoji/parrot.png", &PNG),
            ("files/notes.txt", b"meeting notes\n"),
            ("files/pic.png", &PNG),
        ],
    );
    path
}

async fn round_trip(from: DbKind, to: DbKind) {
    let (Some(a), Some(b)) = (Instance::new(from).await, Instance::new(to).await) else {
        return;
    };
    let fixture = fixture_zip(&a.dir);
    ok(a.run(&["import", "apply", fixture.to_str().unwrap()]));
    let first = a.path("first.zip");
    ok(a.run(&["export", "--attachments", first.to_str().unwrap()]));
    let first_lines = normalized_export(&first);
    let expected: BTreeMap<String, usize> = [
        ("channel", 3),
        ("direct_channel", 2),
        ("direct_post", 2),
        ("emoji", 1),
        ("post", 2),
        ("team", 2),
        ("user", 3),
        ("version", 1),
    ]
    .into_iter()
    .map(|(k, n)| (k.to_string(), n))
    .collect();
    assert_eq!(kinds(&first_lines), expected);

    ok(b.run(&["import", "apply", first.to_str().unwrap()]));
    let second = b.path("second.zip");
    ok(b.run(&["export", "--attachments", second.to_str().unwrap()]));
    assert_eq!(normalized_export(&second), first_lines);

    // The fixture's own facts made it through both imports.
    let all = first_lines.join("\n");
    for fact in [
        "\"military_time\":\"true\"",
        "\"favorite\":true",
        "\"flagged_by\":[\"bob\"]",
        "\"emoji_name\":\"party-parrot\"",
        "\"delete_at\":1700000000000",
        "\"header\":\"just us\"",
        "\"favorited_by\":[\"alice\"]",
        "\"is_pinned\":true",
        "\"edit_at\":1600000002500",
        "\"roles\":\"channel_user channel_admin\"",
        "meeting notes",
    ] {
        assert!(all.contains(fact), "{fact} lost");
    }

    // Importing again changes nothing.
    let before = fingerprint(&b).await;
    ok(b.run(&["import", "apply", first.to_str().unwrap()]));
    assert_eq!(fingerprint(&b).await, before);
    assert_eq!(
        before[6], 7,
        "posts: 2 roots and 2 replies, a DM root and reply, a GM root"
    );
    assert_eq!(before[8], 2, "both attachments");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn round_trip_sqlite_to_postgres() {
    round_trip(DbKind::Sqlite, DbKind::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn round_trip_postgres_to_sqlite() {
    round_trip(DbKind::Postgres, DbKind::Sqlite).await;
}

/// `import validate` and `import apply` on a file with bad lines of every kind.
async fn refuse(i: &Instance, lines: &[&str], expected: &[(usize, &str)]) {
    let path = i.path("bad.jsonl");
    std::fs::write(&path, lines.join("\n")).unwrap();
    for command in ["validate", "apply"] {
        let out = i.run(&["import", command, path.to_str().unwrap()]);
        assert!(!out.status.success(), "{command} accepted bad input");
        let stderr = String::from_utf8_lossy(&out.stderr);
        for (line, reason) in expected {
            let wanted = format!("line {line}: ");
            let found = stderr
                .lines()
                .any(|l| l.starts_with(&wanted) && l.contains(reason));
            assert!(
                found,
                "{command}: no 'line {line}: …{reason}…' in\n{stderr}"
            );
        }
        let reported = stderr.lines().filter(|l| l.starts_with("line ")).count();
        assert_eq!(reported, expected.len(), "{stderr}");
    }
    for table in ["teams", "channels", "users", "posts"] {
        let n = i
            .count(&format!("SELECT CAST(COUNT(*) AS BIGINT) FROM {table}"))
            .await;
        assert_eq!(n, 0, "{table} written despite bad lines");
    }
}

each_db!(
    async fn bad_lines_are_numbered_and_nothing_is_imported(i) {
        refuse(
            &i,
            &[
                r#"{"type":"version","version":1}"#,
                r#"{"type":"team","team":{"name":"good","display_name":"Good","type":"O"}}"#,
                r#"{"type":"team","team":{"display_name":"No name","type":"O"}}"#,
                r#"this is not json"#,
                r#"{"type":"channel","channel":{"team":"nope","name":"c","display_name":"C","type":"O"}}"#,
                r#"{"type":"channel","channel":{"team":"good","name":"Bad Name","display_name":"C","type":"O"}}"#,
                r#"{"type":"user","user":{"username":"Not Valid","email":"x@example.com"}}"#,
                r#"{"type":"user","user":{"username":"u1","email":"not-an-email"}}"#,
                r#"{"type":"user","user":{"username":"u2","email":"u2@example.com","teams":[{"name":"missing"}]}}"#,
                r#"{"type":"post","post":{"team":"good","channel":"none","user":"u2","message":"m","create_at":1}}"#,
                r#"{"type":"direct_channel","direct_channel":{"members":["u2","ghost"]}}"#,
                r#"{"type":"direct_post","direct_post":{"channel_members":["u2","u3"],"user":"u3","message":"m","create_at":1}}"#,
                r#"{"type":"emoji","emoji":{"name":"e1","image":"missing.png"}}"#,
                r#"{"type":"emoji","emoji":{"name":"e2","image":"../../etc/passwd"}}"#,
                r#"{"type":"direct_channel","direct_channel":{"members":["a","b","a"]}}"#,
                r#"{"type":"bogus"}"#,
                r#"{"type":"version","version":1}"#,
            ],
            &[
                (3, "name is missing"),
                (4, "not a JSON import line"),
                (5, "team nope is not declared"),
                (6, "invalid channel name"),
                (7, "Username must begin with a letter"),
                (8, "mail"),
                (9, "team missing is not declared"),
                (10, "channel good/none is not declared"),
                // u2's own line was bad, so it declared nothing.
                (11, "user u2 is not declared"),
                (12, "user u2 is not declared"),
                (13, "file missing.png is not in the import"),
                (14, "file ../../etc/passwd is not in the import"),
                (15, "a direct channel has 2 members"),
                (16, "unknown line type"),
                (17, "version line may only be the first"),
            ],
        )
        .await;
    }
);

each_db!(
    async fn the_first_line_must_be_a_known_version(i) {
        refuse(
            &i,
            &[r#"{"type":"team","team":{"name":"good","display_name":"Good","type":"O"}}"#],
            &[(1, "the first line must be the version line")],
        )
        .await;
        refuse(
            &i,
            &[r#"{"type":"version","version":2}"#],
            &[(1, "unsupported version")],
        )
        .await;
    }
);

each_db!(
    async fn a_plain_jsonl_reads_files_beside_it_and_exports_without_files(i) {
        let lines = [
            json!({"type": "version", "version": 1}),
            json!({"type": "team", "team": {"name": "t1", "display_name": "T", "type": "O"}}),
            json!({"type": "channel", "channel": {"team": "t1", "name": "c1", "display_name": "C", "type": "O"}}),
            json!({"type": "user", "user": {"username": "u1", "email": "u1@example.com",
                "teams": [{"name": "t1", "roles": "team_user", "channels": [{"name": "c1", "roles": "channel_user"}]}]}}),
            json!({"type": "post", "post": {"team": "t1", "channel": "c1", "user": "u1", "message": "with a file",
                "create_at": 5, "attachments": [{"path": "att/a.txt"}]}}),
        ];
        std::fs::create_dir_all(i.path("att")).unwrap();
        std::fs::write(i.path("att/a.txt"), "attached").unwrap();
        let file = i.path("in.jsonl");
        std::fs::write(&file, jsonl(&lines)).unwrap();
        let validated: Value =
            serde_json::from_str(&ok(i.run(&["import", "validate", "--json", file.to_str().unwrap()]))).unwrap();
        assert_eq!(validated["lines"]["post"], 1);
        assert_eq!(i.count("SELECT CAST(COUNT(*) AS BIGINT) FROM teams").await, 0, "validate wrote");
        ok(i.run(&["import", "apply", file.to_str().unwrap()]));
        assert_eq!(i.count("SELECT CAST(COUNT(*) AS BIGINT) FROM fileinfo WHERE size = 8").await, 1);
        let out = i.path("out.jsonl");
        ok(i.run(&["export", out.to_str().unwrap()]));
        let text = std::fs::read_to_string(&out).unwrap();
        assert!(text.contains("\"message\":\"with a file\""), "{text}");
        assert!(!text.contains("attachments"), "a plain export names no files: {text}");
        let refused = i.run(&["export", "--attachments", out.to_str().unwrap()]);
        assert!(!refused.status.success());
    }
);

/// The rows of a one-column text query, joined by `|`.
async fn one(i: &Instance, sql: &str) -> String {
    i.column(sql).await.join("|")
}

each_db!(
    async fn roles_bots_and_users_without_a_password_are_imported_once(i) {
        let lines = [
            json!({"type": "version", "version": 1}),
            json!({"type": "role", "role": {"name": "auditor", "display_name": "Auditor",
                "description": "reads exports", "permissions": ["read_compliance_export_job", "read_jobs"]}}),
            json!({"type": "role", "role": {"name": "system_user", "display_name": "authentication.roles.global_user.name",
                "permissions": ["create_team", "list_public_teams", "create_direct_channel"]}}),
            json!({"type": "user", "user": {"username": "owner", "email": "owner@example.com"}}),
            json!({"type": "bot", "bot": {"username": "builder", "owner": "owner",
                "display_name": "Build Bot", "description": "builds things"}}),
            json!({"type": "bot", "bot": {"username": "plugbot", "owner": "com.example.plugin",
                "display_name": "Plugin Bot"}}),
        ];
        let file = i.path("in.jsonl");
        std::fs::write(&file, jsonl(&lines)).unwrap();
        ok(i.run(&["import", "apply", file.to_str().unwrap()]));
        assert_eq!(
            one(&i, "SELECT displayname || ';' || description || ';' || permissions FROM roles WHERE name = 'auditor'").await,
            "Auditor;reads exports;read_compliance_export_job read_jobs"
        );
        assert_eq!(
            one(&i, "SELECT permissions FROM roles WHERE name = 'system_user'").await,
            "create_team list_public_teams create_direct_channel"
        );
        assert_eq!(
            one(&i, "SELECT u.firstname || ';' || u.email || ';' || b.description || ';' || o.username \
                 FROM bots b JOIN users u ON u.id = b.userid JOIN users o ON o.id = b.ownerid").await,
            "Build Bot;builder@localhost;builds things;owner"
        );
        assert_eq!(
            one(&i, "SELECT b.ownerid FROM bots b JOIN users u ON u.id = b.userid WHERE u.username = 'plugbot'").await,
            "com.example.plugin"
        );
        // No password in the file: a random one, hashed like any other.
        assert!(one(&i, "SELECT password FROM users WHERE username = 'owner'").await.starts_with("$argon2id$"));
        let state = "SELECT name || ':' || CAST(updateat AS TEXT) FROM roles WHERE name IN ('auditor', 'system_user') \
            UNION ALL SELECT userid || ':' || CAST(updateat AS TEXT) FROM bots ORDER BY 1";
        let before = i.column(state).await;
        ok(i.run(&["import", "apply", file.to_str().unwrap()]));
        assert_eq!(i.column(state).await, before, "a second import changed roles or bots");
        assert_eq!(i.count("SELECT CAST(COUNT(*) AS BIGINT) FROM bots").await, 2);
    }
);

each_db!(
    async fn bad_role_and_bot_lines_are_numbered(i) {
        refuse(
            &i,
            &[
                r#"{"type":"version","version":1}"#,
                r#"{"type":"role","role":{"name":"Bad Name","display_name":"B"}}"#,
                r#"{"type":"role","role":{"name":"r1","display_name":"R","permissions":["fly"]}}"#,
                r#"{"type":"bot","bot":{"username":"b1","display_name":"B"}}"#,
                r#"{"type":"bot","bot":{"username":"Not Valid","owner":"x"}}"#,
            ],
            &[
                (2, "invalid role name"),
                (3, "unknown permission \"fly\""),
                (4, "owner is missing"),
                (5, "Username must begin with a letter"),
            ],
        )
        .await;
    }
);

each_db!(
    async fn a_users_own_export_holds_their_data_and_nobody_elses(i) {
        let member = |channels: &[&str]| {
            json!([{"name": "eng", "roles": "team_user",
                "channels": channels.iter().map(|c| json!({"name": c, "roles": "channel_user"})).collect::<Vec<_>>()}])
        };
        let lines = [
            json!({"type": "version", "version": 1}),
            json!({"type": "team", "team": {"name": "eng", "display_name": "Eng", "type": "O"}}),
            json!({"type": "team", "team": {"name": "ops", "display_name": "Ops", "type": "O"}}),
            json!({"type": "channel", "channel": {"team": "eng", "name": "talk", "display_name": "Talk", "type": "O"}}),
            json!({"type": "channel", "channel": {"team": "eng", "name": "closed", "display_name": "Closed", "type": "P"}}),
            json!({"type": "user", "user": {"username": "alice", "email": "alice@example.com", "teams": member(&["talk", "closed"])}}),
            json!({"type": "user", "user": {"username": "bob", "email": "bob@example.com", "military_time": "true",
                "teams": member(&["talk"])}}),
            json!({"type": "user", "user": {"username": "carol", "email": "carol@example.com", "teams": member(&["talk"])}}),
            json!({"type": "post", "post": {"team": "eng", "channel": "talk", "user": "alice", "message": "root by alice",
                "create_at": 10,
                "reactions": [{"user": "bob", "emoji_name": "+1", "create_at": 13}, {"user": "carol", "emoji_name": "smile", "create_at": 14}],
                "replies": [{"user": "bob", "message": "bob answers", "create_at": 11},
                            {"user": "carol", "message": "carol answers", "create_at": 12}]}}),
            json!({"type": "post", "post": {"team": "eng", "channel": "talk", "user": "bob", "message": "bob's own",
                "create_at": 20, "flagged_by": ["bob", "alice"], "attachments": [{"path": "att/b.txt"}]}}),
            json!({"type": "post", "post": {"team": "eng", "channel": "talk", "user": "carol", "message": "carol alone",
                "create_at": 30, "attachments": [{"path": "att/c.txt"}]}}),
            json!({"type": "direct_channel", "direct_channel": {"members": ["alice", "bob"]}}),
            json!({"type": "direct_post", "direct_post": {"channel_members": ["alice", "bob"], "user": "alice",
                "message": "hi bob", "create_at": 40}}),
            json!({"type": "direct_post", "direct_post": {"channel_members": ["alice", "bob"], "user": "bob",
                "message": "hi alice", "create_at": 41}}),
            json!({"type": "direct_channel", "direct_channel": {"members": ["alice", "carol"]}}),
            json!({"type": "direct_post", "direct_post": {"channel_members": ["alice", "carol"], "user": "alice",
                "message": "not for bob", "create_at": 50}}),
        ];
        std::fs::create_dir_all(i.path("att")).unwrap();
        std::fs::write(i.path("att/b.txt"), "bob's file").unwrap();
        std::fs::write(i.path("att/c.txt"), "carol's file").unwrap();
        let file = i.path("in.jsonl");
        std::fs::write(&file, jsonl(&lines)).unwrap();
        ok(i.run(&["import", "apply", file.to_str().unwrap()]));

        let out = i.path("bob.zip");
        let done: Value = serde_json::from_str(&ok(i.run(&["user", "export", "--json", "bob@example.com", out.to_str().unwrap()]))).unwrap();
        assert_eq!(done["files"], 1);
        let exported: Vec<Value> = normalized_export(&out).iter().map(|l| serde_json::from_str(l).unwrap()).collect();
        let of = |kind: &str| -> Vec<&Value> { exported.iter().filter(|l| l["type"] == kind).map(|l| &l[kind]).collect() };
        let users = of("user");
        assert_eq!(users.len(), 1);
        assert_eq!(users[0]["username"], "bob");
        assert_eq!(users[0]["military_time"], "true");
        assert_eq!(users[0]["teams"][0]["channels"].as_array().unwrap().len(), 1);
        assert_eq!(of("team").iter().map(|t| &t["name"]).collect::<Vec<_>>(), ["eng"]);
        assert_eq!(of("channel").iter().map(|c| &c["name"]).collect::<Vec<_>>(), ["talk"]);
        let posts = of("post");
        assert_eq!(posts.len(), 2, "{posts:?}");
        let thread = posts.iter().find(|p| p["message"] == "root by alice").unwrap();
        assert_eq!(thread["replies"], json!([{"user": "bob", "message": "bob answers", "create_at": 11}]));
        assert_eq!(thread["reactions"], json!([{"user": "bob", "emoji_name": "+1", "create_at": 13}]));
        let own = posts.iter().find(|p| p["message"] == "bob's own").unwrap();
        assert_eq!(own["flagged_by"], json!(["bob"]));
        assert_eq!(own["attachments"], json!([{"path": "file: bob's file"}]));
        assert_eq!(of("direct_channel").len(), 1);
        let direct: Vec<&Value> = of("direct_post");
        // Bob's side of his conversations; what others wrote there is theirs.
        assert_eq!(direct.iter().map(|p| &p["message"]).collect::<Vec<_>>(), ["hi alice"]);
        let text = exported.iter().map(Value::to_string).collect::<String>();
        for absent in ["carol answers", "carol alone", "carol's file", "not for bob", "hi bob"] {
            assert!(!text.contains(absent), "{absent:?} is in bob's export");
        }
        // Without .zip: the lines alone.
        let plain = i.path("bob.jsonl");
        ok(i.run(&["user", "export", "bob", plain.to_str().unwrap()]));
        let text = std::fs::read_to_string(&plain).unwrap();
        assert!(text.contains("bob answers") && !text.contains("attachments"), "{text}");
        let missing = i.run(&["user", "export", "nobody", plain.to_str().unwrap()]);
        assert!(!missing.status.success());
    }
);
