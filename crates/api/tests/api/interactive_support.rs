//! Helpers of the interactive message and dialog tests: the integration is a real HTTP
//! receiver on loopback (`webhooks_support::Receiver`), which the server may reach once the
//! test allows 127.0.0.1 as an admin would allow an intranet.

use crate::webhooks_support::Receiver;
use serde_json::{json, Value};
use utmost_testkit::{Client, Resp, TestServer};

/// A receiver the server is allowed to call.
pub async fn integration(server: &TestServer, answers: Value) -> Receiver {
    crate::links_support::allow_internal(server, "127.0.0.1");
    Receiver::start(answers).await
}

/// An attachment with a button (`approve`) and a static menu (`pick`), both calling `url`
/// with a secret context; the menu has no id, for the server to give it one.
pub fn attachment(url: &str) -> Value {
    json!({
        "pretext": "Deploy request",
        "text": "release 1.2",
        "actions": [
            {"id": "approve", "name": "Approve", "type": "button", "style": "primary",
             "integration": {"url": url, "context": {"secret": "s3", "n": 1}}},
            {"name": "Environment", "type": "select",
             "options": [{"text": "Production", "value": "prod"}],
             "integration": {"url": url, "context": {"secret": "s3"}}}
        ]
    })
}

/// Posts `attachments` in `channel_id` as `client`; returns the post as created.
pub async fn post_attachments(client: &Client, channel_id: &str, attachments: Value) -> Value {
    client
        .post(
            "/posts",
            json!({"channel_id": channel_id, "message": "", "props": {"attachments": attachments}}),
        )
        .await
        .expect(201)
        .body
}

/// The `index`th action of the post's first attachment.
pub fn action(post: &Value, index: usize) -> &Value {
    &post["props"]["attachments"][0]["actions"][index]
}

/// `POST /posts/{post_id}/actions/{action_id}`.
pub async fn click(client: &Client, post_id: &str, action_id: &str, body: Value) -> Resp {
    client
        .post(&format!("/posts/{post_id}/actions/{action_id}"), body)
        .await
}

/// The decoded parts of a trigger id: client trigger id, user id, millis.
pub fn trigger_parts(trigger_id: &str) -> (String, String, i64) {
    use data_encoding::BASE64;
    let decoded = String::from_utf8(BASE64.decode(trigger_id.as_bytes()).unwrap()).unwrap();
    let parts: Vec<&str> = decoded.split(':').collect();
    assert_eq!(parts.len(), 4, "{decoded}");
    (parts[0].into(), parts[1].into(), parts[2].parse().unwrap())
}
