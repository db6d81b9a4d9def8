//! Rolling upgrades (issue 21 item 6; docs/upgrading.md): the previous release's binary and
//! this one serve the same database at the same time, and the migrations added since the
//! previous release leave it working.
//!
//! The previous release is the revision `tests/upgrade/previous-release` names (a commit, or a
//! tag once releases are tagged); `tests/upgrade/build-previous.sh` builds its `utmost` into
//! `${UTMOST_CI_CACHE:-$HOME/.cache/utmost-ci}/previous-release/<commit>/` once (several
//! minutes on a clean machine; it says so) and these tests reuse it.
//!
//! - `old_and_new_serve_one_postgres_database_side_by_side`: the old binary migrates a fresh
//!   PostgreSQL database to its schema and takes users, a team, a channel, posts and a
//!   WebSocket; the new binary starts beside it and migrates to the new schema; then both
//!   serve at once: logins on both, a post through either read through the other (and heard
//!   on the sockets of the node it was made on), a reply and an edit across them, writes to
//!   both at the same moment, and the old binary restarted on the new schema (when the
//!   previous release can start there: `previous_starts_on_newer_schema`).
//! - `sqlite_upgrades_and_rolls_back_in_place`: SQLite is one node's database, so its upgrade
//!   is a restart, not two binaries side by side: the new binary takes over the old one's file
//!   and migrates it, then the old one starts again on the migrated file (a rollback).
//! - `migrations_since_the_previous_release_are_additive`: the migration files of the previous
//!   release are unchanged (sqlx refuses a database whose applied migration differs), and every
//!   statement of a migration added since only adds (no DROP, RENAME, TRUNCATE, type change, NOT
//!   NULL column without a default, constraint or unique index on an existing table); the
//!   offending statement is named.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::server::{admin_team_and_channel, id, login_token, Server, PASSWORD};
use common::{DbKind, Instance};
use serde_json::{json, Value};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use utmost_testkit::ws::WsClient;

// ---- the previous release -----------------------------------------------------------------

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn git(args: &[&str]) -> std::process::Output {
    Command::new("git")
        .current_dir(repo())
        .args(args)
        .output()
        .expect("git runs")
}

/// The previous release's commit: the revision `tests/upgrade/previous-release` names (a
/// commit or a tag), resolved.
fn previous_release() -> String {
    let text = std::fs::read_to_string(repo().join("tests/upgrade/previous-release")).unwrap();
    let rev = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .expect("tests/upgrade/previous-release names a revision");
    let out = git(&[
        "rev-parse",
        "--verify",
        "--quiet",
        &format!("{rev}^{{commit}}"),
    ]);
    assert!(
        out.status.success(),
        "the previous release `{rev}` (tests/upgrade/previous-release) is not in this clone: \
         fetch it (`git fetch --tags`, or a full clone rather than a shallow one)"
    );
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// The previous release's `utmost`, built into the cache by `tests/upgrade/build-previous.sh`
/// when it is missing (the first time takes minutes; the script says so on stderr).
fn previous_binary() -> PathBuf {
    let out = Command::new(repo().join("tests/upgrade/build-previous.sh"))
        .stderr(Stdio::inherit())
        .output()
        .expect("tests/upgrade/build-previous.sh runs");
    assert!(
        out.status.success(),
        "building the previous release's binary failed (its output is above)"
    );
    let path = PathBuf::from(String::from_utf8(out.stdout).unwrap().trim());
    assert!(path.is_file(), "no binary at {}", path.display());
    path
}

fn this_binary() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_utmost"))
}

// ---- nodes ---------------------------------------------------------------------------------

/// `<program> serve` on the instance, its output in `<instance>/<name>.log`; returns once it
/// answers HTTP (so its migrations have run), failing with its log if it exits or hangs.
async fn start(i: &Instance, program: &Path, name: &str) -> Server {
    let log_path = i.path(&format!("{name}.log"));
    let mut server = Server::spawn(i.command_of(program, &["serve"]), &log_path);
    let deadline = Instant::now() + Duration::from_secs(90);
    let http = reqwest::Client::new();
    loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            panic!(
                "{name} exited with {status} while starting:\n{}",
                common::read_to_string(&log_path)
            );
        }
        let ping = http
            .get(format!("{}/api/v4/system/ping", server.url))
            .send()
            .await;
        if ping.is_ok() {
            return server;
        }
        assert!(
            Instant::now() < deadline,
            "{name} did not start:\n{}",
            common::read_to_string(&log_path)
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn post(server: &Server, token: &str, channel: &Value, message: &str) -> Value {
    server
        .client(Some(token))
        .post(
            "/posts",
            json!({"channel_id": id(channel), "message": message}),
        )
        .await
        .expect(201)
        .body
}

async fn reply(server: &Server, token: &str, root: &Value, message: &str) -> Value {
    server
        .client(Some(token))
        .post(
            "/posts",
            json!({"channel_id": root["channel_id"], "root_id": id(root), "message": message}),
        )
        .await
        .expect(201)
        .body
}

/// The message of post `post_id` as `server` reads it.
async fn message_of(server: &Server, token: &str, post_id: &str) -> String {
    let post = server
        .client(Some(token))
        .get(&format!("/posts/{post_id}"))
        .await
        .expect(200)
        .body;
    post["message"].as_str().unwrap().to_string()
}

/// The channel's messages (not the system messages), newest first, as `server` reads them.
async fn messages(server: &Server, token: &str, channel: &Value) -> Vec<String> {
    let list = server
        .client(Some(token))
        .get(&format!("/channels/{}/posts?per_page=200", id(channel)))
        .await
        .expect(200)
        .body;
    list["order"]
        .as_array()
        .unwrap()
        .iter()
        .map(|pid| &list["posts"][pid.as_str().unwrap()])
        .filter(|p| !p["type"].as_str().unwrap_or("").starts_with("system_"))
        .map(|p| p["message"].as_str().unwrap().to_string())
        .collect()
}

/// The next `posted` event's post on the socket.
async fn next_posted(ws: &mut WsClient) -> Value {
    let event = ws.next_event("posted").await;
    serde_json::from_str(event["data"]["post"].as_str().unwrap()).unwrap()
}

async fn socket(server: &Server, token: &str) -> WsClient {
    let mut ws = WsClient::connect_to(&server.url, Some(token), "").await;
    ws.next_event("hello").await;
    ws
}

// ---- schema versions -----------------------------------------------------------------------

fn migration_version(file_name: &str) -> Option<i64> {
    let digits: String = file_name.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

fn migrations_dir(db: &str) -> String {
    format!("crates/store/migrations/{db}")
}

/// The migration files (`<db>` is `sqlite` or `postgres`) as this checkout has them:
/// (file name, text).
fn current_migrations(db: &str) -> Vec<(String, String)> {
    let mut files: Vec<_> = std::fs::read_dir(repo().join(migrations_dir(db)))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "sql"))
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

/// The migration files as commit `commit` has them.
fn migrations_at(commit: &str, db: &str) -> Vec<(String, String)> {
    let dir = migrations_dir(db);
    let list = git(&["ls-tree", "--name-only", commit, &format!("{dir}/")]);
    assert!(list.status.success(), "git ls-tree {commit} {dir}");
    String::from_utf8(list.stdout)
        .unwrap()
        .lines()
        .filter(|p| p.ends_with(".sql"))
        .map(|path| {
            let text = git(&["show", &format!("{commit}:{path}")]);
            assert!(text.status.success(), "git show {commit}:{path}");
            (
                path.rsplit('/').next().unwrap().to_string(),
                String::from_utf8(text.stdout).unwrap(),
            )
        })
        .collect()
}

fn latest(files: &[(String, String)]) -> i64 {
    files
        .iter()
        .filter_map(|(name, _)| migration_version(name))
        .max()
        .unwrap()
}

/// The highest migration the instance's database has applied.
async fn schema_version(i: &Instance) -> i64 {
    i.count("SELECT MAX(version) FROM _sqlx_migrations WHERE success")
        .await
}

// ---- side by side on PostgreSQL ------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn old_and_new_serve_one_postgres_database_side_by_side() {
    let previous = previous_release();
    let old_bin = previous_binary();
    let Some(i) = Instance::new(DbKind::Postgres).await else {
        return;
    };
    // Several nodes search from the database (the built-in index belongs to one process), as
    // docs/deployment.md says.
    let i = i.with_env(vec![("MM_BLEVESETTINGS_ENABLEINDEXING", "false".into())]);

    // The old release migrates the fresh database to its schema and takes data.
    let old = start(&i, &old_bin, "old").await;
    assert_eq!(
        schema_version(&i).await,
        latest(&migrations_at(&previous, "postgres"))
    );
    let (admin_old, team, channel) = admin_team_and_channel(&old, "upgrade").await;
    let admin = old.client(Some(&admin_old));
    let bob = admin
        .post(
            "/users",
            json!({"username": "bob", "email": "bob@example.com", "password": PASSWORD}),
        )
        .await
        .expect(201)
        .body;
    admin
        .post(
            &format!("/teams/{}/members", id(&team)),
            json!({"team_id": id(&team), "user_id": id(&bob)}),
        )
        .await
        .expect(201);
    admin
        .post(
            &format!("/channels/{}/members", id(&channel)),
            json!({"user_id": id(&bob)}),
        )
        .await
        .expect(201);
    let bob_old = login_token(&old, "bob").await;
    let before = post(&old, &admin_old, &channel, "before the upgrade").await;
    let mut ws_old = socket(&old, &bob_old).await;

    // The new release starts beside it and migrates the database to the new schema.
    let new = start(&i, this_binary(), "new").await;
    assert_eq!(
        schema_version(&i).await,
        latest(&current_migrations("postgres"))
    );

    // Both serve at once: logins on both (the old one's session is served by the new too).
    let admin_new = login_token(&new, "admin").await;
    let bob_new = login_token(&new, "bob").await;
    let bob_old_again = login_token(&old, "bob").await;
    let me = new
        .client(Some(&bob_old))
        .get("/users/me")
        .await
        .expect(200);
    assert_eq!(me.body["id"], bob["id"]);
    let mut ws_new = socket(&new, &bob_new).await;

    // A post through the old one, on the new schema, is heard on the old one's socket and
    // read through the new one.
    let from_old = post(&old, &admin_old, &channel, "through the old one").await;
    assert_eq!(next_posted(&mut ws_old).await["id"], from_old["id"]);
    assert_eq!(
        message_of(&new, &bob_new, id(&from_old)).await,
        "through the old one"
    );
    // And the reverse.
    let from_new = post(&new, &admin_new, &channel, "through the new one").await;
    assert_eq!(next_posted(&mut ws_new).await["id"], from_new["id"]);
    assert_eq!(
        message_of(&old, &bob_old_again, id(&from_new)).await,
        "through the new one"
    );
    // A reply through the old one in the new one's thread, read as a thread through the new.
    let answer = reply(&old, &bob_old, &from_new, "a reply through the old one").await;
    let thread = new
        .client(Some(&bob_new))
        .get(&format!("/posts/{}/thread", id(&from_new)))
        .await
        .expect(200)
        .body;
    assert!(
        thread["order"]
            .as_array()
            .unwrap()
            .contains(&answer["id"].clone()),
        "{thread}"
    );
    // An edit through the new one, read through the old.
    new.client(Some(&admin_new))
        .put(
            &format!("/posts/{}/patch", id(&before)),
            json!({"message": "edited through the new one"}),
        )
        .await
        .expect(200);
    assert_eq!(
        message_of(&old, &bob_old, id(&before)).await,
        "edited through the new one"
    );

    // Writes to both at the same moment; each reads them all.
    let on = |server: &'static str| {
        let (node, token) = match server {
            "old" => (&old, &admin_old),
            _ => (&new, &admin_new),
        };
        let channel = &channel;
        async move {
            for n in 0..5 {
                post(node, token, channel, &format!("{server} {n}")).await;
            }
        }
    };
    tokio::join!(on("old"), on("new"));
    let through_old = messages(&old, &bob_old, &channel).await;
    let through_new = messages(&new, &bob_new, &channel).await;
    assert_eq!(through_old, through_new);
    for n in 0..5 {
        assert!(through_old.contains(&format!("old {n}")), "{through_old:?}");
        assert!(through_old.contains(&format!("new {n}")), "{through_old:?}");
    }

    // A channel the new one creates is read and posted in through the old one.
    let second = new
        .client(Some(&admin_new))
        .post(
            "/channels",
            json!({"team_id": id(&team), "name": "after", "display_name": "After", "type": "O"}),
        )
        .await
        .expect(201)
        .body;
    let got = old
        .client(Some(&admin_old))
        .get(&format!("/channels/{}", id(&second)))
        .await
        .expect(200)
        .body;
    assert_eq!(got["name"], "after");
    post(&old, &admin_old, &second, "the old one in the new channel").await;
    assert_eq!(
        messages(&new, &admin_new, &second).await[0],
        "the old one in the new channel"
    );

    // An old node restarted mid-rollout (or a rollback) starts on the new schema.
    if previous_starts_on_newer_schema(&previous, "postgres") {
        old.kill();
        let old = start(&i, &old_bin, "old-restarted").await;
        let admin_old = login_token(&old, "admin").await;
        assert_eq!(
            message_of(&old, &admin_old, id(&from_new)).await,
            "through the new one"
        );
        post(&old, &admin_old, &channel, "after the restart").await;
        assert_eq!(
            messages(&new, &bob_new, &channel).await[0],
            "after the restart"
        );
    }
}

/// Whether the previous release's binary starts on a database this release migrated: always
/// when no migration was added since it; otherwise only when its `Store::migrate` leaves the
/// migrations it does not know alone (`set_ignore_missing`). Releases before that (0947f74)
/// refuse such a database (sqlx's VersionMissing), so their restart is not checked, and
/// docs/upgrading.md says so.
fn previous_starts_on_newer_schema(previous: &str, db: &str) -> bool {
    let old: HashSet<String> = migrations_at(previous, db)
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    if current_migrations(db)
        .iter()
        .all(|(name, _)| old.contains(name))
    {
        return true;
    }
    let source = git(&["show", &format!("{previous}:crates/store/src/db.rs")]);
    let ignores = String::from_utf8_lossy(&source.stdout).contains("set_ignore_missing");
    if !ignores {
        eprintln!(
            "not restarting the previous release on the new schema: {previous} refuses a \
             database with migrations it does not know (it predates Store::migrate's \
             ignore_missing)"
        );
    }
    ignores
}

// ---- in place on SQLite --------------------------------------------------------------------

/// SQLite is one node's database (one writer, the file on the node's disk): its upgrade is a
/// restart of that node, so the old and the new binary run one after the other here, not side
/// by side. What a restart needs: the new binary migrates the old one's file and serves its
/// data, and the old one still starts on the migrated file (a rollback) and serves the new
/// one's.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_upgrades_and_rolls_back_in_place() {
    let previous = previous_release();
    let old_bin = previous_binary();
    let i = Instance::new(DbKind::Sqlite).await.unwrap();

    let old = start(&i, &old_bin, "old").await;
    assert_eq!(
        schema_version(&i).await,
        latest(&migrations_at(&previous, "sqlite"))
    );
    let (token, _team, channel) = admin_team_and_channel(&old, "upgrade").await;
    post(&old, &token, &channel, "before the upgrade").await;
    old.kill();

    let new = start(&i, this_binary(), "new").await;
    assert_eq!(
        schema_version(&i).await,
        latest(&current_migrations("sqlite"))
    );
    let token = login_token(&new, "admin").await;
    assert_eq!(
        messages(&new, &token, &channel).await,
        ["before the upgrade"]
    );
    post(&new, &token, &channel, "after the upgrade").await;
    new.kill();

    if previous_starts_on_newer_schema(&previous, "sqlite") {
        let old = start(&i, &old_bin, "old-rollback").await;
        let token = login_token(&old, "admin").await;
        assert_eq!(
            messages(&old, &token, &channel).await,
            ["after the upgrade", "before the upgrade"]
        );
        post(&old, &token, &channel, "after the rollback").await;
    }
}

// ---- the migrations since the previous release ---------------------------------------------

/// The statements of a migration: comments removed, split at `;`, whitespace collapsed.
/// (A `DO $$ … $$` block or a trigger body comes out in pieces; each is still checked.)
fn statements(sql: &str) -> Vec<String> {
    let mut text = String::new();
    let mut rest = sql;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("--") {
            rest = after.find('\n').map_or("", |n| &after[n..]);
        } else if let Some(after) = rest.strip_prefix("/*") {
            rest = after.find("*/").map_or("", |n| &after[n + 2..]);
        } else {
            let c = rest.chars().next().unwrap();
            text.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    text.split(';')
        .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|s| !s.is_empty())
        .collect()
}

/// Upper-case words of a statement (parentheses and commas separate words; quotes dropped).
fn words(statement: &str) -> Vec<String> {
    statement
        .replace(['(', ')', ','], " ")
        .split_whitespace()
        .map(|w| w.trim_matches(['"', '`']).to_ascii_uppercase())
        .collect()
}

fn skip<'a>(words: &'a [String], optional: &[&str]) -> &'a [String] {
    let mut w = words;
    for o in optional {
        if w.first().is_some_and(|f| f == o) {
            w = &w[1..];
        }
    }
    w
}

/// The tables a set of migrations creates (upper case).
fn created_tables(files: &[(String, String)]) -> HashSet<String> {
    let mut tables = HashSet::new();
    for (_, sql) in files {
        for s in statements(sql) {
            let w = words(&s);
            let w = skip(&w, &["CREATE", "VIRTUAL", "TEMPORARY"]);
            if w.first().is_some_and(|f| f == "TABLE") {
                if let Some(name) = skip(&w[1..], &["IF", "NOT", "EXISTS"]).first() {
                    tables.insert(name.clone());
                }
            }
        }
    }
    tables
}

/// The table an `ALTER TABLE`, `CREATE … INDEX … ON` or `DROP TABLE` statement works on.
fn target(w: &[String]) -> Option<String> {
    match (w.first().map(String::as_str), w.get(1).map(String::as_str)) {
        (Some("ALTER" | "DROP"), Some("TABLE")) => {
            skip(&w[2..], &["IF", "EXISTS", "ONLY"]).first().cloned()
        }
        (Some("CREATE"), _) if w.iter().take(3).any(|x| x == "INDEX") => {
            let on = w.iter().position(|x| x == "ON")?;
            skip(&w[on + 1..], &["ONLY"]).first().cloned()
        }
        _ => None,
    }
}

/// Why `statement` of a migration added since the previous release would break that release
/// while it serves the same database, or None when it only adds. `new_tables`: the tables the
/// migrations since the previous release create, which the previous release never reads.
fn incompatibility(statement: &str, new_tables: &HashSet<String>) -> Option<&'static str> {
    let w = words(statement);
    if target(&w).is_some_and(|t| new_tables.contains(&t)) {
        return None;
    }
    let has = |word: &str| w.iter().any(|x| x == word);
    if has("DROP") {
        return Some(
            "drops something the previous release may still use (drop it a release later)",
        );
    }
    if has("RENAME") {
        return Some("renames something the previous release reads under its old name");
    }
    if has("TRUNCATE") {
        return Some("empties a table the previous release reads");
    }
    if w.first().is_some_and(|f| f == "CREATE") && w.get(1).is_some_and(|f| f == "UNIQUE") {
        return Some(
            "a unique index on an existing table can refuse the previous release's writes",
        );
    }
    if !(w.first().is_some_and(|f| f == "ALTER") && w.get(1).is_some_and(|f| f == "TABLE")) {
        return None;
    }
    // ALTER TABLE: each clause (separated by commas outside parentheses) on its own.
    let body = statement
        .split_once(|c: char| c.is_whitespace())
        .map_or("", |(_, b)| b);
    let mut depth = 0;
    let mut clauses = vec![String::new()];
    for c in body.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                clauses.push(String::new());
                continue;
            }
            _ => {}
        }
        clauses.last_mut().unwrap().push(c);
    }
    for (n, clause) in clauses.iter().enumerate() {
        let cw = words(clause);
        // The first clause starts with `TABLE [IF EXISTS] [ONLY] <name>`.
        let cw = if n == 0 {
            let rest = skip(&cw[1..], &["IF", "EXISTS", "ONLY"]);
            rest.get(1..).unwrap_or_default().to_vec()
        } else {
            cw
        };
        let at = |k: usize, word: &str| cw.get(k).is_some_and(|x| x == word);
        if at(0, "ADD") {
            if [
                "CONSTRAINT",
                "PRIMARY",
                "UNIQUE",
                "CHECK",
                "FOREIGN",
                "EXCLUDE",
            ]
            .iter()
            .any(|c| at(1, c))
            {
                return Some("adds a constraint the previous release's writes may break");
            }
            let not_null = cw.windows(2).any(|p| p[0] == "NOT" && p[1] == "NULL");
            if not_null && !cw.iter().any(|x| x == "DEFAULT") {
                return Some(
                    "adds a NOT NULL column without a default: the previous release's inserts \
                     leave it out",
                );
            }
        }
        if at(0, "ALTER") {
            let k = if at(1, "COLUMN") { 3 } else { 2 };
            if at(k, "TYPE") || (at(k, "SET") && at(k + 1, "DATA") && at(k + 2, "TYPE")) {
                return Some("changes a column's type");
            }
            if at(k, "SET") && at(k + 1, "NOT") && at(k + 2, "NULL") {
                return Some(
                    "makes a column NOT NULL: the previous release's inserts may leave it out",
                );
            }
        }
    }
    None
}

/// Every statement of `added` (file name, text) that breaks the previous release, as
/// `<file>: <reason>: <statement>`.
fn incompatibilities(added: &[(String, String)]) -> Vec<String> {
    let new_tables = created_tables(added);
    let mut found = Vec::new();
    for (file, sql) in added {
        for s in statements(sql) {
            if let Some(reason) = incompatibility(&s, &new_tables) {
                found.push(format!("{file}: {reason}: {s}"));
            }
        }
    }
    found
}

#[test]
fn migrations_since_the_previous_release_are_additive() {
    let previous = previous_release();
    let mut problems = Vec::new();
    for db in ["sqlite", "postgres"] {
        let old = migrations_at(&previous, db);
        assert!(!old.is_empty(), "no migrations at {previous}");
        let now = current_migrations(db);
        let old_names: HashSet<_> = old.iter().map(|(n, _)| n.clone()).collect();
        for (name, text) in &old {
            match now.iter().find(|(n, _)| n == name) {
                None => problems.push(format!(
                    "{db}/{name}: removed since the previous release (the new binary would \
                     refuse its database: sqlx's VersionMissing)"
                )),
                Some((_, current)) if current != text => problems.push(format!(
                    "{db}/{name}: changed since the previous release (sqlx refuses a database \
                     whose applied migration differs: VersionMismatch); add a new migration \
                     instead"
                )),
                Some(_) => {}
            }
        }
        let added: Vec<_> = now
            .into_iter()
            .filter(|(n, _)| !old_names.contains(n))
            .map(|(n, t)| (format!("{db}/{n}"), t))
            .collect();
        eprintln!(
            "{db}: {} migration(s) since the previous release {previous}: {:?}",
            added.len(),
            added.iter().map(|(n, _)| n).collect::<Vec<_>>()
        );
        problems.extend(incompatibilities(&added));
    }
    assert!(
        problems.is_empty(),
        "migrations since the previous release ({previous}) would break it while it serves \
         the same database (ARCHITECTURE.md, Invariants; docs/upgrading.md):\n{}",
        problems.join("\n")
    );
}

/// The check refuses each kind of change that breaks the previous release, naming the
/// statement, and lets additions through.
#[test]
fn the_additive_check_refuses_what_breaks_the_previous_release() {
    let refused = [
        ("ALTER TABLE posts DROP COLUMN message;", "drops"),
        ("DROP TABLE IF EXISTS reactions;", "drops"),
        ("DROP INDEX idx_posts_create_at;", "drops"),
        (
            "ALTER TABLE users ALTER COLUMN locale DROP DEFAULT;",
            "drops",
        ),
        (
            "ALTER TABLE users RENAME COLUMN nickname TO nick;",
            "renames",
        ),
        ("ALTER TABLE users RENAME TO people;", "renames"),
        ("TRUNCATE audits;", "empties"),
        (
            "ALTER TABLE posts ADD COLUMN weight integer NOT NULL;",
            "NOT NULL column without a default",
        ),
        (
            "ALTER TABLE posts ADD COLUMN a text, ADD COLUMN weight integer NOT NULL;",
            "NOT NULL column without a default",
        ),
        ("ALTER TABLE posts ALTER COLUMN message TYPE text;", "type"),
        (
            "ALTER TABLE posts ALTER message SET DATA TYPE varchar(10);",
            "type",
        ),
        (
            "ALTER TABLE posts ALTER COLUMN type SET NOT NULL;",
            "NOT NULL",
        ),
        (
            "ALTER TABLE posts ADD CONSTRAINT short CHECK (length(message) < 10);",
            "constraint",
        ),
        ("ALTER TABLE ONLY posts ADD UNIQUE (message);", "constraint"),
        (
            "CREATE UNIQUE INDEX IF NOT EXISTS idx_one ON posts (message);",
            "unique index",
        ),
    ];
    for (sql, reason) in refused {
        let found = incompatibilities(&[("0099_x.sql".into(), format!("-- a change\n{sql}\n"))]);
        assert_eq!(found.len(), 1, "{sql}: {found:?}");
        assert!(
            found[0].contains(reason) && found[0].contains(sql.trim_end_matches(';')),
            "{sql}: {found:?}"
        );
    }

    let accepted = "\
        -- We never DROP or RENAME anything here.\n\
        /* not even DROP TABLE posts; */\n\
        CREATE TABLE IF NOT EXISTS utmost_new (id varchar(26) NOT NULL PRIMARY KEY, n bigint NOT NULL);\n\
        CREATE UNIQUE INDEX IF NOT EXISTS idx_utmost_new_n ON utmost_new (n);\n\
        ALTER TABLE utmost_new ADD COLUMN m bigint NOT NULL;\n\
        ALTER TABLE utmost_new ADD CONSTRAINT positive CHECK (n > 0);\n\
        ALTER TABLE posts ADD COLUMN IF NOT EXISTS weight integer NOT NULL DEFAULT 0;\n\
        ALTER TABLE posts ADD COLUMN type2 varchar(26), ADD COLUMN notnullable text DEFAULT '';\n\
        ALTER TABLE posts ALTER COLUMN type SET DEFAULT '';\n\
        CREATE INDEX IF NOT EXISTS idx_posts_weight ON posts (weight);\n\
        ALTER TYPE channel_type ADD VALUE IF NOT EXISTS 'X';\n\
        INSERT INTO systems (name, value) VALUES ('drop', 'rename; truncate');\n\
        DO $$\nBEGIN\n    CREATE TYPE t AS ENUM ('a');\nEXCEPTION\n    WHEN duplicate_object THEN NULL;\nEND\n$$;\n\
        CREATE TRIGGER IF NOT EXISTS t AFTER INSERT ON channels BEGIN\n\
            INSERT INTO channelsearchwords(channelsearchwords, rowid) VALUES ('delete', new.rowid);\n\
        END;\n";
    let found = incompatibilities(&[("0099_x.sql".into(), accepted.into())]);
    assert!(found.is_empty(), "{found:?}");
}
