//! `/cluster/status` (Mattermost's api4/cluster.go): the live nodes of the cluster, each as
//! its last heartbeat left it in Redis (`app::cluster`); an empty list on one node.
//!
//! It takes `sysconsole_read_environment_high_availability`, which nobody holds under
//! `ExperimentalSettings.RestrictSystemAdmin` (Mattermost's
//! `SessionHasPermissionToAndNotRestrictedAdmin`).

use crate::auth::Auth;
use crate::{ApiResult, AppState};
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use utmost_app::authorization::require_system_unrestricted;
use utmost_app::cluster::ClusterInfo;
use utmost_model::permissions::SYSCONSOLE_READ_ENVIRONMENT_HIGH_AVAILABILITY;

pub fn routes() -> Router<AppState> {
    Router::new().route("/cluster/status", get(cluster_status))
}

async fn cluster_status(
    State(app): State<AppState>,
    Auth(session): Auth,
) -> ApiResult<Json<Vec<ClusterInfo>>> {
    require_system_unrestricted(
        &app,
        &session,
        SYSCONSOLE_READ_ENVIRONMENT_HIGH_AVAILABILITY,
    )?;
    Ok(Json(app.cluster_status().await?))
}
