//! The API tests: a real server on 127.0.0.1:0 per test, driven over HTTP and WebSocket.
//!
//! One test binary with a module per area, so the server is linked once for all of them;
//! select an area with its module path, e.g. `cargo test -p utmost-api --test api users_login::`.

// Tests fail by panicking; helpers outside #[test] functions may unwrap too.
#![allow(clippy::unwrap_used, clippy::expect_used)]

// Helpers shared by several areas.
mod channels_support;
mod compliance_api;
mod custom_groups;
mod delegated_admin;
mod files_support;
mod links_support;
mod posts_support;
mod support;
mod teams_support;
mod threads_api;
mod users_support;

mod analytics_api;
mod audit_api;
mod bookmarks_api;
mod bulk_api;
mod bus_commit;
mod cache_invalidation;
mod categories_api;
mod channels_crud;
mod channels_direct;
mod channels_lists;
mod channels_members;
mod cluster_bus;
mod cluster_leader;
mod config_api;
mod data_retention;
mod drafts_api;
mod email_api;
mod emoji_api;
mod files_api;
mod files_extras;
mod files_s3;
mod files_uploads;
mod guests;
mod hardening;
mod jobs_api;
mod ldap;
mod ldap_groups;
mod links_api;
mod links_ssrf;
mod logs_api;
mod message_export;
mod mfa;
mod oauth_sign_in;
mod path_ids;
mod permanent_deletion;
mod posts_create;
mod posts_edit;
mod posts_ephemeral;
mod posts_history;
mod posts_priority;
mod posts_read;
mod posts_reminders;
mod posts_saved;
mod preferences_api;
mod push_api;
mod ratelimit_api;
mod reactions_api;
mod read_replicas;
mod realtime_events;
mod roles_api;
mod saml;
mod scheduled_posts;
mod schemes;
mod search_files;
mod search_permissions;
mod search_posts;
mod service_errors;
mod signup_rules;
mod slack_import;
mod startup_calls;
mod statements;
mod system_api;
mod system_posts_channels;
mod system_posts_teams;
mod teams_crud;
mod teams_events;
mod teams_members;
mod teams_users;
mod unreads;
mod users_directory;
mod users_login;
mod users_profile;
mod users_sessions;
mod users_tokens;
mod webapp;
mod websocket;
mod ws_quick_reconnect;
