//! `/audits` and `/users/{user_id}/audits`: Mattermost's legacy audit rows (`app::audit`),
//! newest first, a page at a time.

use crate::auth::Auth;
use crate::extract::{ApiPath, ApiQuery, Paging};
use crate::{ApiResult, AppState};
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use utmost_app::authorization::{require_act_on_user, require_system};
use utmost_model::audit::Audit;
use utmost_model::permissions;
use utmost_model::UserParam;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/audits", get(get_audits))
        .route("/users/{user_id}/audits", get(get_user_audits))
}

/// Every user's audits: `read_audits`, which system admins (and the read-only admin) hold.
async fn get_audits(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiQuery(paging): ApiQuery<Paging>,
) -> ApiResult<Json<Vec<Audit>>> {
    require_system(&app, &session, permissions::READ_AUDITS)?;
    Ok(Json(
        utmost_app::audit::page(&app, None, paging.page, paging.per_page).await?,
    ))
}

/// One user's audits: the user themself, or `edit_other_users` (Mattermost's
/// `SessionHasPermissionToUser`).
async fn get_user_audits(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(user_id): ApiPath<UserParam>,
    ApiQuery(paging): ApiQuery<Paging>,
) -> ApiResult<Json<Vec<Audit>>> {
    let user_id = user_id.resolve(&session);
    require_act_on_user(&app, &session, &user_id).await?;
    Ok(Json(
        utmost_app::audit::page(&app, Some(&user_id), paging.page, paging.per_page).await?,
    ))
}
