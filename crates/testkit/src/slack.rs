//! A Slack export written for the tests (made-up people and words): every kind of message
//! the Slack import handles, and a few it must skip and report.
//!
//! Users: `alice`; `Bob.Builder` (no first or last name, only a real name); `carol`
//! (deleted); `dave` (no email); `helpbot` (a bot user); `josé` (a name to sanitise).
//! Conversations: `general` (public; every message kind), `Random_Stuff` (public),
//! `old-project` (public, archived), `secret-plans` (private), a DM of alice and Bob, a group
//! message of alice, Bob and carol, and a folder no list names. Files: `plan.txt` is in
//! `__uploads/`, `missing.png` is not.

use serde_json::{json, Value};
use std::io::Write;

/// `general`'s root message, as Slack writes it.
pub const ROOT_TEXT: &str = "Hello <!channel>, welcome <@U02>! See <#C02|Random_Stuff> and \
     <https://example.org/docs?a=1&amp;b=2|the docs> &lt;3";
/// The same, as the import must write it.
pub const ROOT_MESSAGE: &str = "Hello @channel, welcome @bob.builder! See ~random_stuff and \
     [the docs](https://example.org/docs?a=1&b=2) <3";
/// The characters of a message too long for one post (Mattermost's limit and 10 more).
pub const LONG_MESSAGE_CHARS: usize = 16383 + 10;

fn message(ts: &str, user: &str, text: &str) -> Value {
    json!({"type": "message", "user": user, "text": text, "ts": ts})
}

fn with(mut message: Value, extra: Value) -> Value {
    if let (Some(m), Some(e)) = (message.as_object_mut(), extra.as_object()) {
        m.extend(e.clone());
    }
    message
}

fn general() -> Vec<Value> {
    vec![
        with(
            message("1599999999.000100", "U02", "<@U02> has joined the channel"),
            json!({"subtype": "channel_join"}),
        ),
        with(
            message("1600000000.000200", "U01", ROOT_TEXT),
            json!({"thread_ts": "1600000000.000200", "reply_count": 2,
                "edited": {"user": "U01", "ts": "1600000100.000000"},
                "reactions": [{"name": "+1", "users": ["U02", "U03"], "count": 2},
                              {"name": "thumbsup::skin-tone-2", "users": ["U04"], "count": 1},
                              {"name": "+1::skin-tone-3", "users": ["U02"], "count": 1}]}),
        ),
        with(
            message("1600000001.000300", "U02", "Thanks <!here>"),
            json!({"thread_ts": "1600000000.000200"}),
        ),
        with(
            message(
                "1600000002.000000",
                "U03",
                "Also in the channel <!everyone>",
            ),
            json!({"subtype": "thread_broadcast", "thread_ts": "1600000000.000200"}),
        ),
        with(
            message("1600000003.000000", "U04", "waves"),
            json!({"subtype": "me_message"}),
        ),
        with(
            message("1600000004.000000", "U01", "the plan"),
            json!({"subtype": "file_share", "upload": true, "files": [
                {"id": "F01", "name": "plan.txt", "mimetype": "text/plain",
                 "url_private": "https://files.slack.invalid/F01/plan.txt"},
                {"id": "F02", "name": "missing.png", "mimetype": "image/png",
                 "url_private": "https://files.slack.invalid/F02/missing.png"}]}),
        ),
        json!({"type": "message", "subtype": "bot_message", "bot_id": "B01",
            "username": "deploy-bot", "text": "Deployed", "ts": "1600000005.000000",
            "attachments": [{"fallback": "build 42 passed", "text": "build 42 passed"}]}),
        with(
            message("1600000006.000000", "U05", "I am a bot with a user"),
            json!({"subtype": "bot_message", "bot_id": "B02"}),
        ),
        with(
            message(
                "1600000007.000000",
                "U01",
                "set the channel topic: Company news",
            ),
            json!({"subtype": "channel_topic", "topic": "Company news"}),
        ),
        with(
            message(
                "1600000008.000000",
                "U01",
                "set the channel purpose: Everyone",
            ),
            json!({"subtype": "channel_purpose", "purpose": "Everyone"}),
        ),
        with(
            message(
                "1600000009.000000",
                "USLACKBOT",
                "This message was deleted.",
            ),
            json!({"subtype": "tombstone", "hidden": true, "thread_ts": "1600000009.000000"}),
        ),
        with(
            message("1600000010.000000", "U02", "a reply to a deleted message"),
            json!({"thread_ts": "1600000009.000000"}),
        ),
        with(
            message(
                "1600000011.000000",
                "USLACKBOT",
                "This message was deleted.",
            ),
            json!({"subtype": "tombstone", "hidden": true}),
        ),
        with(
            message("1600000012.000000", "U01", "pinned a message"),
            json!({"subtype": "pinned_item"}),
        ),
        message("1600000013.000000", "U99", "who am I"),
        with(
            message("1600000014.000000", "U04", "<@U04> has left the channel"),
            json!({"subtype": "channel_leave"}),
        ),
        message("1600000015.000000", "U01", &"x".repeat(LONG_MESSAGE_CHARS)),
    ]
}

/// The export's zip.
pub fn export_zip() -> Vec<u8> {
    let users = json!([
        {"id": "U01", "name": "alice", "profile": {"first_name": "Alice", "last_name": "Archer",
            "email": "alice@example.org", "title": "Lead"}},
        {"id": "U02", "name": "Bob.Builder", "real_name": "Bob Builder",
            "profile": {"real_name": "Bob Builder", "email": "bob@example.org"}},
        {"id": "U03", "name": "carol", "deleted": true, "updated": 1_600_001_000,
            "profile": {"first_name": "Carol", "email": "carol@example.org"}},
        {"id": "U04", "name": "dave", "profile": {"first_name": "Dave"}},
        {"id": "U05", "name": "helpbot", "is_bot": true, "profile": {"real_name": "Help Bot"}},
        {"id": "U06", "name": "josé", "profile": {"email": "jose@example.org"}},
    ]);
    let channels = json!([
        {"id": "C01", "name": "general", "created": 1_599_000_000, "creator": "U01",
            "members": ["U01", "U02", "U03", "U04", "U06"],
            "topic": {"value": "Company news"}, "purpose": {"value": "Everyone"}},
        {"id": "C02", "name": "Random_Stuff", "created": 1_599_000_000, "creator": "U01",
            "members": ["U01", "U02"]},
        {"id": "C03", "name": "old-project", "created": 1_599_000_000, "creator": "U01",
            "is_archived": true, "members": ["U01"]},
    ]);
    let groups = json!([
        {"id": "G01", "name": "secret-plans", "created": 1_599_000_000, "creator": "U01",
            "members": ["U01", "U02"], "purpose": {"value": "shh"}},
    ]);
    let dms = json!([{"id": "D01", "created": 1_599_000_000, "members": ["U01", "U02"]}]);
    let mpims = json!([
        {"id": "G02", "name": "mpdm-alice--bob.builder--carol-1", "created": 1_599_000_000,
            "creator": "U01", "members": ["U01", "U02", "U03"]},
    ]);
    let files: Vec<(String, Vec<u8>)> = vec![
        ("users.json".into(), users.to_string().into_bytes()),
        ("channels.json".into(), channels.to_string().into_bytes()),
        ("groups.json".into(), groups.to_string().into_bytes()),
        ("dms.json".into(), dms.to_string().into_bytes()),
        ("mpims.json".into(), mpims.to_string().into_bytes()),
        (
            "general/2020-09-13.json".into(),
            Value::from(general()).to_string().into_bytes(),
        ),
        (
            "Random_Stuff/2020-09-13.json".into(),
            json!([message("1600000100.000000", "U02", "something random")])
                .to_string()
                .into_bytes(),
        ),
        (
            "secret-plans/2020-09-13.json".into(),
            json!([message("1600000200.000000", "U01", "the secret")])
                .to_string()
                .into_bytes(),
        ),
        (
            "D01/2020-09-13.json".into(),
            json!([
                with(
                    message("1600000300.000000", "U01", "hi Bob"),
                    json!({"thread_ts": "1600000300.000000"})
                ),
                with(
                    message("1600000301.000000", "U02", "hi alice"),
                    json!({"thread_ts": "1600000300.000000"})
                ),
            ])
            .to_string()
            .into_bytes(),
        ),
        (
            "mpdm-alice--bob.builder--carol-1/2020-09-13.json".into(),
            json!([with(
                message("1600000400.000000", "U03", "group hello"),
                json!({"reactions": [{"name": "wave", "users": ["U01"], "count": 1}]})
            )])
            .to_string()
            .into_bytes(),
        ),
        (
            "orphan-folder/2020-09-13.json".into(),
            json!([message("1600000500.000000", "U01", "nobody lists me")])
                .to_string()
                .into_bytes(),
        ),
        (
            "__uploads/F01/plan.txt".into(),
            b"step one: import\n".to_vec(),
        ),
    ];
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    for (name, bytes) in files {
        zip.start_file(name, options).expect("a zip entry");
        zip.write_all(&bytes).expect("a zip entry's bytes");
    }
    zip.finish().expect("the zip's end").into_inner()
}
