use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use utmost_app::errors;
use utmost_model::AppError;

/// An `AppError` on its way out as Mattermost's error JSON. The request-context middleware
/// fills in `request_id` (and hides `detailed_error` unless developer mode is on).
#[derive(Debug)]
pub struct ApiError(pub AppError);

pub type ApiResult<T> = Result<T, ApiError>;

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        Self(e)
    }
}

/// A service's failure answers through the app's one error table.
macro_rules! from_service_errors {
    ($($error:ident),* $(,)?) => {$(
        impl From<errors::$error> for ApiError {
            fn from(e: errors::$error) -> Self {
                Self(e.into())
            }
        }
    )*};
}

from_service_errors!(ChannelError, TeamError, StatusError);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status =
            StatusCode::from_u16(self.0.status_code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = (status, Json(&self.0)).into_response();
        response.extensions_mut().insert(self.0);
        response
    }
}
