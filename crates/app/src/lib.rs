//! The business rules, as small services over the store. No HTTP types here.

pub mod access_tokens;
pub mod authorization;
pub mod bus;
pub mod caches;
pub mod channels;
pub mod events;
pub mod mentions;
pub mod passwords;
pub mod posts;
pub mod preferences;
pub mod realtime;
pub mod roles;
pub mod sessions;
pub mod status;
pub mod system;
pub mod teams;
pub mod unreads;
pub mod users;

use arc_swap::ArcSwap;
use std::sync::Arc;
use utmost_config::Config;
use utmost_model::roles::RolePermissions;
use utmost_model::AppError;
use utmost_store::{Store, StoreOptions};

pub type AppResult<T> = Result<T, AppError>;

/// Everything a request handler needs, shared behind an `Arc`.
pub struct App {
    pub store: Store,
    /// Routes real-time events to WebSocket connections.
    pub hub: realtime::Hub,
    /// Every password hash and check, bounded to the machine's cores.
    pub passwords: passwords::Passwords,
    pub(crate) statuses: status::StatusCache,
    /// What the hot path keeps in memory, invalidated by events (see `caches`).
    pub(crate) caches: caches::Caches,
    /// Where services publish what they committed (see `bus`).
    bus: Box<dyn bus::Bus>,
    config: ArcSwap<CurrentConfig>,
    roles: ArcSwap<RolePermissions>,
}

/// The configuration in force and its hash (clients see the hash in `X-Version-Id` and
/// reload their cached client config when it changes).
struct CurrentConfig {
    config: Arc<Config>,
    hash: Arc<str>,
}

impl CurrentConfig {
    fn new(config: Config) -> Self {
        use sha2::{Digest, Sha256};
        let json = config.to_sanitized_json().to_string();
        let hash = hex::encode(&Sha256::digest(json.as_bytes())[..16]);
        Self {
            config: Arc::new(config),
            hash: hash.into(),
        }
    }
}

impl App {
    /// Connects to the configured database, applies migrations and seeds built-in data.
    pub async fn start(config: Config) -> AppResult<Arc<App>> {
        Self::start_with_subscribers(config, Vec::new()).await
    }

    /// Like `start`, with `extra` bus subscribers after the built-in ones (tests record what
    /// is published).
    pub async fn start_with_subscribers(
        config: Config,
        extra: Vec<Arc<dyn bus::Subscriber>>,
    ) -> AppResult<Arc<App>> {
        let opts = StoreOptions {
            driver: config.sql_settings.driver_name.clone(),
            data_source: config.database_url(),
            max_connections: u32::try_from(config.sql_settings.max_open_conns.clamp(2, 300))
                .unwrap_or(20),
            query_timeout: std::time::Duration::from_secs(
                u64::try_from(config.sql_settings.query_timeout.max(1)).unwrap_or(30),
            ),
        };
        let store = Store::connect(&opts)
            .await
            .map_err(|e| AppError::internal("app.store.connect.app_error", e))?;
        store
            .migrate()
            .await
            .map_err(|e| AppError::internal("app.store.migrate.app_error", e))?;
        store
            .optimize()
            .await
            .map_err(|e| AppError::internal("app.store.optimize.app_error", e))?;
        sessions::hash_unmarked_tokens(&store).await?;
        let (presence_tx, presence_rx) = tokio::sync::mpsc::channel(realtime::PRESENCE_QUEUE);
        let shards = std::thread::available_parallelism().map_or(2, |n| n.get() * 2);
        let app = Arc::new(App {
            store,
            hub: realtime::Hub::start(shards, presence_tx),
            passwords: passwords::Passwords::for_this_machine(),
            statuses: status::StatusCache::default(),
            caches: caches::Caches::default(),
            // The caches first: later subscribers and the next request see the change.
            bus: Box::new(
                bus::LocalBus::new(vec![
                    Arc::new(caches::Invalidation),
                    Arc::new(events::HubSubscriber),
                ])
                .then(extra),
            ),
            config: ArcSwap::from_pointee(CurrentConfig::new(config)),
            roles: ArcSwap::from_pointee(RolePermissions::builtin()),
        });
        roles::seed_and_load(&app).await?;
        status::load(&app).await?;
        spawn_presence_worker(Arc::downgrade(&app), presence_rx);
        spawn_store_maintenance(Arc::downgrade(&app));
        Ok(app)
    }

    /// The configuration in force; cheap to call, never blocks.
    pub fn config(&self) -> Arc<Config> {
        self.config.load().config.clone()
    }

    /// A short hash of the configuration in force.
    pub fn config_hash(&self) -> Arc<str> {
        self.config.load().hash.clone()
    }

    /// Replaces the configuration (hot reload).
    pub fn set_config(&self, config: Config) {
        self.config.store(Arc::new(CurrentConfig::new(config)));
    }

    /// The role → permissions table in force.
    pub fn role_permissions(&self) -> Arc<RolePermissions> {
        self.roles.load_full()
    }

    pub(crate) fn set_role_permissions(&self, roles: RolePermissions) {
        self.roles.store(Arc::new(roles));
    }

    /// What `X-Version-Id` and the WebSocket `hello` advertise:
    /// `{Mattermost version}.{build}.{config hash}.{licensed}`.
    pub fn server_version(&self) -> String {
        format!(
            "{}.{}.{}.false",
            utmost_model::MATTERMOST_VERSION,
            utmost_model::UTMOST_VERSION.replace('.', "-"),
            self.config_hash()
        )
    }

    pub async fn shutdown(&self) {
        self.store.close().await;
    }
}

/// The channels and teams a user belongs to, which decide the events their connections get.
pub async fn realtime_routes(app: &App, user_id: &str) -> AppResult<(Vec<String>, Vec<String>)> {
    Ok(utmost_store::authz::memberships(&app.store, user_id).await?)
}

/// Refreshes the database's planner statistics every hour, as SQLite advises.
fn spawn_store_maintenance(app: std::sync::Weak<App>) {
    tokio::spawn(async move {
        let mut hourly = tokio::time::interval(std::time::Duration::from_secs(3600));
        hourly.tick().await; // the first tick is immediate; start-up has just optimised
        loop {
            hourly.tick().await;
            let Some(app) = app.upgrade() else { return };
            if let Err(e) = app.store.optimize().await {
                tracing::error!(error = %e, "refreshing the database statistics failed");
            }
        }
    });
}

/// Applies presence changes from the hub and runs the away/DND sweep. Holds the app weakly
/// so dropping the last `Arc<App>` (tests) ends it.
fn spawn_presence_worker(
    app: std::sync::Weak<App>,
    mut presence: tokio::sync::mpsc::Receiver<realtime::Presence>,
) {
    tokio::spawn(async move {
        let mut sweep = tokio::time::interval(std::time::Duration::from_secs(30));
        loop {
            tokio::select! {
                p = presence.recv() => {
                    let (Some(p), Some(app)) = (p, app.upgrade()) else { return };
                    if let Err(e) = status::on_presence(&app, p).await {
                        tracing::error!(error = %e, "updating presence failed");
                    }
                }
                _ = sweep.tick() => {
                    let Some(app) = app.upgrade() else { return };
                    if let Err(e) = status::sweep(&app).await {
                        tracing::error!(error = %e, "status sweep failed");
                    }
                }
            }
        }
    });
}
