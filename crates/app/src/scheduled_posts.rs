//! Scheduled posts: save, list, update and delete a user's own (Mattermost's
//! `app/scheduled_post.go`), and the job that sends the due ones (`scheduled_post_job.go`),
//! run by the `scheduled posts` service.
//!
//! Mattermost offers scheduled posts to licensed servers only; Utmost has no licence and
//! offers them whenever `ServiceSettings.ScheduledPosts` is on.

use crate::bus::Event;
use crate::drafts::{stamp, validate};
use crate::errors::{ChannelError, ScheduledPostError};
use crate::posts::acting_as;
use crate::services::{Run, Service, Stop, Ticks};
use crate::{App, AppResult};
use std::sync::Weak;
use std::time::Duration;
use utmost_model::draft::{scheduled_error, ScheduledPost};
use utmost_model::post::{Post, PostMetadata, PostPriority};
use utmost_model::session::Session;
use utmost_model::{new_id, now_millis};
use utmost_store::scheduled_posts as store;
use utmost_store::Deleted;

/// `scheduledPostMaxTimeGap`: a post may be scheduled up to this long in the past (ms), for
/// clients on slow links.
const MAX_TIME_GAP_MS: i64 = 5_000;

/// The most scheduled posts one listing returns (per team, and for direct channels).
pub const MAX_LISTED: i64 = 1000;

/// How often the job looks for due posts.
pub const POLL: Duration = Duration::from_secs(2);

/// The most posts the job takes at once; it takes another batch while a full one came back.
const BATCH: i64 = 50;

/// Mattermost sends nothing more than a day late: older pending posts fail `unable_to_send`.
const SEND_WINDOW_MS: i64 = 24 * 60 * 60 * 1000;

/// 400 `api.scheduled_posts.feature_disabled` unless `ServiceSettings.ScheduledPosts`.
pub fn require_enabled(app: &App) -> AppResult<()> {
    if app.config().service_settings.scheduled_posts {
        Ok(())
    } else {
        Err(ScheduledPostError::Disabled.into())
    }
}

/// `ScheduledPost.ToPost`: the post it becomes, from its user, with its priority.
pub fn to_post(scheduled: &ScheduledPost) -> Post {
    let d = &scheduled.draft;
    let priority = if d.priority.is_empty() {
        scheduled.metadata_priority().cloned()
    } else {
        Some(PostPriority {
            priority: d
                .priority
                .get("priority")
                .and_then(|v| v.as_str())
                .map(str::to_string),
            requested_ack: d.priority.get("requested_ack").and_then(|v| v.as_bool()),
            persistent_notifications: d
                .priority
                .get("persistent_notifications")
                .and_then(|v| v.as_bool()),
        })
    };
    Post {
        user_id: d.user_id.clone(),
        channel_id: d.channel_id.clone(),
        root_id: d.root_id.clone(),
        message: d.message.clone(),
        props: d.props.clone(),
        file_ids: d.file_ids.clone(),
        metadata: priority.map(|priority| PostMetadata {
            priority: Some(priority),
            ..PostMetadata::default()
        }),
        ..Post::default()
    }
}

/// `scheduledPostChecks`: the user could create the post now (`create_post`, `upload_file`
/// for files, the priority rules), as `POST /posts` checks.
pub async fn check_create(
    app: &App,
    session: &Session,
    scheduled: &ScheduledPost,
) -> AppResult<()> {
    crate::posts::check_create(app, session, &to_post(scheduled)).await
}

/// `ScheduledPost.IsValid`: a valid draft with something to send, not in the past.
fn validate_scheduled(scheduled: &ScheduledPost) -> AppResult<()> {
    validate(&scheduled.draft)?;
    if scheduled.draft.message.is_empty() && scheduled.draft.file_ids.is_empty() {
        return Err(ScheduledPostError::Empty.into());
    }
    if scheduled.scheduled_at - now_millis() < -MAX_TIME_GAP_MS {
        return Err(ScheduledPostError::InThePast.into());
    }
    Ok(())
}

/// `SaveScheduledPost`: a new scheduled post of the session's user (a fresh id, pending),
/// in a live channel. Publishes `ScheduledPostCreated`.
pub async fn save(
    app: &App,
    mut scheduled: ScheduledPost,
    connection_id: &str,
) -> AppResult<ScheduledPost> {
    scheduled.id = new_id();
    scheduled.processed_at = 0;
    scheduled.error_code = String::new();
    scheduled.draft.create_at = 0;
    if let Some(metadata) = scheduled.draft.metadata.as_mut() {
        metadata.embeds = None;
    }
    stamp(&mut scheduled.draft, now_millis());
    validate_scheduled(&scheduled)?;
    let channel = crate::caches::channels::get(app, &scheduled.draft.channel_id)
        .await?
        .ok_or(ChannelError::NotFound)?;
    if channel.delete_at > 0 {
        return Err(ScheduledPostError::InArchivedChannel.into());
    }
    store::create(&app.store, &scheduled).await?;
    app.publish(Event::ScheduledPostCreated {
        scheduled_post: scheduled.clone(),
        connection_id: connection_id.to_string(),
    })
    .await;
    Ok(scheduled)
}

/// The user's own scheduled post, for an update (`for_update`) or a delete: 404 when it does
/// not exist, 403 when it is another user's.
pub async fn get_own(
    app: &App,
    user_id: &str,
    id: &str,
    for_update: bool,
) -> AppResult<ScheduledPost> {
    use ScheduledPostError as E;
    let (missing, others) = if for_update {
        (E::UpdateNotFound, E::UpdateOthers)
    } else {
        (E::DeleteNotFound, E::DeleteOthers)
    };
    let scheduled = store::get(&app.store, id).await?.ok_or(missing)?;
    if scheduled.draft.user_id != user_id {
        return Err(others.into());
    }
    Ok(scheduled)
}

/// `UpdateScheduledPost`: new content and time for `existing` (the user's own, from
/// `get_own`); its id, user, channel, thread and creation time stay. A post that had failed
/// is pending again. Publishes `ScheduledPostUpdated`.
pub async fn update(
    app: &App,
    existing: ScheduledPost,
    mut scheduled: ScheduledPost,
    connection_id: &str,
) -> AppResult<ScheduledPost> {
    scheduled.id = existing.id;
    scheduled.draft.create_at = existing.draft.create_at;
    scheduled.draft.user_id = existing.draft.user_id;
    scheduled.draft.channel_id = existing.draft.channel_id;
    scheduled.draft.root_id = existing.draft.root_id;
    scheduled.processed_at = 0;
    scheduled.error_code = String::new();
    stamp(&mut scheduled.draft, now_millis());
    validate_scheduled(&scheduled)?;
    if !store::update(&app.store, &scheduled).await? {
        return Err(ScheduledPostError::UpdateNotFound.into());
    }
    app.publish(Event::ScheduledPostUpdated {
        scheduled_post: scheduled.clone(),
        connection_id: connection_id.to_string(),
    })
    .await;
    Ok(scheduled)
}

/// `DeleteScheduledPost` of `existing` (the user's own, from `get_own`); returns it.
/// Publishes `ScheduledPostDeleted`.
pub async fn delete(
    app: &App,
    existing: ScheduledPost,
    connection_id: &str,
) -> AppResult<ScheduledPost> {
    if !store::delete(&app.store, &existing.id).await? {
        return Err(ScheduledPostError::DeleteNotFound.into());
    }
    app.publish(Event::ScheduledPostDeleted {
        scheduled_post: existing.clone(),
        connection_id: connection_id.to_string(),
    })
    .await;
    Ok(existing)
}

/// `GetUserTeamScheduledPosts`: the user's scheduled posts in a team's channels, or with
/// `team_id` `""` in direct and group messages, the soonest first, with their files.
pub async fn for_user(app: &App, user_id: &str, team_id: &str) -> AppResult<Vec<ScheduledPost>> {
    let mut list = store::for_user(&app.store, user_id, team_id, MAX_LISTED).await?;
    crate::files::posts::add_draft_files(app, list.iter_mut().map(|s| &mut s.draft)).await?;
    Ok(list)
}

/// Sends one batch of due posts and settles what cannot be sent. Returns true when the
/// batch was full, so more may be due.
///
/// The order guards against sending a post twice: each post is claimed (its `error_code` set
/// to `sending`) before it is created, and its row deleted after. A process that stops in between leaves a
/// claimed row, which the next run marks failed (`unknown`) instead of sending again: the
/// user sees it did not go out as planned and may send it by hand, possibly once too few,
/// never once too many. Creating the post and deleting the row in one transaction would
/// avoid that, but the post must go through `posts::create_as_user` like any other.
pub async fn send_due(app: &App) -> AppResult<bool> {
    if !app.config().service_settings.scheduled_posts {
        return Ok(false);
    }
    let now = now_millis();
    for unfinished in store::unfinished(&app.store, BATCH).await? {
        fail(app, unfinished, scheduled_error::UNKNOWN).await?;
    }
    let due = store::due(&app.store, now - SEND_WINDOW_MS, now, BATCH).await?;
    let full = i64::try_from(due.len()).unwrap_or(i64::MAX) >= BATCH;
    for scheduled in due {
        send(app, scheduled).await?;
    }
    if !full {
        store::expire(
            &app.store,
            now - SEND_WINDOW_MS,
            scheduled_error::UNABLE_TO_SEND,
            now,
        )
        .await?;
    }
    Ok(full)
}

/// Sends one due post, or records why it cannot be sent.
async fn send(app: &App, scheduled: ScheduledPost) -> AppResult<()> {
    let session = match sender(app, &scheduled).await? {
        Ok(session) => session,
        Err(code) => return fail(app, scheduled, code).await,
    };
    if !store::claim(&app.store, &scheduled.id, now_millis()).await? {
        return Ok(()); // deleted or changed since it was read
    }
    if let Err(e) = crate::posts::create_as_user(app, &session, to_post(&scheduled)).await {
        tracing::warn!(scheduled_post_id = %scheduled.id, error = %e, "sending a scheduled post failed");
        return fail(app, scheduled, scheduled_error::UNKNOWN).await;
    }
    store::delete(&app.store, &scheduled.id).await?;
    app.publish(Event::ScheduledPostDeleted {
        scheduled_post: scheduled,
        connection_id: String::new(),
    })
    .await;
    Ok(())
}

/// `canPostScheduledPost`: the session to post as, or the error code that says why not.
async fn sender(app: &App, scheduled: &ScheduledPost) -> AppResult<Result<Session, &'static str>> {
    let d = &scheduled.draft;
    let Some(channel) = crate::caches::channels::get(app, &d.channel_id).await? else {
        return Ok(Err(scheduled_error::CHANNEL_NOT_FOUND));
    };
    let Some(user) = utmost_store::users::get(&app.store, &d.user_id).await? else {
        return Ok(Err(scheduled_error::USER_MISSING));
    };
    if user.delete_at != 0 {
        return Ok(Err(scheduled_error::USER_DELETED));
    }
    if channel.delete_at != 0 {
        return Ok(Err(scheduled_error::CHANNEL_ARCHIVED));
    }
    if !d.root_id.is_empty() {
        let root = utmost_store::posts::get(&app.store, &d.root_id, Deleted::Include).await?;
        if root.is_none_or(|r| r.delete_at != 0) {
            return Ok(Err(scheduled_error::THREAD_DELETED));
        }
    }
    let session = acting_as(&user);
    match check_create(app, &session, scheduled).await {
        Ok(()) => Ok(Ok(session)),
        Err(e) if e.status_code == 403 => Ok(Err(scheduled_error::NO_CHANNEL_PERMISSION)),
        Err(_) => Ok(Err(scheduled_error::INVALID_POST)),
    }
}

/// Records `code` on a post the job did not send, and tells its user.
async fn fail(app: &App, mut scheduled: ScheduledPost, code: &str) -> AppResult<()> {
    let now = now_millis();
    store::fail(&app.store, &scheduled.id, code, now).await?;
    scheduled.error_code = code.to_string();
    scheduled.processed_at = now;
    scheduled.draft.update_at = now;
    app.publish(Event::ScheduledPostUpdated {
        scheduled_post: scheduled,
        connection_id: String::new(),
    })
    .await;
    Ok(())
}

/// Sends due scheduled posts every `POLL`. A stop waits for the batch in hand, so no post is
/// left claimed and unsent by a shutdown.
pub(crate) struct Sender {
    pub app: Weak<App>,
}

impl Service for Sender {
    fn name(&self) -> &'static str {
        "scheduled posts"
    }

    fn run(self: Box<Self>, mut stop: Stop) -> Run {
        Box::pin(async move {
            let mut ticks = Ticks::every(POLL);
            while let Some(app) = ticks.next_led(&mut stop, &self.app).await {
                loop {
                    match send_due(&app).await {
                        Ok(true) if !stop.is_requested() => continue,
                        Ok(_) => break,
                        Err(e) => {
                            tracing::error!(error = %e, "sending scheduled posts failed");
                            break;
                        }
                    }
                }
            }
        })
    }
}
