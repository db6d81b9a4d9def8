//! `utmost doctor`: the rollout checklist (`utmost_app::doctor`) against the configuration
//! and the services it names; pass, warn or fail with the fix for each, and a non-zero exit
//! when a check fails.

use super::local::Local;
use super::output::Table;
use super::remote::Remote;
use super::GlobalArgs;
use anyhow::anyhow;
use utmost_app::doctor::{self, Report, Verdict};

#[derive(Debug, clap::Args)]
pub struct DoctorArgs {
    /// Also send Mattermost's test email to this user (username, e-mail or id) through the
    /// SMTP settings: the SMTP check by a real message.
    #[arg(long, value_name = "USER")]
    pub test_email: Option<String>,
}

pub async fn run(global: &GlobalArgs, args: DoctorArgs) -> anyhow::Result<()> {
    // The settings as configured: the command's own app quietens its logging.
    let config = global.load_config()?.config;
    let report = Local::run(global, async |local| match &args.test_email {
        None => Ok(doctor::run(&local.app, &config).await),
        Some(key) => {
            let user = local.user(key).await?;
            Ok(doctor::run_with_test_email(&local.app, &config, &user.id).await)
        }
    })
    .await?;
    show(global.json, &report)
}

/// The report of the server `--remote` names (`GET /system/doctor`).
pub async fn remote(r: &Remote, args: DoctorArgs, json: bool) -> anyhow::Result<()> {
    if args.test_email.is_some() {
        return Err(super::remote::local_only("utmost doctor --test-email"));
    }
    show(json, &r.get("/system/doctor").await?)
}

/// Prints the report; an error when a check failed (the command's exit status).
fn show(json: bool, report: &Report) -> anyhow::Result<()> {
    if json {
        println!("{}", serde_json::to_string_pretty(report)?);
    } else {
        println!("{}", render(report));
    }
    let failed = report
        .findings
        .iter()
        .filter(|f| f.verdict == Verdict::Fail)
        .count();
    match failed {
        0 => Ok(()),
        n => Err(anyhow!("{n} check(s) failed")),
    }
}

fn render(report: &Report) -> String {
    let mut table = Table::new(&["verdict", "check", "code", "found"]);
    for f in &report.findings {
        let verdict = match f.verdict {
            Verdict::Pass => "PASS",
            Verdict::Warn => "WARN",
            Verdict::Fail => "FAIL",
        };
        table = table.row(vec![
            verdict.into(),
            f.check.clone(),
            f.code.clone(),
            f.detail.clone(),
        ]);
    }
    let fixes: Vec<String> = report
        .findings
        .iter()
        .filter(|f| !f.fix.is_empty())
        .map(|f| format!("- {}: {}", f.check, f.fix))
        .collect();
    if fixes.is_empty() {
        table.render()
    } else {
        format!("{}\n\nTo fix:\n{}", table.render(), fixes.join("\n"))
    }
}
