//! Custom terms of service (Mattermost's `app/terms_of_service.go` and
//! `user_terms_of_service.go`): versions an admin writes, the latest of which clients show
//! when SupportSettings.CustomTermsOfServiceEnabled is on, and what each user accepted.

use crate::errors::TermsError;
use crate::{App, AppResult};
use serde::Serialize;
use utmost_model::session::Session;
use utmost_model::user::User;
use utmost_model::{new_id, now_millis};
use utmost_store::terms_of_service::{self as store, AcceptanceRow, TermsRow};

/// Mattermost's `PostMessageMaxRunesV2`, the limit `TermsOfService.IsValid` sets.
const MAX_TEXT_CHARS: usize = 65535;

/// Mattermost's `TermsOfService` JSON.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct TermsOfService {
    pub id: String,
    pub create_at: i64,
    pub user_id: String,
    pub text: String,
}

impl From<TermsRow> for TermsOfService {
    fn from(r: TermsRow) -> Self {
        Self {
            id: r.id,
            create_at: r.create_at,
            user_id: r.user_id,
            text: r.text,
        }
    }
}

/// Mattermost's `UserTermsOfService` JSON.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct UserTermsOfService {
    pub user_id: String,
    pub terms_of_service_id: String,
    pub create_at: i64,
}

/// `GET /terms_of_service`.
pub async fn latest(app: &App) -> AppResult<TermsOfService> {
    store::latest(&app.store)
        .await?
        .map(Into::into)
        .ok_or_else(|| TermsError::NoTerms.into())
}

/// `POST /terms_of_service`: a new version, unless the text is the latest's (then that).
pub async fn create(app: &App, author_id: &str, text: &str) -> AppResult<TermsOfService> {
    if text.is_empty() {
        return Err(TermsError::EmptyText.into());
    }
    if text.chars().count() > MAX_TEXT_CHARS {
        return Err(TermsError::TextTooLong.into());
    }
    if let Some(current) = store::latest(&app.store).await? {
        if current.text == text {
            return Ok(current.into());
        }
    }
    let row = TermsRow {
        id: new_id(),
        create_at: now_millis(),
        user_id: author_id.to_string(),
        text: text.to_string(),
    };
    store::insert(&app.store, &row).await?;
    Ok(row.into())
}

/// `POST /users/{user_id}/terms_of_service`: accepting records the version; rejecting
/// forgets any acceptance (the client then logs the user out).
pub async fn record(app: &App, user_id: &str, terms_id: &str, accepted: bool) -> AppResult<()> {
    if store::get(&app.store, terms_id).await?.is_none() {
        return Err(TermsError::NoTerms.into());
    }
    if accepted {
        store::accept(
            &app.store,
            &AcceptanceRow {
                user_id: user_id.to_string(),
                terms_of_service_id: terms_id.to_string(),
                create_at: now_millis(),
            },
        )
        .await?;
    } else {
        store::forget(&app.store, user_id).await?;
    }
    Ok(())
}

/// `GET /users/{user_id}/terms_of_service`: the version the user accepted.
pub async fn accepted(app: &App, user_id: &str) -> AppResult<UserTermsOfService> {
    let row = store::acceptance(&app.store, user_id)
        .await?
        .ok_or(TermsError::NotAccepted)?;
    Ok(UserTermsOfService {
        user_id: row.user_id,
        terms_of_service_id: row.terms_of_service_id,
        create_at: row.create_at,
    })
}

/// `GET /users/{user_id}` for the user themself or an admin carries the version they accepted
/// (`terms_of_service_id`, `terms_of_service_create_at`), which Mattermost's clients read
/// while custom terms are on (`CustomTermsOfServiceEnabled`); with them off the read is
/// spared, so a warm `GET /users/me` stays free of statements.
pub async fn with_acceptance(app: &App, viewer: &Session, mut user: User) -> AppResult<User> {
    let terms_on = app
        .config()
        .support_settings
        .custom_terms_of_service_enabled;
    if !terms_on || (viewer.user_id != user.id && !crate::users::is_system_admin(app, viewer)) {
        return Ok(user);
    }
    if let Some(row) = store::acceptance(&app.store, &user.id).await? {
        user.terms_of_service_id = row.terms_of_service_id;
        user.terms_of_service_create_at = row.create_at;
    }
    Ok(user)
}
