//! The admin commands, run as an operator runs them: the built `utmost` binary against a
//! throw-away database (SQLite, and PostgreSQL when TEST_DATABASE_URL is set).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Instance;
use serde_json::Value;
use std::process::Output;

const PASSWORD: &str = "Password-1234";

/// Asserts success and returns stdout.
#[track_caller]
fn ok(out: Output) -> String {
    assert!(
        out.status.success(),
        "expected success, got {:?}\nstdout: {}\nstderr: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Asserts success and parses stdout as JSON.
#[track_caller]
fn ok_json(out: Output) -> Value {
    let stdout = ok(out);
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}"))
}

/// Asserts the exit code and that stderr contains `message`; returns stderr.
#[track_caller]
fn fails(out: Output, code: i32, message: &str) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(
        out.status.code(),
        Some(code),
        "unexpected exit code\nstdout: {}\nstderr: {stderr}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(
        stderr.contains(message),
        "stderr lacks {message:?}: {stderr}"
    );
    stderr
}

fn create_user(i: &Instance, username: &str, extra: &[&str]) -> Value {
    let email = format!("{username}@example.com");
    let mut args = vec![
        "user",
        "create",
        "--json",
        "--email",
        &email,
        "--username",
        username,
        "--password",
        PASSWORD,
    ];
    args.extend_from_slice(extra);
    ok_json(i.run(&args))
}

fn usernames(list: &Value) -> Vec<&str> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|u| u["username"].as_str().unwrap())
        .collect()
}

each_db!(
    async fn user_create_list_and_roles(i) {
        // The very first account becomes a system admin, as on sign-up.
        let first = create_user(&i, "alice", &[]);
        assert_eq!(first["roles"], "system_admin system_user");
        assert_eq!(first["email"], "alice@example.com");
        assert!(first.get("password").is_none());
        let bob = create_user(&i, "bob", &[]);
        assert_eq!(bob["roles"], "system_user");
        let carol = create_user(&i, "carol", &["--system-admin"]);
        assert_eq!(carol["roles"], "system_admin system_user");

        let list = ok_json(i.run(&["user", "list", "--json"]));
        assert_eq!(usernames(&list), ["alice", "bob", "carol"]);
        let table = ok(i.run(&["user", "list"]));
        let lines: Vec<&str> = table.lines().collect();
        assert!(lines[0].starts_with("ID"), "{table}");
        assert!(lines[2].contains("bob") && lines[2].contains("bob@example.com"), "{table}");
        assert_eq!(lines.len(), 4, "{table}");

        let page = ok_json(i.run(&["user", "list", "--json", "--page", "1", "--per-page", "1"]));
        assert_eq!(usernames(&page), ["bob"]);
        let all = ok_json(i.run(&["user", "list", "--json", "--all", "--per-page", "2"]));
        assert_eq!(usernames(&all), ["alice", "bob", "carol"]);

        // `<user>` is a username, an e-mail or an id.
        let r = ok_json(i.run(&["user", "role", "--json", "bob", "--system-admin"]));
        assert_eq!(r["roles"], "system_admin system_user");
        let r = ok_json(i.run(&["user", "role", "--json", "bob@example.com", "--member"]));
        assert_eq!(r["roles"], "system_user");
        let id = bob["id"].as_str().unwrap();
        let r = ok_json(i.run(&["user", "role", "--json", id, "system_user", "system_user_manager"]));
        assert_eq!(r["roles"], "system_user system_user_manager");
        let list = ok_json(i.run(&["user", "list", "--json"]));
        assert_eq!(list[1]["roles"], "system_user system_user_manager");

        fails(i.run(&["user", "role", "bob", "no_such_role"]), 1, "app.role.check_roles_exist.role_not_found");
        fails(i.run(&["user", "role", "bob", "system_admin"]), 1, "api.context.invalid_body_param.app_error");
        // Nothing to change is a usage error.
        fails(i.run(&["user", "role", "bob"]), 2, "required");
    }
);

each_db!(
    async fn user_deactivate_and_activate(i) {
        create_user(&i, "alice", &[]);
        create_user(&i, "bob", &[]);
        let r = ok_json(i.run(&["user", "deactivate", "--json", "bob"]));
        assert!(r["delete_at"].as_i64().unwrap() > 0);
        let table = ok(i.run(&["user", "list"]));
        let bob_line = table
            .lines()
            .find(|l| l.split_whitespace().nth(1) == Some("bob"))
            .unwrap();
        assert!(bob_line.trim_end().ends_with("no"), "{table}");
        let list = ok_json(i.run(&["user", "list", "--json"]));
        assert!(list[1]["delete_at"].as_i64().unwrap() > 0);

        let r = ok_json(i.run(&["user", "activate", "--json", "bob"]));
        assert_eq!(r["delete_at"], 0);
        let list = ok_json(i.run(&["user", "list", "--json"]));
        assert_eq!(list[1]["delete_at"], 0);

        // Each command left one audit row, as mmctl's local mode does, and no password.
        let actions = i.column("SELECT action FROM audits ORDER BY createat, id").await;
        assert!(actions.contains(&"utmost user deactivate".to_string()), "{actions:?}");
        assert!(actions.contains(&"utmost user activate".to_string()), "{actions:?}");
        let info = i.column("SELECT extrainfo FROM audits").await;
        assert!(info.iter().any(|e| e.starts_with("user create success")), "{info:?}");
        assert!(!info.iter().chain(&actions).any(|e| e.contains(PASSWORD)), "{info:?}");
        assert_eq!(i.count("SELECT COUNT(*) FROM audits WHERE action = 'utmost user deactivate'").await, 1);
    }
);

each_db!(
    async fn user_mfa_reset_turns_mfa_off_and_forgets_the_secret(i) {
        create_user(&i, "alice", &[]);
        create_user(&i, "bob", &[]);
        // Bob enrolled under Mattermost (plain base32 secret) and lost his phone.
        i.execute(
            "UPDATE users SET mfaactive = true, mfasecret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', \
             mfausedtimestamps = '[\"57000000\"]' WHERE username = 'bob'",
        )
        .await;
        let r = ok_json(i.run(&["user", "mfa", "reset", "--json", "bob@example.com"]));
        assert_eq!(r["username"], "bob");
        assert_eq!(r["mfa_active"], false);
        let sql = "SELECT CAST(mfaactive AS TEXT) || ':' || mfasecret FROM users WHERE username = 'bob'";
        let bob = i.column(sql).await;
        assert!(bob[0] == "false:" || bob[0] == "0:", "{bob:?}");
        fails(i.run(&["user", "mfa", "reset", "nobody"]), 1, "user \"nobody\" not found");
        fails(i.run(&["user", "mfa"]), 2, "reset");
    }
);

each_db!(
    async fn user_errors_exit_non_zero(i) {
        create_user(&i, "alice", &[]);
        let err = fails(i.run(&["user", "deactivate", "bob"]), 1, "error: user \"bob\" not found");
        assert_eq!(err.lines().count(), 1, "{err}");
        fails(i.run(&["user", "activate", "nobody@example.com"]), 1, "user \"nobody@example.com\" not found");
        fails(i.run(&["user", "role", "bob", "--member"]), 1, "user \"bob\" not found");

        let taken = ["user", "create", "--email", "other@example.com", "--username", "alice", "--password", PASSWORD];
        fails(i.run(&taken), 1, "app.user.save.username_exists.app_error");
        let bad_email = ["user", "create", "--email", "nope", "--username", "dave", "--password", PASSWORD];
        fails(i.run(&bad_email), 1, "model.user.is_valid.email.app_error");
        let weak = ["user", "create", "--email", "d@example.com", "--username", "dave", "--password", "x"];
        fails(i.run(&weak), 1, "model.user.is_valid.pwd");
        // clap's usage errors exit 2.
        fails(i.run(&["user", "create", "--username", "dave"]), 2, "--email");
        fails(i.run(&["user", "list", "--per-page", "0"]), 2, "--per-page");
        fails(i.run(&["user", "frobnicate"]), 2, "unrecognized subcommand");
        // Nothing was written by the failed commands, but each is on record as failed.
        let list = ok_json(i.run(&["user", "list", "--json"]));
        assert_eq!(usernames(&list), ["alice"]);
        let failed = i.column("SELECT extrainfo FROM audits WHERE action = 'utmost user deactivate'").await;
        assert_eq!(failed.len(), 1, "{failed:?}");
        assert!(failed[0].starts_with("user deactivate failure"), "{failed:?}");
    }
);

each_db!(
    async fn ldap_sync_reads_the_real_directory(i) {
        let Some(ldap) = utmost_testkit::ldap::LdapServer::start().await else {
            return;
        };
        let i = i.with_env(ldap.env());
        let report = ok_json(i.run(&["ldap", "sync", "--json"]));
        assert_eq!(report["entries"], 4, "{report}");
        assert_eq!(report["accounts"], 0, "{report}");
        let table = ok(i.run(&["ldap", "sync"]));
        assert!(table.starts_with("ENTRIES") && table.contains("\n4 "), "{table}");
        let wrong = i.with_env(vec![("MM_LDAPSETTINGS_BINDPASSWORD", "wrong".into())]);
        fails(wrong.run(&["ldap", "sync"]), 1, "ent.ldap.do_login.bind_admin_user.app_error");
    }
);

#[test]
fn help_for_every_command() {
    let commands: &[&[&str]] = &[
        &[],
        &["serve"],
        &["version"],
        &["config"],
        &["config", "show"],
        &["config", "get"],
        &["config", "set"],
        &["config", "patch"],
        &["config", "migrate"],
        &["user"],
        &["user", "create"],
        &["user", "list"],
        &["user", "deactivate"],
        &["user", "activate"],
        &["user", "role"],
        &["team"],
        &["team", "create"],
        &["team", "list"],
        &["team", "add"],
        &["channel"],
        &["channel", "create"],
        &["channel", "list"],
        &["user", "delete"],
        &["user", "export"],
        &["team", "delete"],
        &["channel", "delete"],
        &["ldap"],
        &["ldap", "sync"],
        &["doctor"],
        &["auth"],
        &["auth", "login"],
        &["auth", "list"],
        &["completion"],
        &["post", "create"],
        &["post", "list"],
        &["system", "status"],
        &["job", "list"],
        &["roles", "show"],
        &["roles", "add"],
        &["roles", "remove"],
        &["logs"],
    ];
    for args in commands {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_utmost"))
            .args(*args)
            .arg("--help")
            .output()
            .unwrap();
        let stdout = ok(out);
        assert!(stdout.contains("Usage: utmost"), "{args:?}: {stdout}");
    }
}

#[test]
fn version_prints_the_version() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_utmost"))
        .arg("version")
        .output()
        .unwrap();
    assert!(ok(out).starts_with("utmost "));
}

fn names(list: &Value) -> Vec<&str> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|v| v["name"].as_str().unwrap())
        .collect()
}

each_db!(
    async fn teams_and_channels(i) {
        let admin = create_user(&i, "alice", &[]);
        create_user(&i, "bob", &[]);
        create_user(&i, "carol", &[]);

        let eng = ok_json(i.run(&["team", "create", "--json", "--name", "eng", "--display-name", "Engineering"]));
        assert_eq!(eng["type"], "O");
        assert_eq!(eng["display_name"], "Engineering");
        let sec = ok_json(i.run(&["team", "create", "--json", "--name", "sec", "--display-name", "Secret", "--private"]));
        assert_eq!(sec["type"], "I");
        // Taken names and invalid ones are refused with the service's error.
        fails(i.run(&["team", "create", "--name", "eng", "--display-name", "Again"]), 1, "app.team.save.existing.app_error");
        fails(i.run(&["team", "create", "--name", "Bad Name", "--display-name", "Bad"]), 1, "model.team.is_valid.characters.app_error");

        let teams = ok_json(i.run(&["team", "list", "--json"]));
        let mut listed = names(&teams);
        listed.sort_unstable();
        assert_eq!(listed, ["eng", "sec"]);
        let table = ok(i.run(&["team", "list"]));
        assert!(table.lines().any(|l| l.contains("sec") && l.contains("invite only")), "{table}");

        // By name, by id; users by username and e-mail.
        let members = ok_json(i.run(&["team", "add", "--json", "eng", "bob", "carol@example.com"]));
        assert_eq!(members.as_array().unwrap().len(), 2);
        assert_eq!(members[0]["roles"], "team_user");
        assert_eq!(members[0]["team_id"], eng["id"]);
        let table = ok(i.run(&["team", "add", sec["id"].as_str().unwrap(), "bob"]));
        assert!(table.contains("sec") && table.contains("bob"), "{table}");
        // An unknown user changes nothing, even when listed after a valid one.
        fails(i.run(&["team", "add", "sec", "carol", "nobody"]), 1, "error: user \"nobody\" not found");
        let sec_members = format!(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM teammembers WHERE teamid = '{}' AND deleteat = 0",
            sec["id"].as_str().unwrap()
        );
        // alice (the creator) and bob.
        assert_eq!(i.count(&sec_members).await, 2);
        fails(i.run(&["team", "add", "nope", "bob"]), 1, "error: team \"nope\" not found");
        fails(i.run(&["team", "add", "eng"]), 2, "required");

        let general = ok_json(i.run(&[
            "channel", "create", "--json", "--team", "eng", "--name", "general-talk", "--display-name", "General talk",
        ]));
        assert_eq!(general["type"], "O");
        assert_eq!(general["team_id"], eng["id"]);
        assert_eq!(general["creator_id"], admin["id"]);
        let hidden = ok_json(i.run(&[
            "channel", "create", "--json", "--team", eng["id"].as_str().unwrap(), "--name", "hidden",
            "--display-name", "Hidden", "--private", "--creator", "bob",
        ]));
        assert_eq!(hidden["type"], "P");
        fails(
            i.run(&["channel", "create", "--team", "eng", "--name", "general-talk", "--display-name", "X"]),
            1,
            "store.sql_channel.save_channel.exists.app_error",
        );
        fails(
            i.run(&["channel", "create", "--team", "nope", "--name", "x1", "--display-name", "X"]),
            1,
            "error: team \"nope\" not found",
        );

        // A new team has Town Square and Off-Topic; public channels are listed.
        let list = ok_json(i.run(&["channel", "list", "--json", "eng"]));
        let mut listed = names(&list);
        listed.sort_unstable();
        assert_eq!(listed, ["general-talk", "off-topic", "town-square"]);
        let table = ok(i.run(&["channel", "list", "eng"]));
        assert!(table.lines().any(|l| l.contains("general-talk") && l.contains("General talk")), "{table}");
        fails(i.run(&["channel", "list", "nope"]), 1, "error: team \"nope\" not found");
    }
);

each_db!(
    async fn creating_without_an_admin_needs_a_creator(i) {
        fails(
            i.run(&["team", "create", "--name", "eng", "--display-name", "Engineering"]),
            1,
            "no active system admin",
        );
        fails(
            i.run(&["team", "create", "--name", "eng", "--display-name", "Engineering", "--creator", "ghost"]),
            1,
            "error: user \"ghost\" not found",
        );
    }
);

/// A team with three channels, three users and a post by each in a channel of their own,
/// written by `import apply`.
fn import_people_and_posts(i: &Instance) {
    let lines = [
        r#"{"type":"version","version":1}"#,
        r#"{"type":"team","team":{"name":"eng","display_name":"Engineering","type":"O"}}"#,
        r#"{"type":"channel","channel":{"team":"eng","name":"town-square","display_name":"Town Square","type":"O"}}"#,
        r#"{"type":"channel","channel":{"team":"eng","name":"talk","display_name":"Talk","type":"O"}}"#,
        r#"{"type":"channel","channel":{"team":"eng","name":"gone","display_name":"Gone","type":"O"}}"#,
        r#"{"type":"user","user":{"username":"alice","email":"alice@example.com","roles":"system_admin system_user","teams":[{"name":"eng","channels":[{"name":"town-square"}]}]}}"#,
        r#"{"type":"user","user":{"username":"bob","email":"bob@example.com","teams":[{"name":"eng","channels":[{"name":"talk"}]}]}}"#,
        r#"{"type":"user","user":{"username":"carol","email":"carol@example.com","teams":[{"name":"eng","channels":[{"name":"gone"}]}]}}"#,
        r#"{"type":"post","post":{"team":"eng","channel":"town-square","user":"alice","message":"by alice","create_at":1}}"#,
        r#"{"type":"post","post":{"team":"eng","channel":"talk","user":"bob","message":"by bob","create_at":2}}"#,
        r#"{"type":"post","post":{"team":"eng","channel":"gone","user":"carol","message":"by carol","create_at":3}}"#,
    ];
    let file = i.path("people.jsonl");
    std::fs::write(&file, lines.join("\n")).unwrap();
    ok(i.run(&["import", "apply", file.to_str().unwrap()]));
}

each_db!(
    async fn delete_deactivates_or_archives_and_permanent_deletes_for_good(i) {
        let i = &i;
        import_people_and_posts(i);
        let count = |sql: &str| {
            let sql = format!("SELECT CAST(COUNT(*) AS BIGINT) FROM {sql}");
            async move { i.count(&sql).await }
        };
        let posts_by = |name: &str| format!("posts WHERE message = 'by {name}'");

        // Without --permanent: deactivated, archived; nothing is removed.
        let out = ok_json(i.run(&["user", "delete", "--json", "bob"]));
        assert_eq!(out["outcome"], "deactivated");
        assert_eq!(count("users WHERE username = 'bob' AND deleteat <> 0").await, 1);
        ok(i.run(&["channel", "delete", "eng:talk"]));
        assert_eq!(count("channels WHERE name = 'talk' AND deleteat <> 0").await, 1);
        assert_eq!(count(&posts_by("bob")).await, 1);

        // --permanent needs --confirm, and a channel is named TEAM:CHANNEL.
        fails(i.run(&["user", "delete", "bob", "--permanent"]), 1, "--confirm");
        fails(i.run(&["team", "delete", "eng", "--permanent"]), 1, "--confirm");
        fails(i.run(&["channel", "delete", "talk", "--permanent", "--confirm"]), 1, "expected TEAM:CHANNEL");
        fails(i.run(&["channel", "delete", "eng:nope"]), 1, "app.channel.get_by_name.missing.app_error");
        assert_eq!(count("users WHERE username = 'bob'").await, 1);

        let out = ok_json(i.run(&["user", "delete", "--json", "bob", "--permanent", "--confirm"]));
        assert_eq!(out["outcome"], "deleted permanently");
        assert_eq!(count("users WHERE username = 'bob'").await, 0);
        assert_eq!(count(&posts_by("bob")).await, 0);

        ok(i.run(&["channel", "delete", "eng:gone", "--permanent", "--confirm"]));
        assert_eq!(count("channels WHERE name = 'gone'").await, 0);
        assert_eq!(count(&posts_by("carol")).await, 0);
        assert_eq!(count("users WHERE username = 'carol'").await, 1, "the author stays");

        ok(i.run(&["team", "delete", "eng"]));
        assert_eq!(count("teams WHERE name = 'eng' AND deleteat <> 0").await, 1);
        ok(i.run(&["team", "delete", "eng", "--permanent", "--confirm"]));
        assert_eq!(count("teams").await, 0);
        assert_eq!(count("channels WHERE type IN ('O', 'P')").await, 0);
        assert_eq!(count("posts").await, 0);
    }
);

/// Writes a config file for the instance; its database and data directory come from the
/// instance's `MM_*` variables.
fn write_config(i: &Instance, doc: Value) -> String {
    let path = i.path("config.json");
    std::fs::write(&path, serde_json::to_string_pretty(&doc).unwrap()).unwrap();
    path.to_string_lossy().into_owned()
}

fn read_config(path: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

each_db!(
    async fn config_get_set_and_patch_a_file(i) {
        let file = write_config(
            &i,
            serde_json::json!({
                "TeamSettings": {"SiteName": "From File"},
                "PluginSettings": {"Enable": true},
            }),
        );
        let get = |name: &str| ok(i.run(&["--config", &file, "config", "get", name]));
        assert_eq!(get("TeamSettings.SiteName").trim(), "From File");
        // Names match whatever their case; values print as JSON.
        assert_eq!(get("teamsettings.maxuserspERTEAM").trim(), "50");

        ok(i.run(&["--config", &file, "config", "set", "TeamSettings.SiteName", "Set Here"]));
        ok(i.run(&["--config", &file, "config", "set", "TeamSettings.MaxUsersPerTeam", "12"]));
        ok(i.run(&[
            "--config",
            &file,
            "config",
            "set",
            "TeamSettings.ExperimentalDefaultChannels",
            "town-square",
            "off-topic",
        ]));
        let stored = read_config(&file);
        assert_eq!(stored["TeamSettings"]["SiteName"], "Set Here");
        assert_eq!(stored["TeamSettings"]["MaxUsersPerTeam"], 12);
        assert_eq!(
            stored["TeamSettings"]["ExperimentalDefaultChannels"],
            serde_json::json!(["town-square", "off-topic"])
        );
        // Sections Utmost does not know are kept; MM_* values are not written.
        assert_eq!(stored["PluginSettings"]["Enable"], true);
        assert!(stored["FileSettings"].get("Directory").is_none());
        assert_eq!(get("TeamSettings.SiteName").trim(), "Set Here");

        let patch = i.path("patch.json");
        std::fs::write(
            &patch,
            r#"{"TeamSettings": {"SiteName": "Patched"}, "PrivacySettings": {"ShowEmailAddress": false}}"#,
        )
        .unwrap();
        ok(i.run(&["--config", &file, "config", "patch", patch.to_str().unwrap()]));
        let stored = read_config(&file);
        assert_eq!(stored["TeamSettings"]["SiteName"], "Patched");
        assert_eq!(stored["PrivacySettings"]["ShowEmailAddress"], false);
        assert_eq!(stored["TeamSettings"]["MaxUsersPerTeam"], 12);

        // Refusals: an invalid value (Mattermost's id), an unknown setting, a wrong type.
        fails(
            i.run(&["--config", &file, "config", "set", "PasswordSettings.MinimumLength", "2"]),
            1,
            "model.config.is_valid.password_length.app_error",
        );
        fails(
            i.run(&["--config", &file, "config", "set", "NoSuch.Setting", "1"]),
            1,
            "does not name a setting",
        );
        fails(
            i.run(&["--config", &file, "config", "set", "TeamSettings.MaxUsersPerTeam", "many"]),
            1,
            "not an integer",
        );
        fails(
            i.run(&["--config", &file, "config", "set", "FileSettings.Directory", "/elsewhere"]),
            1,
            "MM_FILESETTINGS_DIRECTORY",
        );
        // Nothing refused was written (a save writes every setting, so the default is there).
        assert_eq!(read_config(&file)["PasswordSettings"]["MinimumLength"], 8);
    }
);

each_db!(
    async fn config_migrate_to_the_database_and_back(i) {
        let file = write_config(
            &i,
            serde_json::json!({
                "TeamSettings": {"SiteName": "Migrated"},
                "PluginSettings": {"Enable": true},
            }),
        );
        let dsn = match i.kind {
            common::DbKind::Sqlite => format!(
                "sqlite://{}",
                i.dir.join("data").join("utmost.db").to_string_lossy()
            ),
            common::DbKind::Postgres => i.database_url(),
        };
        // A server start creates the data tables; the config tables come with the migration.
        ok(i.run(&["config", "migrate", &file, &dsn]));
        assert_eq!(
            i.count("SELECT CAST(COUNT(*) AS BIGINT) FROM configurations WHERE active").await,
            1
        );
        let get = |name: &str| ok(i.run(&["--config", &dsn, "config", "get", name]));
        assert_eq!(get("TeamSettings.SiteName").trim(), "Migrated");
        let shown = ok_json(i.run(&["--config", &dsn, "config", "show"]));
        assert_eq!(shown["TeamSettings"]["SiteName"], "Migrated");

        ok(i.run(&["--config", &dsn, "config", "set", "TeamSettings.SiteName", "In DB"]));
        assert_eq!(get("TeamSettings.SiteName").trim(), "In DB");
        assert_eq!(
            i.count("SELECT CAST(COUNT(*) AS BIGINT) FROM configurations").await,
            2
        );
        // MM_CONFIG names the store as --config does.
        let via_env = i.with_env(vec![("MM_CONFIG", dsn.clone())]);
        let out = ok(via_env.run(&["config", "get", "TeamSettings.SiteName"]));
        assert_eq!(out.trim(), "In DB");

        let back = via_env.path("back.json");
        let back = back.to_string_lossy().into_owned();
        ok(via_env.run(&["config", "migrate", &dsn, &back]));
        let stored = read_config(&back);
        assert_eq!(stored["TeamSettings"]["SiteName"], "In DB");
        assert_eq!(stored["PluginSettings"]["Enable"], true);
    }
);
