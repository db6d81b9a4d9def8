//! Backup under load: `utmost backup` runs while clients post (some posts with a file, some
//! in channels created during the run) to the real `utmost serve`; the backup is verified,
//! restored into a new installation, and that installation serves every post acknowledged
//! before the backup began, with no torn state. Then: a corrupted file fails `verify`, and
//! a restore into an installation that is not empty is refused.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::server::{admin_team_and_channel, id, log, login_token, Server};
use common::{DbKind, Instance};
use serde_json::{json, Value};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use utmost_model::post::JOIN_LEAVE_POST_TYPES;
use utmost_testkit::s3::S3Server;

/// Clients posting at once.
const WRITERS: usize = 2;

/// A post the server acknowledged (201) and when the acknowledgement arrived.
#[derive(Debug, Clone)]
struct Acknowledged {
    post_id: String,
    channel_id: String,
    message: String,
    /// The attached file's id and bytes.
    file: Option<(String, Vec<u8>)>,
    at: Instant,
}

/// Bytes of a file that differ per writer and post, a few kilobytes each.
fn file_bytes(writer: usize, n: usize) -> Vec<u8> {
    let len = 1_000 + (writer * 7_919 + n * 104_729) % 6_000;
    (0..len)
        .map(|i| ((i * 31 + n * 7 + writer) % 251) as u8)
        .collect()
}

/// One client posting until `stop`: every third post carries a file and every seventh goes
/// to a channel it has just created. Only 201s are recorded.
async fn write_posts(
    base: String,
    token: String,
    team_id: String,
    mut channel_id: String,
    writer: usize,
    stop: Arc<AtomicBool>,
    acknowledged: Arc<Mutex<Vec<Acknowledged>>>,
) {
    let http = reqwest::Client::new();
    let mut n = 0;
    while !stop.load(Ordering::Relaxed) {
        n += 1;
        if n % 7 == 0 {
            let name = format!("w{writer}-n{n}");
            let created: Value = http
                .post(format!("{base}/api/v4/channels"))
                .bearer_auth(&token)
                .json(&json!({"team_id": team_id, "name": name, "display_name": name, "type": "O"}))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            channel_id = id(&created).to_string();
        }
        let file = if n % 3 == 0 {
            let bytes = file_bytes(writer, n);
            let uploaded: Value = http
                .post(format!(
                    "{base}/api/v4/files?channel_id={channel_id}&filename=w{writer}n{n}.bin"
                ))
                .bearer_auth(&token)
                .header("content-type", "application/octet-stream")
                .body(bytes.clone())
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            let file_id = uploaded["file_infos"][0]["id"]
                .as_str()
                .unwrap()
                .to_string();
            Some((file_id, bytes))
        } else {
            None
        };
        let message = format!("load w{writer}n{n} words");
        let file_ids: Vec<&str> = file.iter().map(|(id, _)| id.as_str()).collect();
        let resp = http
            .post(format!("{base}/api/v4/posts"))
            .bearer_auth(&token)
            .json(&json!({"channel_id": channel_id, "message": message, "file_ids": file_ids}))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 201);
        let post: Value = resp.json().await.unwrap();
        acknowledged.lock().unwrap().push(Acknowledged {
            post_id: id(&post).to_string(),
            channel_id: channel_id.clone(),
            message,
            file,
            at: Instant::now(),
        });
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Rows of the restored database that would show a torn copy; each query counts them.
async fn assert_no_torn_state(restored: &Instance) {
    let join_leave = JOIN_LEAVE_POST_TYPES
        .iter()
        .map(|t| format!("'{t}'"))
        .collect::<Vec<_>>()
        .join(", ");
    let torn = [
        (
            "posts without their channel",
            "SELECT CAST(COUNT(*) AS BIGINT) FROM posts p
             WHERE NOT EXISTS (SELECT 1 FROM channels c WHERE c.id = p.channelid)"
                .to_string(),
        ),
        (
            "channels whose message count is not their posts'",
            format!(
                "SELECT CAST(COUNT(*) AS BIGINT) FROM channels c
                 WHERE c.totalmsgcount <> (SELECT COUNT(*) FROM posts p
                     WHERE p.channelid = c.id AND p.type NOT IN ({join_leave}))"
            ),
        ),
        (
            "channels whose last post time is before a post",
            "SELECT CAST(COUNT(*) AS BIGINT) FROM channels c
             WHERE c.lastpostat < (SELECT COALESCE(MAX(p.createat), 0) FROM posts p
                 WHERE p.channelid = c.id)"
                .to_string(),
        ),
        (
            "files attached to a post that is not there",
            "SELECT CAST(COUNT(*) AS BIGINT) FROM fileinfo f WHERE f.postid <> ''
             AND NOT EXISTS (SELECT 1 FROM posts p WHERE p.id = f.postid)"
                .to_string(),
        ),
        (
            "channel members of a channel that is not there",
            "SELECT CAST(COUNT(*) AS BIGINT) FROM channelmembers m
             WHERE NOT EXISTS (SELECT 1 FROM channels c WHERE c.id = m.channelid)"
                .to_string(),
        ),
    ];
    for (what, sql) in torn {
        assert_eq!(restored.count(&sql).await, 0, "{what}");
    }
    // Every file the database names is in the restored store, at its size.
    let files = restored
        .column("SELECT path || '|' || CAST(size AS TEXT) FROM fileinfo")
        .await;
    assert!(!files.is_empty());
    for row in files {
        let (path, size) = row.rsplit_once('|').unwrap();
        let on_disk = restored.path("data").join(path);
        let len = std::fs::metadata(&on_disk)
            .unwrap_or_else(|e| panic!("{path} is not in the restored store: {e}"))
            .len();
        assert_eq!(len.to_string(), size, "{path}");
    }
}

/// The restored server serves each post, its channel and its file's bytes.
async fn assert_served(server: &Server, token: &str, posts: &[Acknowledged]) {
    let c = server.client(Some(token));
    let http = reqwest::Client::new();
    for post in posts {
        let got = c
            .get(&format!("/posts/{}", post.post_id))
            .await
            .expect(200)
            .body;
        assert_eq!(got["message"], post.message.as_str());
        assert_eq!(got["channel_id"], post.channel_id.as_str());
        c.get(&format!("/channels/{}", post.channel_id))
            .await
            .expect(200);
        if let Some((file_id, bytes)) = &post.file {
            assert_eq!(got["file_ids"], json!([file_id]));
            let resp = http
                .get(format!("{}/api/v4/files/{file_id}", server.url))
                .bearer_auth(token)
                .send()
                .await
                .unwrap();
            assert_eq!(resp.status(), 200);
            assert_eq!(&resp.bytes().await.unwrap()[..], &bytes[..], "{file_id}");
        }
    }
}

/// Waits until a search of `word` in `team` finds `post_id`: the restored installation's
/// indexer filled its new, empty index from the database.
async fn assert_found(server: &Server, token: &str, team_id: &str, word: &str, post_id: &str) {
    let c = server.client(Some(token));
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let found = c
            .post(
                &format!("/teams/{team_id}/posts/search"),
                json!({"terms": word, "is_or_search": false}),
            )
            .await
            .expect(200)
            .body;
        if found["order"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p == post_id)
        {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{word} never found after the restore"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Changes one byte of the first file of the backup in `dir`, keeping its size.
fn corrupt_a_file(dir: &Path) -> String {
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap();
    let key = manifest["files"][0]["path"].as_str().unwrap().to_string();
    let path = dir.join("files").join(&key);
    let mut bytes = std::fs::read(&path).unwrap();
    bytes[0] ^= 0xff;
    std::fs::write(&path, bytes).unwrap();
    key
}

/// Starts `i`'s server with an admin, a team and a channel, has clients post, and takes a
/// backup into `dest` while they do. Returns the posts acknowledged before the backup began
/// and the team; the server is stopped.
async fn backup_under_load(i: &Instance, dest: &Path) -> (Vec<Acknowledged>, Value) {
    let server = Server::start(i).await;
    let (token, team, channel) = admin_team_and_channel(&server, "backed").await;
    let stop = Arc::new(AtomicBool::new(false));
    let acknowledged = Arc::new(Mutex::new(Vec::new()));
    let writers: Vec<_> = (0..WRITERS)
        .map(|writer| {
            tokio::spawn(write_posts(
                server.url.clone(),
                token.clone(),
                id(&team).to_string(),
                id(&channel).to_string(),
                writer,
                stop.clone(),
                acknowledged.clone(),
            ))
        })
        .collect();
    let deadline = Instant::now() + Duration::from_secs(60);
    while acknowledged.lock().unwrap().len() < 40 {
        assert!(
            Instant::now() < deadline,
            "the writers are stuck:\n{}",
            log(i)
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    let began = Instant::now();
    let before: Vec<Acknowledged> = acknowledged.lock().unwrap().clone();
    let mut backup = i.command(&["backup", dest.to_str().unwrap()]);
    let out = tokio::task::spawn_blocking(move || backup.output().unwrap())
        .await
        .unwrap();
    let ended = Instant::now();
    let during = acknowledged
        .lock()
        .unwrap()
        .iter()
        .filter(|a| a.at > began && a.at < ended)
        .count();
    stop.store(true, Ordering::Relaxed);
    for writer in writers {
        writer.await.unwrap();
    }
    assert!(out.status.success(), "{}\n{}", text(&out.stderr), log(i));
    assert!(during > 0, "no post was acknowledged while the backup ran");
    // Not on a terminal: plain progress lines.
    assert!(
        text(&out.stderr).contains("backup: copying files: done"),
        "{}",
        text(&out.stderr)
    );
    server.kill();
    (before, team)
}

each_db!(
    async fn a_backup_under_load_restores_every_acknowledged_post(i) {
        let dest = i.path("backup");
        let (before, team) = backup_under_load(&i, &dest).await;

        // The server's own files (database, search index) are not among the store's files.
        let manifest: Value =
            serde_json::from_slice(&std::fs::read(dest.join("manifest.json")).unwrap()).unwrap();
        for file in manifest["files"].as_array().unwrap() {
            let key = file["path"].as_str().unwrap();
            assert!(!key.starts_with("utmost.db") && !key.starts_with("search/"), "{key}");
        }
        let verified = i.run(&["backup", "verify", dest.to_str().unwrap()]);
        assert!(verified.status.success(), "{}", text(&verified.stderr));

        let restored = Instance::new(i.kind).await.unwrap();
        // A file store with a file in it is not a restore target; the database stays empty.
        let stray = restored.path("data").join("stray.txt");
        std::fs::create_dir_all(restored.path("data")).unwrap();
        std::fs::write(&stray, b"someone else's").unwrap();
        let refused = restored.run(&["restore", dest.to_str().unwrap()]);
        assert!(!refused.status.success());
        let stderr = text(&refused.stderr);
        assert!(stderr.contains("already holds 1 files (stray.txt"), "{stderr}");
        std::fs::remove_file(&stray).unwrap();
        let out = restored.run(&["restore", dest.to_str().unwrap()]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        assert!(text(&out.stdout).contains("restored"), "{}", text(&out.stdout));
        let server = Server::start(&restored).await;
        let token = login_token(&server, "admin").await;
        assert_served(&server, &token, &before).await;
        let first = &before[0];
        let word = first.message.split(' ').nth(1).unwrap();
        assert_found(&server, &token, id(&team), word, &first.post_id).await;
        server.kill();
        assert_no_torn_state(&restored).await;

        // A restore into an installation that is no longer empty is refused.
        let again = restored.run(&["restore", dest.to_str().unwrap()]);
        assert!(!again.status.success());
        assert!(text(&again.stderr).contains("a restore goes only into an empty database"), "{}", text(&again.stderr));

        // A file changed after the backup: verify names it and fails, and restore refuses.
        let key = corrupt_a_file(&dest);
        let verified = i.run(&["backup", "verify", dest.to_str().unwrap()]);
        assert!(!verified.status.success());
        let stderr = text(&verified.stderr);
        assert!(stderr.contains(&format!("files/{key}: SHA-256")), "{stderr}");
        let empty = Instance::new(i.kind).await.unwrap();
        let refused = empty.run(&["restore", dest.to_str().unwrap()]);
        assert!(!refused.status.success());
        assert!(text(&refused.stderr).contains("the backup is damaged"), "{}", text(&refused.stderr));
        let written = std::fs::read_dir(empty.path("data")).map_or(0, Iterator::count);
        assert_eq!(written, 0, "a refused restore wrote to the file store");
    }
);

/// The same with the files in S3: the backup lists and copies the bucket's objects, and a
/// restore puts them into another, empty bucket (one that holds anything is refused).
/// SQLite only: the database's part is the test above. Skips when `S3S_FS_BIN` is unset.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_of_an_s3_file_store_restores_into_an_empty_bucket() {
    let Some(source) = S3Server::start().await else {
        return;
    };
    let target = S3Server::start().await.unwrap();
    let i = Instance::new(DbKind::Sqlite)
        .await
        .unwrap()
        .with_env(source.env());
    let dest = i.path("backup");
    let (before, _team) = backup_under_load(&i, &dest).await;
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(dest.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["file_store"], "amazons3");
    let with_files = before.iter().filter(|p| p.file.is_some()).count();
    assert!(manifest["files"].as_array().unwrap().len() >= with_files);

    let into_source = Instance::new(DbKind::Sqlite)
        .await
        .unwrap()
        .with_env(source.env());
    let refused = into_source.run(&["restore", dest.to_str().unwrap()]);
    assert!(!refused.status.success());
    let stderr = text(&refused.stderr);
    assert!(
        stderr.contains("the file store (amazons3) already holds"),
        "{stderr}"
    );

    let restored = Instance::new(DbKind::Sqlite)
        .await
        .unwrap()
        .with_env(target.env());
    let out = restored.run(&["restore", dest.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let server = Server::start(&restored).await;
    let token = login_token(&server, "admin").await;
    assert_served(&server, &token, &before).await;
    server.kill();
}
