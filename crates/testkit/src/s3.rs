//! A real S3 server for the file-store tests: s3s-fs, which checks SigV4 and keeps objects
//! as files.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;
use utmost_config::Config;

/// Every file under `dir`, recursively, but for the search index, which lives in the data
/// directory by default (`BleveSettings.IndexDir`) and changes as posts are indexed.
pub fn files_under(dir: &std::path::Path) -> Vec<PathBuf> {
    let index = dir.join("search");
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path == index {
                continue;
            }
            if path.is_dir() {
                pending.push(path);
            } else {
                found.push(path);
            }
        }
    }
    found
}

/// A running s3s-fs with one bucket, stopped on drop.
pub struct S3Server {
    pub endpoint: String,
    pub root: PathBuf,
    child: Child,
}

/// Short: s3s-fs names a multipart upload's metadata file after the base64 of the bucket
/// and the key, and Mattermost's long keys leave little room under the 255-byte file name
/// limit of the disk (real S3 has no such limit).
pub const S3_BUCKET: &str = "bkt";
const S3_ACCESS_KEY: &str = "AKUTMOSTTEST";
const S3_SECRET_KEY: &str = "SKUTMOSTTEST";

impl S3Server {
    /// Starts the s3s-fs binary named by `S3S_FS_BIN` (`.ci/run` installs it); `None`, with
    /// a message, when it is unset.
    pub async fn start() -> Option<S3Server> {
        let Ok(bin) = std::env::var("S3S_FS_BIN") else {
            eprintln!("skipping the S3 variant: S3S_FS_BIN is unset");
            return None;
        };
        let root = std::env::temp_dir().join(format!("utmost-s3-{}", utmost_model::new_id()));
        std::fs::create_dir_all(root.join(S3_BUCKET)).unwrap();
        let port = crate::free_port();
        let child = Command::new(bin)
            .args(["--host", "127.0.0.1", "--port", &port.to_string()])
            .args(["--access-key", S3_ACCESS_KEY, "--secret-key", S3_SECRET_KEY])
            .arg(&root)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start s3s-fs");
        // Owned from here, so the process is stopped however the start ends.
        let server = S3Server {
            endpoint: format!("127.0.0.1:{port}"),
            root,
            child,
        };
        for _ in 0..100 {
            if tokio::net::TcpStream::connect(&server.endpoint)
                .await
                .is_ok()
            {
                return Some(server);
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("s3s-fs did not start");
    }

    /// Points `config`'s file settings at this server.
    pub fn configure(&self, config: &mut Config) {
        let files = &mut config.file_settings;
        files.driver_name = "amazons3".into();
        files.amazon_s3_endpoint = self.endpoint.clone();
        files.amazon_s3_ssl = false;
        files.amazon_s3_bucket = S3_BUCKET.into();
        files.amazon_s3_access_key_id = S3_ACCESS_KEY.into();
        files.amazon_s3_secret_access_key = S3_SECRET_KEY.into();
        files.amazon_s3_region = "us-east-1".into();
    }

    /// `configure` as the `MM_*` variables an operator would set.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("MM_FILESETTINGS_DRIVERNAME", "amazons3".into()),
            ("MM_FILESETTINGS_AMAZONS3ENDPOINT", self.endpoint.clone()),
            ("MM_FILESETTINGS_AMAZONS3SSL", "false".into()),
            ("MM_FILESETTINGS_AMAZONS3BUCKET", S3_BUCKET.into()),
            ("MM_FILESETTINGS_AMAZONS3ACCESSKEYID", S3_ACCESS_KEY.into()),
            (
                "MM_FILESETTINGS_AMAZONS3SECRETACCESSKEY",
                S3_SECRET_KEY.into(),
            ),
            ("MM_FILESETTINGS_AMAZONS3REGION", "us-east-1".into()),
        ]
    }

    /// The objects in the bucket, as files under s3s-fs's root.
    pub fn objects(&self) -> Vec<PathBuf> {
        files_under(&self.root.join(S3_BUCKET))
    }
}

impl Drop for S3Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.root);
    }
}
