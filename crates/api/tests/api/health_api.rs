//! `/system/ping?get_server_status=true` beyond the database and the file store (the search
//! index, the SMTP server, the push proxy, each while in use), and the product notices
//! routes.

use serde_json::json;
use utmost_testkit::smtp::SmtpServer;
use utmost_testkit::{dual_db_test, Client, DbKind, TestServer};

/// A port nothing listens on: a stopped server.
fn closed_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

async fn status(client: &Client) -> serde_json::Value {
    // The overall status covers the database and the file store only, so the ping stays 200.
    client
        .get("/system/ping?get_server_status=true")
        .await
        .expect(200)
        .body
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stopped_smtp_server_shows_in_the_ping() {
    let Some(mut smtp) = SmtpServer::start().await else {
        return;
    };
    let server = TestServer::start(DbKind::Sqlite).await;
    let anon = server.client();
    // Email off: not reported.
    let body = status(&anon).await;
    assert!(body.get("smtp_status").is_none(), "{body}");
    assert_eq!(body["search_status"], "OK");

    let mut config = (*server.app.config()).clone();
    smtp.configure(&mut config);
    server.app.set_config(config);
    let r = anon
        .get("/system/ping?get_server_status=true")
        .await
        .expect(200);
    assert_eq!(r.body["smtp_status"], "OK");
    assert_eq!(r.header("smtp_status"), "OK");

    smtp.stop();
    let r = anon
        .get("/system/ping?get_server_status=true")
        .await
        .expect(200);
    assert_eq!(r.body["smtp_status"], "UNHEALTHY");
    assert_eq!(r.header("smtp_status"), "UNHEALTHY");
    assert_eq!(
        r.body["status"], "OK",
        "a mail outage does not make the node unready"
    );

    smtp.resume().await;
    assert_eq!(status(&anon).await["smtp_status"], "OK");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_push_proxy_shows_in_the_ping() {
    let server = TestServer::start(DbKind::Sqlite).await;
    let anon = server.client();
    assert!(status(&anon).await.get("push_status").is_none());

    // A real HTTP server standing in for the proxy (it answers 404 to everything, as
    // mattermost-push-proxy does at its root).
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let proxy = format!("http://{}", listener.local_addr().unwrap());
    let serving = tokio::spawn(async move {
        axum::serve(listener, axum::Router::new()).await.unwrap();
    });
    let set_proxy = |url: String| {
        let mut config = (*server.app.config()).clone();
        config.email_settings.send_push_notifications = true;
        config.email_settings.push_notification_server = url;
        server.app.set_config(config);
    };
    set_proxy(proxy);
    assert_eq!(status(&anon).await["push_status"], "OK");

    set_proxy(format!("http://127.0.0.1:{}", closed_port()));
    let r = anon
        .get("/system/ping?get_server_status=true")
        .await
        .expect(200);
    assert_eq!(r.body["push_status"], "UNHEALTHY");
    assert_eq!(r.header("push_status"), "UNHEALTHY");
    assert_eq!(r.body["database_status"], "OK");
    serving.abort();
}

dual_db_test!(
    async fn product_notices_are_for_signed_in_users(server) {
        let basic = server.init_basic().await;
        let anon = server.client();
        let team = basic.team_id();
        let notices = format!("/system/notices/{team}?client=web&clientVersion=10.11.0");
        // Outsiders: no session, no notices; and marking them viewed needs one too.
        anon.get(&notices)
            .await
            .expect_error(401, "api.context.session_expired.app_error");
        anon.put("/system/notices/view", json!(["a"]))
            .await
            .expect_error(401, "api.context.session_expired.app_error");

        // A signed-in user gets the (empty) list, as Mattermost without notices.
        let r = basic.client.get(&notices).await.expect(200);
        assert_eq!(r.body, json!([]));
        // Mattermost answers any user for any team id (notices are not team data).
        let (_, outsider) = server.create_user(Some(&basic.admin), "outsider").await;
        assert_eq!(outsider.get(&notices).await.expect(200).body, json!([]));

        let r = basic
            .client
            .put("/system/notices/view", json!(["notice1", "notice2"]))
            .await
            .expect(200);
        assert_eq!(r.body, json!({"status": "OK"}));
        basic
            .client
            .put("/system/notices/view", json!({"not": "an array"}))
            .await
            .expect_error(400, "api.payload.parse.error");
    }
);
