//! How long a client may take and how many may be connected at once, from `ServiceSettings`.

use std::time::Duration;
use utmost_config::Config;

/// Open files the process needs besides client connections and the database pool: the
/// listener, logs, SQLite's database and WAL, uploads, outgoing HTTP and DNS, with room to spare.
const RESERVED_FILES: u64 = 128;
/// Served even when the open-files limit is unreadable or tiny.
const MIN_CONNECTIONS: u64 = 16;
/// Mattermost's defaults, used where a setting is not positive: Go would read 0 as "no
/// timeout", which is exactly what a slowloris needs.
const DEFAULT_READ: Duration = Duration::from_secs(300);
const DEFAULT_WRITE: Duration = Duration::from_secs(300);
const DEFAULT_IDLE: Duration = Duration::from_secs(60);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectionLimits {
    /// From accepting a connection, or from the end of the previous answer on it, until the
    /// next request head is complete: `min(ReadTimeout, IdleTimeout)`. hyper runs one timer
    /// for both, so an idle keep-alive connection and a stalled head end alike.
    pub head: Duration,
    /// From the request head until its body is read: `ReadTimeout`.
    pub body: Duration,
    /// How long a write to the client may make no progress: `WriteTimeout`.
    pub write_stall: Duration,
    /// Open client connections, WebSockets included, before accepting pauses.
    pub max_connections: usize,
}

impl ConnectionLimits {
    /// `open_files` is the process's soft `RLIMIT_NOFILE`, if known.
    pub fn new(config: &Config, open_files: Option<u64>) -> Self {
        let s = &config.service_settings;
        let read = body_timeout(config);
        let max_connections = match u64::try_from(s.max_connections) {
            Ok(n) if n > 0 => n,
            _ => derived_max_connections(open_files, config.sql_settings.max_open_conns),
        };
        Self {
            head: read.min(seconds_or(s.idle_timeout, DEFAULT_IDLE)),
            body: read,
            write_stall: seconds_or(s.write_timeout, DEFAULT_WRITE),
            max_connections: usize::try_from(max_connections)
                .unwrap_or(usize::MAX)
                .min(tokio::sync::Semaphore::MAX_PERMITS),
        }
    }
}

/// From the request head until its body is read: `ReadTimeout`.
pub fn body_timeout(config: &Config) -> Duration {
    seconds_or(config.service_settings.read_timeout, DEFAULT_READ)
}

fn seconds_or(seconds: i64, default: Duration) -> Duration {
    u64::try_from(seconds)
        .ok()
        .filter(|s| *s > 0)
        .map_or(default, Duration::from_secs)
}

/// Each connection costs a file descriptor; past the limit `accept` fails and the server
/// stops answering anyone, so stop accepting a little before, keeping the database pool's
/// share and a reserve.
fn derived_max_connections(open_files: Option<u64>, db_pool: i64) -> u64 {
    let Some(limit) = open_files else {
        return u64::MAX;
    };
    let pool = u64::try_from(db_pool).unwrap_or(0);
    limit
        .saturating_sub(RESERVED_FILES)
        .saturating_sub(pool)
        .max(MIN_CONNECTIONS)
}

/// The soft open-files limit; `None` when unlimited or unreadable.
pub fn open_files_limit() -> Option<u64> {
    match rlimit::getrlimit(rlimit::Resource::NOFILE) {
        Ok((soft, _)) if soft != rlimit::INFINITY => Some(soft),
        Ok(_) => None,
        Err(e) => {
            tracing::warn!(error = %e, "cannot read the open-files limit");
            None
        }
    }
}

/// Raises the soft open-files limit to the hard one, as Go's runtime does for Mattermost:
/// the soft default (often 1,024) would cap a chat server at a few hundred clients.
pub fn raise_open_files_limit() {
    match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(limit) => tracing::debug!(limit, "open-files limit"),
        Err(e) => tracing::warn!(error = %e, "cannot raise the open-files limit"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(adjust: impl FnOnce(&mut Config)) -> Config {
        let mut c = Config::default();
        adjust(&mut c);
        c
    }

    #[test]
    fn mattermost_defaults_bound_heads_to_the_idle_timeout() {
        let limits = ConnectionLimits::new(&config(|_| {}), Some(1024));
        assert_eq!(limits.head, Duration::from_secs(60));
        assert_eq!(limits.body, Duration::from_secs(300));
        assert_eq!(limits.write_stall, Duration::from_secs(300));
        // 1,024 files less the reserve and the 300-connection pool.
        assert_eq!(limits.max_connections, 1024 - 128 - 300);
    }

    #[test]
    fn a_short_read_timeout_bounds_heads_too() {
        let c = config(|c| c.service_settings.read_timeout = 5);
        assert_eq!(ConnectionLimits::new(&c, None).head, Duration::from_secs(5));
    }

    #[test]
    fn zero_or_negative_timeouts_fall_back_to_the_defaults() {
        let c = config(|c| {
            c.service_settings.read_timeout = 0;
            c.service_settings.idle_timeout = -1;
            c.service_settings.write_timeout = 0;
        });
        let limits = ConnectionLimits::new(&c, None);
        assert_eq!(limits.head, DEFAULT_IDLE);
        assert_eq!(limits.body, DEFAULT_READ);
        assert_eq!(limits.write_stall, DEFAULT_WRITE);
    }

    #[test]
    fn the_connection_cap_is_the_setting_or_derived_from_the_file_limit() {
        let set = config(|c| c.service_settings.max_connections = 50);
        assert_eq!(ConnectionLimits::new(&set, Some(1024)).max_connections, 50);
        let derived = config(|c| c.sql_settings.max_open_conns = 10);
        assert_eq!(
            ConnectionLimits::new(&derived, Some(100_000)).max_connections,
            100_000 - 128 - 10
        );
        assert_eq!(
            ConnectionLimits::new(&derived, Some(64)).max_connections,
            16
        );
        assert_eq!(
            ConnectionLimits::new(&derived, None).max_connections,
            tokio::sync::Semaphore::MAX_PERMITS
        );
    }
}
