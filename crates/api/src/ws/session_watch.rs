//! A socket lives no longer than its session. Revokes close sockets through the hub; this
//! covers what the hub cannot see: a revoke that landed between the upgrade's authentication
//! and the registration (there was no socket to close yet), and the session expiring.

use crate::AppState;
use std::time::Duration;
use utmost_model::now_millis;

/// Far-off expiries (a token session lasts 100 years) are looked at again after this long,
/// which keeps the timer arithmetic small; one read a day per socket costs nothing.
const MAX_WAIT: Duration = Duration::from_secs(24 * 60 * 60);
/// A database error does not end the socket; the session is read again after this long.
const RETRY_AFTER_ERROR: Duration = Duration::from_secs(60);

pub(super) enum Check {
    /// The session is live; look again after this long (at its expiry).
    Again(Duration),
    Ended,
}

/// Reads the session again: gone (revoked) or expired ends the socket.
pub(super) async fn check(app: &AppState, session_id: &str) -> Check {
    let now = now_millis();
    match utmost_app::sessions::get(app, session_id).await {
        Ok(Some(s)) if !s.is_expired(now) => Check::Again(until(s.expires_at, now)),
        Ok(_) => Check::Ended,
        Err(e) => {
            tracing::error!(error = %e, "reading a websocket's session failed");
            Check::Again(RETRY_AFTER_ERROR)
        }
    }
}

/// How long until `expires_at` (milliseconds; 0 never expires), at most `MAX_WAIT`.
fn until(expires_at: i64, now: i64) -> Duration {
    if expires_at <= 0 {
        return MAX_WAIT;
    }
    let left = u64::try_from(expires_at.saturating_sub(now)).unwrap_or(0);
    Duration::from_millis(left).min(MAX_WAIT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_until_expiry_within_a_day() {
        assert_eq!(until(10_500, 10_000), Duration::from_millis(500));
        assert_eq!(until(9_000, 10_000), Duration::ZERO);
        assert_eq!(until(0, 10_000), MAX_WAIT);
        assert_eq!(until(i64::MAX, 10_000), MAX_WAIT);
    }
}
