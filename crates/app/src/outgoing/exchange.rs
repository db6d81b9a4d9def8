//! A request sent as the caller built it (method, headers, body), for the calls of a
//! protocol such as OAuth 2.0: the same allow-list and deadline as a fetch, no redirect
//! followed (a protocol endpoint that redirects is answered as it answered), the body read
//! up to a cap.

use super::{check_url, FetchError, Opened, Outgoing};
use crate::App;
use reqwest::Url;
use std::time::Duration;
use tokio::time::Instant;

/// Sends `request` under the configured allow-list (see `Outgoing::exchange`).
pub async fn exchange(
    app: &App,
    request: http::Request<Vec<u8>>,
    timeout: Duration,
    max_body: usize,
) -> Result<http::Response<Vec<u8>>, FetchError> {
    let allowed = app
        .config()
        .service_settings
        .allowed_untrusted_internal_connections
        .clone();
    app.outgoing
        .exchange(&allowed, request, timeout, max_body)
        .await
}

impl Outgoing {
    /// Sends `request` once and reads its answer, the body up to `max_body` bytes, all
    /// within `timeout`.
    pub async fn exchange(
        &self,
        allowed: &str,
        request: http::Request<Vec<u8>>,
        timeout: Duration,
        max_body: usize,
    ) -> Result<http::Response<Vec<u8>>, FetchError> {
        let (policy, client) = self.client(allowed)?;
        let deadline = Instant::now() + timeout;
        let url = Url::parse(&request.uri().to_string()).map_err(|_| FetchError::BadUrl)?;
        check_url(&url, &policy)?;
        let request = reqwest::Request::try_from(request).map_err(FetchError::Failed)?;
        let response = match tokio::time::timeout_at(deadline, client.execute(request)).await {
            Ok(response) => response?,
            Err(_) => return Err(FetchError::Timeout),
        };
        let mut answer = http::Response::builder().status(response.status());
        if let Some(headers) = answer.headers_mut() {
            headers.extend(response.headers().clone());
        }
        let opened = Opened {
            url,
            response,
            deadline,
        };
        let body = opened.read_capped(max_body).await?;
        answer
            .body(body)
            .map_err(|_| FetchError::Refused("malformed response".into()))
    }
}
