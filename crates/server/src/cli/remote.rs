//! The admin commands against a running server, as mmctl does: API v4 calls over HTTP(S)
//! with a token, chosen by `--remote URL` (with `--token` or `UTMOST_TOKEN`) or by the name
//! of a profile `utmost auth login` saved. A refusal comes back as the server's own error
//! (message, id and status), so a permission the token lacks reads as it does in the API.

use super::auth::Profiles;
use super::GlobalArgs;
use anyhow::{anyhow, bail, Context};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::time::Duration;
use utmost_model::is_valid_id;
use utmost_model::team::Team;
use utmost_model::user::User;

/// One request's bound: an admin command waits for one answer at a time.
const TIMEOUT: Duration = Duration::from_secs(60);
/// The bytes of an upload sent per request.
const UPLOAD_CHUNK: usize = 16 << 20;

pub struct Remote {
    http: reqwest::Client,
    /// `…/api/v4`.
    api: String,
    token: String,
}

impl Remote {
    /// The server `--remote` names, or `None` for local mode.
    pub fn from_args(global: &GlobalArgs) -> anyhow::Result<Option<Self>> {
        let Some(target) = global.remote.as_deref() else {
            return Ok(None);
        };
        let (url, token) = if target.contains("://") {
            let token = global.token.clone().context(
                "--remote with a URL needs --token (or UTMOST_TOKEN), or a profile name from `utmost auth login`",
            )?;
            (target.to_string(), token)
        } else {
            let profiles = Profiles::load()?;
            let name = if target.is_empty() {
                profiles.current.clone().context(
                    "no current profile: `utmost auth login` one, or name it: --remote NAME",
                )?
            } else {
                target.to_string()
            };
            let profile = profiles
                .get(&name)
                .with_context(|| format!("no profile named {name:?} (`utmost auth list`)"))?;
            (profile.url.clone(), profile.token.clone())
        };
        Ok(Some(Self::new(&url, &token)?))
    }

    pub fn new(url: &str, token: &str) -> anyhow::Result<Self> {
        let parsed = reqwest::Url::parse(url).with_context(|| format!("{url:?} is not a URL"))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            bail!("{url:?}: only http and https servers");
        }
        let http = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .user_agent(concat!("utmost-cli/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Self {
            http,
            api: format!("{}/api/v4", url.trim_end_matches('/')),
            token: token.to_string(),
        })
    }

    /// One call; the answer's JSON (`null` for an empty body) or the server's error.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> anyhow::Result<Value> {
        let url = format!("{}{path}", self.api);
        let mut request = self
            .http
            .request(method.clone(), &url)
            .bearer_auth(&self.token);
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request
            .send()
            .await
            .with_context(|| format!("{method} {url}"))?;
        let status = response.status();
        let text = response.text().await?;
        let value: Value = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        };
        if status.is_success() {
            return Ok(value);
        }
        Err(server_error(status, &value))
    }

    pub async fn get<T: DeserializeOwned>(&self, path: &str) -> anyhow::Result<T> {
        Ok(serde_json::from_value(
            self.call(Method::GET, path, None).await?,
        )?)
    }

    pub async fn post<T: DeserializeOwned>(&self, path: &str, body: Value) -> anyhow::Result<T> {
        Ok(serde_json::from_value(
            self.call(Method::POST, path, Some(&body)).await?,
        )?)
    }

    /// Sends `file` to an upload session in chunks of `UPLOAD_CHUNK` (each a POST the
    /// server appends), so memory stays bounded whatever the file's size.
    pub async fn upload_file(&self, path: &str, file: &std::path::Path) -> anyhow::Result<()> {
        use tokio::io::AsyncReadExt;
        let url = format!("{}{path}", self.api);
        let mut opened = tokio::fs::File::open(file)
            .await
            .with_context(|| format!("opening {}", file.display()))?;
        loop {
            let mut chunk = Vec::with_capacity(UPLOAD_CHUNK);
            (&mut opened)
                .take(UPLOAD_CHUNK as u64)
                .read_to_end(&mut chunk)
                .await?;
            if chunk.is_empty() {
                return Ok(());
            }
            let response = self
                .http
                .post(&url)
                .bearer_auth(&self.token)
                .header("content-type", "application/octet-stream")
                .body(chunk)
                .send()
                .await
                .with_context(|| format!("POST {url}"))?;
            let status = response.status();
            if !status.is_success() {
                let value: Value = response.json().await.unwrap_or(Value::Null);
                return Err(server_error(status, &value));
            }
        }
    }

    /// `POST path` as a multipart form: `fields`, then `file` (form name, file name, bytes).
    pub async fn upload_form(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        file: (&str, &str, Vec<u8>),
    ) -> anyhow::Result<Value> {
        const BOUNDARY: &str = "utmost-cli-form-boundary";
        let mut body = Vec::new();
        for (name, value) in fields {
            body.extend(format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes());
        }
        let (name, file_name, bytes) = file;
        body.extend(format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes());
        body.extend(bytes);
        body.extend(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
        let url = format!("{}{path}", self.api);
        let response = self
            .http
            .post(&url)
            .bearer_auth(&self.token)
            .header(
                "content-type",
                format!("multipart/form-data; boundary={BOUNDARY}"),
            )
            .body(body)
            .send()
            .await
            .with_context(|| format!("POST {url}"))?;
        let status = response.status();
        let value: Value = response.json().await.unwrap_or(Value::Null);
        if status.is_success() {
            return Ok(value);
        }
        Err(server_error(status, &value))
    }

    /// Downloads `path` into the file `dest`, streamed; the bytes written.
    pub async fn download(&self, path: &str, dest: &std::path::Path) -> anyhow::Result<u64> {
        use tokio::io::AsyncWriteExt;
        let url = format!("{}{path}", self.api);
        let mut response = self
            .http
            .get(&url)
            .bearer_auth(&self.token)
            .send()
            .await
            .with_context(|| format!("GET {url}"))?;
        let status = response.status();
        if !status.is_success() {
            let value: Value = response.json().await.unwrap_or(Value::Null);
            return Err(server_error(status, &value));
        }
        let mut out = tokio::fs::File::create(dest)
            .await
            .with_context(|| format!("writing {}", dest.display()))?;
        let mut written = 0;
        while let Some(chunk) = response.chunk().await? {
            out.write_all(&chunk).await?;
            written += chunk.len() as u64;
        }
        out.flush().await?;
        Ok(written)
    }

    pub async fn delete(&self, path: &str) -> anyhow::Result<Value> {
        self.call(Method::DELETE, path, None).await
    }

    /// The user `key` names: an e-mail address, a username or an id (mmctl's order).
    pub async fn user(&self, key: &str) -> anyhow::Result<User> {
        let path = if key.contains('@') {
            format!("/users/email/{key}")
        } else if is_valid_id(key) {
            format!("/users/{key}")
        } else {
            format!("/users/username/{key}")
        };
        self.get(&path)
            .await
            .with_context(|| format!("no user {key:?}"))
    }

    /// The team `key` names: a name or an id.
    pub async fn team(&self, key: &str) -> anyhow::Result<Team> {
        let path = if is_valid_id(key) {
            format!("/teams/{key}")
        } else {
            format!("/teams/name/{key}")
        };
        self.get(&path)
            .await
            .with_context(|| format!("no team {key:?}"))
    }

    /// Every page of a list the API pages with `page` and `per_page` (`path` has its query
    /// started with `?`).
    pub async fn all_pages<T: DeserializeOwned>(&self, path: &str) -> anyhow::Result<Vec<T>> {
        const PER_PAGE: usize = 200;
        let mut all = Vec::new();
        for page in 0.. {
            let items: Vec<T> = self
                .get(&format!("{path}&page={page}&per_page={PER_PAGE}"))
                .await?;
            let last = items.len() < PER_PAGE;
            all.extend(items);
            if last {
                break;
            }
        }
        Ok(all)
    }
}

impl Remote {
    /// Runs a job of `job_type` with `data` on the server (`POST /jobs`) and waits for it to
    /// end; its final state, or an error naming why it did not succeed.
    pub async fn run_job(&self, job_type: &str, data: Value) -> anyhow::Result<Value> {
        let body = serde_json::json!({"type": job_type, "data": data});
        let job: Value = self.post("/jobs", body).await?;
        let path = format!("/jobs/{}", job["id"].as_str().unwrap_or_default());
        loop {
            let job: Value = self.get(&path).await?;
            match job["status"].as_str().unwrap_or_default() {
                "success" => return Ok(job),
                "pending" | "in_progress" | "cancel_requested" => {
                    tokio::time::sleep(Duration::from_millis(500)).await;
                }
                status => bail!("the {job_type} job ended {status}: {}", job["data"]),
            }
        }
    }
}

/// Mattermost's error JSON as one line: message, id and status.
fn server_error(status: StatusCode, body: &Value) -> anyhow::Error {
    match (body["message"].as_str(), body["id"].as_str()) {
        (Some(message), Some(id)) => anyhow!("{message} ({id}, {})", status.as_u16()),
        _ => anyhow!("the server answered {status}: {body}"),
    }
}

/// Refuses a command that needs the server's own database or files.
pub fn local_only(what: &str) -> anyhow::Error {
    anyhow!(
        "{what} works on the server's database and files: run it on the server, without --remote"
    )
}
