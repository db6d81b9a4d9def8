//! Helpers of the files tests: uploads in both of `POST /files`'s forms, downloads with their
//! headers, and a real S3 server (s3s-fs, which checks SigV4 and keeps objects as files).

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;
use utmost_config::Config;
use utmost_testkit::{Client, Resp};

pub const BOUNDARY: &str = "utmost-files-test-boundary";

/// A multipart body of `fields` (name, value) then `files` (form name, file name, bytes).
pub fn form(fields: &[(&str, &str)], files: &[(&str, &str, &[u8])]) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                .as_bytes(),
        );
    }
    for (name, filename, bytes) in files {
        body.extend(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"; \
                 filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend(*bytes);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

/// Sends `body` to `path` with `content_type` and the client's token.
pub async fn send(client: &Client, path: &str, content_type: &str, body: Vec<u8>) -> Resp {
    let mut req = client
        .http
        .post(format!("{}/api/v4{path}", client.base))
        .header("Content-Type", content_type)
        .body(body);
    if let Some(token) = &client.token {
        req = req.bearer_auth(token);
    }
    Client::read(req.send().await.unwrap()).await
}

/// `POST /files` as the web client sends it: `channel_id`, one `client_ids` per file, files.
pub async fn upload_files(client: &Client, channel_id: &str, files: &[(&str, &[u8])]) -> Resp {
    let client_ids: Vec<String> = (0..files.len()).map(|i| format!("client-{i}")).collect();
    let mut fields = vec![("channel_id", channel_id)];
    fields.extend(client_ids.iter().map(|id| ("client_ids", id.as_str())));
    let parts: Vec<(&str, &str, &[u8])> = files.iter().map(|(n, b)| ("files", *n, *b)).collect();
    let body = form(&fields, &parts);
    send(
        client,
        "/files",
        &format!("multipart/form-data; boundary={BOUNDARY}"),
        body,
    )
    .await
}

/// `POST /files?channel_id=&filename=` with the file as the body; returns its info.
pub async fn upload_raw(client: &Client, channel_id: &str, name: &str, bytes: &[u8]) -> Resp {
    let path = format!("/files?channel_id={channel_id}&filename={name}");
    send(client, &path, "application/octet-stream", bytes.to_vec()).await
}

/// The id of the one file a successful upload answered.
pub fn uploaded_id(resp: Resp) -> String {
    resp.expect(201).body["file_infos"][0]["id"]
        .as_str()
        .unwrap()
        .to_string()
}

/// A GET with the client's token and extra headers: status, headers, body bytes.
pub async fn fetch(
    client: &Client,
    url_path: &str,
    headers: &[(&str, &str)],
) -> (u16, reqwest::header::HeaderMap, Vec<u8>) {
    let mut req = client.http.get(format!("{}{url_path}", client.base));
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    if let Some(token) = &client.token {
        req = req.bearer_auth(token);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    (status, headers, resp.bytes().await.unwrap().to_vec())
}

/// `n` bytes that are not all alike, so a misplaced chunk shows.
pub fn bytes(n: usize, seed: u8) -> Vec<u8> {
    (0..n).map(|i| (i % 251) as u8 ^ seed).collect()
}

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
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
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
