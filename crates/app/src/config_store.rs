//! The configuration's store and the config API's rules (Mattermost's `config/store.go`,
//! `app/platform/config.go` and the checks of `api4/config.go`).
//!
//! The configuration lives in a `config.json` file, in a database (Mattermost's
//! `configurations` and `configurationfiles` tables, when `--config` / `MM_CONFIG` is a
//! `postgres://` or `sqlite://` DSN), or, without either, in memory. A save writes the new
//! document to its store (a file atomically, a database as a new active row), then the
//! server takes it in force (`App::set_config`, whose listeners follow it) and publishes
//! `config_changed`. Settings supplied by `MM_*` variables or `--set` are locked: a save keeps
//! their stored value and they stay in force.

use crate::bus::Event;
use crate::{system, App, AppResult};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use utmost_config::access::Holder;
use utmost_config::persist::{self, DatabaseDsn, Location};
use utmost_config::{Config, ConfigError, Loaded, Source};
use utmost_model::permissions::SYSCONSOLE_READ;
use utmost_model::session::Session;
use utmost_model::AppError;
use utmost_store::{configurations, Store, StoreError, StoreOptions};

/// A function run after each configuration change with the old and the new config.
pub type Listener = Box<dyn Fn(&Config, &Config) + Send + Sync>;

/// Why the configuration could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum ConfigStoreError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error("config database: {0}")]
    Store(#[from] StoreError),
    #[error("writing {}: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the config database's active configuration is not valid JSON: {0}")]
    Parse(serde_json::Error),
}

enum Backing {
    Memory,
    File(PathBuf),
    Database { dsn: DatabaseDsn, store: Store },
}

/// The stored document as last read or written, and where each value in force came from.
struct State {
    document: Value,
    sources: BTreeMap<String, Source>,
}

/// Where the configuration is stored, with the environment and command-line layers that
/// apply over it.
pub struct ConfigStore {
    backing: Backing,
    env: Vec<(String, String)>,
    overrides: Vec<(String, String)>,
    /// Saves and reloads one at a time.
    state: tokio::sync::Mutex<State>,
}

impl ConfigStore {
    /// Opens the configuration at `location` (a file path or a database DSN; `None`: the
    /// defaults, kept in memory) and loads it with `env` and `overrides` over it.
    pub async fn open(
        location: Option<&str>,
        env: Vec<(String, String)>,
        overrides: Vec<(String, String)>,
    ) -> Result<(ConfigStore, Loaded), ConfigStoreError> {
        let backing = match location.map(Location::parse) {
            None => Backing::Memory,
            Some(Location::File(path)) => Backing::File(path),
            Some(Location::Database(dsn)) => {
                let store = Store::connect(&StoreOptions {
                    driver: dsn.driver.clone(),
                    data_source: dsn.data_source.clone(),
                    // Mattermost's config database pool is as small.
                    max_connections: 2,
                    query_timeout: Duration::from_secs(30),
                })
                .await?;
                configurations::ensure_tables(&store).await?;
                Backing::Database { dsn, store }
            }
        };
        let store = ConfigStore {
            backing,
            env,
            overrides,
            state: tokio::sync::Mutex::new(State {
                document: Value::Object(Default::default()),
                sources: BTreeMap::new(),
            }),
        };
        let loaded = {
            let mut state = store.state.lock().await;
            store.load_locked(&mut state).await?
        };
        Ok((store, loaded))
    }

    /// A store in memory for `loaded` (a server started without a config location).
    pub fn memory(loaded: &Loaded, env: Vec<(String, String)>) -> ConfigStore {
        ConfigStore {
            backing: Backing::Memory,
            env,
            overrides: Vec::new(),
            state: tokio::sync::Mutex::new(State {
                document: persist::document(
                    &Value::Object(Default::default()),
                    &loaded.config,
                    &loaded.sources,
                ),
                sources: loaded.sources.clone(),
            }),
        }
    }

    /// The `MM_*` variables this configuration was loaded with.
    pub fn env(&self) -> &[(String, String)] {
        &self.env
    }

    /// Where the configuration is kept, as the support packet names it: `file`,
    /// `database` or `memory`.
    pub fn describe(&self) -> &'static str {
        match self.backing {
            Backing::Memory => "memory",
            Backing::File(_) => "file",
            Backing::Database { .. } => "database",
        }
    }

    /// The config database, when the configuration is kept in one: its own files (the SAML
    /// certificates) are then rows of that database's `configurationfiles`, as Mattermost
    /// keeps them, so every node reads the same ones.
    pub fn database(&self) -> Option<&Store> {
        match &self.backing {
            Backing::Database { store, .. } => Some(store),
            _ => None,
        }
    }

    /// Whether the configuration is kept in a database.
    pub fn is_database(&self) -> bool {
        matches!(self.backing, Backing::Database { .. })
    }

    /// The stored document (what the file or active row holds).
    pub async fn document(&self) -> Value {
        self.state.lock().await.document.clone()
    }

    /// Reads the stored document again and loads it.
    pub async fn load(&self) -> Result<Loaded, ConfigStoreError> {
        let mut state = self.state.lock().await;
        self.load_locked(&mut state).await
    }

    async fn load_locked(&self, state: &mut State) -> Result<Loaded, ConfigStoreError> {
        let document = match &self.backing {
            // Memory keeps what was last saved (nothing: the defaults and the layers).
            Backing::Memory => Some(state.document.clone()),
            _ => self.read().await?,
        };
        let origin = self.origin();
        let mut loaded = match &document {
            Some(doc) => {
                Config::load_document(Some((doc, origin.as_path())), &self.env, &self.overrides)?
            }
            None => Config::load_document(None, &self.env, &self.overrides)?,
        };
        loaded.config.loaded_from_dir = self.files_dir();
        if let Some(document) = document {
            state.document = document;
        }
        state.sources.clone_from(&loaded.sources);
        Ok(loaded)
    }

    /// Stores `config` (the settings locked by the environment or command line keep their
    /// stored value) and returns the configuration now in force.
    pub async fn save(&self, config: &Config) -> Result<Loaded, ConfigStoreError> {
        let mut state = self.state.lock().await;
        let document = persist::document(&state.document, config, &state.sources);
        let origin = self.origin();
        let mut loaded = Config::load_document(
            Some((&document, origin.as_path())),
            &self.env,
            &self.overrides,
        )?;
        loaded.config.loaded_from_dir = self.files_dir();
        self.write(&document).await?;
        state.document = document;
        state.sources.clone_from(&loaded.sources);
        Ok(loaded)
    }

    /// Replaces the stored document as it is (`utmost config migrate`).
    pub async fn write_document(&self, document: &Value) -> Result<(), ConfigStoreError> {
        let mut state = self.state.lock().await;
        self.write(document).await?;
        state.document = document.clone();
        Ok(())
    }

    async fn read(&self) -> Result<Option<Value>, ConfigStoreError> {
        match &self.backing {
            Backing::Memory => Ok(None),
            Backing::File(path) => Ok(Some(persist::read_file(path)?)),
            Backing::Database { dsn, store } => match configurations::active(store).await? {
                Some(text) => Ok(Some(
                    serde_json::from_str(&text).map_err(ConfigStoreError::Parse)?,
                )),
                None => Ok(Some(persist::initial_database_document(dsn))),
            },
        }
    }

    async fn write(&self, document: &Value) -> Result<(), ConfigStoreError> {
        match &self.backing {
            Backing::Memory => Ok(()),
            Backing::File(path) => {
                let (path, document) = (path.clone(), document.clone());
                let written = tokio::task::spawn_blocking(move || {
                    persist::write_file_atomically(&path, &document)
                        .map_err(|source| ConfigStoreError::Write { path, source })
                })
                .await;
                match written {
                    Ok(result) => result,
                    Err(e) => Err(ConfigStoreError::Write {
                        path: PathBuf::new(),
                        source: std::io::Error::other(e),
                    }),
                }
            }
            Backing::Database { store, .. } => {
                use sha2::{Digest, Sha256};
                let text = persist::to_pretty_json(document);
                let sha = hex::encode(Sha256::digest(text.as_bytes()));
                configurations::save(
                    store,
                    &utmost_model::new_id(),
                    &text,
                    &sha,
                    utmost_model::time::now_millis(),
                )
                .await?;
                Ok(())
            }
        }
    }

    /// What errors about the stored document name.
    fn origin(&self) -> PathBuf {
        match &self.backing {
            Backing::Memory => PathBuf::from("(memory)"),
            Backing::File(path) => path.clone(),
            Backing::Database { .. } => PathBuf::from("the config database"),
        }
    }

    /// Where the config's own files live: the config file's directory (a database config
    /// keeps them in `FileSettings.Directory`, as a config without a file does).
    fn files_dir(&self) -> Option<PathBuf> {
        match &self.backing {
            Backing::File(path) => Some(match path.parent() {
                Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
                _ => PathBuf::from("."),
            }),
            _ => None,
        }
    }

    /// Mattermost's read-only file configuration: a cluster with `ReadOnlyConfig`.
    fn read_only(&self, in_force: &Config) -> bool {
        matches!(self.backing, Backing::File(_))
            && in_force.cluster_settings.enable
            && in_force.cluster_settings.read_only_config
    }

    /// Closes the config database's connections.
    pub async fn close(&self) {
        if let Backing::Database { store, .. } = &self.backing {
            store.close().await;
        }
    }
}

/// The file path of a config location, if it is a file.
pub fn file_path(location: &str) -> Option<PathBuf> {
    match Location::parse(location) {
        Location::File(path) => Some(path),
        Location::Database(_) => None,
    }
}

impl App {
    /// Makes `store` the configuration's store (the server attaches the one it loaded from;
    /// without one, a save stays in memory). Only the first call counts.
    pub fn attach_config_store(&self, store: ConfigStore) {
        let _ = self.config_store.set(Arc::new(store));
    }

    /// The configuration's store, if the server attached one.
    pub fn attached_config_store(&self) -> Option<Arc<ConfigStore>> {
        self.config_store.get().cloned()
    }

    pub(crate) fn config_store(&self) -> Arc<ConfigStore> {
        self.config_store
            .get_or_init(|| {
                let loaded = Loaded {
                    config: (*self.config()).clone(),
                    sources: BTreeMap::new(),
                };
                Arc::new(ConfigStore::memory(&loaded, Vec::new()))
            })
            .clone()
    }
}

fn save_error(e: ConfigStoreError) -> AppError {
    AppError::internal("app.save_config.app_error", e)
}

/// What `session` may read and write of the configuration through the API.
pub fn access(app: &App, session: &Session) -> Holder {
    let roles = app.role_permissions();
    let session_roles = session.roles.clone();
    Holder {
        any_sysconsole_read: SYSCONSOLE_READ
            .iter()
            .any(|p| roles.has_system(&session_roles, p)),
        has: Box::new(move |p| roles.has_system(&session_roles, p)),
        restrict_system_admin: app.config().experimental_settings.restrict_system_admin,
    }
}

/// `new` with the settings `access` may not write put back to their current values.
fn within(access: &Holder, current: &Config, new: Config) -> AppResult<Config> {
    let document = |c: &Config| {
        serde_json::to_value(c).map_err(|e| AppError::internal("api.marshal_error", e))
    };
    let allowed = access.writable(document(&new)?, &document(current)?);
    let mut new = from_body(&allowed)?;
    new.loaded_from_dir.clone_from(&current.loaded_from_dir);
    Ok(new)
}

/// `PUT /config`: `new` replaces the whole configuration (missing keys took their defaults),
/// as far as `access` may write it.
pub async fn update(app: &App, new: Config, access: &Holder) -> AppResult<Arc<Config>> {
    let current = app.config();
    if !current.service_settings.site_url.is_empty() && new.service_settings.site_url.is_empty() {
        return Err(clear_site_url());
    }
    let new = within(access, &current, new)?;
    save(app, &current, new).await
}

/// `PUT /config/patch`: the keys of `patch` that `access` may write change, the others stay.
pub async fn patch(app: &App, patch: &Value, access: &Holder) -> AppResult<Arc<Config>> {
    let current = app.config();
    let clears_site_url = patch
        .as_object()
        .and_then(|p| {
            p.iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("ServiceSettings"))
        })
        .and_then(|(_, s)| s.as_object())
        .and_then(|s| s.iter().find(|(k, _)| k.eq_ignore_ascii_case("SiteURL")))
        .is_some_and(|(_, v)| v.as_str() == Some(""));
    if !current.service_settings.site_url.is_empty() && clears_site_url {
        return Err(clear_site_url());
    }
    let new = persist::patched(&current, patch)
        .map_err(|e| AppError::invalid_param("config").with_detail(e.to_string()))?;
    let new = within(access, &current, new)?;
    save(app, &current, new).await
}

/// A whole configuration from a request body: the keys it has over the defaults (Go's
/// decoder ignores case; unknown keys are ignored).
pub fn from_body(body: &Value) -> AppResult<Config> {
    persist::patched(&Config::default(), body)
        .map_err(|e| AppError::invalid_param("config").with_detail(e.to_string()))
}

fn clear_site_url() -> AppError {
    AppError::bad_request(
        "api.config.update_config.clear_siteurl.app_error",
        "Site URL cannot be cleared.",
    )
}

async fn save(app: &App, current: &Config, mut new: Config) -> AppResult<Arc<Config>> {
    persist::restore_secrets(&mut new, current);
    check_savable(app, &new)?;
    let loaded = app.config_store().save(&new).await.map_err(save_error)?;
    apply(app, loaded.config).await?;
    Ok(app.config())
}

/// Whether `new` (a whole configuration, secrets unmasked) would be saved: valid, and the
/// configuration not read-only. A change that must not half-happen checks this first.
pub(crate) fn check_savable(app: &App, new: &Config) -> AppResult<()> {
    new.is_valid().map_err(|invalid| {
        AppError::bad_request(&invalid.id, invalid.to_string()).with_detail(invalid.reason)
    })?;
    if app.config_store().read_only(&app.config()) {
        return Err(AppError::forbidden(
            "ent.cluster.save_config.error",
            "System Console is set to read-only when High Availability is enabled unless \
             ReadOnlyConfig is disabled in the configuration file.",
        ));
    }
    Ok(())
}

/// Saves `new`, a changed copy of the configuration in force (the server's own change, not
/// a client's: nothing is filtered by access).
pub(crate) async fn save_as_is(app: &App, new: Config) -> AppResult<Arc<Config>> {
    save(app, &app.config(), new).await
}

/// `POST /config/reload`: reads the file or active row again and takes it in force.
pub async fn reload(app: &App) -> AppResult<()> {
    let store = app.config_store();
    let loaded = store
        .load()
        .await
        .map_err(|e| AppError::internal("api.config.reload_config.app_error", e))?;
    loaded
        .config
        .is_valid()
        .map_err(|invalid| AppError::internal("api.config.reload_config.app_error", invalid))?;
    apply(app, loaded.config).await
}

/// Takes `config` in force and tells the clients.
async fn apply(app: &App, config: Config) -> AppResult<()> {
    app.set_config(config);
    let facts = system::client_facts(app).await?;
    let client_config = system::client_config(&app.config(), &facts, true);
    app.publish(Event::ConfigChanged { client_config }).await;
    Ok(())
}

/// The `MM_*` variables in force: the attached store's, or the process's.
pub fn environment(app: &App) -> Vec<(String, String)> {
    match app.attached_config_store() {
        Some(store) => store.env().to_vec(),
        None => system::process_environment(),
    }
}

/// Copies the stored document at `from` to `to` as it is (`utmost config migrate`: file to
/// database and back); the config files stay where they are.
pub async fn migrate(from: &str, to: &str) -> Result<(), ConfigStoreError> {
    let (source, _) = ConfigStore::open(Some(from), Vec::new(), Vec::new()).await?;
    let document = source.document().await;
    source.close().await;
    let target = open_for_write(to).await?;
    target.write_document(&document).await?;
    target.close().await;
    Ok(())
}

/// A store to write to: a missing file is fine (it is created), an empty database too.
async fn open_for_write(location: &str) -> Result<ConfigStore, ConfigStoreError> {
    if let Some(path) = file_path(location) {
        if !Path::new(&path).exists() {
            return Ok(ConfigStore {
                backing: Backing::File(path),
                env: Vec::new(),
                overrides: Vec::new(),
                state: tokio::sync::Mutex::new(State {
                    document: Value::Object(Default::default()),
                    sources: BTreeMap::new(),
                }),
            });
        }
    }
    Ok(ConfigStore::open(Some(location), Vec::new(), Vec::new())
        .await?
        .0)
}
