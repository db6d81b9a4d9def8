//! The audit log (Mattermost's `audits` table and its audit log file; `docs/audit.md`).
//!
//! `record` is called once an audited action has finished: after its transaction committed
//! (status success) or once it was refused (status fail). It writes one row to `audits`,
//! Mattermost's legacy table that `/audits` and `/users/{user_id}/audits` read, and, with
//! `ExperimentalAuditSettings.FileEnabled`, queues one JSON line for the `audit file`
//! service (`file`), which chains each line to the one before it by its SHA-256.
//!
//! The API records every audited route in one place (`api::audit`, a table of routes and
//! Mattermost's event names); code that audits something outside a request (a config change
//! made by an admin command, say) builds an [`AuditRecord`] and calls [`record`].

pub mod file;

use crate::App;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;
use tokio::sync::mpsc;
use utmost_model::audit::Audit;
use utmost_model::{new_id, now_millis};

/// How an audited action ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Success,
    Fail,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Success => "success",
            Status::Fail => "fail",
        }
    }
}

/// Who acted (Mattermost's `actor`): empty strings when unknown (a failed sign-in has no
/// user yet).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub user_id: String,
    pub session_id: String,
    /// The client's `User-Agent`.
    pub client: String,
    /// The address the connection came from.
    pub ip_address: String,
    /// The `X-Forwarded-For` header as sent (a proxy's view of the client), or empty.
    pub x_forwarded_for: String,
}

/// What the action was about (Mattermost's `event`). Every value is a string, so each
/// field keeps one type in every record.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventData {
    pub parameters: BTreeMap<String, String>,
    pub prior_state: BTreeMap<String, String>,
    pub resulting_state: BTreeMap<String, String>,
    pub object_type: String,
}

/// Why an action failed; empty and 0 for a success.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorData {
    /// Mattermost's error id (`api.user.login.invalid_credentials_email_username`).
    pub description: String,
    pub status_code: i64,
}

/// Where the record came from (Mattermost's `meta`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meta {
    /// The request path (`/api/v4/users/login`), or the command for an admin command.
    pub api_path: String,
    pub http_method: String,
}

/// One audited action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRecord {
    /// Mattermost's event name (`login`, `updateUserRoles`, `patchConfig`).
    pub event_name: String,
    pub status: Status,
    pub actor: Actor,
    pub meta: Meta,
    pub event: EventData,
    pub error: ErrorData,
}

/// One line of the audit file: the record, its place in the chain and the hash of the line
/// before it. The field order is the order written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileLine {
    /// 1 for the first record ever written to the file chain, then one more per line.
    pub seq: u64,
    /// RFC 3339, UTC, milliseconds.
    pub timestamp: String,
    /// The `audits` row of the same record.
    pub id: String,
    pub event_name: String,
    pub status: Status,
    pub actor: Actor,
    pub meta: Meta,
    pub event: EventData,
    pub error: ErrorData,
    /// The hex SHA-256 of the previous line's bytes (without its newline); 64 zeros for the
    /// first line of the chain.
    pub prev_hash: String,
}

/// What a record waits as in the queue: everything but its place in the chain.
#[derive(Debug)]
pub(crate) struct Pending {
    id: String,
    create_at: i64,
    record: AuditRecord,
}

/// How long `record` waits for room in a full queue before it drops the line.
pub const QUEUE_WAIT: Duration = Duration::from_millis(100);

/// The queue between the requests and the `audit file` service.
pub struct AuditLog {
    tx: mpsc::Sender<Pending>,
    rx: Mutex<Option<mpsc::Receiver<Pending>>>,
    dropped: AtomicU64,
}

impl AuditLog {
    pub(crate) fn new(config: &utmost_config::Config) -> Self {
        let size = config
            .experimental_audit_settings
            .file_max_queue_size
            .clamp(1, 1_000_000);
        let (tx, rx) = mpsc::channel(usize::try_from(size).unwrap_or(1000));
        Self {
            tx,
            rx: Mutex::new(Some(rx)),
            dropped: AtomicU64::new(0),
        }
    }

    /// The file lines dropped so far because the queue stayed full.
    pub fn dropped(&self) -> u64 {
        self.dropped.load(Ordering::Relaxed)
    }

    pub(crate) fn take_receiver(&self) -> Option<mpsc::Receiver<Pending>> {
        self.rx.lock().ok().and_then(|mut rx| rx.take())
    }
}

/// The legacy row's `extrainfo`: `<event> success|failure`, the error id, then the
/// parameters as `key=value`.
fn extra_info(record: &AuditRecord) -> String {
    let mut info = format!(
        "{} {}",
        record.event_name,
        match record.status {
            Status::Success => "success",
            Status::Fail => "failure",
        }
    );
    if !record.error.description.is_empty() {
        info.push_str(" error=");
        info.push_str(&record.error.description);
    }
    for (key, value) in &record.event.parameters {
        info.push(' ');
        info.push_str(key);
        info.push('=');
        info.push_str(value);
    }
    info
}

/// Records one finished action: its `audits` row now, and its file line through the
/// `audit file` service. Never fails the caller: a row that cannot be written is logged.
pub async fn record(app: &App, record: AuditRecord) {
    let row = Audit {
        id: new_id(),
        create_at: now_millis(),
        user_id: record.actor.user_id.clone(),
        action: record.meta.api_path.clone(),
        extra_info: extra_info(&record),
        ip_address: record.actor.ip_address.clone(),
        session_id: record.actor.session_id.clone(),
    };
    if let Err(e) = utmost_store::audits::insert(&app.store, &row).await {
        tracing::error!(event = %record.event_name, error = %e, "could not write an audit row");
    }
    if !app.config().experimental_audit_settings.file_enabled {
        return;
    }
    let pending = Pending {
        id: row.id,
        create_at: row.create_at,
        record,
    };
    let sent = tokio::time::timeout(QUEUE_WAIT, app.audit.tx.send(pending)).await;
    if !matches!(sent, Ok(Ok(()))) {
        let dropped = app.audit.dropped.fetch_add(1, Ordering::Relaxed) + 1;
        tracing::warn!(
            dropped,
            "the audit file's queue stayed full (or its writer stopped); a record was left out of the file (its audits row was written)"
        );
    }
}

/// The audits of every user (`user_id` None) or of one, newest first, a page at a time.
pub async fn page(
    app: &App,
    user_id: Option<&str>,
    page: i64,
    per_page: i64,
) -> crate::AppResult<Vec<Audit>> {
    let per_page = per_page.clamp(0, 200);
    let offset = page.max(0).saturating_mul(per_page);
    Ok(utmost_store::audits::page(&app.store, user_id, offset, per_page).await?)
}
