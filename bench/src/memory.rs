//! A process's memory as Linux reports it in /proc/<pid>/status: the resident set now
//! (VmRSS) and its peak since the process started (VmHWM), and a sampler that watches VmRSS
//! while a load runs.

use anyhow::Context;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

/// Resident memory of one process, in KiB.
#[derive(Debug, Clone, Copy)]
pub struct Memory {
    /// VmRSS: resident now.
    pub rss_kib: u64,
    /// VmHWM: the highest VmRSS since the process started (the kernel's own peak).
    pub peak_kib: u64,
}

pub fn read(pid: u32) -> anyhow::Result<Memory> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .with_context(|| format!("reading /proc/{pid}/status"))?;
    let field = |name: &str| {
        status
            .lines()
            .find_map(|line| line.strip_prefix(name))
            .and_then(|rest| {
                rest.trim()
                    .trim_end_matches("kB")
                    .trim()
                    .parse::<u64>()
                    .ok()
            })
            .with_context(|| format!("no {name} in /proc/{pid}/status"))
    };
    Ok(Memory {
        rss_kib: field("VmRSS:")?,
        peak_kib: field("VmHWM:")?,
    })
}

/// Reads VmRSS every `interval` on its own thread (so a busy async runtime does not delay the
/// samples) until `finish`. VmHWM already holds the true peak; the samples show the sampled
/// peak agrees with it and how many points it rests on.
pub struct Sampler {
    stop: Arc<AtomicBool>,
    thread: JoinHandle<anyhow::Result<Sampled>>,
}

#[derive(Debug, Clone, Copy)]
pub struct Sampled {
    pub max_rss_kib: u64,
    pub samples: usize,
}

impl Sampler {
    pub fn start(pid: u32, interval: Duration) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let thread = std::thread::spawn(move || {
            let mut sampled = Sampled {
                max_rss_kib: 0,
                samples: 0,
            };
            while !flag.load(Ordering::Relaxed) {
                sampled.max_rss_kib = sampled.max_rss_kib.max(read(pid)?.rss_kib);
                sampled.samples += 1;
                std::thread::sleep(interval);
            }
            Ok(sampled)
        });
        Self { stop, thread }
    }

    pub fn finish(self) -> anyhow::Result<Sampled> {
        self.stop.store(true, Ordering::Relaxed);
        match self.thread.join() {
            Ok(sampled) => sampled,
            Err(_) => anyhow::bail!("the memory sampler panicked"),
        }
    }
}

pub fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}
