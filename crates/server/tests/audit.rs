//! `utmost audit verify`: a real server writes its audit file across a rotation; the chain
//! verifies untouched, and an edited or deleted line is reported with its line number and a
//! non-zero exit.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::server::Server;
use std::path::Path;
use std::process::Output;
use std::time::{Duration, Instant};
use utmost_app::audit::file::{self, Verdict};

const REQUESTS: usize = 300;

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Waits until the chain under `path` holds `n` records.
async fn wait_for_records(path: &Path, n: u64) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Ok(Verdict::Ok { records, .. }) = file::verify(path) {
            if records == n {
                return;
            }
        }
        assert!(
            Instant::now() < deadline,
            "the audit file did not reach {n} records: {:?}",
            file::verify(path)
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

each_db!(
    async fn verify_follows_the_chain_across_rotation_and_finds_an_edit(i) {
        let path = i.path("audit").join("audit.log");
        let i = i.with_env(vec![
            ("MM_EXPERIMENTALAUDITSETTINGS_FILEENABLED", "true".into()),
            ("MM_EXPERIMENTALAUDITSETTINGS_FILENAME", path.to_string_lossy().into_owned()),
            ("MM_EXPERIMENTALAUDITSETTINGS_FILEMAXSIZEMB", "1".into()),
            ("MM_EXPERIMENTALAUDITSETTINGS_FILECOMPRESS", "true".into()),
        ]);
        let server = Server::start(&i).await;
        // Logouts without a session are audited and cheap; a 4 kB User-Agent makes each
        // record big enough for 300 of them to pass the 1 MB rotation size.
        let http = reqwest::Client::new();
        let agent = format!("audit-test/{}", "x".repeat(4000));
        for _ in 0..REQUESTS {
            let r = http
                .post(format!("{}/api/v4/users/logout", server.url))
                .header("user-agent", &agent)
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 200);
        }
        wait_for_records(&path, REQUESTS as u64).await;
        server.kill();

        // One rotation, gzipped; the new file's first line chains to the rotated file's last.
        let rotated = file::rotated_files(&path);
        assert_eq!(rotated.len(), 1, "{rotated:?}");
        assert!(rotated[0].to_string_lossy().ends_with(".log.gz"), "{rotated:?}");
        let current = std::fs::read_to_string(&path).unwrap();
        let first: serde_json::Value = serde_json::from_str(current.lines().next().unwrap()).unwrap();
        assert!(first["seq"].as_u64().unwrap() > 1);
        assert_ne!(first["prev_hash"], file::GENESIS);

        // Untouched: ok, with --file and from the configuration.
        let out = i.run(&["audit", "verify", "--file", &path.to_string_lossy()]);
        assert!(out.status.success(), "{}", stderr(&out));
        assert_eq!(stdout(&out).trim(), format!("ok, {REQUESTS} records"));
        let out = i.run(&["audit", "verify"]);
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(stdout(&out).starts_with(&format!("ok, {REQUESTS} records")));

        // One line edited (line 3 of the current file): the link of line 4 breaks.
        let mut lines: Vec<String> = current.lines().map(str::to_string).collect();
        let original = lines[2].clone();
        lines[2] = original.replacen("\"status\":\"success\"", "\"status\":\"fail\"", 1);
        assert_ne!(lines[2], original);
        std::fs::write(&path, lines.join("\n") + "\n").unwrap();
        let out = i.run(&["audit", "verify", "--file", &path.to_string_lossy()]);
        assert!(!out.status.success(), "an edited line verified: {}", stdout(&out));
        assert!(stderr(&out).contains("audit.log line 4:"), "{}", stderr(&out));

        // Put back, it verifies again; a line deleted breaks the chain where it was.
        lines[2] = original;
        std::fs::write(&path, lines.join("\n") + "\n").unwrap();
        assert!(i.run(&["audit", "verify"]).status.success());
        lines.remove(5);
        std::fs::write(&path, lines.join("\n") + "\n").unwrap();
        let out = i.run(&["audit", "verify"]);
        assert!(!out.status.success());
        assert!(stderr(&out).contains("audit.log line 6:"), "{}", stderr(&out));
    }
);
