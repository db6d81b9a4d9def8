//! The `push` service: sends what the dispatcher queued to the push proxy
//! (`EmailSettings.PushNotificationServer` + `/api/v1/send_push`), one request per device
//! session of each recipient (Mattermost's `PushNotificationsHub`).
//!
//! The bus handler only queues: the queue is bounded (`PushNotificationBuffer`) and a full
//! queue drops the job with a warning rather than make a post wait on the network. The
//! service sends up to `IN_FLIGHT` jobs at once; a request that fails (no connection, a 5xx
//! or 429 answer) is tried again after 250 ms, 500 ms, 1 s, `ATTEMPTS` times in all. The
//! proxy is configured by the administrator, so it is reached directly, not through
//! `outgoing`'s guard, with one client and its own timeouts.

use super::decide::PushStyle;
use super::message::{self, PushNotification, Source};
use crate::services::{Run, Service, Stop};
use crate::{App, AppResult};
use std::collections::BTreeMap;
use std::sync::{Mutex, Weak};
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::task::JoinSet;
use utmost_model::channel::Channel;
use utmost_model::post::Post;
use utmost_model::{new_id, now_millis, AppError};
use utmost_store::notifications::{self as store, DeviceSession};

/// Tries per request, the first included.
pub const ATTEMPTS: u32 = 4;
const FIRST_RETRY: Duration = Duration::from_millis(250);
/// Jobs sent at once.
const IN_FLIGHT: usize = 32;
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// One recipient of a message push, as the dispatcher decided.
#[derive(Debug, Clone)]
pub struct PushRecipient {
    pub user_id: String,
    pub style: PushStyle,
    pub collapsed_threads: bool,
    /// The channel as this recipient names it.
    pub channel_name: String,
}

/// What the service sends.
#[derive(Debug, Clone)]
pub enum PushJob {
    /// A new post, to each recipient's devices.
    Message {
        post: Box<Post>,
        channel: Box<Channel>,
        sender_name: String,
        recipients: Vec<PushRecipient>,
    },
    /// A user read these channels: their devices drop the channels' notifications.
    Clear {
        user_id: String,
        channel_ids: Vec<String>,
    },
    /// A user read threads: their devices' badge is set again.
    UpdateBadge { user_id: String },
    /// These device sessions expired: each device is told to sign in again, once.
    SessionsExpired { sessions: Vec<DeviceSession> },
}

/// The queue into the service and the client it (and the ack route) sends with.
pub struct Push {
    jobs: mpsc::Sender<PushJob>,
    receiver: Mutex<Option<mpsc::Receiver<PushJob>>>,
    client: reqwest::Client,
}

impl Push {
    /// A queue of `buffer` jobs (`PushNotificationBuffer`).
    pub fn new(buffer: i64) -> Self {
        let (jobs, receiver) = mpsc::channel(usize::try_from(buffer).unwrap_or(1).max(1));
        let client = reqwest::Client::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .timeout(REQUEST_TIMEOUT)
            .build()
            .unwrap_or_default();
        Self {
            jobs,
            receiver: Mutex::new(Some(receiver)),
            client,
        }
    }

    /// Queues a job without waiting: a full queue drops it.
    pub(crate) fn queue(&self, job: PushJob) {
        if let Err(mpsc::error::TrySendError::Full(_)) = self.jobs.try_send(job) {
            tracing::warn!("the push notification queue is full; a notification was dropped");
        }
    }

    /// The service that empties the queue; `None` once it was made.
    pub(crate) fn service(&self, app: Weak<App>) -> Option<PushService> {
        let jobs = self.receiver.lock().ok()?.take()?;
        Some(PushService {
            app,
            jobs,
            client: self.client.clone(),
        })
    }

    /// Sends a delivery receipt to the proxy's `/api/v1/ack` (no retry: the app waits).
    pub(crate) async fn forward_ack(&self, app: &App, ack: &serde_json::Value) -> AppResult<()> {
        let url = proxy_url(app, "/api/v1/ack");
        let response =
            self.client.post(url).json(ack).send().await.map_err(|e| {
                AppError::internal("api.push_notifications_ack.forward.app_error", e)
            })?;
        if response.status().is_success() {
            Ok(())
        } else {
            Err(AppError::internal(
                "api.push_notifications_ack.forward.app_error",
                format!("the push proxy answered {}", response.status()),
            ))
        }
    }

    /// Whether the push proxy answers HTTP at all (any status: mattermost-push-proxy
    /// answers its root with 404), within `within`: the health check of
    /// `/system/ping?get_server_status=true`.
    pub(crate) async fn reachable(&self, app: &App, within: Duration) -> Result<(), String> {
        let request = self.client.get(proxy_url(app, "/")).timeout(within).send();
        match request.await {
            Ok(_) => Ok(()),
            Err(e) => Err(e.to_string()),
        }
    }
}

fn proxy_url(app: &App, path: &str) -> String {
    let server = app.config().email_settings.push_notification_server.clone();
    format!("{}{path}", server.trim_end_matches('/'))
}

pub struct PushService {
    app: Weak<App>,
    jobs: mpsc::Receiver<PushJob>,
    client: reqwest::Client,
}

impl Service for PushService {
    fn name(&self) -> &'static str {
        "push"
    }

    fn run(mut self: Box<Self>, mut stop: Stop) -> Run {
        Box::pin(async move {
            let mut sending = JoinSet::new();
            loop {
                if sending.len() >= IN_FLIGHT {
                    tokio::select! {
                        () = stop.requested() => break,
                        _ = sending.join_next() => continue,
                    }
                }
                let job = tokio::select! {
                    () = stop.requested() => break,
                    Some(_) = sending.join_next(), if !sending.is_empty() => continue,
                    job = self.jobs.recv() => job,
                };
                let (Some(job), Some(app)) = (job, self.app.upgrade()) else {
                    break;
                };
                let client = self.client.clone();
                sending.spawn(async move { send(&app, &client, job).await });
            }
            // What is still queued or in flight is given up: pushes are worth little late.
            let abandoned = sending.len() + self.jobs.len();
            if abandoned > 0 {
                tracing::info!(abandoned, "push notifications not sent at shutdown");
            }
        })
    }
}

async fn send(app: &App, client: &reqwest::Client, job: PushJob) {
    let outcome = match job {
        PushJob::Message {
            post,
            channel,
            sender_name,
            recipients,
        } => send_message(app, client, &post, &channel, &sender_name, &recipients).await,
        PushJob::Clear {
            user_id,
            channel_ids,
        } => send_clear(app, client, &user_id, &channel_ids).await,
        PushJob::UpdateBadge { user_id } => send_update_badge(app, client, &user_id).await,
        PushJob::SessionsExpired { sessions } => {
            send_sessions_expired(app, client, &sessions).await
        }
    };
    if let Err(e) = outcome {
        tracing::error!(error = %e, "unable to send push notifications");
    }
}

/// The unexpired device sessions of `user_ids`, by user.
async fn devices_of(
    app: &App,
    user_ids: Vec<String>,
) -> AppResult<BTreeMap<String, Vec<DeviceSession>>> {
    let mut by_user: BTreeMap<String, Vec<DeviceSession>> = BTreeMap::new();
    for session in store::device_sessions(&app.store, &user_ids, now_millis()).await? {
        by_user
            .entry(session.user_id.clone())
            .or_default()
            .push(session);
    }
    Ok(by_user)
}

async fn send_message(
    app: &App,
    client: &reqwest::Client,
    post: &Post,
    channel: &Channel,
    sender_name: &str,
    recipients: &[PushRecipient],
) -> AppResult<()> {
    let ids = recipients.iter().map(|r| r.user_id.clone()).collect();
    let devices = devices_of(app, ids).await?;
    if devices.is_empty() {
        return Ok(());
    }
    let config = app.config();
    let server_id = crate::system::telemetry_id(app).await?;
    for recipient in recipients {
        let Some(sessions) = devices.get(&recipient.user_id) else {
            continue;
        };
        let mut msg = message::build(&Source {
            contents: &config.email_settings.push_notification_contents,
            post,
            channel,
            channel_name: &recipient.channel_name,
            sender_name,
            recipient_id: &recipient.user_id,
            recipient_collapsed_threads: recipient.collapsed_threads,
            style: recipient.style,
            username_override: config.service_settings.enable_post_username_override,
            icon_override: config.service_settings.enable_post_icon_override,
        });
        msg.badge =
            store::badge_count(&app.store, &recipient.user_id, recipient.collapsed_threads).await?;
        msg.server_id.clone_from(&server_id);
        to_devices(app, client, &msg, sessions).await;
    }
    Ok(())
}

async fn send_clear(
    app: &App,
    client: &reqwest::Client,
    user_id: &str,
    channel_ids: &[String],
) -> AppResult<()> {
    let devices = devices_of(app, vec![user_id.to_string()]).await?;
    let Some(sessions) = devices.get(user_id) else {
        return Ok(());
    };
    let collapsed = super::collapsed_threads_of(app, user_id).await?;
    let badge = store::badge_count(&app.store, user_id, collapsed).await?;
    let server_id = crate::system::telemetry_id(app).await?;
    for channel_id in channel_ids {
        let mut msg = message::clear(channel_id, badge, collapsed);
        msg.server_id.clone_from(&server_id);
        to_devices(app, client, &msg, sessions).await;
    }
    Ok(())
}

/// `UpdateMobileAppBadge`: the user's badge to each of their devices.
async fn send_update_badge(app: &App, client: &reqwest::Client, user_id: &str) -> AppResult<()> {
    let devices = devices_of(app, vec![user_id.to_string()]).await?;
    let Some(sessions) = devices.get(user_id) else {
        return Ok(());
    };
    let collapsed = super::collapsed_threads_of(app, user_id).await?;
    let badge = store::badge_count(&app.store, user_id, collapsed).await?;
    let mut msg = message::update_badge(badge, collapsed);
    msg.server_id = crate::system::telemetry_id(app).await?;
    to_devices(app, client, &msg, sessions).await;
    Ok(())
}

/// `NotifySessionsExpired`: each device is told once; one that could not be reached is
/// tried again at the next look, while its session expired within the hour.
async fn send_sessions_expired(
    app: &App,
    client: &reqwest::Client,
    sessions: &[DeviceSession],
) -> AppResult<()> {
    let config = app.config();
    let mut msg = message::session_expired(
        &config.team_settings.site_name,
        config.service_settings.session_length_mobile_in_hours,
    );
    msg.server_id = crate::system::telemetry_id(app).await?;
    for session in sessions {
        if to_devices(app, client, &msg, std::slice::from_ref(session)).await > 0 {
            store::mark_expiry_told(&app.store, &session.id).await?;
        }
    }
    Ok(())
}

/// `sendPushNotificationToAllSessions`: one copy per device, each with its own ack id.
/// Returns how many the proxy took.
async fn to_devices(
    app: &App,
    client: &reqwest::Client,
    msg: &PushNotification,
    sessions: &[DeviceSession],
) -> usize {
    let mut sent = 0;
    for session in sessions {
        let mut copy = msg.clone();
        copy.set_device(&session.device_id);
        copy.ack_id = new_id();
        match deliver(app, client, &copy).await {
            Ok(Delivery::Sent) => {
                sent += 1;
                tracing::debug!(
                    ack_id = %copy.ack_id, user_id = %session.user_id,
                    kind = %copy.notification_type, "push notification sent"
                );
            }
            Ok(Delivery::DeviceRemoved) => {
                tracing::info!(session_id = %session.id, "the push proxy removed a device");
                forget_device(app, session).await;
            }
            Err(reason) => tracing::error!(
                ack_id = %copy.ack_id, user_id = %session.user_id, post_id = %copy.post_id,
                %reason, "push notification not sent"
            ),
        }
    }
    sent
}

enum Delivery {
    Sent,
    /// `{"status": "REMOVE"}`: the app is gone from the device.
    DeviceRemoved,
}

/// Posts one message to the proxy, trying again with backoff while the failure may pass.
async fn deliver(
    app: &App,
    client: &reqwest::Client,
    msg: &PushNotification,
) -> Result<Delivery, String> {
    let url = proxy_url(app, "/api/v1/send_push");
    let mut wait = FIRST_RETRY;
    let mut attempt = 1;
    loop {
        let failure = match client.post(&url).json(msg).send().await {
            Ok(response) if response.status().is_success() => {
                return read_answer(response).await;
            }
            Ok(response) => {
                let status = response.status();
                let passing = status.is_server_error() || status.as_u16() == 429;
                if !passing {
                    return Err(format!("the push proxy answered {status}"));
                }
                format!("the push proxy answered {status}")
            }
            Err(e) => e.to_string(),
        };
        if attempt >= ATTEMPTS {
            return Err(format!("{failure} (after {attempt} attempts)"));
        }
        tracing::debug!(attempt, %failure, "push notification failed; trying again");
        tokio::time::sleep(wait).await;
        wait *= 2;
        attempt += 1;
    }
}

/// `model.PushResponse`: `{"status": "OK" | "FAIL" | "REMOVE", "error": …}`.
async fn read_answer(response: reqwest::Response) -> Result<Delivery, String> {
    let answer: BTreeMap<String, String> = response
        .json()
        .await
        .map_err(|e| format!("failed to decode the push proxy's answer: {e}"))?;
    match answer.get("status").map(String::as_str) {
        Some("REMOVE") => Ok(Delivery::DeviceRemoved),
        Some("FAIL") => Err(answer.get("error").cloned().unwrap_or_default()),
        _ => Ok(Delivery::Sent),
    }
}

/// `AttachDeviceId(session, "")`: the session stops receiving pushes.
async fn forget_device(app: &App, session: &DeviceSession) {
    if let Err(e) = store::forget_device(&app.store, &session.id).await {
        tracing::warn!(error = %e, "unable to forget a removed device");
        return;
    }
    app.publish(crate::bus::Event::SessionUpdated {
        session_id: session.id.clone(),
    })
    .await;
}
