use super::*;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// Runs until stopped, then notes its name in `stopped`.
struct Recorder {
    name: &'static str,
    stopped: Arc<Mutex<Vec<&'static str>>>,
}

impl Service for Recorder {
    fn name(&self) -> &'static str {
        self.name
    }

    fn run(self: Box<Self>, mut stop: Stop) -> Run {
        Box::pin(async move {
            stop.requested().await;
            self.stopped.lock().unwrap().push(self.name);
        })
    }
}

/// Never finishes stopping; `dropped` tells whether its task was abandoned (aborted).
struct Stuck {
    dropped: Arc<AtomicBool>,
}

struct SetOnDrop(Arc<AtomicBool>);

impl Drop for SetOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

impl Service for Stuck {
    fn name(&self) -> &'static str {
        "stuck"
    }

    fn run(self: Box<Self>, mut stop: Stop) -> Run {
        Box::pin(async move {
            let _guard = SetOnDrop(self.dropped);
            stop.requested().await;
            std::future::pending::<()>().await;
        })
    }
}

fn recorder(name: &'static str, stopped: &Arc<Mutex<Vec<&'static str>>>) -> Recorder {
    Recorder {
        name,
        stopped: stopped.clone(),
    }
}

#[tokio::test]
async fn services_stop_in_reverse_start_order() {
    let stopped = Arc::new(Mutex::new(Vec::new()));
    let mut services = Services::new(Duration::from_secs(5));
    for name in ["database maintenance", "presence", "hub"] {
        services.start(recorder(name, &stopped));
    }
    tokio::task::yield_now().await;
    assert!(
        stopped.lock().unwrap().is_empty(),
        "nothing stops before stop_all"
    );
    services.stop_all().await;
    assert_eq!(
        *stopped.lock().unwrap(),
        ["hub", "presence", "database maintenance"]
    );
}

/// Collects what the runner logs.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn a_service_that_hangs_in_stop_is_abandoned_after_the_bound_and_logged() {
    let logs = Captured::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _logging = tracing::subscriber::set_default(subscriber);

    let stopped = Arc::new(Mutex::new(Vec::new()));
    let dropped = Arc::new(AtomicBool::new(false));
    let bound = Duration::from_millis(200);
    let mut services = Services::new(bound);
    services.start(recorder("before", &stopped));
    services.start(Stuck {
        dropped: dropped.clone(),
    });
    tokio::task::yield_now().await;

    let started = Instant::now();
    services.stop_all().await;
    let took = started.elapsed();

    assert!(took >= bound, "gave up before the bound: {took:?}");
    assert!(took < bound * 5, "waited far past the bound: {took:?}");
    tokio::task::yield_now().await;
    assert!(
        dropped.load(Ordering::SeqCst),
        "the stuck task was not aborted"
    );
    // The services started before it still stop.
    assert_eq!(*stopped.lock().unwrap(), ["before"]);
    let logs = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    let abandoned = logs
        .lines()
        .find(|l| l.contains("abandoned"))
        .unwrap_or_else(|| panic!("nothing logged the abandon:\n{logs}"));
    assert!(abandoned.contains("ERROR"), "{abandoned}");
    assert!(abandoned.contains("service=\"stuck\""), "{abandoned}");
}
