//! The log file as a tracing layer: every event at or under `LogSettings.FileLevel` becomes
//! one line of `mattermost.log`, in Mattermost's shape (`FileJson`: a JSON object with
//! `timestamp`, `level`, `msg`, `caller`, then the event's fields; otherwise its plain
//! text), written at once (no queue to lose at a crash, nothing to flush before a read).
//!
//! `FileLog::apply` takes new settings while the server runs: enabling, disabling, the level
//! (through tracing's interest cache, so a disabled level costs a callsite nothing), the
//! location and the format. The file is opened on the first line after a change.

use super::rotate::{settle, RotatingFile, Rotation};
use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex};
use tracing::field::{Field, Visit};
use tracing::level_filters::LevelFilter;
use tracing::subscriber::Interest;
use tracing::{Event, Level, Metadata, Subscriber};
use tracing_subscriber::layer::{Context, Filter, Layer};

/// What the file layer does under one configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Target {
    path: PathBuf,
    json: bool,
    rotation: Rotation,
}

#[derive(Default)]
struct State {
    target: Option<Target>,
    file: Option<RotatingFile>,
    /// The path that could not be opened, so the failure is told once, not per line.
    failed: Option<PathBuf>,
}

/// The file log's settings in force; shared by the layer and whoever applies new settings.
pub struct FileLog {
    level: AtomicU8,
    state: Mutex<State>,
}

impl FileLog {
    /// A file log following `settings` (`EnableFile` off: writes nothing until enabled).
    pub fn new(settings: &utmost_config::LogSettings) -> Arc<FileLog> {
        let log = Arc::new(FileLog {
            level: AtomicU8::new(encode(LevelFilter::OFF)),
            state: Mutex::new(State::default()),
        });
        log.apply(settings);
        log
    }

    /// The layer that writes the file; add it once to the subscriber.
    pub fn layer<S>(self: &Arc<Self>) -> impl Layer<S> + Send + Sync + 'static
    where
        S: Subscriber + for<'a> tracing_subscriber::registry::LookupSpan<'a>,
    {
        FileLayer { log: self.clone() }.with_filter(LevelGate { log: self.clone() })
    }

    /// Takes new settings (at start and after every configuration change).
    pub fn apply(&self, settings: &utmost_config::LogSettings) {
        let level = if settings.enable_file {
            parse_level(&settings.file_level)
        } else {
            LevelFilter::OFF
        };
        let target = settings.enable_file.then(|| Target {
            path: super::file_path(settings),
            json: settings.file_json,
            rotation: Rotation::from_settings(settings),
        });
        if let Ok(mut state) = self.state.lock() {
            if state.target != target {
                let moved =
                    state.target.as_ref().map(|t| &t.path) != target.as_ref().map(|t| &t.path);
                if moved {
                    state.file = None;
                    state.failed = None;
                }
                state.target = target;
            }
        }
        let old = self.level.swap(encode(level), Ordering::SeqCst);
        if old != encode(level) {
            // Callsites cached as never (or always) are asked again.
            tracing::callsite::rebuild_interest_cache();
        }
    }

    fn level(&self) -> LevelFilter {
        decode(self.level.load(Ordering::Relaxed))
    }

    fn write(&self, event: &Event<'_>, request_id: Option<String>) {
        let Ok(mut state) = self.state.lock() else {
            return;
        };
        let Some(target) = state.target.clone() else {
            return;
        };
        let line = if target.json {
            json_line(event, request_id)
        } else {
            plain_line(event, request_id)
        };
        if state.file.is_none() {
            if state.failed.as_ref() == Some(&target.path) {
                return;
            }
            match RotatingFile::open(&target.path) {
                Ok(file) => state.file = Some(file),
                Err(e) => {
                    // Not through tracing: this runs inside the subscriber.
                    eprintln!(
                        "utmost: cannot open the log file {}: {e}",
                        target.path.display()
                    );
                    state.failed = Some(target.path.clone());
                    return;
                }
            }
        }
        let Some(file) = state.file.as_mut() else {
            return;
        };
        match file.write_line(line.as_bytes(), &target.rotation) {
            Ok(Some(rotated)) => {
                let path = target.path.clone();
                let rotation = target.rotation.clone();
                // Bounded one-off work: gzip and prune without holding up the logging thread.
                let _ = std::thread::Builder::new()
                    .name("log rotation".into())
                    .spawn(move || {
                        if let Err(e) = settle(&path, &rotated, &rotation) {
                            tracing::warn!(file = %rotated.display(), error = %e, "could not compress or prune the rotated log files");
                        }
                    });
            }
            Ok(None) => {}
            Err(e) => {
                eprintln!(
                    "utmost: cannot write the log file {}: {e}",
                    target.path.display()
                );
                state.file = None;
            }
        }
    }
}

/// `Level` as a number for the atomic: 0 off, 1 error … 5 trace.
fn encode(level: LevelFilter) -> u8 {
    match level.into_level() {
        None => 0,
        Some(Level::ERROR) => 1,
        Some(Level::WARN) => 2,
        Some(Level::INFO) => 3,
        Some(Level::DEBUG) => 4,
        Some(_) => 5,
    }
}

fn decode(n: u8) -> LevelFilter {
    match n {
        0 => LevelFilter::OFF,
        1 => LevelFilter::ERROR,
        2 => LevelFilter::WARN,
        3 => LevelFilter::INFO,
        4 => LevelFilter::DEBUG,
        _ => LevelFilter::TRACE,
    }
}

/// Mattermost's level names (`DEBUG`, `INFO`, `WARN`, `ERROR`, also `TRACE`, any case;
/// `PANIC`/`FATAL` as error). An unknown name is INFO.
pub fn parse_level(name: &str) -> LevelFilter {
    match name.trim().to_ascii_lowercase().as_str() {
        "trace" => LevelFilter::TRACE,
        "debug" => LevelFilter::DEBUG,
        "warn" | "warning" => LevelFilter::WARN,
        "error" | "panic" | "fatal" | "critical" => LevelFilter::ERROR,
        _ => LevelFilter::INFO,
    }
}

/// The per-layer filter: events at or under the file level reach the file layer.
struct LevelGate {
    log: Arc<FileLog>,
}

impl<S> Filter<S> for LevelGate {
    fn enabled(&self, meta: &Metadata<'_>, _: &Context<'_, S>) -> bool {
        *meta.level() <= self.log.level()
    }

    fn callsite_enabled(&self, meta: &'static Metadata<'static>) -> Interest {
        if *meta.level() <= self.log.level() {
            Interest::always()
        } else {
            Interest::never()
        }
    }

    fn max_level_hint(&self) -> Option<LevelFilter> {
        Some(self.log.level())
    }
}

struct FileLayer {
    log: Arc<FileLog>,
}

/// The request id a `request` span carries (`api::context` opens one per request), kept in
/// the span's extensions so every line logged inside the request can name it.
struct RequestId(String);

/// The name of the span that carries a request's `request_id`.
pub const REQUEST_SPAN: &str = "request";

impl<S> Layer<S> for FileLayer
where
    S: Subscriber + for<'a> tracing_subscriber::registry::LookupSpan<'a>,
{
    fn on_new_span(
        &self,
        attrs: &tracing::span::Attributes<'_>,
        id: &tracing::span::Id,
        ctx: Context<'_, S>,
    ) {
        if attrs.metadata().name() != REQUEST_SPAN {
            return;
        }
        let mut fields = Fields::default();
        attrs.record(&mut fields);
        let found = fields
            .fields
            .into_iter()
            .find_map(|(name, value)| match value {
                serde_json::Value::String(s) if name == "request_id" => Some(s),
                _ => None,
            });
        if let (Some(request_id), Some(span)) = (found, ctx.span(id)) {
            span.extensions_mut().insert(RequestId(request_id));
        }
    }

    fn on_event(&self, event: &Event<'_>, ctx: Context<'_, S>) {
        let request_id = ctx.event_scope(event).and_then(|scope| {
            scope
                .from_root()
                .find_map(|span| span.extensions().get::<RequestId>().map(|r| r.0.clone()))
        });
        self.log.write(event, request_id);
    }
}

/// The event's message and fields, in the order written.
#[derive(Default)]
struct Fields {
    message: String,
    fields: Vec<(&'static str, serde_json::Value)>,
}

impl Visit for Fields {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.message = value.to_string();
        } else {
            self.fields.push((field.name(), value.into()));
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        let text = format!("{value:?}");
        if field.name() == "message" {
            self.message = text;
        } else {
            self.fields.push((field.name(), text.into()));
        }
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        self.fields.push((field.name(), value.into()));
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        self.fields.push((field.name(), value.into()));
    }

    fn record_bool(&mut self, field: &Field, value: bool) {
        self.fields.push((field.name(), value.into()));
    }

    fn record_f64(&mut self, field: &Field, value: f64) {
        self.fields.push((field.name(), value.into()));
    }

    fn record_error(&mut self, field: &Field, value: &(dyn std::error::Error + 'static)) {
        self.fields.push((field.name(), value.to_string().into()));
    }
}

/// Mattermost's timestamp: `2026-01-02 15:04:05.000 Z`.
fn timestamp() -> String {
    chrono::Utc::now()
        .format("%Y-%m-%d %H:%M:%S%.3f Z")
        .to_string()
}

/// Mattermost's level names.
fn level_name(level: &Level) -> &'static str {
    match *level {
        Level::ERROR => "error",
        Level::WARN => "warn",
        Level::INFO => "info",
        Level::DEBUG => "debug",
        _ => "trace",
    }
}

/// Where the event was written, short as Mattermost's `app/server.go:263`: the workspace's
/// own files without `crates/`, others by their last two path parts.
fn caller(meta: &Metadata<'_>) -> String {
    let file = meta.file().unwrap_or_else(|| meta.target());
    let short = match file.strip_prefix("crates/") {
        Some(own) => own.to_string(),
        None => {
            let parts: Vec<&str> = file.rsplit(['/', '\\']).take(2).collect();
            parts.into_iter().rev().collect::<Vec<_>>().join("/")
        }
    };
    match meta.line() {
        Some(line) => format!("{short}:{line}"),
        None => short,
    }
}

/// The event's fields, then the request id of the request it was logged in (unless the
/// event names one itself).
fn fields_of(event: &Event<'_>, request_id: Option<String>) -> Fields {
    let mut fields = Fields::default();
    event.record(&mut fields);
    if let Some(id) = request_id {
        if !fields.fields.iter().any(|(name, _)| *name == "request_id") {
            fields.fields.push(("request_id", id.into()));
        }
    }
    fields
}

/// One JSON line: `{"timestamp","level","msg","caller", fields…}` and a newline.
pub(crate) fn json_line(event: &Event<'_>, request_id: Option<String>) -> String {
    let meta = event.metadata();
    let fields = fields_of(event, request_id);
    let quote = |s: &str| serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into());
    let mut line = format!(
        "{{\"timestamp\":{},\"level\":{},\"msg\":{},\"caller\":{}",
        quote(&timestamp()),
        quote(level_name(meta.level())),
        quote(&fields.message),
        quote(&caller(meta)),
    );
    for (name, value) in &fields.fields {
        let _ = write!(line, ",{}:{}", quote(name), value);
    }
    line.push_str("}\n");
    line
}

/// One plain line: `info  [2026-01-02 15:04:05.000 Z] message   caller="…" key=value`.
pub(crate) fn plain_line(event: &Event<'_>, request_id: Option<String>) -> String {
    let meta = event.metadata();
    let fields = fields_of(event, request_id);
    let mut line = format!(
        "{:<5} [{}] {:<45} caller=\"{}\"",
        level_name(meta.level()),
        timestamp(),
        fields.message.replace(['\r', '\n'], " "),
        caller(meta)
    );
    for (name, value) in &fields.fields {
        match value {
            serde_json::Value::String(s) if !s.contains([' ', '"', '=']) && !s.is_empty() => {
                let _ = write!(line, " {name}={s}");
            }
            other => {
                let _ = write!(line, " {name}={other}");
            }
        }
    }
    line.push('\n');
    line
}
