//! Presence: online when a user's first WebSocket opens, offline when the last one closes,
//! away after UserStatusAwayTimeout without activity; manual statuses (set by the user)
//! are left alone by all of that. Kept in memory, written through to the `status` table.

use crate::bus::Event;
use crate::errors::{StatusError, UserError};
use crate::realtime::Presence;
use crate::{App, AppResult};
use std::collections::HashMap;
use std::sync::RwLock;
use utmost_model::status::{self as st, Status};
use utmost_model::{now_millis, AppError};
use utmost_store::status as store;

#[derive(Default)]
pub struct StatusCache {
    map: RwLock<HashMap<String, Status>>,
}

impl StatusCache {
    fn get(&self, user_id: &str) -> Option<Status> {
        self.map.read().ok()?.get(user_id).cloned()
    }

    fn is(&self, user_id: &str, status: &str) -> bool {
        self.map
            .read()
            .is_ok_and(|m| m.get(user_id).is_some_and(|s| s.status == status))
    }

    fn put(&self, s: Status) {
        if let Ok(mut m) = self.map.write() {
            m.insert(s.user_id.clone(), s);
        }
    }

    fn all(&self) -> Vec<Status> {
        self.map
            .read()
            .map(|m| m.values().cloned().collect())
            .unwrap_or_default()
    }
}

/// Loads stored statuses; after a restart nobody is connected, so automatic ones are offline.
pub async fn load(app: &App) -> AppResult<()> {
    for mut s in store::get_all(&app.store).await? {
        if !s.manual {
            s.status = st::OFFLINE.into();
        }
        app.statuses.put(s);
    }
    Ok(())
}

/// Takes a status another node saved (it wrote the row and published it).
pub(crate) fn remember(app: &App, status: Status) {
    app.statuses.put(status);
}

/// Reads every stored status again, as it is (in a cluster, after events may have been
/// missed: other nodes' users are connected there, so nothing is taken as offline).
pub(crate) async fn reload(app: &App) -> AppResult<()> {
    for s in store::get_all(&app.store).await? {
        app.statuses.put(s);
    }
    Ok(())
}

/// A user's status; users never seen are offline.
pub fn get(app: &App, user_id: &str) -> Status {
    app.statuses.get(user_id).unwrap_or_else(|| Status {
        user_id: user_id.to_string(),
        status: st::OFFLINE.into(),
        ..Status::default()
    })
}

/// The user's status is "online" (what `@here` mentions).
pub fn is_online(app: &App, user_id: &str) -> bool {
    app.statuses.is(user_id, st::ONLINE)
}

pub fn get_many(app: &App, user_ids: &[String]) -> Vec<Status> {
    user_ids.iter().map(|id| get(app, id)).collect()
}

/// Every status not offline, as the `get_statuses` WebSocket action returns.
pub fn all_not_offline(app: &App) -> Vec<Status> {
    app.statuses
        .all()
        .into_iter()
        .filter(|s| s.status != st::OFFLINE)
        .collect()
}

async fn save(app: &App, s: Status) -> AppResult<Status> {
    let changed = app
        .statuses
        .get(&s.user_id)
        .is_none_or(|old| old.status != s.status);
    store::upsert(&app.store, &s).await?;
    app.statuses.put(s.clone());
    if changed {
        app.publish(Event::StatusChanged { status: s.clone() })
            .await;
    }
    Ok(s)
}

/// `PUT /users/{id}/status`: a manual status. `dnd_end_time` (seconds) ends a timed DND.
pub async fn set_manual(
    app: &App,
    user_id: &str,
    status: &str,
    dnd_end_time: i64,
) -> AppResult<Status> {
    if ![
        st::ONLINE,
        st::AWAY,
        st::DND,
        st::OFFLINE,
        st::OUT_OF_OFFICE,
    ]
    .contains(&status)
    {
        return Err(AppError::invalid_param("status"));
    }
    let old = get(app, user_id);
    let s = Status {
        user_id: user_id.to_string(),
        status: status.to_string(),
        // Choosing "online" hands the status back to automatic tracking.
        manual: status != st::ONLINE,
        last_activity_at: now_millis(),
        dnd_end_time: if status == st::DND { dnd_end_time } else { 0 },
        prev_status: old.status,
        active_channel: String::new(),
    };
    save(app, s).await
}

/// A WebSocket opened or the last one closed.
pub async fn on_presence(app: &App, p: Presence) -> AppResult<()> {
    if !app.config().service_settings.enable_user_statuses {
        return Ok(());
    }
    let mut s = get(app, &p.user_id);
    if s.manual {
        return Ok(());
    }
    s.status = if p.online { st::ONLINE } else { st::OFFLINE }.into();
    s.last_activity_at = now_millis();
    save(app, s).await.map(|_| ())
}

/// The client reports activity (`user_update_active_status`): an away user comes back.
pub async fn record_activity(app: &App, user_id: &str, active: bool) -> AppResult<()> {
    let mut s = get(app, user_id);
    if !active || s.manual {
        return Ok(());
    }
    s.last_activity_at = now_millis();
    s.status = st::ONLINE.into();
    save(app, s).await.map(|_| ())
}

/// Online users idle for longer than UserStatusAwayTimeout become away; timed DND ends.
pub async fn sweep(app: &App) -> AppResult<()> {
    let timeout_ms = app.config().team_settings.user_status_away_timeout.max(1) * 1000;
    let now = now_millis();
    // In a cluster a user's activity is seen by the node they are connected to, and only
    // their status changes reach the others: only that node may take them for idle.
    let connected_here: Option<std::collections::HashSet<String>> = match app.cluster() {
        Some(_) => Some(
            app.hub
                .sessions()
                .await
                .into_iter()
                .map(|(u, _)| u)
                .collect(),
        ),
        None => None,
    };
    let idle_here = |user_id: &str| connected_here.as_ref().is_none_or(|c| c.contains(user_id));
    for mut s in app.statuses.all() {
        if !s.manual
            && s.status == st::ONLINE
            && now - s.last_activity_at > timeout_ms
            && idle_here(&s.user_id)
        {
            s.status = st::AWAY.into();
            save(app, s).await?;
        } else if s.status == st::DND && s.dnd_end_time > 0 && s.dnd_end_time * 1000 <= now {
            s.status = if s.prev_status.is_empty() || s.prev_status == st::DND {
                st::ONLINE.into()
            } else {
                s.prev_status.clone()
            };
            s.manual = s.status != st::ONLINE;
            s.dnd_end_time = 0;
            save(app, s).await?;
        }
    }
    Ok(())
}

/// A custom status (`model/custom_status.go`), kept in the user's props as a JSON string
/// under `customStatus`; the five most recent in preference custom_status/recent_custom_statuses.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, Default)]
#[serde(default)]
pub struct CustomStatus {
    pub emoji: String,
    pub text: String,
    pub duration: String,
    pub expires_at: String,
}

const CUSTOM_STATUS_PROP: &str = "customStatus";
const RECENT_CATEGORY: &str = "custom_status";
const RECENT_NAME: &str = "recent_custom_statuses";
const MAX_RECENT: usize = 5;
const DURATIONS: &[&str] = &[
    "",
    "thirty_minutes",
    "one_hour",
    "four_hours",
    "today",
    "this_week",
    "date_and_time",
];

fn check_custom(cs: &CustomStatus) -> AppResult<()> {
    if cs.text.chars().count() > 100 || cs.emoji.chars().count() > 64 {
        return Err(StatusError::CustomTooLong.into());
    }
    if !DURATIONS.contains(&cs.duration.as_str()) {
        return Err(AppError::invalid_param("duration"));
    }
    if cs.emoji.is_empty() && cs.text.is_empty() {
        return Err(AppError::invalid_param("custom_status"));
    }
    Ok(())
}

async fn write_custom(app: &App, user_id: &str, value: Option<&CustomStatus>) -> AppResult<()> {
    let mut user = utmost_store::users::get(&app.store, user_id)
        .await?
        .ok_or(UserError::NotFound)?;
    match value {
        Some(cs) => {
            let json = serde_json::to_string(cs)
                .map_err(|e| AppError::internal("api.custom_status.set.app_error", e))?;
            user.props.insert(CUSTOM_STATUS_PROP.into(), json);
        }
        None => {
            user.props.remove(CUSTOM_STATUS_PROP);
        }
    }
    user.update_at = now_millis();
    utmost_store::users::update_props(&app.store, &user.id, &user.props, user.update_at).await?;
    app.publish(Event::UserUpdated { user }).await;
    Ok(())
}

async fn recent(app: &App, user_id: &str) -> AppResult<Vec<CustomStatus>> {
    let pref =
        utmost_store::preferences::get(&app.store, user_id, RECENT_CATEGORY, RECENT_NAME).await?;
    Ok(pref
        .and_then(|p| serde_json::from_str(&p.value).ok())
        .unwrap_or_default())
}

async fn save_recent(app: &App, user_id: &str, list: &[CustomStatus]) -> AppResult<()> {
    let value = serde_json::to_string(list)
        .map_err(|e| AppError::internal("api.custom_status.recent.app_error", e))?;
    let pref = utmost_model::preference::Preference {
        user_id: user_id.to_string(),
        category: RECENT_CATEGORY.into(),
        name: RECENT_NAME.into(),
        value,
    };
    utmost_store::preferences::save(&app.store, std::slice::from_ref(&pref)).await?;
    Ok(())
}

pub async fn set_custom(app: &App, user_id: &str, cs: CustomStatus) -> AppResult<()> {
    check_custom(&cs)?;
    write_custom(app, user_id, Some(&cs)).await?;
    let mut list = recent(app, user_id).await?;
    list.retain(|r| r.emoji != cs.emoji || r.text != cs.text);
    list.insert(0, cs);
    list.truncate(MAX_RECENT);
    save_recent(app, user_id, &list).await
}

pub async fn clear_custom(app: &App, user_id: &str) -> AppResult<()> {
    write_custom(app, user_id, None).await
}

pub async fn remove_recent_custom(app: &App, user_id: &str, cs: &CustomStatus) -> AppResult<()> {
    let mut list = recent(app, user_id).await?;
    let before = list.len();
    list.retain(|r| r.emoji != cs.emoji || r.text != cs.text || r.duration != cs.duration);
    if list.len() == before {
        return Err(StatusError::RecentNotListed.into());
    }
    save_recent(app, user_id, &list).await
}
