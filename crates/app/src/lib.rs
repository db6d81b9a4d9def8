//! The business rules, as small services over the store. No HTTP types here.

pub mod access_tokens;
pub mod analytics;
pub mod audit;
pub mod authorization;
pub mod backup;
pub mod bots;
pub mod bulk;
pub mod bus;
pub mod caches;
pub mod categories;
pub mod channel_bookmarks;
pub mod channel_moderation;
pub mod channels;
pub mod cluster;
pub mod commands;
pub mod compliance;
pub mod config_files;
pub mod config_store;
pub mod data_retention;
pub mod doctor;
pub mod drafts;
pub mod email;
pub mod emoji;
pub mod ephemeral;
pub mod errors;
pub mod events;
pub mod files;
pub mod flagged_posts;
pub mod groups;
pub mod guests;
pub mod interactive;
pub mod jobs;
pub mod ldap;
pub mod leader;
pub mod link_previews;
pub mod logs;
pub mod media;
pub mod mentions;
pub mod message_export;
pub mod notifications;
pub mod oauth_provider;
pub mod oauth_sign_in;
pub mod outgoing;
pub mod passwords;
pub mod plugins;
pub mod post_acknowledgements;
pub mod post_history;
pub mod post_priority;
pub mod post_reminders;
pub mod posts;
pub mod preferences;
pub mod purge;
pub mod reactions;
pub mod realtime;
mod replica_monitor;
pub mod roles;
pub mod saml;
pub mod scheduled_posts;
pub mod schemes;
pub mod search;
pub mod services;
pub mod sessions;
pub mod status;
pub mod support_packet;
pub mod system;
pub mod system_bot;
pub mod teams;
pub mod terms_of_service;
pub mod threads;
pub mod trigger_id;
pub mod unreads;
pub mod users;
pub mod webhooks;
mod workers;

use arc_swap::ArcSwap;
use services::Services;
use std::sync::{Arc, Mutex};
use std::time::Duration;
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
    /// Uploaded files: the file store and what uploads share (see `files`).
    pub files: files::Files,
    /// Where services publish what they committed (see `bus`).
    bus: Box<dyn bus::Bus>,
    config: ArcSwap<CurrentConfig>,
    roles: ArcSwap<RolePermissions>,
    /// The live permission schemes and the teams using one (see `schemes`).
    schemes: ArcSwap<utmost_model::scheme::SchemeTable>,
    /// The background workers; `shutdown` takes them to stop them.
    services: Mutex<Option<Services>>,
    /// The post search index and its indexer's wake-up (see `search`).
    pub(crate) search: search::Search,
    /// The HTTP client of every outgoing fetch (see `outgoing`).
    pub outgoing: outgoing::Outgoing,
    /// The job types this process runs (see `jobs::runner`).
    pub(crate) jobs: jobs::Wakes,
    /// "Now" for the data retention job and its schedule (tests set it).
    pub retention_clock: data_retention::Clock,
    /// The compliance reports created here, for their service (see `compliance`).
    pub(crate) compliance: compliance::Queue,
    /// The push notifications queue and client (see `notifications::push`).
    pub(crate) push: notifications::push::Push,
    /// Where the configuration is stored (file, database or memory; see `config_store`).
    pub(crate) config_store: std::sync::OnceLock<Arc<config_store::ConfigStore>>,
    /// What follows a configuration change without a restart (see `add_config_listener`).
    config_listeners: Mutex<Vec<config_store::Listener>>,
    /// The audit file's queue (see `audit`).
    pub audit: audit::AuditLog,
    /// This node's part in a cluster: the bus across nodes (see `cluster`).
    cluster: Option<Arc<cluster::Cluster>>,
    /// Whether this node is the cluster's leader (see `leader`).
    leadership: leader::Leadership,
    /// Posts waiting for their outgoing webhooks (see `webhooks::trigger`).
    pub(crate) outgoing_hooks: webhooks::trigger::Queue,
    /// The WebAssembly plugins this node runs (see `plugins`).
    pub plugins: plugins::Plugins,
    /// The command providers registered at run time (plugins; see `commands::registry`).
    pub commands: commands::registry::Registry,
}

/// How long each step of a shutdown may take (each service's stop, closing the database).
pub const STOP_BOUND: Duration = Duration::from_secs(5);

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
        apply_slow_store_call_threshold(&config);
        let store = Store::connect(&store_options(&config))
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
        store
            .connect_replicas(&replica_options(&config))
            .map_err(|e| AppError::internal("app.store.connect.app_error", e))?;
        sessions::hash_unmarked_tokens(&store).await?;
        let files = files::Files::start(&config, &store).await?;
        let (presence_tx, presence_rx) = tokio::sync::mpsc::channel(realtime::PRESENCE_QUEUE);
        let shards = std::thread::available_parallelism().map_or(2, |n| n.get() * 2);
        let (hub, hub_shards) = realtime::Hub::new(shards, presence_tx);
        let search = search::Search::open(&config, &store)?;
        let (compliance_queue, compliance_created) = compliance::Queue::new();
        let push = notifications::push::Push::new(config.email_settings.push_notification_buffer);
        let audit_log = audit::AuditLog::new(&config);
        let cluster = cluster::Cluster::from_config(&config, cluster::remote_subscribers())?;
        let app = Arc::new(App {
            store,
            hub,
            passwords: passwords::Passwords::for_this_machine(),
            statuses: status::StatusCache::default(),
            caches: caches::Caches::default(),
            files,
            // The caches first: later subscribers and the next request see the change.
            // Across nodes in a cluster: `cluster::remote_subscribers` hear the others' events.
            bus: cluster::bus(
                cluster.as_ref(),
                bus::LocalBus::new(vec![
                    Arc::new(caches::Invalidation),
                    Arc::new(events::HubSubscriber),
                    Arc::new(search::IndexerWake),
                    Arc::new(notifications::Notifier),
                    Arc::new(webhooks::trigger::Trigger),
                    Arc::new(plugins::hooks::PluginEvents),
                ])
                .then(extra),
            ),
            config: ArcSwap::from_pointee(CurrentConfig::new(config)),
            roles: ArcSwap::from_pointee(RolePermissions::builtin()),
            schemes: ArcSwap::from_pointee(Default::default()),
            services: Mutex::new(None),
            search,
            outgoing: outgoing::Outgoing::new(Arc::new(outgoing::SystemLookup)),
            jobs: jobs::Wakes::default(),
            retention_clock: data_retention::Clock::default(),
            compliance: compliance_queue,
            push,
            config_store: std::sync::OnceLock::new(),
            config_listeners: Mutex::new(Vec::new()),
            audit: audit_log,
            cluster,
            leadership: leader::Leadership::default(),
            outgoing_hooks: webhooks::trigger::Queue::default(),
            plugins: plugins::Plugins::default(),
            commands: commands::registry::Registry::default(),
        });
        app.plugins.belong_to(Arc::downgrade(&app));
        roles::seed_and_load(&app).await?;
        schemes::reload(&app).await?;
        status::load(&app).await?;
        // Stopped in the reverse order: the sockets close while the hub still runs, and the
        // presence worker outlives the hub to write the offline statuses it reported.
        let mut services = Services::new(STOP_BOUND);
        let weak = Arc::downgrade(&app);
        // First, so it stops last: the leader-only services stop before the lock is let go.
        let lock = leader::first_try(&app).await;
        services.start(leader::Election {
            app: weak.clone(),
            lock,
        });
        if app.store.has_replicas() {
            replica_monitor::check(&app).await;
            services.start(replica_monitor::ReplicaMonitor { app: weak.clone() });
        }
        services.start(workers::StoreMaintenance { app: weak.clone() });
        services.start(caches::outside_writes::Watch { app: weak.clone() });
        // Early, so it stops late: what the services stopped before it publish still leaves.
        if let Some(cluster) = app.cluster.clone() {
            cluster.start_services(&mut services, weak.clone());
        }
        // Early, so it stops late: what the services stopped before it record is written.
        if let Some(queue) = app.audit.take_receiver() {
            services.start(audit::file::AuditFileWriter {
                app: weak.clone(),
                queue,
            });
        }
        services.start(workers::Presence {
            app: weak,
            changes: presence_rx,
        });
        services.start(hub_shards);
        services.start(realtime::Connections {
            hub: app.hub.clone(),
        });
        if let Some(indexer) = search::indexer::Indexer::new(Arc::downgrade(&app), &app.search) {
            services.start(indexer);
        }
        jobs::runner::start(&mut services, &app, search::reindex_job::ReindexJobs);
        jobs::runner::start(&mut services, &app, bulk::jobs::ImportJobs);
        jobs::runner::start(&mut services, &app, bulk::jobs::ExportJobs);
        jobs::runner::start(&mut services, &app, data_retention::job::RetentionJobs);
        services.start(jobs::daily::Daily {
            app: Arc::downgrade(&app),
            job: data_retention::schedule::RetentionSchedule,
        });
        jobs::runner::start(&mut services, &app, message_export::MessageExportJobs);
        services.start(jobs::daily::Daily {
            app: Arc::downgrade(&app),
            job: message_export::schedule::DailyMessageExport,
        });
        jobs::runner::start(&mut services, &app, ldap::job::SyncJobs);
        services.start(ldap::job::Schedule {
            app: Arc::downgrade(&app),
        });
        services.start(compliance::ComplianceReports {
            app: Arc::downgrade(&app),
            created: compliance_created,
        });
        services.start(post_reminders::PostReminders {
            app: Arc::downgrade(&app),
            interval: post_reminders::CHECK_INTERVAL,
        });
        services.start(analytics::Analytics {
            app: Arc::downgrade(&app),
        });
        services.start(files::abandoned::AbandonedUploads {
            app: Arc::downgrade(&app),
        });
        services.start(bulk::cleanup::BulkFileCleanup {
            app: Arc::downgrade(&app),
        });
        services.start(email::outbox::OutboxSender {
            app: Arc::downgrade(&app),
        });
        if let Some(push) = app.push.service(Arc::downgrade(&app)) {
            services.start(push);
        }
        services.start(notifications::session_expiry::SessionExpiryPush {
            app: Arc::downgrade(&app),
        });
        services.start(notifications::persistent::PersistentNotifications {
            app: Arc::downgrade(&app),
        });
        if let Some(hooks) = app.outgoing_hooks.service(Arc::downgrade(&app)) {
            services.start(hooks);
        }
        services.start(plugins::supervisor::Supervisor {
            app: Arc::downgrade(&app),
        });
        // Last, so it stops first: what it sends still reaches the hub.
        services.start(scheduled_posts::Sender {
            app: Arc::downgrade(&app),
        });
        if let Ok(mut slot) = app.services.lock() {
            *slot = Some(services);
        }
        Ok(app)
    }

    /// Whether this node is the cluster's leader, the one that runs the schedulers (see
    /// `leader`); always true on SQLite.
    pub fn is_leader(&self) -> bool {
        self.leadership.get()
    }

    /// The configuration in force; cheap to call, never blocks.
    pub fn config(&self) -> Arc<Config> {
        self.config.load().config.clone()
    }

    /// A short hash of the configuration in force.
    pub fn config_hash(&self) -> Arc<str> {
        self.config.load().hash.clone()
    }

    /// Replaces the configuration (hot reload) and runs the config listeners.
    pub fn set_config(&self, config: Config) {
        apply_slow_store_call_threshold(&config);
        let old = self.config();
        self.config.store(Arc::new(CurrentConfig::new(config)));
        let new = self.config();
        let listeners = self.config_listeners.lock();
        for listener in listeners.iter().flat_map(|l| l.iter()) {
            listener(&old, &new);
        }
    }

    /// Runs `listener(old, new)` after every configuration change (Mattermost's
    /// `AddConfigListener`), for what reads a setting once and must follow a change.
    pub fn add_config_listener(&self, listener: impl Fn(&Config, &Config) + Send + Sync + 'static) {
        if let Ok(mut listeners) = self.config_listeners.lock() {
            listeners.push(Box::new(listener));
        }
    }

    /// The role → permissions table in force.
    pub fn role_permissions(&self) -> Arc<RolePermissions> {
        self.roles.load_full()
    }

    pub(crate) fn set_role_permissions(&self, roles: RolePermissions) {
        self.roles.store(Arc::new(roles));
    }

    /// The permission schemes in force (see `schemes`).
    pub fn scheme_table(&self) -> Arc<utmost_model::scheme::SchemeTable> {
        self.schemes.load_full()
    }

    pub(crate) fn set_scheme_table(&self, table: utmost_model::scheme::SchemeTable) {
        self.schemes.store(Arc::new(table));
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

    /// Stops the background workers, then closes the database; each step within
    /// `STOP_BOUND`, logged. The HTTP server must have stopped first.
    pub async fn shutdown(&self) {
        let services = self.services.lock().ok().and_then(|mut s| s.take());
        if let Some(mut services) = services {
            services.stop_all().await;
        }
        let started = std::time::Instant::now();
        match tokio::time::timeout(STOP_BOUND, self.store.close()).await {
            Ok(()) => tracing::info!(
                elapsed_ms = services::elapsed_ms(started),
                "database closed"
            ),
            Err(_) => tracing::error!("closing the database took longer than its bound; abandoned"),
        }
    }
}

/// How to reach the configured database (`SqlSettings`).
/// `LogSettings.SlowStoreCallMilliseconds` in force for the store's slow-call log.
fn apply_slow_store_call_threshold(config: &Config) {
    let ms = u64::try_from(config.log_settings.slow_store_call_milliseconds).unwrap_or(0);
    utmost_metrics::set_slow_store_call_threshold(std::time::Duration::from_millis(ms));
}

pub fn store_options(config: &Config) -> StoreOptions {
    StoreOptions {
        driver: config.sql_settings.driver_name.clone(),
        data_source: config.database_url(),
        max_connections: u32::try_from(config.sql_settings.max_open_conns.clamp(2, 300))
            .unwrap_or(20),
        query_timeout: std::time::Duration::from_secs(
            u64::try_from(config.sql_settings.query_timeout.max(1)).unwrap_or(30),
        ),
    }
}

/// Where the read replicas are (`SqlSettings.DataSourceReplicas`, `DataSourceSearchReplicas`).
pub fn replica_options(config: &Config) -> utmost_store::replicas::ReplicaOptions {
    let options = store_options(config);
    utmost_store::replicas::ReplicaOptions {
        replicas: config.sql_settings.data_source_replicas.clone(),
        search_replicas: config.sql_settings.data_source_search_replicas.clone(),
        max_connections: options.max_connections,
        query_timeout: options.query_timeout,
    }
}

/// The channels and teams a user belongs to, which decide the events their connections get.
pub async fn realtime_routes(app: &App, user_id: &str) -> AppResult<(Vec<String>, Vec<String>)> {
    Ok(utmost_store::authz::memberships(&app.store, user_id).await?)
}
