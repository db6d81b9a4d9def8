//! The timing of one store call site (`store::db`'s macros): `mattermost_db_store_time`
//! with the calling store function as `method`, and the slow-call log.

use crate::family::{Family, OTHER};
use prometheus::Histogram;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::Duration;

/// One call site of `read!`, `execute!` or `transaction!`: a `static` in the macro's
/// expansion, so its two series (success, failure) are resolved once and every later call
/// is an atomic load and the histogram's atomic add.
pub struct StoreCall {
    here: fn() -> &'static str,
    resolved: OnceLock<Resolved>,
}

struct Resolved {
    method: String,
    ok: Histogram,
    /// Made on the first failure: most call sites never fail, and a series at 0 for each
    /// would double the scrape.
    failed: OnceLock<Histogram>,
}

/// Store calls slower than this are logged (microseconds; 0: none).
static SLOW_MICROS: AtomicU64 = AtomicU64::new(DEFAULT_SLOW_MS * 1000);

/// The default slow-call threshold.
pub const DEFAULT_SLOW_MS: u64 = 1000;

/// Store calls that take `threshold` or longer are logged at warn level with their name
/// and duration (`Duration::ZERO`: none).
pub fn set_slow_store_call_threshold(threshold: Duration) {
    SLOW_MICROS.store(
        u64::try_from(threshold.as_micros()).unwrap_or(u64::MAX),
        Ordering::Relaxed,
    );
}

pub fn slow_store_call_threshold() -> Duration {
    Duration::from_micros(SLOW_MICROS.load(Ordering::Relaxed))
}

impl StoreCall {
    /// `here` gives the type name of an item declared at the call site, whose path names
    /// the store function (`utmost_store::posts::create::here`).
    pub const fn new(here: fn() -> &'static str) -> Self {
        Self {
            here,
            resolved: OnceLock::new(),
        }
    }

    fn resolved(&self) -> &Resolved {
        self.resolved.get_or_init(|| {
            let method = method_name((self.here)());
            let m = crate::metrics();
            Resolved {
                ok: m.store_time(&method, true),
                failed: OnceLock::new(),
                method,
            }
        })
    }

    /// The store function's name as the `method` label shows it (`posts::create`).
    pub fn method(&self) -> &str {
        &self.resolved().method
    }

    /// Records one call that took `elapsed` and succeeded or not.
    pub fn record(&self, ok: bool, elapsed: Duration) {
        let r = self.resolved();
        let histogram = if ok {
            &r.ok
        } else {
            r.failed
                .get_or_init(|| crate::metrics().store_time(&r.method, false))
        };
        histogram.observe(elapsed.as_secs_f64());
        let slow = SLOW_MICROS.load(Ordering::Relaxed);
        if slow > 0 && elapsed >= Duration::from_micros(slow) {
            tracing::warn!(
                store_call = %r.method,
                duration_ms = elapsed.as_secs_f64() * 1000.0,
                success = ok,
                "slow store call"
            );
        }
    }
}

/// The store's helpers that run a query built at run time for many store functions
/// (`db::query_rows`, `db::count_rows`): no call site names the function, so the `method`
/// label is the query's first table and the helper (`users::query_rows`), a closed set too.
pub struct RuntimeQuery {
    helper: &'static str,
    families: OnceLock<[Family<Histogram>; 2]>,
}

impl RuntimeQuery {
    pub const fn new(helper: &'static str) -> Self {
        Self {
            helper,
            families: OnceLock::new(),
        }
    }

    /// Records one run of `sql` that took `elapsed` and succeeded or not.
    pub fn record(&self, sql: &str, ok: bool, elapsed: Duration) {
        let helper = self.helper;
        let [succeeded, failed] = self.families.get_or_init(|| {
            let family = |success: bool| {
                Family::with(
                    Box::new(move |table| {
                        Some(crate::metrics().store_time(&format!("{table}::{helper}"), success))
                    }),
                    256,
                )
            };
            [family(true), family(false)]
        });
        let table = first_table(sql);
        if ok { succeeded } else { failed }
            .get(table)
            .observe(elapsed.as_secs_f64());
        let slow = SLOW_MICROS.load(Ordering::Relaxed);
        if slow > 0 && elapsed >= Duration::from_micros(slow) {
            tracing::warn!(
                store_call = %format!("{table}::{helper}"),
                duration_ms = elapsed.as_secs_f64() * 1000.0,
                success = ok,
                "slow store call"
            );
        }
    }
}

/// The table after a query's first `FROM` (`other` when none is found).
fn first_table(sql: &str) -> &str {
    let space = |c: Option<char>| c.is_none_or(char::is_whitespace);
    let at = sql
        .match_indices("FROM")
        .chain(sql.match_indices("from"))
        .map(|(i, _)| i)
        .filter(|&i| space(sql[..i].chars().next_back()) && space(sql[i + 4..].chars().next()))
        .min()
        .map(|i| i + 4);
    let Some(at) = at else { return OTHER };
    let rest = sql[at..].trim_start();
    let end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    match &rest[..end] {
        "" => OTHER,
        table => table,
    }
}

/// `utmost_store::posts::create::{{closure}}::here` → `posts::create`.
pub fn method_name(type_name: &str) -> String {
    let path = type_name
        .strip_prefix("utmost_store::")
        .unwrap_or(type_name);
    let path = path.strip_suffix("::here").unwrap_or(path);
    path.replace("::{{closure}}", "")
}

/// Whether a store macro's value counts as a success: its `Result`'s variant.
pub trait Outcome {
    fn succeeded(&self) -> bool;
}

impl<T, E> Outcome for Result<T, E> {
    fn succeeded(&self) -> bool {
        self.is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn method_names_drop_the_crate_and_closures() {
        assert_eq!(
            method_name("utmost_store::posts::create::{{closure}}::here"),
            "posts::create"
        );
        assert_eq!(method_name("utmost_store::users::get::here"), "users::get");
    }

    #[test]
    fn run_time_queries_are_named_by_their_first_table() {
        assert_eq!(first_table("SELECT u.id FROM users u WHERE x"), "users");
        assert_eq!(first_table("select count(*) from\n  channels"), "channels");
        assert_eq!(first_table("SELECT 1"), "other");
    }
}
