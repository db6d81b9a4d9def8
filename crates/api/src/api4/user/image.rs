//! Profile pictures (`GET /users/{user_id}/image`, `/image/default`); trusted routes, as in
//! Mattermost, so `<img>` tags with cookies work without a CSRF header. Setting one
//! (`POST`, multipart `image`) and resetting it (`DELETE`) are ordinary routes.

use crate::api4::status_ok;
use crate::auth::{Auth, AuthTrusted};
use crate::etag::not_modified;
use crate::extract::{declared_length, ApiPath};
use crate::{ApiResult, AppState};
use axum::extract::multipart::{Multipart, MultipartError, MultipartRejection};
use axum::extract::{DefaultBodyLimit, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, ETAG, LAST_MODIFIED};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::Value;
use utmost_app::authorization::require_act_on_user;
use utmost_app::errors::UserError;
use utmost_app::users::{self, profile_image};
use utmost_model::permissions;
use utmost_model::session::Session;
use utmost_model::user::User;
use utmost_model::{AppError, UserId, UserParam};

const DAY_SECS: u32 = 24 * 60 * 60;
/// The largest upload taken for a picture (a phone's photo fits); `FileSettings.MaxFileSize`
/// may lower it.
const MAX_PICTURE_UPLOAD: usize = 20 * 1024 * 1024;
/// A generated picture changes with the username, so clients re-check it sooner.
const DEFAULT_PICTURE_SECS: u32 = 5 * 60;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/users/{user_id}/image",
            get(image)
                .post(set_image)
                .delete(reset_image)
                .layer(DefaultBodyLimit::max(MAX_PICTURE_UPLOAD)),
        )
        .route("/users/{user_id}/image/default", get(default_image))
}

/// The user the path names if the viewer may see them.
async fn visible_user(app: &AppState, session: &Session, user: UserParam) -> ApiResult<User> {
    let user_id = user.resolve(session);
    if !users::can_see(app, session, &user_id).await? {
        return Err(AppError::permission_denied(permissions::VIEW_MEMBERS).into());
    }
    Ok(users::get(app, &user_id).await?)
}

fn png(bytes: Vec<u8>, headers: &[(HeaderName, String)]) -> Response {
    let mut response = bytes.into_response();
    let h = response.headers_mut();
    h.insert(CONTENT_TYPE, HeaderValue::from_static("image/png"));
    for (name, value) in headers {
        if let Ok(v) = HeaderValue::from_str(value) {
            h.insert(name.clone(), v);
        }
    }
    response
}

async fn image(
    State(app): State<AppState>,
    AuthTrusted(session): AuthTrusted,
    headers: HeaderMap,
    ApiPath(user_id): ApiPath<UserParam>,
) -> ApiResult<Response> {
    let user = visible_user(&app, &session, user_id).await?;
    let (bytes, generated) = profile_image::get(&app, &user).await?;
    // The default picture also depends on the initial, so its tag carries the username.
    let (etag, changed_at, max_age) = if generated {
        let tag = format!("{}.{}", user.last_picture_update, user.username);
        (tag, user.update_at, DEFAULT_PICTURE_SECS)
    } else {
        let tag = user.last_picture_update.to_string();
        (tag, user.last_picture_update, DAY_SECS)
    };
    if let Some(r) = not_modified(&headers, &etag) {
        return Ok(r);
    }
    Ok(png(
        bytes,
        &[
            (CACHE_CONTROL, format!("max-age={max_age}, private")),
            (ETAG, etag),
            (LAST_MODIFIED, http_date(changed_at)),
        ],
    ))
}

/// The `image` part of the form; other parts are read and dropped.
async fn image_part(form: Result<Multipart, MultipartRejection>) -> ApiResult<Vec<u8>> {
    let failed = |e: MultipartError| {
        AppError::from(if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            UserError::PictureTooLarge
        } else {
            UserError::PictureNoFile
        })
    };
    let mut form = form.map_err(|_| AppError::from(UserError::PictureNoFile))?;
    let mut image = None;
    while let Some(field) = form.next_field().await.map_err(failed)? {
        let wanted = image.is_none() && field.name() == Some("image");
        let bytes = field.bytes().await.map_err(failed)?;
        if wanted {
            image = Some(bytes.to_vec());
        }
    }
    Ok(image.ok_or(AppError::from(UserError::PictureNoFile))?)
}

async fn set_image(
    State(app): State<AppState>,
    Auth(session): Auth,
    headers: HeaderMap,
    ApiPath(user_id): ApiPath<UserId>,
    form: Result<Multipart, MultipartRejection>,
) -> ApiResult<Json<Value>> {
    profile_image::require_storage(&app)?;
    let max = u64::try_from(app.config().file_settings.max_file_size).unwrap_or(0);
    if declared_length(&headers).is_some_and(|n| n > max) {
        return Err(AppError::new(
            413,
            "api.user.upload_profile_user.too_large.app_error",
            "Unable to upload profile image. File is too large.",
        )
        .into());
    }
    require_act_on_user(&app, &session, &user_id).await?;
    let picture = profile_image::prepare(&app, image_part(form).await?).await?;
    profile_image::set(&app, &user_id, picture).await?;
    Ok(status_ok())
}

async fn reset_image(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(user_id): ApiPath<UserId>,
) -> ApiResult<Json<Value>> {
    profile_image::require_storage(&app)?;
    require_act_on_user(&app, &session, &user_id).await?;
    profile_image::reset(&app, &user_id).await?;
    Ok(status_ok())
}

async fn default_image(
    State(app): State<AppState>,
    AuthTrusted(session): AuthTrusted,
    ApiPath(user_id): ApiPath<UserParam>,
) -> ApiResult<Response> {
    let user = visible_user(&app, &session, user_id).await?;
    let bytes = profile_image::default_png(&user)?;
    Ok(png(
        bytes,
        &[(CACHE_CONTROL, format!("max-age={DAY_SECS}, private"))],
    ))
}

/// `millis` since the epoch as an HTTP date (`Sun, 06 Nov 1994 08:49:37 GMT`).
fn http_date(millis: i64) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    let secs = millis.max(0) / 1000;
    let (year, month, day, rem) = utmost_model::time::utc_date(secs);
    format!(
        "{}, {day:02} {} {year} {:02}:{:02}:{:02} GMT",
        DAYS[(secs / 86_400 % 7) as usize],
        utmost_model::time::MONTHS[month - 1],
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_dates() {
        assert_eq!(http_date(0), "Thu, 01 Jan 1970 00:00:00 GMT");
        assert_eq!(http_date(784_111_777_000), "Sun, 06 Nov 1994 08:49:37 GMT");
        assert_eq!(
            http_date(1_709_210_096_000),
            "Thu, 29 Feb 2024 12:34:56 GMT"
        );
    }
}
