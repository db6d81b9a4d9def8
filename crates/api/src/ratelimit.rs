//! API rate limiting per `RateLimitSettings`, as Mattermost's `app/ratelimit.go`: a GCRA
//! bucket per key (remote address, session token and/or a header value), the
//! `X-RateLimit-*` headers on every limited-route answer, and 429 `limit exceeded` when the
//! bucket is empty. Settings are read per request, so a config reload takes effect at once.

use crate::auth::token_from_request;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock, DefaultClock};
use governor::middleware::StateInformationMiddleware;
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};
use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use utmost_config::RateLimitSettings;

use crate::AppState;

type KeyedLimiter =
    RateLimiter<String, DefaultKeyedStateStore<String>, DefaultClock, StateInformationMiddleware>;

/// The limiter for the settings in force, rebuilt when they change.
#[derive(Clone)]
pub struct ApiRateLimiter {
    app: AppState,
    current: Arc<Mutex<Option<Arc<Bucket>>>>,
}

struct Bucket {
    settings: RateLimitSettings,
    limiter: KeyedLimiter,
    /// Mattermost's limit: the burst plus the request that drains it.
    limit: u32,
    period: Duration,
}

impl ApiRateLimiter {
    pub fn new(app: AppState) -> Self {
        Self {
            app,
            current: Arc::new(Mutex::new(None)),
        }
    }

    /// The bucket for the current settings; `None` when limiting is off or misconfigured.
    fn bucket(&self) -> Option<Arc<Bucket>> {
        let settings = self.app.config().rate_limit_settings.clone();
        if !settings.enable {
            return None;
        }
        let mut current = self.current.lock().unwrap_or_else(|e| e.into_inner());
        match current.as_ref() {
            Some(bucket) if bucket.settings == settings => Some(bucket.clone()),
            _ => {
                let bucket = Bucket::new(settings).map(Arc::new);
                current.clone_from(&bucket);
                bucket
            }
        }
    }
}

impl Bucket {
    fn new(settings: RateLimitSettings) -> Option<Self> {
        let per_sec = u32::try_from(settings.per_sec).ok().filter(|n| *n > 0);
        let Some(per_sec) = per_sec else {
            tracing::warn!(
                per_sec = settings.per_sec,
                "RateLimitSettings.PerSec must be positive; not limiting"
            );
            return None;
        };
        let limit = u32::try_from(settings.max_burst.max(0))
            .unwrap_or(u32::MAX - 1)
            .saturating_add(1);
        let period = Duration::from_secs(1) / per_sec;
        let quota = Quota::with_period(period)?.allow_burst(NonZeroU32::new(limit)?);
        Some(Self {
            settings,
            limiter: RateLimiter::keyed(quota).with_middleware::<StateInformationMiddleware>(),
            limit,
            period,
        })
    }

    /// Mattermost's `GenerateKey`: the token (or, without one, the address) when varying by
    /// user, else the address when varying by it, plus the chosen header's value.
    fn key(
        &self,
        headers: &HeaderMap,
        uri: &axum::http::Uri,
        remote: Option<SocketAddr>,
        client: Option<IpAddr>,
    ) -> String {
        let s = &self.settings;
        // The client's address (`client_ip`: a trusted proxy's header, else the peer).
        let ip = || {
            client
                .or(remote.map(|a| a.ip()))
                .map(|ip| ip.to_string())
                .unwrap_or_default()
        };
        let mut key = match token_from_request(headers, uri) {
            Some((token, _)) if s.vary_by_user => token,
            _ if s.vary_by_remote_addr => ip(),
            _ => String::new(),
        };
        if !s.vary_by_header.is_empty() {
            let value = headers
                .get(s.vary_by_header.as_str())
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            key.push_str(&value.to_lowercase());
        }
        key
    }

    /// Takes one request from `key`'s bucket: the headers to send, and whether it may pass.
    fn take(&self, key: String) -> (Vec<(&'static str, String)>, bool) {
        let outcome = self.limiter.check_key(&key);
        self.forget_idle_keys();
        let limit = ("x-ratelimit-limit", self.limit.to_string());
        match outcome {
            Ok(snapshot) => {
                let remaining = snapshot.remaining_burst_capacity();
                let reset = self.period * (self.limit - remaining.min(self.limit));
                let headers = vec![
                    limit,
                    ("x-ratelimit-remaining", remaining.to_string()),
                    ("x-ratelimit-reset", ceil_secs(reset).to_string()),
                ];
                (headers, true)
            }
            Err(not_until) => {
                let retry = not_until.wait_time_from(DefaultClock::default().now());
                let reset = retry + self.period * (self.limit - 1);
                let headers = vec![
                    limit,
                    ("x-ratelimit-remaining", "0".to_string()),
                    ("x-ratelimit-reset", ceil_secs(reset).to_string()),
                    ("retry-after", ceil_secs(retry).to_string()),
                ];
                (headers, false)
            }
        }
    }

    /// Keeps the key table near `MemoryStoreSize` entries by dropping full (idle) buckets.
    fn forget_idle_keys(&self) {
        let max = usize::try_from(self.settings.memory_store_size).unwrap_or(usize::MAX);
        if self.limiter.len() > max {
            self.limiter.retain_recent();
            self.limiter.shrink_to_fit();
        }
    }
}

fn ceil_secs(d: Duration) -> u64 {
    d.as_secs() + u64::from(d.subsec_nanos() > 0)
}

/// The middleware: passes the request on or answers 429, adding the headers either way.
pub async fn limit(State(limiter): State<ApiRateLimiter>, req: Request, next: Next) -> Response {
    let Some(bucket) = limiter.bucket() else {
        return next.run(req).await;
    };
    let remote = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0);
    let client = crate::client_ip::ClientAddr::of(req.extensions());
    let key = bucket.key(req.headers(), req.uri(), remote, client);
    let (headers, allowed) = bucket.take(key);
    let mut response = if allowed {
        next.run(req).await
    } else {
        tracing::debug!("request denied by rate limiting");
        // Go's http.Error: plain text with a trailing newline.
        (StatusCode::TOO_MANY_REQUESTS, "limit exceeded\n").into_response()
    };
    crate::context::set_headers(&mut response, headers.iter().map(|(n, v)| (*n, v.as_str())));
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn settings() -> RateLimitSettings {
        RateLimitSettings {
            enable: true,
            per_sec: 1,
            max_burst: 2,
            ..RateLimitSettings::default()
        }
    }

    #[test]
    fn allows_burst_plus_one_then_refuses() {
        let bucket = Bucket::new(settings()).unwrap();
        let remaining: Vec<_> = (0..3)
            .map(|_| {
                let (headers, allowed) = bucket.take("k".into());
                assert!(allowed);
                headers[1].1.clone()
            })
            .collect();
        assert_eq!(remaining, ["2", "1", "0"]);
        let (headers, allowed) = bucket.take("k".into());
        assert!(!allowed);
        assert_eq!(headers[0], ("x-ratelimit-limit", "3".to_string()));
        // Another key has its own bucket.
        assert!(bucket.take("other".into()).1);
    }

    #[test]
    fn keys_follow_the_vary_settings() {
        let remote: SocketAddr = "10.0.0.7:5555".parse().unwrap();
        let uri: axum::http::Uri = "/api/v4/users/me".parse().unwrap();
        let mut headers = HeaderMap::new();
        headers.insert("authorization", HeaderValue::from_static("Bearer tok"));
        headers.insert("x-tenant", HeaderValue::from_static("ACME"));
        let key = |s: RateLimitSettings| {
            Bucket::new(s)
                .unwrap()
                .key(&headers, &uri, Some(remote), None)
        };
        assert_eq!(key(settings()), "10.0.0.7");
        let by_user = RateLimitSettings {
            vary_by_user: true,
            vary_by_header: "X-Tenant".into(),
            ..settings()
        };
        assert_eq!(key(by_user), "tokacme");
    }

    #[test]
    fn nonpositive_rate_disables_limiting() {
        assert!(Bucket::new(RateLimitSettings {
            per_sec: 0,
            ..settings()
        })
        .is_none());
    }
}
