//! Progress of a long command on stderr: a bar with counts, bytes and rate on a terminal
//! (`indicatif`), plain lines otherwise (logs, pipes), one every few seconds.

use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use utmost_app::backup::Progress;

/// How often a plain progress line is printed.
const PLAIN_EVERY: Duration = Duration::from_secs(5);

pub struct Reporter {
    command: &'static str,
    terminal: bool,
    step: Mutex<Option<Step>>,
}

struct Step {
    name: String,
    total: Option<u64>,
    items: u64,
    bytes: u64,
    started: Instant,
    printed: Instant,
    bar: Option<indicatif::ProgressBar>,
}

impl Reporter {
    /// Reports for `command` (the word that starts each plain line).
    pub fn new(command: &'static str) -> Self {
        Self {
            command,
            terminal: std::io::stderr().is_terminal(),
            step: Mutex::new(None),
        }
    }

    /// Ends the last step.
    pub fn finish(&self) {
        if let Ok(mut step) = self.step.lock() {
            if let Some(step) = step.take() {
                self.end(&step);
            }
        }
    }

    fn end(&self, step: &Step) {
        match &step.bar {
            Some(bar) => bar.finish(),
            None => eprintln!("{}: {}: done, {}", self.command, step.name, step.counts()),
        }
    }

    fn bar(name: &str, total: Option<u64>) -> indicatif::ProgressBar {
        let (bar, template) = match total {
            Some(total) => (
                indicatif::ProgressBar::new(total),
                "{prefix} [{bar:30}] {pos}/{len} ({per_sec}), {msg}, {elapsed}, eta {eta}",
            ),
            None => (
                indicatif::ProgressBar::new_spinner(),
                "{prefix} {spinner} {msg} {elapsed}",
            ),
        };
        if let Ok(style) = indicatif::ProgressStyle::with_template(template) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_prefix(name.to_string());
        bar.enable_steady_tick(Duration::from_millis(200));
        bar
    }
}

impl Step {
    fn seconds(&self) -> f64 {
        self.started.elapsed().as_secs_f64().max(0.001)
    }

    fn bytes_and_rate(&self) -> String {
        let mib = self.bytes as f64 / (1024.0 * 1024.0);
        format!("{mib:.1} MiB ({:.1} MiB/s)", mib / self.seconds())
    }

    fn counts(&self) -> String {
        let items = match self.total {
            Some(total) => format!("{}/{total}", self.items),
            None => self.items.to_string(),
        };
        format!(
            "{items} items ({:.1}/s), {}",
            self.items as f64 / self.seconds(),
            self.bytes_and_rate()
        )
    }
}

impl Progress for Reporter {
    fn step(&self, name: &str, total: Option<u64>) {
        let Ok(mut step) = self.step.lock() else {
            return;
        };
        if let Some(previous) = step.take() {
            self.end(&previous);
        }
        let bar = self.terminal.then(|| Self::bar(name, total));
        if bar.is_none() {
            match total {
                Some(total) => eprintln!("{}: {name}: {total} items", self.command),
                None => eprintln!("{}: {name}", self.command),
            }
        }
        let started = Step {
            name: name.to_string(),
            total,
            items: 0,
            bytes: 0,
            started: Instant::now(),
            printed: Instant::now(),
            bar,
        };
        if let Some(bar) = &started.bar {
            bar.set_message(started.bytes_and_rate());
        }
        *step = Some(started);
    }

    fn advance(&self, items: u64, bytes: u64) {
        let Ok(mut step) = self.step.lock() else {
            return;
        };
        let Some(step) = step.as_mut() else {
            return;
        };
        step.items += items;
        step.bytes += bytes;
        match &step.bar {
            Some(bar) => {
                bar.inc(items);
                bar.set_message(step.bytes_and_rate());
            }
            None if step.printed.elapsed() >= PLAIN_EVERY => {
                step.printed = Instant::now();
                eprintln!("{}: {}: {}", self.command, step.name, step.counts());
            }
            None => {}
        }
    }

    fn warn(&self, message: &str) {
        let bar = self.step.lock().ok().and_then(|s| s.as_ref()?.bar.clone());
        match bar {
            Some(bar) => bar.println(format!("warning: {message}")),
            None => eprintln!("{}: warning: {message}", self.command),
        }
    }
}
