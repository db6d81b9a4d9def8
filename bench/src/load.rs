//! A fixed amount of work spread over N concurrent workers, with every latency recorded.

use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub struct Stats {
    pub count: usize,
    pub elapsed: Duration,
    /// Sorted ascending.
    latencies: Vec<Duration>,
}

impl Stats {
    pub fn per_second(&self) -> f64 {
        self.count as f64 / self.elapsed.as_secs_f64()
    }

    /// The `p`-th percentile latency (nearest rank), in milliseconds.
    pub fn percentile_ms(&self, p: f64) -> f64 {
        if self.latencies.is_empty() {
            return 0.0;
        }
        let rank = ((p / 100.0) * self.latencies.len() as f64).ceil() as usize;
        let index = rank.clamp(1, self.latencies.len()) - 1;
        self.latencies[index].as_secs_f64() * 1000.0
    }

    /// Latencies measured one after another over `elapsed`.
    pub fn new(mut latencies: Vec<Duration>, elapsed: Duration) -> Stats {
        latencies.sort_unstable();
        Stats {
            count: latencies.len(),
            elapsed,
            latencies,
        }
    }

    /// Several runs of the same work as one: counts, times and latencies add up.
    pub fn combine(parts: Vec<Stats>) -> Stats {
        let count = parts.iter().map(|s| s.count).sum();
        let elapsed = parts.iter().map(|s| s.elapsed).sum();
        let mut latencies: Vec<Duration> = parts.into_iter().flat_map(|s| s.latencies).collect();
        latencies.sort_unstable();
        Stats {
            count,
            elapsed,
            latencies,
        }
    }
}

/// Runs `op(n)` for n in 0..total on `workers` concurrent tasks; the first error aborts the run.
pub async fn run<F, Fut>(workers: usize, total: usize, op: F) -> anyhow::Result<Stats>
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = anyhow::Result<()>> + Send,
{
    let op = Arc::new(op);
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(workers);
    for _ in 0..workers {
        let (op, next) = (op.clone(), next.clone());
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            loop {
                let n = next.fetch_add(1, Ordering::Relaxed);
                if n >= total {
                    return anyhow::Ok(latencies);
                }
                let t = Instant::now();
                op(n).await?;
                latencies.push(t.elapsed());
            }
        }));
    }
    let mut latencies = Vec::with_capacity(total);
    for task in tasks {
        latencies.extend(task.await??);
    }
    let elapsed = started.elapsed();
    latencies.sort_unstable();
    Ok(Stats {
        count: latencies.len(),
        elapsed,
        latencies,
    })
}
