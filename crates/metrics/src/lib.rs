//! The process's Prometheus metrics, under Mattermost's names where Mattermost has one
//! (`server/enterprise/metrics/metrics.go`: namespace `mattermost`, its subsystems), and
//! `utmost_…` for what Mattermost does not measure (docs/monitoring.md lists them all).
//!
//! One registry per process, like the process collector it holds: the counters are plain
//! atomics that `store`, `app` and `api` move wherever the thing happens, and the gauges
//! that describe live state (pool sizes, sockets, tokio tasks) are set by the scrape itself
//! (`api::metrics`). Recording never takes a lock: a labelled series is looked up in a
//! copy-on-write map read through `arc-swap` (a miss, once per new label value, takes the
//! write lock), and a store call's series is resolved once per call site.
//!
//! Cardinality rule: a label's values come from a closed set the server chooses (a route
//! as routed, an event or job type, a cache or store function name), never from a request
//! (no raw URLs, ids or user agents); each labelled family is capped as well, and values
//! past the cap count under `other`.

mod family;
mod store_call;

pub use family::{method_label, Family, RouteTimes, OTHER};
pub use prometheus::{IntCounter, IntGauge};
pub use store_call::{
    method_name, set_slow_store_call_threshold, slow_store_call_threshold, Outcome, RuntimeQuery,
    StoreCall, DEFAULT_SLOW_MS,
};

use prometheus::{
    Encoder, Histogram, HistogramOpts, HistogramVec, IntCounterVec, IntGaugeVec, Opts, Registry,
    TextEncoder,
};
use std::sync::LazyLock;

/// Latency buckets (seconds) for HTTP handlers: 1 ms to 30 s.
pub const REQUEST_BUCKETS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];
/// Latency buckets (seconds) for one store call: 100 µs to 10 s.
pub const STORE_BUCKETS: &[f64] = &[
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
    5.0, 10.0,
];

/// Every metric of the process.
pub struct Metrics {
    registry: Registry,
    // HTTP (Mattermost's `http` and `api` subsystems).
    pub http_requests_total: IntCounter,
    pub http_errors_total: IntCounter,
    /// `mattermost_api_time{handler, method, status_code}`: the handler is the route as
    /// routed (`/api/v4/users/{user_id}`), `other` for what no route matched.
    pub api_time: RouteTimes,
    // Database.
    pub db_master_connections_total: IntGauge,
    pub db_read_replica_connections_total: IntGauge,
    /// `utmost_db_connections{state="idle"|"in_use"}` of the primary's pools.
    pub db_connections: IntGaugeVec,
    pub db_max_connections: IntGauge,
    store_time: HistogramVec,
    // WebSocket.
    pub http_websockets_total: IntGauge,
    pub websocket_broadcasts: Family<IntCounter>,
    // Posts and logins.
    pub post_total: IntCounter,
    pub post_file_attachments_total: IntCounter,
    pub login_logins_total: IntCounter,
    pub login_logins_fail_total: IntCounter,
    // Caches.
    cache_mem_hit_total: IntCounterVec,
    cache_mem_miss_total: IntCounterVec,
    cache_mem_invalidation_total: IntCounterVec,
    // Jobs and cluster.
    pub jobs_active: Family<IntGauge>,
    pub cluster_event_types: Family<IntCounter>,
    pub cluster_events_dropped_total: IntCounter,
    // Files.
    pub filestore_errors: Family<IntCounter>,
    // Runtime.
    pub tokio_alive_tasks: IntGauge,
    pub tokio_workers: IntGauge,
    pub tokio_global_queue_depth: IntGauge,
    pub server_start_time: IntGauge,
}

/// The process's metrics, registered on first use.
pub fn metrics() -> &'static Metrics {
    static METRICS: LazyLock<Metrics> = LazyLock::new(Metrics::new);
    &METRICS
}

fn mm(subsystem: &str, name: &str, help: &str) -> Opts {
    Opts::new(name, help)
        .namespace("mattermost")
        .subsystem(subsystem)
}

fn ut(subsystem: &str, name: &str, help: &str) -> Opts {
    Opts::new(name, help)
        .namespace("utmost")
        .subsystem(subsystem)
}

/// Registers `m` and hands it back. Names are fixed at compile time, so a registration that
/// fails (a duplicate, a bad name) is a bug that the tests show: it is then left out of the
/// scrape rather than stopping the server.
fn reg<M: prometheus::core::Collector + Clone + 'static>(registry: &Registry, m: M) -> M {
    let _ = registry.register(Box::new(m.clone()));
    m
}

macro_rules! counter {
    ($r:expr, $opts:expr) => {
        reg(
            $r,
            IntCounter::with_opts($opts).unwrap_or_else(|_| fallback_counter()),
        )
    };
}
macro_rules! gauge {
    ($r:expr, $opts:expr) => {
        reg(
            $r,
            IntGauge::with_opts($opts).unwrap_or_else(|_| fallback_gauge()),
        )
    };
}

fn fallback_counter() -> IntCounter {
    IntCounter::with_opts(Opts::new("utmost_invalid_metric_total", "unregistered"))
        .unwrap_or_else(|_| unreachable_metric())
}
fn fallback_gauge() -> IntGauge {
    IntGauge::with_opts(Opts::new("utmost_invalid_metric", "unregistered"))
        .unwrap_or_else(|_| unreachable_metric())
}
#[allow(clippy::panic)]
fn unreachable_metric<T>() -> T {
    panic!("a constant metric name was refused")
}

fn counter_vec(registry: &Registry, opts: Opts, labels: &[&str]) -> IntCounterVec {
    reg(
        registry,
        IntCounterVec::new(opts, labels).unwrap_or_else(|_| unreachable_metric()),
    )
}
fn gauge_vec(registry: &Registry, opts: Opts, labels: &[&str]) -> IntGaugeVec {
    reg(
        registry,
        IntGaugeVec::new(opts, labels).unwrap_or_else(|_| unreachable_metric()),
    )
}
fn histogram_vec(
    registry: &Registry,
    opts: Opts,
    buckets: &[f64],
    labels: &[&str],
) -> HistogramVec {
    let opts = HistogramOpts::from(opts).buckets(buckets.to_vec());
    reg(
        registry,
        HistogramVec::new(opts, labels).unwrap_or_else(|_| unreachable_metric()),
    )
}

impl Metrics {
    fn new() -> Self {
        let r = Registry::new();
        #[cfg(target_os = "linux")]
        {
            // Mattermost registers Go's process collector under its namespace:
            // `mattermost_process_cpu_seconds_total`, `…_resident_memory_bytes`, `…_open_fds`.
            let process = prometheus::process_collector::ProcessCollector::new(
                std::process::id() as i32,
                "mattermost",
            );
            let _ = r.register(Box::new(process));
        }
        let start = IntGauge::with_opts(mm(
            "system",
            "server_start_time",
            "The time the server started.",
        ))
        .unwrap_or_else(|_| fallback_gauge());
        start.set(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs() as i64)
                .unwrap_or(0),
        );
        let server_start_time = reg(&r, start);
        let api_time = histogram_vec(
            &r,
            mm("api", "time", "Time to execute the api handler"),
            REQUEST_BUCKETS,
            &["handler", "method", "status_code"],
        );
        let m = Self {
            http_requests_total: counter!(
                &r,
                mm(
                    "http",
                    "requests_total",
                    "The total number of http API requests."
                )
            ),
            http_errors_total: counter!(
                &r,
                mm(
                    "http",
                    "errors_total",
                    "The total number of http API errors."
                )
            ),
            api_time: RouteTimes::new(api_time),
            db_master_connections_total: gauge!(
                &r,
                mm(
                    "db",
                    "master_connections_total",
                    "The total number of connections to the master database."
                )
            ),
            db_read_replica_connections_total: gauge!(
                &r,
                mm(
                    "db",
                    "read_replica_connections_total",
                    "The total number of connections to all the read replica databases."
                )
            ),
            db_connections: gauge_vec(
                &r,
                ut(
                    "db",
                    "connections",
                    "Connections of the primary database's pools by state (idle, in_use).",
                ),
                &["state"],
            ),
            db_max_connections: gauge!(
                &r,
                ut(
                    "db",
                    "max_connections",
                    "The most connections the primary database's pools may open."
                )
            ),
            store_time: histogram_vec(
                &r,
                mm("db", "store_time", "Time to execute the store method"),
                STORE_BUCKETS,
                &["method", "success"],
            ),
            http_websockets_total: gauge!(
                &r,
                mm(
                    "http",
                    "websockets_total",
                    "The total number of websocket connections to this server."
                )
            ),
            websocket_broadcasts: Family::counters(
                counter_vec(
                    &r,
                    mm(
                        "websocket",
                        "broadcasts_total",
                        "The total number of websocket broadcasts sent for any type.",
                    ),
                    &["name"],
                ),
                256,
            ),
            post_total: counter!(
                &r,
                mm("post", "total", "The total number of posts created.")
            ),
            post_file_attachments_total: counter!(
                &r,
                mm(
                    "post",
                    "file_attachments_total",
                    "The total number of file attachments created because a post was created."
                )
            ),
            login_logins_total: counter!(
                &r,
                mm(
                    "login",
                    "logins_total",
                    "The total number of successful logins."
                )
            ),
            login_logins_fail_total: counter!(
                &r,
                mm(
                    "login",
                    "logins_fail_total",
                    "The total number of failed logins."
                )
            ),
            cache_mem_hit_total: counter_vec(
                &r,
                mm(
                    "cache",
                    "mem_hit_total",
                    "Total number of memory cache hits",
                ),
                &["name"],
            ),
            cache_mem_miss_total: counter_vec(
                &r,
                mm(
                    "cache",
                    "mem_miss_total",
                    "Total number of memory cache misses",
                ),
                &["name"],
            ),
            cache_mem_invalidation_total: counter_vec(
                &r,
                mm(
                    "cache",
                    "mem_invalidation_total",
                    "Total number of memory cache invalidations",
                ),
                &["name"],
            ),
            jobs_active: Family::gauges(
                gauge_vec(&r, mm("jobs", "active", "Number of active jobs"), &["type"]),
                64,
            ),
            cluster_event_types: Family::counters(
                counter_vec(
                    &r,
                    mm(
                        "cluster",
                        "cluster_event_type_totals",
                        "The total number of cluster requests sent for any type.",
                    ),
                    &["name"],
                ),
                256,
            ),
            cluster_events_dropped_total: counter!(
                &r,
                ut(
                    "cluster",
                    "events_dropped_total",
                    "Events this node could not send to the others (outbox full or Redis away)."
                )
            ),
            filestore_errors: Family::counters(
                counter_vec(
                    &r,
                    ut(
                        "filestore",
                        "errors_total",
                        "File store operations (local disk or S3) that failed, by operation.",
                    ),
                    &["operation"],
                ),
                32,
            ),
            tokio_alive_tasks: gauge!(
                &r,
                ut(
                    "tokio",
                    "alive_tasks",
                    "Tasks alive in the server's tokio runtime."
                )
            ),
            tokio_workers: gauge!(
                &r,
                ut(
                    "tokio",
                    "workers",
                    "Worker threads of the server's tokio runtime."
                )
            ),
            tokio_global_queue_depth: gauge!(
                &r,
                ut(
                    "tokio",
                    "global_queue_depth",
                    "Tasks waiting in the tokio runtime's global queue."
                )
            ),
            server_start_time,
            registry: r,
        };
        // A family shows in the scrape once it has a series: these exist from the start,
        // at 0, so dashboards and alerts find them on any server.
        m.websocket_broadcasts.get("posted");
        m.cluster_event_types.get("PostCreated");
        for operation in ["write", "read", "head", "delete", "list"] {
            m.filestore_errors.get(operation);
        }
        m
    }

    /// The hit, miss and invalidation counters of the cache `name` (Mattermost's names:
    /// `Session`, `User`, …), resolved once by the cache that owns them.
    pub fn cache(&self, name: &str) -> CacheCounters {
        let get = |v: &IntCounterVec| {
            v.get_metric_with_label_values(&[name])
                .unwrap_or_else(|_| fallback_counter())
        };
        CacheCounters {
            hit: get(&self.cache_mem_hit_total),
            miss: get(&self.cache_mem_miss_total),
            invalidation: get(&self.cache_mem_invalidation_total),
        }
    }

    /// The store-call histogram for (`method`, `success`).
    fn store_time(&self, method: &str, success: bool) -> Histogram {
        let success = if success { "true" } else { "false" };
        self.store_time
            .get_metric_with_label_values(&[method, success])
            .unwrap_or_else(|_| {
                Histogram::with_opts(HistogramOpts::new("utmost_invalid_metric", "unregistered"))
                    .unwrap_or_else(|_| unreachable_metric())
            })
    }

    /// Everything registered, in Prometheus' text format (version 0.0.4).
    pub fn encode(&self) -> String {
        let families = self.registry.gather();
        let mut out = Vec::new();
        let _ = TextEncoder::new().encode(&families, &mut out);
        String::from_utf8(out).unwrap_or_default()
    }
}

/// One cache's counters.
#[derive(Clone)]
pub struct CacheCounters {
    pub hit: IntCounter,
    pub miss: IntCounter,
    pub invalidation: IntCounter,
}

/// The `Content-Type` of [`Metrics::encode`]'s output.
pub const TEXT_FORMAT: &str = "text/plain; version=0.0.4; charset=utf-8";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_family_registers_and_encodes() {
        let m = metrics();
        m.post_total.inc();
        m.websocket_broadcasts.get("posted").inc();
        m.cache("Session").hit.inc();
        m.api_time
            .observe("/api/v4/users/{user_id}", "GET", 200, 0.01);
        let text = m.encode();
        for name in [
            "mattermost_post_total",
            "mattermost_websocket_broadcasts_total{name=\"posted\"}",
            "mattermost_cache_mem_hit_total{name=\"Session\"}",
            "mattermost_api_time_bucket{handler=\"/api/v4/users/{user_id}\",method=\"GET\",status_code=\"200\"",
            "mattermost_system_server_start_time",
        ] {
            assert!(text.contains(name), "{name} missing from:\n{text}");
        }
        assert!(!text.contains("utmost_invalid_metric"), "{text}");
    }
}
