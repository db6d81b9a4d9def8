//! `GET /reports/users` and `GET /reports/users/count` (Mattermost's `api4/report.go`): the
//! System Console's user report.

use crate::auth::Auth;
use crate::extract::ApiQuery;
use crate::{ApiResult, AppState};
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use utmost_app::analytics::reports::{self, ReportFilter, ReportPage, UserReport};
use utmost_app::authorization::{has_system_permission, is_system_admin, require};
use utmost_app::App;
use utmost_model::permissions as perm;
use utmost_model::session::Session;
use utmost_model::AppError;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/reports/users", get(users_for_reporting))
        .route("/reports/users/count", get(user_count_for_reporting))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ReportQuery {
    sort_column: String,
    direction: String,
    sort_direction: String,
    page_size: String,
    from_column_value: String,
    from_id: String,
    date_range: String,
    role_filter: String,
    team_filter: String,
    has_no_team: String,
    hide_active: String,
    hide_inactive: String,
    search_term: String,
}

/// Mattermost's check: a system admin who may read the console's users.
fn require_reporting(app: &App, session: &Session) -> Result<(), AppError> {
    require(
        is_system_admin(app, session)
            && has_system_permission(app, session, perm::SYSCONSOLE_READ_USER_MANAGEMENT_USERS),
        perm::SYSCONSOLE_READ_USER_MANAGEMENT_USERS,
    )
}

/// The filters both routes share, checked as Mattermost checks them.
fn filter(q: &ReportQuery) -> Result<ReportFilter, AppError> {
    if !(q.team_filter.is_empty() || utmost_model::is_valid_id(&q.team_filter)) {
        return Err(AppError::bad_request(
            "api.getUsersForReporting.invalid_team_filter",
            "Invalid team filter.",
        ));
    }
    let hide_active = q.hide_active == "true";
    let hide_inactive = q.hide_inactive == "true";
    if hide_active && hide_inactive {
        return Err(AppError::bad_request(
            "api.getUsersForReporting.invalid_active_filter",
            "Cannot hide both active and inactive users.",
        ));
    }
    Ok(ReportFilter {
        role: q.role_filter.clone(),
        team: q.team_filter.clone(),
        has_no_team: q.has_no_team == "true",
        hide_active,
        hide_inactive,
        search_term: q.search_term.clone(),
    })
}

async fn users_for_reporting(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiQuery(q): ApiQuery<ReportQuery>,
) -> ApiResult<Json<Vec<UserReport>>> {
    require_reporting(&app, &session)?;
    let filter = filter(&q)?;
    let page_size = q.page_size.parse::<i64>().unwrap_or(50);
    if !(1..=reports::MAX_PAGE_SIZE).contains(&page_size) {
        return Err(AppError::bad_request(
            "api.getUsersForReporting.invalid_page_size",
            "Invalid page size.",
        )
        .into());
    }
    let page = ReportPage {
        sort_column: if q.sort_column.is_empty() {
            "Username".into()
        } else {
            q.sort_column.clone()
        },
        sort_desc: q.sort_direction == "desc",
        direction: q.direction.clone(),
        page_size,
        from_column_value: q.from_column_value.clone(),
        from_id: q.from_id.clone(),
        date_range: q.date_range.clone(),
    };
    Ok(Json(reports::users(&app, &filter, &page).await?))
}

async fn user_count_for_reporting(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiQuery(q): ApiQuery<ReportQuery>,
) -> ApiResult<Json<i64>> {
    require_reporting(&app, &session)?;
    let filter = filter(&q)?;
    Ok(Json(reports::count(&app, &filter).await?))
}
