//! The admin commands against a running server (`--remote`), as mmctl runs them: a real
//! `utmost serve`, a profile saved by `utmost auth login` with a password, and the same
//! commands as in local mode going through the API with the profile's token; a token
//! without the permission refused with the server's own error; mmctl's `job list`, `roles
//! show` and `logs` in both modes; `--remote URL --token`; the
//! commands that need the server's own database and files refused remotely; and the shell
//! completion scripts.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::server::{create_admin, login_token, Server, PASSWORD};
use common::{DbKind, Instance};
use serde_json::Value;
use std::process::Output;

/// `utmost <args>` with this test's profile file.
fn utmost(i: &Instance, args: &[&str]) -> Output {
    i.command(args)
        .env("UTMOST_AUTH_FILE", i.path("auth.json"))
        .env_remove("UTMOST_REMOTE")
        .env_remove("UTMOST_TOKEN")
        .output()
        .unwrap()
}

#[track_caller]
fn ok_json(out: Output) -> Value {
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "expected success:\nstdout: {stdout}\nstderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}"))
}

#[track_caller]
fn fails_with(out: Output, message: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "stderr: {stderr}");
    assert!(
        stderr.contains(message),
        "stderr lacks {message:?}: {stderr}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_commands_run_against_a_remote_server() {
    let i = Instance::new(DbKind::Sqlite).await.unwrap();
    let logs = i.path("logs").to_string_lossy().into_owned();
    let i = i.with_env(vec![
        ("MM_LOGSETTINGS_ENABLEFILE", "true".into()),
        ("MM_LOGSETTINGS_FILELOCATION", logs),
    ]);
    let server = Server::start(&i).await;
    create_admin(&server).await;

    // A password sign-in saved as the current profile, readable by its owner only.
    let login = utmost(
        &i,
        &[
            "auth",
            "login",
            &server.url,
            "--name",
            "prod",
            "--username",
            "admin",
            "--password",
            PASSWORD,
        ],
    );
    assert!(
        login.status.success(),
        "{}",
        String::from_utf8_lossy(&login.stderr)
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(i.path("auth.json"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let profiles = ok_json(utmost(&i, &["auth", "list", "--json"]));
    assert_eq!(profiles[0]["name"], "prod");
    assert_eq!(profiles[0]["username"], "admin");
    assert_eq!(profiles[0]["current"], true);

    // Users, through the API.
    let bob = ok_json(utmost(
        &i,
        &[
            "--remote",
            "user",
            "create",
            "--json",
            "--email",
            "bob@example.com",
            "--username",
            "bob",
            "--password",
            PASSWORD,
        ],
    ));
    assert_eq!(bob["username"], "bob");
    assert_eq!(bob["roles"], "system_user");
    let listed = ok_json(utmost(&i, &["--remote", "user", "list", "--all", "--json"]));
    let names: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["username"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"admin") && names.contains(&"bob"),
        "{names:?}"
    );
    let promoted = ok_json(utmost(
        &i,
        &[
            "--remote=prod",
            "user",
            "role",
            "bob",
            "--system-admin",
            "--json",
        ],
    ));
    assert_eq!(promoted["roles"], "system_admin system_user");
    ok_json(utmost(
        &i,
        &["--remote", "user", "role", "bob", "--member", "--json"],
    ));
    let off = ok_json(utmost(
        &i,
        &[
            "--remote",
            "user",
            "deactivate",
            "bob@example.com",
            "--json",
        ],
    ));
    assert_ne!(off["delete_at"], 0);
    // The server itself says so.
    let token = login_token(&server, "admin").await;
    let me = server
        .client(Some(&token))
        .get("/users/me")
        .await
        .expect(200)
        .body;
    let admin_id = me["id"].clone();
    let seen = server
        .client(Some(&token))
        .get(&format!("/users/{}", bob["id"].as_str().unwrap()))
        .await
        .expect(200)
        .body;
    assert_ne!(seen["delete_at"], 0);
    let on = ok_json(utmost(
        &i,
        &["--remote", "user", "activate", "bob", "--json"],
    ));
    assert_eq!(on["delete_at"], 0);

    // Teams and channels.
    let team = ok_json(utmost(
        &i,
        &[
            "--remote",
            "team",
            "create",
            "--name",
            "ops",
            "--display-name",
            "Ops",
            "--json",
        ],
    ));
    assert_eq!(team["name"], "ops");
    let added = ok_json(utmost(
        &i,
        &["--remote", "team", "add", "ops", "bob", "--json"],
    ));
    assert_eq!(added[0]["user_id"], bob["id"]);
    let channel = ok_json(utmost(
        &i,
        &[
            "--remote",
            "channel",
            "create",
            "--team",
            "ops",
            "--name",
            "alerts",
            "--display-name",
            "Alerts",
            "--json",
        ],
    ));
    assert_eq!(channel["team_id"], team["id"]);
    let channels = ok_json(utmost(
        &i,
        &["--remote", "channel", "list", "ops", "--json"],
    ));
    assert!(
        channels
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["name"] == "alerts"),
        "{channels}"
    );
    let archived = ok_json(utmost(
        &i,
        &["--remote", "channel", "delete", "ops:alerts", "--json"],
    ));
    assert_eq!(archived["outcome"], "archived");

    // The configuration in force, changed through the API: the running server applies it.
    let set = utmost(
        &i,
        &[
            "--remote",
            "config",
            "set",
            "TeamSettings.SiteName",
            "Remote Chat",
        ],
    );
    assert!(
        set.status.success(),
        "{}",
        String::from_utf8_lossy(&set.stderr)
    );
    let got = utmost(&i, &["--remote", "config", "get", "TeamSettings.SiteName"]);
    assert_eq!(String::from_utf8_lossy(&got.stdout).trim(), "Remote Chat");
    let client_config = server
        .client(None)
        .get("/config/client?format=old")
        .await
        .expect(200)
        .body;
    assert_eq!(client_config["SiteName"], "Remote Chat");

    // A job on the server, waited for.
    let job = ok_json(utmost(&i, &["--remote", "search", "reindex", "--json"]));
    assert_eq!(job["status"], "success");
    assert_eq!(job["type"], "bleve_post_indexing");

    // A bulk import uploaded to the server and run there; an export made there and
    // downloaded here.
    let import = i.path("people.jsonl");
    std::fs::write(
        &import,
        "{\"type\":\"version\",\"version\":1}\n\
         {\"type\":\"team\",\"team\":{\"name\":\"imported\",\"display_name\":\"Imported\",\"type\":\"O\"}}\n",
    )
    .unwrap();
    let imported = ok_json(utmost(
        &i,
        &[
            "--remote",
            "import",
            "apply",
            import.to_str().unwrap(),
            "--json",
        ],
    ));
    assert_eq!(imported["status"], "success", "{imported}");
    server
        .client(Some(&token))
        .get("/teams/name/imported")
        .await
        .expect(200);
    let zip = i.path("export.zip");
    let exported = ok_json(utmost(
        &i,
        &["--remote", "export", zip.to_str().unwrap(), "--json"],
    ));
    assert_eq!(exported["bytes"], std::fs::metadata(&zip).unwrap().len());
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&zip).unwrap()).unwrap();
    let mut lines = String::new();
    std::io::Read::read_to_string(&mut archive.by_name("import.jsonl").unwrap(), &mut lines)
        .unwrap();
    assert!(
        lines.contains("\"name\":\"imported\"") && lines.contains("\"name\":\"ops\""),
        "{lines}"
    );

    // mmctl's job list, role show and logs, remotely and locally alike.
    for remote in [true, false] {
        let run = |args: &[&str]| {
            let mut all = if remote { vec!["--remote"] } else { Vec::new() };
            all.extend_from_slice(args);
            utmost(&i, &all)
        };
        let jobs = ok_json(run(&[
            "job",
            "list",
            "--type",
            "bleve_post_indexing",
            "--json",
        ]));
        assert_eq!(jobs[0]["id"], job["id"], "remote {remote}: {jobs}");
        let added = ok_json(run(&[
            "roles",
            "add",
            "system_user",
            "edit_brand",
            "--json",
        ]));
        assert!(
            added[0]["permissions"]
                .as_array()
                .unwrap()
                .iter()
                .any(|p| p == "edit_brand"),
            "{added}"
        );
        let removed = ok_json(run(&[
            "roles",
            "remove",
            "system_user",
            "edit_brand",
            "--json",
        ]));
        assert!(
            !removed[0]["permissions"]
                .as_array()
                .unwrap()
                .iter()
                .any(|p| p == "edit_brand"),
            "{removed}"
        );
        assert_eq!(
            removed[0]["permissions"].as_array().unwrap().len() + 1,
            added[0]["permissions"].as_array().unwrap().len()
        );
        let roles = ok_json(run(&["roles", "show", "system_user", "--json"]));
        assert_eq!(roles[0]["name"], "system_user");
        assert!(
            roles[0]["permissions"]
                .as_array()
                .unwrap()
                .iter()
                .any(|p| p == "create_team"),
            "{roles}"
        );
        let message = format!("posted remote={remote}");
        let posted = ok_json(run(&[
            "post",
            "create",
            "ops:town-square",
            "--message",
            &message,
            "--json",
        ]));
        assert_eq!(posted["message"], message.as_str());
        assert_eq!(
            posted["user_id"], admin_id,
            "the admin posts (the token's user, or locally the first admin)"
        );
        let reply = ok_json(run(&[
            "post",
            "create",
            "ops:town-square",
            "--message",
            "a reply",
            "--reply-to",
            posted["id"].as_str().unwrap(),
            "--json",
        ]));
        assert_eq!(reply["root_id"], posted["id"]);
        let listed = ok_json(run(&[
            "post",
            "list",
            "ops:town-square",
            "--number",
            "2",
            "--json",
        ]));
        let messages: Vec<&str> = listed
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["message"].as_str().unwrap())
            .collect();
        assert_eq!(messages, [message.as_str(), "a reply"], "oldest first");
        let status = ok_json(run(&["system", "status", "--json"]));
        assert_eq!(status["status"], "OK", "{status}");
        assert_eq!(status["database_status"], "OK");
        assert_eq!(status["filestore_status"], "OK");
        let lines = run(&["logs", "--number", "3"]);
        let text = String::from_utf8_lossy(&lines.stdout);
        assert!(
            lines.status.success(),
            "{}",
            String::from_utf8_lossy(&lines.stderr)
        );
        assert_eq!(text.lines().count(), 3, "remote {remote}: {text}");
    }

    // The rollout checklist of the server, with the command's exit status.
    let doctor = utmost(&i, &["--remote", "doctor", "--json"]);
    let report: Value = serde_json::from_slice(&doctor.stdout).unwrap();
    assert!(report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["code"] == "BACKUP_NONE"));
    assert_eq!(doctor.status.code(), Some(1));

    // A URL and a token instead of a profile; a user's token lacks the permission, and the
    // server's own error says so.
    let bob_token = login_token(&server, "bob").await;
    let remote_url = format!("--remote={}", server.url);
    fails_with(
        utmost(
            &i,
            &[
                &remote_url,
                "--token",
                &bob_token,
                "user",
                "create",
                "--email",
                "eve@example.com",
                "--username",
                "eve",
                "--password",
                PASSWORD,
            ],
        ),
        "(api.user.create_user.no_open_server, 403)",
    );
    fails_with(
        utmost(
            &i,
            &[
                &remote_url,
                "--token",
                &bob_token,
                "user",
                "role",
                "admin",
                "--member",
            ],
        ),
        "(api.context.permissions.app_error, 403)",
    );
    fails_with(
        utmost(&i, &[&remote_url, "--token", "not-a-token", "user", "list"]),
        "401",
    );
    fails_with(utmost(&i, &[&remote_url, "user", "list"]), "needs --token");
    fails_with(
        utmost(&i, &["--remote=staging", "user", "list"]),
        "no profile named \"staging\"",
    );

    // What needs the server's own database and files runs on the server only.
    fails_with(
        utmost(&i, &["--remote", "backup", i.path("b").to_str().unwrap()]),
        "run it on the server, without --remote",
    );

    // Forgetting the profile leaves no current one.
    assert!(utmost(&i, &["auth", "delete", "prod"]).status.success());
    fails_with(
        utmost(&i, &["--remote", "user", "list"]),
        "no current profile",
    );
}

#[test]
fn completion_scripts_name_the_commands() {
    for shell in ["bash", "zsh", "fish"] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_utmost"))
            .args(["completion", shell])
            .output()
            .unwrap();
        assert!(out.status.success(), "{shell}");
        let script = String::from_utf8_lossy(&out.stdout);
        for word in ["doctor", "auth", "deactivate", "--remote"] {
            assert!(script.contains(word), "{shell} completion lacks {word}");
        }
    }
}

/// mmctl's `plugin add|list|enable|disable|delete` against a running server: the example
/// word filter uploaded, run, refusing a post, stopped and removed; the shipped polls plugin
/// listed as running without anyone installing it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plugins_are_managed_remotely() {
    let i = Instance::new(DbKind::Sqlite)
        .await
        .unwrap()
        .with_shipped_plugins();
    let i = i.with_env(vec![("MM_PLUGINSETTINGS_ENABLEUPLOADS", "true".into())]);
    let server = Server::start(&i).await;
    create_admin(&server).await;
    let token = login_token(&server, "admin").await;
    let at = format!("--remote={}", server.url);
    let remote = |args: &[&str]| {
        let mut all = vec![at.as_str(), "--token", token.as_str()];
        all.extend_from_slice(args);
        utmost(&i, &all)
    };
    let wasm = std::fs::read(format!(
        "{}/wordfilter.wasm",
        utmost_app::plugins::prepackaged::BUILT_MODULES_DIR
    ))
    .unwrap();
    let manifest = include_str!("../../../plugins/wordfilter/plugin.json");
    let bundle =
        utmost_app::plugins::bundle::pack(manifest, &[("server/plugin.wasm", &wasm)]).unwrap();
    let path = i.path("wordfilter.tar.gz");
    std::fs::write(&path, bundle).unwrap();

    let added = remote(&["plugin", "add", path.to_str().unwrap()]);
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    assert!(String::from_utf8_lossy(&added.stdout).contains("installed example.wordfilter 1.0.0"));
    succeeds(remote(&["plugin", "enable", "example.wordfilter"]));
    let active = |listed: &Value| -> Vec<String> {
        listed["active"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["id"].as_str().unwrap().to_owned())
            .collect()
    };
    let listed = ok_json(remote(&["plugin", "list", "--json"]));
    assert!(
        active(&listed).contains(&"example.wordfilter".to_owned()),
        "{listed}"
    );
    // The shipped polls plugin, installed by the server on its start.
    let mut polls_running = false;
    for _ in 0..60 {
        let listed = ok_json(remote(&["plugin", "list", "--json"]));
        if active(&listed).contains(&"utmost.polls".to_owned()) {
            polls_running = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    }
    assert!(polls_running, "the shipped polls plugin never ran");

    succeeds(remote(&["plugin", "disable", "example.wordfilter"]));
    let listed = ok_json(remote(&["plugin", "list", "--json"]));
    assert!(!active(&listed).contains(&"example.wordfilter".to_owned()));
    assert_eq!(listed["inactive"][0]["id"], "example.wordfilter");
    succeeds(remote(&["plugin", "delete", "example.wordfilter"]));
    let listed = ok_json(remote(&["plugin", "list", "--json"]));
    assert!(
        listed["inactive"].as_array().unwrap().is_empty(),
        "{listed}"
    );
    fails_with(
        remote(&["plugin", "enable", "example.wordfilter"]),
        "Plugin is not installed",
    );
}

#[track_caller]
fn succeeds(out: Output) {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
