//! `utmost system status`: mmctl's `system status`, the health the server's ping reports.

use super::local::Local;
use super::output::{emit, Table};
use super::remote::Remote;
use super::GlobalArgs;
use anyhow::bail;
use clap::Subcommand;
use serde_json::{json, Map, Value};
use utmost_app::system;

#[derive(Debug, Subcommand)]
pub enum SystemCommand {
    /// The health of the database, the file store and (when in use) the search index, SMTP
    /// and the push proxy; exits non-zero when the server is unhealthy.
    Status,
}

/// Checks what the configuration names from here, as the ping does on the server.
pub async fn run(global: &GlobalArgs, command: SystemCommand) -> anyhow::Result<()> {
    let json = global.json;
    let SystemCommand::Status = command;
    let status = Local::run(global, async |local: &Local| {
        let app = &local.app;
        let mut status = Map::new();
        let healthy = |ok: bool| json!(if ok { "OK" } else { "UNHEALTHY" });
        status.insert(
            "database_status".into(),
            healthy(system::database_healthy(app).await),
        );
        status.insert(
            "filestore_status".into(),
            healthy(system::filestore_healthy(app).await),
        );
        let optional = [
            ("search_status", system::search_healthy(app).await),
            ("smtp_status", system::smtp_healthy(app).await),
            ("push_status", system::push_healthy(app).await),
        ];
        for (key, result) in optional {
            if let Some(ok) = result {
                status.insert(key.into(), healthy(ok));
            }
        }
        let all_ok = status.values().all(|v| v == "OK");
        status.insert("status".into(), healthy(all_ok));
        Ok(Value::Object(status))
    })
    .await?;
    show(json, &status)
}

/// The ping of a running server (`GET /system/ping?get_server_status=true`).
pub async fn remote(r: &Remote, command: SystemCommand, json: bool) -> anyhow::Result<()> {
    let SystemCommand::Status = command;
    let status: Value = r
        .get("/system/ping?get_server_status=true&use_rest_semantics=true")
        .await?;
    show(json, &status)
}

fn show(json: bool, status: &Value) -> anyhow::Result<()> {
    let keys = [
        "status",
        "database_status",
        "filestore_status",
        "search_status",
        "smtp_status",
        "push_status",
    ];
    let shown: Map<String, Value> = keys
        .iter()
        .filter_map(|k| status.get(*k).map(|v| (k.to_string(), v.clone())))
        .collect();
    emit(json, Value::Object(shown.clone()), || {
        shown
            .iter()
            .fold(Table::new(&["check", "status"]), |t, (k, v)| {
                t.row(vec![k.clone(), v.as_str().unwrap_or_default().to_string()])
            })
    })?;
    if status["status"] != "OK" {
        bail!("the server is unhealthy");
    }
    Ok(())
}
