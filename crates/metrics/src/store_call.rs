//! The timing of one store call site (`store::db`'s macros): `mattermost_db_store_time`
//! with the calling store function as `method`, and the slow-call log.

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
    failed: Histogram,
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
                failed: m.store_time(&method, false),
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
        if ok { &r.ok } else { &r.failed }.observe(elapsed.as_secs_f64());
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
}
