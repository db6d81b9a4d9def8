//! Labelled series found without a lock: each family keeps the series it handed out in a
//! copy-on-write map read through `arc-swap`; only the first use of a label value takes
//! the write lock (and copies the map, which stays small: the values come from a closed set).

use arc_swap::ArcSwap;
use prometheus::{Histogram, HistogramVec, IntCounter, IntCounterVec, IntGauge, IntGaugeVec};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// The label value series past a family's cap count under.
pub const OTHER: &str = "other";

/// Makes the series of a label value (`None`: the vector refused it).
pub(crate) type Make<M> = Box<dyn Fn(&str) -> Option<M> + Send + Sync>;

/// Routes, then (method, status), to their histogram.
type Routes = HashMap<String, HashMap<(&'static str, u16), Histogram>>;

/// One labelled metric family (one label), with at most `cap` distinct values.
pub struct Family<M> {
    seen: ArcSwap<HashMap<String, M>>,
    write: Mutex<()>,
    make: Make<M>,
    cap: usize,
}

impl<M: Clone> Family<M> {
    pub(crate) fn with(make: Make<M>, cap: usize) -> Self {
        Self {
            seen: ArcSwap::from_pointee(HashMap::new()),
            write: Mutex::new(()),
            make,
            cap,
        }
    }

    /// The series of `value` (of `other` once the family holds `cap` values).
    pub fn get(&self, value: &str) -> M {
        if let Some(m) = self.seen.load().get(value) {
            return m.clone();
        }
        let _guard = self.write.lock().unwrap_or_else(|e| e.into_inner());
        let seen = self.seen.load_full();
        if let Some(m) = seen.get(value) {
            return m.clone();
        }
        let value = if seen.len() + 1 >= self.cap {
            OTHER
        } else {
            value
        };
        if let Some(m) = seen.get(value) {
            return m.clone();
        }
        let mut next = HashMap::clone(&seen);
        let m = (self.make)(value).unwrap_or_else(|| (self.make)(OTHER).unwrap_or_else(fallback));
        next.insert(value.to_string(), m.clone());
        self.seen.store(Arc::new(next));
        m
    }
}

#[allow(clippy::panic)]
fn fallback<M>() -> M {
    panic!("a metric family refused a label value")
}

impl Family<IntCounter> {
    pub(crate) fn counters(vec: IntCounterVec, cap: usize) -> Self {
        Self::with(
            Box::new(move |v| vec.get_metric_with_label_values(&[v]).ok()),
            cap,
        )
    }
}

impl Family<IntGauge> {
    pub(crate) fn gauges(vec: IntGaugeVec, cap: usize) -> Self {
        Self::with(
            Box::new(move |v| vec.get_metric_with_label_values(&[v]).ok()),
            cap,
        )
    }
}

/// `mattermost_api_time{handler, method, status_code}`, found per request without a lock.
pub struct RouteTimes {
    vec: HistogramVec,
    seen: ArcSwap<Routes>,
    write: Mutex<()>,
}

/// Routes past this many count under `other`.
const ROUTE_CAP: usize = 2048;

/// The method label: one of HTTP's own, else `other` (a client may send any token).
pub fn method_label(method: &str) -> &'static str {
    match method {
        "GET" => "GET",
        "POST" => "POST",
        "PUT" => "PUT",
        "PATCH" => "PATCH",
        "DELETE" => "DELETE",
        "HEAD" => "HEAD",
        "OPTIONS" => "OPTIONS",
        _ => OTHER,
    }
}

impl RouteTimes {
    pub(crate) fn new(vec: HistogramVec) -> Self {
        Self {
            vec,
            seen: ArcSwap::from_pointee(HashMap::new()),
            write: Mutex::new(()),
        }
    }

    /// Records one request of `handler` (a route as routed, or `other`).
    pub fn observe(&self, handler: &str, method: &str, status: u16, seconds: f64) {
        let method = method_label(method);
        let key = (method, status);
        if let Some(h) = self.seen.load().get(handler).and_then(|m| m.get(&key)) {
            h.observe(seconds);
            return;
        }
        self.slow(handler, key).observe(seconds);
    }

    fn slow(&self, handler: &str, key: (&'static str, u16)) -> Histogram {
        let _guard = self.write.lock().unwrap_or_else(|e| e.into_inner());
        let seen = self.seen.load_full();
        let handler = if seen.contains_key(handler) || seen.len() + 1 < ROUTE_CAP {
            handler
        } else {
            OTHER
        };
        if let Some(h) = seen.get(handler).and_then(|m| m.get(&key)) {
            return h.clone();
        }
        let status = key.1.to_string();
        let h = match self
            .vec
            .get_metric_with_label_values(&[handler, key.0, &status])
        {
            Ok(h) => h,
            Err(_) => return fallback(),
        };
        let mut next = HashMap::clone(&seen);
        next.entry(handler.to_string())
            .or_default()
            .insert(key, h.clone());
        self.seen.store(Arc::new(next));
        h
    }
}
