//! Mattermost's error JSON: `{id, message, detailed_error, request_id, status_code}`.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct AppError {
    pub id: String,
    pub message: String,
    #[serde(default)]
    pub detailed_error: String,
    #[serde(default)]
    pub request_id: String,
    pub status_code: u16,
}

impl AppError {
    pub fn new(status_code: u16, id: &str, message: impl Into<String>) -> Self {
        Self {
            id: id.to_string(),
            message: message.into(),
            detailed_error: String::new(),
            request_id: String::new(),
            status_code,
        }
    }

    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detailed_error = detail.into();
        self
    }

    pub fn bad_request(id: &str, message: impl Into<String>) -> Self {
        Self::new(400, id, message)
    }

    pub fn forbidden(id: &str, message: impl Into<String>) -> Self {
        Self::new(403, id, message)
    }

    pub fn not_found(id: &str, message: impl Into<String>) -> Self {
        Self::new(404, id, message)
    }

    /// 401 that makes clients drop their session and go to the login page.
    pub fn session_expired() -> Self {
        Self::new(
            401,
            "api.context.session_expired.app_error",
            "Invalid or expired session, please login again.",
        )
    }

    /// 403 for a failed permission check.
    pub fn permission_denied(permission: &str) -> Self {
        Self::forbidden(
            "api.context.permissions.app_error",
            "You do not have the appropriate permissions.",
        )
        .with_detail(format!("permission={permission}"))
    }

    /// 400 for a bad query or body field, as Mattermost's `SetInvalidParam` (whose id is
    /// the "body" one for query parameters too).
    pub fn invalid_param(name: &str) -> Self {
        Self::bad_request(
            "api.context.invalid_body_param.app_error",
            format!("Invalid or missing {name} in request body."),
        )
    }

    /// 400 for a bad path segment, as Mattermost's `SetInvalidURLParam`.
    pub fn invalid_url_param(name: &str) -> Self {
        Self::bad_request(
            "api.context.invalid_url_param.app_error",
            format!("Invalid or missing {name} parameter in request URL."),
        )
    }

    /// 500 for anything unexpected; the cause goes to the log and to `detailed_error`.
    pub fn internal(id: &str, cause: impl std::fmt::Display) -> Self {
        Self::new(500, id, "An internal error occurred.").with_detail(cause.to_string())
    }

    pub fn is_internal(&self) -> bool {
        self.status_code >= 500
    }
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.id, self.message)?;
        if !self.detailed_error.is_empty() {
            write!(f, " ({})", self.detailed_error)?;
        }
        Ok(())
    }
}

impl std::error::Error for AppError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialises_with_mattermost_field_names() {
        let e = AppError::session_expired();
        let v = serde_json::to_value(&e).unwrap();
        assert_eq!(v["id"], "api.context.session_expired.app_error");
        assert_eq!(v["status_code"], 401);
        assert!(v.get("detailed_error").is_some());
        assert!(v.get("request_id").is_some());
    }
}
