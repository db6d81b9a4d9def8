//! Helpers every area of the API tests uses.

use serde_json::Value;
use utmost_config::Config;
use utmost_testkit::TestServer;

/// The password `TestServer::create_user` gives every account.
pub const PASSWORD: &str = "Password-1234";

/// Changes the running server's configuration.
pub fn configure(server: &TestServer, change: impl FnOnce(&mut Config)) {
    let mut config = (*server.app.config()).clone();
    change(&mut config);
    server.app.set_config(config);
}

/// The `id` of a Mattermost object, empty when it has none.
pub fn id(v: &Value) -> String {
    v["id"].as_str().unwrap_or_default().to_string()
}

/// Serves `app` on a free port of `ip`: a real HTTP receiver for what the server sends out
/// (webhooks, commands, pushes, link previews).
pub async fn serve_on(ip: &str, app: axum::Router) -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind((ip, 0)).await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    addr
}

/// [`serve_on`] 127.0.0.1.
pub async fn serve_on_loopback(app: axum::Router) -> std::net::SocketAddr {
    serve_on("127.0.0.1", app).await
}
