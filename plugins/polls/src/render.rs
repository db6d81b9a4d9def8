//! How a poll looks: one message attachment, its buttons calling this plugin's routes.

use crate::poll::Poll;
use crate::PLUGIN_ID;
use utmost_plugin_sdk::{json, Map, Value};

fn action(id: &str, name: &str, path: &str, style: &str) -> Value {
    json!({
        "id": id,
        "name": name,
        "type": "button",
        "style": style,
        "integration": { "url": format!("/plugins/{PLUGIN_ID}/api/v1/polls/{path}"), "context": {} },
    })
}

/// The poll post's props; `voters` are the usernames of each answer's voters once ended.
pub fn props(poll: &Poll, creator: &str, voters: &[Vec<String>]) -> Map<String, Value> {
    let s = &poll.settings;
    let mut notes = Vec::new();
    if s.anonymous {
        notes.push("anonymous".to_owned());
    }
    if s.progress {
        notes.push("progress".to_owned());
    }
    if s.public_add_option {
        notes.push("public add option".to_owned());
    }
    if s.max_votes > 1 {
        notes.push(format!("{} votes each", s.max_votes));
    }
    let mut text = format!("Total votes: {}", poll.total_votes());
    if !notes.is_empty() {
        text.push_str(&format!("\n**Poll settings**: {}", notes.join(", ")));
    }
    let mut attachment = json!({
        "author_name": format!("Poll by @{creator}"),
        "title": poll.question,
        "fallback": poll.question,
        "text": text,
    });
    if poll.ended {
        attachment["text"] = json!(format!(
            "This poll has ended. Total votes: {}",
            poll.total_votes()
        ));
        let fields: Vec<Value> = poll
            .answers
            .iter()
            .enumerate()
            .map(|(i, a)| {
                let names = voters.get(i).filter(|_| !s.anonymous).map(|v| v.join(", ")).unwrap_or_default();
                json!({ "title": format!("{} ({} votes)", a.text, a.voters.len()), "value": names, "short": true })
            })
            .collect();
        attachment["fields"] = json!(fields);
    } else {
        let mut actions: Vec<Value> = poll
            .answers
            .iter()
            .enumerate()
            .map(|(i, a)| {
                let name = if s.progress {
                    format!("{} ({})", a.text, a.voters.len())
                } else {
                    a.text.clone()
                };
                action(
                    &format!("vote{i}"),
                    &name,
                    &format!("{}/vote/{i}", poll.id),
                    "default",
                )
            })
            .collect();
        if s.public_add_option {
            actions.push(action(
                "addoption",
                "Add Option",
                &format!("{}/option/add", poll.id),
                "default",
            ));
        }
        actions.push(action(
            "endpoll",
            "End Poll",
            &format!("{}/end", poll.id),
            "primary",
        ));
        actions.push(action(
            "deletepoll",
            "Delete Poll",
            &format!("{}/delete", poll.id),
            "danger",
        ));
        attachment["actions"] = json!(actions);
    }
    let mut props = Map::new();
    props.insert("poll_id".into(), json!(poll.id));
    props.insert("attachments".into(), json!([attachment]));
    props
}
