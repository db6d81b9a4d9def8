//! The System Console's user report (Mattermost's `app/report.go`, `GetUsersForReporting`
//! and `GetUserCountForReport`): pages of accounts, bots left out, sorted by a profile column
//! with a keyset cursor, each with its post statistics over a date range. The statistics come
//! from the daily aggregates (`store::analytics`), so, as Mattermost's `poststats` view, they
//! cover the computed days, not today.

use crate::{App, AppResult};
use serde::Serialize;
use utmost_model::user::User;
use utmost_model::AppError;
use utmost_store::analytics::{self as stats, day_of, DAY};
use utmost_store::users::{self as store, ReportColumn, UserFilter};

/// Mattermost's `ReportingMaxPageSize`.
pub const MAX_PAGE_SIZE: i64 = 100;

/// The filters both report routes take.
#[derive(Debug, Clone, Default)]
pub struct ReportFilter {
    pub role: String,
    pub team: String,
    pub has_no_team: bool,
    pub hide_active: bool,
    pub hide_inactive: bool,
    pub search_term: String,
}

/// One page's query beyond the filters.
#[derive(Debug, Clone, Default)]
pub struct ReportPage {
    pub sort_column: String,
    pub sort_desc: bool,
    /// `prev` (or `up`) pages backwards from the cursor; anything else forwards.
    pub direction: String,
    pub page_size: i64,
    pub from_column_value: String,
    pub from_id: String,
    pub date_range: String,
}

/// One row of the report (`model.UserReport`): the profile and its post statistics.
#[derive(Debug, Clone, Serialize)]
pub struct UserReport {
    #[serde(flatten)]
    pub user: User,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_status_at: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_post_date: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub days_active: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_posts: Option<i64>,
}

fn user_filter(f: &ReportFilter) -> UserFilter {
    let terms: Vec<String> = f
        .search_term
        .split_whitespace()
        .map(|t| t.trim_start_matches('@').to_string())
        .filter(|t| !t.is_empty())
        .collect();
    UserFilter {
        role: (!f.role.is_empty()).then(|| f.role.clone()),
        in_team: (!f.has_no_team && !f.team.is_empty()).then(|| f.team.clone()),
        without_team: f.has_no_team,
        active: if f.hide_active {
            Some(false)
        } else if f.hide_inactive {
            Some(true)
        } else {
            None
        },
        terms,
        match_full_names: true,
        match_emails: true,
        ..UserFilter::default()
    }
}

fn column(name: &str) -> Option<ReportColumn> {
    Some(match name {
        "CreateAt" => ReportColumn::CreateAt,
        "Username" => ReportColumn::Username,
        "FirstName" => ReportColumn::FirstName,
        "LastName" => ReportColumn::LastName,
        "Nickname" => ReportColumn::Nickname,
        "Email" => ReportColumn::Email,
        "Roles" => ReportColumn::Roles,
        _ => return None,
    })
}

/// The date range's `[start, end)` in ms (0: open), Mattermost's `GetReportDateRange` in UTC.
pub fn date_range(range: &str, now: i64) -> (i64, i64) {
    match range {
        "last_30_days" | "last30days" => (now - 30 * DAY, 0),
        "previous_month" | "previousmonth" => {
            let (year, month, _, _) = utmost_model::time::utc_date(now.div_euclid(1000));
            let this_month = month_start(year, month);
            let (py, pm) = if month == 1 {
                (year - 1, 12)
            } else {
                (year, month - 1)
            };
            (month_start(py, pm), this_month)
        }
        "last_6_months" | "last6months" => {
            let (year, month, date, in_day) = utmost_model::time::utc_date(now.div_euclid(1000));
            let (y, m) = if month > 6 {
                (year, month - 6)
            } else {
                (year - 1, month + 6)
            };
            (month_start(y, m) + (date - 1) * DAY + in_day * 1000, 0)
        }
        _ => (0, 0),
    }
}

/// The first millisecond of a UTC month (days-from-civil).
fn month_start(year: i64, month: usize) -> i64 {
    let m = month as i64;
    let y = if m <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    (era * 146_097 + doe - 719_468) * DAY
}

/// `GET /reports/users`: one page. The caller checked the permission and the filters.
pub async fn users(
    app: &App,
    filter: &ReportFilter,
    page: &ReportPage,
) -> AppResult<Vec<UserReport>> {
    let Some(column) = column(&page.sort_column) else {
        return Err(AppError::bad_request(
            "model.user_report_options.is_valid.invalid_sort_column",
            "Invalid sort column.",
        ));
    };
    let (start, end) = date_range(&page.date_range, utmost_model::now_millis());
    if end > 0 && start > end {
        return Err(AppError::bad_request(
            "model.reporting_base_options.is_valid.bad_date_range",
            "Invalid date range.",
        ));
    }
    let backwards = matches!(page.direction.as_str(), "prev" | "up");
    let cursor = (!page.from_id.is_empty() && !page.from_column_value.is_empty())
        .then_some((page.from_column_value.as_str(), page.from_id.as_str()));
    // Backwards from a cursor reads the rows before it in the opposite order, then turns them.
    let descending = if cursor.is_some() {
        page.sort_desc != backwards
    } else {
        page.sort_desc
    };
    let mut users = store::report_page(
        &app.store,
        &user_filter(filter),
        column,
        descending,
        cursor,
        page.page_size,
    )
    .await?;
    if cursor.is_some() && backwards {
        users.reverse();
    }
    let ids: Vec<String> = users.iter().map(|u| u.id.clone()).collect();
    let to = (end > 0).then(|| day_of(end));
    let post_stats = stats::user_post_stats(&app.store, &ids, day_of(start), to).await?;
    Ok(users
        .into_iter()
        .map(|mut user| {
            let own = post_stats.iter().find(|s| s.user_id == user.id);
            let last_status_at = (user.last_activity_at > 0).then_some(user.last_activity_at);
            // Mattermost's `ClearNonProfileFields`.
            user.password.clear();
            user.auth_data.clear();
            user.mfa_secret.clear();
            user.email_verified = false;
            user.allow_marketing = false;
            user.notify_props.clear();
            user.last_password_update = 0;
            user.failed_attempts = 0;
            user.last_activity_at = 0;
            UserReport {
                user,
                last_status_at,
                last_post_date: own.map(|s| s.last_post_at),
                days_active: Some(own.map_or(0, |s| s.days_active)),
                total_posts: own.map(|s| s.total_posts),
            }
        })
        .collect())
}

/// `GET /reports/users/count`.
pub async fn count(app: &App, filter: &ReportFilter) -> AppResult<i64> {
    Ok(store::report_count(&app.store, &user_filter(filter)).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_starts() {
        assert_eq!(month_start(1970, 1), 0);
        assert_eq!(month_start(2024, 3), 1_709_251_200_000);
        let now = 1_709_251_200_000 + 5 * DAY; // 2024-03-06
        assert_eq!(
            date_range("previous_month", now),
            (1_706_745_600_000, 1_709_251_200_000)
        );
        assert_eq!(date_range("alltime", now), (0, 0));
    }
}
