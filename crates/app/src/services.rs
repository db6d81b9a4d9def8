//! Background workers with a lifecycle. Every task the server keeps running beside the
//! requests is a `Service`: the runner (`Services`) starts each on a task of its own and, at
//! shutdown, stops them one at a time, the last started first, so a service is stopped before
//! the services it relies on. Each stop has a bound: a service still running after it is
//! abandoned (its task aborted) and logged, so one stuck worker cannot hold the process.

use std::future::Future;
use std::pin::Pin;
use std::time::{Duration, Instant};
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// A service's work, boxed so services of every kind fit in one runner.
pub type Run = Pin<Box<dyn Future<Output = ()> + Send>>;

/// A background worker.
pub trait Service: Send + 'static {
    /// Names the service in the logs.
    fn name(&self) -> &'static str;
    /// The work: runs until `stop` fires, then finishes what must be finished (writes what is
    /// pending, closes what it owns) and returns.
    fn run(self: Box<Self>, stop: Stop) -> Run;
}

/// Fires when the runner stops the service, or is dropped (an app dropped without a shutdown,
/// in tests: its services are asked to stop, and nobody waits for them).
pub struct Stop(watch::Receiver<bool>);

impl Stop {
    /// Resolves once the service is asked to stop.
    pub async fn requested(&mut self) {
        // An error means the runner is gone, which asks as well.
        let _ = self.0.wait_for(|stop| *stop).await;
    }

    /// Whether the service has been asked to stop, for work that checks between steps.
    pub fn is_requested(&self) -> bool {
        *self.0.borrow()
    }
}

/// The ticks of a periodic service: the first at once, then every `period`; a late tick
/// is delayed rather than repeated in a burst.
pub(crate) struct Ticks(tokio::time::Interval);

impl Ticks {
    pub(crate) fn every(period: Duration) -> Self {
        let mut tick = tokio::time::interval(period);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        Self(tick)
    }

    /// Waits for the next tick: the app then, or `None` once the service is asked to stop
    /// or the app is gone.
    pub(crate) async fn next(
        &mut self,
        stop: &mut Stop,
        app: &std::sync::Weak<crate::App>,
    ) -> Option<std::sync::Arc<crate::App>> {
        tokio::select! {
            () = stop.requested() => None,
            _ = self.0.tick() => app.upgrade(),
        }
    }

    /// Like `next`, skipping the ticks when this node is not the cluster leader: the ticks
    /// of a leader-only service (see `leader`).
    pub(crate) async fn next_led(
        &mut self,
        stop: &mut Stop,
        app: &std::sync::Weak<crate::App>,
    ) -> Option<std::sync::Arc<crate::App>> {
        loop {
            let app = self.next(stop, app).await?;
            if app.is_leader() {
                return Some(app);
            }
        }
    }
}

struct Running {
    name: &'static str,
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

/// Starts services and stops them in the reverse order.
pub struct Services {
    /// How long each service gets to stop.
    bound: Duration,
    running: Vec<Running>,
}

impl Services {
    pub fn new(bound: Duration) -> Self {
        Self {
            bound,
            running: Vec::new(),
        }
    }

    /// Runs `service` on a task of its own until `stop_all`.
    pub fn start(&mut self, service: impl Service) {
        let name = service.name();
        let (stop, stopping) = watch::channel(false);
        let task = tokio::spawn(Box::new(service).run(Stop(stopping)));
        tracing::debug!(service = name, "service started");
        self.running.push(Running { name, stop, task });
    }

    /// Stops the services, the last started first, each within the bound.
    pub async fn stop_all(&mut self) {
        while let Some(Running {
            name,
            stop,
            mut task,
        }) = self.running.pop()
        {
            let started = Instant::now();
            tracing::info!(service = name, "stopping the service");
            let _ = stop.send(true);
            match tokio::time::timeout(self.bound, &mut task).await {
                Ok(Ok(())) => {
                    tracing::info!(service = name, elapsed_ms = elapsed_ms(started), "stopped");
                }
                Ok(Err(e)) => {
                    tracing::error!(service = name, error = %e, "the service had panicked");
                }
                Err(_) => {
                    task.abort();
                    tracing::error!(
                        service = name,
                        bound = ?self.bound,
                        "the service did not stop within its bound; abandoned"
                    );
                }
            }
        }
    }
}

/// Milliseconds since `since`, for the shutdown's log lines.
pub fn elapsed_ms(since: Instant) -> u64 {
    u64::try_from(since.elapsed().as_millis()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests;
