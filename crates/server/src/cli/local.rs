//! The admin commands' view of the server: the app started on the configured database and a
//! local-mode session (as mmctl `--local`) that holds every system permission.

use super::GlobalArgs;
use anyhow::{anyhow, Context};
use std::sync::Arc;
use utmost_app::audit::{self, Actor, AuditRecord, ErrorData, EventData, Meta, Status};
use utmost_app::bus::Subscriber;
use utmost_app::caches::outside_writes;
use utmost_app::users::ListQuery;
use utmost_app::{teams, users, App};
use utmost_model::roles::{SYSTEM_ADMIN, SYSTEM_USER};
use utmost_model::session::Session;
use utmost_model::team::Team;
use utmost_model::user::User;
use utmost_model::{is_valid_id, AppError};

pub struct Local {
    pub app: Arc<App>,
    pub session: Session,
}

impl Local {
    async fn open(global: &GlobalArgs) -> anyhow::Result<Self> {
        let mut config = global.load_config()?.config;
        // Service warnings (a default channel that could not be joined) reach the operator on
        // stderr; routine info lines would only clutter a command's output.
        config.log_settings.console_level = "WARN".into();
        // The server's log file is the server's: a command neither writes nor rotates it.
        config.log_settings.enable_file = false;
        // So is the audit file, whose hash chain only the server's writer extends: a command's
        // record goes to the `audits` table (`Local::audit`).
        config.experimental_audit_settings.file_enabled = false;
        // The shipped plugins are the server's to install and run: a command would compile
        // them each time it runs (plugins an admin enabled still see what it posts).
        config.plugin_settings.automatic_prepackaged_plugins = false;
        crate::logging::init(&config);
        // A running server on the same database hears of what this command writes.
        let announce: Arc<dyn Subscriber> = Arc::new(outside_writes::Announce);
        let app = App::start_with_subscribers(config, vec![announce])
            .await
            .map_err(app_error)
            .context("opening the database")?;
        let session = Session {
            local: true,
            roles: format!("{SYSTEM_ADMIN} {SYSTEM_USER}"),
            ..Session::default()
        };
        Ok(Self { app, session })
    }

    /// Runs one command, then closes the database whatever the outcome.
    pub async fn run<T>(
        global: &GlobalArgs,
        command: impl AsyncFnOnce(&Local) -> anyhow::Result<T>,
    ) -> anyhow::Result<T> {
        let local = Self::open(global).await?;
        let result = command(&local).await;
        local.audit(&global.action, &result).await;
        local.app.shutdown().await;
        result
    }

    /// Records the command and its outcome in the `audits` table, as Mattermost audits the
    /// calls of mmctl's local mode: no user, no session, `utmost <words>` as the path.
    async fn audit<T>(&self, action: &str, result: &anyhow::Result<T>) {
        if action.is_empty() {
            return;
        }
        let (status, error) = match result {
            Ok(_) => (Status::Success, ErrorData::default()),
            Err(e) => (
                Status::Fail,
                ErrorData {
                    description: format!("{e:#}"),
                    status_code: 0,
                },
            ),
        };
        let record = AuditRecord {
            event_name: action.to_owned(),
            status,
            actor: Actor {
                client: "utmost-cli".into(),
                ..Actor::default()
            },
            meta: Meta {
                api_path: format!("utmost {action}"),
                http_method: "CLI".into(),
            },
            event: EventData::default(),
            error,
        };
        audit::record(&self.app, record).await;
    }

    /// The user `key` names: an e-mail address, a username or an id (mmctl's order).
    pub async fn user(&self, key: &str) -> anyhow::Result<User> {
        let (app, session) = (&self.app, &self.session);
        if key.contains('@') {
            if let Some(user) = optional(users::by_email(app, session, key).await)? {
                return Ok(user);
            }
        }
        if let Some(user) = optional(users::by_username(app, session, key).await)? {
            return Ok(user);
        }
        if is_valid_id(key) {
            if let Some(user) = optional(users::get(app, key).await)? {
                return Ok(user);
            }
        }
        Err(anyhow!("user {key:?} not found"))
    }

    /// The team `key` names: a team name (URL name) or an id.
    pub async fn team(&self, key: &str) -> anyhow::Result<Team> {
        if let Some(team) = teams::find_by_name(&self.app, key)
            .await
            .map_err(app_error)?
        {
            return Ok(team);
        }
        if is_valid_id(key) {
            if let Some(team) = optional(teams::get(&self.app, key).await)? {
                return Ok(team);
            }
        }
        Err(anyhow!("team {key:?} not found"))
    }

    /// The account that creates teams and channels: `key` when given, else the first system
    /// admin by username. The services make the creator the first member and admin of what
    /// it creates, so there must be one (mmctl's local mode has none; ours needs a user).
    pub async fn creator(&self, key: Option<&str>) -> anyhow::Result<User> {
        if let Some(key) = key {
            return self.user(key).await;
        }
        let query = ListQuery {
            role: SYSTEM_ADMIN.to_string(),
            active: true,
            limit: 1,
            ..ListQuery::default()
        };
        let admins = users::list(&self.app, &self.session, &query)
            .await
            .map_err(app_error)?;
        admins.into_iter().next().ok_or_else(|| {
            anyhow!(
                "there is no active system admin to act as creator: create one or pass --creator"
            )
        })
    }
}

/// `Ok(None)` for a 404, the value or the error otherwise.
pub fn optional<T>(result: Result<T, AppError>) -> anyhow::Result<Option<T>> {
    match result {
        Ok(v) => Ok(Some(v)),
        Err(e) if e.status_code == 404 => Ok(None),
        Err(e) => Err(app_error(e)),
    }
}

/// Rows listed per query by [`all_pages`].
const PAGE: i64 = 200;

/// Every row of a paged listing: `fetch(limit, offset)` page after page until a short one.
pub async fn all_pages<T>(
    mut fetch: impl AsyncFnMut(i64, i64) -> Result<Vec<T>, AppError>,
) -> anyhow::Result<Vec<T>> {
    let mut all = Vec::new();
    loop {
        let page = fetch(PAGE, i64::try_from(all.len())?)
            .await
            .map_err(app_error)?;
        let last = page.len() < PAGE as usize;
        all.extend(page);
        if last {
            return Ok(all);
        }
    }
}

/// A service error as a sentence for a terminal, keeping Mattermost's id for searching.
pub fn app_error(e: AppError) -> anyhow::Error {
    if e.detailed_error.is_empty() {
        anyhow!("{} [{}]", e.message, e.id)
    } else {
        anyhow!("{} ({}) [{}]", e.message, e.detailed_error, e.id)
    }
}
