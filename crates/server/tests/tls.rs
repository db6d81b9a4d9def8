//! `utmost serve` with HTTPS on its own listener (docs/tls.md), as an operator runs it: the
//! settings from `MM_*` variables, a certificate made by the `openssl` command, the :80
//! redirect on a free port, and a clean stop on SIGTERM.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::server::{free_port, log, Server};
use common::{DbKind, Instance};
use std::process::Command;
use std::time::{Duration, Instant};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_speaks_https_redirects_http_and_stops_on_sigterm() {
    let i = Instance::new(DbKind::Sqlite).await.unwrap();
    let (cert, key) = (i.path("server.pem"), i.path("server.key"));
    let made = Command::new("openssl")
        .args(["req", "-x509", "-newkey", "ec", "-pkeyopt"])
        .arg("ec_paramgen_curve:prime256v1")
        .args(["-nodes", "-days", "2", "-subj", "/CN=localhost"])
        .args(["-addext", "subjectAltName=IP:127.0.0.1"])
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .output()
        .unwrap();
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let redirect_port = free_port();
    let i = i.with_env(vec![
        ("MM_SERVICESETTINGS_CONNECTIONSECURITY", "TLS".into()),
        ("MM_SERVICESETTINGS_TLSCERTFILE", cert.display().to_string()),
        ("MM_SERVICESETTINGS_TLSKEYFILE", key.display().to_string()),
        ("MM_SERVICESETTINGS_TLSSTRICTTRANSPORT", "true".into()),
        ("MM_SERVICESETTINGS_FORWARD80TO443", "true".into()),
        (
            "MM_SERVICESETTINGS_FORWARD80TO443LISTENADDRESS",
            format!("127.0.0.1:{redirect_port}"),
        ),
    ]);
    let mut server = Server::spawn(i.command(&["serve"]), &i.path("server.log"));
    let https = server.url.replacen("http://", "https://", 1);
    // The certificate is self-signed: this test is about the binary serving HTTPS, the API
    // tests (crates/api/tests/api/tls.rs) verify certificates against a CA of their own.
    let http = reqwest::Client::builder()
        .danger_accept_invalid_certs(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let ping = format!("{https}/api/v4/system/ping");
    let deadline = Instant::now() + Duration::from_secs(60);
    let answer = loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            panic!("server exited with {status}:\n{}", log(&i));
        }
        if let Ok(answer) = http.get(&ping).send().await {
            break answer;
        }
        assert!(Instant::now() < deadline, "no HTTPS answer:\n{}", log(&i));
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(answer.status(), 200);
    assert_eq!(
        answer.headers()["strict-transport-security"],
        "max-age=63072000"
    );
    // Plain HTTP on the HTTPS port is not served.
    let plain = http
        .get(format!("{}/api/v4/system/ping", server.url))
        .send()
        .await;
    assert!(plain.is_err() || plain.unwrap().status() != 200);

    let moved = http
        .get(format!(
            "http://127.0.0.1:{redirect_port}/channels/town-square?x=1"
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(moved.status(), 301);
    let port = server.url.rsplit_once(':').unwrap().1;
    assert_eq!(
        moved.headers()["location"],
        format!("https://127.0.0.1:{port}/channels/town-square?x=1").as_str()
    );

    let pid = server.child.id().to_string();
    assert!(Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap()
        .success());
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "no stop after SIGTERM:\n{}",
            log(&i)
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(status.success(), "{status}:\n{}", log(&i));
    // The redirect listener closed with the server.
    assert!(std::net::TcpStream::connect(("127.0.0.1", redirect_port)).is_err());
}
