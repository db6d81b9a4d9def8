//! `utmost doctor` as an operator runs it: a rollout set up by the checklist passes every
//! check (after a real `utmost backup`), and a deliberately broken one (an expired
//! certificate, SMTP and the push proxy unreachable, the file store unwritable, open
//! sign-up, never backed up) fails exactly those checks, with a fix for each and a non-zero
//! exit.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::server::free_port;
use common::{DbKind, Instance};
use serde_json::Value;
use std::collections::BTreeSet;
use std::process::Output;
use utmost_testkit::smtp::SmtpServer;

/// A self-signed certificate and its key, valid until `days` from now (negative: expired),
/// written under the instance: (certificate, key).
fn certificate(i: &Instance, name: &str, days: i64) -> (String, String) {
    use openssl::asn1::Asn1Time;
    use openssl::pkey::PKey;
    use openssl::x509::{X509NameBuilder, X509};
    let key = PKey::from_rsa(openssl::rsa::Rsa::generate(2048).unwrap()).unwrap();
    let mut subject = X509NameBuilder::new().unwrap();
    subject
        .append_entry_by_text("CN", "chat.example.com")
        .unwrap();
    let subject = subject.build();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let mut cert = X509::builder().unwrap();
    cert.set_version(2).unwrap();
    cert.set_subject_name(&subject).unwrap();
    cert.set_issuer_name(&subject).unwrap();
    cert.set_pubkey(&key).unwrap();
    cert.set_not_before(&Asn1Time::from_unix(now - 400 * 86_400).unwrap())
        .unwrap();
    cert.set_not_after(&Asn1Time::from_unix(now + days * 86_400).unwrap())
        .unwrap();
    cert.sign(&key, openssl::hash::MessageDigest::sha256())
        .unwrap();
    let cert_path = i.path(&format!("{name}.crt"));
    let key_path = i.path(&format!("{name}.key"));
    std::fs::write(&cert_path, cert.build().to_pem().unwrap()).unwrap();
    std::fs::write(&key_path, key.private_key_to_pem_pkcs8().unwrap()).unwrap();
    (
        cert_path.to_string_lossy().into_owned(),
        key_path.to_string_lossy().into_owned(),
    )
}

/// The settings of a listener that speaks TLS with `cert`.
fn tls_settings((cert, key): (String, String)) -> Vec<(&'static str, String)> {
    vec![
        ("MM_SERVICESETTINGS_CONNECTIONSECURITY", "TLS".into()),
        ("MM_SERVICESETTINGS_TLSCERTFILE", cert),
        ("MM_SERVICESETTINGS_TLSKEYFILE", key),
    ]
}

/// A push proxy stand-in that answers every request: the doctor only asks whether the
/// configured address answers HTTP.
async fn push_proxy() -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let mut head = [0u8; 4096];
            let _ = stream.read(&mut head).await;
            let answer = "HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok";
            let _ = stream.write_all(answer.as_bytes()).await;
        }
    });
    format!("http://{addr}")
}

/// `utmost doctor --json`'s findings, by code, with the process's outcome.
fn doctor(i: &Instance) -> (Output, Vec<Value>) {
    let out = i.run(&["doctor", "--json"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let report: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!(
            "doctor printed no JSON ({e}):\n{stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let findings = report["findings"].as_array().unwrap().clone();
    (out, findings)
}

fn codes(findings: &[Value], verdict: &str) -> BTreeSet<String> {
    findings
        .iter()
        .filter(|f| f["verdict"] == verdict)
        .map(|f| f["code"].as_str().unwrap().to_string())
        .collect()
}

/// The settings of a rollout that follows the checklist, but for SMTP and push.
fn checklist_settings() -> Vec<(&'static str, String)> {
    [
        ("MM_SERVICESETTINGS_SITEURL", "https://chat.example.com"),
        ("MM_SERVICESETTINGS_ENABLEMULTIFACTORAUTHENTICATION", "true"),
        (
            "MM_SERVICESETTINGS_ENFORCEMULTIFACTORAUTHENTICATION",
            "true",
        ),
        (
            "MM_SQLSETTINGS_ATRESTENCRYPTKEY",
            "doctor-test-key-0123456789abcdef",
        ),
        ("MM_RATELIMITSETTINGS_ENABLE", "true"),
        ("MM_METRICSSETTINGS_ENABLE", "true"),
        ("MM_PASSWORDSETTINGS_MINIMUMLENGTH", "12"),
        ("MM_TEAMSETTINGS_ENABLEOPENSERVER", "false"),
    ]
    .into_iter()
    .map(|(k, v)| (k, v.to_string()))
    .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rollout_set_up_by_the_checklist_passes() {
    let Some(i) = Instance::new(DbKind::Postgres).await else {
        return;
    };
    let Some(smtp) = SmtpServer::start().await else {
        return;
    };
    let push = push_proxy().await;
    let mut env = checklist_settings();
    env.extend(tls_settings(certificate(&i, "good", 90)));
    env.extend([
        ("MM_EMAILSETTINGS_SENDEMAILNOTIFICATIONS", "true".into()),
        ("MM_EMAILSETTINGS_SMTPSERVER", "127.0.0.1".into()),
        ("MM_EMAILSETTINGS_SMTPPORT", smtp.port.to_string()),
        ("MM_EMAILSETTINGS_CONNECTIONSECURITY", String::new()),
        ("MM_EMAILSETTINGS_SENDPUSHNOTIFICATIONS", "true".into()),
        ("MM_EMAILSETTINGS_PUSHNOTIFICATIONSERVER", push),
    ]);
    let i = i.with_env(env);
    // Before any backup, that is the one failure.
    let (_, before) = doctor(&i);
    assert_eq!(
        codes(&before, "fail"),
        BTreeSet::from(["BACKUP_NONE".to_string()]),
        "{before:#?}"
    );

    let dest = i.path("backup");
    let backup = i.run(&["backup", dest.to_str().unwrap()]);
    assert!(
        backup.status.success(),
        "{}",
        String::from_utf8_lossy(&backup.stderr)
    );
    let (out, findings) = doctor(&i);
    assert!(out.status.success(), "{findings:#?}");
    let not_passed: Vec<&Value> = findings.iter().filter(|f| f["verdict"] != "pass").collect();
    assert!(not_passed.is_empty(), "{not_passed:#?}");
    for code in [
        "SITE_URL_OK",
        "TLS_OK",
        "SMTP_OK",
        "PUSH_OK",
        "FILES_OK",
        "DB_OK",
        "BACKUP_RECENT",
        "METRICS_ON",
        "MFA_ENFORCED",
    ] {
        assert!(
            codes(&findings, "pass").contains(code),
            "{code}: {findings:#?}"
        );
    }
    let recent = findings
        .iter()
        .find(|f| f["code"] == "BACKUP_RECENT")
        .unwrap();
    assert!(
        recent["detail"]
            .as_str()
            .unwrap()
            .contains(dest.to_str().unwrap()),
        "{recent}"
    );
    assert!(
        findings.iter().all(|f| f["fix"] == ""),
        "a pass needs no fix"
    );

    // The SMTP check by a real message: Mattermost's test email, captured by the server.
    let created = i.run(&[
        "user",
        "create",
        "--email",
        "ops@example.com",
        "--username",
        "ops",
        "--password",
        "Password-1234",
    ]);
    assert!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );
    let out = i.run(&["doctor", "--test-email", "ops", "--json"]);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let sent = report["findings"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(sent["code"], "SMTP_TEST_SENT", "{sent}");
    assert!(out.status.success());
    let mail = smtp.wait_for("ops@example.com", 1).await;
    assert_eq!(mail.len(), 1);

    // The table for people: a line per check.
    let table = i.run(&["doctor"]);
    let text = String::from_utf8_lossy(&table.stdout);
    assert!(table.status.success());
    assert_eq!(
        text.lines().filter(|l| l.starts_with("PASS")).count(),
        findings.len(),
        "{text}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_broken_rollout_fails_exactly_what_is_broken() {
    let i = Instance::new(DbKind::Sqlite).await.unwrap();
    // The file store's directory is a regular file: nothing can be written under it (a
    // permission check would not hold: the tests may run as root). The database and the
    // search index live elsewhere.
    let in_the_way = i.path("in-the-way");
    std::fs::write(&in_the_way, "not a directory").unwrap();
    let mut env = checklist_settings();
    env.extend(tls_settings(certificate(&i, "expired", -1)));
    env.extend([
        (
            "MM_SQLSETTINGS_DATASOURCE",
            i.path("utmost.db").to_string_lossy().into_owned(),
        ),
        (
            "MM_BLEVESETTINGS_INDEXDIR",
            i.path("index").to_string_lossy().into_owned(),
        ),
        (
            "MM_FILESETTINGS_DIRECTORY",
            in_the_way.to_string_lossy().into_owned(),
        ),
        ("MM_TEAMSETTINGS_ENABLEOPENSERVER", "true".into()),
        ("MM_EMAILSETTINGS_SENDEMAILNOTIFICATIONS", "true".into()),
        ("MM_EMAILSETTINGS_SMTPSERVER", "127.0.0.1".into()),
        ("MM_EMAILSETTINGS_SMTPPORT", free_port().to_string()),
        ("MM_EMAILSETTINGS_CONNECTIONSECURITY", String::new()),
        ("MM_EMAILSETTINGS_SENDPUSHNOTIFICATIONS", "true".into()),
        (
            "MM_EMAILSETTINGS_PUSHNOTIFICATIONSERVER",
            format!("http://127.0.0.1:{}", free_port()),
        ),
    ]);
    let i = i.with_env(env);
    let (out, findings) = doctor(&i);
    assert!(!out.status.success(), "a failed check fails the command");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("6 check(s) failed"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        codes(&findings, "fail"),
        [
            "BACKUP_NONE",
            "FILES_UNWRITABLE",
            "PUSH_UNREACHABLE",
            "SIGN_UP_OPEN",
            "SMTP_UNREACHABLE",
            "TLS_CERT_EXPIRED",
        ]
        .into_iter()
        .map(String::from)
        .collect::<BTreeSet<_>>(),
        "{findings:#?}"
    );
    assert!(codes(&findings, "warn").is_empty(), "{findings:#?}");
    for failed in findings.iter().filter(|f| f["verdict"] == "fail") {
        assert_ne!(
            failed["fix"], "",
            "every failure says how to fix it: {failed}"
        );
    }
    // The people's table ends with the fixes.
    let text = String::from_utf8_lossy(&i.run(&["doctor"]).stdout).into_owned();
    assert!(text.contains("To fix:"), "{text}");
    assert!(
        text.contains("- Open sign-up: Turn TeamSettings.EnableOpenServer off"),
        "{text}"
    );
}
