//! The database. One SQL string per query serves SQLite and PostgreSQL (`$N` placeholders,
//! lower-case Mattermost table and column names); nothing outside this crate knows which runs.

pub mod authz;
mod db;
mod error;
pub mod types;

pub mod access_tokens;
pub mod channels;
pub mod member_profiles;
pub mod posts;
pub mod preferences;
pub mod roles;
pub mod sessions;
pub mod status;
pub mod systems;
pub mod teams;
pub mod unreads;
pub mod users;

pub use db::{DbKind, Store, StoreOptions};
pub use error::StoreError;

pub type Result<T, E = StoreError> = std::result::Result<T, E>;
