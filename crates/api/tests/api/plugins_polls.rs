//! The shipped polls plugin end to end: installed and run on start, `/poll` through
//! `/commands/execute` (the plugin's command), votes through the poll post's buttons (post
//! actions routed to the plugin's `ServeHTTP`), the post updated for everyone, the vote
//! rules, and ending the poll by its creator only.

use crate::commands_support::execute;
use crate::posts_support::newest_posts;
use serde_json::{json, Value};
use std::time::Duration;
use utmost_testkit::{Basic, Client, DbKind, TestServer};

/// Compiling the module takes seconds on a loaded machine.
async fn polls_running(admin: &Client) {
    for _ in 0..600 {
        let statuses = admin.get("/plugins/statuses").await.expect(200).body;
        let running = statuses.as_array().is_some_and(|s| {
            s.iter()
                .any(|s| s["plugin_id"] == "utmost.polls" && s["state"] == 2)
        });
        if running {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the shipped polls plugin did not start");
}

async fn poll_post(basic: &Basic) -> Value {
    let posts = newest_posts(&basic.admin, basic.channel_id()).await;
    posts
        .into_iter()
        .find(|p| p["props"]["poll_id"].is_string())
        .expect("a poll post")
}

fn buttons(post: &Value) -> Vec<String> {
    post["props"]["attachments"][0]["actions"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|b| b["name"].as_str().unwrap_or("").to_owned())
                .collect()
        })
        .unwrap_or_default()
}

async fn click(client: &Client, post: &Value, action: &str) -> Value {
    let path = format!("/posts/{}/actions/{action}", post["id"].as_str().unwrap());
    client.post(&path, json!({})).await.expect(200).body
}

async fn polls(kind: DbKind) {
    let server = TestServer::start_with(kind, |c| {
        c.plugin_settings.automatic_prepackaged_plugins = true
    })
    .await;
    let basic = server.init_basic().await;
    polls_running(&basic.admin).await;

    let help = execute(&basic.client, &basic, "/poll")
        .await
        .expect(200)
        .body;
    assert!(
        help["text"].as_str().unwrap().contains("To create a poll"),
        "{help}"
    );
    execute(
        &basic.client,
        &basic,
        r#"/poll "Lunch where?" "Pizza" "Sushi" --progress"#,
    )
    .await
    .expect(200);
    let post = poll_post(&basic).await;
    assert_eq!(post["props"]["attachments"][0]["title"], "Lunch where?");
    assert_eq!(
        buttons(&post),
        ["Pizza (0)", "Sushi (0)", "End Poll", "Delete Poll"]
    );
    // Clients never see where the buttons lead.
    assert!(post["props"]["attachments"][0]["actions"][0]
        .get("integration")
        .is_none());

    click(&basic.client, &post, "vote0").await;
    click(&basic.client2, &post, "vote0").await;
    let post = poll_post(&basic).await;
    assert_eq!(
        buttons(&post),
        ["Pizza (2)", "Sushi (0)", "End Poll", "Delete Poll"]
    );
    // One vote each: a second vote moves the first.
    click(&basic.client2, &post, "vote1").await;
    let post = poll_post(&basic).await;
    assert_eq!(
        buttons(&post),
        ["Pizza (1)", "Sushi (1)", "End Poll", "Delete Poll"]
    );

    // Only the creator (or a system admin) ends it; then the results replace the buttons.
    click(&basic.client2, &post, "endpoll").await;
    assert_eq!(buttons(&poll_post(&basic).await).len(), 4);
    click(&basic.client, &post, "endpoll").await;
    let ended = poll_post(&basic).await;
    assert!(buttons(&ended).is_empty());
    let fields = &ended["props"]["attachments"][0]["fields"];
    assert_eq!(fields[0]["title"], "Pizza (1 votes)");
    assert_eq!(
        fields[0]["value"],
        format!("@{}", basic.user["username"].as_str().unwrap())
    );
    assert_eq!(
        fields[1]["value"],
        format!("@{}", basic.user2["username"].as_str().unwrap())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite() {
    polls(DbKind::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres() {
    if !TestServer::postgres_available() {
        eprintln!("skipping the PostgreSQL variant: TEST_DATABASE_URL is unset");
        return;
    }
    polls(DbKind::Postgres).await;
}
