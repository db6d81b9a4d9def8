//! Helpers of the files tests: uploads in both of `POST /files`'s forms, downloads with their
//! headers, and a real S3 server (s3s-fs, which checks SigV4 and keeps objects as files).

use utmost_testkit::{Client, Resp};

pub use utmost_testkit::s3::{files_under, S3Server};

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

/// `POST path` with `pem` as the multipart `certificate` (the SAML and AD/LDAP uploads).
pub async fn upload_certificate(client: &Client, path: &str, pem: &[u8]) -> Resp {
    let body = form(&[], &[("certificate", "certificate.pem", pem)]);
    let content_type = format!("multipart/form-data; boundary={BOUNDARY}");
    send(client, path, &content_type, body).await
}
