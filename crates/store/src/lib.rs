//! The database. One SQL string per query serves SQLite and PostgreSQL (`$N` placeholders,
//! lower-case Mattermost table and column names); nothing outside this crate knows which runs.

pub mod authz;
pub mod backup;
mod db;
mod error;
pub mod types;

pub mod access_tokens;
pub mod analytics;
pub mod audits;
pub mod bots;
pub mod bulk;
pub mod categories;
pub mod channel_bookmarks;
pub mod channels;
pub mod commands;
pub mod compliance;
pub mod configurations;
pub mod drafts;
pub mod email_outbox;
pub mod emoji;
pub mod file_search;
pub mod fileinfo;
pub mod flagged_posts;
pub mod full_text;
pub mod groups;
pub mod guests;
pub mod jobs;
pub mod leader;
pub mod link_metadata;
pub mod member_profiles;
pub mod message_export;
pub mod mfa;
pub mod notifications;
pub mod oauth_provider;
pub mod plugin_kv;
pub mod post_acknowledgements;
pub mod post_history;
pub mod post_priority;
pub mod post_reminders;
pub mod posts;
pub mod preferences;
pub mod purge;
pub mod reactions;
pub mod replicas;
pub mod retention;
pub mod roles;
pub mod saml;
pub mod scheduled_posts;
pub mod schemes;
pub mod search;
pub mod sessions;
pub mod status;
pub mod systems;
pub mod teams;
pub mod terms_of_service;
pub mod threads;
pub mod tokens;
pub mod unreads;
pub mod upload_sessions;
pub mod users;
pub mod webhooks;

pub use db::PoolStats;
pub use db::{DbKind, Store, StoreOptions};
pub use error::StoreError;

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Whether a read sees soft-deleted rows (deleted posts, archived channels, deactivated
/// users), in place of an `include_deleted: bool` whose `true` says nothing at the call site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deleted {
    Exclude,
    Include,
}

impl Deleted {
    /// From a request's `include_deleted` flag.
    pub fn included_if(include_deleted: bool) -> Self {
        if include_deleted {
            Deleted::Include
        } else {
            Deleted::Exclude
        }
    }

    /// The WHERE condition (with its leading ` AND`) that leaves deleted rows of `alias` out,
    /// or nothing.
    pub(crate) fn filter(self, alias: &str) -> String {
        match self {
            Deleted::Exclude => format!(" AND {alias}.deleteat = 0"),
            Deleted::Include => String::new(),
        }
    }
}
