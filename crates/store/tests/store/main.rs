//! The store's tests: each written once and run on SQLite and on a fresh PostgreSQL database,
//! one module per store module, as Mattermost's `storetest` suites are; and the schema parity
//! of the two databases' migrations.

// A failed expectation is a failed test, not an error to handle.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

mod access_tokens;
mod audits;
mod authz;
mod categories;
mod channel_bookmarks;
mod channels;
mod drafts;
mod email_outbox;
mod emoji;
mod file_search;
mod fileinfo;
mod groups;
mod jobs;
mod link_metadata;
mod mfa;
mod notifications;
mod oauth_provider;
mod post_extras;
mod posts;
mod preferences;
mod reactions;
mod roles;
mod saml;
mod scheduled_posts;
mod sessions;
mod status;
mod systems;
mod teams;
mod threads;
mod unreads;
mod users;
mod webhooks;

mod schema_parity;
