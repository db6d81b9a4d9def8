//! `/api/v4`, one module per Mattermost api4 file.

pub mod channel;
pub mod config;
pub mod post;
pub mod preference;
pub mod role;
pub mod system;
pub mod team;
pub mod user;

use crate::AppState;
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(user::routes())
        .merge(team::routes())
        .merge(channel::routes())
        .merge(post::routes())
        .merge(preference::routes())
        .merge(role::routes())
        .merge(system::routes())
        .merge(config::routes())
}
