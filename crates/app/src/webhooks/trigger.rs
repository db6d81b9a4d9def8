//! Outgoing webhooks firing (`handleWebhookEvents`, `TriggerWebhook`). `Trigger`, a bus
//! subscriber of local events only (so one node, the writing one, fires for a post in a
//! cluster, as pushes), queues each new user post of a public channel while
//! `EnableOutgoingWebhooks` is on; the `outgoing webhooks` service reads the team's hooks,
//! picks those the post triggers (the hook's channel without trigger words, or a first word
//! that matches), POSTs Mattermost's payload to every callback URL through `outgoing` (so
//! internal addresses stay refused), and posts each answer with text or attachments back
//! as a webhook post. The queue is bounded and a full one drops: a post never waits on a
//! callback.

use super::post::{self as hook_post, WebhookPost};
use super::slack;
use crate::bus::{Event, Subscriber};
use crate::services::{Run, Service, Stop};
use crate::App;
use futures_util::future::BoxFuture;
use serde_json::Value;
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::task::JoinSet;
use utmost_model::channel::Channel;
use utmost_model::post::{Post, PROP_FROM_WEBHOOK};
use utmost_model::webhook::{
    OutgoingWebhook, OutgoingWebhookPayload, OutgoingWebhookResponse, CONTENT_TYPE_FORM,
    CONTENT_TYPE_JSON, RESPONSE_TYPE_COMMENT,
};
use utmost_store::webhooks::{self as store, Scope};

/// Posts waiting for their hooks; beyond this a post's hooks are dropped (and logged).
const QUEUE: usize = 1024;
/// Posts whose hooks are being called at once.
const IN_FLIGHT: usize = 16;
/// Tries of one callback: a connection failure, a timeout or a 5xx answer is tried again
/// after 500 ms, then 1 s; anything else is final.
const TRIES: u32 = 3;
const FIRST_BACKOFF: Duration = Duration::from_millis(500);
/// `MaxIntegrationResponseSize`.
const MAX_RESPONSE: usize = 1024 * 1024;

/// A post that may trigger hooks, and its channel.
pub struct Job {
    post: Post,
    channel: Channel,
}

/// The queue between the subscriber and the service.
pub struct Queue {
    jobs: mpsc::Sender<Job>,
    receiver: Mutex<Option<mpsc::Receiver<Job>>>,
}

impl Default for Queue {
    fn default() -> Self {
        let (jobs, receiver) = mpsc::channel(QUEUE);
        Queue {
            jobs,
            receiver: Mutex::new(Some(receiver)),
        }
    }
}

impl Queue {
    /// The service that empties the queue; `None` once it was made.
    pub(crate) fn service(&self, app: Weak<App>) -> Option<OutgoingWebhooks> {
        let jobs = self.receiver.lock().ok()?.take()?;
        Some(OutgoingWebhooks { app, jobs })
    }
}

/// The bus subscriber (registered among the local ones).
pub struct Trigger;

impl Subscriber for Trigger {
    fn name(&self) -> &'static str {
        "outgoing webhooks"
    }

    fn on_event<'a>(&'a self, app: &'a App, event: &'a Event) -> BoxFuture<'a, ()> {
        Box::pin(async move {
            let Event::PostCreated { post, channel, .. } = event else {
                return;
            };
            // Webhook posts (an answer among them) and system messages trigger nothing.
            if !app.config().service_settings.enable_outgoing_webhooks
                || !channel.is_open()
                || post.is_system_message()
                || post.props.contains_key(PROP_FROM_WEBHOOK)
            {
                return;
            }
            let job = Job {
                post: post.clone(),
                channel: channel.clone(),
            };
            if let Err(mpsc::error::TrySendError::Full(_)) = app.outgoing_hooks.jobs.try_send(job) {
                tracing::warn!(post_id = %post.id, "the outgoing webhook queue is full; a post's hooks were not called");
            }
        })
    }
}

pub struct OutgoingWebhooks {
    app: Weak<App>,
    jobs: mpsc::Receiver<Job>,
}

impl Service for OutgoingWebhooks {
    fn name(&self) -> &'static str {
        "outgoing webhooks"
    }

    fn run(mut self: Box<Self>, mut stop: Stop) -> Run {
        Box::pin(async move {
            let mut firing = JoinSet::new();
            loop {
                if firing.len() >= IN_FLIGHT {
                    tokio::select! {
                        () = stop.requested() => break,
                        _ = firing.join_next() => continue,
                    }
                }
                let job = tokio::select! {
                    () = stop.requested() => break,
                    Some(_) = firing.join_next(), if !firing.is_empty() => continue,
                    job = self.jobs.recv() => job,
                };
                let (Some(job), Some(app)) = (job, self.app.upgrade()) else {
                    break;
                };
                firing.spawn(async move { fire(app, job).await });
            }
            let abandoned = firing.len() + self.jobs.len();
            if abandoned > 0 {
                tracing::info!(abandoned, "outgoing webhooks not called at shutdown");
            }
        })
    }
}

/// The hooks `post` triggers, each with its trigger word ("" for a channel's hook without
/// trigger words).
pub fn triggered<'h>(
    hooks: &'h [OutgoingWebhook],
    post: &Post,
) -> Vec<(&'h OutgoingWebhook, String)> {
    let first_word = post.message.split_whitespace().next().unwrap_or("");
    hooks
        .iter()
        .filter(|h| h.channel_id == post.channel_id || h.channel_id.is_empty())
        .filter_map(|h| {
            if h.channel_id == post.channel_id && h.trigger_words.is_empty() {
                Some((h, String::new()))
            } else {
                h.matched_trigger(first_word).map(|w| (h, w.to_string()))
            }
        })
        .collect()
}

async fn fire(app: Arc<App>, job: Job) {
    if let Err(e) = fire_hooks(&app, &job).await {
        tracing::error!(post_id = %job.post.id, error = %e, "outgoing webhooks not called");
    }
}

async fn fire_hooks(app: &Arc<App>, job: &Job) -> crate::AppResult<()> {
    let team_scope = Scope {
        team_id: Some(&job.channel.team_id),
        ..Scope::default()
    };
    let hooks = store::list_outgoing(&app.store, &team_scope, -1, 0).await?;
    let chosen = triggered(&hooks, &job.post);
    if chosen.is_empty() {
        return Ok(());
    }
    let team_name = utmost_store::teams::get(&app.store, &job.channel.team_id)
        .await?
        .map(|t| t.name)
        .unwrap_or_default();
    let user_name = crate::caches::users::get(app, &job.post.user_id)
        .await?
        .map(|u| u.username.clone())
        .unwrap_or_default();
    let mut calls = JoinSet::new();
    for (hook, trigger_word) in chosen {
        let payload = OutgoingWebhookPayload {
            token: hook.token.clone(),
            team_id: hook.team_id.clone(),
            team_domain: team_name.clone(),
            channel_id: job.post.channel_id.clone(),
            channel_name: job.channel.name.clone(),
            timestamp: job.post.create_at,
            user_id: job.post.user_id.clone(),
            user_name: user_name.clone(),
            post_id: job.post.id.clone(),
            text: job.post.message.clone(),
            trigger_word,
            file_ids: job.post.file_ids.join(","),
        };
        let (content_type, body) = if hook.sends_json() {
            (
                CONTENT_TYPE_JSON,
                serde_json::to_vec(&payload).unwrap_or_default(),
            )
        } else {
            let mut form = url::form_urlencoded::Serializer::new(String::new());
            for (name, value) in payload.form_fields() {
                form.append_pair(name, &value);
            }
            (CONTENT_TYPE_FORM, form.finish().into_bytes())
        };
        for url in &hook.callback_urls {
            let call = Call {
                hook: hook.clone(),
                url: url.clone(),
                content_type,
                body: body.clone(),
            };
            let app = Arc::clone(app);
            let post = job.post.clone();
            let channel = job.channel.clone();
            calls.spawn(async move { call.run(&app, &post, &channel).await });
        }
    }
    while calls.join_next().await.is_some() {}
    Ok(())
}

struct Call {
    hook: OutgoingWebhook,
    url: String,
    content_type: &'static str,
    body: Vec<u8>,
}

impl Call {
    async fn run(self, app: &App, post: &Post, channel: &Channel) {
        let answer = match self.send(app).await {
            Ok(answer) => answer,
            Err(reason) => {
                tracing::error!(outgoing_webhook_id = %self.hook.id, post_id = %post.id, url = %self.url, %reason, "outgoing webhook POST failed");
                return;
            }
        };
        let Some(answer) = answer else { return };
        if let Err(e) = respond(app, &self.hook, post, channel, answer).await {
            tracing::error!(outgoing_webhook_id = %self.hook.id, post_id = %post.id, error = %e, "failed to create the response post");
        }
    }

    /// POSTs the payload (tried again as `TRIES` says) and decodes the answer; `None` for
    /// an empty body.
    async fn send(&self, app: &App) -> Result<Option<OutgoingWebhookResponse>, String> {
        let timeout = Duration::from_secs(
            u64::try_from(
                app.config()
                    .service_settings
                    .outgoing_integration_requests_timeout,
            )
            .unwrap_or(30)
            .max(1),
        );
        let mut backoff = FIRST_BACKOFF;
        let mut tries = 0;
        let response = loop {
            tries += 1;
            let request = http::Request::post(self.url.as_str())
                .header(http::header::CONTENT_TYPE, self.content_type)
                .header(http::header::ACCEPT, "application/json")
                .body(self.body.clone())
                .map_err(|e| e.to_string())?;
            let outcome = crate::outgoing::exchange(app, request, timeout, MAX_RESPONSE).await;
            let retry = match &outcome {
                Ok(r) => r.status().is_server_error(),
                Err(
                    crate::outgoing::FetchError::Failed(_) | crate::outgoing::FetchError::Timeout,
                ) => true,
                Err(_) => false,
            };
            if !retry || tries >= TRIES {
                break outcome.map_err(|e| e.to_string())?;
            }
            tokio::time::sleep(backoff).await;
            backoff *= 2;
        };
        if response.status().is_server_error() {
            return Err(format!("the callback answered {}", response.status()));
        }
        let body = response.into_body();
        if body.iter().all(u8::is_ascii_whitespace) {
            return Ok(None);
        }
        serde_json::from_slice(&body)
            .map(Some)
            .map_err(|e| format!("api.unmarshal_error: {e}"))
    }
}

/// Posts a callback's answer when it has text or attachments: a reply to the post with
/// `response_type` "comment", else a post in the channel, as the hook's creator.
async fn respond(
    app: &App,
    hook: &OutgoingWebhook,
    post: &Post,
    channel: &Channel,
    answer: OutgoingWebhookResponse,
) -> crate::AppResult<()> {
    let has_attachments = answer.attachments.as_ref().is_some_and(|a| !a.is_empty());
    if answer.text.is_none() && !has_attachments {
        return Ok(());
    }
    let root_id = if answer.response_type == RESPONSE_TYPE_COMMENT {
        // A reply to a reply goes to its thread.
        if post.root_id.is_empty() {
            post.id.clone()
        } else {
            post.root_id.clone()
        }
    } else {
        String::new()
    };
    let mut props = answer.props.unwrap_or_default();
    props.insert(
        "webhook_display_name".into(),
        Value::String(hook.display_name.clone()),
    );
    let text = match &answer.text {
        Some(text) => slack::process_text(app, text).await?,
        None => String::new(),
    };
    let attachments = slack::process_attachments(app, answer.attachments).await?;
    let settings = &app.config().service_settings;
    let mut username = answer.username;
    if settings.enable_post_username_override && username.is_empty() {
        username = hook.username.clone();
    }
    let mut icon_url = answer.icon_url;
    if settings.enable_post_icon_override && icon_url.is_empty() {
        icon_url = hook.icon_url.clone();
    }
    hook_post::create(
        app,
        channel,
        WebhookPost {
            user_id: hook.creator_id.clone(),
            text,
            override_username: username,
            override_icon_url: icon_url,
            override_icon_emoji: String::new(),
            props,
            attachments,
            post_type: answer.post_type,
            root_id,
            priority: answer.priority,
        },
    )
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_channel_hook_without_words_fires_on_every_post_and_team_hooks_need_a_word() {
        let channel_hook = OutgoingWebhook {
            id: "a".into(),
            channel_id: "c1".into(),
            ..OutgoingWebhook::default()
        };
        let team_hook = OutgoingWebhook {
            id: "b".into(),
            trigger_words: vec!["deploy".into()],
            ..OutgoingWebhook::default()
        };
        let other_channel = OutgoingWebhook {
            id: "c".into(),
            channel_id: "c2".into(),
            ..OutgoingWebhook::default()
        };
        let hooks = [channel_hook, team_hook, other_channel];
        let post = Post {
            channel_id: "c1".into(),
            message: "  deploy now".into(),
            ..Post::default()
        };
        let fired: Vec<_> = triggered(&hooks, &post)
            .into_iter()
            .map(|(h, w)| (h.id.clone(), w))
            .collect();
        assert_eq!(
            fired,
            [
                ("a".to_string(), String::new()),
                ("b".to_string(), "deploy".to_string())
            ]
        );
    }
}
