//! The plugin's HTTP routes under `/plugins/utmost.polls/api/v1/polls/{id}/…`, which the
//! poll's buttons call through the server's post actions (body: Mattermost's
//! `PostActionIntegrationRequest`); each answers a `PostActionIntegrationResponse` whose
//! `update` is the poll post's new look, so every member sees it change.

use crate::poll::{self, Poll};
use crate::render;
use utmost_plugin_sdk::{api, json, HttpRequest, HttpResponse, Post, Value};

pub fn serve(request: HttpRequest) -> HttpResponse {
    if request.user_id.is_empty() {
        return HttpResponse::json(401, &json!({ "error": "Sign in first." }));
    }
    let body: Value = serde_json::from_str(&request.body).unwrap_or(Value::Null);
    let parts: Vec<&str> = request.path.trim_matches('/').split('/').collect();
    let answer = match parts[..] {
        ["api", "v1", "polls", id, "vote", index] => match index.parse() {
            Ok(index) => vote(id, &request.user_id, index),
            Err(_) => Err("That answer is not part of this poll.".into()),
        },
        ["api", "v1", "polls", id, "option", "add"] => open_add_dialog(id, &body),
        ["api", "v1", "polls", id, "option", "add", "submit"] => {
            return add_option(id, &request.user_id, &body)
        }
        ["api", "v1", "polls", id, "end"] => end(id, &request.user_id),
        ["api", "v1", "polls", id, "delete"] => delete(id, &request.user_id),
        _ => return HttpResponse::json(404, &json!({ "error": "Not found." })),
    };
    HttpResponse::json(
        200,
        &answer.unwrap_or_else(|message| json!({ "ephemeral_text": message })),
    )
}

/// The poll post as it now looks, and a line for the voter.
fn updated(poll: &Poll, ephemeral: &str) -> Result<Value, String> {
    let creator = api::get_user(&poll.creator_id)
        .map(|u| u.username)
        .unwrap_or_default();
    let voters: Vec<Vec<String>> = if poll.ended && !poll.settings.anonymous {
        poll.answers
            .iter()
            .map(|a| {
                a.voters
                    .iter()
                    .map(|id| {
                        api::get_user(id)
                            .map(|u| format!("@{}", u.username))
                            .unwrap_or_default()
                    })
                    .collect()
            })
            .collect()
    } else {
        Vec::new()
    };
    let props = render::props(poll, &creator, &voters);
    Ok(json!({ "update": { "message": "", "props": props }, "ephemeral_text": ephemeral }))
}

fn vote(poll_id: &str, user_id: &str, index: usize) -> Result<Value, String> {
    let (poll, said) = poll::update(poll_id, |p| p.vote(user_id, index))?;
    updated(&poll, &said)
}

/// Only the poll's creator and system admins end or delete it.
fn may_manage(poll: &Poll, user_id: &str) -> Result<(), String> {
    if poll.creator_id == user_id {
        return Ok(());
    }
    let user = api::get_user(user_id).map_err(|e| e.to_string())?;
    if user.roles.split_whitespace().any(|r| r == "system_admin") {
        return Ok(());
    }
    Err("Only the poll's creator or a system admin may do this.".into())
}

fn end(poll_id: &str, user_id: &str) -> Result<Value, String> {
    let (poll, ()) = poll::update(poll_id, |p| {
        may_manage(p, user_id)?;
        p.ended = true;
        Ok(())
    })?;
    let thread = Post {
        user_id: api::ensure_bot("poll", "Poll Bot", "Runs the polls of /poll.")
            .map_err(|e| e.to_string())?,
        channel_id: api::get_post(&poll.post_id)
            .map(|p| p.channel_id)
            .map_err(|e| e.to_string())?,
        root_id: poll.post_id.clone(),
        message: format!("The poll **{}** has ended.", poll.question),
        ..Post::default()
    };
    api::create_post(&thread).map_err(|e| e.to_string())?;
    updated(&poll, "The poll has ended.")
}

fn delete(poll_id: &str, user_id: &str) -> Result<Value, String> {
    let poll = Poll::load(poll_id)?;
    may_manage(&poll, user_id)?;
    api::delete_post(&poll.post_id).map_err(|e| e.to_string())?;
    api::kv_delete(&poll::key(poll_id)).map_err(|e| e.to_string())?;
    Ok(json!({ "ephemeral_text": "The poll was deleted." }))
}

/// "Add Option" opens a dialog asking for the answer (public-add-option polls only).
fn open_add_dialog(poll_id: &str, body: &Value) -> Result<Value, String> {
    let poll = Poll::load(poll_id)?;
    if !poll.settings.public_add_option {
        return Err("This poll does not take new answers.".into());
    }
    let trigger_id = body["trigger_id"].as_str().unwrap_or_default();
    let dialog = json!({
        "trigger_id": trigger_id,
        "url": format!("/plugins/{}/api/v1/polls/{poll_id}/option/add/submit", crate::PLUGIN_ID),
        "dialog": {
            "callback_id": poll_id,
            "title": "Add an answer",
            "elements": [{ "display_name": "Answer", "name": "answer", "type": "text", "max_length": poll::MAX_TEXT }],
            "submit_label": "Add",
        },
    });
    api::call::<Value>("OpenInteractiveDialog", dialog).map_err(|e| e.to_string())?;
    Ok(json!({}))
}

/// The dialog's submission: the answer is added and the poll post shows it.
fn add_option(poll_id: &str, user_id: &str, body: &Value) -> HttpResponse {
    let text = body["submission"]["answer"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let added = poll::update(poll_id, |p| p.add_answer(&text)).and_then(|(poll, ())| {
        let mut post = api::get_post(&poll.post_id).map_err(|e| e.to_string())?;
        let creator = api::get_user(&poll.creator_id)
            .map(|u| u.username)
            .unwrap_or_default();
        post.props = render::props(&poll, &creator, &[]);
        api::update_post(&post).map_err(|e| e.to_string())?;
        let note = Post {
            channel_id: post.channel_id,
            message: format!("Your answer \"{text}\" was added."),
            ..Post::default()
        };
        api::send_ephemeral_post(user_id, &note).map_err(|e| e.to_string())
    });
    match added {
        Ok(()) => HttpResponse::json(200, &json!({})),
        Err(message) => HttpResponse::json(200, &json!({ "errors": { "answer": message } })),
    }
}
