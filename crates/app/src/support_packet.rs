//! The support packet (`GET /system/support_packet`, Mattermost's `app/support_packet.go`
//! and `platform/support_packet.go`): a zip of what helps someone diagnose the server,
//! under Mattermost's file names: `metadata.yaml`, `stats.yaml`, `jobs.yaml`,
//! `diagnostics.yaml`, `sanitized_config.json` (every secret masked), `plugins.json` (none
//! run here), the end of `mattermost.log` (at most `LOG_BYTES`), and `warning.txt` naming
//! whatever could not be gathered. Go's profiles (`cpu.prof`, `heap.prof`, `goroutines`)
//! have no equivalent and are left out.

use crate::App;
use serde_json::{json, Map, Value};
use std::io::Write;
use utmost_model::job;
use utmost_store::{backup, search, teams, users, DbKind};

/// The most of the log file a packet carries: its last bytes, from a line's start.
pub const LOG_BYTES: u64 = 16 * 1024 * 1024;

/// How many of each job type's newest jobs `jobs.yaml` lists (Mattermost's).
const JOBS_PER_TYPE: i64 = 5;

/// Mattermost's `CurrentSupportPacketVersion` and `CurrentMetadataVersion`.
const SUPPORT_PACKET_VERSION: i64 = 2;
const METADATA_VERSION: i64 = 1;

/// One packet: its file name and its zip.
pub struct Packet {
    pub file_name: String,
    pub zip: Vec<u8>,
}

/// Gathers the packet; `include_logs` is `basic_server_logs` (default true). What fails to
/// be gathered is named in `warning.txt`, never the whole packet refused.
pub async fn generate(app: &App, include_logs: bool) -> Result<Packet, utmost_model::AppError> {
    let mut warnings: Vec<String> = Vec::new();
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let config = app.config();

    let server_id = crate::system::telemetry_id(app).await.unwrap_or_else(|e| {
        warnings.push(format!("server id: {e}"));
        String::new()
    });
    files.push((
        "metadata.yaml".into(),
        yaml(&json!({
            "version": METADATA_VERSION,
            "type": "support-packet",
            "generated_at": utmost_model::now_millis(),
            "server_version": utmost_model::MATTERMOST_VERSION,
            "server_id": server_id,
            "license_id": "",
            "customer_id": "",
        })),
    ));

    files.push(("stats.yaml".into(), yaml(&stats(app, &mut warnings).await)));
    files.push(("jobs.yaml".into(), yaml(&jobs(app, &mut warnings).await)));
    files.push((
        "diagnostics.yaml".into(),
        yaml(&diagnostics(app, &mut warnings).await),
    ));
    let sanitized = serde_json::to_vec_pretty(&config.to_sanitized_json()).unwrap_or_default();
    files.push(("sanitized_config.json".into(), sanitized));
    files.push((
        "plugins.json".into(),
        serde_json::to_vec_pretty(&json!({"enabled": [], "disabled": []})).unwrap_or_default(),
    ));

    if include_logs && config.log_settings.enable_file {
        let path = crate::logs::file_path(&config.log_settings);
        match tokio::task::spawn_blocking(move || crate::logs::tail(&path, LOG_BYTES)).await {
            Ok(Ok(Some(bytes))) => files.push((crate::logs::LOG_FILENAME.into(), bytes)),
            Ok(Ok(None)) => warnings.push("mattermost log: the log file does not exist yet".into()),
            Ok(Err(e)) => warnings.push(format!("mattermost log: {e}")),
            Err(e) => warnings.push(format!("mattermost log: {e}")),
        }
    } else if include_logs {
        warnings.push(
            "mattermost log: LogSettings.EnableFile is false, so there is no log file".into(),
        );
    }

    if !warnings.is_empty() {
        files.push(("warning.txt".into(), warnings.join("\n").into_bytes()));
    }
    let zip = tokio::task::spawn_blocking(move || write_zip(files))
        .await
        .map_err(|e| utmost_model::AppError::internal("api.unable_to_create_zip_file", e))?
        .map_err(|e| utmost_model::AppError::internal("api.unable_to_create_zip_file", e))?;
    Ok(Packet {
        file_name: file_name(chrono::Utc::now()),
        zip,
    })
}

/// `mm_support_packet_{customer}_{2006-01-02T15-04}.zip`; without a licence the customer
/// is empty.
pub fn file_name(now: chrono::DateTime<chrono::Utc>) -> String {
    format!("mm_support_packet__{}.zip", now.format("%Y-%m-%dT%H-%M"))
}

fn write_zip(files: Vec<(String, Vec<u8>)>) -> std::io::Result<Vec<u8>> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, body) in files {
        zip.start_file(name, options)
            .map_err(std::io::Error::other)?;
        zip.write_all(&body)?;
    }
    Ok(zip.finish().map_err(std::io::Error::other)?.into_inner())
}

/// `stats.yaml`: Mattermost's counts, those this server keeps.
async fn stats(app: &App, warnings: &mut Vec<String>) -> Value {
    let mut stats = Map::new();
    let mut count = |name: &str, value: Result<i64, utmost_store::StoreError>| match value {
        Ok(n) => {
            stats.insert(name.into(), json!(n));
        }
        Err(e) => warnings.push(format!("{name}: {e}")),
    };
    count("registered_users", users::count_all(&app.store).await);
    count("active_users", users::count_active_users(&app.store).await);
    count("posts", search::count_posts(&app.store).await);
    count(
        "teams",
        teams::count(&app.store, teams::OpenInvite::Any).await,
    );
    Value::Object(stats)
}

/// `jobs.yaml`: the newest jobs of each type Mattermost lists.
async fn jobs(app: &App, warnings: &mut Vec<String>) -> Value {
    let mut lists = Map::new();
    for (key, job_type) in [
        ("ldap_sync_jobs", job::TYPE_LDAP_SYNC),
        ("data_retention_jobs", job::TYPE_DATA_RETENTION),
        ("message_export_jobs", job::TYPE_MESSAGE_EXPORT),
        (
            "elastic_post_indexing_jobs",
            job::TYPE_ELASTICSEARCH_POST_INDEXING,
        ),
        (
            "elastic_post_aggregation_jobs",
            job::TYPE_ELASTICSEARCH_POST_AGGREGATION,
        ),
        ("bleve_post_indexing_jobs", job::TYPE_BLEVE_POST_INDEXING),
        ("migration_jobs", "migrations"),
    ] {
        match crate::jobs::list(app, &[job_type], None, 0, JOBS_PER_TYPE).await {
            Ok(list) => {
                lists.insert(
                    key.into(),
                    serde_json::to_value(list).unwrap_or(Value::Null),
                );
            }
            Err(e) => warnings.push(format!("{key}: {e}")),
        }
    }
    Value::Object(lists)
}

/// `diagnostics.yaml`: the server, its configuration source, database and file store.
async fn diagnostics(app: &App, warnings: &mut Vec<String>) -> Value {
    let config = app.config();
    let database_type = match app.store.kind() {
        DbKind::Sqlite => "sqlite",
        DbKind::Postgres => "postgres",
    };
    let database_version = match backup::postgres_major_version(&app.store).await {
        Ok(Some(major)) => major.to_string(),
        Ok(None) => "unknown".into(),
        Err(e) => {
            warnings.push(format!("database version: {e}"));
            "unknown".into()
        }
    };
    let schema_version = match backup::schema_version(&app.store).await {
        Ok(v) => v.to_string(),
        Err(e) => {
            warnings.push(format!("database schema version: {e}"));
            String::new()
        }
    };
    let file_ok = crate::system::filestore_healthy(app).await;
    let source = app
        .attached_config_store()
        .map_or("memory", |s| s.describe());
    json!({
        "version": SUPPORT_PACKET_VERSION,
        "server": {
            "os": std::env::consts::OS,
            "architecture": std::env::consts::ARCH,
            "hostname": hostname(),
            "version": utmost_model::MATTERMOST_VERSION,
            "build_hash": utmost_model::UTMOST_VERSION,
            "installation_type": std::env::var("MM_INSTALL_TYPE").unwrap_or_else(|_| "unknown".into()),
            "cpu_cores": std::thread::available_parallelism().map(usize::from).unwrap_or(1),
            "process_id": std::process::id(),
        },
        "config": {"source": source},
        "database": {
            "type": database_type,
            "version": database_version,
            "schema_version": schema_version,
        },
        "file_store": {
            "status": if file_ok { "OK" } else { "FAIL" },
            "driver": config.file_settings.driver_name.clone(),
        },
        "cluster": {
            "id": "",
            "number_of_nodes": 1,
        },
    })
}

/// The host's name (`/proc/sys/kernel/hostname`, else `HOSTNAME`).
fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_string())
        .ok()
        .filter(|h| !h.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_else(|| "unknown".into())
}

/// YAML of a JSON value: block mappings and sequences, every string double-quoted (JSON's
/// quoting is YAML's), so any value reads back as written.
pub fn yaml(value: &Value) -> Vec<u8> {
    let mut out = String::new();
    yaml_into(value, 0, &mut out);
    out.into_bytes()
}

fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::Object(m) if m.is_empty() => Some("{}".into()),
        Value::Array(a) if a.is_empty() => Some("[]".into()),
        Value::Object(_) | Value::Array(_) => None,
        other => Some(other.to_string()),
    }
}

fn yaml_into(value: &Value, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match value {
        Value::Object(map) if !map.is_empty() => {
            for (key, item) in map {
                let key = serde_json::to_string(key).unwrap_or_default();
                match scalar(item) {
                    Some(s) => out.push_str(&format!("{pad}{key}: {s}\n")),
                    None => {
                        out.push_str(&format!("{pad}{key}:\n"));
                        yaml_into(item, indent + 2, out);
                    }
                }
            }
        }
        Value::Array(items) if !items.is_empty() => {
            for item in items {
                match scalar(item) {
                    Some(s) => out.push_str(&format!("{pad}- {s}\n")),
                    None => {
                        out.push_str(&format!("{pad}-\n"));
                        yaml_into(item, indent + 2, out);
                    }
                }
            }
        }
        other => {
            if let Some(s) = scalar(other) {
                out.push_str(&format!("{pad}{s}\n"));
            }
        }
    }
}
