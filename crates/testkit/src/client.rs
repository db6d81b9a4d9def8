use reqwest::header::HeaderMap;
use reqwest::Method;
use serde_json::Value;

/// An HTTP client that authenticates like Mattermost's mobile app (Bearer token).
#[derive(Clone)]
pub struct Client {
    pub http: reqwest::Client,
    pub base: String,
    pub token: Option<String>,
}

/// A response with its body parsed as JSON (`Value::Null` when empty or not JSON).
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Value,
    pub text: String,
}

impl Resp {
    /// The Mattermost error id of an error response.
    pub fn error_id(&self) -> &str {
        self.body["id"].as_str().unwrap_or("")
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// Asserts the status, printing the body when it differs.
    #[track_caller]
    pub fn expect(self, status: u16) -> Self {
        assert_eq!(
            self.status, status,
            "unexpected status; body: {}",
            self.text
        );
        self
    }

    /// Asserts an error response with the given status and Mattermost error id.
    #[track_caller]
    pub fn expect_error(self, status: u16, id: &str) -> Self {
        assert_eq!(
            self.status, status,
            "unexpected status; body: {}",
            self.text
        );
        assert_eq!(
            self.error_id(),
            id,
            "unexpected error id; body: {}",
            self.text
        );
        self
    }
}

impl Client {
    pub fn new(base: &str) -> Self {
        Self {
            http: reqwest::Client::new(),
            base: base.trim_end_matches('/').to_string(),
            token: None,
        }
    }

    pub fn with_token(&self, token: &str) -> Self {
        let mut c = self.clone();
        c.token = Some(token.to_string());
        c
    }

    /// Sends a request to `/api/v4{path}`; `body` is sent as JSON when given.
    pub async fn request(&self, method: Method, path: &str, body: Option<&Value>) -> Resp {
        let mut req = self
            .http
            .request(method, format!("{}/api/v4{}", self.base, path));
        if let Some(t) = &self.token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(b);
        }
        let resp = req.send().await.expect("request failed to send");
        Self::read(resp).await
    }

    pub async fn read(resp: reqwest::Response) -> Resp {
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let text = resp.text().await.unwrap_or_default();
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Resp {
            status,
            headers,
            body,
            text,
        }
    }

    pub async fn get(&self, path: &str) -> Resp {
        self.request(Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Resp {
        self.request(Method::POST, path, Some(&body)).await
    }

    pub async fn put(&self, path: &str, body: Value) -> Resp {
        self.request(Method::PUT, path, Some(&body)).await
    }

    pub async fn delete(&self, path: &str) -> Resp {
        self.request(Method::DELETE, path, None).await
    }

    /// Logs in and returns a client carrying the session token.
    pub async fn login(&self, login_id: &str, password: &str) -> Client {
        let r = self
            .post(
                "/users/login",
                serde_json::json!({"login_id": login_id, "password": password}),
            )
            .await
            .expect(200);
        let token = r.header("token").to_string();
        assert!(!token.is_empty(), "login returned no Token header");
        self.with_token(&token)
    }
}
