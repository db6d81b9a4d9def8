//! `/api/v4`, one module per Mattermost api4 file.

pub mod analytics;
pub mod audit;
pub mod bleve;
pub mod bot;
pub mod channel;
pub mod channel_bookmark;
pub mod channel_category;
pub mod cluster;
pub mod command;
pub mod compliance;
pub mod config;
pub mod config_write;
pub mod data_retention;
pub mod doctor;
pub mod drafts;
pub mod elasticsearch;
pub mod email;
pub mod emoji;
pub mod export;
pub mod file;
pub mod file_search;
pub mod group;
mod group_custom;
pub mod guests;
pub mod image;
pub mod import;
pub mod integration_action;
pub mod job;
pub mod ldap;
pub mod license;
pub mod limits;
pub mod logs;
pub mod oauth_app;
pub mod opengraph;
pub mod plugin;
pub mod post;
pub mod post_extras;
pub mod post_search;
pub mod preference;
pub mod push_notification;
pub mod reaction;
pub mod report;
pub mod role;
pub mod saml;
pub mod scheduled_post;
pub mod scheme;
pub mod status;
pub mod system;
pub mod team;
pub mod team_import;
pub mod team_invite;
pub mod terms_of_service;
pub mod unread;
pub mod upload;
pub mod user;
pub mod webhook;
pub mod websocket;

use crate::AppState;
use axum::{Json, Router};
use serde_json::{json, Value};

/// `{"status":"OK"}`, Mattermost's answer to a mutation that returns nothing.
fn status_ok() -> Json<Value> {
    Json(json!({"status": "OK"}))
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(user::routes())
        .merge(team::routes())
        .merge(channel::routes())
        .merge(channel_category::routes())
        .merge(post::routes())
        .merge(post_extras::routes())
        .merge(preference::routes())
        .merge(reaction::routes())
        .merge(emoji::routes())
        .merge(role::routes())
        .merge(system::routes())
        .merge(analytics::routes())
        .merge(report::routes())
        .merge(config::routes())
        .merge(data_retention::routes())
        .merge(doctor::routes())
        .merge(compliance::routes())
        .merge(group::routes())
        .merge(license::routes())
        .merge(limits::routes())
        .merge(plugin::routes())
        .merge(status::routes())
        .merge(unread::routes())
        .merge(websocket::routes())
        .merge(drafts::routes())
        .merge(scheduled_post::routes())
        .merge(channel_bookmark::routes())
        .merge(file::routes())
        .merge(upload::routes())
        .merge(post_search::routes())
        .merge(elasticsearch::routes())
        .merge(file_search::routes())
        .merge(opengraph::routes())
        .merge(image::routes())
        .merge(email::routes())
        .merge(job::routes())
        .merge(bleve::routes())
        .merge(import::routes())
        .merge(export::routes())
        .merge(team_import::routes())
        .merge(push_notification::routes())
        .merge(guests::routes())
        .merge(team_invite::routes())
        .merge(terms_of_service::routes())
        .merge(ldap::routes())
        .merge(saml::routes())
        .merge(scheme::routes())
        .merge(audit::routes())
        .merge(logs::routes())
        .merge(cluster::routes())
        .merge(webhook::routes())
        .merge(bot::routes())
        .merge(oauth_app::routes())
        .merge(integration_action::routes())
        .merge(command::routes())
}
