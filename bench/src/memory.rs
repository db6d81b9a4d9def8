//! A process's memory as Linux reports it in /proc/<pid>/status: the resident set now
//! (VmRSS) and its peak since the process started (VmHWM), and a sampler that watches VmRSS
//! while a load runs.

use anyhow::Context;
use std::process::Command;
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
        kib_field(&status, name).with_context(|| format!("no {name} in /proc/{pid}/status"))
    };
    Ok(Memory {
        rss_kib: field("VmRSS:")?,
        peak_kib: field("VmHWM:")?,
    })
}

/// Reads VmRSS every `interval` on its own thread (so a busy async runtime does not delay the
/// samples) until `finish`. VmHWM already holds the true peak; the samples show the sampled
/// peak agrees with it and how many points it rests on. A process that passes `limit_kib` is
/// killed (SIGKILL), so that a runaway server cannot push the machine into the OOM killer.
pub struct Sampler {
    stop: Arc<AtomicBool>,
    thread: JoinHandle<anyhow::Result<Sampled>>,
}

#[derive(Debug, Clone, Copy)]
pub struct Sampled {
    pub max_rss_kib: u64,
    pub samples: usize,
    /// The process passed the limit and was killed.
    pub killed: bool,
}

impl Sampler {
    pub fn start(pid: u32, interval: Duration, limit_kib: u64) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let thread = std::thread::spawn(move || {
            let mut sampled = Sampled {
                max_rss_kib: 0,
                samples: 0,
                killed: false,
            };
            while !flag.load(Ordering::Relaxed) && !sampled.killed {
                let rss_kib = read(pid)?.rss_kib;
                sampled.max_rss_kib = sampled.max_rss_kib.max(rss_kib);
                sampled.samples += 1;
                if rss_kib > limit_kib {
                    Command::new("kill")
                        .args(["-KILL", &pid.to_string()])
                        .status()?;
                    sampled.killed = true;
                }
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

/// MemAvailable from /proc/meminfo, in KiB: what the machine can still give a process.
pub fn available_kib() -> anyhow::Result<u64> {
    let meminfo = std::fs::read_to_string("/proc/meminfo").context("reading /proc/meminfo")?;
    kib_field(&meminfo, "MemAvailable:").context("no MemAvailable in /proc/meminfo")
}

/// The value of a `Name:   1234 kB` line.
fn kib_field(text: &str, name: &str) -> Option<u64> {
    text.lines()
        .find_map(|line| line.strip_prefix(name))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
}

pub fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}
