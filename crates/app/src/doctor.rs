//! `utmost doctor`: the rollout checklist an administrator works through before go-live,
//! run against the configuration in force and the services it names. Every check gives
//! pass, warn or fail, what it found, and for a warn or a fail the fix. The same report is
//! printed by the command (`--json` for automation), served to admins at
//! `GET /api/v4/system/doctor` and shown in the System Console (docs/doctor.md).
//!
//! The checks of settings alone are in `settings`, the ones that reach a service (SMTP, the
//! push proxy, the file store, the database and its replicas, the search index, the last
//! backup) in `probes`; each probe is bounded by its own timeout.

mod probes;
mod settings;

use crate::App;
use serde::{Deserialize, Serialize};
use utmost_config::Config;

/// How a check came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Pass,
    Warn,
    Fail,
}

/// One check's outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// A stable code for automation, e.g. `SITE_URL_MISSING`; `<AREA>_OK` on a pass.
    pub code: String,
    /// What was checked, e.g. "Site URL".
    pub check: String,
    pub verdict: Verdict,
    /// What was found.
    pub detail: String,
    /// What to do about it; empty on a pass.
    pub fix: String,
}

impl Finding {
    fn new(check: &'static str, verdict: Verdict, code: &str, detail: impl Into<String>) -> Self {
        Self {
            code: code.to_string(),
            check: check.to_string(),
            verdict,
            detail: detail.into(),
            fix: String::new(),
        }
    }

    pub(crate) fn pass(check: &'static str, code: &str, detail: impl Into<String>) -> Self {
        Self::new(check, Verdict::Pass, code, detail)
    }

    pub(crate) fn warn(check: &'static str, code: &str, detail: impl Into<String>) -> Self {
        Self::new(check, Verdict::Warn, code, detail)
    }

    pub(crate) fn fail(check: &'static str, code: &str, detail: impl Into<String>) -> Self {
        Self::new(check, Verdict::Fail, code, detail)
    }

    pub(crate) fn fix(mut self, fix: impl Into<String>) -> Self {
        self.fix = fix.into();
        self
    }
}

/// The whole checklist, in the order an administrator reads it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Report {
    pub findings: Vec<Finding>,
}

impl Report {
    /// The worst verdict of the report (pass for an empty one).
    pub fn worst(&self) -> Verdict {
        self.findings
            .iter()
            .map(|f| f.verdict)
            .max()
            .unwrap_or(Verdict::Pass)
    }
}

/// Runs every check: `config`'s settings, and the services `app` reaches. The server passes
/// its configuration in force; the command the one it loaded, before it quietened its own
/// logging.
pub async fn run(app: &App, config: &Config) -> Report {
    let mut findings = settings::check(config);
    findings.extend(probes::check(app, config).await);
    Report { findings }
}

/// [`run`], and then Mattermost's test email to `user_id` as one more finding.
pub async fn run_with_test_email(app: &App, config: &Config, user_id: &str) -> Report {
    let mut report = run(app, config).await;
    report
        .findings
        .push(probes::test_email(app, config, user_id).await);
    report
}
