//! Personal access tokens.

use crate::{App, AppResult};
use utmost_model::session::Session;

/// The session for a personal access token that has none yet; None when `raw` is no active
/// token. Filled in with the access-token service.
pub async fn session_for_token(_app: &App, _raw: &str) -> AppResult<Option<Session>> {
    Ok(None)
}
